package assistance

import (
	"testing"

	"roadcover"
)

// TestEntitlementAccessors checks that the compact entitlement's Code,
// Clause and ChooseOne agree with the full detail on every case file,
// including entitlements kept whole (named sites, local equivalents).
func TestEntitlementAccessors(t *testing.T) {
	checked := 0
	for _, tc := range loadCases(t) {
		f := tc.path
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
