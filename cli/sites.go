package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/geo"
	"roadcover/httpapi"
	"roadcover/sites"
	"roadcover/store"
)

// DefaultNetworkFile is the network file when neither --into/--network nor
// ROADCOVER_NETWORK names one.
const DefaultNetworkFile = "roadcover-network.geojson"

func init() {
	Register(Command{Name: "sites import", Summary: "import workshops, chargers and tow partners (CSV, GeoJSON, Open Charge Map JSON) into the store's network (or a network file)", Run: sitesImport})
	Register(Command{Name: "sites nearest", Summary: "list the sites of the network nearest to a position", Run: sitesNearest})
}

func sitesImport(ctx context.Context, env Env) error {
	fs := NewFlags("sites import", env)
	dsn := storeDSNFlag(fs, env)
	into := fs.String("into", "", "a network file to merge into instead of the store (e.g. ./"+DefaultNetworkFile+")")
	format := fs.String("format", "", "format of every file: csv, geojson or ocm (default: by extension)")
	files, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return &UsageError{"sites import: name at least one file"}
	}
	countryAt := func(p roadcover.Point) string { return geo.Lazy{}.PlaceAt(p).Country }
	var all []roadcover.Site
	bad := &sites.ImportError{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			bad.Problems = append(bad.Problems, sites.Problem{File: f, Where: "file", Detail: err.Error()})
			continue
		}
		fm := *format
		if fm == "" {
			if fm, err = sites.FormatOf(f, data); err != nil {
				bad.Problems = append(bad.Problems, sites.Problem{File: f, Where: "file", Detail: err.Error()})
				continue
			}
		}
		list, err := sites.Parse(f, fm, data, countryAt)
		var ie *sites.ImportError
		if errors.As(err, &ie) {
			bad.Problems = append(bad.Problems, ie.Problems...)
		} else if err != nil {
			return err
		}
		all = append(all, list...)
	}
	if len(bad.Problems) > 0 {
		return bad.InputError() // nothing written
	}
	if *into == "" {
		return sitesImportStore(ctx, env, dsn(), all)
	}
	target := *into
	var base []roadcover.Site
	if _, err := os.Stat(target); err == nil {
		if base, err = sites.ReadFile(target); err != nil {
			return fmt.Errorf("sites import: existing network %s: %w", target, err)
		}
	}
	merged := sites.Merge(base, all)
	if _, err := sites.New(merged); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sites.WriteGeoJSON(&buf, merged); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), ".network-*")
	if err != nil {
		return fmt.Errorf("sites import: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("sites import: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("sites import: %w", err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("sites import: %w", err)
	}
	return sitesWriteJSON(env, map[string]any{"network": target, "imported": len(all), "sites": len(merged)})
}

// sitesImportStore writes the sites into the store's network, where a
// running server picks them up (it looks every 30 seconds); tow partners
// become desk partners.
func sitesImportStore(ctx context.Context, env Env, dsn string, list []roadcover.Site) error {
	if _, err := sites.New(list); err != nil { // unique ids
		return err
	}
	s, err := database.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	d := httpapi.NewDesk(assistance.Env{}, time.Now)
	var load desk.NetworkLoad
	err = s.Update(ctx, func(tx store.Tx) error {
		var err error
		load, err = d.LoadNetwork(ctx, tx, list)
		return err
	})
	if err != nil {
		return fmt.Errorf("sites import: %w", err)
	}
	var stamp store.NetworkStamp
	if err := s.View(ctx, func(tx store.Tx) error {
		var err error
		stamp, err = tx.NetworkStamp(ctx)
		return err
	}); err != nil {
		return fmt.Errorf("sites import: %w", err)
	}
	return sitesWriteJSON(env, map[string]any{"store": database.Redact(dsn), "imported": load.Sites,
		"partners_created": load.Partners, "not_partners": load.NotPartners, "sites": stamp.Sites})
}

func sitesNearest(_ context.Context, env Env) error {
	fs := NewFlags("sites nearest", env)
	lat := fs.Float64("lat", 999, "latitude (WGS 84 decimal degrees)")
	lon := fs.Float64("lon", 999, "longitude (WGS 84 decimal degrees)")
	kind := fs.String("kind", "", "workshop or charger (default: both)")
	n := fs.Int("n", 10, "number of sites")
	network := fs.String("network", "", "network file (default $ROADCOVER_NETWORK, else the embedded sample network)")
	if err := fs.Parse(env.Args); err != nil {
		return FlagError(err)
	}
	if fs.NArg() > 0 {
		return &UsageError{"sites nearest: unexpected argument " + fs.Arg(0)}
	}
	ie := &roadcover.InputError{}
	p := roadcover.Point{Lat: *lat, Lon: *lon}
	if *lat < -90 || *lat > 90 {
		ie.Add("lat", "", "give --lat between -90 and 90")
	}
	if *lon < -180 || *lon > 180 {
		ie.Add("lon", "", "give --lon between -180 and 180")
	}
	if *kind != "" && *kind != roadcover.SiteWorkshop && *kind != roadcover.SiteCharger {
		ie.Add("kind", "", "kind is workshop or charger")
	}
	if *n < 1 {
		ie.Add("n", "", "n is at least 1")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	path := *network
	if path == "" {
		path = env.Getenv("ROADCOVER_NETWORK")
	}
	net, err := sites.Open(path)
	if err != nil {
		var bad *sites.ImportError
		if errors.As(err, &bad) {
			return bad.InputError()
		}
		return err
	}
	out := net.Nearest(p, *kind, *n)
	if out == nil {
		out = []roadcover.SiteDistance{}
	}
	return sitesWriteJSON(env, out)
}

func sitesWriteJSON(env Env, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	_, err = env.Stdout.Write(append(b, '\n'))
	return err
}
