package assistance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"roadcover"
)

// TestEntitlementAccessors checks that the compact entitlement's Code,
// Clause and ChooseOne agree with the full detail on every case file,
// including entitlements kept whole (named sites, local equivalents).
func TestEntitlementAccessors(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.json")
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tc struct {
			Input json.RawMessage `json:"input"`
		}
		if json.Unmarshal(raw, &tc) != nil || tc.Input == nil {
			continue
		}
		c, err := Decode(tc.Input, Env{})
		if err != nil {
			continue // input-error cases
		}
		for _, lang := range roadcover.Languages {
			d, err := Decide(c, Env{}, lang)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for i, e := range d.Entitlements {
				full := d.Detail(i)
				if e.Code() != full.Code || e.Clause() != full.Clause || e.ChooseOne() != full.ChooseOne {
					t.Errorf("%s #%d: %s/%s/%s, detail %s/%s/%s", f, i, e.Code(), e.Clause(), e.ChooseOne(),
						full.Code, full.Clause, full.ChooseOne)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d entitlements checked", checked)
	}
}
