package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/places"
)

// Places: the offline gazetteer for the operator who takes a position on
// the phone ("on the A8 just past Leonberg") and says back where it is in
// words.

// placeHit is a place as a search lists it.
type placeHit struct {
	places.Place
	// Label names the place for a list: its sign name, its region and
	// country ("Leonberg, Baden-Württemberg, DE").
	Label string `json:"label"`
}

// searchPlaces is GET /v1/places?q=&limit=.
func (s *Server) searchPlaces(w http.ResponseWriter, r *http.Request, p principal) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	errs := &roadcover.InputError{}
	if q == "" {
		errs.Add("q", roadcover.CodeInvalidInput, "required: a place's name or the start of one")
	}
	limit := 8
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > places.MaxLimit {
			errs.Add("limit", roadcover.CodeInvalidInput, "must be a whole number from 1 to "+strconv.Itoa(places.MaxLimit))
		}
		limit = n
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	hits := places.Search(q, limit)
	out := make([]placeHit, len(hits))
	for i, pl := range hits {
		label := pl.SignName()
		if pl.SignName() != pl.Name {
			label += " (" + pl.Name + ")"
		}
		if pl.AdminName != "" {
			label += ", " + pl.AdminName
		}
		out[i] = placeHit{Place: pl, Label: label + ", " + pl.Country}
	}
	writeJSON(w, http.StatusOK, map[string]any{"places": out})
}

// describePlace is GET /v1/places/describe?lat=&lon=&lang=: where a
// position is, in words ("12 km NW of Stuttgart").
func (s *Server) describePlace(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	errs := &roadcover.InputError{}
	coord := func(name string, lim float64) float64 {
		v, err := strconv.ParseFloat(q.Get(name), 64)
		if err != nil || v < -lim || v > lim {
			errs.Add(name, roadcover.CodeInvalidInput, "required: decimal degrees from -"+strconv.Itoa(int(lim))+" to "+strconv.Itoa(int(lim)))
		}
		return v
	}
	pt := roadcover.Point{Lat: coord("lat", 90), Lon: coord("lon", 180)}
	lang := roadcover.Language("en")
	if l := q.Get("lang"); l != "" {
		var ok bool
		if lang, ok = roadcover.ParseLanguage(l); !ok {
			errs.Add("lang", roadcover.CodeInvalidInput, "unsupported language "+l+"; expected one of en, de, pt, da, sv")
		}
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	pos, ok := places.Locate(pt)
	if !ok {
		s.fail(w, r, notFound("no place is known near that position"))
		return
	}
	country := ""
	if s.cfg.Env.Countries != nil {
		country = s.cfg.Env.Countries.PlaceAt(pt).Country
	}
	writeJSON(w, http.StatusOK, map[string]any{"text": pos.In(lang), "language": lang, "country": country, "reference": pos})
}
