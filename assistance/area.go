package assistance

import (
	"roadcover"
	"roadcover/terms"
)

// coveredRow is one row of a version's covered_countries table with its days parsed.
type coveredRow struct {
	from, until roadcover.Date
	value       int64
}

// coveredRows indexes each version's covered_countries table by country once,
// so that a decision does not format or parse dates.
var coveredRows = map[string]map[string][]coveredRow{}

func init() {
	for _, v := range terms.All() {
		if m := coveredIndex(v); m != nil {
			coveredRows[v.ID] = m
		}
	}
}

// coveredIndex indexes a version's covered_countries table by country; nil
// when the version has none.
func coveredIndex(v *terms.Version) map[string][]coveredRow {
	t, ok := v.Table("covered_countries")
	if !ok {
		return nil
	}
	m := map[string][]coveredRow{}
	for _, row := range t.Rows {
		cr := coveredRow{value: row.Value}
		cr.from, _ = roadcover.ParseDate(row.From)
		if row.Until != "" {
			cr.until, _ = roadcover.ParseDate(row.Until)
		}
		m[row.Key] = append(m[row.Key], cr)
	}
	return m
}

// coveredValue is the covered_countries value of country on day: 1 covered,
// 2 covered with a restriction; ok is false for a country not on the list.
func coveredValue(rows map[string][]coveredRow, country string, day roadcover.Date) (int64, bool) {
	var best coveredRow
	found := false
	for _, cr := range rows[country] {
		if day.Before(cr.from) || (!cr.until.IsZero() && !day.Before(cr.until)) {
			continue
		}
		if !found || best.from.Before(cr.from) {
			best, found = cr, true
		}
	}
	return best.value, found
}

// cityCentre is the centre of a Russian city named in the covered-area
// footnote, with the parameter holding its ring radius (reading russia_rings).
type cityCentre struct {
	Name  string
	Point roadcover.Point
	Ring  pid // parameter of the ring radius in km
}

// russianCities are the city centres of the Russian restriction. Source:
// GeoNames populated-place coordinates (geonameid 524901 Moscow, 498817
// Saint Petersburg, 501175 Rostov-na-Donu, 482283 Tol'yatti, 511196 Perm),
// rounded to 4 decimals (about 10 m).
var russianCities = []cityCentre{
	{"Moscow", roadcover.Point{Lat: 55.7522, Lon: 37.6156}, pRussiaRingMoscowKm},
	{"Saint Petersburg", roadcover.Point{Lat: 59.9386, Lon: 30.3141}, pRussiaRingSaintPetersburgKm},
	{"Rostov-on-Don", roadcover.Point{Lat: 47.2313, Lon: 39.7233}, pRussiaRingRostovOnDonKm},
	{"Togliatti", roadcover.Point{Lat: 53.5303, Lon: 49.3461}, pRussiaRingTogliattiKm},
	{"Perm", roadcover.Point{Lat: 58.0105, Lon: 56.2502}, pRussiaRingPermKm},
}

// coveredArea implements covered_area (the UK page's list of countries,
// applied to every market): the place must be in a listed country; Cyprus
// only outside the north (the UN buffer zone counts with the Republic);
// Russia only within the radius around the listed cities (reading
// russia_200km: 200 km in every market). The Crown Dependencies and the
// Faroe Islands and Greenland are not on the list (readings
// crown_dependencies, danish_realm); Crimea is Ukraine (reading crimea).
// Without coordinates Russia and Cyprus cannot be told: location_unverified,
// still covered, and the operator asks for coordinates. With no place at all
// the case is location_unverified too and decided as at home (facts); the
// place is missing information, not a refusal.
func (r *run) coveredArea() {
	c := &r.c
	if r.noPlace {
		r.refuse(tLocationUnknown, "general")
		return
	}
	if !c.PlaceKnown {
		return
	}
	pl := c.Place
	if pl.SnappedKm > 0 {
		r.num(pCoastToleranceKm)
		r.rely(rCoast)
	}
	if pl.Country == "" {
		r.refuse(tOutsideArea, "covered_area")
		return
	}
	switch pl.Country {
	case "AX", "XK":
		r.rely(rTerritories)
	case "JE", "GG", "IM":
		r.rely(rCrownDependencies)
	case "FO", "GL":
		r.rely(rDanishRealm)
	case "UA":
		if pl.Zone == roadcover.ZoneCrimea {
			r.rely(rCrimea)
		}
	}
	value, ok := coveredValue(r.vi.covered, pl.Country, r.day)
	if !ok {
		r.refuse(tOutsideArea, "covered_area")
		return
	}
	if value == 1 && pl.Zone != roadcover.ZoneSovereignBase {
		return
	}
	switch pl.Country {
	case "CY":
		r.cyprus()
	case "RU":
		r.russia()
	case "GB":
		r.rely(rCyprus) // a Sovereign Base Area, UK territory
	}
}

// cyprus: only the part controlled by the Republic is covered; the UN
// buffer zone counts with it (reading cyprus).
func (r *run) cyprus() {
	r.rely(rCyprus)
	if r.c.Place.Zone == roadcover.ZoneNorthernCyprus {
		r.refuse(tOutsideArea, "covered_area")
		return
	}
	if r.c.PlaceFrom == "coordinates" || (r.hasPoint && r.env.Countries != nil) {
		return // the zone was looked up and is in the Republic's part
	}
	r.refuse(tLocationUnverified, "covered_area")
}

// russia: within russia_radius_km plus the city's ring radius of a listed
// city centre, great-circle (reading russia_rings).
func (r *run) russia() {
	r.rely(rRussia200km)
	r.rely(rRussiaRings)
	radius := r.num(pRussiaRadiusKm)
	if !r.hasPoint {
		r.refuse(tLocationUnverified, "covered_area")
		return
	}
	for _, city := range russianCities {
		limit := float64(radius + r.num(city.Ring))
		if roadcover.GreatCircleKm(r.point, city.Point) <= limit {
			return
		}
	}
	r.refuse(tOutsideArea, "covered_area")
}
