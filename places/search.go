package places

import (
	"slices"
	"sort"
	"strings"
)

// MaxLimit is the most places Search returns.
const MaxLimit = 100

// key is one way to find a place: a folded name, or the rest of a folded
// name from one of its later words on.
type key struct {
	text  string
	place int32
	pop   uint32 // the place's population, here for a scan in memory order
	word  bool   // starts at a later word of the name
}

// index builds the name index and the spatial index.
func (g *Gazetteer) index() {
	seen := map[string]bool{}
	for i := range g.names {
		i := int32(i)
		clear(seen)
		add := func(k string) {
			if k == "" || seen[k] {
				return
			}
			seen[k] = true
			g.keys = append(g.keys, key{text: k, place: i, pop: g.pop[i]})
			for j := 1; j < len(k); j++ {
				if k[j-1] == ' ' && !seen[" "+k[j:]] {
					seen[" "+k[j:]] = true
					g.keys = append(g.keys, key{text: k[j:], place: i, pop: g.pop[i], word: true})
				}
			}
		}
		names := append([]string{g.names[i]}, g.other[i]...)
		for _, n := range names {
			k, spelled := fold(n, false)
			add(k)
			if spelled {
				k, _ = fold(n, true)
				add(k)
			}
		}
	}
	slices.SortFunc(g.keys, func(a, b key) int { return strings.Compare(a.text, b.text) })
	g.tree = newTree(g.lat, g.lon)
}

// match is a candidate of Search.
type match struct {
	place int32
	rank  int // 0 the whole name, 1 the start of a name, 2 a later word
	pop   uint32
}

func (g *Gazetteer) better(a, b match) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	if a.pop != b.pop {
		return a.pop > b.pop
	}
	if na, nb := g.names[a.place], g.names[b.place]; na != nb {
		return na < nb
	}
	return a.place < b.place
}

// Search returns up to limit places (at most MaxLimit; none when limit < 1)
// found by query, best first. Query and names are compared folded: case,
// diacritics, hyphens and punctuation do not matter ("munchen", "München"),
// and ä, ö, ü, å and ø may be spelled out ("Muenchen", "Koebenhavn",
// "Aarhus"). A place is found when its name or one of its other names starts
// with the query, or when a later word of one does ("Haag" finds Den Haag).
// Order: a whole name equal to the query first, then names that start with
// it, then later words; within each, by population, larger first. An empty
// query, or one longer than any name, finds nothing.
func (g *Gazetteer) Search(query string, limit int) []Place {
	if limit < 1 || g == nil {
		return nil
	}
	limit = min(limit, MaxLimit)
	q, _ := fold(query, false)
	if q == "" || len(q) > maxKeyLen {
		return nil
	}
	lo := sort.Search(len(g.keys), func(i int) bool { return g.keys[i].text >= q })
	top := make([]match, 0, limit)
	for i := lo; i < len(g.keys) && strings.HasPrefix(g.keys[i].text, q); i++ {
		k := &g.keys[i]
		m := match{place: k.place, rank: 2, pop: k.pop}
		if !k.word {
			m.rank = 1
			if len(k.text) == len(q) {
				m.rank = 0
			}
		}
		if len(top) == limit {
			if w := &top[limit-1]; m.rank > w.rank || m.rank == w.rank && m.pop < w.pop || !g.better(m, *w) {
				continue
			}
		}
		top = g.insert(top, m, limit)
	}
	if len(top) == 0 {
		return nil
	}
	out := make([]Place, len(top))
	for i, m := range top {
		out[i] = g.place(m.place)
	}
	return out
}

// insert puts m into top (sorted best first, at most limit long), keeping
// one match per place, the better one.
func (g *Gazetteer) insert(top []match, m match, limit int) []match {
	for j := range top {
		if top[j].place == m.place {
			if !g.better(m, top[j]) {
				return top
			}
			top = append(top[:j], top[j+1:]...)
			break
		}
	}
	at := sort.Search(len(top), func(j int) bool { return g.better(m, top[j]) })
	if len(top) < limit {
		top = append(top, match{})
	} else if at >= limit {
		return top
	}
	copy(top[at+1:], top[at:])
	top[at] = m
	return top
}
