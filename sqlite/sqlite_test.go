package sqlite

import (
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
