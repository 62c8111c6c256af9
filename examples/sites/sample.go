// Package samplesites ships the sample service network used for the demo
// when no network file is configured: workshops and chargers near city
// centres of the covered countries. It is sample data: every site has
// "sample": true and no real address.
package samplesites

import _ "embed"

// GeoJSON is sample-network.geojson, in the GeoJSON import format of
// package sites.
//
//go:embed sample-network.geojson
var GeoJSON []byte
