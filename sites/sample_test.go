package sites

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"roadcover"
	"roadcover/geo"
	"roadcover/places"
	"roadcover/terms"
)

var markets = []string{"GB", "DE", "PT", "DK", "SE"}

func sampleNetwork(t *testing.T) *Network {
	t.Helper()
	n, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func world(t *testing.T) *geo.World {
	t.Helper()
	w, err := geo.Default()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func gazetteer(t *testing.T) *places.Gazetteer {
	t.Helper()
	g, err := places.Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func covered(t *testing.T) []string {
	seen := map[string]bool{}
	for _, v := range terms.All() {
		if tb, ok := v.Table("covered_countries"); ok {
			for _, r := range tb.Rows {
				seen[r.Key] = true
			}
		}
	}
	delete(seen, "AX") // Åland is Finland for the boundaries
	var out []string
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	if len(out) < 40 {
		t.Fatalf("%d covered countries", len(out))
	}
	return out
}

var partnerID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func TestSampleIsLabelledAndPlausible(t *testing.T) {
	n, w, g := sampleNetwork(t), world(t), gazetteer(t)
	kinds := map[string]map[string]int{}
	phones := regexp.MustCompile(`^\+[0-9]{1,3} 000 000 [0-9]{4}$`)
	for _, s := range n.Sites() {
		if !s.Sample || !strings.HasPrefix(s.Name, "Sample ") || s.Source != "sample" ||
			!strings.Contains(s.Address, "not a real address") || !slices.Contains(s.Tags, "sample") {
			t.Errorf("%s is not labelled as sample data: %+v", s.ID, s)
		}
		if pl := w.PlaceAt(s.Point); pl.Country != s.Country || pl.SnappedKm > 0 || pl.Zone != "" {
			t.Errorf("%s (%s) at %v is in %+v", s.ID, s.Country, s.Point, pl)
		}
		if p, _ := g.Nearest(s.Point); roadcover.GreatCircleKm(p.Point(), s.Point) < 0.01 {
			t.Errorf("%s sits on the centre of %s", s.ID, p.Name)
		}
		if kinds[s.Country] == nil {
			kinds[s.Country] = map[string]int{}
		}
		kinds[s.Country][s.Kind]++
		if s.Kind != roadcover.SiteTow {
			if s.Tow != nil || s.Phone != "" {
				t.Errorf("%s: a %s with a fleet or phone", s.ID, s.Kind)
			}
			continue
		}
		tw := s.Tow
		if !partnerID.MatchString(s.ID) || !phones.MatchString(s.Phone) || tw == nil ||
			!slices.Contains(tw.Trucks, roadcover.TruckFlatbed) || len(tw.Plates) < len(tw.Trucks) ||
			tw.RadiusKm < 40 || tw.RadiusKm > 300 {
			t.Errorf("tow partner %s: %+v %+v", s.ID, s, tw)
		}
		for _, pl := range tw.Plates {
			if !strings.HasPrefix(pl, "SAMPLE-"+s.Country+"-") {
				t.Errorf("%s: plate %q", s.ID, pl)
			}
		}
	}
	for _, c := range covered(t) {
		for _, k := range []string{roadcover.SiteWorkshop, roadcover.SiteCharger, roadcover.SiteTow} {
			if kinds[c][k] == 0 {
				t.Errorf("no sample %s in %s", k, c)
			}
		}
	}
	if len(kinds["XK"]) != 0 {
		t.Error("sites in Kosovo, which is not covered")
	}
	for _, c := range markets {
		if kinds[c][roadcover.SiteWorkshop] < 10 {
			t.Errorf("%s: only %d workshops", c, kinds[c][roadcover.SiteWorkshop])
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

// checkDomestic checks that a breakdown at p, in country cc, has its nearest
// workshop in cc and a tow partner of cc that reaches it.
func checkDomestic(t *testing.T, n *Network, p roadcover.Point, cc, what string) {
	t.Helper()
	ws := n.Nearest(p, roadcover.SiteWorkshop, 1)
	if len(ws) != 1 || ws[0].Country != cc {
		t.Errorf("%s (%s, %v): nearest workshop %+v", what, cc, p, ws)
	}
	tows := n.TowPartners(p, 1)
	if len(tows) != 1 || tows[0].Country != cc {
		t.Errorf("%s (%s, %v): tow partner %+v", what, cc, p, tows)
	}
}

// mainCity is the most populous place of a country that the boundaries put
// there.
func mainCity(t *testing.T, g *places.Gazetteer, w *geo.World, cc string, capital bool) places.Place {
	for _, p := range g.InCountry(cc) {
		if pl := w.PlaceAt(p.Point()); !p.Section && pl.Country == cc && pl.SnappedKm <= 2 && (!capital || p.Capital) {
			return p
		}
	}
	t.Fatalf("no main city in %s", cc)
	return places.Place{}
}

func TestSampleTowsDomestic(t *testing.T) {
	n, w, g := sampleNetwork(t), world(t), gazetteer(t)
	// Near Stuttgart, a German workshop (not one across the Swiss border).
	p := roadcover.Point{Lat: 48.85, Lon: 9.05}
	checkDomestic(t, n, p, "DE", "near Stuttgart")
	if ws := n.Nearest(p, roadcover.SiteWorkshop, 1); len(ws) == 1 && ws[0].Km > 20 {
		t.Errorf("near Stuttgart the nearest workshop is %.0f km away", ws[0].Km)
	}
	// 15 km outside the main city of each market, and outside every
	// covered country's capital, wherever that is still the same country.
	for _, cc := range covered(t) {
		city := mainCity(t, g, w, cc, !slices.Contains(markets, cc))
		checked := 0
		for deg := 0.0; deg < 360; deg += 45 {
			q := destination(city.Point(), deg, 15)
			if pl := w.PlaceAt(q); pl.Country != cc || pl.SnappedKm > 0 || pl.Zone != "" {
				continue // abroad or at sea
			}
			checked++
			checkDomestic(t, n, q, cc, "15 km from "+city.Name)
		}
		if checked == 0 && slices.Contains(markets, cc) {
			t.Errorf("%s: no point 15 km from %s is in the country", cc, city.Name)
		}
	}
	// Every town of 10 000 or more of a market.
	for _, cc := range markets {
		towns := 0
		for _, p := range g.InCountry(cc) {
			if p.Population < 10000 {
				break
			}
			if pl := w.PlaceAt(p.Point()); p.Section || pl.Country != cc || pl.SnappedKm > 2 {
				continue
			}
			towns++
			checkDomestic(t, n, p.Point(), cc, p.Name)
		}
		if towns < 20 {
			t.Errorf("%s: %d towns", cc, towns)
		}
	}
}
