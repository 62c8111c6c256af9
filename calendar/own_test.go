package calendar

import (
	"slices"
	"strings"
	"testing"
)

// The expected lists below are the official holiday lists of each country
// for the year (Saturdays and Sundays included: they are holidays too).
// "opt" lists the optional days, counted as working days.
var officialLists = []struct {
	country string
	year    int
	days    string // statutory holidays, MM-DD
	opt     string // optional days, MM-DD
}{
	// Portugal: Código do Trabalho art. 234; Carnival art. 235.
	{"PT", 2024, "01-01 03-29 03-31 04-25 05-01 05-30 06-10 08-15 10-05 11-01 12-01 12-08 12-25", "02-13"},
	{"PT", 2025, "01-01 04-18 04-20 04-25 05-01 06-10 06-19 08-15 10-05 11-01 12-01 12-08 12-25", "03-04"},
	{"PT", 2026, "01-01 04-03 04-05 04-25 05-01 06-04 06-10 08-15 10-05 11-01 12-01 12-08 12-25", "02-17"},
	// 2014: Corpus Christi, 5 Oct, 1 Nov and 1 Dec suspended.
	{"PT", 2014, "01-01 04-18 04-20 04-25 05-01 06-10 08-15 12-08 12-25", "03-04"},
	{"FI", 2024, "01-01 01-06 03-29 03-31 04-01 05-01 05-09 05-19 06-22 11-02 12-06 12-25 12-26", "06-21 12-24"},
	{"FI", 2025, "01-01 01-06 04-18 04-20 04-21 05-01 05-29 06-08 06-21 11-01 12-06 12-25 12-26", "06-20 12-24"},
	{"FI", 2026, "01-01 01-06 04-03 04-05 04-06 05-01 05-14 05-24 06-20 10-31 12-06 12-25 12-26", "06-19 12-24"},
	{"AX", 2025, "01-01 01-06 04-18 04-20 04-21 05-01 05-29 06-08 06-09 06-21 11-01 12-06 12-25 12-26", "06-20 12-24"},
	{"EE", 2024, "01-01 02-24 03-29 03-31 05-01 05-19 06-23 06-24 08-20 12-24 12-25 12-26", ""},
	{"EE", 2025, "01-01 02-24 04-18 04-20 05-01 06-08 06-23 06-24 08-20 12-24 12-25 12-26", ""},
	{"EE", 2026, "01-01 02-24 04-03 04-05 05-01 05-24 06-23 06-24 08-20 12-24 12-25 12-26", ""},
	{"LU", 2018, "01-01 04-02 05-01 05-10 05-21 06-23 08-15 11-01 12-25 12-26", ""},
	{"LU", 2025, "01-01 04-21 05-01 05-09 05-29 06-09 06-23 08-15 11-01 12-25 12-26", ""},
	{"LU", 2026, "01-01 04-06 05-01 05-09 05-14 05-25 06-23 08-15 11-01 12-25 12-26", ""},
	{"IS", 2024, "01-01 03-28 03-29 03-31 04-01 04-25 05-01 05-09 05-19 05-20 06-17 08-05 12-25 12-26", "12-24 12-31"},
	{"IS", 2025, "01-01 04-17 04-18 04-20 04-21 04-24 05-01 05-29 06-08 06-09 06-17 08-04 12-25 12-26", "12-24 12-31"},
	{"IS", 2026, "01-01 04-02 04-03 04-05 04-06 04-23 05-01 05-14 05-24 05-25 06-17 08-03 12-25 12-26", "12-24 12-31"},
	{"MT", 2025, "01-01 02-10 03-19 03-31 04-18 05-01 06-07 06-29 08-15 09-08 09-21 12-08 12-13 12-25", ""},
	{"MT", 2026, "01-01 02-10 03-19 03-31 04-03 05-01 06-07 06-29 08-15 09-08 09-21 12-08 12-13 12-25", ""},
	// Cyprus: movable days follow Orthodox Easter (2024-05-05, 2025-04-20, 2026-04-12).
	{"CY", 2024, "01-01 01-06 03-18 03-25 04-01 05-01 05-03 05-05 05-06 06-24 08-15 10-01 10-28 12-25 12-26", "05-07 12-24"},
	{"CY", 2025, "01-01 01-06 03-03 03-25 04-01 04-18 04-20 04-21 05-01 06-09 08-15 10-01 10-28 12-25 12-26", "04-22 12-24"},
	{"CY", 2026, "01-01 01-06 02-23 03-25 04-01 04-10 04-12 04-13 05-01 06-01 08-15 10-01 10-28 12-25 12-26", "04-14 12-24"},
	// Countries from cal/v2 whose lists this package relies on for the markets.
	{"DE", 2026, "01-01 04-03 04-06 05-01 05-14 05-25 10-03 12-25 12-26", ""},
	// Bavaria: the Assumption (15 Aug) is a holiday only in its mainly
	// Catholic municipalities, so not in the state-wide list.
	{"DE-BY", 2026, "01-01 01-06 04-03 04-06 05-01 05-14 05-25 06-04 10-03 11-01 12-25 12-26", ""},
	// Denmark: Great Prayer Day abolished from 2024; Constitution Day optional.
	{"DK", 2023, "01-01 04-06 04-07 04-10 05-05 05-18 05-29 12-25 12-26", "06-05"},
	{"DK", 2025, "01-01 04-17 04-18 04-21 05-29 06-09 12-25 12-26", "06-05"},
	{"SE", 2025, "01-01 01-06 04-18 04-21 05-01 05-29 06-06 06-21 11-01 12-25 12-26", "06-20 12-24 12-31"},
	// England and Wales 2027: Christmas (Sat) and Boxing Day (Sun) move to 27 and 28 Dec.
	{"GB", 2027, "01-01 03-26 03-29 05-03 05-31 08-30 12-25 12-26 12-27 12-28", ""},
	{"CH", 2026, "01-01 05-14 08-01 12-25", ""},
}

func TestOfficialLists(t *testing.T) {
	c := New()
	for _, tc := range officialLists {
		hs, ok := c.Holidays(tc.country, tc.year)
		if !ok {
			t.Errorf("%s %d: not known", tc.country, tc.year)
			continue
		}
		var got, gotOpt []string
		for _, h := range hs {
			if h.Date.Year != tc.year {
				t.Errorf("%s %d: %s is in another year", tc.country, tc.year, h.Date)
			}
			md := h.Date.String()[5:]
			if h.Optional {
				gotOpt = append(gotOpt, md)
			} else if !slices.Contains(got, md) {
				got = append(got, md)
			}
		}
		slices.Sort(got)
		slices.Sort(gotOpt)
		if w := strings.Fields(tc.days); !slices.Equal(got, w) {
			t.Errorf("%s %d statutory:\n got %v\nwant %v", tc.country, tc.year, got, w)
		}
		if w := strings.Fields(tc.opt); !slices.Equal(gotOpt, w) {
			t.Errorf("%s %d optional:\n got %v\nwant %v", tc.country, tc.year, gotOpt, w)
		}
	}
}

func TestPortugalNames(t *testing.T) {
	c := New()
	hs, _ := c.Holidays("PT", 2026)
	names := map[string]string{}
	for _, h := range hs {
		names[h.Date.String()] = h.Name
	}
	for day, want := range map[string]string{
		"2026-04-03": "Sexta-feira Santa", "2026-06-04": "Corpo de Deus",
		"2026-02-17": "Carnaval", "2026-04-25": "Dia da Liberdade",
	} {
		if names[day] != want {
			t.Errorf("%s: got %q, want %q", day, names[day], want)
		}
	}
}
