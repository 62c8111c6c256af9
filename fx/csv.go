package fx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"roadcover"
)

// The two layouts the ECB publishes its reference rates in:
//
//	daily   (eurofxref.csv):      "Date, USD, JPY, ..., " then "20 November 2026, 1.0512, ..., "
//	history (eurofxref-hist.csv): "Date,USD,JPY,...," then "2026-11-20,1.0512,...," newest first
//
// Both end each line with a comma; the history file writes N/A where a
// currency has no rate that day. Both are read here; the rates file is kept
// in the history layout.
const (
	LayoutDaily   = "daily"
	LayoutHistory = "history"
)

// DefaultFile is the rates file used when ROADCOVER_RATES is not set.
const DefaultFile = "roadcover-rates.csv"

// FileFrom returns the rates file named by ROADCOVER_RATES, or DefaultFile.
func FileFrom(getenv func(string) string) string {
	if getenv != nil {
		if f := getenv("ROADCOVER_RATES"); f != "" {
			return f
		}
	}
	return DefaultFile
}

// File is one parsed file of rates.
type File struct {
	Name   string
	Layout string // LayoutDaily or LayoutHistory (of its first row)
	cols   []string
	rows   []row
}

type row struct {
	line int
	day  roadcover.Date
	vals []string // by column; "" for N/A
}

// Days is the number of dated rows in the file.
func (f *File) Days() int { return len(f.rows) }

// Parse reads one file in either ECB layout. A UTF-8 byte order mark, CRLF
// line ends, spaces around values, trailing commas and blank lines are
// accepted. Every bad line is reported in one *roadcover.InputError whose
// fields are "name:line"; nothing of a file with errors is used.
func Parse(name string, data []byte) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	f := &File{Name: name}
	var ie roadcover.InputError
	bad := func(line int, format string, args ...any) {
		ie.Add(fmt.Sprintf("%s:%d", name, line), "", fmt.Sprintf(format, args...))
	}
	seen := map[roadcover.Date]int{}
	header := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := splitFields(text)
		if !header {
			header = true
			if !strings.EqualFold(fields[0], "Date") {
				bad(line, "the first line must be the header: Date, then one currency code per column")
				return nil, ie.Err()
			}
			f.cols = fields[1:]
			for i, c := range f.cols {
				switch {
				case !isCode(c):
					bad(line, "column %d: %q is not an ISO 4217 currency code", i+2, c)
				case c == "EUR":
					bad(line, "column %d: EUR has no rate against itself", i+2)
				case slices.Index(f.cols, c) < i:
					bad(line, "column %d: %s appears twice", i+2, c)
				}
			}
			if len(f.cols) == 0 {
				bad(line, "the header names no currency")
			}
			if ie.Err() != nil {
				return nil, ie.Err()
			}
			continue
		}
		if len(fields)-1 != len(f.cols) {
			bad(line, "%d values for %d currencies in the header", len(fields)-1, len(f.cols))
			continue
		}
		day, layout, err := parseDay(fields[0])
		if err != nil {
			bad(line, "%v", err)
			continue
		}
		if prev, dup := seen[day]; dup {
			bad(line, "%s is also on line %d", day, prev)
			continue
		}
		seen[day] = line
		vals := make([]string, len(f.cols))
		ok := true
		for i, v := range fields[1:] {
			if v == "N/A" {
				continue
			}
			if _, err := parseRate(v); err != nil {
				bad(line, "%s: %v", f.cols[i], err)
				ok = false
				continue
			}
			vals[i] = v
		}
		if !ok {
			continue
		}
		if f.Layout == "" {
			f.Layout = layout
		}
		f.rows = append(f.rows, row{line: line, day: day, vals: vals})
	}
	if err := sc.Err(); err != nil {
		bad(line+1, "%v", err)
	}
	if !header {
		bad(1, "the file is empty: no header line")
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// splitFields splits a line on commas, trims spaces, and drops the one
// empty field a trailing comma leaves.
func splitFields(line string) []string {
	fields := strings.Split(line, ",")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	if len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return fields
}

func isCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func parseDay(s string) (roadcover.Date, string, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return roadcover.DateOf(t), LayoutHistory, nil
	}
	if t, err := time.Parse("2 January 2006", s); err == nil {
		return roadcover.DateOf(t), LayoutDaily, nil
	}
	return roadcover.Date{}, "", fmt.Errorf("%q is not a date (YYYY-MM-DD, or 20 November 2026 as in the daily file)", s)
}

// Build merges files, in order, into one set of rates. A day and currency
// given by more than one file must have the same rate: a published rate is
// never replaced, and a conflict is reported against the later file's line.
// N/A adds nothing.
func Build(files ...*File) (*Rates, error) {
	type src struct {
		p     point
		where string
	}
	r := &Rates{series: map[string][]point{}}
	by := map[string]map[roadcover.Date]src{}
	var ie roadcover.InputError
	for _, f := range files {
		for _, c := range f.cols {
			if !slices.Contains(r.cols, c) {
				r.cols = append(r.cols, c)
				by[c] = map[roadcover.Date]src{}
			}
		}
		for _, rw := range f.rows {
			where := fmt.Sprintf("%s:%d", f.Name, rw.line)
			for i, v := range rw.vals {
				if v == "" {
					continue
				}
				c := f.cols[i]
				val, _ := parseRate(v)
				if old, ok := by[c][rw.day]; ok {
					if old.p.value != val {
						ie.Add(where, "", fmt.Sprintf("%s %s for %s differs from %s in %s; a published rate is never replaced",
							c, v, rw.day, old.p.text, old.where))
					}
					continue
				}
				by[c][rw.day] = src{point{day: rw.day, text: v, value: val}, where}
			}
		}
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	for c, m := range by {
		s := make([]point, 0, len(m))
		for _, x := range m {
			s = append(s, x.p)
		}
		slices.SortFunc(s, func(a, b point) int { return a.day.Compare(b.day) })
		r.series[c] = s
	}
	return r, nil
}

// WriteHistory writes r in the ECB history layout: "Date,USD,...," then one
// row per day with any rate, newest first, N/A where a currency has none,
// each line ending with a comma.
func (r *Rates) WriteHistory(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cols := r.Currencies()
	bw.WriteString("Date,")
	for _, c := range cols {
		bw.WriteString(c + ",")
	}
	bw.WriteString("\n")
	rows := map[roadcover.Date][]string{}
	for i, c := range cols {
		for _, p := range r.series[c] {
			v := rows[p.day]
			if v == nil {
				v = make([]string, len(cols))
				rows[p.day] = v
			}
			v[i] = p.text
		}
	}
	days := make([]roadcover.Date, 0, len(rows))
	for d := range rows {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b roadcover.Date) int { return b.Compare(a) })
	for _, d := range days {
		bw.WriteString(d.String() + ",")
		for _, v := range rows[d] {
			if v == "" {
				v = "N/A"
			}
			bw.WriteString(v + ",")
		}
		bw.WriteString("\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("fx: write rates: %w", err)
	}
	return nil
}

// ReadFile parses the file at path.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fx: %w", err)
	}
	return Parse(path, data)
}

// Load reads a rates file. A missing file is an error that wraps
// fs.ErrNotExist.
func Load(path string) (*Rates, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Build(f)
}

// Import merges the files at paths into the rates file at into (which may
// not exist yet) and writes it back in the history layout, replacing it
// only when everything was read without error. It returns the merged rates
// and the files imported.
func Import(into string, paths ...string) (*Rates, []*File, error) {
	var files, imported []*File
	var all roadcover.InputError
	// Every file is read before anything is written; the errors of all of
	// them are reported together, a file that cannot be read under its name.
	collect := func(name string, err error) {
		var ie *roadcover.InputError
		if errors.As(err, &ie) {
			all.Errors = append(all.Errors, ie.Errors...)
		} else {
			all.Add(name, "", err.Error())
		}
		all.Code = roadcover.CodeInvalidInput
	}
	if f, err := ReadFile(into); err == nil {
		files = append(files, f)
	} else if !errors.Is(err, fs.ErrNotExist) {
		collect(into, err)
	}
	for _, p := range paths {
		f, err := ReadFile(p)
		if err != nil {
			collect(p, err)
			continue
		}
		files = append(files, f)
		imported = append(imported, f)
	}
	if err := all.Err(); err != nil {
		return nil, nil, err
	}
	r, err := Build(files...)
	if err != nil {
		return nil, nil, err
	}
	if err := writeAtomic(into, r); err != nil {
		return nil, nil, err
	}
	return r, imported, nil
}

func writeAtomic(path string, r *Rates) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".roadcover-rates-*.csv")
	if err != nil {
		return fmt.Errorf("fx: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := r.WriteHistory(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("fx: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("fx: %w", err)
	}
	return nil
}
