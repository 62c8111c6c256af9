// Package geo finds the country, and the special zone the terms treat
// differently, at a position: an offline, embedded lookup over OpenStreetMap
// country land borders (every island and enclave kept) with Natural Earth's
// zones of Cyprus (see DATA.md). World implements assistance.Countries, including the coastal
// tolerance of the assistance terms' covered-area rules: a point in no
// country's polygon belongs to the nearest country within CoastalToleranceKm.
package geo

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"sync"

	"roadcover"
)

//go:generate go run ./internal/gen -out world.bin.gz -points testdata/land.tsv.gz

//go:embed world.bin.gz
var worldData []byte

// magic opens world.bin.gz (written by internal/gen).
const magic = "RCWORLD2\n"

// quantum is the coordinate step of world.bin.gz in degrees.
const quantum = 1e-5

// Layers of world.bin.gz.
const (
	layerBase = 0 // countries (OpenStreetMap land borders)
	layerZone = 1 // Cyprus: the Republic, the north, the buffer zone, the SBAs (Natural Earth), the Republic's enclaves in the SBAs
)

// CoastalToleranceKm is how far from a country's border a point in no
// country's polygon is still given to that country (the coarse coastline
// rule of the covered area).
const CoastalToleranceKm = 10.0

// kmPerDeg is the length of one degree of a great circle.
const kmPerDeg = roadcover.EarthRadiusKm * math.Pi / 180

// World answers country lookups from the embedded boundaries. It is safe
// for concurrent use; build it once with Load.
type World struct {
	feats  []featureInfo
	polys  []polygon
	grid   [][]int32          // 1° cells (lon-major, 360×180) → base polygons whose bbox meets the cell
	zones  []int32            // polygons of the zone layer
	byCode map[string][]int32 // country code → polygons
}

type featureInfo struct {
	Layer            int
	Code, Zone, Name string
}

// polygon is one ring (the base layer keeps outer rings only) or one ring
// with holes, tested with the even-odd rule.
type polygon struct {
	feat                   int32
	minX, minY, maxX, maxY float64
	xs, ys                 []float64 // vertices of all rings, each ring closed (last = first)
	bandY0, bandH          float64
	bands                  [][]int32 // edge start indices by latitude band
	chunks                 []chunk   // runs of edges with their bounding boxes, for distances
}

type chunk struct {
	from, to               int32 // edges from..to-1 (edge i joins vertex i and i+1)
	minX, minY, maxX, maxY float64
}

const chunkEdges = 32

var (
	defaultOnce  sync.Once
	defaultWorld *World
	defaultErr   error
)

// Default returns the world built from the embedded data, loading it on
// first use.
func Default() (*World, error) {
	defaultOnce.Do(func() { defaultWorld, defaultErr = Load(bytes.NewReader(worldData)) })
	return defaultWorld, defaultErr
}

// Load builds a World from a gzip-compressed boundary file as written by
// internal/gen.
func Load(r io.Reader) (*World, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("geo: open boundaries: %w", err)
	}
	buf := bytes.NewBuffer(make([]byte, 0, 16<<20))
	_, err = buf.ReadFrom(zr)
	raw := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("geo: boundaries: %w", err)
	}
	d := dec{b: raw}
	if m := d.bytes(len(magic)); string(m) != magic {
		return nil, fmt.Errorf("geo: boundaries: bad header")
	}
	w := &World{byCode: map[string][]int32{}}
	var xsArena, ysArena []float64
	nf := d.count()
	for fi := 0; fi < nf && d.err == nil; fi++ {
		f := featureInfo{Layer: int(d.uvar()), Code: d.str(), Zone: d.str(), Name: d.str()}
		w.feats = append(w.feats, f)
		np := d.count()
		for pi := 0; pi < np && d.err == nil; pi++ {
			p := polygon{feat: int32(fi)}
			nr := d.count()
			for ri := 0; ri < nr && d.err == nil; ri++ {
				start := len(p.xs)
				var qx, qy int64
				n := d.count()
				if nr == 1 && n < len(d.b) {
					// one ring: its vertices are carved from a shared array
					p.xs, p.ys = carve(&xsArena, n+1), carve(&ysArena, n+1)
				} else {
					p.xs, p.ys = slices.Grow(p.xs, n+1), slices.Grow(p.ys, n+1)
				}
				for k := 0; k < n && d.err == nil; k++ {
					qx += d.svar()
					qy += d.svar()
					p.xs = append(p.xs, float64(qx)*quantum)
					p.ys = append(p.ys, float64(qy)*quantum)
				}
				if n := len(p.xs); n > start && (p.xs[n-1] != p.xs[start] || p.ys[n-1] != p.ys[start]) {
					p.xs = append(p.xs, p.xs[start])
					p.ys = append(p.ys, p.ys[start])
				}
				p.addRing(start, len(p.xs))
			}
			if len(p.chunks) == 0 {
				continue
			}
			p.index()
			idx := int32(len(w.polys))
			w.polys = append(w.polys, p)
			switch {
			case f.Layer == layerZone:
				w.zones = append(w.zones, idx)
				if f.Zone != "" {
					w.byCode[f.Code] = append(w.byCode[f.Code], idx)
				}
			default:
				w.byCode[f.Code] = append(w.byCode[f.Code], idx)
				if f.Name == "ALA" { // ISO AX, which the terms read as Finland
					w.byCode["AX"] = append(w.byCode["AX"], idx)
				}
			}
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("geo: boundaries: %w", d.err)
	}
	if len(w.polys) == 0 {
		return nil, fmt.Errorf("geo: boundaries: no polygons")
	}
	w.grid = make([][]int32, 360*180)
	for i, p := range w.polys {
		if w.feats[p.feat].Layer != layerBase {
			continue
		}
		x0, y0 := cellOf(p.minX, p.minY)
		x2, y2 := cellOf(p.maxX, p.maxY)
		for cx := x0; cx <= x2; cx++ {
			for cy := y0; cy <= y2; cy++ {
				w.grid[cx*180+cy] = append(w.grid[cx*180+cy], int32(i))
			}
		}
	}
	return w, nil
}

// carve returns an empty slice of capacity n from the free part of *arena,
// taking a new arena when it has no room.
func carve(arena *[]float64, n int) []float64 {
	if cap(*arena)-len(*arena) < n {
		*arena = make([]float64, 0, max(n, 1<<18))
	}
	a := *arena
	s := a[len(a) : len(a) : len(a)+n]
	*arena = a[:len(a)+n]
	return s
}

// addRing records the chunks of the ring whose vertices are xs[start:end].
func (p *polygon) addRing(start, end int) {
	p.chunks = slices.Grow(p.chunks, (end-start)/chunkEdges+1)
	for from := start; from < end-1; from += chunkEdges {
		to := min(from+chunkEdges, end-1)
		c := chunk{from: int32(from), to: int32(to), minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
		for i := from; i <= to; i++ {
			c.minX, c.maxX = math.Min(c.minX, p.xs[i]), math.Max(c.maxX, p.xs[i])
			c.minY, c.maxY = math.Min(c.minY, p.ys[i]), math.Max(c.maxY, p.ys[i])
		}
		p.chunks = append(p.chunks, c)
	}
}

// index computes the bounding box and the latitude bands of the edges.
func (p *polygon) index() {
	p.minX, p.minY, p.maxX, p.maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	edges := 0
	for _, c := range p.chunks {
		p.minX, p.maxX = math.Min(p.minX, c.minX), math.Max(p.maxX, c.maxX)
		p.minY, p.maxY = math.Min(p.minY, c.minY), math.Max(p.maxY, c.maxY)
		edges += int(c.to - c.from)
	}
	nb := max(1, edges/4)
	p.bandY0 = p.minY
	p.bandH = math.Max((p.maxY-p.minY)/float64(nb), 1e-9)
	p.bands = make([][]int32, nb)
	// two passes: count the edges of each band, then fill one array
	counts := make([]int32, nb+1)
	for _, c := range p.chunks {
		for i := c.from; i < c.to; i++ {
			y1, y2 := p.ys[i], p.ys[i+1]
			lo, hi := p.band(math.Min(y1, y2)), p.band(math.Max(y1, y2))
			for b := lo; b <= hi; b++ {
				counts[b+1]++
			}
		}
	}
	for b := 1; b <= nb; b++ {
		counts[b] += counts[b-1]
	}
	all := make([]int32, counts[nb])
	for b := range p.bands {
		p.bands[b] = all[counts[b]:counts[b]:counts[b+1]]
	}
	for _, c := range p.chunks {
		for i := c.from; i < c.to; i++ {
			y1, y2 := p.ys[i], p.ys[i+1]
			lo, hi := p.band(math.Min(y1, y2)), p.band(math.Max(y1, y2))
			for b := lo; b <= hi; b++ {
				p.bands[b] = append(p.bands[b], i)
			}
		}
	}
}

func (p *polygon) band(y float64) int {
	b := int((y - p.bandY0) / p.bandH)
	return max(0, min(b, len(p.bands)-1))
}

// contains reports whether (x, y) lies inside the polygon (even-odd rule
// over all its rings, ray towards east).
func (p *polygon) contains(x, y float64) bool {
	if x < p.minX || x > p.maxX || y < p.minY || y > p.maxY {
		return false
	}
	in := false
	for _, i := range p.bands[p.band(y)] {
		x1, y1, x2, y2 := p.xs[i], p.ys[i], p.xs[i+1], p.ys[i+1]
		if (y1 > y) != (y2 > y) && x < x1+(y-y1)*(x2-x1)/(y2-y1) {
			in = !in
		}
	}
	return in
}

func cellOf(lon, lat float64) (cx, cy int) {
	cx = max(0, min(359, int(math.Floor(lon))+180))
	cy = max(0, min(179, int(math.Floor(lat))+90))
	return cx, cy
}

func (w *World) cell(lon, lat float64) []int32 {
	cx, cy := cellOf(lon, lat)
	return w.grid[cx*180+cy]
}

// PlaceAt returns the country (ISO 3166-1 alpha-2, Kosovo XK, Åland FI)
// and special zone at p (Crimea is UA with the zone ua_crimea). A point in no polygon is given to the nearest
// country within CoastalToleranceKm (SnappedKm says how far); farther out
// at sea the place is empty. On Cyprus the zone layer tells the Republic
// from the north, the UN buffer zone and the UK Sovereign Base Areas.
func (w *World) PlaceAt(p roadcover.Point) roadcover.Place {
	if !p.Valid() {
		return roadcover.Place{}
	}
	var pl roadcover.Place
	if f, ok := w.featureAt(p); ok {
		pl = roadcover.Place{Country: w.feats[f].Code, Zone: w.feats[f].Zone}
	} else if f, km := w.nearestBase(p, CoastalToleranceKm); f >= 0 {
		pl = roadcover.Place{Country: w.feats[f].Code, Zone: w.feats[f].Zone, SnappedKm: math.Max(km, 0.001)}
	} else {
		return roadcover.Place{}
	}
	if pl.Country == "CY" || pl.Country == "GB" && w.nearZones(p) {
		pl = w.zoneAt(p, pl)
	}
	return pl
}

// nearZones reports whether p is near the zone layer (Cyprus).
func (w *World) nearZones(p roadcover.Point) bool {
	const m = CoastalToleranceKm / 100 * 2 // degrees, generous
	for _, i := range w.zones {
		q := &w.polys[i]
		if p.Lon >= q.minX-m && p.Lon <= q.maxX+m && p.Lat >= q.minY-m && p.Lat <= q.maxY+m {
			return true
		}
	}
	return false
}

// zoneAt refines a place on Cyprus with the zone layer: the zone polygon
// holding p, else the nearest one (the layers' coasts differ a little).
func (w *World) zoneAt(p roadcover.Point, pl roadcover.Place) roadcover.Place {
	best, bestArea := -1, math.Inf(1)
	for _, i := range w.zones {
		q := &w.polys[i]
		if q.contains(p.Lon, p.Lat) {
			if a := (q.maxX - q.minX) * (q.maxY - q.minY); a < bestArea {
				best, bestArea = int(q.feat), a
			}
		}
	}
	if best < 0 {
		best, _ = w.nearest(p, w.zones, CoastalToleranceKm)
	}
	if best >= 0 {
		pl.Country, pl.Zone = w.feats[best].Code, w.feats[best].Zone
		if bestArea < math.Inf(1) {
			pl.SnappedKm = 0 // inside a zone polygon
		}
	}
	return pl
}

// featureAt returns the base feature whose polygon holds p; where polygons
// overlap, the one with the smallest bounding box (an enclave) wins.
func (w *World) featureAt(p roadcover.Point) (int, bool) {
	best, bestArea := -1, math.Inf(1)
	for _, i := range w.cell(p.Lon, p.Lat) {
		poly := &w.polys[i]
		if poly.contains(p.Lon, p.Lat) {
			if a := (poly.maxX - poly.minX) * (poly.maxY - poly.minY); a < bestArea {
				best, bestArea = int(poly.feat), a
			}
		}
	}
	return best, best >= 0
}

// nearestBase is nearest over the base polygons whose cells lie within
// maxKm of p, visiting each polygon once without building a list: a polygon
// that meets several of the cells is looked at in the first of them.
func (w *World) nearestBase(p roadcover.Point, maxKm float64) (int, float64) {
	dLat := maxKm / kmPerDeg
	dLon := dLat / math.Max(math.Cos((math.Abs(p.Lat)+dLat)*math.Pi/180), 0.01)
	x0, y0 := int(math.Floor(p.Lon-dLon)), int(math.Floor(math.Max(-90, p.Lat-dLat)))
	x1, y1 := int(math.Floor(p.Lon+dLon)), int(math.Floor(math.Min(89.999, p.Lat+dLat)))
	wrap := x0 < -180 || x1 >= 180 // then a polygon may be measured twice
	pr := newProj(p)
	best, bestF := maxKm, -1
	var bestPt [2]float64
	for x := x0; x <= x1; x++ {
		lon := float64(x)
		if lon < -180 {
			lon += 360
		} else if lon >= 180 {
			lon -= 360
		}
		cx, _ := cellOf(lon+0.5, 0)
		for y := y0; y <= y1; y++ {
			_, cy := cellOf(0, float64(y)+0.5)
			for _, i := range w.grid[cx*180+cy] {
				q := &w.polys[i]
				// the first cell of the walk that q's box meets
				qx, qy := cellOf(q.minX, q.minY)
				if max(qy, y0+90) != cy || (!wrap && max(qx, x0+180) != cx) {
					continue
				}
				if d, pt := pr.polyDist(q, best); d < best {
					best, bestF, bestPt = d, int(q.feat), pt
				}
			}
		}
	}
	if bestF < 0 {
		return -1, 0
	}
	return bestF, roadcover.GreatCircleKm(p, roadcover.Point{Lat: bestPt[1], Lon: bestPt[0]})
}

// nearest returns the feature of the polygon among polys whose border is
// nearest to p, if within maxKm, else -1.
func (w *World) nearest(p roadcover.Point, polys []int32, maxKm float64) (int, float64) {
	pr := newProj(p)
	best, bestF := maxKm, -1
	var bestPt [2]float64
	for _, i := range polys {
		if d, pt := pr.polyDist(&w.polys[i], best); d < best {
			best, bestF, bestPt = d, int(w.polys[i].feat), pt
		}
	}
	if bestF < 0 {
		return -1, 0
	}
	return bestF, roadcover.GreatCircleKm(p, roadcover.Point{Lat: bestPt[1], Lon: bestPt[0]})
}

// KmToCountry is the great-circle distance in km from p to the nearest
// point of the country's territory, 0 inside it (zones count as their
// country: CY includes the north, GB the Sovereign Base Areas, UA Crimea; AX is
// Åland). ok is false for a code the data does not know. Inside an enclave
// (Büsingen in Switzerland) the surrounding country is as far as the
// enclave's border.
func (w *World) KmToCountry(p roadcover.Point, country string) (float64, bool) {
	polys, ok := w.byCode[country]
	if !ok || !p.Valid() {
		return 0, ok
	}
	pl := w.PlaceAt(p)
	if pl.Country == country && pl.SnappedKm == 0 || country == "AX" && w.inAland(p) {
		return 0, true
	}
	pr := newProj(p)
	best := math.Inf(1)
	var bestPt [2]float64
	if f, in := w.featureAt(p); in && w.feats[f].Code != country {
		for _, i := range polys {
			if w.polys[i].contains(p.Lon, p.Lat) {
				// p is in an enclave of another country inside this one
				for _, j := range w.cell(p.Lon, p.Lat) {
					if q := &w.polys[j]; int(q.feat) == f && q.contains(p.Lon, p.Lat) {
						if d, pt := pr.polyDist(q, best); d < best {
							best, bestPt = d, pt
						}
					}
				}
				break
			}
		}
	}
	type cand struct {
		i  int32
		lb float64
	}
	cs := make([]cand, len(polys))
	for k, i := range polys {
		q := &w.polys[i]
		cs[k] = cand{i, pr.boxDist(q.minX, q.minY, q.maxX, q.maxY)}
	}
	sort.Slice(cs, func(a, b int) bool { return cs[a].lb < cs[b].lb })
	for _, c := range cs {
		if c.lb >= best {
			break
		}
		if d, pt := pr.polyDist(&w.polys[c.i], best); d < best {
			best, bestPt = d, pt
		}
	}
	return roadcover.GreatCircleKm(p, roadcover.Point{Lat: bestPt[1], Lon: bestPt[0]}), true
}

func (w *World) inAland(p roadcover.Point) bool {
	for _, i := range w.byCode["AX"] {
		if w.polys[i].contains(p.Lon, p.Lat) {
			return true
		}
	}
	return false
}

// Countries lists the country codes the data knows.
func (w *World) Countries() []string {
	out := make([]string, 0, len(w.byCode))
	for c := range w.byCode {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// proj is a local equirectangular projection around a query point, in km;
// good for choosing the nearest border point, whose distance is then
// measured on the great circle.
type proj struct {
	lon0, lat0, kx, ky float64
}

func newProj(p roadcover.Point) proj {
	return proj{lon0: p.Lon, lat0: p.Lat, kx: kmPerDeg * math.Cos(p.Lat*math.Pi/180), ky: kmPerDeg}
}

// shift is the multiple of 360° that brings longitudes around x nearest to
// the query point.
func (pr proj) shift(x float64) float64 {
	switch d := x - pr.lon0; {
	case d > 180:
		return -360
	case d < -180:
		return 360
	}
	return 0
}

func (pr proj) boxDist(minX, minY, maxX, maxY float64) float64 {
	s := pr.shift((minX + maxX) / 2)
	minX, maxX = minX+s, maxX+s
	dx, dy := 0.0, 0.0
	if pr.lon0 < minX {
		dx = minX - pr.lon0
	} else if pr.lon0 > maxX {
		dx = pr.lon0 - maxX
	}
	if pr.lat0 < minY {
		dy = minY - pr.lat0
	} else if pr.lat0 > maxY {
		dy = pr.lat0 - maxY
	}
	return math.Hypot(dx*pr.kx, dy*pr.ky)
}

// polyDist is the projected distance from the query point to the nearest
// edge of q, and that nearest point (lon, lat), when nearer than limit.
func (pr proj) polyDist(q *polygon, limit float64) (float64, [2]float64) {
	best := limit
	var bestPt [2]float64
	if pr.boxDist(q.minX, q.minY, q.maxX, q.maxY) >= best {
		return best, bestPt
	}
	for _, c := range q.chunks {
		if pr.boxDist(c.minX, c.minY, c.maxX, c.maxY) >= best {
			continue
		}
		s := pr.shift((c.minX + c.maxX) / 2)
		ax, ay := (q.xs[c.from]+s-pr.lon0)*pr.kx, (q.ys[c.from]-pr.lat0)*pr.ky
		for i := c.from; i < c.to; i++ {
			bx, by := (q.xs[i+1]+s-pr.lon0)*pr.kx, (q.ys[i+1]-pr.lat0)*pr.ky
			// nearest point of segment a–b to the origin
			vx, vy := bx-ax, by-ay
			t := 0.0
			if l2 := vx*vx + vy*vy; l2 > 0 {
				t = math.Max(0, math.Min(1, -(ax*vx+ay*vy)/l2))
			}
			cx, cy := ax+t*vx, ay+t*vy
			if d := math.Hypot(cx, cy); d < best {
				best = d
				bestPt = [2]float64{pr.lon0 + cx/pr.kx - s, pr.lat0 + cy/pr.ky}
			}
			ax, ay = bx, by
		}
	}
	return best, bestPt
}

// dec reads the decompressed file from memory.
type dec struct {
	b   []byte
	err error
}

func (d *dec) bytes(n int) []byte {
	if d.err == nil && n > len(d.b) {
		d.err = io.ErrUnexpectedEOF
	}
	if d.err != nil {
		return make([]byte, n)
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *dec) uvar() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = io.ErrUnexpectedEOF
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length, refusing absurd ones from a damaged file.
func (d *dec) count() int {
	v := d.uvar()
	if v > 1<<24 {
		d.err = fmt.Errorf("length %d out of range", v)
		return 0
	}
	return int(v)
}

func (d *dec) svar() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = io.ErrUnexpectedEOF
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string { return string(d.bytes(d.count())) }

// Lazy is the embedded World, loaded on its first lookup (under a second), so
// that commands which never look a position up do not pay for it. The
// embedded data is checked by the package tests; a failure to load it is a
// broken build and panics.
type Lazy struct{}

func (Lazy) world() *World {
	w, err := Default()
	if err != nil {
		panic(err)
	}
	return w
}

// PlaceAt is World.PlaceAt on the embedded world.
func (l Lazy) PlaceAt(p roadcover.Point) roadcover.Place { return l.world().PlaceAt(p) }

// KmToCountry is World.KmToCountry on the embedded world.
func (l Lazy) KmToCountry(p roadcover.Point, country string) (float64, bool) {
	return l.world().KmToCountry(p, country)
}
