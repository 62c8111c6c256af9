package roadcover

import "testing"

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
