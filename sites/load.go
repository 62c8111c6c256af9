package sites

import (
	"fmt"
	"os"

	"roadcover"
	"roadcover/sites/sample"
)

// ReadFile reads a network file (GeoJSON FeatureCollection as written by
// WriteGeoJSON).
func ReadFile(path string) ([]roadcover.Site, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sites: read network: %w", err)
	}
	return Parse(path, FormatGeoJSON, data, nil)
}

// Sample returns the embedded sample network (sample data, see
// sites/sample).
func Sample() (*Network, error) {
	list, err := Parse("sample-network.geojson", FormatGeoJSON, sample.GeoJSON, nil)
	if err != nil {
		return nil, err
	}
	return New(list)
}

// Open loads the network file at path, or the sample network when path is
// "".
func Open(path string) (*Network, error) {
	if path == "" {
		return Sample()
	}
	list, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return New(list)
}
