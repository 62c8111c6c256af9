package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"roadcover"
	"roadcover/store"
)

// The named accounts, their sign-in sessions, the service network and the
// jobs of a queue of cases.

func (r *runner) newAccount(email string) store.Account {
	return store.Account{ID: r.id("acc"), Email: email, Name: "Åsa Öberg", Role: "claims_handler",
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", PasswordChangeDue: true,
		PaymentLimit: 2_500_000, Version: 1, CreatedAt: base, UpdatedAt: base}
}

func sameAccount(t *testing.T, got, want store.Account) {
	t.Helper()
	if got.ID != want.ID || got.Email != want.Email || got.Name != want.Name || got.Role != want.Role ||
		got.PasswordHash != want.PasswordHash || got.PasswordChangeDue != want.PasswordChangeDue ||
		got.Disabled != want.Disabled || got.FailedSignIns != want.FailedSignIns || got.PaymentLimit != want.PaymentLimit ||
		!got.LockedUntil.Equal(want.LockedUntil) || !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) ||
		got.Version != want.Version || !got.LastSignInAt.Equal(want.LastSignInAt) {
		t.Fatalf("account differs:\n got %+v\nwant %+v", got, want)
	}
}

func (r *runner) accounts(t *testing.T) {
	ctx := ctxT(t)
	email := r.id("op") + "@desk.example"
	a := r.newAccount(email)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertAccount(ctx, a) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetAccount(ctx, a.ID)
		if err != nil {
			return err
		}
		sameAccount(t, got, a)
		if !got.LockedUntil.IsZero() || !got.LastSignInAt.IsZero() {
			t.Fatalf("a new account is locked until %v, last signed in at %v", got.LockedUntil, got.LastSignInAt)
		}
		got, err = tx.AccountByEmail(ctx, email)
		if err != nil {
			return err
		}
		sameAccount(t, got, a)
		_, err = tx.AccountByEmail(ctx, "nobody-"+email)
		wantErr(t, "AccountByEmail of an unknown email", err, store.ErrNotFound)
		_, err = tx.GetAccount(ctx, r.id("nothing"))
		wantErr(t, "GetAccount of an unknown id", err, store.ErrNotFound)
		return nil
	})
	// The email is unique, and so is the id; the transaction goes on after
	// a conflict.
	dup := r.newAccount(email)
	same := a
	same.Email = r.id("other") + "@desk.example"
	second := r.newAccount(r.id("second") + "@desk.example")
	second.Name = "Anders Berg"
	update(t, r.s, func(tx store.Tx) error {
		wantErr(t, "InsertAccount with a taken email", tx.InsertAccount(ctx, dup), store.ErrConflict)
		wantErr(t, "InsertAccount with a taken id", tx.InsertAccount(ctx, same), store.ErrConflict)
		return tx.InsertAccount(ctx, second)
	})
	// Every changeable field is kept.
	a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue = "Åsa Berg", "admin", "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3a2V5", false
	a.Disabled, a.FailedSignIns, a.LockedUntil, a.UpdatedAt = true, 4, base.Add(15*time.Minute), base.Add(time.Hour)
	a.PaymentLimit, a.Version, a.LastSignInAt = 0, 7, base.Add(30*time.Minute)
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, a) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetAccount(ctx, a.ID)
		if err != nil {
			return err
		}
		sameAccount(t, got, a)
		list, err := tx.ListAccounts(ctx)
		if err != nil {
			return err
		}
		ia, ib := -1, -1
		for i, x := range list {
			switch x.ID {
			case a.ID:
				ia = i
			case second.ID:
				ib = i
			}
		}
		if ia < 0 || ib < 0 || ib > ia { // "Anders Berg" before "Åsa Berg"
			t.Fatalf("ListAccounts: positions %d (Åsa) and %d (Anders) in %d accounts", ia, ib, len(list))
		}
		return nil
	})
	a.LockedUntil = time.Time{}
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateAccount(ctx, a) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetAccount(ctx, a.ID)
		if err == nil && !got.LockedUntil.IsZero() {
			t.Fatalf("lock not lifted: %v", got.LockedUntil)
		}
		return err
	})
	err := r.s.Update(ctx, func(tx store.Tx) error {
		ghost := a
		ghost.ID = r.id("ghost")
		return tx.UpdateAccount(ctx, ghost)
	})
	wantErr(t, "UpdateAccount of an unknown id", err, store.ErrNotFound)
}

func (r *runner) sessions(t *testing.T) {
	ctx := ctxT(t)
	a := r.newAccount(r.id("s") + "@desk.example")
	b := r.newAccount(r.id("s") + "@desk.example")
	hash := func(s string) []byte { return bytes.Repeat([]byte(s), 32)[:32] }
	s1 := store.Session{Hash: append(hash(r.id("h")), 1), AccountID: a.ID, CreatedAt: base, LastSeenAt: base, ExpiresAt: base.Add(12 * time.Hour)}
	s2 := store.Session{Hash: append(hash(r.id("h")), 2), AccountID: a.ID, CreatedAt: base, LastSeenAt: base.Add(-3 * time.Hour), ExpiresAt: base.Add(12 * time.Hour)}
	s3 := store.Session{Hash: append(hash(r.id("h")), 3), AccountID: b.ID, CreatedAt: base, LastSeenAt: base, ExpiresAt: base.Add(-time.Minute)}
	update(t, r.s, func(tx store.Tx) error {
		for _, x := range []store.Account{a, b} {
			if err := tx.InsertAccount(ctx, x); err != nil {
				return err
			}
		}
		for _, s := range []store.Session{s1, s2, s3} {
			if err := tx.InsertSession(ctx, s); err != nil {
				return err
			}
		}
		wantErr(t, "InsertSession with a taken hash", tx.InsertSession(ctx, s1), store.ErrConflict)
		return nil
	})
	err := r.s.Update(ctx, func(tx store.Tx) error {
		return tx.InsertSession(ctx, store.Session{Hash: hash("orphan"), AccountID: r.id("nobody"), CreatedAt: base, LastSeenAt: base, ExpiresAt: base})
	})
	wantErr(t, "InsertSession of an unknown account", err, store.ErrNotFound)
	seen := base.Add(10 * time.Minute)
	update(t, r.s, func(tx store.Tx) error { return tx.TouchSession(ctx, s1.Hash, seen) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.SessionByHash(ctx, s1.Hash)
		if err != nil {
			return err
		}
		if !bytes.Equal(got.Hash, s1.Hash) || got.AccountID != a.ID || !got.CreatedAt.Equal(base) ||
			!got.LastSeenAt.Equal(seen) || !got.ExpiresAt.Equal(s1.ExpiresAt) || got.ExpiresAt.Location() != time.UTC {
			t.Fatalf("session = %+v", got)
		}
		_, err = tx.SessionByHash(ctx, hash("unknown"))
		wantErr(t, "SessionByHash of an unknown hash", err, store.ErrNotFound)
		return nil
	})
	// Pruning removes the expired (s3) and the idle (s2), not the fresh one.
	var pruned int64
	update(t, r.s, func(tx store.Tx) error {
		var err error
		pruned, err = tx.PruneSessions(ctx, base, base.Add(-time.Hour))
		return err
	})
	if pruned < 2 {
		t.Fatalf("PruneSessions removed %d, want at least 2", pruned)
	}
	view(t, r.s, func(tx store.Tx) error {
		for _, s := range []store.Session{s2, s3} {
			_, err := tx.SessionByHash(ctx, s.Hash)
			wantErr(t, "a pruned session", err, store.ErrNotFound)
		}
		_, err := tx.SessionByHash(ctx, s1.Hash)
		return err
	})
	s4 := store.Session{Hash: append(hash(r.id("h")), 4), AccountID: a.ID, CreatedAt: base, LastSeenAt: base, ExpiresAt: base.Add(time.Hour)}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertSession(ctx, s4) })
	update(t, r.s, func(tx store.Tx) error { return tx.DeleteSession(ctx, s4.Hash) })
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, s4.Hash) })
	wantErr(t, "DeleteSession twice", err, store.ErrNotFound)
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.TouchSession(ctx, s4.Hash, seen) })
	wantErr(t, "TouchSession of a deleted session", err, store.ErrNotFound)
	var n int64
	update(t, r.s, func(tx store.Tx) error {
		var err error
		n, err = tx.DeleteSessionsOf(ctx, a.ID)
		return err
	})
	if n != 1 {
		t.Fatalf("DeleteSessionsOf removed %d, want 1 (s1)", n)
	}
}

// NetworkSites is a small network: a workshop, a charger and a tow
// partner's base, with every field set.
func NetworkSites(prefix string) []roadcover.Site {
	return []roadcover.Site{
		{ID: prefix + "-ws", Kind: roadcover.SiteWorkshop, Name: "Werkstatt Süd", Address: "Hauptstraße 1, Stuttgart",
			Country: "DE", Point: roadcover.Point{Lat: 48.7758, Lon: 9.1829}, Source: "csv", Tags: []string{"polestar-authorised"},
			Phone: "+49 711 000000"},
		{ID: prefix + "-ch", Kind: roadcover.SiteCharger, Name: "Ladepark", Country: "DE",
			Point: roadcover.Point{Lat: 48.8, Lon: 9.0}, Sample: true, Source: "sample"},
		{ID: prefix + "-tow", Kind: roadcover.SiteTow, Name: "Abschlepp Müller", Country: "DE",
			Point: roadcover.Point{Lat: 48.9, Lon: 9.1}, Source: "csv", Phone: "+49 711 111111",
			Tow: &roadcover.TowFleet{Trucks: []string{"flatbed", "wheel_lift"}, Plates: []string{"S-AM 1"}, RadiusKm: 60}},
	}
}

func (r *runner) network(t *testing.T) {
	ctx := ctxT(t)
	prefix := r.id("net")
	sites := NetworkSites(prefix)
	var before store.NetworkStamp
	view(t, r.s, func(tx store.Tx) error {
		var err error
		before, err = tx.NetworkStamp(ctx)
		return err
	})
	at := base.Add(time.Duration(r.n.Add(1)) * time.Hour)
	update(t, r.s, func(tx store.Tx) error { return tx.PutSites(ctx, sites, at) })
	mine := func(all []roadcover.Site) []roadcover.Site {
		var out []roadcover.Site
		for _, s := range all {
			if len(s.ID) > len(prefix) && s.ID[:len(prefix)] == prefix {
				out = append(out, s)
			}
		}
		return out
	}
	view(t, r.s, func(tx store.Tx) error {
		all, err := tx.Sites(ctx, "")
		if err != nil {
			return err
		}
		got := mine(all)
		// By id: -ch, -tow, -ws.
		want := []roadcover.Site{sites[1], sites[2], sites[0]}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Sites:\n got %+v\nwant %+v", got, want)
		}
		tows, err := tx.Sites(ctx, roadcover.SiteTow)
		if err != nil {
			return err
		}
		if got := mine(tows); len(got) != 1 || !reflect.DeepEqual(got[0], sites[2]) {
			t.Fatalf("Sites(tow) = %+v", got)
		}
		for _, s := range tows {
			if s.Kind != roadcover.SiteTow {
				t.Fatalf("Sites(tow) holds a %s", s.Kind)
			}
		}
		st, err := tx.NetworkStamp(ctx)
		if err != nil {
			return err
		}
		if st.Sites != before.Sites+3 || st.UpdatedAt.Before(at) {
			t.Fatalf("NetworkStamp %+v after 3 sites at %v (before %+v)", st, at, before)
		}
		return nil
	})
	// A second import replaces by id.
	changed := sites[2]
	changed.Name, changed.Tow = "Abschlepp Müller & Sohn", &roadcover.TowFleet{Trucks: []string{"heavy"}, RadiusKm: 80}
	later := at.Add(time.Minute)
	update(t, r.s, func(tx store.Tx) error { return tx.PutSites(ctx, []roadcover.Site{changed}, later) })
	view(t, r.s, func(tx store.Tx) error {
		tows, err := tx.Sites(ctx, roadcover.SiteTow)
		if err != nil {
			return err
		}
		if got := mine(tows); len(got) != 1 || !reflect.DeepEqual(got[0], changed) {
			t.Fatalf("after the second import: %+v", got)
		}
		st, err := tx.NetworkStamp(ctx)
		if err != nil {
			return err
		}
		if st.Sites != before.Sites+3 || !st.UpdatedAt.Equal(later) && st.UpdatedAt.Before(later) {
			t.Fatalf("NetworkStamp %+v after a replacement at %v", st, later)
		}
		return nil
	})
	// Many sites in one go.
	many := make([]roadcover.Site, 1500)
	for i := range many {
		many[i] = roadcover.Site{ID: fmt.Sprintf("%s-bulk-%04d", prefix, i), Kind: roadcover.SiteWorkshop, Name: "W",
			Country: "SE", Point: roadcover.Point{Lat: 57 + float64(i)/1000, Lon: 12}}
	}
	update(t, r.s, func(tx store.Tx) error { return tx.PutSites(ctx, many, later) })
	view(t, r.s, func(tx store.Tx) error {
		all, err := tx.Sites(ctx, roadcover.SiteWorkshop)
		if err == nil && len(mine(all)) != 1501 {
			t.Fatalf("%d workshops after the bulk import, want 1501", len(mine(all)))
		}
		return err
	})
}

func (r *runner) jobsOfCases(t *testing.T) {
	ctx := ctxT(t)
	c1, c2, c3 := r.insertCase(t, base), r.insertCase(t, base), r.insertCase(t, base)
	p := r.insertPartner(t)
	var jobs []store.Job
	for i, c := range []store.Case{c1, c1, c2, c3} {
		at := base.Add(time.Duration(i) * time.Second)
		jobs = append(jobs, store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "tow", Partner: p.ID, Status: "BOOKED",
			Version: 1, CreatedAt: at, UpdatedAt: at})
	}
	update(t, r.s, func(tx store.Tx) error {
		for _, j := range jobs {
			if err := tx.InsertJob(ctx, j); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.JobsOfCases(ctx, []string{c1.ID, c2.ID, r.id("nocase")})
		if err != nil {
			return err
		}
		if len(got) != 3 || got[0].ID != jobs[0].ID || got[1].ID != jobs[1].ID || got[2].ID != jobs[2].ID {
			t.Fatalf("JobsOfCases = %+v", got)
		}
		none, err := tx.JobsOfCases(ctx, nil)
		if err != nil || len(none) != 0 {
			t.Fatalf("JobsOfCases(nil) = %v, %v", none, err)
		}
		return nil
	})
}

// accountEvents: the record of an account's changes keeps each event as
// written (actor, kind, data), lists them newest first up to a limit, and
// knows no events of an account that does not exist.
func (r *runner) accountEvents(t *testing.T) {
	ctx := ctxT(t)
	a, b := r.newAccount(r.id("ev")+"@desk.example"), r.newAccount(r.id("ev")+"@desk.example")
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
		return tx.InsertAccount(ctx, b)
	})
	kinds := []string{"account_created", "account_changed", "account_disabled", "password_reset"}
	var ids []int64
	update(t, r.s, func(tx store.Tx) error {
		for i, k := range kinds {
			e := store.AccountEvent{AccountID: a.ID, At: base.Add(time.Duration(i) * time.Minute),
				Actor: store.Actor{TokenID: "acc_admin", Role: "admin"}, Kind: k,
				Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"name":{"from":"Åsa","to":"Åsa Berg"}}`, i))}
			id, err := tx.AppendAccountEvent(ctx, e)
			if err != nil {
				return err
			}
			ids = append(ids, id)
			// Another account's events are not this one's.
			if _, err := tx.AppendAccountEvent(ctx, store.AccountEvent{AccountID: b.ID, At: base, Actor: sysActor, Kind: "account_created"}); err != nil {
				return err
			}
		}
		return nil
	})
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("event ids not ascending: %v", ids)
		}
	}
	view(t, r.s, func(tx store.Tx) error {
		all, err := tx.AccountEvents(ctx, a.ID, 0)
		if err != nil {
			return err
		}
		if len(all) != len(kinds) {
			t.Fatalf("AccountEvents: %d events, want %d", len(all), len(kinds))
		}
		for i, e := range all {
			k := len(kinds) - 1 - i // newest first
			want := fmt.Sprintf(`{"n":%d,"name":{"from":"Åsa","to":"Åsa Berg"}}`, k)
			if e.ID != ids[k] || e.AccountID != a.ID || e.Kind != kinds[k] || !e.At.Equal(base.Add(time.Duration(k)*time.Minute)) ||
				e.At.Location() != time.UTC || e.Actor != (store.Actor{TokenID: "acc_admin", Role: "admin"}) || !jsonEq(e.Data, json.RawMessage(want)) {
				t.Fatalf("event %d = %+v (data %s), want kind %s data %s", i, e, e.Data, kinds[k], want)
			}
		}
		two, err := tx.AccountEvents(ctx, a.ID, 2)
		if err != nil {
			return err
		}
		if len(two) != 2 || two[0].ID != ids[3] || two[1].ID != ids[2] {
			t.Fatalf("AccountEvents with limit 2: %+v", two)
		}
		other, err := tx.AccountEvents(ctx, b.ID, 0)
		if err != nil {
			return err
		}
		if len(other) != len(kinds) || other[0].Actor != sysActor || string(other[0].Data) != `{}` {
			t.Fatalf("the other account's events: %+v", other)
		}
		_, err = tx.AccountEvents(ctx, r.id("nobody"), 0)
		wantErr(t, "AccountEvents of an unknown account", err, store.ErrNotFound)
		return nil
	})
	err := r.s.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendAccountEvent(ctx, store.AccountEvent{AccountID: r.id("nobody"), At: base, Actor: sysActor, Kind: "account_created"})
		return err
	})
	wantErr(t, "AppendAccountEvent of an unknown account", err, store.ErrNotFound)
}

// enabledAccounts lists the enabled accounts of one role by id.
func (r *runner) enabledAccounts(t *testing.T) {
	ctx := ctxT(t)
	role := r.id("role") // a role of this test alone: the store may be shared
	var want []string
	update(t, r.s, func(tx store.Tx) error {
		for i := range 4 {
			a := r.newAccount(r.id("en") + "@desk.example")
			a.Role, a.Disabled = role, i == 2
			if err := tx.InsertAccount(ctx, a); err != nil {
				return err
			}
			if !a.Disabled {
				want = append(want, a.ID)
			}
		}
		other := r.newAccount(r.id("en") + "@desk.example")
		return tx.InsertAccount(ctx, other)
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.EnabledAccounts(ctx, role)
		if err != nil {
			return err
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
			if a.Role != role || a.Disabled {
				t.Fatalf("EnabledAccounts(%s) holds %+v", role, a)
			}
		}
		slices.Sort(want)
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Fatalf("EnabledAccounts(%s) = %v, want %v", role, ids, want)
		}
		return nil
	})
}

// concurrentAccountChanges: writers that read an account, wait, and write
// it back lose no one's change (the read in a write transaction holds the
// row); and two writers that each disable one of the last two enabled
// accounts of a role when another stays enabled leave one enabled.
func (r *runner) concurrentAccountChanges(t *testing.T) {
	ctx := ctxT(t)
	a := r.newAccount(r.id("cc") + "@desk.example")
	update(t, r.s, func(tx store.Tx) error { return tx.InsertAccount(ctx, a) })
	const writers = 4
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.s.Update(ctx, func(tx store.Tx) error {
				got, err := tx.GetAccount(ctx, a.ID)
				if err != nil {
					return err
				}
				time.Sleep(5 * time.Millisecond) // the others read meanwhile, unless the row is held
				got.FailedSignIns++
				if i == 0 {
					got.Disabled = true
				}
				return tx.UpdateAccount(ctx, got)
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("writer: %v", err)
		}
	}
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetAccount(ctx, a.ID)
		if err == nil && (got.FailedSignIns != writers || !got.Disabled) {
			t.Fatalf("after %d writers: %d failed sign-ins, disabled %v", writers, got.FailedSignIns, got.Disabled)
		}
		return err
	})

	for round := range 3 {
		role := r.id("last")
		pair := []store.Account{r.newAccount(r.id("l") + "@desk.example"), r.newAccount(r.id("l") + "@desk.example")}
		update(t, r.s, func(tx store.Tx) error {
			for i := range pair {
				pair[i].Role = role
				if err := tx.InsertAccount(ctx, pair[i]); err != nil {
					return err
				}
			}
			return nil
		})
		start := make(chan struct{})
		for i := range pair {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = r.s.Update(ctx, func(tx store.Tx) error {
					target, err := tx.GetAccount(ctx, pair[i].ID)
					if err != nil {
						return err
					}
					enabled, err := tx.EnabledAccounts(ctx, role)
					if err != nil {
						return err
					}
					time.Sleep(5 * time.Millisecond)
					if len(enabled) < 2 {
						return nil // it would be the last one: keep it
					}
					target.Disabled = true
					return tx.UpdateAccount(ctx, target)
				})
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs[:2] {
			if err != nil {
				t.Fatalf("round %d: writer: %v", round, err)
			}
		}
		view(t, r.s, func(tx store.Tx) error {
			enabled, err := tx.EnabledAccounts(ctx, role)
			if err == nil && len(enabled) != 1 {
				t.Fatalf("round %d: %d enabled accounts of the role, want 1", round, len(enabled))
			}
			return err
		})
	}
}

// sysActor is the desk acting by itself.
var sysActor = store.Actor{TokenID: "system", Role: "system"}
