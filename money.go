package roadcover

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in integer minor units (cents, pence, öre) of an ISO
// 4217 currency. It is formatted only at the edge.
type Money struct {
	Minor    int64  `json:"-"`
	Currency string `json:"-"`
}

// Units returns whole units of currency as Money (Units(200, "EUR") = 200.00 EUR).
func Units(n int64, currency string) Money { return Money{Minor: n * 100, Currency: currency} }

// Amount formats the amount as a decimal string with two places: "200.00", "-3.05".
func (m Money) Amount() string { return FormatMinor(m.Minor) }

// String is the amount followed by the currency: "200.00 EUR".
func (m Money) String() string { return FormatMinor(m.Minor) + " " + m.Currency }

// ErrOverflow is returned by checked money arithmetic whose result does not
// fit in int64 minor units; ErrCurrencyMismatch when two amounts of different
// currencies are combined. An overflow is an error, never a value.
var (
	ErrOverflow         = errors.New("money: amount out of range")
	ErrCurrencyMismatch = errors.New("money: currencies differ")
)

// Mul multiplies the amount by a whole number; ErrOverflow when the product
// does not fit.
func (m Money) Mul(n int64) (Money, error) {
	v, ok := MulMinor(m.Minor, n)
	if !ok {
		return Money{}, fmt.Errorf("%s × %d: %w", m, n, ErrOverflow)
	}
	return Money{Minor: v, Currency: m.Currency}, nil
}

// Add adds two amounts of one currency.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, fmt.Errorf("%s + %s: %w", m, o, ErrCurrencyMismatch)
	}
	v, ok := AddMinor(m.Minor, o.Minor)
	if !ok {
		return Money{}, fmt.Errorf("%s + %s: %w", m, o, ErrOverflow)
	}
	return Money{Minor: v, Currency: m.Currency}, nil
}

// Sub subtracts o from m (one currency).
func (m Money) Sub(o Money) (Money, error) {
	if o.Minor == math.MinInt64 {
		return Money{}, fmt.Errorf("%s - %s: %w", m, o, ErrOverflow)
	}
	return m.Add(Money{Minor: -o.Minor, Currency: o.Currency})
}

// AddMinor adds two amounts of minor units; ok is false on overflow.
func AddMinor(a, b int64) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, false
	}
	return s, true
}

// MulMinor multiplies minor units by n; ok is false on overflow.
func MulMinor(a, n int64) (int64, bool) {
	if a == 0 || n == 0 {
		return 0, true
	}
	p := a * n
	if p/n != a || (a == -1 && n == math.MinInt64) || (n == -1 && a == math.MinInt64) {
		return 0, false
	}
	return p, true
}

// AppendAmount appends the two-place decimal form of minor units to b.
func AppendAmount(b []byte, minor int64) []byte {
	if minor < 0 {
		b = append(b, '-')
		minor = -minor
	}
	b = strconv.AppendInt(b, minor/100, 10)
	c := minor % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// FormatMinor formats minor units as a decimal string with two places.
func FormatMinor(minor int64) string {
	var buf [24]byte
	return string(AppendAmount(buf[:0], minor))
}

// ErrNotDecimal is returned by ParseMinor for text that is not a plain decimal amount.
var ErrNotDecimal = errors.New("not a decimal amount with at most two places")

// ParseMinor reads a decimal amount ("1500", "1500.5", "-3.05") into minor
// units. More than two decimal places, exponents, thousands separators and
// empty strings are refused: an amount is never rounded on the way in.
func ParseMinor(s string) (int64, error) {
	t := strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, fmt.Errorf("%q: %w", s, ErrNotDecimal)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q: %w", s, ErrNotDecimal)
		}
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("%q: too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return v, nil
}

// PercentOf returns pct percent of minor units, rounded half away from zero
// to the nearest minor unit. It is the one place where percentages of money
// are rounded.
func PercentOf(minor int64, pct int64) int64 {
	return DivRound(minor*pct, 100)
}

// DivRound divides a by b (b > 0), rounding half away from zero.
func DivRound(a, b int64) int64 {
	if a >= 0 {
		return (a + b/2) / b
	}
	return -((-a + b/2) / b)
}
