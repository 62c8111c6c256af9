package main

import (
	"bytes"
	"testing"

	samplesites "roadcover/examples/sites"
)

// TestFileIsGenerated fails when sample-network.geojson is not what the
// generator makes from the embedded data: run go generate ./examples/sites.
func TestFileIsGenerated(t *testing.T) {
	b, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, samplesites.GeoJSON) {
		t.Fatalf("sample-network.geojson (%d bytes) differs from the generator's output (%d bytes): run go generate ./examples/sites",
			len(samplesites.GeoJSON), len(b))
	}
}
