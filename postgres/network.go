package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"roadcover"
	"roadcover/store"
)

// ---- the service network ----

const siteCols = "id, kind, name, address, country, lat, lon, sample, source, tags, phone, tow"

// PutSites writes every site in one statement (arrays unnested), so that a
// network of thousands of sites is one round trip.
func (t *txn) PutSites(ctx context.Context, sites []roadcover.Site, at time.Time) error {
	if len(sites) == 0 {
		return nil
	}
	n := len(sites)
	var (
		ids, kinds, names, addrs, countries, sources, phones = make([]string, n), make([]string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		lats, lons = make([]float64, n), make([]float64, n)
		samples    = make([]bool, n)
		tags       = make([]string, n)
		tows       = make([]*string, n)
	)
	for i, s := range sites {
		ids[i], kinds[i], names[i], addrs[i], countries[i], sources[i], phones[i] = s.ID, s.Kind, s.Name, s.Address, s.Country, s.Source, s.Phone
		lats[i], lons[i], samples[i] = s.Point.Lat, s.Point.Lon, s.Sample
		tg := s.Tags
		if tg == nil {
			tg = []string{}
		}
		b, err := json.Marshal(tg)
		if err != nil {
			return fmt.Errorf("postgres: put site %s: %w", s.ID, err)
		}
		tags[i] = string(b)
		if s.Tow != nil {
			f, err := json.Marshal(s.Tow)
			if err != nil {
				return fmt.Errorf("postgres: put site %s: %w", s.ID, err)
			}
			v := string(f)
			tows[i] = &v
		}
	}
	_, err := t.q.Exec(ctx, `INSERT INTO sites (`+siteCols+`, updated_at)
		SELECT u.id, u.kind, u.name, u.address, u.country, u.lat, u.lon, u.sample, u.source, u.tags::json, u.phone, u.tow::json, $13
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::bool[],
			$9::text[], $10::text[], $11::text[], $12::text[])
			AS u (id, kind, name, address, country, lat, lon, sample, source, tags, phone, tow)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, address = excluded.address,
			country = excluded.country, lat = excluded.lat, lon = excluded.lon, sample = excluded.sample,
			source = excluded.source, tags = excluded.tags, phone = excluded.phone, tow = excluded.tow,
			updated_at = excluded.updated_at`,
		ids, kinds, names, addrs, countries, lats, lons, samples, sources, tags, phones, tows, ts(at))
	if err != nil {
		return fmt.Errorf("postgres: put %d sites: %w", n, classify(err))
	}
	return nil
}

func scanSite(sc interface{ Scan(...any) error }) (roadcover.Site, error) {
	var s roadcover.Site
	var tags, tow []byte
	if err := sc.Scan(&s.ID, &s.Kind, &s.Name, &s.Address, &s.Country, &s.Point.Lat, &s.Point.Lon, &s.Sample, &s.Source,
		&tags, &s.Phone, &tow); err != nil {
		return roadcover.Site{}, err
	}
	if err := json.Unmarshal(tags, &s.Tags); err != nil {
		return roadcover.Site{}, fmt.Errorf("tags of site %s: %w", s.ID, err)
	}
	if len(s.Tags) == 0 {
		s.Tags = nil
	}
	if tow != nil {
		s.Tow = &roadcover.TowFleet{}
		if err := json.Unmarshal(tow, s.Tow); err != nil {
			return roadcover.Site{}, fmt.Errorf("tow fleet of site %s: %w", s.ID, err)
		}
	}
	return s, nil
}

func (t *txn) Sites(ctx context.Context, kind string) ([]roadcover.Site, error) {
	rows, err := t.q.Query(ctx, `SELECT `+siteCols+` FROM sites WHERE ($1 = '' OR kind = $1) ORDER BY id COLLATE "C"`, kind)
	return collect(rows, err, "list sites", scanSite)
}

func (t *txn) NetworkStamp(ctx context.Context) (store.NetworkStamp, error) {
	var st store.NetworkStamp
	var updated *time.Time
	if err := t.q.QueryRow(ctx, `SELECT count(*), max(updated_at) FROM sites`).Scan(&st.Sites, &updated); err != nil {
		return store.NetworkStamp{}, fmt.Errorf("postgres: network stamp: %w", classify(err))
	}
	if updated != nil {
		st.UpdatedAt = fromTS(*updated)
	}
	return st, nil
}
