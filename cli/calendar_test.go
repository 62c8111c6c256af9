package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"roadcover"
)

// mainOut calls Main and returns exit code, stdout and stderr.
func mainOut(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// problemOf decodes a problem document from stderr.
func problemOf(t *testing.T, stderr string) roadcover.Problem {
	t.Helper()
	var p roadcover.Problem
	if err := json.Unmarshal([]byte(stderr), &p); err != nil {
		t.Fatalf("stderr is not a problem document: %v\n%s", err, stderr)
	}
	return p
}

func problemFields(p roadcover.Problem) string {
	var f []string
	for _, e := range p.Errors {
		f = append(f, e.Field)
	}
	return strings.Join(f, ",")
}

func TestCalendarWorkdays(t *testing.T) {
	code, out, stderr := mainOut(t, "calendar", "workdays", "--country", "DE", "--from", "2026-12-23", "--to", "2027-01-04")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `DE: 6 working days after 2026-12-23 up to and including 2027-01-04
non-working days:
  2026-12-25 Fri  Weihnachtstag
  2026-12-26 Sat  weekend; Zweiter Weihnachtsfeiertag
  2026-12-27 Sun  weekend
  2027-01-01 Fri  Neujahrstag
  2027-01-02 Sat  weekend
  2027-01-03 Sun  weekend
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	code, out, _ = mainOut(t, "calendar", "workdays", "--country", "PT", "--from", "2026-02-13", "--to", "2026-02-20")
	if code != 0 || !strings.Contains(out, "PT: 5 working days") || !strings.Contains(out, "2026-02-17 Tue  Carnaval") {
		t.Errorf("PT carnival: exit %d\n%s", code, out)
	}
}

func TestCalendarWorkdaysBadInput(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		fields string
	}{
		{[]string{"--country", "HU", "--from", "2026-12-23", "--to", "2027-01-04"}, "country"},
		{[]string{"--country", "ZZ", "--from", "2026-12-23", "--to", "2027-01-04"}, "country"},
		{[]string{"--country", "DE", "--from", "2026-12-32", "--to", "tomorrow"}, "from,to"},
		{[]string{"--country", "DE", "--from", "2027-01-04", "--to", "2026-12-23"}, "to"},
		{[]string{"--from", "2027-01-04"}, "country,to"},
		{[]string{"--country", "DE", "--from", "1990-01-01", "--to", "1990-02-01"}, "from"},
	} {
		code, out, stderr := mainOut(t, append([]string{"calendar", "workdays"}, tc.args...)...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", tc.args, code, out)
			continue
		}
		p := problemOf(t, stderr)
		if p.Code != roadcover.CodeInvalidInput || problemFields(p) != tc.fields {
			t.Errorf("%v: code %s, fields %q; want %q", tc.args, p.Code, problemFields(p), tc.fields)
		}
	}
	if code, _, _ := mainOut(t, "calendar", "workdays", "--nope"); code != 2 {
		t.Errorf("unknown flag: exit %d", code)
	}
}

func TestCalendarHolidaysAndCountries(t *testing.T) {
	code, out, _ := mainOut(t, "calendar", "holidays", "--country", "PT", "--year", "2025")
	if code != 0 || !strings.Contains(out, "2025-06-19 Thu  Corpo de Deus\n") ||
		!strings.Contains(out, "2025-03-04 Tue  Carnaval  (optional, counted as a working day)") {
		t.Errorf("exit %d\n%s", code, out)
	}
	if code, _, stderr := mainOut(t, "calendar", "holidays", "--country", "PT", "--year", "1066"); code != 2 || problemFields(problemOf(t, stderr)) != "year" {
		t.Errorf("bad year: exit %d", code)
	}
	code, out, _ = mainOut(t, "calendar", "countries")
	if code != 0 || !strings.Contains(out, "PT     roadcover") || !strings.Contains(out, "DE-BY") {
		t.Errorf("countries: exit %d\n%s", code, out)
	}
}
