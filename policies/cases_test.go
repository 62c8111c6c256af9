package policies

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/terms"
)

// caseFile is one rule test: a policy, the changes made to it, the days
// asked about, and the fields of the answers it checks.
type caseFile struct {
	ID      string                     `json:"id"`
	Title   string                     `json:"title"`
	Clauses []string                   `json:"clauses"`
	Terms   string                     `json:"terms"`
	Input   caseInput                  `json:"input"`
	Expect  map[string]json.RawMessage `json:"expect"`
}

type caseInput struct {
	Policy       json.RawMessage `json:"policy"`
	IssuedAt     string          `json:"issued_at"`
	Changes      []caseChange    `json:"changes"`
	On           []string        `json:"on"`
	InvoicesFrom string          `json:"invoices_from"`
	Today        string          `json:"today"`
	Lang         string          `json:"lang"`
}

type caseChange struct {
	At                   string          `json:"at"`
	Actor                string          `json:"actor"`
	Change               json.RawMessage `json:"change"`
	AutoCollisionThrough string          `json:"auto_collision_through"`
	Premium              string          `json:"premium"`
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

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	if s == "" {
		s = "2026-01-01T12:00:00+01:00"
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func fieldsOf(err error) []any {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return []any{"not an input error: " + err.Error()}
	}
	var fs []any
	for _, f := range ie.Errors {
		fs = append(fs, f.Field)
	}
	return fs
}

// run plays a case and returns its answers as one JSON value.
func run(t *testing.T, in caseInput) map[string]any {
	out := map[string]any{}
	lang := roadcover.English
	if in.Lang != "" {
		lang = roadcover.Language(in.Lang)
	}
	np, err := DecodeNewPolicy(in.Policy)
	if err != nil {
		out["error"] = map[string]any{"fields": fieldsOf(err)}
		return out
	}
	p, err := New("P1", np, "h1", mustTime(t, in.IssuedAt))
	if err != nil {
		out["error"] = map[string]any{"fields": fieldsOf(err)}
		return out
	}
	var changes []any
	for _, c := range in.Changes {
		var res map[string]any
		at := mustTime(t, c.At)
		var ch *Change
		if c.AutoCollisionThrough != "" {
			day, _ := roadcover.ParseDate(c.AutoCollisionThrough)
			var prem *roadcover.Money
			if c.Premium != "" {
				m, _ := roadcover.ParseMinor(c.Premium)
				prem = &roadcover.Money{Minor: m, Currency: "SEK"}
			}
			var ok bool
			if ch, ok = p.AutoCollisionChange(day, prem); !ok {
				changes = append(changes, map[string]any{"due": false})
				continue
			}
		} else if ch, err = DecodeChange(c.Change); err != nil {
			changes = append(changes, map[string]any{"error": map[string]any{"fields": fieldsOf(err)}})
			continue
		}
		actor := c.Actor
		if c.AutoCollisionThrough != "" {
			actor = System
		}
		vs, err := p.Apply(ch, actor, at)
		if err != nil {
			res = map[string]any{"error": map[string]any{"fields": fieldsOf(err)}}
		} else {
			var nums []any
			for _, v := range vs {
				nums = append(nums, float64(v.Number))
			}
			res = map[string]any{"versions": nums}
		}
		changes = append(changes, res)
	}
	out["changes"] = changes
	today := p.Versions[0].ValidFrom
	if in.Today != "" {
		today, _ = roadcover.ParseDate(in.Today)
	}
	out["policy"] = decodeAny(t, AppendPolicyJSON(nil, p, today, lang))
	on := map[string]any{}
	for _, d := range in.On {
		day, err := roadcover.ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		v, err := p.VersionOn(day)
		if err != nil {
			on[d] = map[string]any{"error": "not_in_force"}
			continue
		}
		on[d] = decodeAny(t, AppendVersionJSON(nil, v, lang))
	}
	out["on"] = on
	if in.InvoicesFrom != "" {
		day, _ := roadcover.ParseDate(in.InvoicesFrom)
		inv, err := p.Invoices(day)
		if err != nil {
			out["invoices"] = map[string]any{"error": err.Error()}
		} else {
			out["invoices"] = decodeAny(t, AppendInvoicesJSON(nil, inv, lang))
		}
	}
	// Every version survives its own document.
	for _, v := range p.Versions {
		b := AppendVersionJSON(nil, v, lang)
		back, err := DecodeVersion(b)
		if err != nil {
			t.Errorf("version %d does not read back: %v\n%s", v.Number, err, b)
			continue
		}
		if again := AppendVersionJSON(nil, back, lang); string(again) != string(b) {
			t.Errorf("version %d reads back differently:\n%s\n%s", v.Number, b, again)
		}
	}
	return out
}

func decodeAny(t *testing.T, b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
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
			out := run(t, c.Input)
			for _, p := range checkExpect(out, c.Expect) {
				t.Error(p)
			}
			if t.Failed() {
				b, _ := json.MarshalIndent(out, "", " ")
				t.Logf("output: %s", b)
			}
		})
	}
}

// TestClauseCoverage: every clause the package implements has a case.
func TestClauseCoverage(t *testing.T) {
	cited := map[string]bool{}
	for _, c := range loadCases(t) {
		for _, cl := range c.Clauses {
			cited[cl] = true
		}
	}
	for _, cl := range []string{"5.1", "5.2", "5.10", "1.3", "input"} {
		if !cited[cl] {
			t.Errorf("clause %s has no case", cl)
		}
	}
}

var moneyRE = regexp.MustCompile(`^-?\d+\.\d\d$`)

// get follows a dotted path through objects and arrays (numbers index arrays).
func get(obj any, path string) any {
	for _, part := range strings.Split(path, ".") {
		switch o := obj.(type) {
		case map[string]any:
			v, ok := o[part]
			if !ok {
				return nil
			}
			obj = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(o) {
				return nil
			}
			obj = o[i]
		default:
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

// checkExpect compares the fields a case lists; {"include": [...]} asks an
// array to hold each value (or an object matching each object), {"length":
// n} for its length.
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
		if ops, ok := want.(map[string]any); ok {
			items, _ := got.([]any)
			if inc, ok := ops["include"].([]any); ok {
				for _, w := range inc {
					found := false
					for _, it := range items {
						found = found || matches(it, w)
					}
					if !found {
						probs = append(probs, fmt.Sprintf("%s: missing %v in %v", path, w, got))
					}
				}
			}
			if n, ok := ops["length"].(float64); ok && len(items) != int(n) {
				probs = append(probs, fmt.Sprintf("%s: length %d, want %v", path, len(items), n))
			}
			continue
		}
		if !same(got, want) {
			probs = append(probs, fmt.Sprintf("%s: want %v, got %v", path, want, got))
		}
	}
	return probs
}

func matches(item, want any) bool {
	wm, ok := want.(map[string]any)
	if !ok {
		return same(item, want)
	}
	for k, v := range wm {
		if !same(get(item, k), v) {
			return false
		}
	}
	return true
}
