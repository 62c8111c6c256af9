package assistance

import (
	"testing"

	"roadcover"
)

// onTheSpot are the entitlements of 1.1 and 1.2 that say what happens to the
// car where it stands; a decision gives at most one of each and never a tow
// beside a repair on the spot of the same problem.
var onTheSpot = map[string]bool{"roadside_repair": true, "tyre_repair_kit": true, "jump_start": true,
	"fuel_delivery": true, "lock_opening": true}

// TestDecisionInvariants runs every case file in every language and checks
// what must hold of any decision: covered is false exactly when there is a
// refusal other than location_unverified; a refused decision grants nothing;
// no entitlement or refusal is given twice (two outcomes without a priority
// would show here); help on the spot and a tow exclude each other; every
// outcome has a text in the language asked for and cites a clause of the
// version's index.
func TestDecisionInvariants(t *testing.T) {
	decided := 0
	for _, tc := range loadCases(t) {
		f := tc.path
		c, err := Decode(tc.Input, Env{})
		if err != nil {
			continue
		}
		for _, lang := range roadcover.Languages {
			d, err := Decide(c, Env{}, lang)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			decided++
			hard := 0
			seenRef := map[string]bool{}
			for _, r := range d.Refusals {
				if seenRef[r.Code] {
					t.Errorf("%s: refusal %s twice", f, r.Code)
				}
				seenRef[r.Code] = true
				if r.Code != LocationUnverified {
					hard++
				}
				if !c.Terms.HasClause(r.Clause) {
					t.Errorf("%s: refusal %s cites %q, not in %s", f, r.Code, r.Clause, c.Terms.ID)
				}
				if r.Text == "" {
					t.Errorf("%s: refusal %s has no text in %s", f, r.Code, lang)
				}
			}
			if d.Covered != (hard == 0) {
				t.Errorf("%s: covered %v with %d refusals", f, d.Covered, hard)
			}
			if !d.Covered && len(d.Entitlements) > 0 {
				t.Errorf("%s: refused but grants %d entitlements", f, len(d.Entitlements))
			}
			seen := map[string]bool{}
			spot, tow := 0, 0
			for i, e := range d.Entitlements {
				full := d.Detail(i)
				if seen[e.Code()] {
					t.Errorf("%s: entitlement %s twice", f, e.Code())
				}
				seen[e.Code()] = true
				if onTheSpot[e.Code()] && e.Code() != "lock_opening" {
					spot++
				}
				if e.Code() == "tow" {
					tow++
				}
				if !c.Terms.HasClause(e.Clause()) {
					t.Errorf("%s: %s cites %q, not in %s", f, e.Code(), e.Clause(), c.Terms.ID)
				}
				if full.Text == "" {
					t.Errorf("%s: %s has no text in %s", f, e.Code(), lang)
				}
			}
			if spot > 1 || (spot > 0 && tow > 0) {
				t.Errorf("%s: %d kinds of help on the spot and %d tows", f, spot, tow)
			}
		}
	}
	if decided < 500 {
		t.Fatalf("only %d decisions checked", decided)
	}
}
