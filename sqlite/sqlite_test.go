package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"roadcover/store"
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
	storetest.ReceiptsImmutable(t, s, s.ExecRaw)
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

// TestFilesOwnerOnly: the store's files are readable by their owner alone,
// also one made readable by others before.
func TestFilesOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "desk.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), func(tx store.Tx) error {
		return tx.InsertCase(context.Background(), storetest.NewCase("perm-1", time.Now().UTC()))
	}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", p, fi.Mode().Perm())
		}
	}
	s.Close()
	os.Chmod(path, 0o644)
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened: mode %v, want 0600", fi.Mode().Perm())
	}
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
