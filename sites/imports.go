package sites

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"roadcover"
)

// Formats of import files.
const (
	FormatCSV     = "csv"
	FormatGeoJSON = "geojson"
	FormatOCM     = "ocm" // Open Charge Map JSON export
)

// FormatOf guesses the format from a file name: .csv, .geojson, and .json
// (Open Charge Map export, unless it holds a GeoJSON FeatureCollection).
func FormatOf(name string, data []byte) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return FormatCSV, nil
	case ".geojson":
		return FormatGeoJSON, nil
	case ".json":
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) && bytes.Contains(data[:min(len(data), 4096)], []byte("FeatureCollection")) {
			return FormatGeoJSON, nil
		}
		return FormatOCM, nil
	}
	return "", fmt.Errorf("sites: %s: cannot tell the format from the extension; give --format csv|geojson|ocm", name)
}

// Problem is one bad line or feature of an import file.
type Problem struct {
	File   string
	Where  string // "line 3", "feature 2", "POI 7"
	Detail string
}

// ImportError lists every problem of the files given; nothing is imported.
type ImportError struct{ Problems []Problem }

func (e *ImportError) Error() string {
	var b strings.Builder
	b.WriteString("sites: import refused:")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s: %s: %s", p.File, p.Where, p.Detail)
	}
	return b.String()
}

// InputError turns the problems into an input error naming each line as a
// field ("file.csv:line 3").
func (e *ImportError) InputError() *roadcover.InputError {
	ie := &roadcover.InputError{}
	for _, p := range e.Problems {
		ie.Add(p.File+":"+p.Where, roadcover.CodeInvalidInput, p.Detail)
	}
	return ie
}

// Parse reads sites from data in format; file names the source in
// problems and in each site's Source. countryAt fills a missing country
// from the position (nil: a country is required).
func Parse(file, format string, data []byte, countryAt func(roadcover.Point) string) ([]roadcover.Site, error) {
	var sites []roadcover.Site
	var probs []Problem
	add := func(where string, s roadcover.Site, errs []string) {
		if s.Country == "" && countryAt != nil && s.Point.Valid() && len(errs) == 0 {
			s.Country = countryAt(s.Point)
		}
		if s.Country == "" && len(errs) == 0 {
			errs = append(errs, "country missing and not found from the position")
		}
		for _, e := range errs {
			probs = append(probs, Problem{file, where, e})
		}
		if len(errs) == 0 {
			if s.Source == "" {
				s.Source = filepath.Base(file)
			}
			sites = append(sites, s)
		}
	}
	var err error
	switch format {
	case FormatCSV:
		err = parseCSV(data, add)
	case FormatGeoJSON:
		err = parseGeoJSON(data, add)
	case FormatOCM:
		err = parseOCM(data, add)
	default:
		err = fmt.Errorf("unknown format %q (csv, geojson, ocm)", format)
	}
	if err != nil {
		probs = append(probs, Problem{file, "file", err.Error()})
	}
	if len(probs) > 0 {
		return nil, &ImportError{probs}
	}
	return sites, nil
}

// check validates the fields every format shares.
func check(s *roadcover.Site) []string {
	var errs []string
	if s.ID == "" {
		errs = append(errs, "id is empty")
	}
	if s.Kind != roadcover.SiteWorkshop && s.Kind != roadcover.SiteCharger && s.Kind != roadcover.SiteTow {
		errs = append(errs, fmt.Sprintf("kind %q is not workshop, charger or tow", s.Kind))
	}
	if strings.TrimSpace(s.Name) == "" {
		errs = append(errs, "name is empty")
	}
	if !s.Point.Valid() {
		errs = append(errs, fmt.Sprintf("position %v, %v is out of range", s.Point.Lat, s.Point.Lon))
	}
	if s.Country != "" {
		s.Country = strings.ToUpper(s.Country)
		if len(s.Country) != 2 || s.Country[0] < 'A' || s.Country[0] > 'Z' || s.Country[1] < 'A' || s.Country[1] > 'Z' {
			errs = append(errs, fmt.Sprintf("country %q is not an ISO 3166-1 alpha-2 code", s.Country))
		}
	}
	if s.Phone != "" && !phonePattern.MatchString(s.Phone) {
		errs = append(errs, fmt.Sprintf("phone %q is not an international number (+, then 7 to 15 digits, spaces or hyphens between)", s.Phone))
	}
	if s.Kind != roadcover.SiteTow {
		if s.Tow != nil {
			errs = append(errs, "trucks, plates and radius_km are for kind tow only")
		}
		return errs
	}
	if s.Phone == "" {
		errs = append(errs, "phone is required for a tow partner")
	}
	t := s.Tow
	if t == nil {
		t = &roadcover.TowFleet{}
	}
	if len(t.Trucks) == 0 {
		errs = append(errs, "trucks is required for a tow partner ("+strings.Join(roadcover.TruckKinds, ", ")+")")
	}
	for _, k := range t.Trucks {
		if !slices.Contains(roadcover.TruckKinds, k) {
			errs = append(errs, fmt.Sprintf("truck kind %q is not one of %s", k, strings.Join(roadcover.TruckKinds, ", ")))
		}
	}
	for _, pl := range t.Plates {
		if strings.TrimSpace(pl) == "" {
			errs = append(errs, "a plate is empty")
		}
	}
	if !(t.RadiusKm > 0 && t.RadiusKm <= MaxTowRadiusKm) {
		errs = append(errs, fmt.Sprintf("radius_km %v is not above 0 and at most %v", t.RadiusKm, MaxTowRadiusKm))
	}
	return errs
}

// MaxTowRadiusKm bounds a tow partner's coverage radius.
const MaxTowRadiusKm = 1000

// phonePattern is an international number: "+", 7 to 15 digits, single
// spaces or hyphens between them.
var phonePattern = regexp.MustCompile(`^\+[0-9](?:[ -]?[0-9]){6,14}$`)

// CSVColumns are the columns of the CSV format, in any order; the header
// row is required. phone, trucks, plates and radius_km describe a tow
// partner (kind tow).
var CSVColumns = []string{"id", "kind", "name", "address", "country", "lat", "lon", "tags", "phone", "trucks", "plates", "radius_km"}

func parseCSV(data []byte, add func(string, roadcover.Site, []string)) error {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("line 1: no header row: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"id", "kind", "name", "lat", "lon"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("line 1: header lacks column %q (columns: %s)", need, strings.Join(CSVColumns, ","))
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := r.FieldPos(0)
		where := "line " + strconv.Itoa(line)
		if err != nil {
			add(where, roadcover.Site{}, []string{err.Error()})
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		s := roadcover.Site{ID: get("id"), Kind: get("kind"), Name: get("name"), Address: get("address"), Country: get("country")}
		var errs []string
		lat, e1 := strconv.ParseFloat(get("lat"), 64)
		lon, e2 := strconv.ParseFloat(get("lon"), 64)
		if e1 != nil {
			errs = append(errs, fmt.Sprintf("lat %q is not a number", get("lat")))
		}
		if e2 != nil {
			errs = append(errs, fmt.Sprintf("lon %q is not a number", get("lon")))
		}
		s.Point = roadcover.Point{Lat: lat, Lon: lon}
		if t := get("tags"); t != "" {
			s.Tags = strings.Split(t, ";")
		}
		s.Phone = get("phone")
		if get("trucks") != "" || get("plates") != "" || get("radius_km") != "" {
			s.Tow = &roadcover.TowFleet{Trucks: splitList(get("trucks")), Plates: splitList(get("plates"))}
			if r := get("radius_km"); r != "" {
				v, err := strconv.ParseFloat(r, 64)
				if err != nil {
					errs = append(errs, fmt.Sprintf("radius_km %q is not a number", r))
					v = 1 // reported; checked no further
				}
				s.Tow.RadiusKm = v
			}
		}
		errs = append(errs, check(&s)...)
		add(where, s, errs)
	}
}

// splitList splits a CSV cell of values separated by ";".
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(s, ";")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

type geoFeature struct {
	Type     string `json:"type"`
	Geometry *struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	} `json:"geometry"`
	Properties struct {
		ID      json.RawMessage `json:"id"`
		Kind    string          `json:"kind"`
		Name    string          `json:"name"`
		Address string          `json:"address"`
		Country string          `json:"country"`
		Sample  bool            `json:"sample"`
		Source  string          `json:"source"`
		Tags    []string        `json:"tags"`
		Phone   string          `json:"phone"`
		Trucks  []string        `json:"trucks"`
		Plates  []string        `json:"plates"`
		Radius  *float64        `json:"radius_km"`
	} `json:"properties"`
}

func parseGeoJSON(data []byte, add func(string, roadcover.Site, []string)) error {
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return fmt.Errorf("not GeoJSON: %w", err)
	}
	if fc.Type != "FeatureCollection" {
		return fmt.Errorf("type is %q, want FeatureCollection", fc.Type)
	}
	for i, f := range fc.Features {
		where := "feature " + strconv.Itoa(i+1)
		pr := f.Properties
		s := roadcover.Site{ID: strings.Trim(string(pr.ID), `"`), Kind: pr.Kind, Name: pr.Name, Address: pr.Address,
			Country: pr.Country, Sample: pr.Sample, Source: pr.Source, Tags: pr.Tags, Phone: pr.Phone}
		if pr.Trucks != nil || pr.Plates != nil || pr.Radius != nil {
			s.Tow = &roadcover.TowFleet{Trucks: pr.Trucks, Plates: pr.Plates}
			if pr.Radius != nil {
				s.Tow.RadiusKm = *pr.Radius
			}
		}
		var errs []string
		if f.Geometry == nil || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) < 2 {
			errs = append(errs, "geometry is not a Point [lon, lat]")
		} else {
			s.Point = roadcover.Point{Lat: f.Geometry.Coordinates[1], Lon: f.Geometry.Coordinates[0]}
			errs = check(&s)
		}
		add(where, s, errs)
	}
	return nil
}

func parseOCM(data []byte, add func(string, roadcover.Site, []string)) error {
	var pois []struct {
		ID          *int64 `json:"ID"`
		AddressInfo *struct {
			Title        string   `json:"Title"`
			AddressLine1 string   `json:"AddressLine1"`
			Town         string   `json:"Town"`
			Postcode     string   `json:"Postcode"`
			Latitude     *float64 `json:"Latitude"`
			Longitude    *float64 `json:"Longitude"`
			CountryID    int      `json:"CountryID"`
			Country      *struct {
				ISOCode string `json:"ISOCode"`
			} `json:"Country"`
		} `json:"AddressInfo"`
	}
	if err := json.Unmarshal(data, &pois); err != nil {
		return fmt.Errorf("not an Open Charge Map POI list: %w", err)
	}
	for i, p := range pois {
		where := "POI " + strconv.Itoa(i+1)
		var errs []string
		s := roadcover.Site{Kind: roadcover.SiteCharger, Source: "openchargemap"}
		if p.ID == nil {
			errs = append(errs, "ID missing")
		} else {
			s.ID = "ocm-" + strconv.FormatInt(*p.ID, 10)
		}
		a := p.AddressInfo
		if a == nil || a.Latitude == nil || a.Longitude == nil {
			errs = append(errs, "AddressInfo.Latitude/Longitude missing")
		} else {
			s.Name = a.Title
			var parts []string
			for _, x := range []string{a.AddressLine1, strings.TrimSpace(a.Postcode + " " + a.Town)} {
				if x != "" {
					parts = append(parts, x)
				}
			}
			s.Address = strings.Join(parts, ", ")
			s.Point = roadcover.Point{Lat: *a.Latitude, Lon: *a.Longitude}
			if a.Country != nil {
				s.Country = a.Country.ISOCode
			}
		}
		if len(errs) == 0 {
			errs = check(&s)
		}
		add(where, s, errs)
	}
	return nil
}

// WriteGeoJSON writes sites as the network file (a GeoJSON FeatureCollection
// in the GeoJSON import format).
func WriteGeoJSON(w io.Writer, list []roadcover.Site) error {
	type props struct {
		ID      string   `json:"id"`
		Kind    string   `json:"kind"`
		Name    string   `json:"name"`
		Address string   `json:"address,omitempty"`
		Country string   `json:"country"`
		Sample  bool     `json:"sample,omitempty"`
		Source  string   `json:"source,omitempty"`
		Tags    []string `json:"tags,omitempty"`
		Phone   string   `json:"phone,omitempty"`
		Trucks  []string `json:"trucks,omitempty"`
		Plates  []string `json:"plates,omitempty"`
		Radius  float64  `json:"radius_km,omitempty"`
	}
	type geom struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type feat struct {
		Type       string `json:"type"`
		Geometry   geom   `json:"geometry"`
		Properties props  `json:"properties"`
	}
	fc := struct {
		Type     string `json:"type"`
		Features []feat `json:"features"`
	}{Type: "FeatureCollection", Features: []feat{}}
	for _, s := range list {
		pr := props{ID: s.ID, Kind: s.Kind, Name: s.Name, Address: s.Address, Country: s.Country, Sample: s.Sample,
			Source: s.Source, Tags: s.Tags, Phone: s.Phone}
		if t := s.Tow; t != nil {
			pr.Trucks, pr.Plates, pr.Radius = t.Trucks, t.Plates, t.RadiusKm
		}
		fc.Features = append(fc.Features, feat{"Feature", geom{"Point", [2]float64{s.Point.Lon, s.Point.Lat}}, pr})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(fc); err != nil {
		return fmt.Errorf("sites: write network: %w", err)
	}
	return nil
}

// Merge adds sites to a network's list; a site with an id already present
// replaces it.
func Merge(base, add []roadcover.Site) []roadcover.Site {
	out := append([]roadcover.Site(nil), base...)
	at := map[string]int{}
	for i, s := range out {
		at[s.ID] = i
	}
	for _, s := range add {
		if i, ok := at[s.ID]; ok {
			out[i] = s
		} else {
			at[s.ID] = len(out)
			out = append(out, s)
		}
	}
	return out
}
