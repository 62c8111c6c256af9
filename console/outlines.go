package console

import (
	"bytes"
	"compress/gzip"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"roadcover"
	"roadcover/geo"
)

// OutlineAttribution credits the boundary data (geo/DATA.md); the map shows
// it whenever it draws the outlines, and every outlines answer carries it.
const OutlineAttribution = `Borders © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL), Natural Earth`

// Outline answers are simplified to about a thousandth of the box's width
// (a pixel or so of the map, which asks for a box around twice its view),
// and to coarser tolerances until they have at most outlineMaxVertices.
const (
	outlinePixels      = 1000
	outlineMaxVertices = 20000
)

// outlineWorld is the embedded boundary data, loaded on the first outlines
// request.
var outlineWorld = sync.OnceValues(geo.Default)

// outlines is GET /console/outlines?bbox=minLon,minLat,maxLon,maxLat: the
// simplified country borders in and around the box as a GeoJSON
// FeatureCollection, one MultiPolygon feature per country and zone, for the
// map when no tile server is configured. Boundaries are public data, so it
// needs no token, like the page and its assets.
func (h *handler) outlines(w http.ResponseWriter, r *http.Request) {
	box, err := parseBBox(r.URL.Query()["bbox"])
	if err != nil {
		problem(w, r, err)
		return
	}
	world, err := outlineWorld()
	if err != nil {
		problem(w, r, err)
		return
	}
	tol := math.Max(box.WidthKm()/outlinePixels, 0.005)
	os := world.Outlines(box, tol)
	for countVertices(os) > outlineMaxVertices {
		tol *= 2
		os = world.Outlines(box, tol)
	}
	b := encodeOutlines(box, tol, os)
	hd := w.Header()
	hd.Set("Content-Type", "application/geo+json")
	hd.Set("Cache-Control", "public, max-age=86400")
	hd.Set("Vary", "Accept-Encoding")
	if len(b) > 1024 && acceptsGzip(r) {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
		zw.Write(b)
		zw.Close()
		hd.Set("Content-Encoding", "gzip")
		b = z.Bytes()
	}
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

// parseBBox reads bbox=minLon,minLat,maxLon,maxLat in degrees.
func parseBBox(vals []string) (geo.Rect, error) {
	bad := func(detail string) (geo.Rect, error) {
		var ie roadcover.InputError
		ie.Add("bbox", roadcover.CodeInvalidInput, detail)
		return geo.Rect{}, ie.Err()
	}
	if len(vals) != 1 || vals[0] == "" {
		return bad("give one bbox=minLon,minLat,maxLon,maxLat in degrees")
	}
	parts := strings.Split(vals[0], ",")
	if len(parts) != 4 {
		return bad("bbox has " + strconv.Itoa(len(parts)) + " numbers, want 4: minLon,minLat,maxLon,maxLat")
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad("bbox: " + strconv.Quote(p) + " is not a number")
		}
		v[i] = f
	}
	box := geo.Rect{MinLon: v[0], MinLat: v[1], MaxLon: v[2], MaxLat: v[3]}
	if !box.Valid() {
		return bad("bbox must lie within -180..180, -90..90 with minLon < maxLon and minLat < maxLat")
	}
	return box, nil
}

func countVertices(os []geo.Outline) int {
	n := 0
	for _, o := range os {
		for _, r := range o.Rings {
			n += len(r)
		}
	}
	return n
}

// encodeOutlines writes the GeoJSON by hand: coordinates rounded to the
// tolerance keep the answer small.
func encodeOutlines(box geo.Rect, tolKm float64, os []geo.Outline) []byte {
	deg := tolKm / (roadcover.EarthRadiusKm * math.Pi / 180)
	prec := max(2, min(6, int(math.Ceil(-math.Log10(deg/2)))))
	num := func(b []byte, f float64) []byte {
		b = strconv.AppendFloat(b, f, 'f', prec, 64) // always has a '.'
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
		return b
	}
	b := []byte(`{"type":"FeatureCollection","bbox":[`)
	for i, f := range []float64{box.MinLon, box.MinLat, box.MaxLon, box.MaxLat} {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	b = append(b, `],"tolerance_km":`...)
	b = strconv.AppendFloat(b, math.Round(tolKm*1000)/1000, 'f', -1, 64)
	b = append(b, `,"attribution":`...)
	b = strconv.AppendQuote(b, OutlineAttribution)
	b = append(b, `,"features":[`...)
	// One feature per country and zone, in the order Outlines gives.
	type key struct{ country, zone string }
	var order []key
	groups := map[key][]geo.Outline{}
	for _, o := range os {
		k := key{o.Country, o.Zone}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], o)
	}
	first := true
	for _, k := range order {
		var polys [][]byte
		for _, o := range groups[k] {
			var poly []byte
			for ri, ring := range o.Rings {
				var rb []byte
				var last []byte
				n := 0
				for _, q := range ring {
					pt := num(append(num(append([]byte{}, '['), q[0]), ','), q[1])
					if bytes.Equal(pt, last) {
						continue // equal once rounded
					}
					if n > 0 {
						rb = append(rb, ',')
					}
					rb = append(append(rb, pt...), ']')
					last, n = pt, n+1
				}
				if n < 4 && ri == 0 {
					break // no outer ring, no polygon
				} else if n < 4 {
					continue
				}
				if poly != nil {
					poly = append(poly, ',')
				}
				poly = append(append(append(poly, '['), rb...), ']')
			}
			if poly != nil {
				polys = append(polys, poly)
			}
		}
		if len(polys) == 0 {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"type":"Feature","properties":{"country":`...)
		b = strconv.AppendQuote(b, k.country)
		if k.zone != "" {
			b = append(b, `,"zone":`...)
			b = strconv.AppendQuote(b, k.zone)
		}
		b = append(b, `},"geometry":{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range polys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(append(b, '['), p...), ']')
		}
		b = append(b, "]}}"...)
	}
	return append(b, "]}\n"...)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0" {
			return true
		}
	}
	return false
}
