package calendar

import (
	"strings"
	"sync"
	"testing"

	"roadcover"
)

func d(s string) roadcover.Date {
	v, err := roadcover.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestAddWorkdays(t *testing.T) {
	c := New()
	for _, tc := range []struct {
		country, from string
		n             int
		want          string
	}{
		// Wednesday + 5 working days: next Wednesday.
		{"DE", "2026-11-18", 5, "2026-11-25"},
		// Over Christmas and New Year in Germany: 24 Dec is a working day,
		// then 28, 29, 30, 31 Dec and 4 Jan.
		{"DE", "2026-12-23", 5, "2026-12-31"},
		{"DE", "2026-12-23", 6, "2027-01-04"},
		// Denmark: Maundy Thursday, Good Friday, Easter Monday 2026.
		{"DK", "2026-04-01", 1, "2026-04-07"},
		// Portugal: Corpus Christi (Thu 4 Jun) and Portugal Day (Wed 10 Jun).
		{"PT", "2026-06-03", 3, "2026-06-09"},
		{"PT", "2026-06-03", 5, "2026-06-12"},
		// Carnival is optional: a working day.
		{"PT", "2026-02-16", 1, "2026-02-17"},
		// Sweden: Midsummer Eve is optional, counted as a working day.
		{"SE", "2026-06-18", 1, "2026-06-19"},
		// Friday + 1 = Monday.
		{"GB", "2026-11-20", 1, "2026-11-23"},
		// England and Wales 2027: substitute days on 27 and 28 Dec.
		{"GB", "2027-12-24", 1, "2027-12-29"},
		// Ten working days abroad, Finland at Christmas 2025.
		{"FI", "2025-12-19", 10, "2026-01-08"},
		// Zero days: the day itself.
		{"DE", "2026-11-21", 0, "2026-11-21"},
		// Regions: Bavaria has Epiphany, national Germany does not.
		{"DE-BY", "2026-01-05", 1, "2026-01-07"},
		{"de", "2026-01-05", 1, "2026-01-06"},
	} {
		got, ok := c.AddWorkdays(tc.country, d(tc.from), tc.n)
		if !ok || got != d(tc.want) {
			t.Errorf("AddWorkdays(%s, %s, %d) = %s, %v; want %s", tc.country, tc.from, tc.n, got, ok, tc.want)
		}
	}
}

func TestUnknownIsNeverGuessed(t *testing.T) {
	c := New()
	for _, code := range []string{"HU", "RU", "UA", "TR", "XX", "", "PT-11", "DE-XX", "SE-AB"} {
		if _, ok := c.AddWorkdays(code, d("2026-05-01"), 3); ok {
			t.Errorf("AddWorkdays(%q) ok; want not known", code)
		}
		if _, ok := c.Workdays(code, d("2026-05-01"), d("2026-05-10")); ok {
			t.Errorf("Workdays(%q) ok; want not known", code)
		}
		if _, ok := c.IsWorkday(code, d("2026-05-04")); ok {
			t.Errorf("IsWorkday(%q) ok; want not known", code)
		}
		if c.NotKnown(code) == "" {
			t.Errorf("NotKnown(%q) is empty", code)
		}
	}
	if !strings.Contains(c.NotKnown("HU"), "decree") {
		t.Errorf("NotKnown(HU) = %q; want the reason", c.NotKnown("HU"))
	}
	if !strings.Contains(c.NotKnown("PT-11"), "regional") {
		t.Errorf("NotKnown(PT-11) = %q", c.NotKnown("PT-11"))
	}
	if c.NotKnown("PT") != "" || c.NotKnown("ch-zh") != "" {
		t.Error("NotKnown of a known country is not empty")
	}
	// Out of the known years.
	if _, ok := c.AddWorkdays("DE", d("2099-12-30"), 5); ok {
		t.Error("AddWorkdays past LastYear ok")
	}
	if _, ok := c.IsWorkday("DE", d("1999-12-31")); ok {
		t.Error("IsWorkday before FirstYear ok")
	}
}

func TestWorkdaysAndNonWorkingDays(t *testing.T) {
	c := New()
	n, ok := c.Workdays("DE", d("2026-12-23"), d("2027-01-04"))
	if !ok || n != 6 {
		t.Fatalf("Workdays DE = %d, %v; want 6", n, ok)
	}
	days, opt, ok := c.NonWorkingDays("DE", d("2026-12-23"), d("2027-01-04"))
	if !ok {
		t.Fatal("not known")
	}
	var got []string
	for _, x := range days {
		got = append(got, x.Date.String()[5:]+" "+x.Reason())
	}
	want := []string{
		"12-25 Weihnachtstag",
		"12-26 weekend; Zweiter Weihnachtsfeiertag",
		"12-27 weekend",
		"01-01 Neujahrstag",
		"01-02 weekend",
		"01-03 weekend",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("non-working days:\n got %q\nwant %q", got, want)
	}
	if len(opt) != 0 {
		t.Errorf("optional days in DE: %v", opt)
	}
	_, opt, _ = c.NonWorkingDays("SE", d("2026-12-23"), d("2027-01-04"))
	if len(opt) != 2 || opt[0].Name != "Julafton" || opt[1].Name != "Nyårsafton" {
		t.Errorf("SE optional days = %v; want Julafton, Nyårsafton", opt)
	}
	if n, ok := c.Workdays("DE", d("2026-12-23"), d("2026-12-23")); !ok || n != 0 {
		t.Errorf("empty span = %d, %v", n, ok)
	}
	if n, ok := c.Workdays("DE", d("2026-12-23"), d("2026-12-01")); !ok || n != 0 {
		t.Errorf("reversed span = %d, %v", n, ok)
	}
	gb, _, _ := c.NonWorkingDays("GB", d("2027-12-24"), d("2027-12-28"))
	if len(gb) != 4 || gb[2].Reason() != "Christmas Day (substitute day)" {
		t.Errorf("GB substitute days = %+v", gb)
	}
}

// Workdays and AddWorkdays count the same span, and AddWorkdays lands on a
// working day, for every day of several years in several countries.
func TestAddAndCountAgree(t *testing.T) {
	c := New()
	for _, code := range []string{"DE", "DK", "PT", "GB", "SE", "FI", "CY", "IS"} {
		for day := d("2024-01-01"); day.Before(d("2027-01-01")); day = day.AddDays(1) {
			for _, n := range []int{1, 3, 5, 10} {
				end, ok := c.AddWorkdays(code, day, n)
				if !ok {
					t.Fatalf("%s %s: not known", code, day)
				}
				if w, _ := c.IsWorkday(code, end); !w {
					t.Fatalf("%s: AddWorkdays(%s, %d) = %s, not a working day", code, day, n, end)
				}
				if got, _ := c.Workdays(code, day, end); got != n {
					t.Fatalf("%s: Workdays(%s, %s) = %d; want %d", code, day, end, got, n)
				}
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New()
	var wg sync.WaitGroup
	res := make([]roadcover.Date, 8)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// 23, 24, 26, 27, 30, 31 Dec, 2, 3, 6, 7 Jan.
			res[i], _ = c.AddWorkdays("PT", d("2030-12-20"), 10)
		}()
	}
	wg.Wait()
	for _, r := range res {
		if r != d("2031-01-07") {
			t.Fatalf("got %s; want 2031-01-07", r)
		}
	}
}

func TestCountries(t *testing.T) {
	c := New()
	seen := map[string]string{}
	for _, k := range c.Countries() {
		seen[k.Code] = k.Source
	}
	for _, code := range []string{"PT", "DE", "DK", "GB", "SE", "DE-BY", "CH-ZH", "AX", "FI", "EE", "LU", "IS", "MT", "CY"} {
		if seen[code] == "" {
			t.Errorf("%s not listed", code)
		}
	}
	if !strings.HasPrefix(seen["PT"], "roadcover") || !strings.Contains(seen["DE"], "rickar/cal") {
		t.Errorf("sources: PT %q, DE %q", seen["PT"], seen["DE"])
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := New()
	from := d("2026-12-18")
	for b.Loop() {
		c.AddWorkdays("DE", from, 10)
	}
}
