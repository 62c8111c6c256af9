package postgres

import (
	"testing"

	"roadcover/storetest"
)

func TestInsuranceImmutable(t *testing.T) {
	s := open(t)
	storetest.InsuranceImmutable(t, s, s.ExecRaw)
}
