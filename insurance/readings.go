package insurance

import "roadcover"

// The readings of the terms version that the engine may apply; each id is a
// reading in the version file.
const (
	rdRounding = iota
	rdVAT
	rdAges
	rdMachineryBands
	rdRim
	rdFireAfterTraffic
	rdFireDetached
	rdTrafficTrack
	rdVandalismPremium
	rdBasFixed
	rdLayupOnly
	rdInteriorCap
	rdNewCarPrice
	rdTimeBar
	rdGrossNegligence
	rdPV
	rdGreenCard
	rdPlusBefore
	rdRefundCapped
	rdRentalSplit
	rdHourlyNorm
	rdCarePermission
	rdTowing
	rdLegalOneDispute
	rdTherapyWindow
	rdPlusWarranty
	rdFalseInfoOnce
	rdClaimwise
	rdYouth
	rdLearner
	rdRobbery
	rdWheelCapAge
	rdHourlyNormVAT
	rdLegalSubcaps
	rdArbitration
	rdLayupDeductibles
	rdRentalMachinery
	rdAnimalReport
	rdCollisionAbroadCountry
	rdCount
)

// readingIDs maps the engine's readings to their ids in the version file.
var readingIDs = [rdCount]string{
	"rounding_half_up", "vat_included_80", "ages_whole_years", "machinery_band_edges", "rim_depreciation",
	"fire_after_traffic_accident", "fire_detached_part", "traffic_track_driving", "vandalism_never_premium",
	"single_deductible_bas_fixed", "layup_only_cover", "interior_cap_after_deductible", "new_car_price",
	"time_bar_report_dates", "gross_negligence_refused", "pv_warranty", "green_card_list", "plus_before_bas",
	"refund_capped_by_damage", "rental_days_split", "hourly_norm_incident_year",
	"care_driver_without_permission", "towing_with_damage", "legal_claims_one_dispute", "therapy_twelve_months",
	"plus_warranty", "false_information_once", "single_deductible_claimwise", "young_driver_youth", "learner_driving",
	"robbery_theft", "wheel_cap_age", "hourly_norm_vat", "legal_subcaps_before_deductible", "arbitration_not_covered",
	"layup_deductibles", "rental_machinery_damage", "animal_report_refusal", "collision_abroad_country",
}

func (st *state) use(r int) { st.readings |= 1 << uint(r) }

// explain fills in the texts of every line, part, reduction and refusal in
// the settlement's language, and the readings applied.
func (st *state) explain() {
	s, l := st.s, st.lang
	for i := range s.Lines {
		ln := &s.Lines[i]
		ln.Text = text(tkLine, ln.Cover, l)
		for j := range ln.Valuation {
			ln.Valuation[j].Text = text(tkStep, ln.Valuation[j].Code, l)
		}
		for j := range ln.Parts {
			ln.Parts[j].Text = text(tkPart, ln.Parts[j].Code, l)
		}
		for j := range ln.Reductions {
			ln.Reductions[j].Text = text(tkReduction, ln.Reductions[j].Code, l)
		}
	}
	for i := range s.Refusals {
		s.Refusals[i].Text = text(tkRefusal, s.Refusals[i].Code, l)
	}
	for r := 0; r < rdCount; r++ {
		if st.readings&(1<<uint(r)) == 0 {
			continue
		}
		rd := st.p.readings[r]
		if rd == nil {
			continue
		}
		t := rd.Text.In(l)
		if r == rdGreenCard {
			t += " (" + st.c.Incident.Country + ", " + st.c.OccurredAt.String() + ")"
		}
		if s.Interpretations == nil {
			s.Interpretations = st.w.interp[:0]
		}
		s.Interpretations = append(s.Interpretations, Interpretation{ID: rd.ID, Clauses: rd.Clauses, Text: t})
	}
	s.paramsRead, s.ptab = st.paramsRead, &st.p.uses
}

// Kinds of text: a line's cover, a valuation step, a deductible part, a
// reduction, a refusal.
const (
	tkLine byte = iota
	tkStep
	tkPart
	tkReduction
	tkRefusal
)

type textKey struct {
	kind byte
	code string
}

// textIndex is texts by kind and code, so that a lookup hashes only the
// code.
var textIndex = func() [5]map[string]*[5]string {
	var m [5]map[string]*[5]string
	for i := range m {
		m[i] = map[string]*[5]string{}
	}
	prefixes := map[string]byte{"v.": tkStep, "d.": tkPart, "r.": tkReduction, "x.": tkRefusal}
	for k, v := range texts {
		v := v
		kind := tkLine
		if len(k) > 2 {
			if pk, ok := prefixes[k[:2]]; ok {
				kind, k = pk, k[2:]
			}
		}
		m[kind][k] = &v
	}
	return m
}()

// text returns our own short explanation of a code in a language (the code
// itself when we have none, which a test catches).
func text(kind byte, code string, l roadcover.Language) string {
	t, ok := textIndex[kind][code]
	if !ok {
		return code
	}
	i := langIndex(l)
	if t[i] == "" {
		return t[0]
	}
	return t[i]
}

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
