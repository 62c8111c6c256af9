package console

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"roadcover"
)

type featureCollection struct {
	Type        string    `json:"type"`
	BBox        []float64 `json:"bbox"`
	ToleranceKm float64   `json:"tolerance_km"`
	Attribution string    `json:"attribution"`
	Features    []struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func TestOutlines(t *testing.T) {
	h := Handler(Options{})
	for _, c := range []struct {
		name, bbox string
		want       []string // countries that must appear
		maxBytes   int      // uncompressed
	}{
		{"Innsbruck (city)", "11.2,47.15,11.6,47.4", []string{"AT"}, 20_000},
		{"Innsbruck and the borders (city region)", "10.6,46.8,12.2,47.7", []string{"AT", "DE", "IT"}, 60_000},
		{"Germany (country)", "5.5,47,15.5,55.2", []string{"AT", "BE", "CH", "CZ", "DE", "DK", "FR", "LU", "NL", "PL"}, 150_000},
		{"Europe", "-25,34,45,72", []string{"DE", "GB", "IS", "PT", "SE"}, 300_000},
		{"world", "-180,-90,180,90", []string{"AU", "BR", "US", "ZA"}, 300_000},
	} {
		res := get(t, h, "/console/outlines?bbox="+c.bbox, "")
		raw := body(t, res)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("%s: %d %s %s", c.name, res.StatusCode, res.Header.Get("Content-Type"), raw)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
			t.Errorf("%s: Cache-Control %q", c.name, cc)
		}
		var fc featureCollection
		if err := json.Unmarshal([]byte(raw), &fc); err != nil {
			t.Fatalf("%s: not JSON: %v", c.name, err)
		}
		if fc.Type != "FeatureCollection" || !strings.Contains(fc.Attribution, "OpenStreetMap") || !strings.Contains(fc.Attribution, "ODbL") {
			t.Errorf("%s: type %q attribution %q", c.name, fc.Type, fc.Attribution)
		}
		seen := map[string]bool{}
		vertices := 0
		for _, f := range fc.Features {
			if f.Type != "Feature" || f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) == 0 {
				t.Errorf("%s: feature %+v", c.name, f.Properties)
			}
			seen[f.Properties["country"]] = true
			for _, poly := range f.Geometry.Coordinates {
				for _, ring := range poly {
					if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
						t.Errorf("%s: %s ring of %d positions, open or too short", c.name, f.Properties["country"], len(ring))
					}
					vertices += len(ring)
				}
			}
		}
		for _, want := range c.want {
			if !seen[want] {
				var got []string
				for k := range seen {
					got = append(got, k)
				}
				sort.Strings(got)
				t.Errorf("%s: %s missing from %v", c.name, want, got)
			}
		}
		if len(raw) > c.maxBytes {
			t.Errorf("%s: %d bytes, want at most %d", c.name, len(raw), c.maxBytes)
		}
		// The same answer compressed, for browsers that accept gzip.
		r := httptest.NewRequest("GET", "/console/outlines?bbox="+c.bbox, nil)
		r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		zipped := w.Body.Len()
		zr, err := gzip.NewReader(w.Body)
		if err != nil || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: gzip answer: %v %q", c.name, err, w.Header().Get("Content-Encoding"))
		}
		if unzipped, _ := io.ReadAll(zr); string(unzipped) != raw {
			t.Errorf("%s: the gzip answer differs from the plain one", c.name)
		}
		t.Logf("%s: %d features, %d positions at %.3f km: %d bytes, %d gzip", c.name, len(fc.Features), vertices, fc.ToleranceKm, len(raw), zipped)
	}
}

func TestOutlinesBadBBox(t *testing.T) {
	h := Handler(Options{})
	for _, q := range []string{"", "?bbox=", "?bbox=1,2,3", "?bbox=a,47,12,48", "?bbox=12,47,11,48",
		"?bbox=-200,0,10,10", "?bbox=0,-91,10,10", "?bbox=NaN,0,1,1", "?bbox=1,1,2,2&bbox=3,3,4,4"} {
		res := get(t, h, "/console/outlines"+q, "")
		var p roadcover.Problem
		if err := json.Unmarshal([]byte(body(t, res)), &p); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if res.StatusCode != 422 || res.Header.Get("Content-Type") != "application/problem+json" ||
			p.Code != roadcover.CodeInvalidInput || len(p.Errors) != 1 || p.Errors[0].Field != "bbox" {
			t.Errorf("%q: %d %+v", q, res.StatusCode, p)
		}
	}
}
