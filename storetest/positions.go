package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"roadcover/store"
)

// partnerContact: a partner's phone, truck kinds and plates come back as
// written, and a partner without them comes back without them.
func (r *runner) partnerContact(t *testing.T) {
	ctx := ctxT(t)
	p := store.Partner{ID: r.id("partner"), Name: "Bärgning Nord AB", Secret: []byte("s"), CreatedAt: base,
		Phone: "+46 000 000 0101", Trucks: []string{"flatbed", "wheel_lift"}, Plates: []string{"SAMPLE-SE-101", "ÅÄÖ 123"}}
	bare := store.Partner{ID: r.id("partner"), Name: "Bare", Secret: []byte("s"), CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertPartner(ctx, p); err != nil {
			return err
		}
		return tx.InsertPartner(ctx, bare)
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetPartner(ctx, p.ID)
		if err != nil {
			return err
		}
		if got.Phone != p.Phone || !slices.Equal(got.Trucks, p.Trucks) || !slices.Equal(got.Plates, p.Plates) {
			t.Errorf("partner contact %+v, want %+v", got, p)
		}
		got, err = tx.GetPartner(ctx, bare.ID)
		if err != nil {
			return err
		}
		if got.Phone != "" || got.Trucks != nil || got.Plates != nil {
			t.Errorf("partner without contact: %+v", got)
		}
		all, err := tx.ListPartners(ctx)
		if err != nil {
			return err
		}
		for _, x := range all {
			if x.ID == p.ID && !slices.Equal(x.Plates, p.Plates) {
				t.Errorf("listed partner's plates %v", x.Plates)
			}
		}
		return nil
	})
}

// positions: the last position per job replaces the one before, with its
// optional fields; a case lists its jobs' last positions in the jobs'
// order; a job without one and an unknown job are told apart.
func (r *runner) positions(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	other := r.insertCase(t, base)
	p := r.insertPartner(t)
	j1 := store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "tow", Partner: p.ID, Status: "EN_ROUTE", Version: 1, CreatedAt: base, UpdatedAt: base}
	j2 := store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "roadside", Partner: p.ID, Status: "BOOKED", Version: 1,
		CreatedAt: base.Add(time.Second), UpdatedAt: base.Add(time.Second)}
	j3 := store.Job{ID: r.id("job"), CaseID: other.ID, Kind: "tow", Partner: p.ID, Status: "EN_ROUTE", Version: 1, CreatedAt: base, UpdatedAt: base}
	update(t, r.s, func(tx store.Tx) error {
		for _, j := range []store.Job{j1, j2, j3} {
			if err := tx.InsertJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	f := func(v float64) *float64 { return &v }
	first := store.JobPosition{JobID: j1.ID, Lat: 47.2601, Lon: 11.3902, HeadingDeg: f(270.5), SpeedKmh: f(62), AccuracyM: f(8),
		Truck: "flatbed", Plate: "SAMPLE-AT-158", At: base.Add(10 * time.Second), ReceivedAt: base.Add(11 * time.Second)}
	second := store.JobPosition{JobID: j1.ID, Lat: -33.5, Lon: -70.25, At: base.Add(20 * time.Second), ReceivedAt: base.Add(21 * time.Second)}
	elsewhere := store.JobPosition{JobID: j3.ID, Lat: 55.6, Lon: 12.5, At: base, ReceivedAt: base}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.PutJobPosition(ctx, first); err != nil {
			return err
		}
		return tx.PutJobPosition(ctx, elsewhere)
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.JobPosition(ctx, j1.ID)
		if err != nil {
			return err
		}
		samePosition(t, got, first)
		_, err = tx.JobPosition(ctx, j2.ID)
		wantErr(t, "JobPosition of a job that reported none", err, store.ErrNotFound)
		return nil
	})
	update(t, r.s, func(tx store.Tx) error { return tx.PutJobPosition(ctx, second) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.JobPosition(ctx, j1.ID)
		if err != nil {
			return err
		}
		samePosition(t, got, second)
		list, err := tx.CasePositions(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(list) != 1 {
			t.Fatalf("CasePositions: %d positions, want 1 (the other case's is not its): %+v", len(list), list)
		}
		samePosition(t, list[0], second)
		return nil
	})
	later := store.JobPosition{JobID: j2.ID, Lat: 1, Lon: 2, At: base, ReceivedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.PutJobPosition(ctx, later) })
	view(t, r.s, func(tx store.Tx) error {
		list, err := tx.CasePositions(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].JobID != j1.ID || list[1].JobID != j2.ID {
			t.Errorf("CasePositions not in the jobs' order: %+v", list)
		}
		none, err := tx.CasePositions(ctx, r.id("nocase"))
		if err != nil || len(none) != 0 {
			t.Errorf("CasePositions of an unknown case: %v, %v", none, err)
		}
		return nil
	})
	err := r.s.Update(ctx, func(tx store.Tx) error {
		return tx.PutJobPosition(ctx, store.JobPosition{JobID: r.id("nojob"), At: base, ReceivedAt: base})
	})
	wantErr(t, "PutJobPosition of an unknown job", err, store.ErrNotFound)
}

func samePosition(t *testing.T, got, want store.JobPosition) {
	t.Helper()
	if !got.At.Equal(want.At) || !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Errorf("position times %v, %v; want %v, %v", got.At, got.ReceivedAt, want.At, want.ReceivedAt)
	}
	got.At, got.ReceivedAt, want.At, want.ReceivedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("position %+v, want %+v", got, want)
	}
}
