package assistance

import (
	"encoding/json"
	"os"
	"testing"

	"roadcover/calendar"
	"roadcover/geo"
)

// TestPlacesFromTheEmbeddedBoundaries decides cases with the embedded
// boundaries and the working-day calendar, as the binary does: small islands
// far from the mainland are their country (also when the country is typed),
// Åland is Finland for a home given as AX, a Sovereign Base Area is covered
// but abroad for a home in Great Britain, the Republic's enclaves in Dhekelia
// are the Republic, and Crimea is Ukraine.
func TestPlacesFromTheEmbeddedBoundaries(t *testing.T) {
	b, err := os.ReadFile("testdata/assistance-dk-2023-05/tow-nearest-and-further-assistance-190-km-from-home.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Input map[string]any `json:"input"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	env := Env{Countries: geo.Lazy{}, Workdays: calendar.New()}
	cases := []struct {
		name, market, home string
		location           map[string]any
		country, zone      string
		abroad, covered    bool
	}{
		{"Helgoland, country typed", "DK", "DE", map[string]any{"country": "DE", "lat": 54.1818, "lon": 7.8850}, "DE", "", false, true},
		{"Christiansø from coordinates", "DK", "DK", map[string]any{"lat": 55.3204, "lon": 15.1878}, "DK", "", false, true},
		{"Ventotene, country typed", "DE", "IT", map[string]any{"country": "IT", "lat": 40.7970, "lon": 13.4310}, "IT", "", false, true},
		{"home AX, breakdown in Mariehamn", "DK", "AX", map[string]any{"lat": 60.0973, "lon": 19.9348}, "FI", "", false, true},
		{"home FI, breakdown typed AX", "DK", "FI", map[string]any{"country": "AX", "lat": 60.0973, "lon": 19.9348}, "AX", "", false, true},
		{"home GB, breakdown at RAF Akrotiri", "GB", "GB", map[string]any{"lat": 34.5900, "lon": 32.9870}, "GB", "gb_sovereign_base", true, true},
		{"Ormideia, the Republic's enclave in Dhekelia", "DE", "DE", map[string]any{"lat": 34.9922, "lon": 33.7778}, "CY", "", true, true},
		{"Sevastopol", "DE", "DE", map[string]any{"lat": 44.6166, "lon": 33.5254}, "UA", "ua_crimea", true, true},
		{"Douglas, Isle of Man", "GB", "GB", map[string]any{"lat": 54.1523, "lon": -4.4861}, "IM", "", true, false},
		{"Tórshavn", "DK", "DK", map[string]any{"lat": 62.0107, "lon": -6.7741}, "FO", "", true, false},
	}
	for _, c := range cases {
		in := map[string]any{}
		for k, v := range file.Input {
			in[k] = v
		}
		in["market"] = c.market
		in["home"] = map[string]any{"country": c.home}
		in["location"] = c.location
		in["trip"] = "outbound"
		delete(in, "language")
		body, _ := json.Marshal(in)
		_, d, err := DecideJSONWith(body, "en", env)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.Place.Country != c.country || d.Place.Zone != c.zone || d.Place.Abroad != c.abroad || d.Covered != c.covered {
			t.Errorf("%s: place %+v covered %v, want %s %q abroad %v covered %v", c.name, d.Place, d.Covered, c.country, c.zone, c.abroad, c.covered)
		}
	}
}
