package geo

import (
	"math"
	"sort"
)

// Rect is a box of longitudes and latitudes in degrees, west to east and
// south to north (it does not cross the antimeridian).
type Rect struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// Valid reports whether r is a non-empty box within -180..180, -90..90.
func (r Rect) Valid() bool {
	for _, v := range []float64{r.MinLon, r.MinLat, r.MaxLon, r.MaxLat} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return r.MinLon >= -180 && r.MaxLon <= 180 && r.MinLat >= -90 && r.MaxLat <= 90 &&
		r.MinLon < r.MaxLon && r.MinLat < r.MaxLat
}

// WidthKm is the larger of the box's east–west extent (measured at its
// middle latitude) and its north–south extent.
func (r Rect) WidthKm() float64 {
	mid := (r.MinLat + r.MaxLat) / 2
	return math.Max((r.MaxLon-r.MinLon)*kmPerDeg*math.Cos(mid*math.Pi/180), (r.MaxLat-r.MinLat)*kmPerDeg)
}

func (r Rect) meets(minX, minY, maxX, maxY float64) bool {
	return maxX >= r.MinLon && minX <= r.MaxLon && maxY >= r.MinLat && minY <= r.MaxLat
}

// Outline is one polygon of a country's territory, for drawing.
type Outline struct {
	// Country is the ISO 3166-1 alpha-2 code PlaceAt reports (Kosovo XK).
	Country string
	// Zone is empty for the country layer, apart from Crimea (ua_crimea,
	// Ukraine's, drawn over its outline); on Cyprus the zone layer adds the
	// north (cy_north), the UN buffer zone (cy_buffer_zone) and the UK
	// Sovereign Base Areas (gb_sovereign_base), drawn over the countries.
	Zone string
	// Rings are closed rings of [lon, lat] pairs: the outer ring first,
	// then any holes (even-odd rule).
	Rings [][][2]float64
}

// Outlines returns the country polygons that meet box, clipped to the box
// grown by a small margin (so that the cut edges clipping adds lie outside
// box) and simplified with the Douglas–Peucker algorithm to toleranceKm.
// Rings smaller than about twice the tolerance are left out. The choice of
// tolerance is the caller's: about one screen pixel of the box keeps the
// answer small whatever the box's size. The order is stable: country
// polygons by code, then the zone polygons. Lookups (PlaceAt, KmToCountry)
// still use the full-resolution data.
func (w *World) Outlines(box Rect, toleranceKm float64) []Outline {
	if !box.Valid() {
		return nil
	}
	tol := math.Max(toleranceKm, 0.001)
	mLat := 0.01*(box.MaxLat-box.MinLat) + 2*tol/kmPerDeg
	mLon := 0.01*(box.MaxLon-box.MinLon) + 2*tol/(kmPerDeg*math.Max(math.Cos(math.Max(math.Abs(box.MinLat), math.Abs(box.MaxLat))*math.Pi/180), 0.05))
	clip := Rect{math.Max(-180, box.MinLon-mLon), math.Max(-90, box.MinLat-mLat), math.Min(180, box.MaxLon+mLon), math.Min(90, box.MaxLat+mLat)}

	seen := map[int32]bool{}
	var base []int32
	x0, y0 := cellOf(clip.MinLon, clip.MinLat)
	x1, y1 := cellOf(clip.MaxLon, clip.MaxLat)
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			for _, i := range w.grid[cx*180+cy] {
				if !seen[i] {
					seen[i] = true
					base = append(base, i)
				}
			}
		}
	}
	sort.Slice(base, func(a, b int) bool {
		fa, fb := w.feats[w.polys[base[a]].feat].Code, w.feats[w.polys[base[b]].feat].Code
		if fa != fb {
			return fa < fb
		}
		return base[a] < base[b]
	})
	for _, i := range w.zones {
		if w.feats[w.polys[i].feat].Zone != "" { // the zone "" polygon repeats the country layer's Cyprus
			base = append(base, i)
		}
	}

	var out []Outline
	for _, i := range base {
		p := &w.polys[i]
		if !clip.meets(p.minX, p.minY, p.maxX, p.maxY) {
			continue
		}
		var rings [][][2]float64
		p.rings(func(cs []chunk) {
			if len(rings) == 0 && cs[0].from != 0 {
				return // the outer ring was left out: so are its holes
			}
			r := simplify(clipRing(p, cs, clip), tol)
			if len(r) >= 4 && extentKm(r) >= 2*tol {
				rings = append(rings, r)
			}
		})
		if len(rings) > 0 {
			f := w.feats[p.feat]
			out = append(out, Outline{Country: f.Code, Zone: f.Zone, Rings: rings})
		}
	}
	return out
}

// rings calls f with the chunks of each ring of p in turn (a ring's chunks
// share their end vertices; the next ring starts one vertex later).
func (p *polygon) rings(f func([]chunk)) {
	start := 0
	for k := 1; k <= len(p.chunks); k++ {
		if k == len(p.chunks) || p.chunks[k].from != p.chunks[k-1].to {
			f(p.chunks[start:k])
			start = k
		}
	}
}

// clipRing clips the ring made of chunks cs to r (Sutherland–Hodgman).
// A chunk wholly beyond one side of r contributes only its end vertices:
// the clipping against that side drops everything between them anyway.
func clipRing(p *polygon, cs []chunk, r Rect) [][2]float64 {
	var pts [][2]float64
	inside := true
	for _, c := range cs {
		inside = inside && c.minX >= r.MinLon && c.maxX <= r.MaxLon && c.minY >= r.MinLat && c.maxY <= r.MaxLat
	}
	if inside { // nothing to cut
		pts = make([][2]float64, 0, cs[len(cs)-1].to-cs[0].from+1)
		for i := cs[0].from; i <= cs[len(cs)-1].to; i++ {
			pts = append(pts, [2]float64{p.xs[i], p.ys[i]})
		}
		return pts
	}
	for _, c := range cs {
		if c.maxX < r.MinLon || c.minX > r.MaxLon || c.maxY < r.MinLat || c.minY > r.MaxLat {
			pts = append(pts, [2]float64{p.xs[c.to], p.ys[c.to]})
			continue
		}
		for i := c.from + 1; i <= c.to; i++ {
			pts = append(pts, [2]float64{p.xs[i], p.ys[i]})
		}
	}
	// pts is the ring without its closing vertex (the last chunk ends where
	// the first begins).
	type side struct {
		in  func(q [2]float64) bool
		cut func(a, b [2]float64) [2]float64
	}
	atX := func(x float64) func(a, b [2]float64) [2]float64 {
		return func(a, b [2]float64) [2]float64 { return [2]float64{x, a[1] + (x-a[0])*(b[1]-a[1])/(b[0]-a[0])} }
	}
	atY := func(y float64) func(a, b [2]float64) [2]float64 {
		return func(a, b [2]float64) [2]float64 { return [2]float64{a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1]), y} }
	}
	sides := []side{
		{func(q [2]float64) bool { return q[0] >= r.MinLon }, atX(r.MinLon)},
		{func(q [2]float64) bool { return q[0] <= r.MaxLon }, atX(r.MaxLon)},
		{func(q [2]float64) bool { return q[1] >= r.MinLat }, atY(r.MinLat)},
		{func(q [2]float64) bool { return q[1] <= r.MaxLat }, atY(r.MaxLat)},
	}
	for _, s := range sides {
		if len(pts) == 0 {
			return nil
		}
		next := make([][2]float64, 0, len(pts))
		prev := pts[len(pts)-1]
		prevIn := s.in(prev)
		for _, q := range pts {
			qIn := s.in(q)
			if qIn != prevIn {
				next = append(next, s.cut(prev, q))
			}
			if qIn {
				next = append(next, q)
			}
			prev, prevIn = q, qIn
		}
		pts = next
	}
	if len(pts) < 3 {
		return nil
	}
	return append(pts, pts[0])
}

// simplify is Douglas–Peucker on a closed ring, with distances measured in
// km on a local equirectangular projection around the ring's middle.
func simplify(ring [][2]float64, tolKm float64) [][2]float64 {
	n := len(ring)
	if n < 4 {
		return nil
	}
	minY, maxY := ring[0][1], ring[0][1]
	for _, q := range ring {
		minY, maxY = math.Min(minY, q[1]), math.Max(maxY, q[1])
	}
	kx := kmPerDeg * math.Cos((minY+maxY)/2*math.Pi/180)
	ky := kmPerDeg
	// A radial pass first drops vertices within half the tolerance of the
	// last one kept, which makes coarse answers over long coasts cheap.
	half2 := tolKm * tolKm / 4
	short := make([][2]float64, 1, n/4+2)
	short[0] = ring[0]
	for i := 1; i < n-1; i++ {
		dx, dy := (ring[i][0]-short[len(short)-1][0])*kx, (ring[i][1]-short[len(short)-1][1])*ky
		if dx*dx+dy*dy >= half2 {
			short = append(short, ring[i])
		}
	}
	ring = append(short, ring[n-1])
	n = len(ring)
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	tol2 := tolKm * tolKm
	stack := [][2]int{{0, n - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		a, b := s[0], s[1]
		if b-a < 2 {
			continue
		}
		ax, ay := ring[a][0]*kx, ring[a][1]*ky
		vx, vy := ring[b][0]*kx-ax, ring[b][1]*ky-ay
		l2 := vx*vx + vy*vy
		far, farD := -1, tol2
		for i := a + 1; i < b; i++ {
			px, py := ring[i][0]*kx-ax, ring[i][1]*ky-ay
			var d float64
			if l2 == 0 {
				d = px*px + py*py
			} else {
				t := math.Max(0, math.Min(1, (px*vx+py*vy)/l2))
				dx, dy := px-t*vx, py-t*vy
				d = dx*dx + dy*dy
			}
			if d > farD {
				far, farD = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, [2]int{a, far}, [2]int{far, b})
		}
	}
	out := make([][2]float64, 0, 16)
	for i, k := range keep {
		if k && (len(out) == 0 || ring[i] != out[len(out)-1]) {
			out = append(out, ring[i])
		}
	}
	if len(out) < 4 {
		return nil
	}
	return out
}

// extentKm is the larger side of the ring's bounding box in km.
func extentKm(ring [][2]float64) float64 {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range ring {
		minX, maxX = math.Min(minX, q[0]), math.Max(maxX, q[0])
		minY, maxY = math.Min(minY, q[1]), math.Max(maxY, q[1])
	}
	return math.Max((maxX-minX)*kmPerDeg*math.Cos((minY+maxY)/2*math.Pi/180), (maxY-minY)*kmPerDeg)
}
