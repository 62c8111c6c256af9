package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestAccessMatrix sends every endpoint as every role (and with no, an
// unknown and a revoked token) and checks the answer is exactly what the
// role table of the contract allows: 401, 403, 404 for what is not theirs,
// else success.
func TestAccessMatrix(t *testing.T) {
	e := newEnv(t)
	caseID, _, c := e.createCase(sampleCase)
	mine := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`).json(t)["id"].(string)
	theirs := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p2"}`).json(t)["id"].(string)
	fa := offered(c, "further_assistance")
	link := e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
	otherCase, _, _ := e.createCase(sampleCase)
	otherLink := e.do("POST", "/v1/cases/"+otherCase+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
	revoked := e.do("POST", "/v1/tokens", RoleAdmin, `{"role": "operator", "label": "to revoke"}`).json(t)
	e.wantStatus(e.do("POST", "/v1/tokens/"+revoked["id"].(string)+"/revoke", RoleAdmin, ""), http.StatusOK, "revoke")
	e.tokens["revoked"] = revoked["token"].(string)
	e.tokens["unknown"] = "rc_unknown"
	owed := e.owe(100, 200, 300)
	draft := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR", "payables": ["`+owed[0]+`"]}`).json(t)["id"].(string)
	released := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR", "payables": ["`+owed[1]+`"]}`).json(t)["id"].(string)
	e.wantStatus(e.do("POST", "/v1/payment-batches/"+released+"/release", RoleAdmin, ""), http.StatusOK, "release")
	rcpt, rcptType := receiptBody(receiptPhoto(3, "HOTEL ALPENROSE", "EUR 100,00"), hotel("100.00", "Hotel Alpenrose", "2026-07-01", 1, ""))
	rcptID := e.do("POST", "/v1/cases/"+caseID+"/receipts", RoleOperator, rcpt, "Content-Type", rcptType).json(t)["id"].(string)

	// Each request is built fresh: some change state, so they are made
	// valid for a repeat (choices differ per role, jobs are re-opened).
	n := 0
	uniq := func() string { n++; return fmt.Sprint(n) }
	type endpoint struct {
		method, path string
		body         func() string
		ok           int
		allowed      []string // roles with the right
		mineOnly     bool     // partners: their own job only; partner2 gets 404
		hdr          func() []string
	}
	none := func() string { return "" }
	allCallers := append([]string{"partner2"}, Roles...)
	lit := func(s string) func() string { return func() string { return s } }
	eps := []endpoint{
		{"POST", "/v1/assistance/decisions", lit(sampleCase), 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"POST", "/v1/cases", lit(sampleCase), 201, []string{RoleAdmin, RoleOperator, RoleIntake}, false, nil},
		{"GET", "/v1/cases", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/cases/" + caseID, none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/cases/" + caseID + "/events", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"PATCH", "/v1/cases/" + caseID, func() string { return `{"contact": {"phone": "+49 ` + uniq() + `"}}` }, 200,
			[]string{RoleAdmin, RoleOperator}, false, func() []string { return []string{"If-Match", "*"} }},
		{"POST", "/v1/cases/" + caseID + "/tracking-links", lit(`{"expires_in_hours": 1}`), 201, []string{RoleAdmin, RoleOperator}, false, nil},
		{"POST", "/v1/cases/" + caseID + "/jobs", lit(`{"kind": "roadside", "partner": "p1"}`), 201, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/jobs", none, 200, []string{RoleAdmin, RoleOperator, RolePartner, "partner2"}, false, nil},
		{"GET", "/v1/jobs/" + mine, none, 200, []string{RoleAdmin, RoleOperator, RolePartner, "partner2"}, true, nil},
		{"PATCH", "/v1/jobs/" + mine, lit(`{"status": "BOOKED"}`), 200, []string{RoleAdmin, RoleOperator, RolePartner, "partner2"}, true, nil},
		{"GET", "/v1/jobs/" + mine + "/deliveries", none, 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/tokens", none, 200, []string{RoleAdmin}, false, nil},
		{"POST", "/v1/tokens", lit(`{"role": "intake"}`), 201, []string{RoleAdmin}, false, nil},
		{"GET", "/v1/partners", none, 200, []string{RoleAdmin}, false, nil},
		{"POST", "/v1/claims/settlements", lit(claimBody), 200, []string{RoleAdmin, RoleClaims}, false, nil},
		{"POST", "/v1/partners", func() string { return `{"id": "x` + uniq() + `", "name": "X"}` }, 201, []string{RoleAdmin}, false, nil},
		// A truck's positions are spaced: the clock moves on between them.
		{"POST", "/v1/jobs/" + mine + "/positions", func() string { e.advance(3 * time.Second); return `{"lat": 46.6, "lon": 11.4}` }, 201,
			[]string{RoleAdmin, RolePartner, "partner2"}, true, nil},
		{"GET", "/v1/queue", none, 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/places?q=Stutt", none, 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/places/describe?lat=48.85&lon=9.05", none, 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/cases/" + caseID + "/partners", none, 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"POST", "/v1/cases/" + caseID + "/notes", lit(`{"text": "called back"}`), 201, []string{RoleAdmin, RoleOperator}, false, nil},
		{"POST", "/v1/cases/" + caseID + "/owner", lit(`{"owner": ""}`), 200, []string{RoleAdmin, RoleOperator}, false, nil},
		{"GET", "/v1/accounts", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims, RolePayments}, false, nil},
		{"POST", "/v1/accounts", func() string { return `{"email": "a` + uniq() + `@desk.example", "name": "A", "role": "operator"}` }, 201, []string{RoleAdmin}, false, nil},
		// Every token may ask who it is; a token has no session to end
		// and no password to change.
		{"GET", "/v1/session", none, 200, allCallers, false, nil},
		{"DELETE", "/v1/session", none, 409, allCallers, false, nil},
		{"POST", "/v1/session/password", lit(`{"current_password": "x", "new_password": "a long new passphrase"}`), 409, allCallers, false, nil},
		{"GET", "/v1/payables", none, 200, []string{RoleAdmin, RolePayments, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/payment-batches", none, 200, []string{RoleAdmin, RolePayments}, false, nil},
		{"GET", "/v1/payment-batches/" + released, none, 200, []string{RoleAdmin, RolePayments}, false, nil},
		{"GET", "/v1/payment-batches/" + released + "/pain.001", none, 200, []string{RoleAdmin, RolePayments}, false, nil},
		// The steps change state: the first allowed caller may succeed, the
		// others meet the batch's state; nobody else gets past the role.
		{"POST", "/v1/payment-batches", lit(`{"currency": "EUR"}`), 0, []string{RoleAdmin, RolePayments}, false, nil},
		{"POST", "/v1/payment-batches/" + draft + "/approve", none, 0, []string{RoleAdmin, RolePayments}, false, nil},
		{"POST", "/v1/payment-batches/" + released + "/release", none, 0, []string{RoleAdmin, RolePayments}, false, nil},
		{"POST", "/v1/payment-batches/" + released + "/cancel", none, 0, []string{RoleAdmin, RolePayments}, false, nil},
		{"POST", "/v1/payment-batches/" + released + "/status-report", lit(`<Document/>`), 0, []string{RoleAdmin, RolePayments}, false, nil},
		{"POST", "/v1/cases/" + caseID + "/receipts", lit(rcpt), 201, []string{RoleAdmin, RoleOperator}, false,
			func() []string { return []string{"Content-Type", rcptType} }},
		{"GET", "/v1/cases/" + caseID + "/receipts", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/receipts?status=review", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/receipts/" + rcptID, none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"GET", "/v1/receipts/" + rcptID + "/file", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
		{"POST", "/v1/receipts/" + rcptID + "/review", lit(`{"action": "refuse", "reason": "other", "note": "checked"}`), 200,
			[]string{RoleAdmin, RoleOperator}, false, nil},
	}
	// Insurance: policies and claims are the claims handlers'.
	pol, claim := e.createPolicy(readExample(t, "new-policy.json")), ""
	claim = e.openClaim(RoleClaims, pol)["id"].(string)
	ins := []string{RoleAdmin, RoleClaims}
	ifAny := func() []string { return []string{"If-Match", "*"} }
	eps = append(eps,
		endpoint{"POST", "/v1/policies", func() string {
			return strings.Replace(readExample(t, "new-policy.json"), "LPSED3KA4NL012345", fmt.Sprintf("YV1%014s", uniq()), 1)
		}, 201, ins, false, nil},
		endpoint{"GET", "/v1/policies?vin=LPSED3KA4NL012345", none, 200, ins, false, nil},
		endpoint{"GET", "/v1/policies/" + pol, none, 200, ins, false, nil},
		endpoint{"POST", "/v1/policies/" + pol + "/changes", func() string {
			return `{"valid_from": "2026-06-01", "reason": "r", "patch": {"premium": "6` + uniq() + `"}}`
		}, 201, ins, false, nil},
		endpoint{"GET", "/v1/policies/" + pol + "/invoices", none, 200, ins, false, nil},
		endpoint{"POST", "/v1/policies/" + pol + "/links", lit(`{}`), 201, ins, false, nil},
		endpoint{"POST", "/v1/claims", lit(reportFor(t, pol)), 201, ins, false, nil},
		endpoint{"GET", "/v1/claims?policy=" + pol, none, 200, ins, false, nil},
		endpoint{"GET", "/v1/claims/register", none, 200, ins, false, nil},
		endpoint{"GET", "/v1/claims/" + claim, none, 200, ins, false, nil},
		endpoint{"GET", "/v1/claims/" + claim + "/events", none, 200, ins, false, nil},
		endpoint{"PATCH", "/v1/claims/" + claim, func() string { return `{"reason": "r` + uniq() + `", "patch": {"costs": {"repair_sek": "39000"}}}` },
			200, ins, false, ifAny},
		endpoint{"POST", "/v1/claims/" + claim + "/reserves", lit(`{"line": "collision", "automatic": true, "reason": "r"}`), 200, ins, false, nil},
		endpoint{"POST", "/v1/claims/" + claim + "/decisions", lit(`{"note": "n"}`), 200, ins, false, nil},
		endpoint{"POST", "/v1/claims/" + claim + "/complaints", lit(`{"forum": "review", "received_on": "2026-03-11"}`), 200, ins, false, nil},
		endpoint{"POST", "/v1/claims/" + claim + "/links", lit(`{}`), 201, ins, false, nil},
		endpoint{"GET", "/v1/cases/" + caseID + "/claims", none, 200, []string{RoleAdmin, RoleOperator, RoleClaims}, false, nil},
	)
	callers := append([]string{"", "unknown", "revoked", "partner2"}, Roles...)
	for _, ep := range eps {
		for _, who := range callers {
			var hdr []string
			if ep.hdr != nil {
				hdr = ep.hdr()
			}
			r := e.do(ep.method, ep.path, who, ep.body(), hdr...)
			want := ep.ok
			switch {
			case who == "" || who == "unknown" || who == "revoked":
				want = http.StatusUnauthorized
			case !contains(ep.allowed, who):
				want = http.StatusForbidden
			case ep.mineOnly && who == "partner2":
				want = http.StatusNotFound
			}
			if want == 0 { // the body is the engine's to judge: anything but an access refusal
				if r.status == 401 || r.status == 403 || r.status == 404 || r.status >= 500 {
					t.Errorf("%s %s as %q: %d: %s", ep.method, ep.path, who, r.status, r.body)
				}
				continue
			}
			if r.status != want {
				t.Errorf("%s %s as %q: %d, want %d: %s", ep.method, ep.path, who, r.status, want, r.body)
			}
		}
	}

	// Choices, close and reopen change state: one allowed caller succeeds,
	// every other role is refused before anything happens.
	for _, who := range callers {
		if who == RoleAdmin || who == RoleOperator {
			continue
		}
		want := http.StatusForbidden
		if who == "" || who == "unknown" || who == "revoked" {
			want = http.StatusUnauthorized
		}
		for _, p := range []string{"/choices", "/close", "/reopen"} {
			body := `{"reason": "x"}`
			if p == "/choices" {
				body = fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0])
			}
			if r := e.do("POST", "/v1/cases/"+caseID+p, who, body); r.status != want {
				t.Errorf("POST %s as %q: %d, want %d", p, who, r.status, want)
			}
		}
	}
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/choices", RoleOperator, fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0])), 201, "choice")
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/close", RoleAdmin, `{"reason": "x"}`), 200, "close")
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/reopen", RoleOperator, `{"reason": "y"}`), 200, "reopen")

	// Partners: the list holds only their own jobs; others' are not found.
	lst := e.do("GET", "/v1/jobs", RolePartner, "")
	if strings.Contains(string(lst.body), theirs) || !strings.Contains(string(lst.body), mine) {
		t.Fatalf("partner p1's list: %s", lst.body)
	}
	lst2 := e.do("GET", "/v1/jobs?partner=p1", "partner2", "")
	if strings.Contains(string(lst2.body), mine) {
		t.Fatalf("partner p2 sees p1's job: %s", lst2.body)
	}
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+theirs, RolePartner, `{"status": "EN_ROUTE"}`), 404, "other partner's job")
	e.wantStatus(e.do("GET", "/v1/jobs/does-not-exist", RolePartner, ""), 404, "missing job")
	// Paging after another partner's job answers as after a job that does not exist.
	gone := e.do("GET", "/v1/jobs?after=does-not-exist", "partner2", "")
	e.wantStatus(gone, 404, "after a missing job")
	after := e.do("GET", "/v1/jobs?after="+mine, "partner2", "")
	e.wantStatus(after, 404, "after another partner's job")
	if problemOf2(t, after) != problemOf2(t, gone) {
		t.Errorf("after another's job %s, after none %s", after.body, gone.body)
	}

	// Drivers: a link opens its own case only; nothing else answers to it.
	a := e.do("GET", "/v1/track/"+link, "", "")
	b := e.do("GET", "/v1/track/"+otherLink, "", "")
	// The first case has jobs, the other none: each link shows its own.
	if len(a.json(t)["jobs"].([]any)) == 0 || len(b.json(t)["jobs"].([]any)) != 0 ||
		strings.Contains(string(a.body), caseID) || strings.Contains(string(b.body), otherCase) {
		t.Fatalf("links: %s / %s", a.body, b.body)
	}
	for _, path := range []string{"/v1/cases/" + caseID, "/v1/cases", "/v1/jobs", "/v1/jobs/" + mine + "/positions"} {
		method := "GET"
		if strings.HasSuffix(path, "/positions") {
			method = "POST"
		}
		e.wantStatus(e.do(method, path, link, `{"lat": 1, "lon": 2}`), 401, "link token as bearer on "+path)
	}
	// What a driver does at a link lands on the link's own case only.
	e.wantStatus(e.do("POST", "/v1/track/"+otherLink+"/position", "", `{"lat": 46.5, "lon": 11.35}`), 201, "driver's position")
	mineEvents := e.do("GET", "/v1/cases/"+caseID+"/events", RoleOperator, "")
	otherEvents := e.do("GET", "/v1/cases/"+otherCase+"/events", RoleOperator, "")
	if strings.Contains(string(mineEvents.body), "driver_position_reported") || !strings.Contains(string(otherEvents.body), "driver_position_reported") {
		t.Fatalf("the driver's position went to the wrong case")
	}
	for _, path := range []string{"/v1/cases/" + caseID, "/v1/cases", "/v1/jobs", "/v1/cases/" + caseID + "/receipts",
		"/v1/receipts/" + rcptID + "/file"} {
		e.wantStatus(e.do("GET", path, link, ""), 401, "link token as bearer on "+path)
	}
	// A driver's receipt goes to the link's case only, whatever the link.
	e.wantStatus(e.do("POST", "/v1/track/"+otherLink+"/receipts", "", rcpt, "Content-Type", rcptType), 201, "driver upload")
	if n := len(e.do("GET", "/v1/cases/"+otherCase+"/receipts", RoleOperator, "").json(t)["receipts"].([]any)); n != 1 {
		t.Fatalf("the other case has %d receipts, want 1", n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAccessMatrixSessions: an account signed in with a session has the
// rights of its role, as a token of that role has.
func TestAccessMatrixSessions(t *testing.T) {
	e := newEnv(t)
	caseID, _, _ := e.createCase(sampleCase)
	eps := []struct {
		method, path, body string
		ok                 int
		allowed            []string
	}{
		{"GET", "/v1/tokens", "", 200, []string{RoleAdmin}},
		{"GET", "/v1/queue", "", 200, []string{RoleAdmin, RoleOperator}},
		{"GET", "/v1/cases", "", 200, []string{RoleAdmin, RoleOperator, RoleClaims}},
		{"GET", "/v1/cases/" + caseID, "", 200, []string{RoleAdmin, RoleOperator, RoleClaims}},
		{"POST", "/v1/cases", sampleCase, 201, []string{RoleAdmin, RoleOperator}},
		{"POST", "/v1/cases/" + caseID + "/notes", `{"text": "x"}`, 201, []string{RoleAdmin, RoleOperator}},
		{"POST", "/v1/claims/settlements", claimBody, 200, []string{RoleAdmin, RoleClaims}},
		{"GET", "/v1/jobs", "", 200, []string{RoleAdmin, RoleOperator}},
		{"POST", "/v1/accounts", "", 0, []string{RoleAdmin}},
	}
	for _, role := range []string{RoleAdmin, RoleOperator, RoleClaims} {
		e.newAccount(role, role+"@desk.example", "a long passphrase")
		sess, r := e.signIn(role+"@desk.example", "a long passphrase")
		e.wantStatus(r, http.StatusCreated, "sign in as "+role)
		for _, ep := range eps {
			body := ep.body
			if ep.path == "/v1/accounts" {
				body = `{"email": "new-` + role + `@desk.example", "name": "N", "role": "operator"}`
				ep.ok = 201
			}
			got := e.do(ep.method, ep.path, "", body, sess.hdr(ep.method != "GET")...)
			want := ep.ok
			if !contains(ep.allowed, role) {
				want = http.StatusForbidden
			}
			if got.status != want {
				t.Errorf("%s %s with a %s session: %d, want %d: %s", ep.method, ep.path, role, got.status, want, got.body)
			}
		}
	}
}

// problemOf2 is a problem document's type, title and detail.
func problemOf2(t *testing.T, r resp) string {
	t.Helper()
	m := r.json(t)
	return fmt.Sprint(m["type"], m["title"], m["detail"])
}
