package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"roadcover/store"
)

// runInsurance runs the part of the suite about policies, claims and
// their links (store.InsuranceTx).
func (r *runner) runInsurance(t *testing.T) {
	t.Run("Policies", r.policies)
	t.Run("PolicyStale", r.policyStale)
	t.Run("Claims", r.claims)
	t.Run("ClaimStale", r.claimStale)
	t.Run("ConcurrentClaimWriters", r.concurrentClaimWriters)
	t.Run("ListClaims", r.listClaims)
	t.Run("InsuranceLinks", r.insuranceLinks)
	t.Run("InsuranceRollback", r.insuranceRollback)
	t.Run("TokenPaymentLimit", r.tokenPaymentLimit)
}

// NewPolicy returns a policy row with its first version.
func NewPolicy(id, vin string, at time.Time) (store.Policy, []store.PolicyVersion) {
	p := store.Policy{ID: id, DueDate: "01-10", VIN: vin, HolderID: "19811218-9876", Versions: 1,
		AutoCollisionOn: "2025-05-01", CreatedAt: at, UpdatedAt: at}
	return p, []store.PolicyVersion{policyVersion(id, 1, "issue", "2026-01-10", at)}
}

func policyVersion(id string, no int64, kind, from string, at time.Time) store.PolicyVersion {
	return store.PolicyVersion{PolicyID: id, No: no, Kind: kind, ValidFrom: from, At: at,
		Doc: json.RawMessage(fmt.Sprintf(`{"policy_id":%q,"number":%d,"kind":%q,"valid_from":%q,"letter":{"premium":"6000.00"}}`, id, no, kind, from))}
}

// NewClaim returns a claim row under policy with its settlement and n
// events.
func NewClaim(id, policy, vin, day string, at time.Time, n int) (store.Claim, []store.ClaimEvent) {
	c := store.Claim{ID: id, PolicyID: policy, VIN: vin, OccurredAt: day, ReportedAt: day, Status: "open",
		HolderID: "19811218-9876", HolderName: "Anna Berg",
		Summary:    json.RawMessage(fmt.Sprintf(`{"id":%q,"peril":"animal_collision","covers":["collision"]}`, id)),
		Settlement: json.RawMessage(`{"payable_total":"36000.00","lines":[{"cover":"collision"}]}`), SettlementNo: 1,
		Version: int64(n), CreatedAt: at, UpdatedAt: at}
	return c, claimEvents(id, 0, n, at)
}

func claimEvents(id string, stored int64, n int, at time.Time) []store.ClaimEvent {
	evs := make([]store.ClaimEvent, n)
	for i := range evs {
		seq := stored + int64(i) + 1
		evs[i] = store.ClaimEvent{ClaimID: id, Seq: seq, At: at, Actor: json.RawMessage(`{"id":"tok-ch","role":"claims_handler"}`),
			Kind: "reserve_set", Data: json.RawMessage(fmt.Sprintf(`{"seq":%d}`, seq))}
	}
	if stored == 0 && n > 0 {
		evs[0].Kind = "reported"
	}
	return evs
}

func (r *runner) vin() string { return fmt.Sprintf("LPS%014d", r.n.Add(1)) }

func (r *runner) insertPolicy(t *testing.T) store.Policy {
	t.Helper()
	p, vs := NewPolicy(r.id("policy"), r.vin(), base)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPolicy(ctxT(t), p, vs) })
	return p
}

func samePolicy(t *testing.T, got, want store.Policy) {
	t.Helper()
	if got.ID != want.ID || got.DueDate != want.DueDate || got.VIN != want.VIN || got.HolderID != want.HolderID ||
		got.Versions != want.Versions || got.AutoCollisionOn != want.AutoCollisionOn ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("policy differs:\n got %+v\nwant %+v", got, want)
	}
}

func sameVersions(t *testing.T, got, want []store.PolicyVersion) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d versions, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.PolicyID != w.PolicyID || g.No != w.No || g.Kind != w.Kind || g.ValidFrom != w.ValidFrom ||
			!g.At.Equal(w.At) || g.At.Location() != time.UTC || !jsonEq(g.Doc, w.Doc) {
			t.Fatalf("version %d differs:\n got %+v %s\nwant %+v %s", i+1, g, g.Doc, w, w.Doc)
		}
	}
}

func (r *runner) policies(t *testing.T) {
	ctx := ctxT(t)
	p, vs := NewPolicy(r.id("policy"), r.vin(), base)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPolicy(ctx, p, vs) })
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertPolicy(ctx, p, vs) })
	wantErr(t, "second InsertPolicy", err, store.ErrConflict)

	// Two versions more in one go: the row moves on with them.
	next := p
	next.Versions, next.AutoCollisionOn, next.UpdatedAt = 3, "", base.Add(time.Hour)
	more := []store.PolicyVersion{policyVersion(p.ID, 2, "auto_collision", "2026-05-01", next.UpdatedAt),
		policyVersion(p.ID, 3, "change", "2026-06-01", next.UpdatedAt)}
	update(t, r.s, func(tx store.Tx) error { return tx.AppendPolicyVersions(ctx, next, more) })
	for _, read := range []func(func(store.Tx) error) error{
		func(fn func(store.Tx) error) error { return r.s.View(ctx, fn) },
		func(fn func(store.Tx) error) error { return r.s.Update(ctx, fn) }, // with the row held
	} {
		if err := read(func(tx store.Tx) error {
			got, gv, err := tx.GetPolicy(ctx, p.ID)
			if err != nil {
				return err
			}
			samePolicy(t, got, next)
			sameVersions(t, gv, append(vs, more...))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	view(t, r.s, func(tx store.Tx) error {
		_, _, err := tx.GetPolicy(ctx, r.id("missing"))
		wantErr(t, "GetPolicy of a missing policy", err, store.ErrNotFound)
		// A second policy of the same car; another car's is not listed.
		return nil
	})
	second, svs := NewPolicy(r.id("policy"), p.VIN, base.Add(time.Minute))
	other := r.insertPolicy(t)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPolicy(ctx, second, svs) })
	view(t, r.s, func(tx store.Tx) error {
		ps, err := tx.PoliciesByVIN(ctx, p.VIN)
		if err != nil {
			return err
		}
		if len(ps) != 2 || ps[0].ID != p.ID || ps[1].ID != second.ID {
			t.Fatalf("policies of %s: %+v", p.VIN, ps)
		}
		samePolicy(t, ps[0], next)
		if ps, err := tx.PoliciesByVIN(ctx, r.vin()); err != nil || len(ps) != 0 {
			t.Fatalf("policies of an unknown car: %+v, %v", ps, err)
		}
		// 5.10: the first policy's change is made (""), the second and the
		// other are due on 2025-05-01.
		due, err := tx.DueAutoCollision(ctx, "2025-05-01", 1000)
		if err != nil {
			return err
		}
		has := func(id string) bool {
			for _, d := range due {
				if d == id {
					return true
				}
			}
			return false
		}
		if has(p.ID) || !has(second.ID) || !has(other.ID) {
			t.Fatalf("due on 2025-05-01: %v (first %s, second %s, other %s)", due, p.ID, second.ID, other.ID)
		}
		if due, err := tx.DueAutoCollision(ctx, "2025-04-30", 1000); err != nil || len(due) != 0 {
			t.Fatalf("due on 2025-04-30: %v, %v", due, err)
		}
		return nil
	})
	// Versions that do not follow the stored ones are refused.
	gap := next
	gap.Versions = 5
	err = r.s.Update(ctx, func(tx store.Tx) error {
		return tx.AppendPolicyVersions(ctx, gap, []store.PolicyVersion{policyVersion(p.ID, 5, "change", "2026-07-01", base)})
	})
	if err == nil {
		t.Fatal("a version 5 after 3 was stored")
	}
}

func (r *runner) policyStale(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	next := p
	next.Versions = 2
	v2 := []store.PolicyVersion{policyVersion(p.ID, 2, "change", "2026-06-01", base)}
	update(t, r.s, func(tx store.Tx) error { return tx.AppendPolicyVersions(ctx, next, v2) })
	// Another writer that read version 1 too.
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.AppendPolicyVersions(ctx, next, v2) })
	wantErr(t, "AppendPolicyVersions over a stale count", err, store.ErrStale)
	missing := next
	missing.ID = r.id("missing")
	err = r.s.Update(ctx, func(tx store.Tx) error {
		return tx.AppendPolicyVersions(ctx, missing, []store.PolicyVersion{policyVersion(missing.ID, 2, "change", "2026-06-01", base)})
	})
	wantErr(t, "AppendPolicyVersions of a missing policy", err, store.ErrNotFound)
	// Concurrent writers of one policy: one wins.
	oneWins(t, 6, func(i int) error {
		n := next
		n.Versions = 3
		return r.s.Update(ctx, func(tx store.Tx) error {
			return tx.AppendPolicyVersions(ctx, n, []store.PolicyVersion{policyVersion(p.ID, 3, "change", fmt.Sprintf("2026-07-%02d", i+1), base)})
		})
	})
}

func sameClaim(t *testing.T, got, want store.Claim, withSettlement bool) {
	t.Helper()
	if got.ID != want.ID || got.PolicyID != want.PolicyID || got.VIN != want.VIN || got.OccurredAt != want.OccurredAt ||
		got.ReportedAt != want.ReportedAt || got.Status != want.Status || got.DeskCaseID != want.DeskCaseID ||
		got.HolderID != want.HolderID || got.HolderName != want.HolderName || !jsonEq(got.Summary, want.Summary) ||
		got.SettlementNo != want.SettlementNo || got.Version != want.Version ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) || got.UpdatedAt.Location() != time.UTC {
		t.Fatalf("claim differs:\n got %+v\nwant %+v", got, want)
	}
	if withSettlement && !jsonEq(got.Settlement, want.Settlement) {
		t.Fatalf("claim %s: settlement %s, want %s", got.ID, got.Settlement, want.Settlement)
	}
	if !withSettlement && got.Settlement != nil {
		t.Fatalf("claim %s in a list carries its settlement", got.ID)
	}
}

func sameEvents(t *testing.T, got, want []store.ClaimEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ClaimID != w.ClaimID || g.Seq != w.Seq || !g.At.Equal(w.At) || g.Kind != w.Kind ||
			!bytes.Equal(g.Actor, w.Actor) || !bytes.Equal(g.Data, w.Data) {
			t.Fatalf("event %d differs:\n got %+v\nwant %+v", i+1, g, w)
		}
	}
}

func (r *runner) insertClaim(t *testing.T, p store.Policy, day string, at time.Time) (store.Claim, []store.ClaimEvent) {
	t.Helper()
	c, evs := NewClaim(r.id("claim"), p.ID, p.VIN, day, at, 2)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertClaim(ctxT(t), c, evs) })
	return c, evs
}

func (r *runner) claims(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	c, evs := r.insertClaim(t, p, "2026-03-10", base)
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertClaim(ctx, c, evs) })
	wantErr(t, "second InsertClaim", err, store.ErrConflict)
	orphan, oevs := NewClaim(r.id("claim"), r.id("no-policy"), p.VIN, "2026-03-10", base, 1)
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertClaim(ctx, orphan, oevs) })
	wantErr(t, "InsertClaim under a missing policy", err, store.ErrNotFound)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetClaim(ctx, c.ID)
		if err != nil {
			return err
		}
		sameClaim(t, got, c, true)
		gevs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		sameEvents(t, gevs, evs)
		return nil
	})

	// An act with a new settlement, then one without.
	c2 := c
	c2.Version, c2.SettlementNo, c2.UpdatedAt = 3, 2, base.Add(time.Minute)
	c2.Settlement = json.RawMessage(`{"payable_total":"34500.00","lines":[{"cover":"collision"}]}`)
	c2.Summary = json.RawMessage(`{"id":"changed","covers":["collision","rental_car"]}`)
	ev3 := claimEvents(c.ID, 2, 1, c2.UpdatedAt)
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateClaim(ctx, c2, ev3) })
	c3 := c2
	c3.Version, c3.Status, c3.Settlement, c3.UpdatedAt = 5, "closed", nil, base.Add(2*time.Minute)
	ev45 := claimEvents(c.ID, 3, 2, c3.UpdatedAt)
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateClaim(ctx, c3, ev45) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetClaim(ctx, c.ID)
		if err != nil {
			return err
		}
		want := c3
		want.Settlement = c2.Settlement
		sameClaim(t, got, want, true)
		gevs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		sameEvents(t, gevs, append(append(append([]store.ClaimEvent{}, evs...), ev3...), ev45...))
		for no, doc := range map[int64]json.RawMessage{1: c.Settlement, 2: c2.Settlement} {
			s, err := tx.ClaimSettlement(ctx, c.ID, no)
			if err != nil {
				return err
			}
			if !jsonEq(s, doc) {
				t.Errorf("settlement %d = %s, want %s", no, s, doc)
			}
		}
		_, err = tx.ClaimSettlement(ctx, c.ID, 3)
		wantErr(t, "ClaimSettlement of a version not stored", err, store.ErrNotFound)
		_, err = tx.GetClaim(ctx, r.id("missing"))
		wantErr(t, "GetClaim of a missing claim", err, store.ErrNotFound)
		_, err = tx.ClaimEvents(ctx, r.id("missing"))
		wantErr(t, "ClaimEvents of a missing claim", err, store.ErrNotFound)
		return nil
	})
	// A settlement number that does not follow, or a missing claim.
	bad := c3
	bad.Version, bad.SettlementNo, bad.Settlement = 6, 4, json.RawMessage(`{}`)
	if err := r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateClaim(ctx, bad, claimEvents(c.ID, 5, 1, base)) }); err == nil {
		t.Error("settlement 4 after 2 was stored")
	}
	missing := c3
	missing.ID, missing.Version = r.id("missing"), 1
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateClaim(ctx, missing, claimEvents(missing.ID, 0, 1, base)) })
	wantErr(t, "UpdateClaim of a missing claim", err, store.ErrNotFound)
}

func (r *runner) claimStale(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	c, _ := r.insertClaim(t, p, "2026-03-10", base)
	for _, stored := range []int64{1, 3, 0} {
		next := c
		next.Version, next.Settlement = stored+1, nil
		err := r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateClaim(ctx, next, claimEvents(c.ID, stored, 1, base)) })
		wantErr(t, fmt.Sprintf("UpdateClaim over version %d (stored 2)", stored), err, store.ErrStale)
	}
	view(t, r.s, func(tx store.Tx) error {
		evs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(evs) != 2 {
			t.Fatalf("%d events after stale writes, want 2", len(evs))
		}
		return nil
	})
}

// concurrentClaimWriters: writers that read the same version of one claim
// each append an act; one wins, the others get ErrStale and write nothing.
func (r *runner) concurrentClaimWriters(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	c, evs := r.insertClaim(t, p, "2026-03-10", base)
	winner := oneWins(t, 8, func(i int) error {
		next := c
		next.Version, next.SettlementNo = 3, 2
		next.Settlement = json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))
		ev := claimEvents(c.ID, 2, 1, base)
		ev[0].Data = json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))
		return r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateClaim(ctx, next, ev) })
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetClaim(ctx, c.ID)
		if err != nil {
			return err
		}
		gevs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		want := fmt.Sprintf(`{"writer":%d}`, winner)
		if got.Version != 3 || got.SettlementNo != 2 || string(got.Settlement) != want || len(gevs) != len(evs)+1 ||
			string(gevs[2].Data) != want {
			t.Fatalf("after the race: %+v, events %+v", got, gevs)
		}
		return nil
	})
}

func (r *runner) listClaims(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	other := r.insertPolicy(t)
	a, _ := r.insertClaim(t, p, "2026-03-10", base)
	b, _ := r.insertClaim(t, p, "2026-03-11", base.Add(time.Second))
	cc, _ := r.insertClaim(t, p, "2026-03-10", base.Add(2*time.Second))
	d, _ := r.insertClaim(t, other, "2026-03-10", base.Add(3*time.Second))
	linked, lev := NewClaim(r.id("claim"), other.ID, other.VIN, "2026-04-01", base.Add(4*time.Second), 1)
	linked.DeskCaseID, linked.ReportedAt = r.id("case"), "2026-04-03"
	update(t, r.s, func(tx store.Tx) error { return tx.InsertClaim(ctx, linked, lev) })
	ids := func(cs []store.Claim) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	view(t, r.s, func(tx store.Tx) error {
		for _, x := range []struct {
			f    store.ClaimFilter
			want []string
		}{
			{store.ClaimFilter{PolicyID: p.ID}, []string{a.ID, b.ID, cc.ID}},
			{store.ClaimFilter{PolicyID: p.ID, Limit: 2}, []string{a.ID, b.ID}},
			{store.ClaimFilter{PolicyID: p.ID, After: b.ID}, []string{cc.ID}},
			{store.ClaimFilter{VIN: p.VIN, OccurredAt: "2026-03-10"}, []string{a.ID, cc.ID}},
			{store.ClaimFilter{VIN: other.VIN}, []string{d.ID, linked.ID}},
			{store.ClaimFilter{DeskCaseID: linked.DeskCaseID}, []string{linked.ID}},
			{store.ClaimFilter{VIN: other.VIN, ReportedFrom: "2026-04-02", ReportedUntil: "2026-04-03"}, []string{linked.ID}},
			{store.ClaimFilter{VIN: other.VIN, ReportedUntil: "2026-03-31"}, []string{d.ID}},
			{store.ClaimFilter{PolicyID: r.id("none")}, nil},
		} {
			got, err := tx.ListClaims(ctx, x.f)
			if err != nil {
				return err
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(x.want) {
				t.Errorf("ListClaims(%+v) = %v, want %v", x.f, ids(got), x.want)
			}
			for i := range got {
				if got[i].ID == a.ID {
					sameClaim(t, got[i], a, false)
				}
			}
		}
		_, err := tx.ListClaims(ctx, store.ClaimFilter{After: r.id("missing")})
		wantErr(t, "ListClaims after an unknown id", err, store.ErrNotFound)
		return nil
	})
	// What a first notice reads: the policy, and its car's claims of the day.
	for _, read := range []func(func(store.Tx) error) error{
		func(fn func(store.Tx) error) error { return r.s.View(ctx, fn) },
		func(fn func(store.Tx) error) error { return r.s.Update(ctx, fn) },
	} {
		if err := read(func(tx store.Tx) error {
			gp, gv, same, err := tx.FirstNotice(ctx, p.ID, "2026-03-10")
			if err != nil {
				return err
			}
			samePolicy(t, gp, p)
			if len(gv) != 1 || len(same) != 2 {
				t.Fatalf("first notice: %d versions, claims %v", len(gv), ids(same))
			}
			sameClaim(t, same[0], a, false)
			sameClaim(t, same[1], cc, false)
			if _, _, none, err := tx.FirstNotice(ctx, p.ID, "2026-05-01"); err != nil || len(none) != 0 {
				t.Fatalf("first notice on a day without claims: %v, %v", ids(none), err)
			}
			_, _, _, err = tx.FirstNotice(ctx, r.id("missing"), "2026-03-10")
			wantErr(t, "FirstNotice under a missing policy", err, store.ErrNotFound)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func (r *runner) insuranceLinks(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	c, _ := r.insertClaim(t, p, "2026-03-10", base)
	cl := store.InsuranceLink{Hash: []byte(r.id("hash")), Kind: store.LinkClaim, Target: c.ID, ExpiresAt: base.Add(48 * time.Hour), CreatedAt: base}
	pl := store.InsuranceLink{Hash: []byte(r.id("hash")), Kind: store.LinkPolicy, Target: p.ID, ExpiresAt: base.Add(time.Hour), CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertInsuranceLink(ctx, cl); err != nil {
			return err
		}
		return tx.InsertInsuranceLink(ctx, pl)
	})
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertInsuranceLink(ctx, cl) })
	wantErr(t, "a link hash used twice", err, store.ErrConflict)
	for _, l := range []store.InsuranceLink{
		{Hash: []byte(r.id("hash")), Kind: store.LinkClaim, Target: r.id("missing"), ExpiresAt: base, CreatedAt: base},
		{Hash: []byte(r.id("hash")), Kind: store.LinkPolicy, Target: c.ID, ExpiresAt: base, CreatedAt: base},
	} {
		err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertInsuranceLink(ctx, l) })
		wantErr(t, "a "+l.Kind+" link to nothing", err, store.ErrNotFound)
	}
	view(t, r.s, func(tx store.Tx) error {
		for _, want := range []store.InsuranceLink{cl, pl} {
			got, err := tx.InsuranceLinkByHash(ctx, want.Hash)
			if err != nil {
				return err
			}
			if !bytes.Equal(got.Hash, want.Hash) || got.Kind != want.Kind || got.Target != want.Target ||
				!got.ExpiresAt.Equal(want.ExpiresAt) || !got.CreatedAt.Equal(want.CreatedAt) {
				t.Errorf("link %+v, want %+v", got, want)
			}
		}
		_, err := tx.InsuranceLinkByHash(ctx, []byte(r.id("unknown")))
		wantErr(t, "an unknown link", err, store.ErrNotFound)
		return nil
	})
}

func (r *runner) insuranceRollback(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPolicy(t)
	c, evs := r.insertClaim(t, p, "2026-03-10", base)
	gone, gvs := NewPolicy(r.id("policy"), r.vin(), base)
	err := r.s.Update(ctx, func(tx store.Tx) error {
		if err := tx.InsertPolicy(ctx, gone, gvs); err != nil {
			return err
		}
		next := c
		next.Version, next.Status, next.Settlement = 3, "closed", nil
		if err := tx.UpdateClaim(ctx, next, claimEvents(c.ID, 2, 1, base)); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	view(t, r.s, func(tx store.Tx) error {
		if _, _, err := tx.GetPolicy(ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back policy: %v", err)
		}
		got, err := tx.GetClaim(ctx, c.ID)
		if err != nil {
			return err
		}
		sameClaim(t, got, c, true)
		gevs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		sameEvents(t, gevs, evs)
		return nil
	})
}

func (r *runner) tokenPaymentLimit(t *testing.T) {
	ctx := ctxT(t)
	tk := store.Token{ID: r.id("tok"), Hash: []byte(r.id("hash")), Role: "claims_handler", Label: "handler", CreatedAt: base,
		PaymentLimit: 5000000}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertToken(ctx, tk) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.TokenByHash(ctx, tk.Hash)
		if err != nil {
			return err
		}
		if got.PaymentLimit != tk.PaymentLimit || got.Role != tk.Role {
			t.Errorf("token %+v, want a payment limit of %d", got, tk.PaymentLimit)
		}
		return nil
	})
}

// InsuranceImmutable checks that the schema itself refuses to edit or
// delete policy versions, claim events and settlements: exec runs one SQL
// statement outside the store's API (ExecRaw).
func InsuranceImmutable(t *testing.T, s store.Store, exec func(ctx context.Context, stmt string) error) {
	ctx := ctxT(t)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	p, vs := NewPolicy("imm-policy-"+suffix, "LPS00000000000001", base)
	c, evs := NewClaim("imm-claim-"+suffix, p.ID, p.VIN, "2026-03-10", base, 1)
	update(t, s, func(tx store.Tx) error {
		if err := tx.InsertPolicy(ctx, p, vs); err != nil {
			return err
		}
		return tx.InsertClaim(ctx, c, evs)
	})
	for _, stmt := range []string{
		"UPDATE policy_versions SET kind = 'cancellation' WHERE policy_id = '" + p.ID + "'",
		"DELETE FROM policy_versions WHERE policy_id = '" + p.ID + "'",
		"UPDATE claim_events SET kind = 'closed' WHERE claim_id = '" + c.ID + "'",
		"DELETE FROM claim_events WHERE claim_id = '" + c.ID + "'",
		"UPDATE claim_settlements SET no = 9 WHERE claim_id = '" + c.ID + "'",
		"DELETE FROM claim_settlements WHERE claim_id = '" + c.ID + "'",
	} {
		if err := exec(ctx, stmt); err == nil {
			t.Errorf("%s: accepted", stmt)
		}
	}
	view(t, s, func(tx store.Tx) error {
		_, gv, err := tx.GetPolicy(ctx, p.ID)
		if err != nil {
			return err
		}
		sameVersions(t, gv, vs)
		got, err := tx.GetClaim(ctx, c.ID)
		if err != nil {
			return err
		}
		sameClaim(t, got, c, true)
		gevs, err := tx.ClaimEvents(ctx, c.ID)
		if err != nil {
			return err
		}
		sameEvents(t, gevs, evs)
		return nil
	})
}
