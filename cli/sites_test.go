package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSitesImportAndNearest(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join(dir, "net.geojson")
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(good, []byte("id,kind,name,lat,lon\nws-1,workshop,Workshop Munich,48.14,11.58\nch-1,charger,Charger Innsbruck,47.27,11.40\n"), 0o644)
	os.WriteFile(bad, []byte("id,kind,name,lat,lon\nws-2,garage,X,48,11\nws-3,workshop,Y,north,11\nws-4,workshop,Sea,56,3\n"), 0o644)

	code, _, stderr := run(t, "", "sites", "import", "--into", net, good, bad)
	if code != 2 {
		t.Fatalf("bad import: exit %d", code)
	}
	for _, want := range []string{"bad.csv:line 2", "bad.csv:line 3", "bad.csv:line 4"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("problem document lacks %s:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(net); err == nil {
		t.Fatal("network written after a refused import")
	}

	code, stdout, stderr := run(t, "", "sites", "import", "--into", net, good)
	if code != 0 || !strings.Contains(stdout, `"sites": 2`) {
		t.Fatalf("import: exit %d %s %s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "", "sites", "nearest", "--network", net, "--lat", "47.3", "--lon", "11.4", "--kind", "charger", "-n", "5")
	var got []struct {
		ID      string  `json:"id"`
		Country string  `json:"country"`
		Km      float64 `json:"distance_km"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil || len(got) != 1 || got[0].ID != "ch-1" || got[0].Country != "AT" {
		t.Fatalf("nearest: exit %d %v %s", code, err, stdout)
	}
	// sample network when none is configured
	code, stdout, _ = run(t, "", "sites", "nearest", "--lat", "55.68", "--lon", "12.57", "-n", "1", "--kind", "workshop")
	if code != 0 || !strings.Contains(stdout, `"sample-ws-dk-copenhagen"`) || !strings.Contains(stdout, `"sample": true`) {
		t.Fatalf("sample nearest: exit %d %s", code, stdout)
	}
	if code, _, _ = run(t, "", "sites", "nearest", "--lat", "95", "--lon", "0"); code != 2 {
		t.Errorf("latitude 95: exit %d", code)
	}
}

// TestDecideFromCoordinates runs assist decide on coordinates-only cases
// (no location.country) through the real command path and boundaries.
func TestDecideFromCoordinates(t *testing.T) {
	cases := []struct {
		name     string
		lat, lon float64
		home     string
		country  string
		zone     string
		covered  bool
		refusal  string
		abroad   bool
	}{
		{"Larnaca, Republic of Cyprus", 34.9229, 33.6233, "DE", "CY", "", true, "", true},
		{"Kyrenia, Northern Cyprus", 35.34, 33.319, "DE", "CY", "cy_north", false, "outside_covered_area", true},
		{"Nicosia north of the line", 35.1856, 33.3623, "DE", "CY", "cy_north", false, "outside_covered_area", true},
		{"Nicosia south of the line", 35.145, 33.36, "DE", "CY", "", true, "", true},
		{"Nicosia old town south of the line (Eleftheria Square)", 35.1700, 33.3610, "DE", "CY", "cy_buffer_zone", true, "", true},
		{"Pyla, a village in the UN buffer zone", 35.0133, 33.6903, "DE", "CY", "cy_buffer_zone", true, "", true},
		{"RAF Akrotiri, UK base", 34.59, 32.987, "DE", "GB", "gb_sovereign_base", true, "", true},
		{"Büsingen, German exclave", 47.6967, 8.6903, "DE", "DE", "", true, "", false},
		{"Schaffhausen around it", 47.696, 8.634, "DE", "CH", "", true, "", true},
		{"Campione d'Italia", 45.9693, 8.9712, "DE", "IT", "", true, "", true},
		{"Baarle-Hertog enclave", 51.4394, 4.9296, "DE", "BE", "", true, "", true},
		{"Pristina, Kosovo", 42.6629, 21.1655, "DE", "XK", "", false, "outside_covered_area", true},
		{"Rabat, Morocco", 34.0209, -6.8416, "DE", "MA", "", false, "outside_covered_area", true},
		{"Tver, within Moscow's radius", 56.8587, 35.9176, "DE", "RU", "", true, "", true},
		{"Yaroslavl, beyond Moscow's radius", 57.6261, 39.8845, "DE", "RU", "", false, "outside_covered_area", true},
		{"Copenhagen waterfront, at home", 55.6798, 12.5914, "DK", "DK", "", true, "", false},
		{"North Sea, far out", 56.0, 3.0, "DE", "", "", false, "outside_covered_area", true},
	}
	for _, c := range cases {
		in := fmt.Sprintf(`{"market":"DE","language":"en","occurred_at":"2026-07-01T09:30:00+02:00","reported_at":"2026-07-01T10:05:00+02:00",
"vehicle":{"first_registered":"2024-03-01","powertrain":"bev","use":"private"},
"location":{"lat":%v,"lon":%v},"home":{"country":%q},"trip":"outbound",
"event":{"kind":"breakdown","immobilised":true,"cause":"none"},"people":{"passengers":1}}`, c.lat, c.lon, c.home)
		code, stdout, stderr := run(t, in, "assist", "decide")
		if code != 0 {
			t.Errorf("%s: exit %d %s", c.name, code, stderr)
			continue
		}
		var d struct {
			Terms    struct{ ID string } `json:"terms"`
			Covered  bool                `json:"covered"`
			Refusals []struct{ Code string }
			Place    struct {
				Country, Zone string
				Abroad        bool
			} `json:"place"`
		}
		if err := json.Unmarshal([]byte(stdout), &d); err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, stdout)
		}
		var codes []string
		for _, r := range d.Refusals {
			codes = append(codes, r.Code)
		}
		if d.Terms.ID != "assistance-de-2023-05" || d.Covered != c.covered || d.Place.Country != c.country || d.Place.Zone != c.zone ||
			(c.refusal != "" && !strings.Contains(strings.Join(codes, ","), c.refusal)) || (c.country != "" && d.Place.Abroad != c.abroad) {
			t.Errorf("%s: covered %v refusals %v place %+v terms %s", c.name, d.Covered, codes, d.Place, d.Terms.ID)
		}
	}
}
