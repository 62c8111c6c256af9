package places

import (
	"fmt"
	"math"

	"roadcover"
)

// tree is a static k-d tree over the places' unit vectors in implicit
// layout (the median of idx[lo:hi] at (lo+hi)/2, split on axis depth%3):
// the chord between unit vectors orders points as the great circle does.
type tree struct {
	idx []int32
	pts [][3]float64
}

func unit(lat, lon float64) [3]float64 {
	la, lo := lat*math.Pi/180, lon*math.Pi/180
	return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

// chord2 is the squared chord of the unit sphere for a great-circle
// distance in km.
func chord2(km float64) float64 {
	if km >= math.Pi*roadcover.EarthRadiusKm {
		return 4
	}
	c := 2 * math.Sin(km/roadcover.EarthRadiusKm/2)
	return c * c
}

// chordKm is the great-circle distance in km of a squared chord.
func chordKm(c2 float64) float64 {
	return 2 * roadcover.EarthRadiusKm * math.Asin(math.Min(1, math.Sqrt(c2)/2))
}

func newTree(lat, lon []float64) *tree {
	t := &tree{idx: make([]int32, len(lat)), pts: make([][3]float64, len(lat))}
	for i := range lat {
		t.idx[i] = int32(i)
		t.pts[i] = unit(lat[i], lon[i])
	}
	t.build(0, len(t.idx), 0)
	return t
}

func (t *tree) build(lo, hi, depth int) {
	if hi-lo <= 1 {
		return
	}
	mid := (lo + hi) / 2
	t.selectNth(lo, hi, mid, depth%3)
	t.build(lo, mid, depth+1)
	t.build(mid+1, hi, depth+1)
}

func (t *tree) swap(a, b int) {
	t.idx[a], t.idx[b] = t.idx[b], t.idx[a]
	t.pts[a], t.pts[b] = t.pts[b], t.pts[a]
}

// selectNth puts the element of rank n (by axis ax) of [lo, hi) at n, the
// smaller ones before it and the others after it (quickselect).
func (t *tree) selectNth(lo, hi, n, ax int) {
	for hi-lo > 1 {
		m := lo + (hi-lo)/2
		// median of three as the pivot, moved to hi-1
		if t.pts[m][ax] < t.pts[lo][ax] {
			t.swap(m, lo)
		}
		if t.pts[hi-1][ax] < t.pts[lo][ax] {
			t.swap(hi-1, lo)
		}
		if t.pts[m][ax] < t.pts[hi-1][ax] {
			t.swap(m, hi-1)
		}
		pivot := t.pts[hi-1][ax]
		store := lo
		for i := lo; i < hi-1; i++ {
			if t.pts[i][ax] < pivot {
				t.swap(i, store)
				store++
			}
		}
		t.swap(store, hi-1)
		switch {
		case n == store:
			return
		case n < store:
			hi = store
		default:
			lo = store + 1
		}
	}
}

// within calls fn for every place whose squared chord from q is at most
// c2. Before mid are the points below the median on the axis, after it the
// others.
func (t *tree) within(lo, hi, depth int, q [3]float64, c2 float64, fn func(i int32, c2 float64)) {
	if lo >= hi {
		return
	}
	mid := (lo + hi) / 2
	p := t.pts[mid]
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	if d := dx*dx + dy*dy + dz*dz; d <= c2 {
		fn(t.idx[mid], d)
	}
	diff := q[depth%3] - p[depth%3]
	if diff <= 0 || diff*diff <= c2 {
		t.within(lo, mid, depth+1, q, c2, fn)
	}
	if diff >= 0 || diff*diff <= c2 {
		t.within(mid+1, hi, depth+1, q, c2, fn)
	}
}

// nearest finds the place nearest to q that keep accepts; best is the
// index into t.idx (-1 for none) and d2 its squared chord.
func (t *tree) nearest(lo, hi, depth int, q [3]float64, keep func(int32) bool, best *int, d2 *float64) {
	if lo >= hi {
		return
	}
	mid := (lo + hi) / 2
	p := t.pts[mid]
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	if d := dx*dx + dy*dy + dz*dz; (d < *d2 || d == *d2 && *best >= 0 && t.idx[mid] < t.idx[*best]) && keep(t.idx[mid]) {
		*best, *d2 = mid, d
	}
	ax := depth % 3
	diff := q[ax] - p[ax]
	near, far := [2]int{lo, mid}, [2]int{mid + 1, hi}
	if diff > 0 {
		near, far = far, near
	}
	t.nearest(near[0], near[1], depth+1, q, keep, best, d2)
	if diff*diff <= *d2 {
		t.nearest(far[0], far[1], depth+1, q, keep, best, d2)
	}
}

// within calls fn for every place within km of p (great-circle), with its
// distance, in no particular order.
func (g *Gazetteer) within(p roadcover.Point, km float64, fn func(i int32, d float64)) {
	if g.tree == nil {
		return
	}
	g.tree.within(0, len(g.tree.idx), 0, unit(p.Lat, p.Lon), chord2(km)*(1+1e-12), func(i int32, c2 float64) {
		if d := chordKm(c2); d <= km {
			fn(i, d)
		}
	})
}

// nearest returns the place nearest to p that keep accepts.
func (g *Gazetteer) nearest(p roadcover.Point, keep func(int32) bool) (int32, float64, bool) {
	if g == nil || g.tree == nil || !p.Valid() {
		return 0, 0, false
	}
	best, d2 := -1, math.Inf(1)
	g.tree.nearest(0, len(g.tree.idx), 0, unit(p.Lat, p.Lon), keep, &best, &d2)
	if best < 0 {
		return 0, 0, false
	}
	i := g.tree.idx[best]
	return i, roadcover.GreatCircleKm(p, roadcover.Point{Lat: g.lat[i], Lon: g.lon[i]}), true
}

// Nearest returns the place nearest to p (sections of cities included);
// false only for an invalid point or an empty gazetteer.
func (g *Gazetteer) Nearest(p roadcover.Point) (Place, bool) {
	i, _, ok := g.nearest(p, func(int32) bool { return true })
	if !ok {
		return Place{}, false
	}
	return g.place(i), true
}

// The rule that picks the reference place of a position (Locate).
const (
	// NearKm: closer than this to a place, a position is at that place.
	NearKm = 1.0
	// ReachKmPerRootPerson: a place of population P is within reach up to
	// ReachKmPerRootPerson·√P km (a town of 10 000 for 2.5 km, 100 000 for
	// 7.9 km, 590 000 for 19 km), at most MaxReachKm.
	ReachKmPerRootPerson = 0.025
	MaxReachKm           = 25.0
	// TownReachKmPerRootPerson, MaxTownReachKm: the wider reach of the
	// second step (a village of 1 000 for 3.2 km, a town of 10 000 for
	// 10 km, 40 000 or more for 20 km).
	TownReachKmPerRootPerson = 0.1
	MaxTownReachKm           = 20.0
	// FallbackKm bounds the search when no place has the position within
	// its reach.
	FallbackKm = 100.0
	// unknownPopulation stands in for a place without a population (every
	// place of the data has at least 1 000 people).
	unknownPopulation = 1000
)

// Position is where a point is relative to its reference place.
type Position struct {
	Place     Place   `json:"place"`
	Km        float64 `json:"distance_km"` // great-circle, from the place to the point
	Bearing   float64 `json:"bearing_deg"` // from the place to the point, 0 = north, clockwise
	Direction string  `json:"direction"`   // 8-point compass: N, NE, E, SE, S, SW, W, NW
	Near      bool    `json:"near"`        // closer than NearKm: the point is at the place
}

// Locate picks the reference place of p, a notable place an operator or a
// tow driver knows, and gives p's distance and direction from it. Sections
// of cities are never the reference. The rule:
//  1. a place closer than NearKm: the point is at that place (the most
//     populous such place);
//  2. else the most populous place that has p within its reach
//     (ReachKmPerRootPerson·√population, at most MaxReachKm): a larger town
//     farther off wins over a village nearby, but only while it is near
//     enough to be a landmark (12 km from Stuttgart is "NW of Stuttgart",
//     30 km from Munich is described from the town there);
//  3. else, the same with the wider reach of a town
//     (TownReachKmPerRootPerson·√population, at most MaxTownReachKm): in
//     the country the nearest town of some size, 18 km from Eberswalde
//     rather than 60 km from Berlin;
//  4. else (remote land, the sea) the place within FallbackKm with the
//     highest population/(distance+2 km)³;
//  5. else the nearest place at any distance.
//
// False only for an invalid point or an empty gazetteer.
func (g *Gazetteer) Locate(p roadcover.Point) (Position, bool) {
	if g == nil || !p.Valid() || len(g.names) == 0 {
		return Position{}, false
	}
	pop := func(i int32) float64 {
		if g.pop[i] == 0 {
			return unknownPopulation
		}
		return float64(g.pop[i])
	}
	// better: larger, then nearer, then the lower index (deterministic).
	type cand struct {
		i int32
		d float64
	}
	near, reach, town := cand{-1, 0}, cand{-1, 0}, cand{-1, 0}
	larger := func(c cand, i int32, d float64) bool {
		if c.i < 0 || pop(i) != pop(c.i) {
			return c.i < 0 || pop(i) > pop(c.i)
		}
		return d < c.d || d == c.d && i < c.i
	}
	g.within(p, MaxReachKm, func(i int32, d float64) {
		if g.flags[i]&flagSection != 0 {
			return
		}
		if d < NearKm && larger(near, i, d) {
			near = cand{i, d}
		}
		if d <= min(ReachKmPerRootPerson*math.Sqrt(pop(i)), MaxReachKm) && larger(reach, i, d) {
			reach = cand{i, d}
		}
		if d <= min(TownReachKmPerRootPerson*math.Sqrt(pop(i)), MaxTownReachKm) && larger(town, i, d) {
			town = cand{i, d}
		}
	})
	pick := near
	if pick.i < 0 {
		pick = reach
	}
	if pick.i < 0 {
		pick = town
	}
	if pick.i < 0 {
		best := -1.0
		g.within(p, FallbackKm, func(i int32, d float64) {
			if g.flags[i]&flagSection != 0 {
				return
			}
			s := pop(i) / ((d + 2) * (d + 2) * (d + 2))
			if s > best || s == best && i < pick.i {
				best, pick = s, cand{i, d}
			}
		})
	}
	if pick.i < 0 {
		i, d, ok := g.nearest(p, func(i int32) bool { return g.flags[i]&flagSection == 0 })
		if !ok {
			return Position{}, false
		}
		pick = cand{i, d}
	}
	pl := g.place(pick.i)
	b := bearing(pl.Point(), p)
	return Position{Place: pl, Km: pick.d, Bearing: b, Direction: compass[int(math.Floor((b+22.5)/45))%8],
		Near: pick.d < NearKm}, true
}

var compass = [8]string{"N", "NE", "E", "SE", "S", "SW", "W", "NW"}

// bearing is the initial great-circle bearing from a to b in degrees
// [0, 360).
func bearing(a, b roadcover.Point) float64 {
	const rad = math.Pi / 180
	φ1, φ2, Δλ := a.Lat*rad, b.Lat*rad, (b.Lon-a.Lon)*rad
	y := math.Sin(Δλ) * math.Cos(φ2)
	x := math.Cos(φ1)*math.Sin(φ2) - math.Sin(φ1)*math.Cos(φ2)*math.Cos(Δλ)
	deg := math.Atan2(y, x) / rad
	if deg < 0 {
		deg += 360
	}
	if deg >= 360 {
		deg -= 360
	}
	return deg
}

// RoundKm rounds a distance for a description: whole kilometres under
// 100 km (at least 1), tens of kilometres under 1 000 km, hundreds above.
func RoundKm(km float64) int {
	switch {
	case km < 100:
		return max(1, int(math.Round(km)))
	case km < 1000:
		return int(math.Round(km/10)) * 10
	default:
		return int(math.Round(km/100)) * 100
	}
}

// directionWords are the compass directions as each language puts them
// before "of <place>", in the order of compass.
var directionWords = map[roadcover.Language][8]string{
	roadcover.English:    compass,
	roadcover.German:     {"nördlich", "nordöstlich", "östlich", "südöstlich", "südlich", "südwestlich", "westlich", "nordwestlich"},
	roadcover.Portuguese: {"norte", "nordeste", "este", "sudeste", "sul", "sudoeste", "oeste", "noroeste"},
	roadcover.Danish:     {"nord", "nordøst", "øst", "sydøst", "syd", "sydvest", "vest", "nordvest"},
	roadcover.Swedish:    {"norr", "nordost", "öster", "sydost", "söder", "sydväst", "väster", "nordväst"},
}

// phrase is each language's "<km> km <direction> of <place>".
var phrase = map[roadcover.Language]string{
	roadcover.English:    "%d km %s of %s",
	roadcover.German:     "%d km %s von %s",
	roadcover.Portuguese: "%d km a %s de %s",
	roadcover.Danish:     "%d km %s for %s",
	roadcover.Swedish:    "%d km %s om %s",
}

// Describe says where p is in words in lang (English for a language the
// product does not speak): the reference place's name alone when p is at it
// ("Stuttgart"), else "12 km NW of Stuttgart" (de "12 km nordwestlich von
// Stuttgart", pt "12 km a noroeste de Stuttgart", da "12 km nordvest for
// Stuttgart", sv "12 km nordväst om Stuttgart"), with the distance rounded
// by RoundKm and the place named as on its road signs (Place.SignName). ""
// for an invalid point.
func (g *Gazetteer) Describe(p roadcover.Point, lang roadcover.Language) string {
	pos, ok := g.Locate(p)
	if !ok {
		return ""
	}
	return pos.In(lang)
}

// In words the position in lang; see Describe.
func (pos Position) In(lang roadcover.Language) string {
	name := pos.Place.SignName()
	if pos.Near {
		return name
	}
	f, ok := phrase[lang]
	if !ok {
		lang, f = roadcover.English, phrase[roadcover.English]
	}
	dir := 0
	for i, c := range compass {
		if c == pos.Direction {
			dir = i
		}
	}
	return fmt.Sprintf(f, RoundKm(pos.Km), directionWords[lang][dir], name)
}
