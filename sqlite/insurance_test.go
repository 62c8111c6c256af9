package sqlite

import (
	"path/filepath"
	"testing"

	"roadcover/storetest"
)

func TestInsuranceImmutable(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "imm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.InsuranceImmutable(t, s, s.ExecRaw)
}
