package reimbursement

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"roadcover"
	"roadcover/assistance"
	"roadcover/calendar"
	"roadcover/fx"
	"roadcover/terms"
)

// caseFile is one rule test: a case (a base case of testdata/bases with a
// JSON merge patch), the choices recorded, the day of the check, and the
// receipts checked in order (each line feeds the check of the next) or
// reviews of earlier lines, each with the line fields it compares (dotted
// paths into the line's JSON, or "error" for input errors).
type caseFile struct {
	Name    string          `json:"name"`
	Terms   string          `json:"terms"`
	Clauses []string        `json:"clauses"`
	Base    string          `json:"base"`
	Patch   json.RawMessage `json:"patch,omitempty"`
	// Decide and Check say which providers the decision and the check get
	// (both the calendar and the fixture rates unless set to false).
	Decide   *providers        `json:"decide,omitempty"`
	Check    *providers        `json:"check,omitempty"`
	Choices  map[string]string `json:"choices,omitempty"`
	Today    string            `json:"today"`
	ClosedOn string            `json:"closed_on,omitempty"`
	Lang     string            `json:"lang,omitempty"`
	Steps    []caseStep        `json:"receipts"`
	path     string
	stored   []byte // the decision's JSON, as the desk stores it
}

type providers struct {
	Calendar *bool `json:"calendar,omitempty"`
	Rates    *bool `json:"rates,omitempty"`
}

type caseStep struct {
	ID      string          `json:"id,omitempty"`
	Receipt json.RawMessage `json:"receipt,omitempty"`
	// Review reviews the line of receipt number Of (0-based).
	Review json.RawMessage            `json:"review,omitempty"`
	Of     int                        `json:"of,omitempty"`
	Paid   bool                       `json:"paid,omitempty"`
	Expect map[string]json.RawMessage `json:"expect"`
}

var (
	fixtureOnce  sync.Once
	fixtureRates *fx.Rates
	fixtureCal   = calendar.New()
)

// rates are the test fixture rates (invented, in the ECB history layout).
func rates(t testing.TB) *fx.Rates {
	fixtureOnce.Do(func() {
		data, err := os.ReadFile("testdata/rates-fixture.csv")
		if err != nil {
			t.Fatal(err)
		}
		f, err := fx.Parse("rates-fixture.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		if fixtureRates, err = fx.Build(f); err != nil {
			t.Fatal(err)
		}
	})
	return fixtureRates
}

func (p *providers) use(t testing.TB) (assistance.Env, Env) {
	cal, rt := true, true
	if p != nil && p.Calendar != nil {
		cal = *p.Calendar
	}
	if p != nil && p.Rates != nil {
		rt = *p.Rates
	}
	var ae assistance.Env
	var e Env
	if cal {
		ae.Workdays, e.Workdays = fixtureCal, fixtureCal
	}
	if rt {
		r := rates(t)
		ae.Rates, e.Rates = r, r
	}
	return ae, e
}

func loadCases(t testing.TB) []caseFile {
	t.Helper()
	files, err := filepath.Glob("testdata/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []caseFile
	for _, f := range files {
		if strings.HasPrefix(f, filepath.Join("testdata", "bases")) {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c caseFile
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.DisallowUnknownFields()
		if err := d.Decode(&c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		c.path = f
		if dir := filepath.Base(filepath.Dir(f)); dir != c.Terms {
			t.Fatalf("%s: terms %q but filed under %s", f, c.Terms, dir)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatal("no case files")
	}
	return out
}

// mergePatch applies an RFC 7386 JSON merge patch.
func mergePatch(doc, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	d, ok := doc.(map[string]any)
	if !ok {
		d = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(d, k)
			continue
		}
		d[k] = mergePatch(d[k], v)
	}
	return d
}

// facts decides the case of a case file and returns the facts of its check.
func (c *caseFile) facts(t testing.TB) (*Facts, Env) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "bases", c.Base+".json"))
	if err != nil {
		t.Fatalf("%s: base: %v", c.path, err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(c.Patch) > 0 {
		var p any
		if err := json.Unmarshal(c.Patch, &p); err != nil {
			t.Fatalf("%s: patch: %v", c.path, err)
		}
		doc = mergePatch(doc, p)
	}
	body, _ := json.Marshal(doc)
	ae, _ := c.Decide.use(t)
	_, env := c.Check.use(t)
	cs, err := assistance.Decode(body, ae)
	if err != nil {
		t.Fatalf("%s: case: %v", c.path, err)
	}
	d, err := assistance.Decide(cs, ae, "")
	if err != nil {
		t.Fatalf("%s: decide: %v", c.path, err)
	}
	if c.Terms != "" && d.Terms.ID != c.Terms {
		t.Fatalf("%s: decided under %s, want %s", c.path, d.Terms.ID, c.Terms)
	}
	c.stored = d.AppendJSON(nil)
	f := &Facts{Case: cs, Decision: FromDecision(&d), Choices: c.Choices, Language: roadcover.Language(c.Lang)}
	if c.Today != "" {
		if f.Today, err = roadcover.ParseDate(c.Today); err != nil {
			t.Fatal(err)
		}
	}
	if c.ClosedOn != "" {
		if f.ClosedOn, err = roadcover.ParseDate(c.ClosedOn); err != nil {
			t.Fatal(err)
		}
	}
	return f, env
}

func TestCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(c.path[len("testdata/"):], ".json"), func(t *testing.T) {
			v, ok := terms.ByID(c.Terms)
			if !ok {
				t.Fatalf("unknown terms %s", c.Terms)
			}
			for _, cl := range c.Clauses {
				if !v.HasClause(cl) {
					t.Errorf("the case names clause %q, not in %s", cl, c.Terms)
				}
			}
			f, env := c.facts(t)
			var lines []Line
			for i, s := range c.Steps {
				var line Line
				var err error
				switch {
				case s.Review != nil:
					var rv Review
					if rv, err = DecodeReview(s.Review); err == nil {
						line, err = ApplyReview(lines[s.Of], rv, s.Paid)
					}
				default:
					var r Receipt
					if r, err = DecodeReceipt(s.Receipt); err == nil {
						r.ID = s.ID
						if r.ID == "" {
							r.ID = fmt.Sprintf("r%d", i+1)
						}
						f.Earlier = lines
						line, err = Check(r, f, env)
						sameFromStored(t, c.stored, r, f, env, line, err)
					}
				}
				for _, p := range expectLine(line, err, s.Expect, v) {
					t.Errorf("step %d: %s", i, p)
				}
				if err != nil {
					continue
				}
				if s.Review != nil {
					lines = append([]Line(nil), lines...)
					lines[s.Of] = line
				} else {
					lines = append(lines, line)
				}
			}
		})
	}
}

// sameFromStored checks the receipt again against the decision read back
// from its stored JSON: the line must be the same.
func sameFromStored(t *testing.T, stored []byte, r Receipt, f *Facts, env Env, want Line, wantErr error) {
	t.Helper()
	d, err := DecidedFromJSON(stored)
	if err != nil {
		t.Fatalf("stored decision: %v", err)
	}
	g := *f
	g.Decision = d
	got, err := Check(r, &g, env)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("from the stored decision: error %v, want %v", err, wantErr)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("from the stored decision:\n%s\nwant\n%s", a, b)
	}
}

// expectLine compares a line with the expectations and checks the shape
// every line keeps; it returns the problems.
func expectLine(l Line, err error, expect map[string]json.RawMessage, v *terms.Version) []string {
	if raw, ok := expect["error"]; ok {
		var want struct {
			Fields []string `json:"fields"`
			Code   string   `json:"code"`
		}
		if e := json.Unmarshal(raw, &want); e != nil {
			return []string{"bad error expectation: " + e.Error()}
		}
		var ie *roadcover.InputError
		var ce *roadcover.Error
		var probs []string
		switch {
		case errors.As(err, &ie):
			for _, f := range want.Fields {
				if !ie.Has(f) {
					probs = append(probs, fmt.Sprintf("error does not name %s: %v", f, ie))
				}
			}
			if want.Code != "" && string(ie.Code) != want.Code {
				probs = append(probs, fmt.Sprintf("error code %s, want %s", ie.Code, want.Code))
			}
		case errors.As(err, &ce):
			if string(ce.Code) != want.Code {
				probs = append(probs, fmt.Sprintf("error code %s, want %s", ce.Code, want.Code))
			}
		default:
			probs = append(probs, fmt.Sprintf("want an error, got %v", err))
		}
		return probs
	}
	if err != nil {
		return []string{"unexpected error: " + err.Error()}
	}
	out, e := json.Marshal(l)
	if e != nil {
		return []string{"line does not encode: " + e.Error()}
	}
	var got map[string]any
	if e := json.Unmarshal(out, &got); e != nil {
		return []string{"line is not JSON: " + e.Error()}
	}
	probs := lineShape(&l, v)
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		var want any
		_ = json.Unmarshal(expect[path], &want)
		if path == "text_contains" {
			if s, _ := want.(string); !strings.Contains(l.Text, s) {
				probs = append(probs, fmt.Sprintf("text %q does not contain %q", l.Text, s))
			}
			continue
		}
		if g := lookup(got, path); !same(g, want) {
			gb, _ := json.Marshal(g)
			wb, _ := json.Marshal(want)
			probs = append(probs, fmt.Sprintf("%s = %s, want %s", path, gb, wb))
		}
	}
	return probs
}

// lineShape holds for every line: its clause and every step's clause are
// in the version's index; its status agrees with its amount; every text is
// there; the line survives a round trip through its JSON.
func lineShape(l *Line, v *terms.Version) []string {
	var probs []string
	if l.Terms != v.ID {
		probs = append(probs, fmt.Sprintf("terms %s, want %s", l.Terms, v.ID))
	}
	if !v.HasClause(l.Clause) {
		probs = append(probs, fmt.Sprintf("line cites clause %q, not in %s", l.Clause, v.ID))
	}
	for _, s := range l.Steps {
		if !v.HasClause(s.Clause) {
			probs = append(probs, fmt.Sprintf("step %s cites clause %q, not in %s", s.Code, s.Clause, v.ID))
		}
		if s.Text == "" || strings.Contains(s.Text, "{") {
			probs = append(probs, fmt.Sprintf("step %s has text %q", s.Code, s.Text))
		}
	}
	if l.Text == "" || strings.Contains(l.Text, "{") {
		probs = append(probs, fmt.Sprintf("line text %q", l.Text))
	}
	if _, ok := texts[l.Reason]; !ok {
		probs = append(probs, "unknown reason "+l.Reason)
	}
	if l.Amount.Currency != v.Currency {
		probs = append(probs, fmt.Sprintf("amount in %s, want the limit's currency %s", l.Amount.Currency, v.Currency))
	}
	if l.Review == nil {
		switch l.Status {
		case Approved:
			if l.Amount != l.Converted {
				probs = append(probs, fmt.Sprintf("approved %s but claimed %s", l.Amount, l.Converted))
			}
		case Cut:
			if l.Amount.Minor <= 0 || l.Amount.Minor >= l.Converted.Minor {
				probs = append(probs, fmt.Sprintf("cut to %s of %s", l.Amount, l.Converted))
			}
		case Refused:
			if l.Amount.Minor != 0 {
				probs = append(probs, fmt.Sprintf("refused with %s", l.Amount))
			}
		default:
			probs = append(probs, "status "+string(l.Status))
		}
	}
	out, _ := json.Marshal(l)
	back, err := DecodeLine(out)
	if err != nil {
		probs = append(probs, "stored line does not decode: "+err.Error())
	} else if again, _ := json.Marshal(back); string(again) != string(out) {
		probs = append(probs, fmt.Sprintf("round trip changes the line:\n%s\n%s", out, again))
	}
	return probs
}

func lookup(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func same(got, want any) bool {
	switch w := want.(type) {
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) < 1e-9
	case nil:
		return got == nil
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	return string(gb) == string(wb)
}

// TestCoverage checks that every reason code of the check, every category
// and every rule clause has a case, in the GB text and in a 2023 text.
func TestCoverage(t *testing.T) {
	reasons := map[string]bool{}
	categories := map[string]map[string]bool{}
	clauses := map[string]map[string]bool{}
	for _, c := range loadCases(t) {
		gen := "2023"
		if strings.Contains(c.Terms, "gb") {
			gen = "gb"
		}
		for _, cl := range c.Clauses {
			if clauses[cl] == nil {
				clauses[cl] = map[string]bool{}
			}
			clauses[cl][gen] = true
		}
		for _, s := range c.Steps {
			var rc struct {
				Category string `json:"category"`
			}
			_ = json.Unmarshal(s.Receipt, &rc)
			if rc.Category != "" {
				if categories[rc.Category] == nil {
					categories[rc.Category] = map[string]bool{}
				}
				categories[rc.Category][gen] = true
			}
			for k, raw := range s.Expect {
				if k == "reason" || strings.HasSuffix(k, ".code") {
					var code string
					_ = json.Unmarshal(raw, &code)
					reasons[code] = true
				}
			}
		}
	}
	for code := range texts {
		if !reasons[code] {
			t.Errorf("no case expects the reason %s", code)
		}
	}
	for _, cat := range Categories {
		if !categories[cat]["2023"] {
			t.Errorf("no 2023 case has a %s receipt", cat)
		}
		if cat != Taxi && !categories[cat]["gb"] {
			t.Errorf("no GB case has a %s receipt", cat)
		}
	}
	for _, cl := range []string{"1.3", "1.3.1", "1.3.2", "1.3.3", "1.4", "1.5", "exclusions"} {
		for _, gen := range []string{"gb", "2023"} {
			if !clauses[cl][gen] {
				t.Errorf("no %s case names clause %s", gen, cl)
			}
		}
	}
}
