package policies

import (
	"testing"
	"time"

	"roadcover"
	"roadcover/terms"
)

func TestParseIDNumber(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		kind     HolderKind
		ok       bool
	}{
		{"19811218-9876", "19811218-9876", Person, true},
		{"198112189876", "19811218-9876", Person, true},
		{"20040229-1231", "20040229-1231", Person, true}, // born on a leap day
		{"19811218-9875", "", "", false},                 // check digit
		{"811218-9876", "", "", false},                   // no century
		{"556677-8899", "556677-8899", Organisation, true},
		{"165566778899", "556677-8899", Organisation, true},
		{"556677-8898", "", "", false},
		{"20050229-1234", "", "", false}, // 2005 had no 29 February
		{"19811218-98X6", "", "", false},
	} {
		got, kind, err := ParseIDNumber(tc.in)
		if (err == nil) != tc.ok || got != tc.want || kind != tc.kind {
			t.Errorf("%s: got %q %q %v", tc.in, got, kind, err)
		}
	}
	// A samordningsnummer (day of birth + 60) is a person: one of these ten
	// check digits is right.
	valid := 0
	for c := '0'; c <= '9'; c++ {
		n := "19811278-987" + string(c)
		if got, k, err := ParseIDNumber(n); err == nil {
			valid++
			if k != Person || got != n {
				t.Errorf("%s: %q %v", n, got, k)
			}
		}
	}
	if valid != 1 {
		t.Errorf("%d of ten check digits accepted", valid)
	}
}

func TestParseVIN(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"LPSED3KA4NL012345", true},
		{"lpsed3ka4nl012345", true},
		{"LPSED3KA5NL012345", false}, // check digit of a Chinese VIN
		{"YV1LFA2V0K1234567", true},  // European: no check digit required
		{"LPSED3KA4NL01234", false},  // 16 characters
		{"LPSED3KA4NLO12345", false}, // O is not allowed
		{"1G1YY22G965104971", false}, // North American with a wrong check digit
		{"1M8GDM9AXKP042788", true},  // North American, check digit X
	} {
		if _, err := ParseVIN(tc.in); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.in, err)
		}
	}
}

func TestParseRegistration(t *testing.T) {
	for _, tc := range []struct {
		in, want     string
		personalised bool
		ok           bool
	}{
		{"ABC 123", "ABC123", false, true},
		{"abc12d", "ABC12D", false, true},
		{"ABC12O", "ABC12O", true, true}, // not a standard plate (O last), but a valid personalised text
		{"MAJA", "MAJA", true, true},
		{"X", "", false, false},
		{"12345", "", false, false},
		{"ABCDEFGH", "", false, false},
		{"AB-12", "", false, false},
	} {
		got, pers, err := ParseRegistration(tc.in)
		if (err == nil) != tc.ok || got != tc.want || pers != tc.personalised {
			t.Errorf("%s: got %q %v %v", tc.in, got, pers, err)
		}
	}
}

func TestSwedishTime(t *testing.T) {
	for _, tc := range []struct{ utc, want string }{
		{"2026-03-29T00:59:59Z", "2026-03-29T01:59:59+01:00"}, // the last second of winter time
		{"2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00"}, // summer time begins
		{"2026-10-25T00:59:59Z", "2026-10-25T02:59:59+02:00"},
		{"2026-10-25T01:00:00Z", "2026-10-25T02:00:00+01:00"}, // summer time ends
		{"2026-12-31T23:30:00Z", "2027-01-01T00:30:00+01:00"},
	} {
		u, _ := time.Parse(time.RFC3339, tc.utc)
		if got := SwedishTime(u).Format(time.RFC3339); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.utc, got, tc.want)
		}
	}
}

func TestWarrantyEnds(t *testing.T) {
	for _, tc := range []struct{ first, want string }{
		{"2023-05-02", "2026-05-02"},
		{"2024-02-29", "2027-02-28"},
		{"2023-01-31", "2026-01-31"},
	} {
		f, _ := roadcover.ParseDate(tc.first)
		got := Car{FirstRegistered: f}.WarrantyEnds(3)
		if got.String() != tc.want {
			t.Errorf("%s: got %s, want %s", tc.first, got, tc.want)
		}
		// the engine's own age: three on that day, two the day before
		if f.WholeYearsUntil(got) != 3 || f.WholeYearsUntil(got.AddDays(-1)) != 2 {
			t.Errorf("%s: %s is not the third birthday as the engine counts it", tc.first, got)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2031-08-31", 6, "2032-02-29"},
		{"2026-04-15", 12, "2027-04-15"},
		{"2026-03-31", -1, "2026-02-28"},
	} {
		d, _ := roadcover.ParseDate(tc.from)
		if got := AddMonths(d, tc.n).String(); got != tc.want {
			t.Errorf("%s + %d: got %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

// TestTextsAndClauses: every note has our text in all five languages, and
// every clause a note or parameter cites is in the terms' index.
func TestTextsAndClauses(t *testing.T) {
	v, ok := terms.ByID("insurance-se-2021-10")
	if !ok {
		t.Fatal("no insurance terms")
	}
	for code, tx := range texts {
		for _, l := range roadcover.Languages {
			if tx[l] == "" {
				t.Errorf("%s: no text in %s", code, l)
			}
		}
	}
	prm, err := ParamsOn(v.From())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prm.All() {
		if !v.HasClause(p.Clause) {
			t.Errorf("parameter %s cites %s, not in the index", p.Name, p.Clause)
		}
	}
	for _, n := range []Note{{"issued", "1.3"}, {"changed", "1.3"}, {"cancelled", "5"}, {"auto_collision", "5.10"}, {"renewed", "5.1"},
		{"period_from_letter_date", "5.1"}, {"period_from_signing_hour", "5.1"}, {"period_from_next_day", "5.1"},
		{"period_one_year", "5.1"}, {"period_to_due_date", "5.1"}, {"e_invoice", "5.2"}, {"paper_invoice_fee", "5.2"}} {
		if !v.HasClause(n.Clause) {
			t.Errorf("note %s cites %s, not in the index", n.Code, n.Clause)
		}
		if _, ok := texts[n.Code]; !ok {
			t.Errorf("note %s has no text", n.Code)
		}
	}
	for cv, cl := range coverClause {
		if !v.HasClause(cl) {
			t.Errorf("cover %s cites %s, not in the index", cv, cl)
		}
	}
}
