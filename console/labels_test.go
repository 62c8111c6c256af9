package console

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// LabelsOf reads a labels file of the console's assets (one JSON object
// after "window.RC_…_I18N =", by language), checks that each language has
// every English label and no empty one, and returns the English labels.
func LabelsOf(t testing.TB, file string) map[string]string {
	t.Helper()
	src, err := os.ReadFile("assets/" + file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	s = s[strings.Index(s, "=")+1 : strings.LastIndex(s, ";")]
	var labels map[string]map[string]string
	if err := json.Unmarshal([]byte(s), &labels); err != nil {
		t.Fatalf("%s is not one JSON object after its 'window.RC_…_I18N =': %v", file, err)
	}
	en := labels["en"]
	for _, l := range Languages {
		if len(labels[l]) != len(en) {
			t.Errorf("%s: %s has %d labels, en %d", file, l, len(labels[l]), len(en))
		}
		for k := range en {
			if strings.TrimSpace(labels[l][k]) == "" {
				t.Errorf("%s: label %s missing in %s", file, k, l)
			}
		}
	}
	return en
}
