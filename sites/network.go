// Package sites implements the service network of the assistance desk:
// authorised workshops, charging stations and the bases of tow partners,
// imported from CSV, GeoJSON and Open Charge Map's JSON export (see
// FORMATS.md), stored as a GeoJSON network file, and searched nearest-first
// by position through a 3-D k-d tree over unit vectors, whose chord order is
// the great-circle order. Network implements assistance.Sites.
package sites

import (
	"container/heap"
	"fmt"
	"math"
	"sort"

	"roadcover"
)

// Network is an immutable set of sites with a spatial index per kind.
type Network struct {
	sites    []roadcover.Site
	byID     map[string]int
	trees    map[string]*tree // "" (workshops and chargers), workshop, charger, tow
	maxTowKm float64          // the largest radius of a tow partner
}

// New indexes sites; ids must be unique.
func New(list []roadcover.Site) (*Network, error) {
	n := &Network{sites: append([]roadcover.Site(nil), list...), byID: map[string]int{}, trees: map[string]*tree{}}
	idx := map[string][]int{}
	for i, s := range n.sites {
		if _, dup := n.byID[s.ID]; dup {
			return nil, fmt.Errorf("sites: duplicate id %q", s.ID)
		}
		n.byID[s.ID] = i
		if s.Kind != roadcover.SiteTow {
			idx[""] = append(idx[""], i)
		}
		idx[s.Kind] = append(idx[s.Kind], i)
		if s.Tow != nil {
			n.maxTowKm = max(n.maxTowKm, s.Tow.RadiusKm)
		}
	}
	for k, ids := range idx {
		n.trees[k] = build(n.sites, ids)
	}
	return n, nil
}

// Len is the number of sites.
func (n *Network) Len() int { return len(n.sites) }

// Sites returns the sites in import order.
func (n *Network) Sites() []roadcover.Site { return append([]roadcover.Site(nil), n.sites...) }

// Site returns a site by id.
func (n *Network) Site(id string) (roadcover.Site, bool) {
	i, ok := n.byID[id]
	if !ok {
		return roadcover.Site{}, false
	}
	return n.sites[i], true
}

// OfKind returns the sites of a kind in import order.
func (n *Network) OfKind(kind string) []roadcover.Site {
	var out []roadcover.Site
	for _, s := range n.sites {
		if s.Kind == kind {
			out = append(out, s)
		}
	}
	return out
}

// TowPartners returns up to k tow partners whose coverage radius reaches p,
// nearest base first (great-circle).
func (n *Network) TowPartners(p roadcover.Point, k int) []roadcover.SiteDistance {
	t := n.trees[roadcover.SiteTow]
	if t == nil || k <= 0 || !p.Valid() {
		return nil
	}
	for m := min(4*k, len(t.idx)); ; m = min(2*m, len(t.idx)) {
		near := n.Nearest(p, roadcover.SiteTow, m)
		var out []roadcover.SiteDistance
		for _, s := range near {
			if s.Tow != nil && s.Km <= s.Tow.RadiusKm {
				out = append(out, s)
			}
		}
		if len(out) >= k || m == len(t.idx) || near[len(near)-1].Km > n.maxTowKm {
			return out[:min(k, len(out))]
		}
	}
}

// Nearest returns up to k sites of kind nearest to p by great-circle
// distance, nearest first. Kind "" is any destination of a tow (workshops
// and chargers); tow partners' bases are found with kind SiteTow.
func (n *Network) Nearest(p roadcover.Point, kind string, k int) []roadcover.SiteDistance {
	t := n.trees[kind]
	if t == nil || k <= 0 || !p.Valid() {
		return nil
	}
	q := unit(p)
	h := &maxHeap{}
	t.search(0, len(t.idx), 0, q, k, h)
	out := make([]roadcover.SiteDistance, h.Len())
	for i := range out {
		s := n.sites[t.idx[(*h)[i].i]]
		out[i] = roadcover.SiteDistance{Site: s, Km: roadcover.GreatCircleKm(p, s.Point), Method: "great_circle"}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Km != out[b].Km {
			return out[a].Km < out[b].Km
		}
		return out[a].ID < out[b].ID
	})
	return out
}

func unit(p roadcover.Point) [3]float64 {
	la, lo := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return [3]float64{math.Cos(la) * math.Cos(lo), math.Cos(la) * math.Sin(lo), math.Sin(la)}
}

// tree is a static k-d tree in implicit layout: the median of idx[lo:hi]
// sits at (lo+hi)/2, split on axis depth%3.
type tree struct {
	idx []int        // site indices
	pts [][3]float64 // unit vectors, parallel to idx
}

func build(sites []roadcover.Site, ids []int) *tree {
	t := &tree{idx: append([]int(nil), ids...), pts: make([][3]float64, len(ids))}
	for i, id := range t.idx {
		t.pts[i] = unit(sites[id].Point)
	}
	t.sort(0, len(t.idx), 0)
	return t
}

func (t *tree) sort(lo, hi, depth int) {
	if hi-lo <= 1 {
		return
	}
	ax, mid := depth%3, (lo+hi)/2
	s := sorter{t, lo, ax}
	sort.Sort(sorterRange{s, hi - lo})
	t.sort(lo, mid, depth+1)
	t.sort(mid+1, hi, depth+1)
}

type sorter struct {
	t      *tree
	lo, ax int
}
type sorterRange struct {
	s sorter
	n int
}

func (r sorterRange) Len() int { return r.n }
func (r sorterRange) Less(i, j int) bool {
	return r.s.t.pts[r.s.lo+i][r.s.ax] < r.s.t.pts[r.s.lo+j][r.s.ax]
}
func (r sorterRange) Swap(i, j int) {
	t, a, b := r.s.t, r.s.lo+i, r.s.lo+j
	t.idx[a], t.idx[b] = t.idx[b], t.idx[a]
	t.pts[a], t.pts[b] = t.pts[b], t.pts[a]
}

func (t *tree) search(lo, hi, depth int, q [3]float64, k int, h *maxHeap) {
	if lo >= hi {
		return
	}
	mid := (lo + hi) / 2
	p := t.pts[mid]
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	d := dx*dx + dy*dy + dz*dz
	if h.Len() < k {
		heap.Push(h, item{mid, d})
	} else if d < (*h)[0].d {
		(*h)[0] = item{mid, d}
		heap.Fix(h, 0)
	}
	ax := depth % 3
	diff := q[ax] - p[ax]
	near, far := [2]int{lo, mid}, [2]int{mid + 1, hi}
	if diff > 0 {
		near, far = far, near
	}
	t.search(near[0], near[1], depth+1, q, k, h)
	if h.Len() < k || diff*diff < (*h)[0].d {
		t.search(far[0], far[1], depth+1, q, k, h)
	}
}

type item struct {
	i int
	d float64 // squared chord
}

type maxHeap []item

func (h maxHeap) Len() int           { return len(h) }
func (h maxHeap) Less(i, j int) bool { return h[i].d > h[j].d }
func (h maxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *maxHeap) Push(x any)        { *h = append(*h, x.(item)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
