// Command gen builds the sample service network (sample-network.geojson in
// sites/sample) from the embedded place data (package places) and
// boundaries (package geo): sample workshops, charging stations and tow
// partners in the main cities of every market (GB, DE, PT, DK, SE) and in
// the capitals and large cities of the other countries of the covered area.
// Every site is sample data: its name starts with "Sample", it has
// "sample": true, its address says it is not real, its phone number is
// unallocated. Positions are in the city, off its centre, on land in the
// city's own country; the same input gives the same file.
//
// The rule for the markets: every city of 100 000 people or more (a city
// within 15 km of a larger chosen one counts as part of it); then every town
// of 10 000 or more that has no chosen city of its country within 60 km;
// then, until none is left, every such town whose nearest workshop or tow
// partner is abroad. So a breakdown in or near a town of a market tows to a
// workshop of that market, with a tow partner of that market. Other countries: the capital and the cities of 250 000 or
// more, at most 8 (Russia: the five cities of the covered area).
//
// Usage (from sites/sample, via go generate):
//
//	go run ./internal/gen -out sample-network.geojson
package main

import (
	"bytes"
	"flag"
	"fmt"
	"hash/fnv"
	"log"
	"math"
	"os"
	"slices"
	"sort"
	"strings"

	"roadcover"
	"roadcover/geo"
	"roadcover/places"
	"roadcover/sites"
	"roadcover/terms"
)

// Markets are the countries whose terms the product runs.
var Markets = []string{"GB", "DE", "PT", "DK", "SE"}

const (
	mainCityPop  = 100_000 // markets: every city this large
	townPop      = 10_000  // markets: towns that get a domestic workshop
	spacingKm    = 60.0    // markets: a town farther than this from every chosen city gets one
	mergeKm      = 15.0    // a city this close to a larger chosen one is part of it
	bigCityPop   = 250_000 // other countries: cities this large, besides the capital
	maxOther     = 8       // other countries: at most this many cities
	towTownPop   = 5_000   // a tow partner's radius reaches the towns this large it is nearest to
	minRadiusKm  = 40.0
	maxRadiusKm  = 300.0
	russiaRingKm = 230.0 // Russia: 200 km beyond the largest ring (reading russia_rings)
	coastKm      = 2.0   // a city centre this far off the coast is still in the city's country
)

// russianCities are the cities of the Russian restriction, by their
// GeoNames names.
var russianCities = []string{"Moscow", "Saint Petersburg", "Rostov-na-Donu", "Tol’yatti", "Perm"}

// callingCodes of the covered countries; sample numbers are +code 000 000
// NNNN, a range no country allocates.
var callingCodes = map[string]string{
	"AD": "376", "AL": "355", "AT": "43", "BA": "387", "BE": "32", "BG": "359", "BY": "375", "CH": "41",
	"CY": "357", "CZ": "420", "DE": "49", "DK": "45", "EE": "372", "ES": "34", "FI": "358", "FR": "33",
	"GB": "44", "GI": "350", "GR": "30", "HR": "385", "HU": "36", "IE": "353", "IS": "354", "IT": "39",
	"LI": "423", "LT": "370", "LU": "352", "LV": "371", "MC": "377", "MD": "373", "ME": "382", "MK": "389",
	"MT": "356", "NL": "31", "NO": "47", "PL": "48", "PT": "351", "RO": "40", "RS": "381", "RU": "7",
	"SE": "46", "SI": "386", "SK": "421", "SM": "378", "TR": "90", "UA": "380",
}

func main() {
	out := flag.String("out", "sample-network.geojson", "output file")
	flag.Parse()
	b, err := Build()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// Build returns the sample network file.
func Build() ([]byte, error) {
	g, err := places.Default()
	if err != nil {
		return nil, err
	}
	w, err := geo.Default()
	if err != nil {
		return nil, err
	}
	countries, err := coveredCountries()
	if err != nil {
		return nil, err
	}
	n := &network{g: g, w: w, slugs: map[string]bool{}}
	for _, cc := range countries {
		if !slices.Contains(Markets, cc) {
			if err := n.other(cc); err != nil {
				return nil, err
			}
		}
	}
	for _, cc := range Markets {
		if err := n.market(cc); err != nil {
			return nil, err
		}
	}
	if err := n.domestic(); err != nil {
		return nil, err
	}
	list := n.sites()
	var buf bytes.Buffer
	if err := sites.WriteGeoJSON(&buf, list); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// coveredCountries is every country of the assistance terms'
// covered_countries tables but Åland (Finland for the boundaries), sorted.
func coveredCountries() ([]string, error) {
	seen := map[string]bool{}
	for _, v := range terms.All() {
		if t, ok := v.Table("covered_countries"); ok {
			for _, r := range t.Rows {
				seen[r.Key] = true
			}
		}
	}
	delete(seen, "AX")
	var out []string
	for c := range seen {
		if callingCodes[c] == "" {
			return nil, fmt.Errorf("gen: no calling code for covered country %s", c)
		}
		out = append(out, c)
	}
	if len(out) < 40 {
		return nil, fmt.Errorf("gen: only %d covered countries", len(out))
	}
	sort.Strings(out)
	return out, nil
}

type city struct {
	places.Place
	slug  string
	sites []roadcover.Site
}

type network struct {
	g      *places.Gazetteer
	w      *geo.World
	cities []*city
	slugs  map[string]bool
}

func (n *network) chosen(cc string) []*city {
	var out []*city
	for _, c := range n.cities {
		if c.Country == cc {
			out = append(out, c)
		}
	}
	return out
}

// near reports whether a chosen city of p's country lies within km of p.
func (n *network) near(p places.Place, km float64) bool {
	for _, c := range n.chosen(p.Country) {
		if roadcover.GreatCircleKm(c.Point(), p.Point()) <= km {
			return true
		}
	}
	return false
}

// towns are the places of a country to choose from: not sections, and in
// that country by the boundaries (a centre on the water within
// coastKm of its coast included: GeoNames puts Copenhagen in the harbour).
func (n *network) towns(cc string, minPop int) []places.Place {
	var out []places.Place
	for _, p := range n.g.InCountry(cc) {
		if p.Population < minPop {
			break
		}
		if p.Section {
			continue
		}
		if pl := n.w.PlaceAt(p.Point()); pl.Country != cc || pl.SnappedKm > coastKm {
			continue
		}
		out = append(out, p)
	}
	return out
}

func (n *network) other(cc string) error {
	var picked []places.Place
	if cc == "RU" {
		for _, p := range n.towns(cc, 100_000) {
			if slices.Contains(russianCities, p.Name) {
				picked = append(picked, p)
			}
		}
		if len(picked) != len(russianCities) {
			return fmt.Errorf("gen: found %d of the Russian cities", len(picked))
		}
	} else {
		ts := n.towns(cc, 0)
		for _, p := range ts {
			if p.Capital {
				picked = append(picked, p)
			}
		}
		if len(picked) == 0 && len(ts) > 0 {
			picked = append(picked, ts[0]) // a capital outside its own boundary: the largest place
		}
		for _, p := range ts {
			if len(picked) >= maxOther || p.Population < bigCityPop {
				break
			}
			if !slices.ContainsFunc(picked, func(q places.Place) bool {
				return roadcover.GreatCircleKm(q.Point(), p.Point()) <= mergeKm
			}) {
				picked = append(picked, p)
			}
		}
	}
	if len(picked) == 0 {
		return fmt.Errorf("gen: no city in %s", cc)
	}
	for _, p := range picked {
		if err := n.add(p); err != nil {
			return err
		}
	}
	return nil
}

func (n *network) market(cc string) error {
	ts := n.towns(cc, townPop)
	for _, p := range ts {
		if p.Population >= mainCityPop && !n.near(p, mergeKm) {
			if err := n.add(p); err != nil {
				return err
			}
		}
	}
	for _, p := range ts {
		if !n.near(p, spacingKm) {
			if err := n.add(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// domestic adds, until none is left, every town of a market whose nearest
// workshop or nearest tow partner's base is abroad (a town that has them
// abroad only because of a city chosen later in another market is found in
// a later round).
func (n *network) domestic() error {
	towns := map[string][]places.Place{}
	for _, cc := range Markets {
		towns[cc] = n.towns(cc, townPop)
	}
	for round := 0; ; round++ {
		if round > 50 {
			return fmt.Errorf("gen: towns still tow abroad after 50 rounds")
		}
		added := false
		for _, cc := range Markets {
			ws, tows := n.ofKind(roadcover.SiteWorkshop), n.ofKind(roadcover.SiteTow)
			for _, p := range towns[cc] {
				if nearest(ws, p.Point()).Country == cc && nearest(tows, p.Point()).Country == cc {
					continue
				}
				if err := n.add(p); err != nil {
					return err
				}
				ws, tows, added = n.ofKind(roadcover.SiteWorkshop), n.ofKind(roadcover.SiteTow), true
			}
		}
		if !added {
			return nil
		}
	}
}

func (n *network) ofKind(kind string) []roadcover.Site {
	var out []roadcover.Site
	for _, c := range n.cities {
		for _, s := range c.sites {
			if s.Kind == kind {
				out = append(out, s)
			}
		}
	}
	return out
}

func nearest(list []roadcover.Site, p roadcover.Point) roadcover.Site {
	var best roadcover.Site
	bestD := math.Inf(1)
	for _, s := range list {
		if d := roadcover.GreatCircleKm(p, s.Point); d < bestD {
			best, bestD = s, d
		}
	}
	return best
}

// add chooses a city and places its sites.
func (n *network) add(p places.Place) error {
	for _, c := range n.cities {
		if c.Place.Name == p.Name && c.Place.Lat == p.Lat && c.Place.Lon == p.Lon {
			return nil
		}
	}
	base := strings.ReplaceAll(places.Fold(p.Name), " ", "-")
	slug := base
	for k := 2; n.slugs[p.Country+"/"+slug]; k++ {
		slug = fmt.Sprintf("%s-%d", base, k)
	}
	n.slugs[p.Country+"/"+slug] = true
	c := &city{Place: p, slug: slug}
	cc := strings.ToLower(p.Country)
	scale := math.Max(0.3, math.Min(1.5, math.Sqrt(float64(max(p.Population, 1000))/200_000)))
	count := func(limits ...int) int {
		k := 1
		for _, l := range limits {
			if p.Population >= l {
				k++
			}
		}
		return k
	}
	suffix := func(k int) (string, string) {
		if k == 0 {
			return "", ""
		}
		return fmt.Sprintf("-%d", k+1), fmt.Sprintf(" %d", k+1)
	}
	where := fmt.Sprintf("Sample data, not a real address (%s, %s)", p.Name, p.Country)
	for k := range count(500_000, 2_000_000) {
		ids, names := suffix(k)
		r0, r1 := 1.5, 3.0
		if k > 0 {
			r0, r1 = 4, 8
		}
		s := roadcover.Site{ID: "sample-ws-" + cc + "-" + slug + ids, Kind: roadcover.SiteWorkshop,
			Name: "Sample Workshop " + p.Name + names, Address: where, Country: p.Country, Sample: true, Source: "sample",
			Tags: []string{"sample", "polestar-authorised", "high-voltage"}}
		if err := n.place(&s, p, k, r0*scale, r1*scale); err != nil {
			return err
		}
		c.sites = append(c.sites, s)
	}
	for k := range count(500_000) {
		ids, names := suffix(k)
		r0, r1 := 0.5, 2.5
		if k > 0 {
			r0, r1 = 3, 6
		}
		power := "50kw"
		if p.Population >= 100_000 {
			power = "150kw"
		}
		s := roadcover.Site{ID: "sample-ch-" + cc + "-" + slug + ids, Kind: roadcover.SiteCharger,
			Name: "Sample Charging Hub " + p.Name + names, Address: where, Country: p.Country, Sample: true, Source: "sample",
			Tags: []string{"sample", "ccs", "type2", power}}
		if err := n.place(&s, p, k, r0*scale, r1*scale); err != nil {
			return err
		}
		c.sites = append(c.sites, s)
	}
	for k := range count(1_000_000) {
		ids, names := suffix(k)
		id := "sample-tow-" + cc + "-" + slug + ids
		trucks := []string{roadcover.TruckFlatbed}
		if p.Population >= 50_000 {
			trucks = append(trucks, roadcover.TruckFlatbed, roadcover.TruckWheelLift)
		}
		if p.Population >= 250_000 && k == 0 {
			trucks = append(trucks, roadcover.TruckServiceVan)
		}
		if p.Population >= 1_000_000 && k == 0 {
			trucks = append(trucks, roadcover.TruckHeavy)
		}
		h := hash(id)
		var plates []string
		for i := range trucks {
			plates = append(plates, fmt.Sprintf("SAMPLE-%s-%03d", p.Country, (h+uint32(i)*7)%1000))
		}
		s := roadcover.Site{ID: id, Kind: roadcover.SiteTow, Name: "Sample Towing " + p.Name + names,
			Address: where, Country: p.Country, Sample: true, Source: "sample", Tags: []string{"sample"},
			Phone: fmt.Sprintf("+%s 000 000 %04d", callingCodes[p.Country], h%10000),
			Tow:   &roadcover.TowFleet{Trucks: uniq(trucks), Plates: plates}}
		if err := n.place(&s, p, k, 2*scale, 6*scale); err != nil {
			return err
		}
		c.sites = append(c.sites, s)
	}
	n.cities = append(n.cities, c)
	return nil
}

// uniq keeps the first of each kind, in order.
func uniq(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// place puts s between r0 and r1 km from the city's centre in a direction
// drawn from its id, on land in the city's country and outside any special
// zone; when that spot is not, other directions and shorter distances are
// tried.
func (n *network) place(s *roadcover.Site, p places.Place, k int, r0, r1 float64) error {
	h := hash(s.ID)
	angle := float64(h%360) + float64(k)*137.5
	r := r0 + (r1-r0)*float64(h>>16%1000)/1000
	for _, f := range []float64{1, 0.7, 0.5, 0.3, 0.15, 1.5, 2, 3, 4, 6} {
		for j := 0; j < 12; j++ {
			q := destination(p.Point(), angle+float64(j)*30, r*f)
			q = roadcover.Point{Lat: math.Round(q.Lat*1e5) / 1e5, Lon: math.Round(q.Lon*1e5) / 1e5}
			if pl := n.w.PlaceAt(q); pl.Country == p.Country && pl.SnappedKm == 0 && pl.Zone == "" {
				s.Point = q
				return nil
			}
		}
	}
	return fmt.Errorf("gen: no spot on land in %s for %s", p.Country, s.ID)
}

// destination is the point km from p on the initial bearing deg.
func destination(p roadcover.Point, deg, km float64) roadcover.Point {
	const rad = math.Pi / 180
	δ := km / roadcover.EarthRadiusKm
	θ, φ1, λ1 := deg*rad, p.Lat*rad, p.Lon*rad
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	return roadcover.Point{Lat: φ2 / rad, Lon: math.Mod(λ2/rad+540, 360) - 180}
}

// sites lists the network: countries in order, cities largest first, then
// workshops, chargers and tow partners; tow partners get their radius.
func (n *network) sites() []roadcover.Site {
	sort.SliceStable(n.cities, func(i, j int) bool {
		a, b := n.cities[i], n.cities[j]
		if a.Country != b.Country {
			return a.Country < b.Country
		}
		if a.Population != b.Population {
			return a.Population > b.Population
		}
		return a.slug < b.slug
	})
	var out []roadcover.Site
	for _, c := range n.cities {
		out = append(out, c.sites...)
	}
	n.radii(out)
	return out
}

// radii sets each tow partner's radius: 15 % beyond the farthest town of
// towTownPop or more of its country to which it is the nearest base, plus
// 5 km, in tens of km, between minRadiusKm and maxRadiusKm (Russia:
// russiaRingKm, the covered area around its cities).
func (n *network) radii(list []roadcover.Site) {
	far := map[int]float64{}
	byCountry := map[string][]int{}
	for i, s := range list {
		if s.Kind == roadcover.SiteTow {
			byCountry[s.Country] = append(byCountry[s.Country], i)
		}
	}
	for cc, idx := range byCountry {
		if cc == "RU" {
			continue
		}
		for _, p := range n.towns(cc, towTownPop) {
			best, bestD := -1, math.Inf(1)
			for _, i := range idx {
				if d := roadcover.GreatCircleKm(p.Point(), list[i].Point); d < bestD {
					best, bestD = i, d
				}
			}
			far[best] = math.Max(far[best], bestD)
		}
	}
	for i := range list {
		s := &list[i]
		if s.Kind != roadcover.SiteTow {
			continue
		}
		r := math.Ceil((far[i]*1.15+5)/10) * 10
		r = math.Max(minRadiusKm, math.Min(maxRadiusKm, r))
		if s.Country == "RU" {
			r = russiaRingKm
		}
		s.Tow.RadiusKm = r
	}
}
