package reimbursement

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"roadcover"
)

// TestTextsInEveryLanguage checks that every reason has a text of its own in
// each of the five languages, with placeholders the renderer knows.
func TestTextsInEveryLanguage(t *testing.T) {
	known := map[string]bool{"value": true, "n": true, "of": true, "max": true, "day": true, "what": true, "rate": true}
	for code, tt := range texts {
		seen := map[string]bool{}
		for _, l := range roadcover.Languages {
			s, ok := tt[l]
			if !ok || s == "" {
				t.Errorf("%s: no %s text", code, l)
				continue
			}
			if seen[s] && l != roadcover.English {
				t.Errorf("%s: the %s text is the same as another language's", code, l)
			}
			seen[s] = true
			for rest := s; ; {
				i := strings.IndexByte(rest, '{')
				if i < 0 {
					break
				}
				j := strings.IndexByte(rest[i:], '}')
				if j < 0 || !known[rest[i+1:i+j]] {
					t.Errorf("%s (%s): unknown placeholder in %q", code, l, s)
					break
				}
				rest = rest[i+j+1:]
			}
		}
	}
	for _, r := range Readings {
		for _, l := range roadcover.Languages {
			if r.Text[l] == "" {
				t.Errorf("reading %s: no %s text", r.ID, l)
			}
		}
	}
}

// TestLineInAnotherLanguage renders a stored line again in each language
// from its codes and values.
func TestLineInAnotherLanguage(t *testing.T) {
	l := Line{Reason: ReasonLimitPerNight, Language: roadcover.English, Steps: []Step{{Code: ReasonLimitPerNight, Clause: "1.3.2",
		Value: roadcover.Money{Minor: 20000, Currency: "EUR"}, N: 6}}}
	want := map[roadcover.Language]string{
		roadcover.English: "Cut to the limit of 200.00 EUR per person and night; person-nights counted: 6.",
		roadcover.German:  "Gekürzt auf die Grenze von 200,00 EUR pro Person und Nacht; gezählte Personennächte: 6.",
		roadcover.Danish:  "Nedsat til grænsen på 200,00 EUR per person og nat; personnætter talt med: 6.",
	}
	for lang, w := range want {
		got := l.In(lang)
		if got.Text != w || got.Steps[0].Text != w || got.Language != lang {
			t.Errorf("%s: %q", lang, got.Text)
		}
	}
	if l.Steps[0].Text != "" {
		t.Error("In changed the line it was called on")
	}
}

// TestStandardVAT checks the table on known rates and their changes.
func TestStandardVAT(t *testing.T) {
	for _, c := range []struct {
		country string
		day     roadcover.Date
		bp      int64
		ok      bool
	}{
		{"DK", day(2026, 7, 1), 2500, true},
		{"DE", day(2026, 7, 1), 1900, true},
		{"PT", day(2023, 5, 1), 2300, true},
		{"GB", day(2022, 1, 1), 2000, true},
		{"FI", day(2024, 8, 31), 2400, true},
		{"FI", day(2024, 9, 1), 2550, true},
		{"AX", day(2024, 9, 1), 2550, true},
		{"EE", day(2025, 6, 30), 2200, true},
		{"EE", day(2025, 7, 1), 2400, true},
		{"LU", day(2023, 6, 1), 1600, true},
		{"LU", day(2024, 6, 1), 1700, true},
		{"CH", day(2023, 12, 31), 770, true},
		{"CH", day(2024, 1, 1), 810, true},
		{"TR", day(2023, 7, 10), 2000, true},
		{"SK", day(2025, 1, 1), 2300, true},
		{"RO", day(2025, 8, 1), 2100, true},
		{"GI", day(2026, 1, 1), 0, true},
		{"RU", day(2025, 12, 31), 2000, true},
		{"RU", day(2026, 1, 1), 0, false},
		{"SM", day(2026, 1, 1), 0, false},
		{"DK", day(2020, 12, 31), 0, false},
		{"XX", day(2026, 1, 1), 0, false},
	} {
		bp, _, ok := StandardVAT(c.country, c.day)
		if bp != c.bp || ok != c.ok {
			t.Errorf("%s on %s: %d %v, want %d %v", c.country, c.day, bp, ok, c.bp, c.ok)
		}
	}
	// Every country of the covered area has a rate, apart from the ones the
	// table says it does not know.
	for _, cc := range strings.Fields("AL AD AT BE BY BA BG HR CZ DK EE FI FR MK DE GI GR HU IS IE IT LV LI LT LU MT MC MD ME NL NO PL PT RO RS SK SI ES SE CH TR GB UA CY AX") {
		if _, _, ok := StandardVAT(cc, day(2025, 1, 1)); !ok {
			t.Errorf("no standard VAT rate for %s", cc)
		}
	}
	for gross := int64(1); gross < 100000; gross += 997 {
		for _, bp := range []int64{0, 450, 810, 1900, 2000, 2500, 2550, 2700} {
			v := vatIn(gross, bp)
			net := gross - v
			// net × (1 + rate) is gross within half a minor unit of net's rounding.
			if d := net*(10000+bp) - gross*10000; d > (10000+bp)/2 || d < -(10000+bp)/2 {
				t.Fatalf("vatIn(%d, %d) = %d", gross, bp, v)
			}
		}
	}
}

func TestFormatPercent(t *testing.T) {
	for bp, want := range map[int64]string{2500: "25", 2550: "25.5", 810: "8.1", 450: "4.5", 1905: "19.05"} {
		if got := formatPercent(bp, roadcover.English); got != want {
			t.Errorf("%d: %s, want %s", bp, got, want)
		}
	}
	if got := formatPercent(2550, roadcover.German); got != "25,5" {
		t.Errorf("de: %s", got)
	}
}

// TestPure checks that the package reads no clock, environment or files and
// imports no network, database or process package: time, rates and the
// calendar are passed in.
func TestPure(t *testing.T) {
	forbidden := map[string]bool{"net/http": true, "net": true, "os": true, "os/exec": true, "database/sql": true,
		"io/ioutil": true, "syscall": true}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if forbidden[p] {
				t.Errorf("%s imports %s", f, p)
			}
		}
		for _, call := range []string{"time.Now", "time.Since", "os.Getenv"} {
			if strings.Contains(string(src), call) {
				t.Errorf("%s calls %s", f, call)
			}
		}
	}
}

// FuzzDecodeReceipt: any body either is refused with named fields or gives
// a receipt within the bounds.
func FuzzDecodeReceipt(f *testing.F) {
	for _, s := range []string{
		`{"category":"hotel","amount":"450.00","currency":"EUR","date":"2026-07-03","merchant":"Hotel","persons":2,"nights":2,"service_from":"2026-07-01","arranged_by_assistance":true}`,
		`{"category":"taxi","amount":12.5,"currency":"DKK","date":"2026-07-03","merchant":"Taxa","distance_km":12,"arranged_by_assistance":false,"vat_amount":"2.50"}`,
		`{"category":"collection","amount":"1000","currency":"JPY","date":"2026-07-03","merchant":"JR","mode":"train","arranged_by_assistance":true}`,
		`[]`, `null`, `{"amount":"-1"}`, `{"category":"hotel","nights":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReceipt(data)
		if err != nil {
			ie, ok := err.(*roadcover.InputError)
			if !ok || len(ie.Errors) == 0 {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		if r.Amount.Minor <= 0 || r.Amount.Minor > maxUnits[r.Amount.Currency]*100 || r.Persons < 1 || r.Persons > MaxPersons ||
			r.Merchant == "" || !oneOf(r.Category, Categories) || r.Date.IsZero() {
			t.Fatalf("out of bounds: %+v", r)
		}
		if r.VAT != nil && (r.VAT.Minor >= r.Amount.Minor || r.VAT.Currency != r.Amount.Currency) {
			t.Fatalf("VAT %v of %v", r.VAT, r.Amount)
		}
		if (r.Category == Hotel) != (r.Nights > 0) || ((r.Category == RentalCar || r.Category == LocalRental) != (r.Days > 0)) {
			t.Fatalf("nights or days for %s: %+v", r.Category, r)
		}
	})
}
