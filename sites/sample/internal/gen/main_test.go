package main

import (
	"bytes"
	"testing"

	"roadcover/sites/sample"
)

// TestFileIsGenerated fails when sample-network.geojson is not what the
// generator makes from the embedded data: run go generate ./sites/sample.
func TestFileIsGenerated(t *testing.T) {
	b, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, sample.GeoJSON) {
		t.Fatalf("sample-network.geojson (%d bytes) differs from the generator's output (%d bytes): run go generate ./sites/sample",
			len(sample.GeoJSON), len(b))
	}
}
