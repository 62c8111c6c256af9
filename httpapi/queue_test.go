package httpapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestOperatorsDesk: place search and a position in words, the queue with
// an owner taken and the overdue mark, a note, and a decision made again
// when the facts change, each version readable.
func TestOperatorsDesk(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/v1/places?q=leonb&limit=3", RoleOperator, "")
	e.wantStatus(r, http.StatusOK, "search")
	first := r.json(t)["places"].([]any)[0].(map[string]any)
	if first["name"] != "Leonberg" || first["country"] != "DE" || !strings.Contains(first["label"].(string), "Baden-Württemberg") {
		t.Fatalf("first place %v", first)
	}
	r = e.do("GET", "/v1/places/describe?lat=48.85&lon=9.05&lang=de", RoleOperator, "")
	e.wantStatus(r, http.StatusOK, "describe")
	if txt := r.json(t)["text"]; !strings.Contains(txt.(string), "Stuttgart") || !strings.Contains(txt.(string), "km") {
		t.Fatalf("in words: %v", txt)
	}

	op := e.newAccount(RoleOperator, "op@desk.example", "a long passphrase")
	sess, _ := e.signIn("op@desk.example", "a long passphrase")
	id, _, _ := e.createCase(sampleCase)
	take := e.do("POST", "/v1/cases/"+id+"/owner", "", `{"owner": "`+op.ID+`"}`, sess.hdr(true, "If-Match", `"1"`)...)
	e.wantStatus(take, http.StatusOK, "take")
	if take.json(t)["owner"] != op.ID || take.header.Get("ETag") != `"2"` {
		t.Fatalf("taken: %s", take.body)
	}
	q := e.do("GET", "/v1/queue", RoleOperator, "")
	e.wantStatus(q, http.StatusOK, "queue")
	qc := q.json(t)
	entry := qc["cases"].([]any)[0].(map[string]any)
	if qc["response_minutes"] != 45.0 || entry["id"] != id || entry["owner"] != op.ID || entry["overdue"] != false || entry["job"] != nil {
		t.Fatalf("queue %s", q.body)
	}
	e.advance(46 * time.Minute)
	if entry := e.do("GET", "/v1/queue", RoleOperator, "").json(t)["cases"].([]any)[0].(map[string]any); entry["overdue"] != true || entry["waiting_seconds"].(float64) < 46*60 {
		t.Fatalf("after 46 minutes: %v", entry)
	}
	note := e.do("POST", "/v1/cases/"+id+"/notes", "", `{"text": "Driver waits behind the barrier."}`, sess.hdr(true)...)
	e.wantStatus(note, http.StatusCreated, "note")

	// The roadside repair failed: the tow comes, help on the spot goes.
	p := e.do("PATCH", "/v1/cases/"+id, RoleOperator, `{"repair": {"roadside_possible": true}}`, "If-Match", `"2"`)
	e.wantStatus(p, http.StatusOK, "patch")
	p = e.do("PATCH", "/v1/cases/"+id, RoleOperator, `{"repair": {"roadside_possible": false}}`, "If-Match", p.header.Get("ETag"))
	e.wantStatus(p, http.StatusOK, "patch again")
	evs := e.do("GET", "/v1/cases/"+id+"/events", RoleOperator, "").json(t)["events"].([]any)
	var kinds []string
	var lastDecided map[string]any
	for _, x := range evs {
		ev := x.(map[string]any)
		kinds = append(kinds, ev["kind"].(string))
		if ev["kind"] == "decided" {
			lastDecided = ev["data"].(map[string]any)
		}
	}
	if got := strings.Join(kinds, " "); !strings.Contains(got, "owner_changed note_added facts_patched decided facts_patched decided") {
		t.Fatalf("timeline %s", got)
	}
	if lastDecided["decision_no"] != 3.0 || !strings.Contains(mustString(lastDecided["gained"]), "tow") || !strings.Contains(mustString(lastDecided["lost"]), "roadside_repair") {
		t.Fatalf("last decision %v", lastDecided)
	}
	for no, want := range map[string]string{"2": "roadside_repair", "3": `"code":"tow"`} {
		d := e.do("GET", "/v1/cases/"+id+"/decisions/"+no+"?lang=en", RoleOperator, "")
		if e.wantStatus(d, http.StatusOK, "decision "+no); !strings.Contains(string(d.body), want) {
			t.Errorf("decision %s lacks %s: %s", no, want, d.body)
		}
	}
}

func mustString(v any) string {
	var b strings.Builder
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			b.WriteString(x.(string) + " ")
		}
	}
	return b.String()
}
