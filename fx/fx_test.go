package fx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roadcover"
)

func day(s string) roadcover.Date {
	d, err := roadcover.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fixtures(t *testing.T) *Rates {
	t.Helper()
	h, err := ReadFile("testdata/fixture-eurofxref-hist.csv")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadFile("testdata/fixture-eurofxref.csv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(h, d)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseLayouts(t *testing.T) {
	h, err := ReadFile("testdata/fixture-eurofxref-hist.csv")
	if err != nil {
		t.Fatal(err)
	}
	if h.Layout != LayoutHistory || h.Days() != 32 {
		t.Errorf("history: layout %s, %d days", h.Layout, h.Days())
	}
	d, err := ReadFile("testdata/fixture-eurofxref.csv")
	if err != nil {
		t.Fatal(err)
	}
	if d.Layout != LayoutDaily || d.Days() != 1 || d.rows[0].day != day("2026-11-23") {
		t.Errorf("daily: layout %s, %d days, %+v", d.Layout, d.Days(), d.rows)
	}
	r, _ := Build(d)
	if q, err := r.Quote("DKK", day("2026-11-23")); err != nil || q.Text != "7.4606" || q.Rate != 7.4606 {
		t.Errorf("daily DKK = %+v, %v", q, err)
	}
}

func TestParseBOMCRLFSpacesAndTrailingCommas(t *testing.T) {
	for name, text := range map[string]string{
		"bom+crlf daily": "\ufeffDate, USD, DKK, \r\n20 November 2026, 1.0512, 7.4604, \r\n",
		"history":        "Date,USD,DKK,\n2026-11-20,1.0512,7.4604,\n",
		"no trailing":    "Date,USD,DKK\n2026-11-20,1.0512,7.4604\n\n",
		"bom crlf hist":  "\ufeffDate,USD,DKK,\r\n2026-11-20,1.0512,7.4604,\r\n\r\n",
		"two-digit day":  "Date, USD, DKK, \n02 November 2026, 1.0512, 7.4604, \n",
	} {
		f, err := Parse(name, []byte(text))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		r, _ := Build(f)
		rate, pub, ok := r.EuroRate("DKK", day("2026-11-20"))
		if name == "two-digit day" {
			rate, pub, ok = r.EuroRate("dkk", day("2026-11-02"))
		}
		if !ok || rate != 7.4604 || pub.IsZero() {
			t.Errorf("%s: DKK = %v %s %v", name, rate, pub, ok)
		}
	}
}

func TestParseNA(t *testing.T) {
	r := fixtures(t)
	if _, _, ok := r.EuroRate("HRK", day("2026-11-20")); ok {
		t.Error("HRK known though every value is N/A")
	}
	// BGN: N/A from 2026 (the euro); the last rate is of 2025-12-31, stale in November.
	if _, pub, ok := r.EuroRate("BGN", day("2026-01-02")); !ok || pub != day("2025-12-31") {
		t.Errorf("BGN on 2026-01-02: published %s, %v; want 2025-12-31", pub, ok)
	}
	if _, _, ok := r.EuroRate("BGN", day("2026-11-20")); ok {
		t.Error("BGN used in November 2026 from a stale rate")
	}
	for _, c := range r.Currencies() {
		if c == "HRK" {
			t.Error("HRK listed with no rate")
		}
	}
}

func TestBadLinesAreAllNamed(t *testing.T) {
	_, err := ReadFile("testdata/fixture-bad-hist.csv")
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v; want an input error", err)
	}
	var got []string
	for _, e := range ie.Errors {
		got = append(got, strings.TrimPrefix(e.Field, "testdata/fixture-bad-hist.csv"))
	}
	want := ":3 :4 :5 :5 :6 :7"
	if strings.Join(got, " ") != want {
		t.Errorf("lines %q; want %q\n%v", strings.Join(got, " "), want, err)
	}
	for _, bad := range []string{
		"",
		"USD,DKK\n2026-11-20,1,2\n",
		"Date,USD,EUR,\n",
		"Date,USD,usd,\n",
		"Date,USD,USD,\n",
		"Date,\n",
	} {
		if _, err := Parse("x.csv", []byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestDayOrLastPublishedBefore(t *testing.T) {
	r := fixtures(t)
	for _, tc := range []struct {
		cur, day, pub, text string
	}{
		{"DKK", "2026-11-20", "2026-11-20", "7.4604"}, // the day itself
		{"DKK", "2026-11-21", "2026-11-20", "7.4604"}, // Saturday
		{"DKK", "2026-11-22", "2026-11-20", "7.4604"}, // Sunday
		{"DKK", "2026-11-23", "2026-11-23", "7.4606"}, // the daily file
		{"DKK", "2026-12-04", "2026-11-23", "7.4606"}, // 11 days later: still used
		{"GBP", "2025-12-25", "2025-12-24", ""},       // no publication on 25 and 26 December
		{"GBP", "2025-12-26", "2025-12-24", ""},
		{"GBP", "2026-01-01", "2025-12-31", ""}, // nor on 1 January
		{"eur", "2026-06-01", "2026-06-01", "1"},
	} {
		q, err := r.Quote(tc.cur, day(tc.day))
		if err != nil || q.Published != day(tc.pub) || (tc.text != "" && q.Text != tc.text) || q.Day != day(tc.day) {
			t.Errorf("%s on %s: %+v, %v; want published %s %s", tc.cur, tc.day, q, err, tc.pub, tc.text)
		}
		rate, pub, ok := r.EuroRate(tc.cur, day(tc.day))
		if !ok || pub != q.Published || rate != q.Rate {
			t.Errorf("EuroRate(%s, %s) = %v %s %v", tc.cur, tc.day, rate, pub, ok)
		}
	}
}

func TestUnknownAndStale(t *testing.T) {
	r := fixtures(t)
	for _, tc := range []struct{ cur, day, why string }{
		{"DKK", "2025-12-14", "no DKK rate is known on or before 2025-12-14"},
		{"DKK", "2026-12-08", "published on 2026-11-23, 15 days earlier"},
		{"DKK", "2026-06-01", "published on 2026-01-09"},
		{"GIP", "2026-11-20", "give no GIP rate"},
		{"RSD", "2026-11-20", "give no RSD rate"},
	} {
		_, err := r.Quote(tc.cur, day(tc.day))
		var ce *roadcover.Error
		if !errors.As(err, &ce) || ce.Code != roadcover.CodeUnknownRate || !strings.Contains(ce.Detail, tc.why) {
			t.Errorf("%s on %s: %v; want unknown_rate with %q", tc.cur, tc.day, err, tc.why)
		}
		if _, _, ok := r.EuroRate(tc.cur, day(tc.day)); ok {
			t.Errorf("EuroRate(%s, %s) ok", tc.cur, tc.day)
		}
	}
	// Fourteen days is the limit, inclusive.
	if _, err := r.Quote("DKK", day("2026-12-07")); err != nil {
		t.Errorf("14 days: %v", err)
	}
	var none *Rates
	if _, err := none.Quote("DKK", day("2026-11-20")); err == nil || !strings.Contains(err.Error(), "no euro reference rates have been imported") {
		t.Errorf("nil rates: %v", err)
	}
	if _, _, ok := (&Rates{}).EuroRate("DKK", day("2026-11-20")); ok {
		t.Error("empty rates gave a rate")
	}
}

func TestConflictsAndIdempotentMerge(t *testing.T) {
	a, _ := Parse("a.csv", []byte("Date,DKK,SEK,\n2026-11-20,7.4604,10.984,\n2026-11-19,7.4552,N/A,\n"))
	same, _ := Parse("b.csv", []byte("Date, DKK, \n20 November 2026, 7.46040, \n"))
	if _, err := Build(a, same); err != nil {
		t.Errorf("same rate written differently: %v", err)
	}
	fill, _ := Parse("c.csv", []byte("Date,SEK,\n2026-11-19,10.976,\n"))
	r, err := Build(a, fill)
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := r.Quote("SEK", day("2026-11-19")); q.Published != day("2026-11-19") {
		t.Errorf("N/A not filled by a later file: %+v", q)
	}
	other, _ := Parse("d.csv", []byte("Date,DKK,\n2026-11-19,7.4552,\n2026-11-20,7.4700,\n"))
	_, err = Build(a, other)
	var ie *roadcover.InputError
	if !errors.As(err, &ie) || len(ie.Errors) != 1 || ie.Errors[0].Field != "d.csv:3" || !strings.Contains(ie.Errors[0].Detail, "a.csv:2") {
		t.Errorf("conflict: %v", err)
	}
}

func TestWriteHistoryRoundTrip(t *testing.T) {
	r := fixtures(t)
	var buf bytes.Buffer
	if err := r.WriteHistory(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "Date,USD,JPY,BGN,CZK,DKK,GBP,HUF,PLN,RON,SEK,CHF,ISK,NOK,TRY," {
		t.Errorf("header %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "2026-11-23,1.0498,161.87,N/A,24.930,7.4606,") {
		t.Errorf("newest row %q", lines[1])
	}
	f, err := Parse("again", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := Build(f)
	var buf2 bytes.Buffer
	r2.WriteHistory(&buf2)
	if buf.String() != buf2.String() {
		t.Error("writing, reading and writing again changed the file")
	}
	if _, err := Build(f, mustRead(t, "testdata/fixture-eurofxref-hist.csv")); err != nil {
		t.Errorf("re-import of the same data: %v", err)
	}
}

func mustRead(t *testing.T, p string) *File {
	t.Helper()
	f, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	into := filepath.Join(dir, "rates.csv")
	r, files, err := Import(into, "testdata/fixture-eurofxref-hist.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Days() != 32 {
		t.Errorf("imported %v", files)
	}
	if _, last, _ := r.Span(); last != day("2026-11-20") {
		t.Errorf("last day %s", last)
	}
	if _, _, err := Import(into, "testdata/fixture-eurofxref.csv"); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(into)
	if err != nil {
		t.Fatal(err)
	}
	if first, last, _ := loaded.Span(); first != day("2025-12-15") || last != day("2026-11-23") {
		t.Errorf("span %s..%s", first, last)
	}
	before, _ := os.ReadFile(into)
	_, _, err = Import(into, "testdata/fixture-eurofxref.csv", "testdata/fixture-bad-hist.csv", filepath.Join(dir, "missing.csv"))
	if err == nil {
		t.Fatal("bad import accepted")
	}
	after, _ := os.ReadFile(into)
	if !bytes.Equal(before, after) {
		t.Error("the rates file changed after a failed import")
	}
	if _, err := Load(filepath.Join(dir, "missing.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLocalCurrency(t *testing.T) {
	for _, tc := range []struct{ country, day, want string }{
		{"DK", "2026-11-20", "DKK"}, {"SE", "2026-11-20", "SEK"}, {"GB", "2026-11-20", "GBP"},
		{"DE", "2026-11-20", "EUR"}, {"pt", "2026-11-20", "EUR"},
		{"HR", "2022-12-31", "HRK"}, {"HR", "2023-01-01", "EUR"},
		{"BG", "2025-12-31", "BGN"}, {"BG", "2026-01-01", "EUR"},
		{"ME", "2026-11-20", "EUR"}, {"XK", "2026-11-20", "EUR"}, {"LI", "2026-11-20", "CHF"},
		{"GI", "2026-11-20", "GIP"}, {"IS", "2026-11-20", "ISK"}, {"UA", "2026-11-20", "UAH"},
		{"BY", "2016-07-01", "BYN"},
	} {
		got, ok := (&Rates{}).LocalCurrency(tc.country, day(tc.day))
		if !ok || got != tc.want {
			t.Errorf("LocalCurrency(%s, %s) = %s, %v; want %s", tc.country, tc.day, got, ok, tc.want)
		}
	}
	for _, tc := range []struct{ country, day string }{{"US", "2026-11-20"}, {"ZZ", "2026-11-20"}, {"DE", "2009-12-31"}, {"BY", "2016-06-30"}} {
		if got, ok := LocalCurrency(tc.country, day(tc.day)); ok {
			t.Errorf("LocalCurrency(%s, %s) = %s; want not known", tc.country, tc.day, got)
		}
	}
}

func TestConvert(t *testing.T) {
	for _, tc := range []struct {
		minor int64
		from  string
		to    string
		rate  float64
		want  int64
	}{
		{20000, "EUR", "DKK", 7.4604, 149208},       // 200 EUR = 1492.08 DKK
		{60000, "EUR", "SEK", 10.984, 659040},       // 600 EUR = 6590.40 SEK
		{5000, "EUR", "GBP", 0.8755, 4378},          // 43.775 -> 43.78 (half away from zero)
		{5000, "EUR", "GBP", 0.87549, 4377},         // 43.7745 -> 43.77
		{-5000, "EUR", "GBP", 0.8755, -4378},        // negative: away from zero
		{25000, "EUR", "ISK", 146.3, 3657500},       // 36575 ISK, whole krónur
		{20000, "EUR", "ISK", 146.33, 2926600},      // 29266 ISK (29266.0)
		{1000, "EUR", "ISK", 146.35, 146400},        // 1463.5 -> 1464 ISK
		{20000, "EUR", "JPY", 162.39, 3247800},      // 32478 JPY
		{149208, "DKK", "EUR", 7.4604, 20000},       // back
		{100000, "SEK", "EUR", 10.984, 9104},        // 91.0415... -> 91.04
		{20000, "EUR", "EUR", 1, 20000},             // same currency
		{1, "EUR", "HUF", 386.45, 386},              // 0.01 EUR = 3.8645 HUF -> 3.86
		{100, "EUR", "DKK", 7.460399999999999, 746}, // a float from a computation still rounds once
	} {
		got, err := Convert(roadcover.Money{Minor: tc.minor, Currency: tc.from}, tc.to, tc.rate)
		if err != nil || got.Minor != tc.want || got.Currency != tc.to {
			t.Errorf("Convert(%d %s -> %s @ %v) = %+v, %v; want %d", tc.minor, tc.from, tc.to, tc.rate, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		from, to string
		rate     float64
	}{{"DKK", "SEK", 1.47}, {"EUR", "DKK", 0}, {"EUR", "DKK", -7}, {"EUR", "XYZ1", 7}} {
		if _, err := Convert(roadcover.Money{Minor: 100, Currency: tc.from}, tc.to, tc.rate); err == nil {
			t.Errorf("Convert %s->%s @ %v accepted", tc.from, tc.to, tc.rate)
		}
	}
}

func BenchmarkEuroRate(b *testing.B) {
	h, _ := ReadFile("testdata/fixture-eurofxref-hist.csv")
	r, _ := Build(h)
	d := day("2026-11-21")
	for b.Loop() {
		r.EuroRate("DKK", d)
	}
}

func BenchmarkConvert(b *testing.B) {
	m := roadcover.Money{Minor: 20000, Currency: "EUR"}
	for b.Loop() {
		Convert(m, "DKK", 7.4604)
	}
}
