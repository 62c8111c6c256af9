package assistance

import (
	"math"

	"roadcover"
	"roadcover/terms"
)

// Decision is the outcome of one case: the spec's output plus what a replay
// needs (the place and distances used, the parameters read, the readings).
// It marshals to the spec JSON with AppendJSON (also via MarshalJSON).
type Decision struct {
	Terms    TermsRef
	Language roadcover.Language
	// Covered is false exactly when a refusal other than location_unverified
	// applies; Entitlements is then empty.
	Covered  bool
	Refusals []Outcome
	// Entitlements (Detail gives each in full); extras are the ones kept
	// whole.
	Entitlements       []Entitlement
	extras             []EntitlementDetail
	NotCovered         []string
	MissingInformation []string
	Place              PlaceUse
	Distances          DistancesUsed

	// The readings relied on and the parameters read, in the order of first
	// use, as ids into the version's tables (see Readings, Interpretations
	// and Parameters): a decision records them without copying.
	vi     *vinfo
	li     uint8
	nr, np uint8
	rOrder [numReadings]rid
	pOrder [numParams]pid
}

// Readings are the ids of the readings relied on, in the order of first use.
func (d *Decision) Readings() []string {
	out := make([]string, d.nr)
	for i, id := range d.rOrder[:d.nr] {
		out[i] = readingNames[id]
	}
	return out
}

// Interpretations are the texts of the readings relied on, in Language.
func (d *Decision) Interpretations() []string {
	out := make([]string, d.nr)
	for i, id := range d.rOrder[:d.nr] {
		out[i] = d.vi.interps[d.li][id]
	}
	return out
}

// Parameters are the parameters the decision read, in the order of first use.
func (d *Decision) Parameters() []ParamUse {
	out := make([]ParamUse, d.np)
	for i, id := range d.pOrder[:d.np] {
		out[i] = d.vi.uses[id]
	}
	return out
}

// TermsRef names the terms version the decision applied.
type TermsRef struct {
	ID          string
	Market      string
	Language    roadcover.Language
	InForceFrom string
}

// TermsID is the id of the terms version applied.
func (d *Decision) TermsID() string { return d.Terms.ID }

// Outcome is a refusal (or the location_unverified notice) with its clause.
type Outcome struct {
	Code   string
	Clause string
	Text   string
	t      tid // the outcome and its text
}

// Entitlement is one entitlement as a decision holds it, in a compact form
// without pointers so that a decision's entitlements are one allocation the
// garbage collector does not scan. Code, Clause and ChooseOne read it;
// Decision.Detail gives every field.
type Entitlement struct {
	c ent
}

// Code is the entitlement's code ("tow", "hotel", …).
func (e Entitlement) Code() string { return outcomeCodes[e.c.t] }

// Clause is the clause number the entitlement rests on.
func (e Entitlement) Clause() string { return clauseNames[e.c.clause] }

// ChooseOne is the group of which the customer may take exactly one option;
// "" when the entitlement stands alone.
func (e Entitlement) ChooseOne() string { return chooseNames[e.c.choose] }

// EntitlementDetail is one service or amount the customer may have. Zero
// fields are left out of the JSON.
type EntitlementDetail struct {
	Code   string
	Clause string
	// ChooseOne names the group of which the customer may take exactly one
	// ("further_assistance", "collection", "repatriation_alternative").
	ChooseOne   string
	Destination string
	// Limit is the amount per Per ("person", "person_night", "case").
	Limit     roadcover.Money
	Per       string
	Total     roadcover.Money
	Persons   int
	MaxNights int
	MaxDays   int
	DayKind   string // "working" or "calendar"
	// Until is the last day of the rental when working days could be counted.
	Until               roadcover.Date
	AppliesTo           []string
	IncludesLocalRental *bool
	// Site is the concrete destination from the service network; Regular the
	// customer's regular workshop when one is on the case.
	Site    *SiteRef
	Regular *SiteRef
	// Local is the local-currency equivalent of a EUR limit.
	Local *LocalEquivalent
	Text  string
	t     tid // the outcome and text
}

// SiteRef names a workshop or charger and how far it is.
type SiteRef struct {
	ID     string
	Name   string
	Km     float64
	Method string // "given", "great_circle", "road" or "" when unknown
}

// LocalEquivalent is a EUR limit in the currency of the country where the
// service is bought. Known is false when no rate was found: nothing is invented.
type LocalEquivalent struct {
	Currency  string
	Known     bool
	Amount    int64 // minor units of Currency
	Total     int64 // minor units, when the entitlement has a total
	Rate      float64
	Published roadcover.Date
}

// ParamUse is one parameter the decision read.
type ParamUse struct {
	Name   string
	Value  int64
	Unit   string
	Clause string
}

// PlaceUse is the place the decision applied.
type PlaceUse struct {
	Country string
	Zone    string
	From    string // "given", "coordinates" or "" when unknown
	Abroad  bool
	Trip    string
}

// DistancesUsed says how far each relevant point was and how that was obtained.
type DistancesUsed struct {
	Home               Distance
	RegularWorkshop    Distance
	WorkshopToCustomer Distance
}

// Distance is a distance in km; Method is "given", "great_circle", "road",
// or "" when it is not known.
type Distance struct {
	Km     float64
	Method string
}

// Known reports whether the distance is known.
func (d Distance) Known() bool { return d.Method != "" }

// Refusal and entitlement codes.
const (
	NotArranged        = "not_arranged_by_assistance"
	ReportedLate       = "reported_late"
	Deregistered       = "vehicle_deregistered"
	OutsideArea        = "outside_covered_area"
	LackOfMaintenance  = "lack_of_maintenance"
	EmergencyVehicle   = "emergency_vehicle"
	NotImmobilised     = "not_immobilised"
	CommercialTooOld   = "commercial_vehicle_too_old"
	LocationUnverified = "location_unverified"
)

// run holds the working state of one decision. Entitlements are built in a
// fixed array and copied out once; readings and parameters are recorded as
// ids with a bit set each, so that a decision allocates little.
type run struct {
	c   Case
	vi  *vinfo
	v   *terms.Version
	pr  *profile
	env Env
	tx  *[numTexts]string
	d   Decision
	day roadcover.Date

	pUsed uint64
	rUsed uint64
	ne    int // entitlements granted
	ents  [maxEntitlements]EntitlementDetail
	refs  [12]Outcome
	nref  int

	point    roadcover.Point
	hasPoint bool
	home     roadcover.Point
	hasHome  bool
	abroad   bool
	trip     string
	// noPlace: neither a country nor coordinates were given (decided as at
	// home); needCoords: the country alone cannot settle the cover.
	noPlace    bool
	needCoords bool
	// homeCountry is the home's country as the trip counts it (Åland as
	// Finland), "" when unknown; homeCalendar the home's country code.
	homeCountry  string
	homeCalendar string

	refused      bool
	commercial   bool
	towTo        string // tow destination, "" when no tow
	towSite      *SiteRef
	furtherGiven bool

	// err is the first error that made a decision impossible (an amount
	// out of range); Decide returns it instead of a decision.
	err error
}

// num reads a parameter of the version and records it for the replay. A
// missing parameter is a programming error: the coverage tests call every rule.
func (r *run) num(id pid) int64 {
	p := r.vi.params[id]
	if p == nil {
		panic("assistance: " + r.v.ID + " has no parameter " + paramNames[id])
	}
	if r.pUsed&(1<<id) == 0 {
		r.pUsed |= 1 << id
		r.d.pOrder[r.d.np] = id
		r.d.np++
	}
	return p.Value
}

// money reads a money parameter ("minor:EUR").
func (r *run) money(id pid) roadcover.Money {
	r.num(id)
	return r.vi.moneys[id]
}

// rely records that the decision relied on a reading of the version.
func (r *run) rely(id rid) {
	if r.vi.readings[id] == nil {
		panic("assistance: " + r.v.ID + " has no reading " + readingNames[id])
	}
	if r.rUsed&(1<<id) == 0 {
		r.rUsed |= 1 << id
		r.d.rOrder[r.d.nr] = id
		r.d.nr++
	}
}

// refuse records a refusal (or the location_unverified notice). The clause
// is a literal of the rule; the case tests check every cited clause against
// the version's index.
func (r *run) refuse(t tid, clause string) {
	if r.nref < len(r.refs) {
		r.refs[r.nref] = Outcome{Code: outcomeCodes[t], Clause: clause, Text: r.tx[t], t: t}
		r.nref++
	}
	switch t {
	case tLocationUnverified:
		r.needCoords = true
	case tLocationUnknown:
	default:
		r.refused = true
	}
}

// maxEntitlements is the room made for the entitlements of one decision; a
// decision has at most a dozen (tow, trailer, livestock, four of 1.3, two of
// 1.4, three of 1.5).
const maxEntitlements = 12

// grant adds an entitlement and returns it for the rule to fill in.
func (r *run) grant(t tid, clause string) *EntitlementDetail {
	if r.ne == len(r.ents) {
		panic("assistance: more entitlements than room for them")
	}
	e := &r.ents[r.ne]
	r.ne++
	e.Code, e.Clause, e.Text, e.t = outcomeCodes[t], clause, r.tx[t], t
	return e
}

// text sets the outcome and text of an entitlement.
func (r *run) text(e *EntitlementDetail, t tid) { e.t, e.Text = t, r.tx[t] }

func (r *run) has(code string) bool {
	for i := 0; i < r.ne; i++ {
		if r.ents[i].Code == code {
			return true
		}
	}
	return false
}

// meters turns a distance in km into whole metres, the unit in which every
// threshold is compared (so 68 miles = 109 435 m and 110 km are exact).
func meters(km float64) int64 { return int64(math.Round(km * 1000)) }

// threshold returns the governing distance threshold in metres for a rule
// whose parameters are km and mi: the version's threshold_m says which unit
// governs (GB: miles; 2023 texts: km). It records both the clause's parameter
// and the threshold, and the reading behind it.
func (r *run) threshold(km, mi pid) int64 {
	th := r.num(pThresholdM)
	if p := r.vi.params[km]; p != nil && p.Value*1000 == th {
		r.num(km)
		r.rely(rKmGovern)
	} else {
		r.num(mi)
		r.rely(rMilesGovern)
	}
	return th
}
