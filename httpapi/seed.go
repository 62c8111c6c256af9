package httpapi

import (
	"context"
	"fmt"
	"time"

	"roadcover/desk"
	"roadcover/store"
)

// EnsureAdmin creates an admin token when the store has no usable one and
// returns its secret (to be shown once); "" when one exists.
func EnsureAdmin(ctx context.Context, st store.Store, d *desk.Desk) (string, error) {
	var secret string
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		secret, err = d.EnsureAdmin(ctx, tx)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("httpapi: ensure admin token: %w", err)
	}
	return secret, nil
}

// SamplePartner is the id of the clearly labelled sample partner.
const SamplePartner = "sample-towing"

// sampleCases are assistance cases marked as sample data in every free
// text, so that nobody mistakes them for real customers.
var sampleCases = []string{
	`{"market": "DE", "language": "de",
	  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
	  "contact": {"channel": "on_call", "name": "SAMPLE DATA – Erika Muster", "phone": "+49 000 0000000"},
	  "vehicle": {"vin": "SAMPLE00000000001", "registration": "SAMPLE-1", "model": "Polestar 2", "colour": "Snow",
	              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
	  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "SAMPLE DATA – A12 near Innsbruck"},
	  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
	  "trip": "outbound",
	  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – warning light, car stopped"},
	  "people": {"passengers": 2},
	  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`,
	`{"market": "GB", "language": "en",
	  "occurred_at": "2026-06-12T17:40:00+01:00", "reported_at": "2026-06-12T17:55:00+01:00",
	  "contact": {"channel": "app", "name": "SAMPLE DATA – Sam Example", "email": "sample@example.invalid"},
	  "vehicle": {"registration": "SAMPLE 2", "model": "Polestar 3", "first_registered": "2025-01-10", "use": "private"},
	  "location": {"country": "GB", "lat": 51.50, "lon": -0.12, "description": "SAMPLE DATA – central London"},
	  "home": {"country": "GB", "lat": 51.45, "lon": -0.30},
	  "event": {"kind": "puncture", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – flat tyre"}}`,
	`{"market": "DK", "language": "da",
	  "occurred_at": "2026-08-03T08:10:00+02:00", "reported_at": "2026-08-03T08:30:00+02:00",
	  "contact": {"channel": "phone", "name": "SAMPLE DATA – Kim Eksempel", "phone": "+45 00 00 00 00"},
	  "vehicle": {"registration": "SAMPLE 3", "model": "Polestar 2", "first_registered": "2023-09-01", "use": "private"},
	  "location": {"country": "DK", "lat": 55.68, "lon": 12.57, "description": "SAMPLE DATA – Copenhagen"},
	  "home": {"country": "DK", "lat": 56.15, "lon": 10.20},
	  "distances_km": {"home": 190},
	  "event": {"kind": "battery_12v_flat", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – car will not start"}}`,
}

// SeedSamples fills an empty store with a sample partner and a few sample
// cases decided by the real engine, so that a fresh desk has something to
// show. It does nothing when the store holds any case or partner.
func (s *Server) SeedSamples(ctx context.Context) (bool, error) {
	var empty bool
	err := s.st.View(ctx, func(tx store.Tx) error {
		cs, err := tx.ListCases(ctx, store.CaseFilter{Limit: 1})
		if err != nil {
			return err
		}
		ps, err := tx.ListPartners(ctx)
		empty = len(cs) == 0 && len(ps) == 0
		return err
	})
	if err != nil || !empty {
		return false, err
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		if _, _, err := s.desk.CreatePartner(ctx, tx, desk.PartnerRequest{ID: SamplePartner,
			Name: "SAMPLE DATA – Sample Towing (not a real partner)"}); err != nil {
			return err
		}
		for i, body := range sampleCases {
			nc, err := s.desk.ReadNewCase([]byte(body), "", desk.System)
			if err != nil {
				return fmt.Errorf("httpapi: sample case %d: %w", i+1, err)
			}
			if err := s.desk.Create(ctx, tx, nc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("httpapi: seed samples: %w", err)
	}
	return true, nil
}

// RunBackground runs the webhook dispatcher and prunes idempotency records
// older than IdempotencyTTL every hour, until ctx ends.
func (s *Server) RunBackground(ctx context.Context) {
	go s.hooks.Run(ctx)
	go s.runWarranties(ctx)
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		cutoff := s.now().Add(-IdempotencyTTL * time.Second)
		if err := s.st.Update(ctx, func(tx store.Tx) error {
			_, err := tx.PruneIdempotency(ctx, cutoff)
			return err
		}); err != nil && ctx.Err() == nil {
			s.log.Warn("prune idempotency keys", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
