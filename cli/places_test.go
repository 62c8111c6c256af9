package cli

import (
	"encoding/json"
	"testing"
)

func TestPlacesSearchAndDescribe(t *testing.T) {
	code, stdout, stderr := run(t, "", "places", "search", "-n", "2", "Koebenhavn")
	var got []struct {
		Name      string `json:"name"`
		LocalName string `json:"local_name"`
		Country   string `json:"country"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil || len(got) != 1 || got[0].Name != "Copenhagen" || got[0].LocalName != "København" {
		t.Fatalf("search: exit %d %v %s %s", code, err, stdout, stderr)
	}
	code, stdout, _ = run(t, "", "places", "describe", "--lat", "48.85", "--lon", "9.05", "--lang", "de-DE")
	var d struct {
		Text      string `json:"text"`
		Reference struct {
			Km        float64 `json:"distance_km"`
			Direction string  `json:"direction"`
		} `json:"reference"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); code != 0 || err != nil || d.Text != "12 km nordwestlich von Stuttgart" || d.Reference.Direction != "NW" {
		t.Fatalf("describe: exit %d %v %s", code, err, stdout)
	}
	for _, args := range [][]string{
		{"places", "search"},
		{"places", "search", "-n", "0", "x"},
		{"places", "describe", "--lat", "95", "--lon", "0"},
		{"places", "describe", "--lat", "48", "--lon", "9", "--lang", "fr"},
	} {
		if code, _, _ := run(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
