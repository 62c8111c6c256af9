package roadcover

import (
	"errors"
	"math"
	"testing"
)

func TestCheckedMoney(t *testing.T) {
	eur := func(minor int64) Money { return Money{Minor: minor, Currency: "EUR"} }
	if m, err := eur(20000).Mul(5); err != nil || m.Minor != 100000 {
		t.Fatalf("Mul = %v, %v", m, err)
	}
	for _, n := range []int64{math.MaxInt64, math.MinInt64, 1 << 50} {
		if _, err := eur(20000).Mul(n); !errors.Is(err, ErrOverflow) {
			t.Errorf("Mul(%d) = %v, want ErrOverflow", n, err)
		}
	}
	if _, err := eur(math.MaxInt64).Add(eur(1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("Add overflow = %v", err)
	}
	if _, err := eur(math.MinInt64).Add(eur(-1)); !errors.Is(err, ErrOverflow) {
		t.Errorf("Add underflow = %v", err)
	}
	if _, err := eur(1).Sub(eur(math.MinInt64)); !errors.Is(err, ErrOverflow) {
		t.Errorf("Sub MinInt64 = %v", err)
	}
	if _, err := eur(1).Add(Money{Minor: 1, Currency: "SEK"}); !errors.Is(err, ErrCurrencyMismatch) {
		t.Errorf("Add across currencies = %v", err)
	}
	if m, err := eur(500).Sub(eur(700)); err != nil || m.Minor != -200 {
		t.Errorf("Sub = %v, %v", m, err)
	}
	if v, ok := MulMinor(-1, math.MinInt64); ok {
		t.Errorf("MulMinor(-1, MinInt64) = %d, ok", v)
	}
}
