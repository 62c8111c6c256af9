package assistance

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
	"testing"

	"roadcover"
	"roadcover/calendar"
	"roadcover/geo"
	"roadcover/terms"
)

// caseFile is one rule test: a case, the terms version it must select, the
// clauses it exercises, and the output fields it compares (expect uses the
// syntax of the conformance scenarios: a dotted path and a value, or
// include/exclude/equals/absent for lists; "error" for input errors).
type caseFile struct {
	Name    string                     `json:"name"`
	Terms   string                     `json:"terms"`
	Clauses []string                   `json:"clauses"`
	Lang    string                     `json:"lang,omitempty"`
	Env     *fakeEnv                   `json:"env,omitempty"`
	Input   json.RawMessage            `json:"input"`
	Expect  map[string]json.RawMessage `json:"expect"`
	path    string
}

func loadCases(t testing.TB) []caseFile {
	t.Helper()
	files, err := filepath.Glob("testdata/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	var out []caseFile
	for _, f := range files {
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
	return out
}

func TestCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(strings.TrimSuffix(c.path[len("testdata/"):], ".json"), func(t *testing.T) {
			env := Env{}
			if c.Env != nil {
				env = c.Env.env()
			}
			out, err := DecideJSON(c.Input, c.Lang, env)
			for _, p := range runExpect(t, out, err, c.Expect, c.Terms) {
				t.Error(p)
			}
		})
	}
}

// runExpect compares a result with the expectations and returns the problems.
func runExpect(t *testing.T, out []byte, err error, expect map[string]json.RawMessage, termsID string) []string {
	if raw, ok := expect["error"]; ok {
		var want struct {
			Exit   int      `json:"exit"`
			Fields []string `json:"fields"`
			Code   string   `json:"code"`
		}
		if e := json.Unmarshal(raw, &want); e != nil {
			return []string{"bad error expectation: " + e.Error()}
		}
		var ie *roadcover.InputError
		if !errors.As(err, &ie) {
			return []string{fmt.Sprintf("want an input error, got %v", err)}
		}
		if out != nil {
			return []string{"an input error must produce no output"}
		}
		var probs []string
		for _, f := range want.Fields {
			if !ie.Has(f) {
				probs = append(probs, fmt.Sprintf("error does not name %s: %v", f, ie))
			}
		}
		if want.Code != "" && string(ie.Code) != want.Code {
			probs = append(probs, fmt.Sprintf("error code %s, want %s", ie.Code, want.Code))
		}
		return probs
	}
	if err != nil {
		return []string{"unexpected error: " + err.Error()}
	}
	var got map[string]any
	if e := json.Unmarshal(out, &got); e != nil {
		return []string{"output is not JSON: " + e.Error()}
	}
	probs := checkShape(got, termsID)
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		var want any
		_ = json.Unmarshal(expect[path], &want)
		probs = append(probs, compare(path, lookup(got, path), want)...)
	}
	return probs
}

// checkShape holds for every decision: the version applied is the one the
// case names, every clause cited is in its index, every outcome has a text,
// covered is false exactly when a refusal other than location_unverified
// applies, and then no entitlement is given.
func checkShape(got map[string]any, termsID string) []string {
	var probs []string
	id, _ := lookup(got, "terms.id").(string)
	if id != termsID {
		probs = append(probs, fmt.Sprintf("terms.id %q, want %q", id, termsID))
	}
	v, ok := terms.ByID(id)
	if !ok {
		return append(probs, "unknown terms "+id)
	}
	refused := false
	for _, list := range []string{"refusals", "entitlements"} {
		items, _ := got[list].([]any)
		for _, it := range items {
			m := it.(map[string]any)
			cl, _ := m["clause"].(string)
			if !v.HasClause(cl) {
				probs = append(probs, fmt.Sprintf("%s %v cites clause %q, not in %s", list, m["code"], cl, id))
			}
			if s, _ := m["text"].(string); s == "" {
				probs = append(probs, fmt.Sprintf("%s %v has no text", list, m["code"]))
			}
			if list == "refusals" && m["code"] != LocationUnverified {
				refused = true
			}
		}
	}
	if cov, _ := got["covered"].(bool); cov == refused {
		probs = append(probs, fmt.Sprintf("covered=%v with refusals %v", cov, got["refusals"]))
	}
	if ents, _ := got["entitlements"].([]any); refused && len(ents) > 0 {
		probs = append(probs, "entitlements given although refused")
	}
	return probs
}

func lookup(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		if v, ok = m[part]; !ok {
			return nil
		}
	}
	return v
}

func same(got, want any) bool {
	switch w := want.(type) {
	case bool:
		g, ok := got.(bool)
		return ok && g == w
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) < 1e-9
	case string:
		g, ok := got.(string)
		if ok && g == w {
			return true
		}
		if f, err := strconv.ParseFloat(w, 64); err == nil && ok {
			gf, err := strconv.ParseFloat(g, 64)
			return err == nil && gf == f && strings.Contains(w, ".") == strings.Contains(g, ".")
		}
		return false
	case nil:
		return got == nil
	}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	return string(gb) == string(wb)
}

func itemMatches(item, want any) bool {
	if wm, ok := want.(map[string]any); ok {
		for k, v := range wm {
			if !same(lookup(item, k), v) {
				return false
			}
		}
		_, isMap := item.(map[string]any)
		return isMap
	}
	return keyOf(item) == want
}

func keyOf(item any) any {
	if m, ok := item.(map[string]any); ok {
		return m["code"]
	}
	return item
}

func compare(path string, got, want any) []string {
	wm, isOp := want.(map[string]any)
	if isOp {
		_, a := wm["include"]
		_, b := wm["exclude"]
		_, c := wm["equals"]
		_, d := wm["absent"]
		isOp = a || b || c || d
	}
	if !isOp {
		if !same(got, want) {
			return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
		}
		return nil
	}
	items, _ := got.([]any)
	var probs []string
	if inc, ok := wm["include"].([]any); ok {
		for _, w := range inc {
			found := false
			for _, it := range items {
				found = found || itemMatches(it, w)
			}
			if !found {
				probs = append(probs, fmt.Sprintf("%s: missing %v in %v", path, w, codes(items)))
			}
		}
	}
	if exc, ok := wm["exclude"].([]any); ok {
		for _, w := range exc {
			for _, it := range items {
				if keyOf(it) == w {
					probs = append(probs, fmt.Sprintf("%s: should not contain %v", path, w))
				}
			}
		}
	}
	if eq, ok := wm["equals"].([]any); ok {
		g, w := map[any]bool{}, map[any]bool{}
		for _, it := range items {
			g[keyOf(it)] = true
		}
		for _, it := range eq {
			w[it] = true
		}
		if fmt.Sprint(g) != fmt.Sprint(w) {
			probs = append(probs, fmt.Sprintf("%s: want exactly %v, got %v", path, eq, codes(items)))
		}
	}
	if ab, _ := wm["absent"].(bool); ab && len(items) > 0 {
		probs = append(probs, fmt.Sprintf("%s: should be empty, got %v", path, codes(items)))
	}
	return probs
}

func codes(items []any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = keyOf(it)
	}
	return out
}

// TestClauseCoverage fails when a clause marked implemented has no case in
// its version's directory, or a case cites a clause its version does not print.
func TestClauseCoverage(t *testing.T) {
	cited := map[string]map[string]bool{}
	for _, c := range loadCases(t) {
		v, ok := terms.ByID(c.Terms)
		if !ok {
			t.Errorf("%s: unknown terms %s", c.path, c.Terms)
			continue
		}
		if len(c.Clauses) == 0 {
			if _, isErr := c.Expect["error"]; !isErr {
				t.Errorf("%s: a decision case must name the clauses it exercises", c.path)
			}
		}
		if cited[v.ID] == nil {
			cited[v.ID] = map[string]bool{}
		}
		for _, cl := range c.Clauses {
			if !v.HasClause(cl) {
				t.Errorf("%s: cites clause %q, which %s does not print", c.path, cl, v.ID)
			}
			cited[v.ID][cl] = true
		}
	}
	for _, v := range terms.All() {
		if v.Document != terms.Assistance {
			continue
		}
		if profileOf(v, terms.All()) == nil {
			t.Errorf("%s has no rule profile: a version that changes structure needs its own (terms/data/README.md)", v.ID)
		}
		if _, own := profiles[v.ID]; !own && cited[v.ID] == nil {
			continue // numbers only: its predecessor's cases, moved into its window, run in TestNumbersOnlyVersions
		}
		for _, cl := range v.Clauses {
			if cl.Implemented && !cited[v.ID][cl.Number] {
				t.Errorf("%s: clause %s is implemented but no case in testdata/%s exercises it", v.ID, cl.Number, v.ID)
			}
		}
	}
}

// TestTextsComplete checks that every explanation exists in all five
// languages for every version that can produce it.
func TestTextsComplete(t *testing.T) {
	for id, byLang := range textSets {
		for code := range templates {
			_, inVersion := byLang[roadcover.English].m[code]
			for _, l := range roadcover.Languages {
				s := byLang[l].m[code]
				if inVersion && (s == "" || strings.Contains(s, "{")) {
					t.Errorf("%s: %s has no complete text in %s", id, code, l)
				}
			}
		}
	}
}

// TestPublicScenarios runs the shared conformance scenarios of the
// assistance suites in-process, with the embedded boundaries and the
// working-day calendar as the binary has them, when they are present next to
// the repository (CI also runs them against the binary through .ci/run).
func TestPublicScenarios(t *testing.T) {
	shared := filepath.Join("..", "..", "shared")
	if d := os.Getenv("ROADCOVER_SHARED"); d != "" {
		shared = d
	}
	var files []string
	for _, suite := range []string{"assistance", "assistance-2026-12"} {
		fs, _ := filepath.Glob(filepath.Join(shared, "conformance", suite, "*.json"))
		files = append(files, fs...)
	}
	if len(files) == 0 {
		t.Skip("the shared conformance scenarios are not next to this repository")
	}
	env := Env{Countries: geo.Lazy{}, Workdays: calendar.New()}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sc struct {
			ID     string                     `json:"id"`
			Input  json.RawMessage            `json:"input"`
			Expect map[string]json.RawMessage `json:"expect"`
		}
		if err := json.Unmarshal(b, &sc); err != nil {
			t.Fatal(err)
		}
		t.Run(sc.ID, func(t *testing.T) {
			out, err := DecideJSON(sc.Input, "", env)
			var id string
			if err == nil {
				var got map[string]any
				_ = json.Unmarshal(out, &got)
				id, _ = lookup(got, "terms.id").(string)
			}
			for _, p := range runExpect(t, out, err, sc.Expect, id) {
				t.Error(p)
			}
		})
	}
}
