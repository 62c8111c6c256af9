package terms

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
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
