package assistance

import (
	"strings"

	"roadcover"
	"roadcover/terms"
)

// vinfo is one assistance version resolved once (this init runs after those
// of area.go and texts.go, whose tables it reads) for the engine: its rule
// profile, its parameters and readings by id, the money parameters with their
// currency, the replay record of each parameter, the covered-countries index,
// and the texts of each language with the version's numbers filled in.
type vinfo struct {
	v        *terms.Version
	pr       *profile
	params   [numParams]*terms.Parameter
	moneys   [numParams]roadcover.Money
	uses     [numParams]ParamUse
	readings [numReadings]*terms.Reading
	covered  map[string][]coveredRow
	// texts and interpretations by language (index in roadcover.Languages).
	texts   [nLangs][numTexts]string
	interps [nLangs][numReadings]string
	ref     TermsRef
}

const nLangs = 5

// vinfos holds every assistance version by id; vinfoOf finds one by pointer
// without a map lookup for the versions seen before.
var vinfos = map[string]*vinfo{}

func init() {
	if len(roadcover.Languages) != nLangs {
		panic("assistance: the number of languages changed")
	}
	all := terms.All()
	for _, v := range all {
		if v.Document == terms.Assistance {
			vinfos[v.ID] = newVinfo(v, all)
		}
	}
}

// newVinfo resolves one version for the engine. Its rule profile is its own
// entry in profiles, or, for a version that changes only numbers, the
// profile of the version before it (profileOf).
func newVinfo(v *terms.Version, all []*terms.Version) *vinfo {
	covered := coveredRows[v.ID]
	if covered == nil {
		covered = coveredIndex(v)
	}
	texts := textSets[v.ID]
	if texts == nil {
		texts = buildTexts(v)
	}
	vi := &vinfo{v: v, pr: profileOf(v, all), covered: covered,
		ref: TermsRef{ID: v.ID, Market: v.Market, Language: v.Language, InForceFrom: v.InForceFrom}}
	for id, name := range paramNames {
		p, ok := v.Param(name)
		if !ok {
			continue
		}
		vi.params[id] = p
		vi.uses[id] = ParamUse{Name: p.Name, Value: p.Value, Unit: p.Unit, Clause: p.Clause}
		if cur, ok := strings.CutPrefix(p.Unit, "minor:"); ok {
			vi.moneys[id] = roadcover.Money{Minor: p.Value, Currency: cur}
		}
	}
	for id, name := range readingNames {
		if rd, ok := v.Reading(name); ok {
			vi.readings[id] = rd
			for li, l := range roadcover.Languages {
				vi.interps[li][id] = rd.Text.In(l)
			}
		}
	}
	for li, l := range roadcover.Languages {
		ts := texts[l]
		if ts == nil {
			ts = texts[roadcover.English]
		}
		for t, key := range textKeys {
			vi.texts[li][t] = ts.text(key)
		}
	}
	return vi
}

// langIndex is the index of l in roadcover.Languages (English when unknown).
func langIndex(l roadcover.Language) int {
	switch l {
	case roadcover.German:
		return 1
	case roadcover.Portuguese:
		return 2
	case roadcover.Danish:
		return 3
	case roadcover.Swedish:
		return 4
	}
	return 0
}
