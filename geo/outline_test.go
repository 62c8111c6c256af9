package geo

import (
	"math"
	"sort"
	"testing"
	"time"

	"roadcover"
)

func vertices(os []Outline) int {
	n := 0
	for _, o := range os {
		for _, r := range o.Rings {
			n += len(r)
		}
	}
	return n
}

// inOutline reports whether (lon, lat) is inside o (even-odd over its rings).
func inOutline(o Outline, lon, lat float64) bool {
	in := false
	for _, r := range o.Rings {
		for i := 0; i+1 < len(r); i++ {
			x1, y1, x2, y2 := r[i][0], r[i][1], r[i+1][0], r[i+1][1]
			if (y1 > lat) != (y2 > lat) && lon < x1+(lat-y1)*(x2-x1)/(y2-y1) {
				in = !in
			}
		}
	}
	return in
}

// checkOutlines checks what every answer must satisfy: closed rings of at
// least three corners, every vertex within the box's margin.
func checkOutlines(t *testing.T, box Rect, tolKm float64, os []Outline) {
	t.Helper()
	mLat := 0.011*(box.MaxLat-box.MinLat) + 2.1*tolKm/kmPerDeg
	mLon := 0.011*(box.MaxLon-box.MinLon) + 2.1*tolKm/(kmPerDeg*math.Cos(math.Max(math.Abs(box.MinLat), math.Abs(box.MaxLat))*math.Pi/180))
	for _, o := range os {
		if len(o.Rings) == 0 {
			t.Errorf("%s/%s: no rings", o.Country, o.Zone)
		}
		for _, r := range o.Rings {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("%s/%s: ring of %d vertices, closed %v", o.Country, o.Zone, len(r), len(r) > 0 && r[0] == r[len(r)-1])
			}
			for _, q := range r {
				if q[0] < box.MinLon-mLon || q[0] > box.MaxLon+mLon || q[1] < box.MinLat-mLat || q[1] > box.MaxLat+mLat {
					t.Fatalf("%s/%s: vertex %v outside the box %+v and its margin", o.Country, o.Zone, q, box)
				}
			}
		}
	}
}

// TestOutlinesBaarle draws Baarle-Hertog and Baarle-Nassau, where Belgian
// enclaves lie in the Netherlands: both countries appear, the enclaves as
// polygons of their own (the data keeps three of them, see DATA.md), and the
// answer is small.
func TestOutlinesBaarle(t *testing.T) {
	w, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	box := Rect{MinLon: 4.88, MinLat: 51.40, MaxLon: 4.98, MaxLat: 51.47}
	tol := box.WidthKm() / 1000
	os := w.Outlines(box, tol)
	checkOutlines(t, box, tol, os)
	count, enclaves := map[string]int{}, 0
	for _, o := range os {
		count[o.Country]++
		if inside := func() bool { // an enclave: not cut by the box
			for _, q := range o.Rings[0] {
				if q[0] <= box.MinLon || q[0] >= box.MaxLon || q[1] <= box.MinLat || q[1] >= box.MaxLat {
					return false
				}
			}
			return true
		}(); o.Country == "BE" && inside {
			enclaves++
		}
	}
	if len(count) != 2 || count["BE"] < 2 || count["NL"] < 1 || enclaves < 3 {
		t.Errorf("polygons by country = %v with %d Belgian enclaves, want BE (with its 3 enclaves) and NL only", count, enclaves)
	}
	if n := vertices(os); n > 3000 {
		t.Errorf("%d vertices for a town-sized box", n)
	}
	// Each outline agrees with the lookup: a point is in the smallest
	// outline of the country PlaceAt gives (enclaves win, as in PlaceAt).
	for _, p := range []roadcover.Point{
		{Lat: 51.4400, Lon: 4.9280}, // Baarle-Hertog, in a Belgian enclave
		{Lat: 51.4430, Lon: 4.9350}, // Baarle-Nassau
		{Lat: 51.4090, Lon: 4.9300}, // Belgium proper (Zondereigen)
		{Lat: 51.4650, Lon: 4.9000}, // the Netherlands north of the town
	} {
		want := w.PlaceAt(p).Country
		got, area := "", math.Inf(1)
		for _, o := range os {
			if inOutline(o, p.Lon, p.Lat) {
				if a := extentKm(o.Rings[0]); a < area {
					got, area = o.Country, a
				}
			}
		}
		if got != want {
			t.Errorf("%v: smallest outline holding it is %q, PlaceAt says %q", p, got, want)
		}
	}
	t.Logf("Baarle: %d polygons, %d vertices at %.3f km", len(os), vertices(os), tol)
}

// TestOutlinesCyprus draws the island with the zones the terms read
// differently, and nothing twice: the zone layer adds the north, the buffer
// zone and the Sovereign Base Areas but not a second Republic.
func TestOutlinesCyprus(t *testing.T) {
	w, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	box := Rect{MinLon: 32.2, MinLat: 34.5, MaxLon: 34.7, MaxLat: 35.75}
	tol := box.WidthKm() / 1000
	os := w.Outlines(box, tol)
	checkOutlines(t, box, tol, os)
	var got []string
	seen := map[string]bool{}
	for _, o := range os {
		k := o.Country + "/" + o.Zone
		if !seen[k] {
			seen[k] = true
			got = append(got, k)
		}
	}
	sort.Strings(got)
	for _, want := range []string{"CY/", "CY/cy_buffer_zone", "CY/cy_north", "GB/gb_sovereign_base"} {
		if !seen[want] {
			t.Errorf("outlines %v lack %s", got, want)
		}
	}
	for k := range seen {
		if k != "CY/" && k != "GB/" && k != "CY/cy_buffer_zone" && k != "CY/cy_north" && k != "GB/gb_sovereign_base" {
			t.Errorf("unexpected outline %s in %v", k, got)
		}
	}
	if n := vertices(os); n > 4000 {
		t.Errorf("%d vertices for Cyprus", n)
	}
	t.Logf("Cyprus: %v, %d polygons, %d vertices at %.3f km", got, len(os), vertices(os), tol)
}

// TestOutlinesScale keeps answers small when the tolerance follows the box:
// about one pixel of a 1000-pixel-wide map, from a city to a continent.
func TestOutlinesScale(t *testing.T) {
	w, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		box  Rect
		max  int
	}{
		{"Innsbruck", Rect{11.0, 47.1, 11.8, 47.5}, 3000},
		{"Germany", Rect{5.5, 47.0, 15.5, 55.2}, 12000},
		{"Europe", Rect{-25, 34, 45, 72}, 20000},
		{"world", Rect{-180, -90, 180, 90}, 30000},
	} {
		tol := c.box.WidthKm() / 1000
		start := time.Now()
		os := w.Outlines(c.box, tol)
		took := time.Since(start)
		checkOutlines(t, c.box, tol, os)
		n := vertices(os)
		if len(os) == 0 || n > c.max {
			t.Errorf("%s: %d polygons, %d vertices (at most %d)", c.name, len(os), n, c.max)
		}
		t.Logf("%s: %d polygons, %d vertices at %.2f km in %v", c.name, len(os), n, tol, took)
	}
	if os := w.Outlines(Rect{10, 50, 9, 51}, 1); os != nil {
		t.Errorf("an inverted box gives %d outlines", len(os))
	}
	if os := w.Outlines(Rect{-30, 40, -29, 41}, 1); len(os) != 0 {
		t.Errorf("open sea west of the Azores gives %d outlines", len(os))
	}
}

// TestOutlinesClipCorner: a country wrapping around a box corner (the box
// inside Austria) comes back as the box itself, the clipping keeps the
// corners.
func TestOutlinesClipCorner(t *testing.T) {
	w, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	box := Rect{14.0, 47.4, 14.2, 47.5} // Styria, far from any border
	os := w.Outlines(box, 0.05)
	if len(os) != 1 || os[0].Country != "AT" || len(os[0].Rings) != 1 || len(os[0].Rings[0]) != 5 {
		t.Fatalf("outlines inside Austria = %+v", os)
	}
	if !inOutline(os[0], 14.1, 47.45) {
		t.Errorf("the box's middle is not inside the clipped outline %v", os[0].Rings[0])
	}
}
