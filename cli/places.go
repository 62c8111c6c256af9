package cli

import (
	"context"
	"strings"

	"roadcover"
	"roadcover/places"
)

func init() {
	Register(Command{Name: "places search", Summary: "find places by name (prefix, with or without diacritics) in the embedded gazetteer", Run: placesSearch})
	Register(Command{Name: "places describe", Summary: "say where a position is relative to a notable place nearby", Run: placesDescribe})
}

func placesSearch(_ context.Context, env Env) error {
	fs := NewFlags("places search", env)
	n := fs.Int("n", 10, "number of places (at most 100)")
	words, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	q := strings.Join(words, " ")
	ie := &roadcover.InputError{}
	if strings.TrimSpace(q) == "" {
		ie.Add("query", "", "give a name or the start of one")
	}
	if *n < 1 || *n > places.MaxLimit {
		ie.Add("n", "", "n is between 1 and 100")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	out := places.Search(q, *n)
	if out == nil {
		out = []places.Place{}
	}
	return sitesWriteJSON(env, out)
}

func placesDescribe(_ context.Context, env Env) error {
	fs := NewFlags("places describe", env)
	lat := fs.Float64("lat", 999, "latitude (WGS 84 decimal degrees)")
	lon := fs.Float64("lon", 999, "longitude (WGS 84 decimal degrees)")
	lang := fs.String("lang", "en", "language: en, de, pt, da or sv")
	if err := fs.Parse(env.Args); err != nil {
		return FlagError(err)
	}
	if fs.NArg() > 0 {
		return &UsageError{"places describe: unexpected argument " + fs.Arg(0)}
	}
	ie := &roadcover.InputError{}
	p := roadcover.Point{Lat: *lat, Lon: *lon}
	if !(*lat >= -90 && *lat <= 90) {
		ie.Add("lat", "", "give --lat between -90 and 90")
	}
	if !(*lon >= -180 && *lon <= 180) {
		ie.Add("lon", "", "give --lon between -180 and 180")
	}
	l, ok := roadcover.ParseLanguage(*lang)
	if !ok {
		ie.Add("lang", "", "lang is en, de, pt, da or sv")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	pos, _ := places.Locate(p)
	return sitesWriteJSON(env, map[string]any{"text": pos.In(l), "reference": pos})
}
