package sqlite

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

func (t *txn) PutSites(ctx context.Context, sites []roadcover.Site, at time.Time) error {
	for _, s := range sites {
		tags, tow, err := siteDocs(s)
		if err != nil {
			return fmt.Errorf("sqlite: put site %s: %w", s.ID, err)
		}
		_, err = t.q.ExecContext(ctx, `INSERT INTO sites (`+siteCols+`, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, address = excluded.address,
			country = excluded.country, lat = excluded.lat, lon = excluded.lon, sample = excluded.sample,
			source = excluded.source, tags = excluded.tags, phone = excluded.phone, tow = excluded.tow,
			updated_at = excluded.updated_at`,
			s.ID, s.Kind, s.Name, s.Address, s.Country, s.Point.Lat, s.Point.Lon, s.Sample, s.Source, tags, s.Phone, tow, ts(at))
		if err != nil {
			return fmt.Errorf("sqlite: put site %s: %w", s.ID, classify(err))
		}
	}
	return nil
}

// siteDocs encodes a site's tags and tow fleet (nil when it has none).
func siteDocs(s roadcover.Site) (tags string, tow any, err error) {
	tg := s.Tags
	if tg == nil {
		tg = []string{}
	}
	b, err := json.Marshal(tg)
	if err != nil {
		return "", nil, err
	}
	if s.Tow != nil {
		f, err := json.Marshal(s.Tow)
		if err != nil {
			return "", nil, err
		}
		tow = string(f)
	}
	return string(b), tow, nil
}

func scanSite(sc interface{ Scan(...any) error }) (roadcover.Site, error) {
	var s roadcover.Site
	var tags string
	var tow []byte
	if err := sc.Scan(&s.ID, &s.Kind, &s.Name, &s.Address, &s.Country, &s.Point.Lat, &s.Point.Lon, &s.Sample, &s.Source,
		&tags, &s.Phone, &tow); err != nil {
		return roadcover.Site{}, err
	}
	if err := json.Unmarshal([]byte(tags), &s.Tags); err != nil {
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
	rows, err := t.q.QueryContext(ctx, `SELECT `+siteCols+` FROM sites WHERE (? = '' OR kind = ?) ORDER BY id`, kind, kind)
	return collect(rows, err, "list sites", scanSite)
}

func (t *txn) NetworkStamp(ctx context.Context) (store.NetworkStamp, error) {
	var st store.NetworkStamp
	var updated int64
	err := t.q.QueryRowContext(ctx, `SELECT count(*), coalesce(max(updated_at), 0) FROM sites`).Scan(&st.Sites, &updated)
	if err != nil {
		return store.NetworkStamp{}, fmt.Errorf("sqlite: network stamp: %w", classify(err))
	}
	if updated != 0 {
		st.UpdatedAt = fromTS(updated)
	}
	return st, nil
}
