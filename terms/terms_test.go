package terms

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"roadcover"
)

// TestVersionsAreAppendOnly checks every version file against data/LOCK: a
// version in force is never edited, and a new one is added with its checksum.
func TestVersionsAreAppendOnly(t *testing.T) {
	lock, err := dataFS.ReadFile("data/LOCK")
	if err != nil {
		t.Fatalf("data/LOCK: %v", err)
	}
	locked := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(lock)))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("LOCK line %q is not 'sha256  name'", line)
		}
		locked[name] = sum
	}
	entries, _ := dataFS.ReadDir("data")
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, _ := dataFS.ReadFile("data/" + e.Name())
		h := sha256.Sum256(b)
		got := hex.EncodeToString(h[:])
		want, ok := locked[e.Name()]
		switch {
		case !ok:
			t.Errorf("%s is not in data/LOCK: add the line %q", e.Name(), got+"  "+e.Name())
		case want != got:
			t.Errorf("%s changed after it was locked: a version in force is never edited; add a new version instead", e.Name())
		}
		delete(locked, e.Name())
	}
	for name := range locked {
		t.Errorf("%s is in data/LOCK but gone: versions are never removed", name)
	}
}

func TestEveryVersionLoads(t *testing.T) {
	if len(All()) == 0 {
		t.Fatal("no versions loaded")
	}
	for _, v := range All() {
		for _, c := range v.Clauses {
			for _, l := range []roadcover.Language{roadcover.English, v.Language} {
				if c.Title[l] == "" {
					t.Errorf("%s %s: no title in %s", v.ID, c.Number, l)
				}
			}
		}
	}
}

func TestSelect(t *testing.T) {
	for _, v := range All() {
		got, err := Select(v.Document, v.Market, v.From())
		if err != nil || got.Market != v.Market {
			t.Errorf("%s: select on its first day: %v", v.ID, err)
		}
		if _, err := Select(v.Document, v.Market, v.From().AddDays(-1)); err == nil {
			// only the market's first version must fail the day before
			first := true
			for _, w := range All() {
				if w.Document == v.Document && w.Market == v.Market && w.From().Before(v.From()) {
					first = false
				}
			}
			if first {
				t.Errorf("%s: the day before the first version must have no terms in force", v.ID)
			}
		}
	}
	if _, err := Select(Assistance, "XX", roadcover.Date{Year: 2026, Month: 1, Day: 1}); err == nil {
		t.Error("unknown market must fail")
	}
}

// numbersOnly is a copy of the latest Danish version (prev) with other
// numbers, in force from 1 January two years after the year prev starts in:
// the file a new version that changes only numbers would be. It comes after every version in data/, so that a file
// added there (assistance-dk-2027-01.json, say) leaves the test as it is.
func numbersOnly(t *testing.T) (v, prev *Version) {
	t.Helper()
	for _, w := range All() {
		if w.Document == Assistance && w.Market == "DK" && (prev == nil || prev.From().Before(w.From())) {
			prev = w
		}
	}
	if prev == nil {
		t.Fatal("no Danish version")
	}
	b, err := dataFS.ReadFile("data/" + prev.ID + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	year := prev.From().Year + 2
	raw["id"] = fmt.Sprintf("assistance-dk-%d-01", year)
	raw["in_force_from"] = fmt.Sprintf("%d-01-01", year)
	for _, p := range raw["parameters"].([]any) {
		if m := p.(map[string]any); m["name"] == "hotel_per_person_night" {
			m["value"] = m["value"].(float64) + 2000
		}
	}
	nb, _ := json.Marshal(raw)
	v, err = Parse(nb)
	if err != nil {
		t.Fatal(err)
	}
	return v, prev
}

func idOf(v *Version) string {
	if v == nil {
		return "no version"
	}
	return v.ID
}

// TestNumbersOnlyVersionIsOneFile: a version that changes only numbers has
// the structure of the one before it and is selected from its first day on,
// by its data alone.
func TestNumbersOnlyVersionIsOneFile(t *testing.T) {
	v, old := numbersOnly(t)
	if err := v.SameStructure(old); err != nil {
		t.Fatal(err)
	}
	saved := registry
	defer func() { registry = saved }()
	registry = append(append([]*Version(nil), saved...), v)
	first := v.From()
	if got, err := Select(Assistance, "DK", first); err != nil || got != v {
		t.Errorf("%s: %s, %v", first, idOf(got), err)
	}
	if got, err := Select(Assistance, "DK", first.AddDays(-1)); err != nil || got != old {
		t.Errorf("%s: %s, %v", first.AddDays(-1), idOf(got), err)
	}
	if p, ok := Previous(v, registry); !ok || p != old {
		t.Errorf("previous of %s: %v", v.ID, p)
	}
	// a structural change is named
	de, _ := ByID("assistance-de-2023-05")
	if err := de.SameStructure(old); err == nil {
		t.Error("DE and DK differ in readings (de_tow_inclusive), SameStructure says they do not")
	}
	gb, _ := ByID("assistance-gb-2022")
	if err := gb.SameStructure(old); err == nil {
		t.Error("GB and DK differ in clauses, SameStructure says they do not")
	}
}
