package insurance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"roadcover"
	"roadcover/terms"
)

// caseFile is one rule test: a claim, the clauses it exercises and the
// fields of the settlement it checks (the conformance suite's format).
type caseFile struct {
	ID      string                     `json:"id"`
	Title   string                     `json:"title"`
	Clauses []string                   `json:"clauses"`
	Terms   string                     `json:"terms"`
	Command string                     `json:"command"`
	Input   json.RawMessage            `json:"input"`
	Expect  map[string]json.RawMessage `json:"expect"`
}

func loadCases(t testing.TB) []caseFile {
	t.Helper()
	names, err := filepath.Glob("testdata/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	var cs []caseFile
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var c caseFile
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.DisallowUnknownFields()
		if err := d.Decode(&c); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if c.ID+".json" != filepath.Base(n) {
			t.Fatalf("%s: id %q does not match the file name", n, c.ID)
		}
		cs = append(cs, c)
	}
	return cs
}

func TestCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.ID, func(t *testing.T) {
			v, ok := terms.ByID(c.Terms)
			if !ok {
				t.Fatalf("unknown terms %q", c.Terms)
			}
			for _, cl := range c.Clauses {
				if cl != "input" && !v.HasClause(cl) {
					t.Errorf("cites clause %s, which %s does not print", cl, v.ID)
				}
			}
			out, err := SettleJSON(c.Input, "")
			if raw, ok := c.Expect["error"]; ok {
				var want struct {
					Fields []string `json:"fields"`
				}
				json.Unmarshal(raw, &want)
				var ie *roadcover.InputError
				if !errors.As(err, &ie) {
					t.Fatalf("want an input error, got %v (%s)", err, out)
				}
				for _, f := range want.Fields {
					if !ie.Has(f) {
						t.Errorf("the error does not name %s: %v", f, ie)
					}
				}
				if roadcover.ExitCode(err) != 2 {
					t.Errorf("exit code %d, want 2", roadcover.ExitCode(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("settle: %v", err)
			}
			var got any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			for _, p := range checkExpect(got, c.Expect) {
				t.Error(p)
			}
			if t.Failed() {
				t.Logf("output: %s", out)
			}
		})
	}
}

// TestClauseCoverage fails when an implemented clause has no case, or a
// case cites a clause that is not in the index.
func TestClauseCoverage(t *testing.T) {
	cited := map[string]bool{}
	for _, c := range loadCases(t) {
		for _, cl := range c.Clauses {
			cited[cl] = true
		}
	}
	for _, v := range terms.All() {
		if v.Document != terms.Insurance {
			continue
		}
		for _, cl := range v.Clauses {
			if cl.Implemented && !cited[cl.Number] {
				t.Errorf("%s: clause %s is implemented but no case cites it", v.ID, cl.Number)
			}
		}
		for cl := range cited {
			if cl != "input" && !v.HasClause(cl) {
				t.Errorf("a case cites clause %s, which %s does not print", cl, v.ID)
			}
		}
	}
}

var moneyRE = regexp.MustCompile(`^-?\d+\.\d\d$`)

func get(obj any, path string) any {
	for _, part := range strings.Split(path, ".") {
		m, ok := obj.(map[string]any)
		if !ok {
			return nil
		}
		if obj, ok = m[part]; !ok {
			return nil
		}
	}
	return obj
}

func same(got, want any) bool {
	if ws, ok := want.(string); ok && moneyRE.MatchString(ws) {
		gs, ok := got.(string)
		if !ok || !moneyRE.MatchString(gs) {
			return false
		}
		a, _ := roadcover.ParseMinor(gs)
		b, _ := roadcover.ParseMinor(ws)
		return a == b
	}
	return fmt.Sprint(got) == fmt.Sprint(want)
}

func keyOf(item any) string {
	if m, ok := item.(map[string]any); ok {
		if c, ok := m["code"]; ok {
			return fmt.Sprint(c)
		}
		return fmt.Sprint(m["cover"])
	}
	return fmt.Sprint(item)
}

func matches(item, want any) bool {
	wm, ok := want.(map[string]any)
	if !ok {
		return keyOf(item) == fmt.Sprint(want)
	}
	for k, v := range wm {
		if !same(get(item, k), v) {
			return false
		}
	}
	return true
}

func checkExpect(out any, expect map[string]json.RawMessage) []string {
	var probs []string
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		var want any
		json.Unmarshal(expect[path], &want)
		got := get(out, path)
		ops, isOps := want.(map[string]any)
		if isOps && (ops["include"] != nil || ops["exclude"] != nil || ops["equals"] != nil || ops["absent"] != nil) {
			items, _ := got.([]any)
			for _, w := range asList(ops["include"]) {
				found := false
				for _, it := range items {
					found = found || matches(it, w)
				}
				if !found {
					probs = append(probs, fmt.Sprintf("%s: missing %v", path, w))
				}
			}
			for _, w := range asList(ops["exclude"]) {
				for _, it := range items {
					if keyOf(it) == fmt.Sprint(w) {
						probs = append(probs, fmt.Sprintf("%s: should not contain %v", path, w))
					}
				}
			}
			if eq, ok := ops["equals"]; ok {
				a, b := map[string]bool{}, map[string]bool{}
				for _, it := range items {
					a[keyOf(it)] = true
				}
				for _, w := range asList(eq) {
					b[fmt.Sprint(w)] = true
				}
				if fmt.Sprint(a) != fmt.Sprint(b) {
					probs = append(probs, fmt.Sprintf("%s: want exactly %v, got %v", path, b, a))
				}
			}
			if ops["absent"] == true && len(items) > 0 {
				probs = append(probs, fmt.Sprintf("%s: should be absent", path))
			}
			continue
		}
		if !same(got, want) {
			probs = append(probs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
	return probs
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestTextsEveryLanguage checks that every code the engine can emit has our
// own text in all five languages, and that cases never fall back to a code.
func TestTextsEveryLanguage(t *testing.T) {
	for code, tx := range texts {
		for i, s := range tx {
			if s == "" {
				t.Errorf("%s: no text in language %d", code, i)
			}
		}
	}
	v, _ := terms.ByID("insurance-se-2021-10")
	for _, c := range loadCases(t) {
		for _, l := range roadcover.Languages {
			out, err := SettleJSON(c.Input, string(l))
			if err != nil {
				continue
			}
			var s struct {
				Lines []struct {
					Cover      string
					Text       string
					Valuation  []struct{ Code, Text string }
					Parts      []struct{ Code, Text string } `json:"deductible_parts"`
					Reductions []struct{ Code, Text string }
				}
				Refusals        []struct{ Code, Text string }
				Interpretations []string
				Readings        []string
				Parameters      []struct {
					Name, Unit, Clause string
				}
			}
			json.Unmarshal(out, &s)
			for _, ln := range s.Lines {
				if ln.Text == ln.Cover {
					t.Errorf("%s/%s: line %s has no text", c.ID, l, ln.Cover)
				}
				for _, x := range append(append(ln.Valuation, ln.Parts...), ln.Reductions...) {
					if x.Text == x.Code || x.Text == "" {
						t.Errorf("%s/%s: %s has no text", c.ID, l, x.Code)
					}
				}
			}
			for _, r := range s.Refusals {
				if r.Text == r.Code || r.Text == "" {
					t.Errorf("%s/%s: refusal %s has no text", c.ID, l, r.Code)
				}
			}
			if len(s.Interpretations) != len(s.Readings) {
				t.Errorf("%s/%s: %d interpretations for %d readings", c.ID, l, len(s.Interpretations), len(s.Readings))
			}
			for i, r := range s.Interpretations {
				if r == "" || r == s.Readings[i] {
					t.Errorf("%s/%s: reading %s has no text", c.ID, l, s.Readings[i])
				}
			}
			for _, p := range s.Parameters {
				if p.Name == "" || p.Unit == "" || !v.HasClause(p.Clause) {
					t.Errorf("%s/%s: parameter %+v lacks a name, unit or known clause", c.ID, l, p)
				}
			}
		}
	}
}

// TestReadingsAndParameters checks that the engine's readings and
// parameters all exist in the version file.
func TestReadingsAndParameters(t *testing.T) {
	v, ok := terms.ByID("insurance-se-2021-10")
	if !ok {
		t.Fatal("insurance-se-2021-10 not loaded")
	}
	for _, id := range readingIDs {
		if _, ok := v.Reading(id); !ok {
			t.Errorf("reading %s is not in the version file", id)
		}
	}
	if _, err := paramsOf(v); err != nil {
		t.Error(err)
	}
	for y := 2021; y <= 2026; y++ {
		if _, ok := priceBase(v, y); !ok {
			t.Errorf("no price base amount for %d", y)
		}
	}
	for _, y := range []int{2020, 2027} {
		if _, ok := priceBase(v, y); ok {
			t.Errorf("a price base amount for %d must not be guessed", y)
		}
	}
}

// TestClausesInIndex checks that every clause a settlement cites (lines,
// valuation steps, deductible parts, reductions, refusals, parameters and
// readings) is printed in the version's index. The engine cites clauses as
// literals; the cases reach every rule, so an unknown one fails here.
func TestClausesInIndex(t *testing.T) {
	v, _ := terms.ByID("insurance-se-2021-10")
	for _, c := range loadCases(t) {
		cl, err := Decode(c.Input)
		if err != nil {
			continue
		}
		s, err := Settle(cl, roadcover.English)
		if err != nil {
			continue
		}
		var cited []string
		for _, l := range s.Lines {
			cited = append(cited, l.Clause, l.capCl)
			for _, x := range l.Valuation {
				cited = append(cited, x.Clause)
			}
			for _, x := range l.Parts {
				cited = append(cited, x.Clause)
			}
			for _, x := range l.Reductions {
				cited = append(cited, x.Clause)
			}
		}
		for _, r := range s.Refusals {
			cited = append(cited, r.Clause)
		}
		for _, p := range s.Parameters() {
			cited = append(cited, p.Clause)
		}
		for _, r := range s.Interpretations {
			cited = append(cited, r.Clauses...)
		}
		for _, n := range cited {
			if n != "" && !v.HasClause(n) {
				t.Errorf("%s: cites clause %q, which %s does not print", c.ID, n, v.ID)
			}
		}
	}
}
