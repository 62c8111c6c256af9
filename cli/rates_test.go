package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roadcover"
)

const (
	histFixture  = "../fx/testdata/fixture-eurofxref-hist.csv"
	dailyFixture = "../fx/testdata/fixture-eurofxref.csv"
	badFixture   = "../fx/testdata/fixture-bad-hist.csv"
)

func TestRatesImportAndShow(t *testing.T) {
	into := filepath.Join(t.TempDir(), "rates.csv")
	code, out, stderr := mainOut(t, "rates", "import", "--into", into, histFixture, dailyFixture)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"fixture-eurofxref-hist.csv: 32 days (history layout)", "fixture-eurofxref.csv: 1 day (daily layout)", "14 currencies", "2025-12-15 to 2026-11-23"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	data, _ := os.ReadFile(into)
	if !strings.HasPrefix(string(data), "Date,USD,JPY,BGN,CZK,DKK,") || !strings.Contains(string(data), "\n2026-11-23,1.0498,") {
		t.Errorf("rates file not in the history layout:\n%.200s", data)
	}

	code, out, stderr = mainOut(t, "rates", "show", "--rates", into, "--currency", "DKK", "--date", "2026-11-21")
	if code != 0 || !strings.HasPrefix(out, "DKK 7.4604 per EUR on 2026-11-21 (published 2026-11-20, the last publication before 2026-11-21)\n") {
		t.Errorf("show: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = mainOut(t, "rates", "show", "--rates", into, "--country", "IS", "--date", "2026-11-23")
	if code != 0 || !strings.HasPrefix(out, "ISK 146.10 per EUR on 2026-11-23 (published that day)") {
		t.Errorf("show --country: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"--currency", "DKK", "--date", "2026-12-21"}, // stale
		{"--currency", "GIP", "--date", "2026-11-21"}, // never published, not pegged
		{"--currency", "DKK", "--date", "2020-01-01"}, // before the first rate
	} {
		code, out, stderr = mainOut(t, append([]string{"rates", "show", "--rates", into}, args...)...)
		if code != 2 || out != "" || problemOf(t, stderr).Code != roadcover.CodeUnknownRate {
			t.Errorf("%v: exit %d, %s%s", args, code, out, stderr)
		}
	}
}

func TestRatesImportRefusesBadFiles(t *testing.T) {
	into := filepath.Join(t.TempDir(), "rates.csv")
	if code, _, stderr := mainOut(t, "rates", "import", "--into", into, histFixture); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	before, _ := os.ReadFile(into)
	code, out, stderr := mainOut(t, "rates", "import", dailyFixture, badFixture, "--into", into, "missing.csv")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	p := problemOf(t, stderr)
	var lines []string
	for _, e := range p.Errors {
		lines = append(lines, e.Field[strings.LastIndex(e.Field, "/")+1:])
	}
	want := "fixture-bad-hist.csv:3 fixture-bad-hist.csv:4 fixture-bad-hist.csv:5 fixture-bad-hist.csv:5 fixture-bad-hist.csv:6 fixture-bad-hist.csv:7 missing.csv"
	if p.Code != roadcover.CodeInvalidInput || strings.Join(lines, " ") != want {
		t.Errorf("errors %q; want %q", strings.Join(lines, " "), want)
	}
	after, _ := os.ReadFile(into)
	if string(before) != string(after) {
		t.Error("the rates file was written despite errors")
	}
	// A conflicting rate for a day already imported is refused too.
	conflict := filepath.Join(t.TempDir(), "conflict.csv")
	os.WriteFile(conflict, []byte("Date,DKK,\n2026-11-20,7.5000,\n"), 0o644)
	code, _, stderr = mainOut(t, "rates", "import", "--into", into, conflict)
	if code != 2 || !strings.Contains(stderr, "never replaced") {
		t.Errorf("conflict: exit %d\n%s", code, stderr)
	}
	if code, _, _ := mainOut(t, "rates", "import", "--into", into); code != 2 {
		t.Errorf("no files: exit %d", code)
	}
}

func TestRatesShowInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.csv")
	code, _, stderr := mainOut(t, "rates", "show", "--rates", missing, "--currency", "DKK", "--date", "2026-11-21")
	if code != 2 || problemOf(t, stderr).Code != roadcover.CodeUnknownRate || !strings.Contains(stderr, "no euro reference rates have been imported") {
		t.Errorf("no file: exit %d\n%s", code, stderr)
	}
	if code, out, _ := mainOut(t, "rates", "show", "--rates", missing, "--currency", "eur", "--date", "2026-11-21"); code != 0 || !strings.HasPrefix(out, "EUR 1 per EUR") {
		t.Errorf("EUR: exit %d %s", code, out)
	}
	for _, tc := range []struct {
		args   []string
		fields string
	}{
		{[]string{"--currency", "DK", "--date", "2026-11-21"}, "currency"},
		{[]string{"--currency", "DKK", "--date", "21.11.2026"}, "date"},
		{[]string{"--country", "US", "--date", "2026-11-21"}, "country"},
		{[]string{"--currency", "DKK", "--country", "DK", "--date", "2026-11-21"}, "currency"},
		{[]string{}, "currency,date"},
	} {
		code, _, stderr := mainOut(t, append([]string{"rates", "show", "--rates", missing}, tc.args...)...)
		if code != 2 || problemFields(problemOf(t, stderr)) != tc.fields {
			t.Errorf("%v: exit %d\n%s", tc.args, code, stderr)
		}
	}
}

// The default rates file is $ROADCOVER_RATES.
func TestRatesFileFromEnvironment(t *testing.T) {
	into := filepath.Join(t.TempDir(), "env.csv")
	t.Setenv("ROADCOVER_RATES", into)
	if code, _, stderr := mainOut(t, "rates", "import", histFixture); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if code, out, _ := mainOut(t, "rates", "show", "--currency", "GBP", "--date", "2025-12-26"); code != 0 || !strings.Contains(out, "published 2025-12-24") {
		t.Errorf("exit %d %s", code, out)
	}
}
