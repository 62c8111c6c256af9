package insurance

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"roadcover"
	"roadcover/terms"
)

// specPath is the insurance spec beside the checkout (../shared/spec from
// the repository root).
const specPath = "../../shared/spec/insurance.md"

// specReadingIDs returns the ids listed in the spec's "Interpretations"
// table: the first cell of every row after the header and its rule.
func specReadingIDs(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(specPath)
	if err != nil {
		if os.IsNotExist(err) && os.Getenv("CI") == "" {
			t.Skipf("%s is not beside this checkout (outside CI the shared spec may be absent)", specPath)
		}
		t.Fatalf("the insurance spec is needed to check the readings register: %v", err)
	}
	defer f.Close()
	var ids []string
	in, row := false, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "## ") {
			in = line == "## Interpretations"
			continue
		}
		if !in || !strings.HasPrefix(line, "|") {
			continue
		}
		row++
		if row <= 2 { // header and its rule
			continue
		}
		cells := strings.Split(line, "|")
		if len(cells) < 3 {
			continue
		}
		if id := strings.Trim(strings.TrimSpace(cells[1]), "`"); id != "" {
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatalf("%s: no reading ids found under \"## Interpretations\"", specPath)
	}
	return ids
}

// TestSpecReadingsInRegister fails when a reading the spec lists is missing
// from the version's readings register, lacks a text in one of the five
// languages, or is one the engine cannot name in a settlement.
func TestSpecReadingsInRegister(t *testing.T) {
	v, ok := terms.ByID("insurance-se-2021-10")
	if !ok {
		t.Fatal("insurance-se-2021-10 not loaded")
	}
	engine := map[string]bool{}
	for _, id := range readingIDs {
		engine[id] = true
	}
	for _, id := range specReadingIDs(t) {
		r, ok := v.Reading(id)
		if !ok {
			t.Errorf("spec reading %s is not in the readings register of %s", id, v.ID)
			continue
		}
		for _, l := range roadcover.Languages {
			if strings.TrimSpace(r.Text[l]) == "" {
				t.Errorf("reading %s has no text in %s", id, l)
			}
		}
		if !engine[id] {
			t.Errorf("spec reading %s is in the register but the engine never lists it", id)
		}
	}
}
