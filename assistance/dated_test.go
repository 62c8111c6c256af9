package assistance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/terms"
)

// caseWindow is the span of days [from, until) in which the case files of a
// version are dated: from the version's first day until the next version of
// its market takes over, and for the version in force last, its first year,
// so that a version added later does not take the cases of the one before.
func caseWindow(v *terms.Version, all []*terms.Version) (from, until roadcover.Date) {
	from = v.From()
	until = roadcover.DateOf(from.Time().AddDate(1, 0, 0))
	for _, w := range all {
		if w.Document == v.Document && w.Market == v.Market && v.From().Before(w.From()) && w.From().Before(until) {
			until = w.From()
		}
	}
	return from, until
}

func inWindow(d, from, until roadcover.Date) bool { return !d.Before(from) && d.Before(until) }

// datingProblems checks that every case is dated (occurred_at, reported_at)
// in its version's window and in no other version's window; a case that
// expects no_terms_in_force must be dated before its market's first version.
func datingProblems(cases []caseFile, all []*terms.Version) []string {
	var probs []string
	byID := map[string]*terms.Version{}
	for _, v := range all {
		byID[v.ID] = v
	}
	for _, c := range cases {
		v := byID[c.Terms]
		if v == nil {
			probs = append(probs, fmt.Sprintf("%s: unknown terms %s", c.path, c.Terms))
			continue
		}
		var in struct {
			OccurredAt any `json:"occurred_at"`
			ReportedAt any `json:"reported_at"`
		}
		_ = json.Unmarshal(c.Input, &in)
		var days []roadcover.Date
		for _, s := range []any{in.OccurredAt, in.ReportedAt} {
			if str, ok := s.(string); ok {
				if t, err := time.Parse(time.RFC3339, str); err == nil {
					days = append(days, roadcover.DateOf(t))
				}
			}
		}
		if raw, ok := c.Expect["error"]; ok && strings.Contains(string(raw), string(roadcover.CodeNoTermsInForce)) {
			for _, d := range days {
				for _, w := range all {
					if w.Document == v.Document && w.Market == v.Market && !d.Before(w.From()) {
						probs = append(probs, fmt.Sprintf("%s: expects no terms in force but is dated %s, when %s is", c.path, d, w.ID))
					}
				}
			}
			continue
		}
		from, until := caseWindow(v, all)
		for _, d := range days {
			if !inWindow(d, from, until) {
				probs = append(probs, fmt.Sprintf("%s: dated %s, outside the window of %s (%s to %s)", c.path, d, v.ID, from, until.AddDays(-1)))
			}
			for _, w := range all {
				if w == v || w.Document != v.Document || w.Market != v.Market {
					continue
				}
				if f, u := caseWindow(w, all); inWindow(d, f, u) {
					probs = append(probs, fmt.Sprintf("%s: dated %s, in the window of %s: it would be decided by that version", c.path, d, w.ID))
				}
			}
		}
	}
	return probs
}

// TestCasesDatedInTheirWindow: the rule cases of each version are dated in
// that version's window (see caseWindow), so that a later version of the
// same market, added as a new data file, leaves them where they are.
func TestCasesDatedInTheirWindow(t *testing.T) {
	for _, p := range datingProblems(loadCases(t), terms.All()) {
		t.Error(p)
	}
}

// TestDatingCatchesAVersionThatTakesCases adds a Danish version in force from
// 2023-06-01 (the same file with another first day): the Danish cases dated
// after it now lie in its window, and the check says so.
func TestDatingCatchesAVersionThatTakesCases(t *testing.T) {
	dk, ok := terms.ByID("assistance-dk-2023-05")
	if !ok {
		t.Fatal("no Danish version")
	}
	later := *dk
	later.ID = "assistance-dk-2023-06"
	later.InForceFrom = "2023-06-01"
	b, _ := json.Marshal(later)
	v, err := terms.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	probs := datingProblems(loadCases(t), append(append([]*terms.Version(nil), terms.All()...), v))
	n := 0
	for _, p := range probs {
		if strings.Contains(p, "in the window of assistance-dk-2023-06") {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no Danish case reported in the window of a version from 2023-06-01: %v", probs)
	}
}
