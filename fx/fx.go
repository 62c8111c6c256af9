// Package fx implements the local-currency equivalents of the EUR limits of
// the Polestar Assistance terms (2023 texts: "EUR or the equivalent in local
// currency") from the euro foreign exchange reference rates published by
// the European Central Bank, imported from its CSV files by an operator.
//
// Rules:
//   - A rate is the one published for the day, or else for the last
//     published day before it (the ECB publishes no rates on weekends and
//     TARGET holidays). The day it was published is always returned.
//   - A rate published more than MaxStaleDays calendar days before the day
//     asked is not used: a stale file is said, not used silently.
//   - Nothing is invented: a currency the imported files do not give is not
//     known. This includes the currencies the ECB does not publish (GIP,
//     ALL, BAM, MKD, MDL, UAH, BYN, RSD, and RUB since March 2022): they
//     are known only when an operator imports a file in the ECB layout that
//     gives them. Gibraltar's GIP is at par with GBP, but it is not pegged
//     here: a GIP rate must be imported like any other.
//   - Conversion of amounts is exact decimal arithmetic with one rounding,
//     in Convert.
package fx

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"roadcover"
)

// MaxStaleDays is the most calendar days a published rate may be older than
// the day it is used for. The ECB's longest regular gap (Easter, Christmas
// to New Year) is four days; two weeks leaves room for a late import.
const MaxStaleDays = 14

// point is one published rate.
type point struct {
	day   roadcover.Date
	text  string  // the rate as published, e.g. "7.4604"
	value float64 // the same, parsed
}

// Rates holds euro reference rates by currency and day. A Rates is not
// changed after it is built, so it is safe for concurrent use. The zero
// value and nil hold no rates.
type Rates struct {
	cols   []string           // currencies in column order (for writing)
	series map[string][]point // by currency, ascending by day
}

// Quote is a rate as used for a day.
type Quote = roadcover.RateQuote

// Currencies lists the currencies with at least one rate, in column order.
func (r *Rates) Currencies() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, c := range r.cols {
		if len(r.series[c]) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Span returns the first and last days with any rate; ok is false when r
// holds no rates.
func (r *Rates) Span() (first, last roadcover.Date, ok bool) {
	if r == nil {
		return first, last, false
	}
	for _, s := range r.series {
		if len(s) == 0 {
			continue
		}
		if !ok || s[0].day.Before(first) {
			first = s[0].day
		}
		if !ok || last.Before(s[len(s)-1].day) {
			last = s[len(s)-1].day
		}
		ok = true
	}
	return first, last, ok
}

// EuroRate returns units of currency per 1 EUR on day, from the rate of
// that day or of the last published day before it, and which day that was.
// ok is false when no rate is known, or the last one is older than
// MaxStaleDays. EUR itself is 1 on every day.
func (r *Rates) EuroRate(currency string, day roadcover.Date) (rate float64, published roadcover.Date, ok bool) {
	q, err := r.Quote(currency, day)
	if err != nil {
		return 0, roadcover.Date{}, false
	}
	return q.Rate, q.Published, true
}

// Quote is EuroRate with the reason when no rate can be used: the error is
// a *roadcover.Error with code unknown_rate saying why.
func (r *Rates) Quote(currency string, day roadcover.Date) (Quote, error) {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	if cur == "EUR" {
		return Quote{Currency: "EUR", Rate: 1, Text: "1", Day: day, Published: day}, nil
	}
	var s []point
	if r != nil {
		s = r.series[cur]
	}
	if len(s) == 0 {
		if r == nil || len(r.series) == 0 {
			return Quote{}, unknown("no euro reference rates have been imported, so no %s rate is known", cur)
		}
		return Quote{}, unknown("the imported rates give no %s rate", cur)
	}
	i := sort.Search(len(s), func(i int) bool { return day.Before(s[i].day) }) - 1
	if i < 0 {
		return Quote{}, unknown("no %s rate is known on or before %s (the first is of %s)", cur, day, s[0].day)
	}
	p := s[i]
	if age := daysBetween(p.day, day); age > MaxStaleDays {
		return Quote{}, unknown("the last %s rate on or before %s was published on %s, %d days earlier; rates older than %d days are not used",
			cur, day, p.day, age, MaxStaleDays)
	}
	return Quote{Currency: cur, Rate: p.value, Text: p.text, Day: day, Published: p.day}, nil
}

func unknown(format string, args ...any) error {
	return roadcover.Errorf(roadcover.CodeUnknownRate, fmt.Sprintf(format, args...))
}

func daysBetween(a, b roadcover.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// parseRate reads a published rate: a positive plain decimal.
func parseRate(s string) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty value (write N/A when there is no rate)")
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return 0, fmt.Errorf("%q is not a rate (a positive decimal such as 7.4604, or N/A)", s)
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive rate", s)
	}
	return v, nil
}
