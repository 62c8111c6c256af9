package geo

import (
	"bytes"
	"math"
	"testing"

	"roadcover"
	"roadcover/assistance"
)

var _ assistance.Countries = (*World)(nil)

func world(t testing.TB) *World {
	t.Helper()
	w, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// placeCases are real places across Europe with the country (and zone) the
// boundary data must give. Coastal points may be snapped (SnappedKm ≤ 10).
var placeCases = []struct {
	name     string
	lat, lon float64
	country  string
	zone     string
}{
	// enclaves and exclaves
	{"Baarle-Hertog, Belgian enclave H1", 51.4394, 4.9296, "BE", ""},
	{"Baarle-Nassau, Dutch town", 51.4453, 4.9317, "NL", ""},
	{"Büsingen am Hochrhein, German exclave in Switzerland", 47.6967, 8.6903, "DE", ""},
	{"Schaffhausen, around Büsingen", 47.6960, 8.6340, "CH", ""},
	{"Campione d'Italia, Italian exclave in Switzerland", 45.9693, 8.9712, "IT", ""},
	{"Lugano, across the lake from Campione", 46.0037, 8.9511, "CH", ""},
	{"Llívia, Spanish exclave in France", 42.4645, 1.9797, "ES", ""},
	{"Puigcerdà side, France around Llívia", 42.4800, 2.0300, "FR", ""},
	{"Kaliningrad, Russian exclave", 54.7104, 20.4522, "RU", ""},
	{"Vatican City", 41.9029, 12.4534, "VA", ""},
	{"San Marino", 43.9356, 12.4473, "SM", ""},
	{"Monaco", 43.7384, 7.4246, "MC", ""},
	// border towns
	{"Gibraltar", 36.1408, -5.3536, "GI", ""},
	{"La Línea de la Concepción", 36.1656, -5.3475, "ES", ""},
	{"Narva", 59.3776, 28.1903, "EE", ""},
	{"Ivangorod", 59.3706, 28.2147, "RU", ""},
	{"Valga", 57.7778, 26.0473, "EE", ""},
	{"Valka", 57.7750, 26.0219, "LV", ""},
	{"Görlitz", 51.1526, 14.9880, "DE", ""},
	{"Zgorzelec", 51.1500, 15.0085, "PL", ""},
	{"Tornio", 65.8481, 24.1466, "FI", ""},
	{"Haparanda", 65.8355, 24.1368, "SE", ""},
	{"Ceuta", 35.8894, -5.3213, "ES", ""},
	{"Melilla", 35.2923, -2.9381, "ES", ""},
	{"Pristina, Kosovo", 42.6629, 21.1655, "XK", ""},
	{"Belgrade", 44.8125, 20.4612, "RS", ""},
	{"Rabat, Morocco", 34.0209, -6.8416, "MA", ""},
	{"Mariehamn, Åland", 60.0973, 19.9348, "FI", ""},
	// coasts
	{"Copenhagen, Nyhavn", 55.6798, 12.5914, "DK", ""},
	{"Lisbon, Praça do Comércio", 38.7076, -9.1365, "PT", ""},
	{"Venice, San Marco", 45.4341, 12.3388, "IT", ""},
	{"Dubrovnik, old town", 42.6410, 18.1100, "HR", ""},
	{"Valletta", 35.8989, 14.5146, "MT", ""},
	{"Reykjavík", 64.1466, -21.9426, "IS", ""},
	// Cyprus
	{"Larnaca", 34.9229, 33.6233, "CY", ""},
	{"Limassol", 34.6841, 33.0379, "CY", ""},
	{"Nicosia, south of the line", 35.1450, 33.3600, "CY", ""},
	{"Nicosia, north of the line", 35.1856, 33.3623, "CY", roadcover.ZoneNorthernCyprus},
	{"Kyrenia", 35.3400, 33.3190, "CY", roadcover.ZoneNorthernCyprus},
	{"Famagusta", 35.1250, 33.9400, "CY", roadcover.ZoneNorthernCyprus},
	{"UN buffer zone west of Nicosia", 35.1575, 33.3400, "CY", roadcover.ZoneCyprusBufferZone},
	{"RAF Akrotiri", 34.5900, 32.9870, "GB", roadcover.ZoneSovereignBase},
	{"Dhekelia garrison", 34.9833, 33.7333, "GB", roadcover.ZoneSovereignBase},
	{"Ormideia, the Republic's enclave in Dhekelia", 34.9922, 33.7778, "CY", ""},
	{"Xylotymbou, the Republic's enclave in Dhekelia", 34.9833, 33.7445, "CY", ""},
	// small islands far from other land
	{"Helgoland", 54.1818, 7.8850, "DE", ""},
	{"Ventotene", 40.7970, 13.4310, "IT", ""},
	{"Christiansø", 55.3204, 15.1878, "DK", ""},
	// Crown Dependencies, the Faroes, Greenland, Svalbard: their own codes
	{"Douglas, Isle of Man", 54.1523, -4.4861, "IM", ""},
	{"St Helier, Jersey", 49.1833, -2.1066, "JE", ""},
	{"St Peter Port, Guernsey", 49.4550, -2.5360, "GG", ""},
	{"Tórshavn, Faroe Islands", 62.0107, -6.7741, "FO", ""},
	{"Nuuk, Greenland", 64.1814, -51.6941, "GL", ""},
	{"Longyearbyen, Svalbard", 78.2232, 15.6267, "SJ", ""},
	// Crimea is Ukraine (ISO 3166-1)
	{"Simferopol", 44.9521, 34.1024, "UA", roadcover.ZoneCrimea},
	{"Sevastopol", 44.6166, 33.5254, "UA", roadcover.ZoneCrimea},
	{"Kerch", 45.3566, 36.4697, "UA", roadcover.ZoneCrimea},
	{"Kherson, mainland Ukraine", 46.6354, 32.6169, "UA", ""},
	{"Taman, across the Kerch Strait", 45.2167, 36.7167, "RU", ""},
	// Russia
	{"Moscow", 55.7558, 37.6173, "RU", ""},
	{"Saint Petersburg", 59.9343, 30.3351, "RU", ""},
}

func TestPlaceAt(t *testing.T) {
	w := world(t)
	for _, c := range placeCases {
		got := w.PlaceAt(roadcover.Point{Lat: c.lat, Lon: c.lon})
		if got.Country != c.country || got.Zone != c.zone || got.SnappedKm > CoastalToleranceKm {
			t.Errorf("%s (%.4f, %.4f): got %+v, want %s %q", c.name, c.lat, c.lon, got, c.country, c.zone)
		}
	}
}

func TestPlaceAtSea(t *testing.T) {
	w := world(t)
	near := []struct {
		name     string
		lat, lon float64
		country  string
	}{
		{"off Dover, 3 km out", 51.10, 1.36, "GB"},
		{"off Dubrovnik, 5 km out", 42.60, 18.05, "HR"},
		{"Øresund off Copenhagen", 55.69, 12.64, "DK"},
		{"Tagus estuary off Lisbon", 38.69, -9.15, "PT"},
	}
	for _, c := range near {
		got := w.PlaceAt(roadcover.Point{Lat: c.lat, Lon: c.lon})
		if got.Country != c.country {
			t.Errorf("%s: got %+v, want %s", c.name, got, c.country)
		}
	}
	far := []struct {
		name     string
		lat, lon float64
	}{
		{"North Sea", 56.0, 3.0},
		{"mid Channel", 50.2, -1.0},
		{"Bay of Biscay", 45.5, -4.5},
		{"Mediterranean south of Sardinia", 38.0, 9.0},
		{"Atlantic", 40.0, -30.0},
	}
	for _, c := range far {
		if got := w.PlaceAt(roadcover.Point{Lat: c.lat, Lon: c.lon}); got != (roadcover.Place{}) {
			t.Errorf("%s: got %+v, want no country", c.name, got)
		}
	}
	// a sea point just outside the tolerance of a straight coast
	p := roadcover.Point{Lat: 51.10, Lon: 1.36}
	km, _ := w.KmToCountry(p, "GB")
	if got := w.PlaceAt(p); math.Abs(got.SnappedKm-km) > 0.01 || km <= 0 {
		t.Errorf("snapped %v km, KmToCountry %v km", got.SnappedKm, km)
	}
}

func TestKmToCountry(t *testing.T) {
	w := world(t)
	cases := []struct {
		name       string
		lat, lon   float64
		country    string
		minKm, max float64
	}{
		{"Munich is in Germany", 48.137, 11.575, "DE", 0, 0},
		{"Munich to Austria", 48.137, 11.575, "AT", 50, 70},
		{"Görlitz to Poland across the Neisse", 51.1526, 14.9880, "PL", 0.05, 1.5},
		{"Büsingen to Switzerland around it", 47.6967, 8.6903, "CH", 0.01, 2},
		{"Paris to Spain", 48.857, 2.352, "ES", 650, 760},
		{"Kyrenia counts as CY", 35.34, 33.319, "CY", 0, 0},
		{"RAF Akrotiri counts as GB", 34.59, 32.987, "GB", 0, 0},
		{"Mariehamn is Åland", 60.0973, 19.9348, "AX", 0, 0},
		{"Pristina to Serbia", 42.6629, 21.1655, "RS", 10, 60},
		{"Simferopol is in Ukraine", 44.9521, 34.1024, "UA", 0, 0},
		{"Simferopol to Russia, across the Kerch Strait", 44.9521, 34.1024, "RU", 150, 250},
		{"Helgoland to Germany", 54.1818, 7.8850, "DE", 0, 0},
	}
	for _, c := range cases {
		km, ok := w.KmToCountry(roadcover.Point{Lat: c.lat, Lon: c.lon}, c.country)
		if !ok || km < c.minKm || km > c.max {
			t.Errorf("%s: %v km (ok %v), want %v..%v", c.name, km, ok, c.minKm, c.max)
		}
	}
	if _, ok := w.KmToCountry(roadcover.Point{Lat: 1, Lon: 1}, "QQ"); ok {
		t.Error("unknown code QQ reported as known")
	}
}

// TestRussianRadius gives the points the 200 km restriction is tested
// with: all in Russia, at known great-circle distances from the centres.
func TestRussianRadius(t *testing.T) {
	w := world(t)
	moscow := roadcover.Point{Lat: 55.7558, Lon: 37.6173}
	spb := roadcover.Point{Lat: 59.9343, Lon: 30.3351}
	cases := []struct {
		name       string
		p, centre  roadcover.Point
		minKm, max float64
	}{
		{"Tver, inside Moscow's 217 km", roadcover.Point{Lat: 56.8587, Lon: 35.9176}, moscow, 150, 170},
		{"Yaroslavl, outside Moscow's 217 km", roadcover.Point{Lat: 57.6261, Lon: 39.8845}, moscow, 240, 260},
		{"Veliky Novgorod, inside Saint Petersburg's 220 km", roadcover.Point{Lat: 58.5213, Lon: 31.2755}, spb, 155, 170},
		{"Pskov, outside Saint Petersburg's 220 km", roadcover.Point{Lat: 57.8136, Lon: 28.3496}, spb, 250, 270},
	}
	for _, c := range cases {
		if pl := w.PlaceAt(c.p); pl.Country != "RU" {
			t.Errorf("%s: %+v, want RU", c.name, pl)
		}
		if km := roadcover.GreatCircleKm(c.p, c.centre); km < c.minKm || km > c.max {
			t.Errorf("%s: %.1f km from the centre", c.name, km)
		}
	}
}

func TestInvalidAndDamaged(t *testing.T) {
	w := world(t)
	if got := w.PlaceAt(roadcover.Point{Lat: 91, Lon: 0}); got != (roadcover.Place{}) {
		t.Errorf("out of range point: %+v", got)
	}
	if _, err := Load(bytes.NewReader([]byte("not gzip"))); err == nil {
		t.Error("damaged data loaded")
	}
	if _, err := Load(bytes.NewReader(worldData[:len(worldData)/2])); err == nil {
		t.Error("truncated data loaded")
	}
}

func BenchmarkPlaceAt(b *testing.B) {
	w := world(b)
	pts := make([]roadcover.Point, len(placeCases))
	for i, c := range placeCases {
		pts[i] = roadcover.Point{Lat: c.lat, Lon: c.lon}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.PlaceAt(pts[i%len(pts)])
	}
}
