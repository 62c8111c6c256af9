// Package sample ships the sample service network used for the demo
// when no network file is configured: workshops, charging stations and tow
// partners in the cities of the covered countries, generated from the
// embedded place data (see README.md). It is sample data: every site has
// "sample": true, a name starting with "Sample", no real address and an
// unallocated phone number.
package sample

import _ "embed"

//go:generate go run ./internal/gen -out sample-network.geojson

// GeoJSON is sample-network.geojson, in the GeoJSON import format of
// package sites.
//
//go:embed sample-network.geojson
var GeoJSON []byte
