package assistance

import (
	"roadcover"
)

// Env holds the facts providers a decision may consult. Every field may be
// nil: the engine then works from what the case itself gives and says so.
// Providers are pure lookups over data loaded beforehand (the domain does no
// I/O); road distances, which need the network, are resolved by the caller
// into distances_km before the decision.
type Env struct {
	// Countries finds the country at a position (geo package).
	Countries Countries
	// Sites finds the nearest workshops and chargers (geo package, when a
	// network is loaded).
	Sites Sites
	// Workdays counts working days per country (calendar package).
	Workdays Workdays
	// Rates gives euro reference rates (fx package).
	Rates Rates
	// Distances measures distances between points; nil means great-circle
	// (roadcover.GreatCircleKm). A road-distance provider may stand in.
	Distances Distances
}

// Distances measures how far apart two points are.
type Distances interface {
	// Km returns the distance and how it was measured ("road" or
	// "great_circle"); on error the engine falls back to great-circle and
	// says so.
	Km(a, b roadcover.Point) (km float64, method string, err error)
}

// Countries finds countries from coordinates.
type Countries interface {
	// PlaceAt returns the country (and special zone) at p.
	PlaceAt(p roadcover.Point) roadcover.Place
	// KmToCountry is the great-circle distance in km from p to the nearest
	// point of the country's territory (0 inside); ok is false for a country
	// the data does not know.
	KmToCountry(p roadcover.Point, country string) (km float64, ok bool)
}

// Sites finds sites of the service network.
type Sites interface {
	// Nearest returns up to n sites of kind (roadcover.SiteWorkshop or
	// roadcover.SiteCharger; "" for any) nearest to p, nearest first.
	Nearest(p roadcover.Point, kind string, n int) []roadcover.SiteDistance
	// Site returns a site by id.
	Site(id string) (roadcover.Site, bool)
}

// Workdays counts working days (not weekends, not public holidays).
type Workdays interface {
	// AddWorkdays returns the day on which n working days counted from the
	// day after from are complete, in country; ok is false for a country
	// whose holidays are not known.
	AddWorkdays(country string, from roadcover.Date, n int) (day roadcover.Date, ok bool)
}

// Rates converts euro amounts with the ECB euro reference rates.
type Rates interface {
	// EuroRate returns units of currency per 1 EUR on day, or on the last
	// published day before it (published); ok is false when no rate is known.
	EuroRate(currency string, day roadcover.Date) (rate float64, published roadcover.Date, ok bool)
	// LocalCurrency is the ISO 4217 currency in use in country on day
	// ("EUR" in the euro area, "DKK" in Denmark); ok is false when unknown.
	LocalCurrency(country string, day roadcover.Date) (currency string, ok bool)
}
