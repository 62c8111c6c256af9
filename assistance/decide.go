package assistance

import (
	"fmt"

	"roadcover"
	"roadcover/terms"
)

// Decide applies the terms in force to one case and explains the outcome in
// lang ("" means the case's language, else the language of the terms). A
// case built by hand (not by Decode) is checked first; input problems come
// back as *roadcover.InputError.
func Decide(c Case, env Env, lang roadcover.Language) (Decision, error) {
	if c.Terms == nil || c.Occurred.IsZero() {
		errs := &roadcover.InputError{}
		check(&c, env, errs)
		if err := errs.Err(); err != nil {
			return Decision{}, err
		}
	}
	v := c.Terms
	vi := vinfos[v.ID]
	if vi == nil || vi.v != v || vi.pr == nil {
		return Decision{}, fmt.Errorf("assistance: no rule profile for terms %s", v.ID)
	}
	if lang == "" {
		lang = roadcover.Language(c.Language)
	}
	if _, ok := roadcover.ParseLanguage(string(lang)); !ok {
		lang = v.Language
	}
	li := langIndex(lang)
	r := run{c: c, vi: vi, v: v, pr: vi.pr, env: env, tx: &vi.texts[li], day: roadcover.DateOf(c.Occurred),
		d: Decision{Terms: vi.ref, Language: lang, vi: vi, li: uint8(li)}}
	r.facts()
	r.validity()
	if !r.refused {
		r.onSpot()
		r.trailerAndLivestock()
		r.furtherAssistance()
		r.workshopDistance()
		r.collection()
		r.repatriation()
	}
	r.finish()
	if r.err != nil {
		return Decision{}, r.err
	}
	return r.d, nil
}

// facts resolves where the car is, whether it is abroad, the trip and the
// distances the rules need.
func (r *run) facts() {
	c := &r.c
	r.point, r.hasPoint = c.Location.Point()
	r.home, r.hasHome = c.Home.Point()
	r.noPlace = !c.PlaceKnown && c.Location.Country == "" && !r.hasPoint
	home := roadcover.Place{Country: c.Home.Country}
	if home.Country == "" && r.hasHome && r.env.Countries != nil {
		// Abroad means another country than home's: without home.country the
		// country at the home coordinates is home's.
		home = r.env.Countries.PlaceAt(r.home)
	}
	r.homeCountry = tripCountry(home)
	r.homeCalendar = home.Country
	place := tripCountry(c.Place)
	if home.Country == "AX" {
		r.rely(rTerritories) // a home in Åland is a home in Finland
	}
	switch {
	case r.noPlace:
		// No place at all: decided as at home until the place is known.
		r.abroad = false
	case c.PlaceKnown && place != "" && r.homeCountry != "":
		r.abroad = place != r.homeCountry
	case c.PlaceKnown && place != "" && r.homeCountry == "" && c.Trip == "":
		r.abroad = place != r.v.Market
	default:
		r.abroad = c.Trip == "outbound" || c.Trip == "homebound"
	}
	r.trip = "domestic"
	if r.abroad {
		r.trip = c.Trip
		if r.trip != "homebound" && r.trip != "outbound" {
			r.trip = "outbound"
			r.rely(rTripAbroadDefault)
		}
	}
	r.d.Place = PlaceUse{Country: c.Place.Country, Zone: c.Place.Zone, From: c.PlaceFrom, Abroad: r.abroad, Trip: r.trip}
	ds := &r.d.Distances
	ds.Home = r.distance(c.Distances.Home, r.point, r.hasPoint, r.home, r.hasHome)
	var wp roadcover.Point
	var hasW bool
	if c.RegularWorkshop != nil {
		wp, hasW = c.RegularWorkshop.Point()
	}
	ds.RegularWorkshop = r.distance(c.Distances.RegularWorkshop, r.point, r.hasPoint, wp, hasW)
}

// tripCountry is the country of a place as a trip counts it (abroad is
// another country than home's): Åland is Finland (reading territories), and
// a UK Sovereign Base Area on Cyprus is apart from the United Kingdom, so a
// car there is abroad for a home in Great Britain.
func tripCountry(pl roadcover.Place) string {
	switch {
	case pl.Country == "AX":
		return "FI"
	case pl.Zone == roadcover.ZoneSovereignBase:
		return pl.Country + "-" + pl.Zone
	}
	return pl.Country
}

// distance is the given distance, else the distance between a and b measured
// by the Distances provider (great-circle when there is none or it fails).
func (r *run) distance(given *float64, a roadcover.Point, okA bool, b roadcover.Point, okB bool) Distance {
	if given != nil {
		return Distance{Km: *given, Method: "given"}
	}
	if !okA || !okB {
		return Distance{}
	}
	if r.env.Distances != nil {
		if km, method, err := r.env.Distances.Km(a, b); err == nil {
			return Distance{Km: km, Method: method}
		}
	}
	return Distance{Km: roadcover.GreatCircleKm(a, b), Method: "great_circle"}
}

// workshopDistance resolves distances_km.workshop_to_customer when not given:
// from the workshop the car was towed to (a site of the network, or the
// regular workshop) to the customer's home, the place they return from.
func (r *run) workshopDistance() {
	ds := &r.d.Distances
	if g := r.c.Distances.WorkshopToCustomer; g != nil {
		ds.WorkshopToCustomer = Distance{Km: *g, Method: "given"}
		return
	}
	if r.towSite == nil {
		for i := 0; i < r.ne; i++ {
			if e := &r.ents[i]; e.Code == "tow" && e.Site != nil {
				r.towSite = e.Site
			}
		}
	}
	var wp roadcover.Point
	var ok bool
	switch {
	case r.towTo == RegularWorkshopDest && r.c.RegularWorkshop != nil:
		wp, ok = r.c.RegularWorkshop.Point()
	case r.towSite != nil && r.env.Sites != nil:
		if s, found := r.env.Sites.Site(r.towSite.ID); found {
			wp, ok = s.Point, true
		}
	}
	ds.WorkshopToCustomer = r.distance(nil, wp, ok, r.home, r.hasHome)
}

// finish fills the decision from the working state.
func (r *run) finish() {
	d := &r.d
	if r.nref > 0 {
		d.Refusals = make([]Outcome, r.nref)
		copy(d.Refusals, r.refs[:r.nref])
	}
	d.Covered = !r.refused
	if d.Covered && r.ne > 0 {
		d.Entitlements = make([]Entitlement, r.ne)
		for i := range r.ne {
			e := &r.ents[i]
			c, ok := compact(e)
			if !ok {
				d.extras = append(d.extras, *e)
				c = ent{t: e.t, extra: uint8(len(d.extras))}
				c.clause, _ = clauseIndex(e.Clause)
				c.choose, _ = smallIndex(chooseNames, e.ChooseOne)
			}
			d.Entitlements[i] = Entitlement{c: c}
		}
	}
	d.NotCovered = r.neverPaid()
	d.MissingInformation = r.missingInformation()
}

// versionFor is used by tests and tools that start from a version id.
func versionFor(id string) (*terms.Version, bool) { return terms.ByID(id) }
