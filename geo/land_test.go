package geo

import (
	"bufio"
	"compress/gzip"
	"os"
	"strconv"
	"strings"
	"testing"

	"roadcover"
)

// TestNoLandVanishes reads a point inside every ring of the source data in
// the detail window (testdata/land.tsv.gz, written by internal/gen -points
// from the unsimplified rings) and checks that each reads as its country:
// every island and enclave, however small and however far from other land,
// survives the simplification.
func TestNoLandVanishes(t *testing.T) {
	f, err := os.Open("testdata/land.tsv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	w := world(t)
	sc := bufio.NewScanner(zr)
	n, bad := 0, 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			t.Fatalf("bad line %q", line)
		}
		lat, err1 := strconv.ParseFloat(parts[1], 64)
		lon, err2 := strconv.ParseFloat(parts[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad line %q", line)
		}
		n++
		if got := w.PlaceAt(roadcover.Point{Lat: lat, Lon: lon}); got.Country != parts[0] {
			bad++
			if bad <= 40 {
				t.Errorf("%s at %.6f, %.6f reads as %+v", parts[0], lat, lon, got)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 15000 {
		t.Fatalf("only %d land points", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d land points read as another country or none", bad, n)
	}
}
