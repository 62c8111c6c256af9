package assistance

import (
	"math"

	"roadcover"
)

// fakeEnv describes small stand-ins for the facts providers, as data in a
// case file: the unit tests of the rules do not load real boundary data,
// networks, calendars or rates.
type fakeEnv struct {
	// Places: PlaceAt returns the place of the nearest listed point;
	// KmToCountry the km given for that country at that point.
	Places []struct {
		Lat, Lon float64
		Place    roadcover.Place
		KmTo     map[string]float64 `json:"km_to"`
	} `json:"places,omitempty"`
	Sites []struct {
		ID, Kind, Name, Country string
		Lat, Lon                float64
	} `json:"sites,omitempty"`
	// Workdays: Monday to Friday are working days in every country but
	// those listed as unknown.
	Workdays *struct {
		Unknown []string `json:"unknown"`
	} `json:"workdays,omitempty"`
	Rates *struct {
		Currencies map[string]string `json:"currencies"`
		Rates      map[string]struct {
			Rate      float64 `json:"rate"`
			Published string  `json:"published"`
		} `json:"rates"`
	} `json:"rates,omitempty"`
	// Road multiplies great-circle distances to stand in for road distances.
	Road float64 `json:"road,omitempty"`
}

func (f *fakeEnv) env() Env {
	var e Env
	if len(f.Places) > 0 {
		e.Countries = fakeCountries{f}
	}
	if len(f.Sites) > 0 {
		e.Sites = fakeSites{f}
	}
	if f.Workdays != nil {
		e.Workdays = fakeWorkdays{f}
	}
	if f.Rates != nil {
		e.Rates = fakeRates{f}
	}
	if f.Road > 0 {
		e.Distances = fakeRoad{f.Road}
	}
	return e
}

type fakeCountries struct{ f *fakeEnv }

func (c fakeCountries) nearest(p roadcover.Point) int {
	best, bi := math.Inf(1), 0
	for i, pl := range c.f.Places {
		if d := roadcover.GreatCircleKm(p, roadcover.Point{Lat: pl.Lat, Lon: pl.Lon}); d < best {
			best, bi = d, i
		}
	}
	return bi
}

func (c fakeCountries) PlaceAt(p roadcover.Point) roadcover.Place {
	return c.f.Places[c.nearest(p)].Place
}

func (c fakeCountries) KmToCountry(p roadcover.Point, country string) (float64, bool) {
	pl := c.f.Places[c.nearest(p)]
	if pl.Place.Country == country {
		return 0, true
	}
	km, ok := pl.KmTo[country]
	return km, ok
}

type fakeSites struct{ f *fakeEnv }

func (s fakeSites) Nearest(p roadcover.Point, kind string, n int) []roadcover.SiteDistance {
	var best []roadcover.SiteDistance
	for _, x := range s.f.Sites {
		if kind != "" && x.Kind != kind {
			continue
		}
		sp := roadcover.Point{Lat: x.Lat, Lon: x.Lon}
		sd := roadcover.SiteDistance{Site: roadcover.Site{ID: x.ID, Kind: x.Kind, Name: x.Name, Country: x.Country, Point: sp},
			Km: roadcover.GreatCircleKm(p, sp), Method: "great_circle"}
		if len(best) == 0 || sd.Km < best[0].Km {
			best = []roadcover.SiteDistance{sd}
		}
	}
	return best
}

func (s fakeSites) Site(id string) (roadcover.Site, bool) {
	for _, x := range s.f.Sites {
		if x.ID == id {
			return roadcover.Site{ID: x.ID, Kind: x.Kind, Name: x.Name, Country: x.Country,
				Point: roadcover.Point{Lat: x.Lat, Lon: x.Lon}}, true
		}
	}
	return roadcover.Site{}, false
}

type fakeWorkdays struct{ f *fakeEnv }

func (w fakeWorkdays) AddWorkdays(country string, from roadcover.Date, n int) (roadcover.Date, bool) {
	for _, u := range w.f.Workdays.Unknown {
		if u == country {
			return roadcover.Date{}, false
		}
	}
	d := from
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Time().Weekday(); wd != 0 && wd != 6 {
			n--
		}
	}
	return d, true
}

type fakeRates struct{ f *fakeEnv }

func (r fakeRates) EuroRate(cur string, day roadcover.Date) (float64, roadcover.Date, bool) {
	x, ok := r.f.Rates.Rates[cur]
	if !ok {
		return 0, roadcover.Date{}, false
	}
	pub, _ := roadcover.ParseDate(x.Published)
	return x.Rate, pub, true
}

func (r fakeRates) LocalCurrency(country string, day roadcover.Date) (string, bool) {
	c, ok := r.f.Rates.Currencies[country]
	return c, ok
}

type fakeRoad struct{ factor float64 }

func (f fakeRoad) Km(a, b roadcover.Point) (float64, string, error) {
	return roadcover.GreatCircleKm(a, b) * f.factor, "road", nil
}
