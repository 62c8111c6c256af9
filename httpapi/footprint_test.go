package httpapi

import (
	"context"
	"path/filepath"
	"testing"

	"roadcover/internal/pgtest"
	"roadcover/postgres"
	"roadcover/sqlite"
)

// maxBytesPerCase bounds what one case takes in a store: its row, its facts
// and decision once each, and its first events, which refer to them
// instead of copying them.
const maxBytesPerCase = 8 << 10

// TestCaseFootprintSQLite measures the file's growth over 2 000 cases.
func TestCaseFootprintSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := newEnvOn(t, st)
	size := func() int64 {
		n, err := st.Size(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	const n = 2000
	pastCases(t, e, n)
	per := float64(size()-before) / n
	t.Logf("SQLite: %.0f bytes per case", per)
	if per > maxBytesPerCase {
		t.Errorf("a case takes %.0f bytes on SQLite, more than %d", per, maxBytesPerCase)
	}
}

// TestCaseFootprintPostgres measures the tables' growth over 2 000 cases.
func TestCaseFootprintPostgres(t *testing.T) {
	st, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := newEnvOn(t, st)
	size := func() int64 {
		n, err := st.Size(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := size()
	const n = 2000
	pastCases(t, e, n)
	per := float64(size()-before) / n
	t.Logf("PostgreSQL: %.0f bytes per case", per)
	if per > maxBytesPerCase {
		t.Errorf("a case takes %.0f bytes on PostgreSQL, more than %d", per, maxBytesPerCase)
	}
}
