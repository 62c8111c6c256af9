package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"roadcover/storetest"
)

func TestStore(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "suite.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Run(t, s)
}

func TestEventsImmutable(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "imm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Immutable(t, s, s.ExecRaw)
}

// BenchmarkCreateCase measures durable case creation with the shipped
// setting (synchronous=FULL).
func BenchmarkCreateCase(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCreate(b, s)
}

// BenchmarkCreateCaseNormal is the same with synchronous=NORMAL, to show
// what syncing every commit costs; the store does not ship with it.
func BenchmarkCreateCaseNormal(b *testing.B) {
	s, err := OpenWith(context.Background(), filepath.Join(b.TempDir(), "bench.db"), Options{Synchronous: "NORMAL"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchCreate(b, s)
}

// TestSharedWork: two stores on one file (two processes' connections)
// share the jobs; each job is worked once.
func TestSharedWork(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	storetest.SharedWork(t, a, b, 40)
}
