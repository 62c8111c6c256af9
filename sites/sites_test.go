package sites

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"roadcover"
	"roadcover/assistance"
)

var _ assistance.Sites = (*Network)(nil)

func countryAt(p roadcover.Point) string {
	if p.Lat > 47 && p.Lat < 47.5 {
		return "AT"
	}
	if p.Lat > 55 && p.Lat < 56 {
		return "DK"
	}
	return ""
}

func TestCSV(t *testing.T) {
	data, _ := os.ReadFile("testdata/good.csv")
	list, err := Parse("good.csv", FormatCSV, data, countryAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[1].Country != "AT" || len(list[1].Tags) != 2 || list[0].Point.Lat != 48.14 {
		t.Fatalf("got %+v", list)
	}
}

func TestCSVErrorsNameEveryLine(t *testing.T) {
	data, _ := os.ReadFile("testdata/bad.csv")
	_, err := Parse("bad.csv", FormatCSV, data, countryAt)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v", err)
	}
	var where []string
	for _, p := range ie.Problems {
		where = append(where, p.Where)
	}
	if got := strings.Join(where, ","); got != "line 3,line 4,line 5" {
		t.Errorf("problems at %s: %v", got, err)
	}
	fields := ie.InputError().Errors
	if len(fields) != 3 || fields[0].Field != "bad.csv:line 3" {
		t.Errorf("input error fields %+v", fields)
	}
}

func TestOCM(t *testing.T) {
	data, _ := os.ReadFile("testdata/ocm.json")
	if f, _ := FormatOf("x.json", data); f != FormatOCM {
		t.Fatalf("format %s", f)
	}
	_, err := Parse("ocm.json", FormatOCM, data, countryAt)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Where != "POI 3" {
		t.Fatalf("got %v", err)
	}
	list, err := Parse("ocm.json", FormatOCM, []byte(strings.Replace(string(data), `{"AddressInfo": {"Title": "No id"`, `{"ID": 103, "AddressInfo": {"Title": "Id"`, 1)), countryAt)
	if err != nil {
		t.Fatal(err)
	}
	if list[0].ID != "ocm-101" || list[0].Country != "PT" || list[0].Kind != roadcover.SiteCharger ||
		list[0].Address != "Rua 1, 1100-148 Lisboa" || list[1].Country != "DK" {
		t.Errorf("got %+v", list)
	}
}

func TestGeoJSONRoundTrip(t *testing.T) {
	data, _ := os.ReadFile("testdata/good.csv")
	list, _ := Parse("good.csv", FormatCSV, data, countryAt)
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, list); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("net.geojson", FormatGeoJSON, buf.Bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[1].Point != list[1].Point || back[1].Country != "AT" {
		t.Errorf("got %+v", back)
	}
	if _, err := Parse("x.geojson", FormatGeoJSON, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[]},"properties":{}}]}`), nil); err == nil {
		t.Error("a LineString site was accepted")
	}
}

func TestSample(t *testing.T) {
	n, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range n.Sites() {
		if !s.Sample || !strings.HasPrefix(s.Name, "Sample ") {
			t.Errorf("sample site %s not labelled as sample", s.ID)
		}
	}
	got := n.Nearest(roadcover.Point{Lat: 48.14, Lon: 11.58}, roadcover.SiteWorkshop, 1)
	if len(got) != 1 || got[0].ID != "sample-ws-de-munich" || got[0].Km > 5 || got[0].Method != "great_circle" {
		t.Errorf("nearest workshop to Munich: %+v", got)
	}
}

// TestNearestMatchesBruteForce compares the k-d tree with a full scan.
func TestNearestMatchesBruteForce(t *testing.T) {
	list := randomSites(5000, 1)
	n, err := New(list)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(2))
	for q := 0; q < 200; q++ {
		p := roadcover.Point{Lat: 35 + r.Float64()*35, Lon: -10 + r.Float64()*40}
		if q%50 == 0 {
			p = roadcover.Point{Lat: 65, Lon: 179.9} // across the antimeridian
		}
		kind := []string{"", roadcover.SiteWorkshop, roadcover.SiteCharger}[q%3]
		got := n.Nearest(p, kind, 10)
		var want []roadcover.SiteDistance
		for _, s := range list {
			if kind == "" || s.Kind == kind {
				want = append(want, roadcover.SiteDistance{Site: s, Km: roadcover.GreatCircleKm(p, s.Point)})
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i].Km < want[j].Km })
		for i := range got {
			if got[i].Km-want[i].Km > 1e-9 || want[i].Km-got[i].Km > 1e-9 {
				t.Fatalf("query %d (%v %q) rank %d: got %s %.6f, want %s %.6f", q, p, kind, i, got[i].ID, got[i].Km, want[i].ID, want[i].Km)
			}
		}
		if len(got) != 10 {
			t.Fatalf("got %d sites", len(got))
		}
	}
	if _, err := New(append(list, list[0])); err == nil {
		t.Error("duplicate id accepted")
	}
}

func randomSites(n int, seed int64) []roadcover.Site {
	r := rand.New(rand.NewSource(seed))
	list := make([]roadcover.Site, n)
	for i := range list {
		kind := roadcover.SiteWorkshop
		if i%3 != 0 {
			kind = roadcover.SiteCharger
		}
		lon := -10 + r.Float64()*40
		if i%997 == 0 {
			lon = -179.95
		}
		list[i] = roadcover.Site{ID: "s" + strconv.Itoa(i), Kind: kind, Name: "x", Country: "DE",
			Point: roadcover.Point{Lat: 35 + r.Float64()*35, Lon: lon}}
	}
	return list
}

func BenchmarkNearest10Of100k(b *testing.B) {
	n, _ := New(randomSites(100000, 3))
	r := rand.New(rand.NewSource(4))
	pts := make([]roadcover.Point, 1024)
	for i := range pts {
		pts[i] = roadcover.Point{Lat: 35 + r.Float64()*35, Lon: -10 + r.Float64()*40}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n.Nearest(pts[i%len(pts)], "", 10)
	}
}

func TestTowPartnerCSV(t *testing.T) {
	data, _ := os.ReadFile("testdata/tow.csv")
	_, err := Parse("tow.csv", FormatCSV, data, nil)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v", err)
	}
	got := map[string][]string{}
	for _, p := range ie.Problems {
		got[p.Where] = append(got[p.Where], p.Detail)
	}
	want := map[string]int{"line 3": 1, "line 4": 1, "line 5": 1, "line 6": 1, "line 7": 2}
	for where, n := range want {
		if len(got[where]) != n {
			t.Errorf("%s: %d problems, want %d: %q", where, len(got[where]), n, got[where])
		}
	}
	if len(got) != len(want) {
		t.Errorf("problems at %v", got)
	}
	lines := strings.SplitN(string(data), "\n", 3)
	list, err := Parse("tow.csv", FormatCSV, []byte(lines[0]+"\n"+lines[1]+"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := list[0]
	if s.Kind != roadcover.SiteTow || s.Phone != "+49 711 1234567" || s.Tow == nil ||
		strings.Join(s.Tow.Trucks, ",") != "flatbed,wheel_lift" || len(s.Tow.Plates) != 2 || s.Tow.RadiusKm != 60 {
		t.Fatalf("got %+v %+v", s, s.Tow)
	}
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, list); err != nil {
		t.Fatal(err)
	}
	back, err := Parse("net.geojson", FormatGeoJSON, buf.Bytes(), nil)
	if err != nil || len(back) != 1 || back[0].Tow == nil || back[0].Tow.RadiusKm != 60 || back[0].Phone != s.Phone ||
		strings.Join(back[0].Tow.Plates, ";") != "S-AB 123;S-AB 124" {
		t.Fatalf("round trip: %v %+v", err, back)
	}
}

func TestTowPartnersAreNoDestination(t *testing.T) {
	tow := func(id string, lat, radius float64) roadcover.Site {
		return roadcover.Site{ID: id, Kind: roadcover.SiteTow, Name: id, Country: "DE", Phone: "+49 30 1234567",
			Point: roadcover.Point{Lat: lat, Lon: 10}, Tow: &roadcover.TowFleet{Trucks: []string{roadcover.TruckFlatbed}, RadiusKm: radius}}
	}
	n, err := New([]roadcover.Site{
		{ID: "ws", Kind: roadcover.SiteWorkshop, Name: "ws", Country: "DE", Point: roadcover.Point{Lat: 50.5, Lon: 10}},
		tow("tow-near-small", 50.01, 0.5), // 1.1 km away, serves 0.5 km
		tow("tow-mid", 50.2, 30),          // 22 km away, serves 30 km
		tow("tow-far-wide", 51, 200),      // 111 km away, serves 200 km
		tow("tow-far-short", 50.9, 50),    // 100 km away, serves 50 km
	})
	if err != nil {
		t.Fatal(err)
	}
	p := roadcover.Point{Lat: 50, Lon: 10}
	if got := n.Nearest(p, "", 5); len(got) != 1 || got[0].ID != "ws" {
		t.Errorf("destinations: %+v", got)
	}
	if got := n.Nearest(p, roadcover.SiteTow, 1); len(got) != 1 || got[0].ID != "tow-near-small" {
		t.Errorf("nearest base: %+v", got)
	}
	var ids []string
	for _, s := range n.TowPartners(p, 5) {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "tow-mid,tow-far-wide" {
		t.Errorf("partners reaching the point: %v", ids)
	}
	if got := n.TowPartners(p, 1); len(got) != 1 || got[0].ID != "tow-mid" {
		t.Errorf("one partner: %+v", got)
	}
	if len(n.OfKind(roadcover.SiteTow)) != 4 {
		t.Errorf("OfKind(tow) = %d", len(n.OfKind(roadcover.SiteTow)))
	}
}
