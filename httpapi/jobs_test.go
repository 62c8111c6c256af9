package httpapi

import (
	"fmt"
	"net/http"
	"testing"
)

// TestJobPages: GET /v1/jobs pages through a partner's jobs oldest first,
// each job once, with next on every page but the last; status narrows
// before the page is cut.
func TestJobPages(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := 0; i < 7; i++ {
		caseID, _, _ := e.createCase(sampleCase)
		j := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`)
		e.wantStatus(j, http.StatusCreated, "dispatch")
		want = append(want, j.json(t)["id"].(string))
	}
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+want[2], RolePartner, `{"status": "EN_ROUTE"}`), http.StatusOK, "en route")
	var got []string
	pages := 0
	for after := ""; ; {
		r := e.do("GET", "/v1/jobs?limit=3&after="+after, RolePartner, "")
		e.wantStatus(r, http.StatusOK, "page")
		m := r.json(t)
		pages++
		for _, j := range m["jobs"].([]any) {
			got = append(got, j.(map[string]any)["id"].(string))
		}
		next, _ := m["next"].(string)
		if next == "" {
			break
		}
		after = next
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
		t.Errorf("%d pages of %v, want 3 of %v", pages, got, want)
	}
	r := e.do("GET", "/v1/jobs?status=EN_ROUTE&limit=1", RolePartner, "")
	if m := r.json(t); len(m["jobs"].([]any)) != 1 || m["jobs"].([]any)[0].(map[string]any)["id"] != want[2] || m["next"] != nil {
		t.Errorf("EN_ROUTE jobs: %s", r.body)
	}
	bad := e.do("GET", "/v1/jobs?limit=0&status=LOST", RoleOperator, "")
	e.wantStatus(bad, http.StatusUnprocessableEntity, "bad limit and status")
	if f := problemFields(t, bad); fmt.Sprint(f) != "[limit status]" {
		t.Errorf("fields %v", f)
	}
}
