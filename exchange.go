package roadcover

import (
	"fmt"
	"math/big"
	"strconv"

	"golang.org/x/text/currency"
)

// RateQuote is a euro reference rate as used for a day.
type RateQuote struct {
	Currency  string
	Rate      float64 // units of Currency per 1 EUR
	Text      string  // the rate as published
	Day       Date
	Published Date // the day the rate was published (≤ Day)
}

// Convert converts m with a euro reference rate (units of the other currency
// per 1 EUR, as EuroRate gives it): from EUR into to, or from to's currency
// into EUR (to == "EUR"). It is the one place amounts are rounded:
//
//   - the arithmetic is exact on the rate as published (7.4604 is 74604/10000,
//     not its nearest binary fraction);
//   - the result is rounded once, half away from zero, to the minor unit of
//     the target currency (ISO 4217 digits from CLDR: cents for DKK, SEK,
//     GBP; whole krónur for ISK, whole yen for JPY).
//
// Money keeps hundredths of a unit, so an amount in ISK or JPY comes out as
// a whole number of units (Minor a multiple of 100). Converting between two
// currencies other than EUR is refused: go through EUR with two rates.
func Convert(m Money, to string, rate float64) (Money, error) {
	if m.Currency == to {
		return m, nil
	}
	if m.Currency != "EUR" && to != "EUR" {
		return Money{}, fmt.Errorf("money: convert %s to %s: one side must be EUR", m.Currency, to)
	}
	if !(rate > 0) || rate > 1e12 {
		return Money{}, fmt.Errorf("money: convert %s to %s: %v is not a rate", m.Currency, to, rate)
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(rate, 'f', -1, 64))
	if !ok {
		return Money{}, fmt.Errorf("money: convert %s to %s: %v is not a rate", m.Currency, to, rate)
	}
	digits, err := minorDigits(to)
	if err != nil {
		return Money{}, err
	}
	v := new(big.Rat).SetInt64(m.Minor) // hundredths of m.Currency
	if to == "EUR" {
		v.Quo(v, r)
	} else {
		v.Mul(v, r)
	}
	// step: hundredths per smallest unit of the target (1 for cents, 100
	// for whole units).
	step := int64(1)
	for d := digits; d < 2; d++ {
		step *= 10
	}
	v.Quo(v, new(big.Rat).SetInt64(step))
	q := roundHalfAway(v)
	q.Mul(q, big.NewInt(step))
	if !q.IsInt64() {
		return Money{}, fmt.Errorf("money: convert %s to %s: amount out of range", m, to)
	}
	return Money{Minor: q.Int64(), Currency: to}, nil
}

// roundHalfAway rounds v to the nearest integer, halves away from zero.
func roundHalfAway(v *big.Rat) *big.Int {
	num := new(big.Int).Set(v.Num())
	den := v.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	// (2·num + den) / (2·den), truncated
	n2 := new(big.Int).Lsh(num, 1)
	n2.Add(n2, den)
	q := n2.Quo(n2, new(big.Int).Lsh(den, 1))
	if neg {
		q.Neg(q)
	}
	return q
}

// minorDigits is the number of decimals of the currency's minor unit, at
// most 2 (Money keeps hundredths).
func minorDigits(code string) (int, error) {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 0, fmt.Errorf("money: %q is not an ISO 4217 currency", code)
	}
	scale, _ := currency.Standard.Rounding(u)
	return min(scale, 2), nil
}
