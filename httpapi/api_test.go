package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCaseLifecycle(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(sampleCase, `"market"`, `"intake": {"channel": "ecall", "activation": "button",
	  "position": {"lat": 47.26, "lon": 11.39, "trusted": true, "heading_deg": 270,
	               "track": [{"lat": 47.25, "lon": 11.40, "at": "2026-07-01T09:29:00+02:00"}]},
	  "vin": "LPSVSEDEEML000001"}, "market"`, 1)
	r := e.do("POST", "/v1/cases", RoleOperator, body)
	e.wantStatus(r, http.StatusCreated, "create")
	c := r.json(t)
	id := c["id"].(string)
	if r.header.Get("Location") != "/v1/cases/"+id || r.header.Get("ETag") != `"1"` {
		t.Fatalf("Location %q ETag %q", r.header.Get("Location"), r.header.Get("ETag"))
	}
	if c["terms_id"] != "assistance-de-2023-05" || c["status"] != "open" || c["intake"] == nil {
		t.Fatalf("case: %s", r.body)
	}

	g := e.do("GET", "/v1/cases/"+id, RoleClaims, "")
	e.wantStatus(g, http.StatusOK, "get")
	if g.header.Get("ETag") != `"1"` {
		t.Fatalf("ETag %q", g.header.Get("ETag"))
	}
	if nm := e.do("GET", "/v1/cases/"+id, RoleOperator, "", "If-None-Match", `"1"`); nm.status != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", nm.status)
	}
	e.wantStatus(e.do("GET", "/v1/cases/nope", RoleOperator, ""), http.StatusNotFound, "unknown case")

	// PATCH: 428 without If-Match, 412 stale, 200 re-decided.
	patch := `{"people": {"passengers": 3}}`
	e.wantStatus(e.do("PATCH", "/v1/cases/"+id, RoleOperator, patch), http.StatusPreconditionRequired, "no If-Match")
	e.wantStatus(e.do("PATCH", "/v1/cases/"+id, RoleOperator, patch, "If-Match", `"7"`), http.StatusPreconditionFailed, "stale")
	p := e.do("PATCH", "/v1/cases/"+id, RoleOperator, patch, "If-Match", `"1"`)
	e.wantStatus(p, http.StatusOK, "patch")
	if p.header.Get("ETag") != `"2"` {
		t.Fatalf("ETag after patch %q", p.header.Get("ETag"))
	}
	pc := p.json(t)
	if pax := pc["facts"].(map[string]any)["people"].(map[string]any)["passengers"]; pax != 3.0 {
		t.Fatalf("patched passengers %v", pax)
	}
	e.wantStatus(e.do("PATCH", "/v1/cases/"+id, RoleOperator, patch, "If-Match", `"1"`), http.StatusPreconditionFailed, "replayed old ETag")
	bad := e.do("PATCH", "/v1/cases/"+id, RoleOperator, `{"event": {"kind": "meteor"}}`, "If-Match", `"2"`)
	e.wantStatus(bad, http.StatusUnprocessableEntity, "patch to invalid facts")
	if f := problemFields(t, bad); !slices.Contains(f, "event.kind") {
		t.Fatalf("fields %v", f)
	}

	// Choices: one per group.
	fa := offered(pc, "further_assistance")
	if len(fa) < 2 {
		t.Fatalf("further assistance options: %v", fa)
	}
	ch := e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0]))
	e.wantStatus(ch, http.StatusCreated, "choice")
	second := e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[1]))
	e.wantStatus(second, http.StatusConflict, "second choice")
	notOffered := e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, `{"group": "repatriation_alternative", "code": "hotel"}`)
	e.wantStatus(notOffered, http.StatusUnprocessableEntity, "not offered")
	if f := problemFields(t, notOffered); !slices.Equal(f, []string{"code"}) {
		t.Fatalf("fields %v", f)
	}
	if ra := offered(pc, "repatriation_alternative"); len(ra) > 0 {
		e.wantStatus(e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, fmt.Sprintf(`{"group": "repatriation_alternative", "code": %q}`, ra[0])),
			http.StatusCreated, "repatriation alternative")
	}

	// Jobs: BOOKED → EN_ROUTE → ARRIVED → COMPLETED; forbidden moves 409.
	j := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1", "destination": {"name": "Workshop", "lat": 47.27, "lon": 11.40}}`)
	e.wantStatus(j, http.StatusCreated, "job")
	jid := j.json(t)["id"].(string)
	eta := time.Now().Add(40 * time.Minute).UTC().Format(time.RFC3339)
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "ARRIVED"}`), http.StatusConflict, "skip to ARRIVED")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "EN_ROUTE", "eta": "`+eta+`"}`), http.StatusOK, "en route")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "FAILED"}`), http.StatusUnprocessableEntity, "failed without failure")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"eta": "`+eta+`"}`), http.StatusOK, "eta alone")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{}`), http.StatusUnprocessableEntity, "nothing to change")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "ARRIVED"}`), http.StatusOK, "arrived")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "COMPLETED"}`), http.StatusOK, "completed")
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "FAILED", "failure": "cancelled"}`), http.StatusConflict, "after completed")
	j2 := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "roadside", "partner": "p2"}`)
	e.wantStatus(j2, http.StatusCreated, "job 2")
	j2id := j2.json(t)["id"].(string)
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+j2id, "partner2", `{"status": "FAILED", "failure": "gone_on_arrival"}`), http.StatusOK, "gone on arrival")
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "nobody"}`), http.StatusUnprocessableEntity, "unknown partner")

	// Close and reopen.
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/close", RoleOperator, `{}`), http.StatusUnprocessableEntity, "close without reason")
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/close", RoleOperator, `{"reason": "car repaired"}`), http.StatusOK, "close")
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/close", RoleOperator, `{"reason": "again"}`), http.StatusConflict, "close twice")
	e.wantStatus(e.do("PATCH", "/v1/cases/"+id, RoleOperator, patch, "If-Match", `*`), http.StatusConflict, "patch closed")
	list := e.do("GET", "/v1/cases?status=closed", RoleOperator, "")
	e.wantStatus(list, http.StatusOK, "list closed")
	if n := len(list.json(t)["cases"].([]any)); n != 1 {
		t.Fatalf("closed cases: %d", n)
	}
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/reopen", RoleOperator, `{"reason": "fault came back"}`), http.StatusOK, "reopen")

	// The timeline: every change, with who and why.
	ev := e.do("GET", "/v1/cases/"+id+"/events", RoleClaims, "")
	e.wantStatus(ev, http.StatusOK, "events")
	var tl struct {
		Events []struct {
			Seq   int64 `json:"seq"`
			Kind  string
			Actor struct {
				TokenID string `json:"token_id"`
				Role    string
			}
			Data json.RawMessage
		}
	}
	json.Unmarshal(ev.body, &tl)
	var kinds []string
	for i, x := range tl.Events {
		kinds = append(kinds, x.Kind)
		if x.Seq != int64(i+1) || x.Actor.TokenID == "" || x.Actor.Role == "" {
			t.Fatalf("event %d: %+v", i, x)
		}
	}
	want := []string{"created", "decided", "facts_patched", "decided", "choice_made"}
	if !slices.Equal(kinds[:5], want) || !slices.Contains(kinds, "job_updated") || kinds[len(kinds)-1] != "reopened" {
		t.Fatalf("kinds %v", kinds)
	}
	if !strings.Contains(string(tl.Events[len(tl.Events)-1].Data), "fault came back") {
		t.Fatalf("reopen event lacks its reason: %s", tl.Events[len(tl.Events)-1].Data)
	}
}

func TestCaseInputErrorsNameEveryField(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(sampleCase, `"market"`, `"intake": {"activation": "telepathy", "position": {"lat": 123, "heading_deg": 400}, "vin": "short"}, "market"`, 1)
	body = strings.Replace(body, `"kind": "breakdown"`, `"kind": "meteor"`, 1)
	r := e.do("POST", "/v1/cases", RoleIntake, body)
	e.wantStatus(r, http.StatusUnprocessableEntity, "bad case")
	got := problemFields(t, r)
	for _, f := range []string{"event.kind", "intake.activation", "intake.position.lat", "intake.position.lon", "intake.position.heading_deg", "intake.vin"} {
		if !slices.Contains(got, f) {
			t.Errorf("problem does not name %s: %v", f, got)
		}
	}
	e.wantStatus(e.do("POST", "/v1/cases", RoleIntake, `[1]`), http.StatusUnprocessableEntity, "not an object")
	list := e.do("GET", "/v1/cases", RoleOperator, "")
	if n := len(list.json(t)["cases"].([]any)); n != 0 {
		t.Fatalf("an invalid case was stored: %d", n)
	}
}

func TestIntakeFillsTheCase(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(sampleCase, `"location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12"},`, `"location": {"description": "A12"},`, 1)
	body = strings.Replace(body, `"market"`, `"intake": {"activation": "button", "position": {"lat": 47.26, "lon": 11.39, "trusted": true}}, "market"`, 1)
	_, _, c := e.createCase(body)
	loc := c["facts"].(map[string]any)["location"].(map[string]any)
	if loc["lat"] != 47.26 || loc["lon"] != 11.39 {
		t.Fatalf("trusted position did not fill the location: %v", loc)
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	a := e.do("POST", "/v1/cases", RoleIntake, sampleCase, "Idempotency-Key", "k-1")
	e.wantStatus(a, http.StatusCreated, "first")
	b := e.do("POST", "/v1/cases", RoleIntake, sampleCase, "Idempotency-Key", "k-1")
	e.wantStatus(b, http.StatusCreated, "repeat")
	if string(a.body) != string(b.body) || a.header.Get("Location") != b.header.Get("Location") || b.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("repeat differs:\n%s\n%s", a.body, b.body)
	}
	other := strings.Replace(sampleCase, `"passengers": 2`, `"passengers": 1`, 1)
	c := e.do("POST", "/v1/cases", RoleIntake, other, "Idempotency-Key", "k-1")
	e.wantStatus(c, http.StatusUnprocessableEntity, "same key, other body")
	if f := problemFields(t, c); !slices.Equal(f, []string{"Idempotency-Key"}) {
		t.Fatalf("fields %v", f)
	}
	list := e.do("GET", "/v1/cases", RoleOperator, "")
	if n := len(list.json(t)["cases"].([]any)); n != 1 {
		t.Fatalf("cases stored: %d, want 1", n)
	}
	// Keys belong to a token: another caller's same key is a new request.
	e.wantStatus(e.do("POST", "/v1/cases", RoleOperator, sampleCase, "Idempotency-Key", "k-1"), http.StatusCreated, "other token")

	id := a.json(t)["id"].(string)
	fa := offered(a.json(t), "further_assistance")
	choice := fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0])
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, choice, "Idempotency-Key", "c-1"), http.StatusCreated, "choice")
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, choice, "Idempotency-Key", "c-1"), http.StatusCreated, "choice repeated")
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, choice, "Idempotency-Key", "c-2"), http.StatusConflict, "choice with a new key")
	d1 := e.do("POST", "/v1/assistance/decisions", RoleOperator, sampleCase, "Idempotency-Key", "d-1")
	d2 := e.do("POST", "/v1/assistance/decisions", RoleOperator, sampleCase, "Idempotency-Key", "d-1")
	if d1.status != 200 || string(d1.body) != string(d2.body) {
		t.Fatalf("decision replay: %d %s", d1.status, d2.body)
	}
}

func TestLimitsAndProblems(t *testing.T) {
	e := newEnv(t)
	big := `{"market": "` + strings.Repeat("x", MaxBody) + `"}`
	r := e.do("POST", "/v1/assistance/decisions", RoleOperator, big)
	e.wantStatus(r, http.StatusRequestEntityTooLarge, "big body")
	d := e.do("POST", "/v1/assistance/decisions", RoleOperator, sampleCase)
	e.wantStatus(d, http.StatusOK, "decision")
	if d.json(t)["covered"] != true {
		t.Fatalf("decision: %s", d.body)
	}
	bad := e.do("POST", "/v1/assistance/decisions", RoleOperator, `{"market": "XX", "occurred_at": "yesterday", "surprise": 1}`)
	e.wantStatus(bad, http.StatusUnprocessableEntity, "bad decision")
	if f := problemFields(t, bad); len(f) < 2 {
		t.Fatalf("fields %v", f)
	}
	st := e.do("POST", "/v1/claims/settlements", RoleClaims, claimBody)
	e.wantStatus(st, http.StatusOK, "settlement")
	if st.json(t)["terms"].(map[string]any)["id"] != "insurance-se-2021-10" {
		t.Fatalf("settlement: %s", st.body)
	}
	badClaim := e.do("POST", "/v1/claims/settlements", RoleClaims, `{"market": "SE", "occurred_at": "never"}`)
	e.wantStatus(badClaim, http.StatusUnprocessableEntity, "bad claim")
	if f := problemFields(t, badClaim); !slices.Contains(f, "occurred_at") {
		t.Fatalf("fields %v", f)
	}
	e.wantStatus(e.do("GET", "/v1/nothing", RoleOperator, ""), http.StatusNotFound, "unknown path")
	e.wantStatus(e.do("GET", "/healthz", "", ""), http.StatusOK, "healthz")
	e.wantStatus(e.do("GET", "/readyz", "", ""), http.StatusOK, "readyz")
	e.wantStatus(e.do("GET", "/v1/openapi.json", "", ""), http.StatusOK, "openapi")
	m := e.do("GET", "/metrics", "", "")
	for _, want := range []string{`roadcover_http_requests_total{route="POST /v1/assistance/decisions",status="200"} 1`,
		`roadcover_decisions_total{outcome="covered",path="stateless"} 1`, "roadcover_http_request_duration_seconds_bucket"} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestTrackingLink(t *testing.T) {
	e := newEnv(t)
	id, _, _ := e.createCase(sampleCase)
	other, _, _ := e.createCase(strings.Replace(sampleCase, "Test Driver", "Someone Else", 1))
	j := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`)
	eta := time.Now().Add(30 * time.Minute).UTC().Truncate(time.Second)
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+j.json(t)["id"].(string), RolePartner, `{"status": "EN_ROUTE", "eta": "`+eta.Format(time.RFC3339)+`"}`), http.StatusOK, "eta")

	l := e.do("POST", "/v1/cases/"+id+"/tracking-links", RoleOperator, `{"expires_in_hours": 2}`)
	e.wantStatus(l, http.StatusCreated, "link")
	lk := l.json(t)
	token := lk["token"].(string)
	if !strings.HasSuffix(lk["url"].(string), "/v1/track/"+token) || len(token) < 40 {
		t.Fatalf("link %v", lk)
	}
	v := e.do("GET", "/v1/track/"+token+"?lang=sv", "", "")
	e.wantStatus(v, http.StatusOK, "track")
	tv := v.json(t)
	if _, ok := tv["case_id"]; ok || tv["language"] != "sv" || tv["eta"] != eta.Format(time.RFC3339) || len(tv["entitlements"].([]any)) == 0 {
		t.Fatalf("track view: %s", v.body)
	}
	if strings.Contains(string(v.body), other) || strings.Contains(string(v.body), "Test Driver") || strings.Contains(string(v.body), `"p1"`) || strings.Contains(string(v.body), id) {
		t.Fatalf("track view shows more than the driver's case status: %s", v.body)
	}
	de := e.do("GET", "/v1/track/"+token, "", "", "Accept-Language", "fr;q=1, de-AT;q=0.8, en;q=0.5")
	if de.json(t)["language"] != "de" {
		t.Fatalf("Accept-Language: %s", de.body)
	}
	e.wantStatus(e.do("GET", "/v1/track/"+token+"x", "", ""), http.StatusNotFound, "unknown token")
	unknown := e.do("GET", "/v1/track/"+token+"x", "", "").body
	// A closed case's link stops working, and says no more than an unknown one.
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/close", RoleOperator, `{"reason": "done"}`), http.StatusOK, "close")
	closed := e.do("GET", "/v1/track/"+token, "", "")
	e.wantStatus(closed, http.StatusNotFound, "closed case")
	if strings.ReplaceAll(string(closed.body), token, "") != strings.ReplaceAll(string(unknown), token+"x", "") {
		t.Errorf("a closed case's link answers otherwise than an unknown one:\n%s\n%s", closed.body, unknown)
	}
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/reopen", RoleOperator, `{"reason": "not done"}`), http.StatusOK, "reopen")
	e.wantStatus(e.do("GET", "/v1/track/"+token, "", ""), http.StatusOK, "reopened case")
	e.advance(2*time.Hour + time.Second)
	e.wantStatus(e.do("GET", "/v1/track/"+token, "", ""), http.StatusNotFound, "expired")
}

func TestListPaging(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := 0; i < 5; i++ {
		id, _, _ := e.createCase(sampleCase)
		ids = append(ids, id)
	}
	e.wantStatus(e.do("POST", "/v1/cases/"+ids[0]+"/close", RoleOperator, `{"reason": "done"}`), 200, "close")
	var seen []string
	after := ""
	for page := 0; page < 5; page++ {
		r := e.do("GET", "/v1/cases?status=open&limit=2&after="+after, RoleOperator, "")
		e.wantStatus(r, 200, "page")
		var l struct {
			Cases []struct{ ID, Status string }
			Next  string
		}
		json.Unmarshal(r.body, &l)
		for _, c := range l.Cases {
			if c.Status != "open" {
				t.Fatalf("status filter: %s", r.body)
			}
			seen = append(seen, c.ID)
		}
		if l.Next == "" {
			break
		}
		after = l.Next
	}
	want := []string{ids[4], ids[3], ids[2], ids[1]}
	if !slices.Equal(seen, want) {
		t.Fatalf("pages %v, want newest first %v", seen, want)
	}
	e.wantStatus(e.do("GET", "/v1/cases?status=lost", RoleOperator, ""), 422, "bad status")
}
