package roadcover

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestInputErrorOrdersFieldsNaturally(t *testing.T) {
	var e InputError
	for _, f := range []string{"rates.csv:10", "rates.csv:9", "event.kind", "lines.10.x", "lines.2.x"} {
		e.Add(f, "", "bad")
	}
	e.Err()
	want := []string{"event.kind", "lines.2.x", "lines.10.x", "rates.csv:9", "rates.csv:10"}
	for i, f := range e.Errors {
		if f.Field != want[i] {
			t.Fatalf("order %d: got %s, want %s", i, f.Field, want[i])
		}
	}
	if ExitCode(&e) != 2 || ProblemFor(&e).Status != 422 {
		t.Fatal("an input error is exit 2 and HTTP 422")
	}
}

func TestParseMinor(t *testing.T) {
	good := map[string]int64{"1500": 150000, "1500.5": 150050, "0.05": 5, "-3.05": -305}
	for s, want := range good {
		if got, err := ParseMinor(s); err != nil || got != want {
			t.Errorf("ParseMinor(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "1.234", "1e3", "1,000", ".5", "12."} {
		if _, err := ParseMinor(s); err == nil {
			t.Errorf("ParseMinor(%q) must fail", s)
		}
	}
	if FormatMinor(-305) != "-3.05" || FormatMinor(20000) != "200.00" {
		t.Error("FormatMinor")
	}
}

func TestWholeMonths(t *testing.T) {
	d := func(s string) Date { x, _ := ParseDate(s); return x }
	cases := []struct {
		from, to string
		months   int
	}{
		{"2023-03-01", "2026-03-31", 36},
		{"2023-03-01", "2026-04-01", 37},
		{"2023-03-31", "2023-04-30", 1},
		{"2024-01-31", "2024-02-29", 1},
		{"2024-01-31", "2024-02-28", 0},
		{"2026-05-01", "2026-04-01", 0},
	}
	for _, c := range cases {
		if got := d(c.from).WholeMonthsUntil(d(c.to)); got != c.months {
			t.Errorf("%s..%s = %d months, want %d", c.from, c.to, got, c.months)
		}
	}
}

func TestGreatCircle(t *testing.T) {
	// Munich to Stuttgart is about 190 km in a straight line.
	km := GreatCircleKm(Point{48.1372, 11.5756}, Point{48.7758, 9.1829})
	if km < 185 || km > 195 {
		t.Fatalf("Munich-Stuttgart %.1f km", km)
	}
}

// TestInputErrorIsBounded adds many more errors than are listed: the first
// MaxFieldErrors are listed, the rest counted, Has knows them all, and the
// problem document stays small.
func TestInputErrorIsBounded(t *testing.T) {
	var e InputError
	long := strings.Repeat("ø", 5000)
	const n = 50000
	for i := 0; i < n; i++ {
		field := fmt.Sprintf("lines.%d.%s", i, long)
		if e.Has(field) {
			t.Fatalf("%d: has before add", i)
		}
		e.Add(field, "", "unknown value "+Quote(long)+"; "+long)
		if !e.Has(field) {
			t.Fatalf("%d: not had after add", i)
		}
	}
	if len(e.Errors) != MaxFieldErrors || e.Omitted != n-MaxFieldErrors || e.Total() != n {
		t.Fatalf("listed %d, omitted %d", len(e.Errors), e.Omitted)
	}
	for _, f := range e.Errors {
		if len(f.Field) > MaxFieldLen || len(f.Detail) > MaxDetailLen || !utf8.ValidString(f.Field+f.Detail) {
			t.Fatalf("unbounded or cut inside a character: %d %d", len(f.Field), len(f.Detail))
		}
	}
	if !strings.HasSuffix(e.Errors[0].Field, "øøø") || !strings.HasPrefix(e.Errors[0].Field, "lines.0.") {
		t.Fatalf("a cut path keeps its start and its end: %q", e.Errors[0].Field)
	}
	p := ProblemFor(&e)
	b, err := json.Marshal(p)
	if err != nil || len(b) > 64<<10 {
		t.Fatalf("problem document of %d bytes: %v", len(b), err)
	}
	var back map[string]any
	if json.Unmarshal(b, &back) != nil || back["errors_total"] != float64(n) || len(back["errors"].([]any)) != MaxFieldErrors {
		t.Fatalf("errors_total %v", back["errors_total"])
	}
	if !strings.HasSuffix(e.Error(), fmt.Sprintf("; and %d more", n-MaxFieldErrors)) && !strings.Contains(e.Error(), " more") {
		t.Fatal("the message says how many are left out")
	}
	if len(e.Error()) > 4096 {
		t.Fatalf("message of %d bytes", len(e.Error()))
	}
}

// TestHasFollowsCutErrors: a caller may cut Errors back (to replace an
// error by a better one); Has follows.
func TestHasFollowsCutErrors(t *testing.T) {
	var e InputError
	for i := 0; i < 20; i++ {
		e.Add(fmt.Sprintf("f%d", i), "", "bad")
	}
	if !e.Has("f19") {
		t.Fatal("f19")
	}
	e.Errors = e.Errors[:19]
	e.Add("intake", "", "must be an object")
	if e.Has("f19") || !e.Has("intake") || !e.Has("f3") {
		t.Fatal("Has did not follow the cut")
	}
	e.Err() // sorts
	if !e.Has("f10") || e.Has("f20") {
		t.Fatal("Has after sorting")
	}
}

func TestMerge(t *testing.T) {
	var a, b InputError
	a.Add("x", "", "bad")
	for i := 0; i < 150; i++ {
		b.Add(fmt.Sprintf("y%d", i), "", "bad")
	}
	b.Add("occurred_at", CodeNoTermsInForce, "none")
	a.Merge(&b)
	if a.Total() != 152 || a.Code != CodeNoTermsInForce || !a.Has("y149") || !a.Has("occurred_at") {
		t.Fatalf("total %d code %s", a.Total(), a.Code)
	}
}

func TestQuoteAndClip(t *testing.T) {
	if Quote("abc") != `"abc"` || len(Quote(strings.Repeat("x", 1000))) > MaxQuoteLen+2 {
		t.Fatal("Quote")
	}
	if got := Clip("ååå", 5); got != "å…" {
		t.Fatalf("Clip %q", got)
	}
	if got := ClipField(strings.Repeat("a.", 300)); len(got) > MaxFieldLen || !strings.Contains(got, "…") {
		t.Fatalf("ClipField %d", len(got))
	}
}
