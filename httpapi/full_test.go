package httpapi

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"roadcover/sqlite"
)

// TestFullStoreAnswers503: a store that cannot write (the file at its size
// limit, as on a full disk) answers writes with 503 and Retry-After, says
// so at /readyz, still serves reads, writes nothing half, and is ready
// again once there is room.
func TestFullStoreAnswers503(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnvOn(t, st)
	e.createCase(sampleCase)
	e.wantStatus(e.do("GET", "/readyz", "", ""), http.StatusOK, "ready")
	before := e.do("GET", "/v1/cases", RoleOperator, "").body
	ctx := context.Background()
	if err := st.ExecRaw(ctx, `PRAGMA max_page_count = 1`); err != nil { // clamps to the pages in use
		t.Fatal(err)
	}
	// Fill the free pages the file still has, until it is full.
	for i := 0; i < 10000; i++ {
		if err := st.ExecRaw(ctx, `INSERT INTO readiness (probe) VALUES (zeroblob(2048))`); err != nil {
			break
		}
	}
	r := e.do("POST", "/v1/cases", RoleOperator, sampleCase)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("a write to a full store: %d %s (Retry-After %q)", r.status, r.body, r.header.Get("Retry-After"))
	}
	if r := e.do("GET", "/readyz", "", ""); r.status != http.StatusServiceUnavailable {
		t.Fatalf("readyz of a full store: %d %s", r.status, r.body)
	}
	if after := e.do("GET", "/v1/cases", RoleOperator, ""); after.status != http.StatusOK || string(after.body) != string(before) {
		t.Fatalf("reads of a full store: %d, changed %v", after.status, string(after.body) != string(before))
	}
	if err := st.ExecRaw(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	e.wantStatus(e.do("GET", "/readyz", "", ""), http.StatusOK, "ready again")
	e.wantStatus(e.do("POST", "/v1/cases", RoleOperator, sampleCase), http.StatusCreated, "a write after room was made")
}
