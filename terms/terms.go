// Package terms holds the written terms the product runs as data: an
// append-only table of versions (Polestar Assistance GB 2022, DE/PT/DK
// 2023-05; Polestar Insurance SE 2021-10), each with its clause index as
// printed, our own short titles, the readings we take where the text is
// ambiguous, and a parameter table in which every number of the text is
// tagged with its clause. It selects the version in force by market and day.
//
// The versions live in data/*.json, embedded in the binary. A new version of
// the terms is a new file; a file in force is never edited (data/LOCK holds
// the checksum of each, and a test fails when one changes).
package terms

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"roadcover"
)

// Document names a family of terms.
type Document string

// The documents the product runs.
const (
	Assistance Document = "assistance"
	Insurance  Document = "insurance"
)

// Version is one version of one document for one market.
type Version struct {
	ID          string             `json:"id"`
	Document    Document           `json:"document"`
	Market      string             `json:"market"`
	Language    roadcover.Language `json:"language"`
	Currency    string             `json:"currency"`
	InForceFrom string             `json:"in_force_from"`
	Source      string             `json:"source"`
	Clauses     []Clause           `json:"clauses"`
	Readings    []Reading          `json:"readings"`
	Parameters  []Parameter        `json:"parameters"`
	Tables      []Table            `json:"tables,omitempty"`

	from    roadcover.Date
	clauses map[string]*Clause
	params  map[string]*Parameter
	reads   map[string]*Reading
	tables  map[string]*Table
}

// Clause is one clause number as printed in the version, with our own short title.
type Clause struct {
	Number string          `json:"number"`
	Title  roadcover.Texts `json:"title"`
	// Implemented marks clauses the engine decides; each needs a test case.
	Implemented bool `json:"implemented"`
	// Note says, in English, what the clause is about or why it is not implemented.
	Note string `json:"note,omitempty"`
}

// Reading is an interpretation we chose where the text is ambiguous.
type Reading struct {
	ID      string          `json:"id"`
	Clauses []string        `json:"clauses"`
	Text    roadcover.Texts `json:"text"`
}

// Parameter is one number of the text. Money is in minor units of Unit's
// currency ("minor:EUR"); other units: km, mi, hours, days, working_days,
// nights, months, years, percent, persons, count, sessions.
type Parameter struct {
	Name   string `json:"name"`
	Value  int64  `json:"value"`
	Unit   string `json:"unit"`
	Clause string `json:"clause"`
	Note   string `json:"note,omitempty"`
}

// Table is dated data a version reads (price base amount by year, member
// lists). Each row holds from a day, until the next row's day or Until.
type Table struct {
	Name   string     `json:"name"`
	Clause string     `json:"clause"`
	Unit   string     `json:"unit"`
	Source string     `json:"source"`
	Rows   []TableRow `json:"rows"`
}

// TableRow is one dated entry; Key distinguishes rows of keyed tables
// (a country code in a member list).
type TableRow struct {
	Key   string `json:"key,omitempty"`
	From  string `json:"from"`
	Until string `json:"until,omitempty"`
	Value int64  `json:"value"`
	Note  string `json:"note,omitempty"`
}

// From is the first day the version is in force.
func (v *Version) From() roadcover.Date { return v.from }

// Clause returns the clause number after checking that the version prints
// it. An unknown number is a programming error and panics; the coverage
// tests call every rule so that none survives into a release.
func (v *Version) Clause(number string) string {
	if _, ok := v.clauses[number]; !ok {
		panic(fmt.Sprintf("terms: %s has no clause %q", v.ID, number))
	}
	return number
}

// HasClause reports whether the version's index holds the clause.
func (v *Version) HasClause(number string) bool { _, ok := v.clauses[number]; return ok }

// ClauseInfo returns the clause entry.
func (v *Version) ClauseInfo(number string) (*Clause, bool) {
	c, ok := v.clauses[number]
	return c, ok
}

// Param returns the parameter of that name.
func (v *Version) Param(name string) (*Parameter, bool) {
	p, ok := v.params[name]
	return p, ok
}

// Reading returns the reading of that id.
func (v *Version) Reading(id string) (*Reading, bool) {
	r, ok := v.reads[id]
	return r, ok
}

// Table returns the dated table of that name.
func (v *Version) Table(name string) (*Table, bool) {
	t, ok := v.tables[name]
	return t, ok
}

// At returns the row of a dated table in force on day (for the key, when
// the table is keyed).
func (t *Table) At(key string, day roadcover.Date) (TableRow, bool) {
	ds := day.String()
	var best TableRow
	found := false
	for _, r := range t.Rows {
		if r.Key != key || r.From > ds || (r.Until != "" && ds >= r.Until) {
			continue
		}
		if !found || r.From > best.From {
			best, found = r, true
		}
	}
	return best, found
}

//go:embed data
var dataFS embed.FS

var registry []*Version

func init() {
	vs, err := load()
	if err != nil {
		panic(err)
	}
	registry = vs
}

func load() ([]*Version, error) {
	names, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var vs []*Version
	for _, n := range names {
		if !strings.HasSuffix(n.Name(), ".json") {
			continue
		}
		b, err := dataFS.ReadFile(path.Join("data", n.Name()))
		if err != nil {
			return nil, err
		}
		v, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("terms: %s: %w", n.Name(), err)
		}
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
	return vs, nil
}

// Parse reads and checks one version file: unique clause numbers, and every
// parameter, reading and table citing a clause of the index.
func Parse(b []byte) (*Version, error) {
	var v Version
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.DisallowUnknownFields()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	from, err := roadcover.ParseDate(v.InForceFrom)
	if err != nil {
		return nil, fmt.Errorf("in_force_from: %w", err)
	}
	v.from = from
	if v.ID == "" || v.Market == "" || v.Document == "" {
		return nil, fmt.Errorf("id, document and market are required")
	}
	if _, ok := roadcover.ParseLanguage(string(v.Language)); !ok {
		return nil, fmt.Errorf("language %q is not supported", v.Language)
	}
	v.clauses = map[string]*Clause{}
	for i := range v.Clauses {
		c := &v.Clauses[i]
		if _, dup := v.clauses[c.Number]; dup {
			return nil, fmt.Errorf("clause %s listed twice", c.Number)
		}
		if c.Title[roadcover.English] == "" || c.Title[v.Language] == "" {
			return nil, fmt.Errorf("clause %s needs a title in en and %s", c.Number, v.Language)
		}
		v.clauses[c.Number] = c
	}
	v.params = map[string]*Parameter{}
	for i := range v.Parameters {
		p := &v.Parameters[i]
		if _, dup := v.params[p.Name]; dup {
			return nil, fmt.Errorf("parameter %s listed twice", p.Name)
		}
		if !v.HasClause(p.Clause) {
			return nil, fmt.Errorf("parameter %s cites clause %q, which is not in the index", p.Name, p.Clause)
		}
		v.params[p.Name] = p
	}
	v.reads = map[string]*Reading{}
	for i := range v.Readings {
		r := &v.Readings[i]
		if _, dup := v.reads[r.ID]; dup {
			return nil, fmt.Errorf("reading %s listed twice", r.ID)
		}
		for _, c := range r.Clauses {
			if !v.HasClause(c) {
				return nil, fmt.Errorf("reading %s cites clause %q, which is not in the index", r.ID, c)
			}
		}
		for _, l := range roadcover.Languages {
			if r.Text[l] == "" {
				return nil, fmt.Errorf("reading %s has no text in %s", r.ID, l)
			}
		}
		v.reads[r.ID] = r
	}
	v.tables = map[string]*Table{}
	for i := range v.Tables {
		t := &v.Tables[i]
		if !v.HasClause(t.Clause) {
			return nil, fmt.Errorf("table %s cites clause %q, which is not in the index", t.Name, t.Clause)
		}
		if t.Source == "" {
			return nil, fmt.Errorf("table %s needs its source", t.Name)
		}
		for _, r := range t.Rows {
			if _, err := roadcover.ParseDate(r.From); err != nil {
				return nil, fmt.Errorf("table %s: %w", t.Name, err)
			}
			if r.Until != "" {
				if _, err := roadcover.ParseDate(r.Until); err != nil {
					return nil, fmt.Errorf("table %s: %w", t.Name, err)
				}
			}
		}
		v.tables[t.Name] = t
	}
	return &v, nil
}

// All returns every version, ordered by id.
func All() []*Version { return registry }

// ByID returns the version with that id.
func ByID(id string) (*Version, bool) {
	for _, v := range registry {
		if v.ID == id {
			return v, true
		}
	}
	return nil, false
}

// Markets lists the markets a document has versions for.
func Markets(doc Document) []string {
	seen := map[string]bool{}
	var ms []string
	for _, v := range registry {
		if v.Document == doc && !seen[v.Market] {
			seen[v.Market] = true
			ms = append(ms, v.Market)
		}
	}
	sort.Strings(ms)
	return ms
}

// Select returns the version of doc for market in force on day: the one with
// the latest in_force_from not after day. ok is false when the market has no
// version of doc at all; err (code no_terms_in_force) when day is before the
// market's first version.
func Select(doc Document, market string, day roadcover.Date) (*Version, error) {
	var best *Version
	known := false
	for _, v := range registry {
		if v.Document != doc || v.Market != market {
			continue
		}
		known = true
		if day.Before(v.from) {
			continue
		}
		if best == nil || best.from.Before(v.from) {
			best = v
		}
	}
	if !known {
		return nil, fmt.Errorf("terms: no %s terms for market %q: %w", doc, market, ErrUnknownMarket)
	}
	if best == nil {
		return nil, fmt.Errorf("terms: no %s terms for %s in force on %s: %w", doc, market, day, ErrNoTermsInForce)
	}
	return best, nil
}

// Sentinel errors of Select.
var (
	ErrUnknownMarket  = fmt.Errorf("unknown market")
	ErrNoTermsInForce = fmt.Errorf("no terms in force")
)

// SameStructure reports how v differs from w in anything but its numbers:
// the clause numbers it prints (and which are implemented), the names, units
// and clauses of its parameters, the ids of its readings and the names of its
// tables. nil means v is w with other numbers (values, dates, texts), which
// the engines run without a change of code.
func (v *Version) SameStructure(w *Version) error {
	var diffs []string
	if v.Document != w.Document || v.Market != w.Market || v.Currency != w.Currency {
		diffs = append(diffs, fmt.Sprintf("document, market or currency %s/%s/%s, not %s/%s/%s",
			v.Document, v.Market, v.Currency, w.Document, w.Market, w.Currency))
	}
	clauses := func(x *Version) []string {
		var out []string
		for _, c := range x.Clauses {
			out = append(out, fmt.Sprintf("%s implemented=%v", c.Number, c.Implemented))
		}
		return out
	}
	params := func(x *Version) []string {
		var out []string
		for _, p := range x.Parameters {
			out = append(out, p.Name+" "+p.Unit+" "+p.Clause)
		}
		return out
	}
	readings := func(x *Version) []string {
		var out []string
		for _, r := range x.Readings {
			out = append(out, r.ID)
		}
		return out
	}
	tables := func(x *Version) []string {
		var out []string
		for _, t := range x.Tables {
			out = append(out, t.Name+" "+t.Clause+" "+t.Unit)
		}
		return out
	}
	for _, k := range []struct {
		what string
		f    func(*Version) []string
	}{{"clauses", clauses}, {"parameters", params}, {"readings", readings}, {"tables", tables}} {
		a, b := k.f(v), k.f(w)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			diffs = append(diffs, k.what+" differ")
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("terms: %s has another structure than %s: %s", v.ID, w.ID, strings.Join(diffs, "; "))
	}
	return nil
}

// Previous returns the version of the same document and market in force
// just before v among all (the one with the latest first day before v's).
func Previous(v *Version, all []*Version) (*Version, bool) {
	var best *Version
	for _, w := range all {
		if w.Document == v.Document && w.Market == v.Market && w.from.Before(v.from) && (best == nil || best.from.Before(w.from)) {
			best = w
		}
	}
	return best, best != nil
}
