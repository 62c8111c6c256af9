package places

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/terms"
)

func gaz(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// coveredCountries is every country of the covered_countries tables of the
// assistance terms.
func coveredCountries(t testing.TB) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range terms.All() {
		tb, ok := v.Table("covered_countries")
		if !ok {
			continue
		}
		for _, r := range tb.Rows {
			if !seen[r.Key] {
				seen[r.Key] = true
				out = append(out, r.Key)
			}
		}
	}
	if len(out) < 40 {
		t.Fatalf("covered_countries has %d countries", len(out))
	}
	return out
}

func TestEmbeddedData(t *testing.T) {
	g := gaz(t)
	if n := EmbeddedBytes(); n > 3<<20 {
		t.Errorf("embedded data is %d bytes, over 3 MiB", n)
	}
	if g.Len() < 70000 {
		t.Errorf("%d places", g.Len())
	}
	per := map[string]int{}
	capital := map[string]bool{}
	for i := range g.names {
		p := g.place(int32(i))
		per[p.Country]++
		capital[p.Country] = capital[p.Country] || p.Capital
	}
	for _, c := range coveredCountries(t) {
		if per[c] == 0 {
			t.Errorf("no place in covered country %s", c)
		}
		if !capital[c] && c != "AX" { // Åland is not a country; Mariehamn is its capital
			t.Errorf("no capital in %s", c)
		}
	}
	for _, c := range []string{"XK", "GG", "JE", "IM", "FO", "GE", "MA", "KZ"} {
		if per[c] == 0 {
			t.Errorf("no place in margin country %s", c)
		}
	}
	if per["US"] != 0 || per["BR"] != 0 {
		t.Errorf("places outside the covered area and its margin: US %d, BR %d", per["US"], per["BR"])
	}
}

func first(t *testing.T, q string) Place {
	t.Helper()
	got := Search(q, 5)
	if len(got) == 0 {
		t.Fatalf("Search(%q) found nothing", q)
	}
	return got[0]
}

func TestSearchDiacriticsAndNames(t *testing.T) {
	cases := []struct {
		queries []string
		name    string
		country string
	}{
		{[]string{"Munchen", "münchen", "MÜNCHEN", "Muenchen", "munich", "Mün"}, "Munich", "DE"},
		{[]string{"Koebenhavn", "København", "kobenhavn", "Copenhagen", "Kopenhagen"}, "Copenhagen", "DK"},
		{[]string{"Lisboa", "Lisbon", "lisb", "Lissabon"}, "Lisbon", "PT"},
		{[]string{"Aarhus", "Århus", "arhus"}, "Århus", "DK"},
		{[]string{"Goteborg", "Göteborg", "Goeteborg", "Gothenburg"}, "Göteborg", "SE"},
		{[]string{"Zurich", "Zuerich", "zürich"}, "Zürich", "CH"},
		{[]string{"malmo", "Malmoe", "MALMÖ"}, "Malmö", "SE"},
		{[]string{"Krakow", "Kraków", "Krakau"}, "Kraków", "PL"},
		{[]string{"Lodz", "Łódź"}, "Łódź", "PL"},
		{[]string{"Istanbul", "İstanbul", "istanbul"}, "Istanbul", "TR"},
		{[]string{"Chisinau", "Chișinău", "Chişinău"}, "Chisinau", "MD"},
		{[]string{"Stoke-on-Trent", "stoke on trent", "Stoke  on   Trent"}, "Stoke-on-Trent", "GB"},
		{[]string{"Den Haag", "the hague", "'s-Gravenhage"}, "The Hague", "NL"},
		{[]string{"Sankt Petersburg", "St. Petersburg", "saint petersburg"}, "Saint Petersburg", "RU"},
		{[]string{"Vitoria", "Gasteiz"}, "Gasteiz / Vitoria", "ES"},
		{[]string{"Reykjavik", "Reykjavík"}, "Reykjavík", "IS"},
		{[]string{"Köln", "koeln", "Cologne"}, "Köln", "DE"},
		{[]string{"Porto", "Oporto"}, "Porto", "PT"},
	}
	for _, c := range cases {
		for _, q := range c.queries {
			if p := first(t, q); p.Name != c.name || p.Country != c.country {
				t.Errorf("Search(%q)[0] = %s %s, want %s %s", q, p.Name, p.Country, c.name, c.country)
			}
		}
	}
	if p := first(t, "Lisboa"); p.LocalName != "Lisboa" || p.SignName() != "Lisboa" || p.Population < 400000 {
		t.Errorf("Lisbon: %+v", p)
	}
	// A later word of a name: Frankfurt (Oder) by "oder", The Hague by "haag".
	for q, want := range map[string]string{"oder": "Frankfurt (Oder)", "haag": "The Hague"} {
		found := false
		for _, p := range Search(q, 10) {
			found = found || p.Name == want
		}
		if !found {
			t.Errorf("Search(%q) misses %s: %v", q, want, names(Search(q, 10)))
		}
	}
}

func names(ps []Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+"/"+p.Country)
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	if got := names(Search("frankfurt", 2)); strings.Join(got, ",") != "Frankfurt am Main/DE,Frankfurt (Oder)/DE" {
		t.Errorf("frankfurt: %v", got)
	}
	if p := first(t, "stu"); p.Name != "Stuttgart" {
		t.Errorf("stu: %s", p.Name)
	}
	// The whole name first: "Main" is Mainz's prefix, but no place is
	// called Main; "Essen" is a whole name and larger than Essen's prefixes.
	if p := first(t, "Essen"); p.Name != "Essen" || p.Country != "DE" {
		t.Errorf("Essen: %+v", p)
	}
	if p := first(t, "main"); p.Name != "Mainz" {
		t.Errorf("main: %s (a later word must not beat a name's start)", p.Name)
	}
}

// foldedNames are every place's folded names, plain and spelled out.
func foldedNames(g *Gazetteer) [][]string {
	out := make([][]string, len(g.names))
	for i := range g.names {
		for _, n := range append([]string{g.names[i]}, g.other[int32(i)]...) {
			for _, spelled := range []bool{false, true} {
				k, _ := fold(n, spelled)
				out[i] = append(out[i], k)
			}
		}
	}
	return out
}

// bestRank is the rank a place with the folded names keys has for query q,
// found the slow way; -1 when it does not match.
func bestRank(keys []string, q string) int {
	best := -1
	consider := func(r int) {
		if best < 0 || r < best {
			best = r
		}
	}
	for _, k := range keys {
		if k == q {
			consider(0)
		} else if strings.HasPrefix(k, q) {
			consider(1)
		}
		for j := 1; j < len(k); j++ {
			if k[j-1] == ' ' && strings.HasPrefix(k[j:], q) {
				consider(2)
			}
		}
	}
	return best
}

// TestSearchMatchesBruteForce compares Search with a scan of every place for
// random prefixes of random names.
func TestSearchMatchesBruteForce(t *testing.T) {
	g := gaz(t)
	folded := foldedNames(g)
	r := rand.New(rand.NewSource(7))
	queries := []string{"a", "s", "san", "mar", "de", "la", "bad", "sankt", "new", "vila", "zz", "x"}
	for len(queries) < 60 {
		n, _ := fold(g.names[r.Intn(len(g.names))], r.Intn(3) == 0)
		if n == "" {
			continue
		}
		queries = append(queries, n[:min(len(n), 1+r.Intn(6))])
	}
	for _, q := range queries {
		q = strings.TrimSpace(q)
		var want []match
		for i := range g.names {
			if rk := bestRank(folded[i], q); rk >= 0 {
				want = append(want, match{place: int32(i), rank: rk, pop: g.pop[i]})
			}
		}
		sort.Slice(want, func(a, b int) bool { return g.better(want[a], want[b]) })
		got := g.Search(q, 15)
		if len(got) != min(15, len(want)) {
			t.Fatalf("Search(%q): %d places, want %d", q, len(got), min(15, len(want)))
		}
		for k := range got {
			w := g.place(want[k].place)
			if got[k].Name != w.Name || got[k].Lat != w.Lat || got[k].Lon != w.Lon {
				t.Fatalf("Search(%q)[%d] = %s, want %s", q, k, got[k].Name, w.Name)
			}
		}
	}
}

func TestSearchLimitsAndOddQueries(t *testing.T) {
	if got := Search("san", 0); got != nil {
		t.Errorf("limit 0: %d places", len(got))
	}
	if got := Search("san", -5); got != nil {
		t.Errorf("limit -5: %d places", len(got))
	}
	if got := Search("san", 1); len(got) != 1 {
		t.Errorf("limit 1: %d places", len(got))
	}
	if got := Search("s", 1_000_000); len(got) != MaxLimit {
		t.Errorf("limit 1e6: %d places, want %d", len(got), MaxLimit)
	}
	for _, q := range []string{"", "   ", "---", "'/()", "\x00", "\xff\xfe", "\u0301", "qqqqqq", "ⓂⓊⓃ"} {
		if got := Search(q, 10); len(got) != 0 {
			t.Errorf("Search(%q) = %v", q, names(got))
		}
	}
	if got := Search("  münchen  ", 1); len(got) != 1 || got[0].Name != "Munich" {
		t.Errorf("padded query: %v", names(got))
	}
	huge := []string{
		strings.Repeat("a", 10<<10),
		strings.Repeat("é", 5<<10),
		strings.Repeat("-", 10<<10),
		strings.Repeat("\u0301", 5<<10),
		"Stuttgart" + strings.Repeat(" x", 5<<10),
	}
	for _, q := range huge {
		start := time.Now()
		got := Search(q, 10)
		if took := time.Since(start); took > 50*time.Millisecond {
			t.Errorf("a %d-byte query took %v", len(q), took)
		}
		if len(got) != 0 {
			t.Errorf("a %d-byte query found %v", len(q), names(got))
		}
	}
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"mün", "Koebenhavn", "", " - ", "\xff", "st. p", "sankt-peterburg"} {
		f.Add(s, 5)
	}
	g := gaz(f)
	f.Fuzz(func(t *testing.T, q string, limit int) {
		got := g.Search(q, limit)
		if len(got) > max(0, min(limit, MaxLimit)) {
			t.Fatalf("%d places for limit %d", len(got), limit)
		}
		fq, _ := fold(q, false)
		for _, p := range got {
			found := false
			for _, n := range append([]string{p.Name}, p.OtherNames...) {
				for _, spelled := range []bool{false, true} {
					k, _ := fold(n, spelled)
					found = found || strings.HasPrefix(k, fq) || strings.Contains(k, " "+fq)
				}
			}
			if !found {
				t.Fatalf("Search(%q) found %s, which does not match", q, p.Name)
			}
		}
	})
}

func TestFold(t *testing.T) {
	for in, want := range map[string][2]string{
		"München":           {"munchen", "muenchen"},
		"København":         {"kobenhavn", "koebenhavn"},
		"Århus":             {"arhus", "aarhus"},
		"Straße":            {"strasse", "strasse"},
		"'s-Hertogenbosch":  {"s hertogenbosch", "s hertogenbosch"},
		"Frankfurt (Oder)":  {"frankfurt oder", "frankfurt oder"},
		"Łódź":              {"lodz", "lodz"},
		"Þorlákshöfn":       {"thorlakshofn", "thorlakshoefn"},
		"İzmir":             {"izmir", "izmir"},
		"Tol’yatti":         {"tol yatti", "tol yatti"},
		"Gasteiz / Vitoria": {"gasteiz vitoria", "gasteiz vitoria"},
		"Москва":            {"москва", "москва"},
	} {
		plain, _ := fold(in, false)
		spelled, _ := fold(in, true)
		if plain != want[0] || spelled != want[1] {
			t.Errorf("fold(%q) = %q, %q; want %q, %q", in, plain, spelled, want[0], want[1])
		}
	}
}

func TestNearestMatchesBruteForce(t *testing.T) {
	g := gaz(t)
	r := rand.New(rand.NewSource(3))
	pts := []roadcover.Point{
		{Lat: 48.7823, Lon: 9.1770}, {Lat: 66.0, Lon: -179.9}, {Lat: 65.0, Lon: 179.95},
		{Lat: 89.9, Lon: 0}, {Lat: -60, Lon: 100}, {Lat: 0, Lon: -150},
	}
	for len(pts) < 120 {
		pts = append(pts, roadcover.Point{Lat: 30 + r.Float64()*42, Lon: -25 + r.Float64()*70})
	}
	for _, p := range pts {
		got, ok := g.Nearest(p)
		if !ok {
			t.Fatalf("Nearest(%v) found nothing", p)
		}
		best := math.Inf(1)
		for i := range g.lat {
			best = math.Min(best, roadcover.GreatCircleKm(p, roadcover.Point{Lat: g.lat[i], Lon: g.lon[i]}))
		}
		if d := roadcover.GreatCircleKm(p, got.Point()); d-best > 1e-9 {
			t.Fatalf("Nearest(%v) = %s at %.3f km, the nearest is at %.3f km", p, got.Name, d, best)
		}
	}
	if p, _ := g.Nearest(roadcover.Point{Lat: 48.7823, Lon: 9.177}); p.Name != "Stuttgart" {
		t.Errorf("Nearest(Stuttgart) = %s", p.Name)
	}
	for _, bad := range []roadcover.Point{{Lat: 91, Lon: 0}, {Lat: math.NaN(), Lon: 0}, {Lat: 0, Lon: 181}} {
		if _, ok := g.Nearest(bad); ok {
			t.Errorf("Nearest(%v) answered", bad)
		}
		if s := g.Describe(bad, roadcover.English); s != "" {
			t.Errorf("Describe(%v) = %q", bad, s)
		}
	}
}

// TestWithinMatchesBruteForce checks the radius search that Locate uses.
func TestWithinMatchesBruteForce(t *testing.T) {
	g := gaz(t)
	r := rand.New(rand.NewSource(5))
	for q := 0; q < 40; q++ {
		p := roadcover.Point{Lat: 35 + r.Float64()*35, Lon: -10 + r.Float64()*45}
		if q == 0 {
			p = roadcover.Point{Lat: 66.3, Lon: 179.99} // across the antimeridian
		}
		km := []float64{1, 25, 100, 400}[q%4]
		got := map[int32]float64{}
		g.within(p, km, func(i int32, d float64) { got[i] = d })
		n := 0
		for i := range g.lat {
			d := roadcover.GreatCircleKm(p, roadcover.Point{Lat: g.lat[i], Lon: g.lon[i]})
			if d <= km-1e-6 {
				n++
				if gd, ok := got[int32(i)]; !ok || math.Abs(gd-d) > 1e-6 {
					t.Fatalf("within(%v, %v): %s at %.4f km missing or at %.4f", p, km, g.names[i], d, gd)
				}
			}
			if d > km+1e-6 {
				if _, ok := got[int32(i)]; ok {
					t.Fatalf("within(%v, %v): %s at %.4f km is outside", p, km, g.names[i], d)
				}
			}
		}
		if q%4 == 3 && n == 0 {
			t.Errorf("no place within 400 km of %v", p)
		}
	}
}

func TestDescribeStuttgart(t *testing.T) {
	p := roadcover.Point{Lat: 48.85, Lon: 9.05}
	want := map[roadcover.Language]string{
		roadcover.English:    "12 km NW of Stuttgart",
		roadcover.German:     "12 km nordwestlich von Stuttgart",
		roadcover.Portuguese: "12 km a noroeste de Stuttgart",
		roadcover.Danish:     "12 km nordvest for Stuttgart",
		roadcover.Swedish:    "12 km nordväst om Stuttgart",
		"fr":                 "12 km NW of Stuttgart",
	}
	for lang, w := range want {
		if got := Describe(p, lang); got != w {
			t.Errorf("Describe(%v, %s) = %q, want %q", p, lang, got, w)
		}
	}
	for _, lang := range roadcover.Languages {
		if got := Describe(roadcover.Point{Lat: 48.7785, Lon: 9.18}, lang); got != "Stuttgart" {
			t.Errorf("in Stuttgart (%s): %q", lang, got)
		}
	}
	// At a place with a local name on its signs, that name.
	if got := Describe(roadcover.Point{Lat: 55.678, Lon: 12.568}, roadcover.English); got != "København" {
		t.Errorf("in Copenhagen: %q", got)
	}
	// 30 km from Munich's centre, next to Freising: the town, not the city.
	pos, _ := Locate(roadcover.Point{Lat: 48.43, Lon: 11.75})
	if pos.Place.Name != "Freising" || pos.Direction != "N" || RoundKm(pos.Km) != 3 {
		t.Errorf("near Freising: %+v", pos)
	}
}

// testGazetteer is a small made-up gazetteer: a city, a town 20 km east of
// it, a village 10 km north, a district of the city; 56 km north a market
// town and 10 km beyond it a hamlet.
func testGazetteer(t *testing.T) *Gazetteer {
	g, err := New([]Place{
		{Name: "Grossstadt", Country: "DE", Lat: 50, Lon: 10, Population: 600000, LocalName: "Großstadt"},
		{Name: "Kleinstadt", Country: "DE", Lat: 50, Lon: 10.28, Population: 20000},
		{Name: "Dorf", Country: "DE", Lat: 50.09, Lon: 10, Population: 1200},
		{Name: "Grossstadt-Nord", Country: "DE", Lat: 50.05, Lon: 10, Population: 50000, Section: true},
		{Name: "Markt", Country: "DE", Lat: 50.5, Lon: 10, Population: 10000},
		{Name: "Weiler", Country: "DE", Lat: 50.59, Lon: 10, Population: 1000},
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLocateRule(t *testing.T) {
	g := testGazetteer(t)
	at := func(lat, lon float64) Position {
		pos, ok := g.Locate(roadcover.Point{Lat: lat, Lon: lon})
		if !ok {
			t.Fatalf("Locate(%v, %v) found nothing", lat, lon)
		}
		return pos
	}
	// The district is never the reference: 0.3 km from it, the city.
	if pos := at(50.053, 10); pos.Place.Name != "Grossstadt" || pos.Direction != "N" || RoundKm(pos.Km) != 6 {
		t.Errorf("by the district: %+v", pos)
	}
	// Within the city's reach (0.025·√600 000 = 19.4 km), the city, though
	// the village is nearer.
	if pos := at(50.12, 10); pos.Place.Name != "Grossstadt" || RoundKm(pos.Km) != 13 {
		t.Errorf("3 km from the village, 13 km from the city: %+v", pos)
	}
	// Under NearKm from the village: the village itself.
	if pos := at(50.095, 10.005); pos.Place.Name != "Dorf" || !pos.Near {
		t.Errorf("at the village: %+v", pos)
	}
	// Out of every reach, 22 km W of the city and 42 km from the town:
	// the city wins on population/(d+2)³.
	if pos := at(50, 9.69); pos.Place.Name != "Grossstadt" || pos.Direction != "W" || RoundKm(pos.Km) != 22 {
		t.Errorf("22 km W: %+v", pos)
	}
	// In the town's reach (0.025·√20 000 = 3.5 km) and out of the city's
	// (22.9 km > 19.4 km): the town.
	if pos := at(50, 10.32); pos.Place.Name != "Kleinstadt" || pos.Direction != "E" || RoundKm(pos.Km) != 3 {
		t.Errorf("by the town: %+v", pos)
	}
	// Out of every landmark's reach, in the wider reach of a town
	// (0.1·√10 000 = 10 km) and of the hamlet (3.2 km): the town, the larger.
	if pos := at(50.572, 10); pos.Place.Name != "Markt" || pos.Direction != "N" || RoundKm(pos.Km) != 8 {
		t.Errorf("between the market town and the hamlet: %+v", pos)
	}
	// Out of both wider reaches, 3.5 km past the hamlet and 13.5 km from
	// the town: population/(d+2)³ is 6.0 for the hamlet, 2.7 for the town.
	if pos := at(50.6215, 10); pos.Place.Name != "Weiler" || RoundKm(pos.Km) != 4 {
		t.Errorf("past the hamlet: %+v", pos)
	}
	if got := g.Describe(roadcover.Point{Lat: 50.0005, Lon: 10}, roadcover.German); got != "Großstadt" {
		t.Errorf("the sign name: %q", got)
	}
}

func TestCompassAndLanguages(t *testing.T) {
	g := testGazetteer(t)
	// 12 km from the city in each of the eight directions (2 km beyond the
	// village straight north, 8 km short of the town straight east: neither
	// has the point within its reach).
	want := map[roadcover.Language][8]string{
		roadcover.English:    {"12 km N of Großstadt", "12 km NE of Großstadt", "12 km E of Großstadt", "12 km SE of Großstadt", "12 km S of Großstadt", "12 km SW of Großstadt", "12 km W of Großstadt", "12 km NW of Großstadt"},
		roadcover.German:     {"12 km nördlich von Großstadt", "12 km nordöstlich von Großstadt", "12 km östlich von Großstadt", "12 km südöstlich von Großstadt", "12 km südlich von Großstadt", "12 km südwestlich von Großstadt", "12 km westlich von Großstadt", "12 km nordwestlich von Großstadt"},
		roadcover.Portuguese: {"12 km a norte de Großstadt", "12 km a nordeste de Großstadt", "12 km a este de Großstadt", "12 km a sudeste de Großstadt", "12 km a sul de Großstadt", "12 km a sudoeste de Großstadt", "12 km a oeste de Großstadt", "12 km a noroeste de Großstadt"},
		roadcover.Danish:     {"12 km nord for Großstadt", "12 km nordøst for Großstadt", "12 km øst for Großstadt", "12 km sydøst for Großstadt", "12 km syd for Großstadt", "12 km sydvest for Großstadt", "12 km vest for Großstadt", "12 km nordvest for Großstadt"},
		roadcover.Swedish:    {"12 km norr om Großstadt", "12 km nordost om Großstadt", "12 km öster om Großstadt", "12 km sydost om Großstadt", "12 km söder om Großstadt", "12 km sydväst om Großstadt", "12 km väster om Großstadt", "12 km nordväst om Großstadt"},
	}
	centre := roadcover.Point{Lat: 50, Lon: 10}
	for k := 0; k < 8; k++ {
		// Off the exact direction by up to 20°, still the same point of
		// the compass.
		for _, skew := range []float64{-20, 0, 20} {
			p := destination(centre, float64(k)*45+skew, 12.2)
			for lang, w := range want {
				if got := g.Describe(p, lang); got != w[k] {
					t.Errorf("bearing %v° (%s): %q, want %q", float64(k)*45+skew, lang, got, w[k])
				}
			}
		}
	}
}

// destination is the point km from p on the initial bearing deg.
func destination(p roadcover.Point, deg, km float64) roadcover.Point {
	const rad = math.Pi / 180
	δ := km / roadcover.EarthRadiusKm
	θ, φ1, λ1 := deg*rad, p.Lat*rad, p.Lon*rad
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	return roadcover.Point{Lat: φ2 / rad, Lon: λ2 / rad}
}

func TestRoundKm(t *testing.T) {
	for in, want := range map[float64]int{
		0.2: 1, 1.2: 1, 1.5: 2, 12.4: 12, 12.5: 13, 99.4: 99, 99.6: 100,
		104: 100, 105: 110, 996: 1000, 1049: 1000, 1051: 1100, 2349: 2300,
	} {
		if got := RoundKm(in); got != want {
			t.Errorf("RoundKm(%v) = %d, want %d", in, got, want)
		}
	}
	g := testGazetteer(t)
	far := destination(roadcover.Point{Lat: 50, Lon: 10}, 180, 436)
	if got := g.Describe(far, roadcover.English); got != "440 km S of Großstadt" {
		t.Errorf("far: %q", got)
	}
}

func TestNewRefusesBadPlaces(t *testing.T) {
	_, err := New([]Place{{Name: "", Country: "DEU", Lat: 95}, {Name: "x", Country: "DE", Population: -1}})
	var ie *roadcover.InputError
	if !errors.As(err, &ie) || len(ie.Errors) != 4 {
		t.Fatalf("got %v", err)
	}
}

func TestEmptyGazetteer(t *testing.T) {
	empty, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := roadcover.Point{Lat: 50, Lon: 10}
	for _, g := range []*Gazetteer{{}, empty} {
		if g.Search("a", 5) != nil || g.Describe(p, roadcover.English) != "" {
			t.Error("an empty gazetteer found something")
		}
		if _, ok := g.Nearest(p); ok {
			t.Error("an empty gazetteer has a nearest place")
		}
		if _, ok := g.Locate(p); ok {
			t.Error("an empty gazetteer locates")
		}
	}
}

func TestLoadDamaged(t *testing.T) {
	if _, err := Load(bytes.NewReader([]byte("not gzip"))); err == nil {
		t.Error("not gzip accepted")
	}
	zr, _ := gzip.NewReader(bytes.NewReader(placesData))
	var raw bytes.Buffer
	raw.ReadFrom(zr)
	for _, cut := range []int{5, len(magic) + 3, raw.Len() / 2, raw.Len() - 1} {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(raw.Bytes()[:cut])
		zw.Close()
		if _, err := Load(&b); err == nil {
			t.Errorf("data cut at %d accepted", cut)
		}
	}
}

func BenchmarkSearch3(b *testing.B) {
	g := gaz(b)
	qs := []string{"san", "mar", "stu", "bad", "kob", "lis", "mün", "ham"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.Search(qs[i%len(qs)], 10)
	}
}

func BenchmarkSearchWorst3(b *testing.B) {
	g := gaz(b)
	for i := 0; i < b.N; i++ {
		g.Search("san", 10) // the 3-letter prefix with the most names
	}
}

func BenchmarkSearch1(b *testing.B) {
	g := gaz(b)
	for i := 0; i < b.N; i++ {
		g.Search("s", 10)
	}
}

func BenchmarkLocate(b *testing.B) {
	g := gaz(b)
	r := rand.New(rand.NewSource(1))
	pts := make([]roadcover.Point, 1024)
	for i := range pts {
		pts[i] = roadcover.Point{Lat: 36 + r.Float64()*30, Lon: -9 + r.Float64()*40}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.Locate(pts[i%len(pts)])
	}
}

func BenchmarkNearest(b *testing.B) {
	g := gaz(b)
	r := rand.New(rand.NewSource(1))
	pts := make([]roadcover.Point, 1024)
	for i := range pts {
		pts[i] = roadcover.Point{Lat: 36 + r.Float64()*30, Lon: -9 + r.Float64()*40}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.Nearest(pts[i%len(pts)])
	}
}

func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Load(bytes.NewReader(placesData)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestInCountry(t *testing.T) {
	ps := gaz(t).InCountry("PT")
	if len(ps) < 500 || ps[0].Name != "Lisbon" {
		t.Fatalf("PT: %d places, first %+v", len(ps), ps[:1])
	}
	for i, p := range ps {
		if p.Country != "PT" || i > 0 && p.Population > ps[i-1].Population {
			t.Fatalf("PT[%d] = %+v", i, p)
		}
	}
	if len(gaz(t).InCountry("US")) != 0 || Fold("Frankfurt (Oder)") != "frankfurt oder" {
		t.Error("US places or Fold")
	}
}

func TestAdminNames(t *testing.T) {
	g := gaz(t)
	codes := map[string]map[string]bool{}
	for i := range g.names {
		p := g.place(int32(i))
		if codes[p.Country] == nil {
			codes[p.Country] = map[string]bool{}
		}
		codes[p.Country][p.Admin] = true
	}
	for cc, m := range adminNames {
		for code, a := range m {
			found := false
			for _, p := range Search(a.Seat, 20) {
				found = found || p.Name == a.Seat && p.Country == cc && p.Admin == code
			}
			if !found {
				t.Errorf("%s %s (%s): no seat %s with that code", cc, code, a.Name, a.Seat)
			}
		}
		for code := range codes[cc] {
			if _, ok := m[code]; !ok {
				t.Errorf("%s: code %q of the data has no name", cc, code)
			}
		}
	}
	if p := first(t, "Stuttgart"); p.AdminName != "Baden-Württemberg" {
		t.Errorf("Stuttgart: %+v", p)
	}
	if p := first(t, "Wien"); p.AdminName != "" {
		t.Errorf("Vienna has an admin name: %q", p.AdminName)
	}
}
