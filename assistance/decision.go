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
	Covered            bool
	Refusals           []Outcome
	Entitlements       []Entitlement
	NotCovered         []string
	MissingInformation []string
	// Interpretations holds the text of each reading relied on, in Language;
	// Readings the ids in the same order.
	Interpretations []string
	Readings        []string
	Parameters      []ParamUse
	Place           PlaceUse
	Distances       DistancesUsed
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
}

// Entitlement is one service or amount the customer may have. Zero fields
// are left out of the JSON.
type Entitlement struct {
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

// run holds the working state of one decision. Parameters and readings are
// collected in fixed arrays so that a decision allocates little.
type run struct {
	c    *Case
	v    *terms.Version
	pr   *profile
	env  Env
	lang roadcover.Language
	tx   *textSet
	d    *Decision
	day  roadcover.Date

	params [48]*terms.Parameter
	np     int
	reads  [16]string
	nr     int
	ne     int // len(d.Entitlements)
	refs   [12]Outcome
	nref   int

	point    roadcover.Point
	hasPoint bool
	home     roadcover.Point
	hasHome  bool
	abroad   bool
	trip     string

	refused      bool
	commercial   bool
	towTo        string // tow destination, "" when no tow
	towSite      *SiteRef
	furtherGiven bool
}

// num reads a parameter of the version and records it for the replay. A
// missing parameter is a programming error: the coverage tests call every rule.
func (r *run) num(name string) int64 {
	p, ok := r.v.Param(name)
	if !ok {
		panic("assistance: " + r.v.ID + " has no parameter " + name)
	}
	for i := 0; i < r.np; i++ {
		if r.params[i] == p {
			return p.Value
		}
	}
	if r.np < len(r.params) {
		r.params[r.np] = p
		r.np++
	}
	return p.Value
}

// money reads a money parameter ("minor:EUR").
func (r *run) money(name string) roadcover.Money {
	n := r.num(name)
	p, _ := r.v.Param(name)
	cur := p.Unit
	if len(cur) > 6 && cur[:6] == "minor:" {
		cur = cur[6:]
	}
	return roadcover.Money{Minor: n, Currency: cur}
}

// rely records that the decision relied on a reading of the version.
func (r *run) rely(id string) {
	if _, ok := r.v.Reading(id); !ok {
		panic("assistance: " + r.v.ID + " has no reading " + id)
	}
	for i := 0; i < r.nr; i++ {
		if r.reads[i] == id {
			return
		}
	}
	if r.nr < len(r.reads) {
		r.reads[r.nr] = id
		r.nr++
	}
}

func (r *run) refuse(code, clause string) {
	if r.nref < len(r.refs) {
		r.refs[r.nref] = Outcome{Code: code, Clause: r.v.Clause(clause), Text: r.tx.text(code)}
		r.nref++
	}
	if code != LocationUnverified {
		r.refused = true
	}
}

// maxEntitlements is the room made for the entitlements of one decision; a
// typical covered case has up to a dozen.
const maxEntitlements = 12

// grant adds an entitlement and returns it for the rule to fill in. The
// pointer is valid until the next grant.
func (r *run) grant(code, clause string) *Entitlement {
	if r.d.Entitlements == nil {
		r.d.Entitlements = make([]Entitlement, 0, maxEntitlements)
	}
	r.d.Entitlements = append(r.d.Entitlements, Entitlement{Code: code, Clause: r.v.Clause(clause), Text: r.tx.text(code)})
	r.ne = len(r.d.Entitlements)
	return &r.d.Entitlements[r.ne-1]
}

func (r *run) has(code string) bool {
	for i := 0; i < r.ne; i++ {
		if r.d.Entitlements[i].Code == code {
			return true
		}
	}
	return false
}

// meters turns a distance in km into whole metres, the unit in which every
// threshold is compared (so 68 miles = 109 435 m and 110 km are exact).
func meters(km float64) int64 { return int64(math.Round(km * 1000)) }

// threshold returns the governing distance threshold in metres for a rule
// whose parameters are base+"_km" and base+"_mi": the version's threshold_m
// says which unit governs (GB: miles; 2023 texts: km). It records both the
// clause's parameter and the threshold, and the reading behind it.
func (r *run) threshold(base string) int64 {
	th := r.num("threshold_m")
	if km, ok := r.v.Param(base + "_km"); ok && km.Value*1000 == th {
		r.num(base + "_km")
		r.rely("km_govern")
	} else {
		r.num(base + "_mi")
		r.rely("miles_govern")
	}
	return th
}
