package assistance

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"roadcover"
	"roadcover/terms"
)

// specFile is the assistance spec beside the repository (shared/spec), or
// under ROADCOVER_SHARED when that is set (as .ci/run does).
func specFile() string {
	if d := os.Getenv("ROADCOVER_SHARED"); d != "" {
		return filepath.Join(d, "spec", "assistance.md")
	}
	return filepath.Join("..", "..", "shared", "spec", "assistance.md")
}

var readingRow = regexp.MustCompile("^\\|\\s*([a-z0-9_]+)\\s*\\|")

// specReadingIDs reads the ids of the spec's "Interpretations" table.
func specReadingIDs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(specFile())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the spec is required in CI: %v", err)
		}
		t.Skipf("the spec is not beside the repository (%v): its reading ids cannot be checked here", err)
	}
	defer f.Close()
	var ids []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line) == "## Interpretations"
			continue
		}
		if m := readingRow.FindStringSubmatch(line); in && m != nil && m[1] != "id" {
			ids = append(ids, m[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) < 10 {
		t.Fatalf("found %d reading ids in the spec's Interpretations section; its format changed?", len(ids))
	}
	return ids
}

// TestSpecReadingsRegistered fails when a reading id of the spec's
// Interpretations list is not in the readings register of any assistance
// version (with texts in all five languages), or not known to the engine.
func TestSpecReadingsRegistered(t *testing.T) {
	known := map[string]bool{}
	for _, n := range readingNames {
		known[n] = true
	}
	for _, id := range specReadingIDs(t) {
		var found []string
		for _, v := range terms.All() {
			if v.Document != terms.Assistance {
				continue
			}
			rd, ok := v.Reading(id)
			if !ok {
				continue
			}
			found = append(found, v.ID)
			for _, l := range roadcover.Languages {
				if rd.Text[l] == "" {
					t.Errorf("%s: reading %s has no text in %s", v.ID, id, l)
				}
			}
		}
		if len(found) == 0 {
			t.Errorf("reading %s of the spec is in no assistance version's readings", id)
		}
		if !known[id] {
			t.Errorf("reading %s of the spec is not one the engine can rely on (ids.go)", id)
		}
	}
}

// TestReadingsResolve checks that every reading the engine can rely on is in
// the register of at least one version, so that no rule relies on a reading
// a decision could not explain.
func TestReadingsResolve(t *testing.T) {
	for id, name := range readingNames {
		n := 0
		for _, vi := range vinfos {
			if vi.readings[id] != nil {
				n++
			}
		}
		if n == 0 {
			t.Errorf("the engine's reading %s is in no version's register", name)
		}
	}
}

// TestReadingsExercised fails when a reading the engine can rely on is relied
// on by no case file of testdata: each reading has a rule case.
func TestReadingsExercised(t *testing.T) {
	used := map[string]bool{}
	for _, c := range loadCases(t) {
		env := Env{}
		if c.Env != nil {
			env = c.Env.env()
		}
		_, d, err := DecideJSONWith(c.Input, c.Lang, env)
		if err != nil {
			continue
		}
		for _, id := range d.Readings() {
			used[id] = true
		}
	}
	for _, name := range readingNames {
		if !used[name] {
			t.Errorf("no case in testdata relies on the reading %s", name)
		}
	}
}
