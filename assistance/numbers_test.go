package assistance

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/terms"
)

var dayInText = regexp.MustCompile(`^\d{4}-\d\d-\d\d`)

// redate moves the days of a case input by days: occurred_at, reported_at,
// repair.ready_by and vehicle.first_registered.
func redate(t *testing.T, input json.RawMessage, days int) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(input, &m); err != nil {
		return input
	}
	move := func(obj map[string]any, key string) {
		s, ok := obj[key].(string)
		if !ok || !dayInText.MatchString(s) {
			return
		}
		d, err := time.Parse("2006-01-02", s[:10])
		if err != nil {
			return
		}
		obj[key] = d.AddDate(0, 0, days).Format("2006-01-02") + s[10:]
	}
	move(m, "occurred_at")
	move(m, "reported_at")
	if r, ok := m["repair"].(map[string]any); ok {
		move(r, "ready_by")
	}
	if v, ok := m["vehicle"].(map[string]any); ok {
		move(v, "first_registered")
	}
	b, _ := json.Marshal(m)
	return b
}

// numbersOnlyCheck decides the cases of prev moved by whole weeks into v's
// window under v: each must be decided by v (or refused as input the same
// way), with every clause it cites in v's index and every outcome explained.
func numbersOnlyCheck(t *testing.T, v, prev *terms.Version) {
	// whole weeks keep the weekdays (working days, 1.3.3 and 1.5), rounded
	// up so that a case of prev's first day lands on or after v's
	days := (int(v.From().Time().Sub(prev.From().Time()).Hours()/24) + 6) / 7 * 7
	for _, c := range loadCases(t) {
		if c.Terms != prev.ID {
			continue
		}
		if raw, ok := c.Expect["error"]; ok && strings.Contains(string(raw), string(roadcover.CodeNoTermsInForce)) {
			continue
		}
		env := Env{}
		if c.Env != nil {
			env = c.Env.env()
		}
		out, err := DecideJSON(redate(t, c.Input, days), c.Lang, env)
		if _, isErr := c.Expect["error"]; isErr {
			if err == nil {
				t.Errorf("%s under %s: want an input error", c.path, v.ID)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s under %s: %v", c.path, v.ID, err)
			continue
		}
		var got map[string]any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for _, p := range checkShape(got, v.ID) {
			t.Errorf("%s under %s: %s", c.path, v.ID, p)
		}
	}
}

// TestNumbersOnlyVersions: a version with no case directory of its own must
// be one that changes only numbers; its predecessor's cases, moved into its
// window, are decided under it.
func TestNumbersOnlyVersions(t *testing.T) {
	for _, v := range terms.All() {
		if v.Document != terms.Assistance {
			continue
		}
		if _, err := os.Stat("testdata/" + v.ID); err == nil {
			continue
		}
		prev, ok := terms.Previous(v, terms.All())
		if !ok {
			t.Errorf("%s has no cases and no version before it", v.ID)
			continue
		}
		if err := v.SameStructure(prev); err != nil {
			t.Errorf("%s has no cases of its own, so it must change only numbers: %v", v.ID, err)
			continue
		}
		numbersOnlyCheck(t, v, prev)
	}
}

// TestNumbersOnlyVersionNeedsNoCode builds a Danish version whose only
// change is the hotel limit (a copy of the latest Danish data file with two
// numbers changed, in force from 1 January two years after that file's first
// year, so that a file added to terms/data leaves the test as it is),
// resolves it as init does and decides a Danish case under it: the profile
// is the Danish one, the decision names the new version and reads the new
// number. Nothing else is needed.
func TestNumbersOnlyVersionNeedsNoCode(t *testing.T) {
	var prev *terms.Version
	for _, w := range terms.All() {
		if w.Document == terms.Assistance && w.Market == "DK" && (prev == nil || prev.From().Before(w.From())) {
			prev = w
		}
	}
	b, err := os.ReadFile("../terms/data/" + prev.ID + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	year := prev.From().Year + 2
	raw["id"], raw["in_force_from"] = fmt.Sprintf("assistance-dk-%d-01", year), fmt.Sprintf("%d-01-01", year)
	var hotel float64
	for _, p := range raw["parameters"].([]any) {
		if m := p.(map[string]any); m["name"] == "hotel_per_person_night" {
			hotel = m["value"].(float64) + 2000
			m["value"] = hotel
		}
	}
	nb, _ := json.Marshal(raw)
	v, err := terms.Parse(nb)
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]*terms.Version(nil), terms.All()...), v)
	vi := newVinfo(v, all)
	if vi.pr == nil || vi.pr != profiles["assistance-dk-2023-05"] {
		t.Fatalf("the new version did not take the Danish profile: %+v", vi.pr)
	}
	vinfos[v.ID] = vi
	defer delete(vinfos, v.ID)

	var c caseFile
	for _, k := range loadCases(t) {
		if strings.HasSuffix(k.path, "assistance-dk-2023-05/tow-nearest-and-further-assistance-190-km-from-home.json") {
			c = k
		}
	}
	if c.path == "" {
		t.Fatal("the Danish case file is missing")
	}
	dk, _ := terms.ByID("assistance-dk-2023-05")
	weeks := (int(v.From().Time().Sub(dk.From().Time()).Hours()/24) + 6) / 7
	cs, err := Decode(redate(t, c.Input, 7*weeks), Env{})
	if err != nil {
		t.Fatal(err)
	}
	cs.Terms = v // terms.Select would pick the new file from its first day on (see package terms)
	d, err := Decide(cs, Env{}, "")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(d.AppendJSON(nil), &got); err != nil {
		t.Fatal(err)
	}
	if id := lookup(got, "terms.id"); id != v.ID {
		t.Errorf("decided under %v, want %s", id, v.ID)
	}
	for _, p := range compare("entitlements", lookup(got, "entitlements"),
		map[string]any{"include": []any{map[string]any{"code": "hotel", "limit.amount": fmt.Sprintf("%.2f", hotel/100)}}}) {
		t.Error(p)
	}
}
