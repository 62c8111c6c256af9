// Package storetest is the one test suite every store.Store must pass
// (SQLite always, PostgreSQL against a real server): every Tx method, the
// not-found, stale and conflict errors, rollback, concurrency of writers,
// the append-only timeline, paging, tokens, tracking links, idempotency,
// webhook deliveries, the money ledger the job queue and receipts. It also holds
// the crash test that SIGKILLs a writing child process and checks that
// everything acknowledged survived.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"roadcover/store"
)

// Run runs the suite against s. Each subtest uses its own ids, so s may be
// shared and need not be empty.
func Run(t *testing.T, s store.Store) {
	t.Helper()
	r := &runner{s: s, prefix: fmt.Sprintf("t%d", time.Now().UnixNano())}
	t.Run("Ping", r.ping)
	t.Run("Case", r.caseCRUD)
	t.Run("CaseStale", r.caseStale)
	t.Run("CaseNotFound", r.caseNotFound)
	t.Run("Rollback", r.rollback)
	t.Run("ConcurrentCaseUpdate", r.concurrentCaseUpdate)
	t.Run("Events", r.events)
	t.Run("ConcurrentEvents", r.concurrentEvents)
	t.Run("Choices", r.choices)
	t.Run("ConcurrentChoices", r.concurrentChoices)
	t.Run("ListCases", r.listCases)
	t.Run("Jobs", r.jobs)
	t.Run("Partners", r.partners)
	t.Run("PartnerContact", r.partnerContact)
	t.Run("Positions", r.positions)
	t.Run("Tokens", r.tokens)
	t.Run("TrackingLinks", r.trackingLinks)
	t.Run("Idempotency", r.idempotency)
	t.Run("Deliveries", r.deliveries)
	t.Run("ViewIsReadOnly", r.viewReadOnly)
	t.Run("Cancelled", r.cancelled)
	t.Run("InsertCaseWithEvents", r.insertCaseWithEvents)
	t.Run("CreateCase", r.createCase)
	t.Run("Accounts", r.accounts)
	t.Run("Sessions", r.sessions)
	t.Run("AccountEvents", r.accountEvents)
	t.Run("EnabledAccounts", r.enabledAccounts)
	t.Run("ConcurrentAccountChanges", r.concurrentAccountChanges)
	t.Run("Network", r.network)
	t.Run("JobsOfCases", r.jobsOfCases)
	t.Run("LedgerRoundTrip", r.ledgerRoundTrip)
	t.Run("LedgerLarge", r.ledgerLarge)
	t.Run("LedgerSeqTaken", r.ledgerSeqTaken)
	t.Run("LedgerRace", r.ledgerRace)
	t.Run("LedgerUnlockedRace", r.ledgerUnlockedRace)
	t.Run("Payees", r.payees)
	t.Run("PaymentFiles", r.paymentFiles)
	t.Run("Queue", r.queue)
	t.Run("ReceiptFiles", r.receiptFiles)
	t.Run("Receipts", r.receipts)
	t.Run("ReceiptLines", r.receiptLines)
	t.Run("ReviewQueue", r.reviewQueue)
	t.Run("ConcurrentReceipts", r.concurrentReceipts)
	t.Run("Insurance", r.runInsurance)
}

type runner struct {
	s      store.Store
	prefix string
	n      atomic.Int64
}

func (r *runner) id(what string) string {
	return fmt.Sprintf("%s-%s-%d", r.prefix, what, r.n.Add(1))
}

// base is a fixed instant with microsecond precision, the precision every
// store keeps.
var base = time.Date(2026, 11, 21, 9, 30, 0, 123456000, time.UTC)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func update(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.Update(ctxT(t), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(store.Tx) error) {
	t.Helper()
	if err := s.View(ctxT(t), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// NewCase returns a valid case with the given id, created at the given time.
func NewCase(id string, at time.Time) store.Case {
	return store.Case{
		ID:       id,
		Status:   "open",
		Facts:    json.RawMessage(`{"market":"SE","event":{"kind":"breakdown"},"n":1}`),
		Intake:   json.RawMessage(`{"channel":"on_call","activation":"button"}`),
		Decision: json.RawMessage(`{"entitled":true}`),
		FactsNo:  1, DecisionNo: 1,
		TermsID: "assistance-se-2023",
		Summary: store.CaseSummary{Covered: true, Market: "SE", Language: "sv", EventKind: "breakdown", Country: "SE",
			VIN: "LPSVSEDEEML000001", Registration: "ABC 123", Place: "E6 vid Göteborg",
			MissingInformation: []string{"address", "email"}, OccurredAt: at.Add(-time.Hour)},
		Version:   1,
		CreatedAt: at,
		UpdatedAt: at,
	}
}

var actor = store.Actor{TokenID: "tok-op", Role: "operator"}

func (r *runner) insertCase(t *testing.T, at time.Time) store.Case {
	t.Helper()
	c := NewCase(r.id("case"), at)
	update(t, r.s, func(tx store.Tx) error { return tx.InsertCase(ctxT(t), c) })
	return c
}

func (r *runner) insertPartner(t *testing.T) store.Partner {
	t.Helper()
	p := store.Partner{ID: r.id("partner"), Name: "Bärgning Syd AB", WebhookURL: "https://partner.example/hook",
		Secret: []byte("rcwhs_secret"), CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPartner(ctxT(t), p) })
	return p
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

func jsonEq(a, b json.RawMessage) bool { return bytes.Equal(a, b) }

func sameCase(t *testing.T, got, want store.Case) {
	t.Helper()
	if got.ID != want.ID || got.Status != want.Status || got.TermsID != want.TermsID || got.Version != want.Version ||
		!jsonEq(got.Facts, want.Facts) || !jsonEq(got.Intake, want.Intake) || !jsonEq(got.Decision, want.Decision) ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatalf("case differs:\n got %+v\nwant %+v", got, want)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Fatalf("case %s: created_at in %v, want UTC", got.ID, got.CreatedAt.Location())
	}
	sameRow(t, got, want)
}

// sameRow compares what a list gives of a case: the row without documents.
func sameRow(t *testing.T, got, want store.Case) {
	t.Helper()
	g, w := got.Summary, want.Summary
	if got.FactsNo != want.FactsNo || got.DecisionNo != want.DecisionNo || g.Covered != w.Covered ||
		g.Market != w.Market || g.Language != w.Language || g.EventKind != w.EventKind || g.Country != w.Country ||
		g.VIN != w.VIN || g.Registration != w.Registration || g.Place != w.Place || g.Owner != w.Owner ||
		fmt.Sprint(g.MissingInformation) != fmt.Sprint(w.MissingInformation) || len(g.MissingInformation) != len(w.MissingInformation) ||
		!g.OccurredAt.Equal(w.OccurredAt) || got.ID != want.ID || got.Status != want.Status || got.Version != want.Version {
		t.Fatalf("case row differs:\n got %+v\nwant %+v", got, want)
	}
	if g.MissingInformation == nil {
		t.Fatalf("case %s: missing_information is nil, want a list", got.ID)
	}
}

func (r *runner) ping(t *testing.T) {
	if err := r.s.Ping(ctxT(t)); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if k := r.s.Kind(); k != "sqlite" && k != "postgres" {
		t.Fatalf("Kind = %q", k)
	}
}

func (r *runner) caseCRUD(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		sameCase(t, got, c)
		return nil
	})
	// A case without intake keeps a nil intake.
	bare := NewCase(r.id("case"), base)
	bare.Intake = nil
	update(t, r.s, func(tx store.Tx) error { return tx.InsertCase(ctx, bare) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, bare.ID)
		if err != nil {
			return err
		}
		if got.Intake != nil {
			t.Errorf("intake = %q, want nil", got.Intake)
		}
		return nil
	})
	// Same id again: conflict.
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertCase(ctx, c) })
	wantErr(t, "second InsertCase", err, store.ErrConflict)

	c2 := c
	c2.Version = 2
	c2.Status = "closed"
	c2.Facts = json.RawMessage(`{"market":"SE","event":{"kind":"accident"},"n":2}`)
	c2.Decision = json.RawMessage(`{"entitled":false}`)
	c2.FactsNo, c2.DecisionNo = 2, 2
	c2.Summary.Covered, c2.Summary.EventKind, c2.Summary.Owner = false, "accident", "op-anna"
	c2.Summary.MissingInformation = []string{}
	c2.UpdatedAt = base.Add(time.Minute)
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateCase(ctx, c2) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		sameCase(t, got, c2)
		// Earlier versions of the documents stay readable.
		for _, d := range []struct {
			kind string
			no   int64
			want json.RawMessage
		}{{store.DocFacts, 1, c.Facts}, {store.DocFacts, 2, c2.Facts}, {store.DocDecision, 1, c.Decision},
			{store.DocDecision, 2, c2.Decision}} {
			doc, err := tx.Document(ctx, c.ID, d.kind, d.no)
			if err != nil {
				return err
			}
			if !jsonEq(doc, d.want) {
				t.Errorf("%s %d = %s, want %s", d.kind, d.no, doc, d.want)
			}
		}
		_, err = tx.Document(ctx, c.ID, store.DocDecision, 3)
		wantErr(t, "Document of a version not stored", err, store.ErrNotFound)
		return nil
	})
	// A change that keeps the documents (a new owner) stores none: the
	// documents in the record are not read.
	c3 := c2
	c3.Version = 3
	c3.Summary.Owner = "op-ben"
	c3.Facts, c3.Decision = json.RawMessage(`{"ignored":true}`), nil
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateCase(ctx, c3) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		want := c3
		want.Facts, want.Decision = c2.Facts, c2.Decision
		sameCase(t, got, want)
		return nil
	})
	// Document numbers only move on by one, with the document.
	for _, bad := range []func(*store.Case){
		func(x *store.Case) { x.FactsNo = 4 },
		func(x *store.Case) { x.DecisionNo = 1 },
		func(x *store.Case) { x.DecisionNo, x.Decision = 3, nil },
	} {
		c4 := c3
		c4.Version = 4
		c4.Decision = json.RawMessage(`{"entitled":true}`)
		bad(&c4)
		if err := r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateCase(ctx, c4) }); err == nil {
			t.Errorf("UpdateCase with facts %d and decision %d (stored 2, 2) was accepted", c4.FactsNo, c4.DecisionNo)
		}
	}
}

func (r *runner) caseStale(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	for _, v := range []int64{1, 3, 0} {
		stale := c
		stale.Version = v
		err := r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateCase(ctx, stale) })
		wantErr(t, fmt.Sprintf("UpdateCase with version %d over 1", v), err, store.ErrStale)
	}
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		sameCase(t, got, c)
		return nil
	})
}

func (r *runner) caseNotFound(t *testing.T) {
	ctx := ctxT(t)
	missing := r.id("missing")
	err := r.s.View(ctx, func(tx store.Tx) error { _, err := tx.GetCase(ctx, missing); return err })
	wantErr(t, "GetCase", err, store.ErrNotFound)
	c := NewCase(missing, base)
	c.Version = 2
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateCase(ctx, c) })
	wantErr(t, "UpdateCase", err, store.ErrNotFound)
	err = r.s.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendEvent(ctx, store.Event{CaseID: missing, At: base, Actor: actor, Kind: "created"})
		return err
	})
	wantErr(t, "AppendEvent", err, store.ErrNotFound)
	err = r.s.View(ctx, func(tx store.Tx) error { _, err := tx.Events(ctx, missing); return err })
	wantErr(t, "Events", err, store.ErrNotFound)
	err = r.s.Update(ctx, func(tx store.Tx) error {
		return tx.InsertChoice(ctx, store.Choice{CaseID: missing, Group: "collection", Code: "x", At: base, Actor: actor})
	})
	wantErr(t, "InsertChoice", err, store.ErrNotFound)
	err = r.s.Update(ctx, func(tx store.Tx) error {
		return tx.InsertTrackingLink(ctx, store.TrackingLink{Hash: []byte(r.id("h")), CaseID: missing, ExpiresAt: base, CreatedAt: base})
	})
	wantErr(t, "InsertTrackingLink", err, store.ErrNotFound)
	err = r.s.View(ctx, func(tx store.Tx) error { _, err := tx.GetJob(ctx, missing); return err })
	wantErr(t, "GetJob", err, store.ErrNotFound)
	err = r.s.View(ctx, func(tx store.Tx) error { _, err := tx.GetPartner(ctx, missing); return err })
	wantErr(t, "GetPartner", err, store.ErrNotFound)
	err = r.s.View(ctx, func(tx store.Tx) error { _, err := tx.ListCases(ctx, store.CaseFilter{After: missing}); return err })
	wantErr(t, "ListCases after an unknown id", err, store.ErrNotFound)
}

// errBoom is returned by fn to force a rollback.
var errBoom = errors.New("storetest: boom")

func (r *runner) rollback(t *testing.T) {
	ctx := ctxT(t)
	kept := r.insertCase(t, base)
	p := r.insertPartner(t)
	gone := NewCase(r.id("case"), base)
	err := r.s.Update(ctx, func(tx store.Tx) error {
		if err := tx.InsertCase(ctx, gone); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, store.Event{CaseID: gone.ID, At: base, Actor: actor, Kind: "created"}); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(ctx, store.Event{CaseID: kept.ID, At: base, Actor: actor, Kind: "facts_patched"}); err != nil {
			return err
		}
		k2 := kept
		k2.Version = 2
		if err := tx.UpdateCase(ctx, k2); err != nil {
			return err
		}
		if err := tx.InsertChoice(ctx, store.Choice{CaseID: kept.ID, Group: "collection", Code: "taxi", At: base, Actor: actor}); err != nil {
			return err
		}
		if err := tx.InsertJob(ctx, store.Job{ID: r.id("job"), CaseID: kept.ID, Kind: "tow", Partner: p.ID, Status: "BOOKED", Version: 1, CreatedAt: base, UpdatedAt: base}); err != nil {
			return err
		}
		if err := tx.InsertIdempotency(ctx, store.Idempotency{TokenID: "tok-rb", Key: gone.ID, Method: "POST", Path: "/v1/cases", Status: 201, CreatedAt: base}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	view(t, r.s, func(tx store.Tx) error {
		if _, err := tx.GetCase(ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back case: %v, want not found", err)
		}
		got, err := tx.GetCase(ctx, kept.ID)
		if err != nil {
			return err
		}
		sameCase(t, got, kept)
		evs, err := tx.Events(ctx, kept.ID)
		if err != nil {
			return err
		}
		if len(evs) != 0 {
			t.Errorf("rolled-back events visible: %+v", evs)
		}
		chs, err := tx.Choices(ctx, kept.ID)
		if err != nil {
			return err
		}
		if len(chs) != 0 {
			t.Errorf("rolled-back choices visible: %+v", chs)
		}
		jobs, err := tx.ListJobs(ctx, store.JobFilter{CaseID: kept.ID})
		if err != nil {
			return err
		}
		if len(jobs) != 0 {
			t.Errorf("rolled-back jobs visible: %+v", jobs)
		}
		if _, err := tx.GetIdempotency(ctx, "tok-rb", gone.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back idempotency record: %v, want not found", err)
		}
		return nil
	})
	// The sequence was rolled back too: the next event is 1.
	update(t, r.s, func(tx store.Tx) error {
		seq, err := tx.AppendEvent(ctx, store.Event{CaseID: kept.ID, At: base, Actor: actor, Kind: "created"})
		if err == nil && seq != 1 {
			t.Errorf("first committed event has seq %d, want 1", seq)
		}
		return err
	})
	// A panic in fn rolls back and propagates.
	panicked := NewCase(r.id("case"), base)
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("panic in fn did not propagate")
			}
		}()
		r.s.Update(ctx, func(tx store.Tx) error {
			if err := tx.InsertCase(ctx, panicked); err != nil {
				return err
			}
			panic("storetest: panic inside Update")
		})
	}()
	view(t, r.s, func(tx store.Tx) error {
		if _, err := tx.GetCase(ctx, panicked.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("case of a panicked Update: %v, want not found", err)
		}
		return nil
	})
	// The store still works after the panic.
	r.insertCase(t, base)
}

// concurrentCaseUpdate: writers that all read version 1 and write version 2;
// exactly one wins, the others get ErrStale.
func (r *runner) concurrentCaseUpdate(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	oneWins(t, 8, func(i int) error {
		return r.s.Update(ctx, func(tx store.Tx) error {
			next := c
			next.Version = 2
			next.FactsNo = 2
			next.Facts = json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))
			if err := tx.UpdateCase(ctx, next); err != nil {
				return err
			}
			_, err := tx.AppendEvent(ctx, store.Event{CaseID: c.ID, At: base, Actor: actor, Kind: "facts_patched",
				Data: json.RawMessage(fmt.Sprintf(`{"writer":%d}`, i))})
			return err
		})
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		evs, err := tx.Events(ctx, c.ID)
		if err != nil {
			return err
		}
		if got.Version != 2 || len(evs) != 1 || !jsonEq(evs[0].Data, got.Facts) {
			t.Fatalf("after the race: version %d, events %+v, facts %s", got.Version, evs, got.Facts)
		}
		return nil
	})
}

func (r *runner) events(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	other := r.insertCase(t, base)
	kinds := []string{"created", "decided", "choice_made", "job_created", "closed"}
	for i, k := range kinds {
		update(t, r.s, func(tx store.Tx) error {
			seq, err := tx.AppendEvent(ctx, store.Event{CaseID: c.ID, Seq: 99, At: base.Add(time.Duration(i) * time.Second),
				Actor: store.Actor{TokenID: "tok-p", Role: "partner", Partner: "P1"}, Kind: k,
				Data: json.RawMessage(fmt.Sprintf(`{"i": %d}`, i))})
			if err == nil && seq != int64(i+1) {
				t.Errorf("event %d got seq %d, want %d (a given Seq must be ignored)", i, seq, i+1)
			}
			return err
		})
	}
	// Two events in one transaction take consecutive numbers; the other case counts on its own.
	update(t, r.s, func(tx store.Tx) error {
		for want := int64(1); want <= 2; want++ {
			seq, err := tx.AppendEvent(ctx, store.Event{CaseID: other.ID, At: base, Actor: actor, Kind: "created"})
			if err != nil {
				return err
			}
			if seq != want {
				t.Errorf("other case: seq %d, want %d", seq, want)
			}
		}
		seq, err := tx.AppendEvent(ctx, store.Event{CaseID: c.ID, At: base.Add(time.Hour), Actor: actor, Kind: "reopened"})
		if err == nil && seq != 6 {
			t.Errorf("seq %d, want 6", seq)
		}
		return err
	})
	// Updating the case does not touch its events.
	c2 := c
	c2.Version = 2
	c2.Status = "closed"
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateCase(ctx, c2) })
	fresh := r.insertCase(t, base)
	view(t, r.s, func(tx store.Tx) error {
		evs, err := tx.Events(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(evs) != 6 {
			t.Fatalf("%d events, want 6", len(evs))
		}
		for i, e := range evs {
			if e.Seq != int64(i+1) || e.CaseID != c.ID {
				t.Errorf("event %d: seq %d case %s", i, e.Seq, e.CaseID)
			}
			if i < len(kinds) {
				if e.Kind != kinds[i] || !e.At.Equal(base.Add(time.Duration(i)*time.Second)) ||
					e.Actor != (store.Actor{TokenID: "tok-p", Role: "partner", Partner: "P1"}) ||
					string(e.Data) != fmt.Sprintf(`{"i": %d}`, i) {
					t.Errorf("event %d stored as %+v (data %s)", i, e, e.Data)
				}
			}
		}
		if evs[5].Kind != "reopened" || evs[5].Data != nil {
			t.Errorf("last event %+v, want reopened with nil data", evs[5])
		}
		none, err := tx.Events(ctx, fresh.ID)
		if err != nil {
			return err
		}
		if len(none) != 0 {
			t.Errorf("new case has events %+v", none)
		}
		return nil
	})
}

// concurrentEvents: writers appending to one case get distinct, gapless seqs.
func (r *runner) concurrentEvents(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	const writers, each = 6, 10
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				var seq int64
				err := r.s.Update(ctx, func(tx store.Tx) error {
					var err error
					seq, err = tx.AppendEvent(ctx, store.Event{CaseID: c.ID, At: base, Actor: actor, Kind: "facts_patched",
						Data: json.RawMessage(fmt.Sprintf(`{"w":%d,"i":%d}`, w, i))})
					return err
				})
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				if seen[seq] {
					t.Errorf("seq %d handed out twice", seq)
				}
				seen[seq] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	view(t, r.s, func(tx store.Tx) error {
		evs, err := tx.Events(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(evs) != writers*each {
			t.Fatalf("%d events, want %d", len(evs), writers*each)
		}
		for i, e := range evs {
			if e.Seq != int64(i+1) {
				t.Fatalf("event %d has seq %d: not gapless and ordered", i, e.Seq)
			}
		}
		return nil
	})
}

func (r *runner) choices(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	a := store.Choice{CaseID: c.ID, Group: "further_assistance", Code: "hotel", At: base, Actor: actor}
	b := store.Choice{CaseID: c.ID, Group: "collection", Code: "taxi", At: base.Add(time.Second), Actor: store.Actor{TokenID: "t2", Role: "admin"}}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertChoice(ctx, a); err != nil {
			return err
		}
		return tx.InsertChoice(ctx, b)
	})
	second := a
	second.Code = "rental_car"
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertChoice(ctx, second) })
	wantErr(t, "second choice in a group", err, store.ErrConflict)
	// The same group on another case is fine.
	other := r.insertCase(t, base)
	update(t, r.s, func(tx store.Tx) error {
		ch := a
		ch.CaseID = other.ID
		return tx.InsertChoice(ctx, ch)
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.Choices(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(got) != 2 {
			t.Fatalf("choices %+v, want 2", got)
		}
		for i, want := range []store.Choice{a, b} {
			g := got[i]
			if g.CaseID != want.CaseID || g.Group != want.Group || g.Code != want.Code || !g.At.Equal(want.At) || g.Actor != want.Actor {
				t.Errorf("choice %d = %+v, want %+v", i, g, want)
			}
		}
		none, err := tx.Choices(ctx, r.id("nocase"))
		if err != nil || len(none) != 0 {
			t.Errorf("choices of an unknown case: %v %v", none, err)
		}
		return nil
	})
}

// concurrentChoices: many writers choose in one group; exactly one wins.
func (r *runner) concurrentChoices(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	const writers = 8
	var wins, conflicts atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := r.s.Update(ctx, func(tx store.Tx) error {
				chs, err := tx.Choices(ctx, c.ID)
				if err != nil {
					return err
				}
				if len(chs) > 0 {
					return fmt.Errorf("storetest: group taken: %w", store.ErrConflict)
				}
				if err := tx.InsertChoice(ctx, store.Choice{CaseID: c.ID, Group: "repatriation_alternative",
					Code: fmt.Sprintf("code-%d", i), At: base, Actor: actor}); err != nil {
					return err
				}
				_, err = tx.AppendEvent(ctx, store.Event{CaseID: c.ID, At: base, Actor: actor, Kind: "choice_made"})
				return err
			})
			switch {
			case err == nil:
				wins.Add(1)
			case errors.Is(err, store.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != writers-1 {
		t.Fatalf("%d wins, %d conflicts; want 1 and %d", wins.Load(), conflicts.Load(), writers-1)
	}
	view(t, r.s, func(tx store.Tx) error {
		chs, err := tx.Choices(ctx, c.ID)
		if err != nil {
			return err
		}
		evs, err := tx.Events(ctx, c.ID)
		if err != nil {
			return err
		}
		if len(chs) != 1 || len(evs) != 1 {
			t.Fatalf("%d choices and %d events after the race, want 1 and 1", len(chs), len(evs))
		}
		return nil
	})
}

func (r *runner) listCases(t *testing.T) {
	ctx := ctxT(t)
	// Cases created far in the future of every other subtest, so they lead
	// the list: six open, two closed, two with the same instant.
	far := time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.n.Add(1)) * time.Hour)
	var ids []string // newest first
	for i := range 8 {
		at := far.Add(time.Duration(i) * time.Minute)
		if i == 7 {
			at = far.Add(6 * time.Minute) // same instant as case 6: ordered by id
		}
		c := NewCase(fmt.Sprintf("%s-list-%02d", r.prefix, i), at)
		if i == 2 || i == 5 {
			c.Status = "closed"
		}
		update(t, r.s, func(tx store.Tx) error { return tx.InsertCase(ctx, c) })
		ids = append([]string{c.ID}, ids...)
	}
	// ids newest first: 07, 06 (same instant, larger id first), 05, ... 00
	view(t, r.s, func(tx store.Tx) error {
		var got []string
		after := ""
		for page := 0; page < 4; page++ {
			cs, err := tx.ListCases(ctx, store.CaseFilter{After: after, Limit: 3})
			if err != nil {
				return err
			}
			if len(cs) == 0 || len(cs) > 3 {
				t.Fatalf("page %d has %d cases, want 1 to 3", page, len(cs))
			}
			for _, c := range cs {
				got = append(got, c.ID)
			}
			after = cs[len(cs)-1].ID
			if len(got) >= len(ids) {
				break
			}
		}
		for i, id := range ids {
			if got[i] != id {
				t.Fatalf("paged order %v, want %v first", got, ids)
			}
		}
		open, err := tx.ListCases(ctx, store.CaseFilter{Status: "open", Limit: 4})
		if err != nil {
			return err
		}
		var openIDs []string
		for _, c := range open {
			if c.Status != "open" {
				t.Errorf("status filter let %s (%s) through", c.ID, c.Status)
			}
			openIDs = append(openIDs, c.ID)
		}
		want := []string{ids[0], ids[1], ids[3], ids[4]} // 07 06 04 03
		if fmt.Sprint(openIDs) != fmt.Sprint(want) {
			t.Errorf("open cases %v, want %v", openIDs, want)
		}
		next, err := tx.ListCases(ctx, store.CaseFilter{Status: "closed", After: ids[1], Limit: 10})
		if err != nil {
			return err
		}
		if len(next) < 2 || next[0].ID != ids[2] || next[1].ID != ids[5] {
			t.Errorf("closed cases after %s: %v", ids[1], next)
		}
		all, err := tx.ListCases(ctx, store.CaseFilter{})
		if err != nil {
			return err
		}
		if len(all) == 0 || all[0].ID != ids[0] {
			t.Errorf("default limit list starts with %v", all)
		}
		// A list gives the row with its summary, and no document.
		wantRow := NewCase(ids[0], far.Add(6*time.Minute))
		sameRow(t, all[0], wantRow)
		if all[0].Facts != nil || all[0].Decision != nil {
			t.Errorf("a listed case carries documents: %s, %s", all[0].Facts, all[0].Decision)
		}
		return nil
	})
	// The open cases of one car.
	vin := fmt.Sprintf("VIN%014d", r.n.Add(1))
	for i, status := range []string{"open", "closed", "open"} {
		c := NewCase(fmt.Sprintf("%s-vin-%02d", r.prefix, i), far.Add(time.Duration(i)*time.Second))
		c.Summary.VIN, c.Status = vin, status
		update(t, r.s, func(tx store.Tx) error { return tx.InsertCase(ctx, c) })
	}
	view(t, r.s, func(tx store.Tx) error {
		cs, err := tx.ListCases(ctx, store.CaseFilter{VIN: vin, Status: "open"})
		if err != nil {
			return err
		}
		if len(cs) != 2 || cs[0].Summary.VIN != vin || cs[1].Summary.VIN != vin {
			t.Errorf("open cases of %s: %+v", vin, cs)
		}
		return nil
	})
}

func (r *runner) jobs(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	c2 := r.insertCase(t, base)
	p := r.insertPartner(t)
	q := r.insertPartner(t)
	eta := base.Add(45 * time.Minute)
	j := store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "tow", Partner: p.ID, Status: "BOOKED", ETA: &eta,
		Destination: json.RawMessage(`{"workshop":"Polestar Göteborg"}`), Version: 1, CreatedAt: base, UpdatedAt: base}
	j2 := store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "roadside", Partner: q.ID, Status: "BOOKED", Version: 1,
		CreatedAt: base.Add(time.Second), UpdatedAt: base.Add(time.Second)}
	j3 := store.Job{ID: r.id("job"), CaseID: c2.ID, Kind: "tow", Partner: p.ID, Status: "BOOKED", Version: 1,
		CreatedAt: base.Add(2 * time.Second), UpdatedAt: base.Add(2 * time.Second)}
	update(t, r.s, func(tx store.Tx) error {
		for _, x := range []store.Job{j, j2, j3} {
			if err := tx.InsertJob(ctx, x); err != nil {
				return err
			}
		}
		return nil
	})
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertJob(ctx, j) })
	wantErr(t, "second InsertJob", err, store.ErrConflict)
	bad := j
	bad.ID, bad.Partner = r.id("job"), r.id("nopartner")
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertJob(ctx, bad) })
	wantErr(t, "InsertJob for an unknown partner", err, store.ErrNotFound)
	bad.Partner, bad.CaseID = p.ID, r.id("nocase")
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertJob(ctx, bad) })
	wantErr(t, "InsertJob for an unknown case", err, store.ErrNotFound)

	sameJob := func(got, want store.Job) {
		t.Helper()
		etaEq := (got.ETA == nil) == (want.ETA == nil) && (got.ETA == nil || got.ETA.Equal(*want.ETA))
		if got.ID != want.ID || got.CaseID != want.CaseID || got.Kind != want.Kind || got.Partner != want.Partner ||
			got.Status != want.Status || got.Failure != want.Failure || !etaEq || !jsonEq(got.Destination, want.Destination) ||
			got.Version != want.Version || !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
			t.Fatalf("job differs:\n got %+v\nwant %+v", got, want)
		}
	}
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetJob(ctx, j.ID)
		if err != nil {
			return err
		}
		sameJob(got, j)
		ids := func(js []store.Job) string {
			var s []string
			for _, x := range js {
				s = append(s, x.ID)
			}
			return fmt.Sprint(s)
		}
		byCase, err := tx.ListJobs(ctx, store.JobFilter{CaseID: c.ID})
		if err != nil {
			return err
		}
		if ids(byCase) != fmt.Sprint([]string{j.ID, j2.ID}) {
			t.Errorf("jobs of case: %s", ids(byCase))
		}
		byPartner, err := tx.ListJobs(ctx, store.JobFilter{Partner: p.ID})
		if err != nil {
			return err
		}
		if ids(byPartner) != fmt.Sprint([]string{j.ID, j3.ID}) {
			t.Errorf("jobs of partner: %s", ids(byPartner))
		}
		both, err := tx.ListJobs(ctx, store.JobFilter{Partner: q.ID, CaseID: c2.ID})
		if err != nil {
			return err
		}
		if len(both) != 0 {
			t.Errorf("jobs of partner q on case 2: %s", ids(both))
		}
		all, err := tx.ListJobs(ctx, store.JobFilter{})
		if err != nil {
			return err
		}
		if len(all) < 3 {
			t.Errorf("all jobs: %d", len(all))
		}
		// Pages of one job each walk the partner's jobs in order, and a
		// status narrows before the limit.
		var walked []store.Job
		for after := ""; ; {
			page, err := tx.ListJobs(ctx, store.JobFilter{Partner: p.ID, After: after, Limit: 1})
			if err != nil {
				return err
			}
			if len(page) == 0 {
				break
			}
			if len(page) > 1 {
				t.Fatalf("a page of limit 1 holds %d jobs", len(page))
			}
			walked = append(walked, page...)
			after = page[0].ID
		}
		if ids(walked) != ids(byPartner) {
			t.Errorf("paged jobs of partner %s, want %s", ids(walked), ids(byPartner))
		}
		if gone, err := tx.ListJobs(ctx, store.JobFilter{After: "no-such-job"}); err != nil || len(gone) != 0 {
			t.Errorf("after an unknown job: %d jobs, %v", len(gone), err)
		}
		booked, err := tx.ListJobs(ctx, store.JobFilter{Status: all[0].Status, Limit: 1000})
		if err != nil {
			return err
		}
		for _, b := range booked {
			if b.Status != all[0].Status {
				t.Errorf("status filter %s gave a job %s", all[0].Status, b.Status)
			}
		}
		if len(booked) == 0 {
			t.Errorf("no job of status %s", all[0].Status)
		}
		return nil
	})
	moved := j
	moved.Version, moved.Status, moved.ETA, moved.UpdatedAt = 2, "EN_ROUTE", nil, base.Add(time.Minute)
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateJob(ctx, moved) })
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateJob(ctx, moved) })
	wantErr(t, "UpdateJob with a used version", err, store.ErrStale)
	failed := moved
	failed.Version, failed.Status, failed.Failure = 3, "FAILED", "gone_on_arrival"
	update(t, r.s, func(tx store.Tx) error { return tx.UpdateJob(ctx, failed) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetJob(ctx, j.ID)
		if err != nil {
			return err
		}
		sameJob(got, failed)
		return nil
	})
	ghost := j
	ghost.ID, ghost.Version = r.id("nojob"), 2
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateJob(ctx, ghost) })
	wantErr(t, "UpdateJob of an unknown job", err, store.ErrNotFound)
}

func (r *runner) partners(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPartner(t)
	quiet := store.Partner{ID: r.id("partner"), Name: "No Hook", Secret: []byte{1, 2, 3}, CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPartner(ctx, quiet) })
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertPartner(ctx, p) })
	wantErr(t, "second InsertPartner", err, store.ErrConflict)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetPartner(ctx, p.ID)
		if err != nil {
			return err
		}
		if got.ID != p.ID || got.Name != p.Name || got.WebhookURL != p.WebhookURL || !bytes.Equal(got.Secret, p.Secret) || !got.CreatedAt.Equal(p.CreatedAt) {
			t.Errorf("partner %+v, want %+v", got, p)
		}
		all, err := tx.ListPartners(ctx)
		if err != nil {
			return err
		}
		found := 0
		for i, x := range all {
			if i > 0 && all[i-1].ID >= x.ID {
				t.Errorf("partners not ordered by id: %s before %s", all[i-1].ID, x.ID)
			}
			if x.ID == p.ID || (x.ID == quiet.ID && x.WebhookURL == "" && bytes.Equal(x.Secret, quiet.Secret)) {
				found++
			}
		}
		if found != 2 {
			t.Errorf("ListPartners found %d of 2: %+v", found, all)
		}
		return nil
	})
}

func (r *runner) tokens(t *testing.T) {
	ctx := ctxT(t)
	p := r.insertPartner(t)
	admin := store.Token{ID: r.id("tok"), Hash: []byte(r.id("hash-admin")), Role: "admin", Label: "ops laptop", CreatedAt: base}
	part := store.Token{ID: r.id("tok"), Hash: []byte(r.id("hash-partner")), Role: "partner", Partner: p.ID, CreatedAt: base.Add(time.Second)}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertToken(ctx, admin); err != nil {
			return err
		}
		return tx.InsertToken(ctx, part)
	})
	dupHash := store.Token{ID: r.id("tok"), Hash: admin.Hash, Role: "operator", CreatedAt: base}
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertToken(ctx, dupHash) })
	wantErr(t, "token with a used hash", err, store.ErrConflict)
	dupID := store.Token{ID: admin.ID, Hash: []byte(r.id("hash")), Role: "operator", CreatedAt: base}
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertToken(ctx, dupID) })
	wantErr(t, "token with a used id", err, store.ErrConflict)
	orphan := store.Token{ID: r.id("tok"), Hash: []byte(r.id("hash")), Role: "partner", Partner: r.id("nopartner"), CreatedAt: base}
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertToken(ctx, orphan) })
	wantErr(t, "token of an unknown partner", err, store.ErrNotFound)

	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.TokenByHash(ctx, part.Hash)
		if err != nil {
			return err
		}
		if got.ID != part.ID || got.Role != "partner" || got.Partner != p.ID || got.Revoked || !bytes.Equal(got.Hash, part.Hash) || !got.CreatedAt.Equal(part.CreatedAt) {
			t.Errorf("TokenByHash = %+v, want %+v", got, part)
		}
		got, err = tx.TokenByHash(ctx, admin.Hash)
		if err != nil {
			return err
		}
		if got.ID != admin.ID || got.Partner != "" || got.Label != "ops laptop" {
			t.Errorf("TokenByHash = %+v, want %+v", got, admin)
		}
		if _, err := tx.TokenByHash(ctx, []byte("no such hash")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown hash: %v", err)
		}
		return nil
	})
	update(t, r.s, func(tx store.Tx) error { return tx.RevokeToken(ctx, admin.ID) })
	update(t, r.s, func(tx store.Tx) error { return tx.RevokeToken(ctx, admin.ID) }) // twice is fine
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.RevokeToken(ctx, r.id("notok")) })
	wantErr(t, "RevokeToken of an unknown id", err, store.ErrNotFound)
	view(t, r.s, func(tx store.Tx) error {
		if _, err := tx.TokenByHash(ctx, admin.Hash); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token still found by hash: %v", err)
		}
		all, err := tx.ListTokens(ctx)
		if err != nil {
			return err
		}
		var sawAdmin, sawPart bool
		for _, x := range all {
			switch x.ID {
			case admin.ID:
				sawAdmin = x.Revoked
			case part.ID:
				sawPart = !x.Revoked && x.Partner == p.ID
			}
		}
		if !sawAdmin || !sawPart {
			t.Errorf("ListTokens: revoked admin listed %v, partner listed %v", sawAdmin, sawPart)
		}
		return nil
	})
}

func (r *runner) trackingLinks(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	l := store.TrackingLink{Hash: []byte(r.id("link")), CaseID: c.ID, ExpiresAt: base.Add(48 * time.Hour), CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertTrackingLink(ctx, l) })
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertTrackingLink(ctx, l) })
	wantErr(t, "second tracking link with one hash", err, store.ErrConflict)
	expired := store.TrackingLink{Hash: []byte(r.id("link")), CaseID: c.ID, ExpiresAt: base.Add(-time.Hour), CreatedAt: base.Add(-49 * time.Hour)}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertTrackingLink(ctx, expired) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.TrackingLinkByHash(ctx, l.Hash)
		if err != nil {
			return err
		}
		if got.CaseID != c.ID || !bytes.Equal(got.Hash, l.Hash) || !got.ExpiresAt.Equal(l.ExpiresAt) || !got.CreatedAt.Equal(l.CreatedAt) {
			t.Errorf("link %+v, want %+v", got, l)
		}
		old, err := tx.TrackingLinkByHash(ctx, expired.Hash)
		if err != nil {
			return err
		}
		if !old.ExpiresAt.Equal(expired.ExpiresAt) {
			t.Errorf("expired link %+v", old)
		}
		if _, err := tx.TrackingLinkByHash(ctx, []byte("nope")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown link: %v", err)
		}
		return nil
	})
}

func (r *runner) idempotency(t *testing.T) {
	ctx := ctxT(t)
	tok := r.id("tok")
	rec := store.Idempotency{TokenID: tok, Key: "key-1", Method: "POST", Path: "/v1/cases", BodyHash: []byte{0xde, 0xad},
		Status: 201, Header: []byte(`{"Location":"/v1/cases/c1","ETag":"\"1\""}`), Response: []byte(`{"id":"c1"}`), CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, rec) })
	again := rec
	again.BodyHash = []byte{1}
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, again) })
	wantErr(t, "second record with one key", err, store.ErrConflict)
	otherTok := rec
	otherTok.TokenID = r.id("tok")
	old := rec
	old.Key, old.CreatedAt = "key-old", base.Add(-25*time.Hour)
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertIdempotency(ctx, otherTok); err != nil {
			return err
		}
		return tx.InsertIdempotency(ctx, old)
	})
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetIdempotency(ctx, tok, "key-1")
		if err != nil {
			return err
		}
		if got.TokenID != tok || got.Key != "key-1" || got.Method != "POST" || got.Path != "/v1/cases" || got.Status != 201 ||
			!bytes.Equal(got.BodyHash, rec.BodyHash) || !bytes.Equal(got.Header, rec.Header) || !bytes.Equal(got.Response, rec.Response) ||
			!got.CreatedAt.Equal(base) {
			t.Errorf("record %+v, want %+v", got, rec)
		}
		if _, err := tx.GetIdempotency(ctx, tok, "key-2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown key: %v", err)
		}
		return nil
	})
	var pruned int64
	update(t, r.s, func(tx store.Tx) error {
		var err error
		pruned, err = tx.PruneIdempotency(ctx, base.Add(-24*time.Hour))
		return err
	})
	if pruned < 1 {
		t.Errorf("pruned %d records, want at least the 25-hour-old one", pruned)
	}
	view(t, r.s, func(tx store.Tx) error {
		if _, err := tx.GetIdempotency(ctx, tok, "key-old"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("pruned record: %v", err)
		}
		if _, err := tx.GetIdempotency(ctx, tok, "key-1"); err != nil {
			t.Errorf("record younger than the cutoff was pruned: %v", err)
		}
		return nil
	})
}

func (r *runner) deliveries(t *testing.T) {
	ctx := ctxT(t)
	c := r.insertCase(t, base)
	p := r.insertPartner(t)
	j := store.Job{ID: r.id("job"), CaseID: c.ID, Kind: "tow", Partner: p.ID, Status: "BOOKED", Version: 1, CreatedAt: base, UpdatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertJob(ctx, j) })
	// Times far in the past, as an outbox of old deliveries would hold.
	past := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.n.Add(1)) * 24 * time.Hour)
	mk := func(ev string, next time.Time, status string) store.Delivery {
		return store.Delivery{Partner: p.ID, JobID: j.ID, Event: ev, Payload: []byte(`{"event":"` + ev + `"}`),
			Status: status, NextAt: next, CreatedAt: base, UpdatedAt: base}
	}
	ds := []store.Delivery{
		mk("job.created", past.Add(2*time.Minute), "pending"),
		mk("job.updated", past.Add(time.Minute), "pending"),
		mk("job.updated", past.Add(time.Minute), "pending"), // same time: by id
		mk("job.updated", past, "delivered"),
		mk("job.updated", past.Add(time.Hour), "pending"), // not yet due
	}
	var ids []int64
	update(t, r.s, func(tx store.Tx) error {
		for _, d := range ds {
			id, err := tx.InsertDelivery(ctx, d)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("delivery ids not increasing: %v", ids)
		}
	}
	err := r.s.Update(ctx, func(tx store.Tx) error {
		d := mk("job.created", past, "pending")
		d.Partner = r.id("nopartner")
		_, err := tx.InsertDelivery(ctx, d)
		return err
	})
	wantErr(t, "delivery to an unknown partner", err, store.ErrNotFound)
	now := past.Add(30 * time.Minute)
	view(t, r.s, func(tx store.Tx) error {
		d, err := tx.GetDelivery(ctx, ids[0])
		if err != nil {
			return err
		}
		if d.ID != ids[0] || d.Partner != p.ID || d.JobID != j.ID || d.Event != "job.created" || string(d.Payload) != `{"event":"job.created"}` ||
			d.Status != "pending" || d.Attempts != 0 || !d.NextAt.Equal(ds[0].NextAt) || !d.CreatedAt.Equal(base) {
			t.Errorf("delivery %+v", d)
		}
		_, err = tx.GetDelivery(ctx, ids[len(ids)-1]+1000000)
		wantErr(t, "GetDelivery of an unknown id", err, store.ErrNotFound)
		return nil
	})
	// A failed attempt moves it later; a delivered one is done.
	first := ds[1]
	first.ID, first.Attempts, first.NextAt, first.LastError, first.UpdatedAt = ids[1], 1, now.Add(time.Hour), "503 from partner", now
	second := ds[2]
	second.ID, second.Attempts, second.Status, second.UpdatedAt = ids[2], 1, "delivered", now
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.UpdateDelivery(ctx, first); err != nil {
			return err
		}
		return tx.UpdateDelivery(ctx, second)
	})
	ghost := first
	ghost.ID = ids[len(ids)-1] + 1000000
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.UpdateDelivery(ctx, ghost) })
	wantErr(t, "UpdateDelivery of an unknown id", err, store.ErrNotFound)
	view(t, r.s, func(tx store.Tx) error {
		log, err := tx.ListDeliveries(ctx, j.ID)
		if err != nil {
			return err
		}
		if len(log) != len(ds) {
			t.Fatalf("delivery log has %d entries, want %d", len(log), len(ds))
		}
		for i, d := range log {
			if d.ID != ids[i] {
				t.Errorf("log entry %d has id %d, want %d", i, d.ID, ids[i])
			}
		}
		if log[1].Attempts != 1 || log[1].LastError != "503 from partner" || !log[1].NextAt.Equal(now.Add(time.Hour)) {
			t.Errorf("updated delivery %+v", log[1])
		}
		if log[2].Status != "delivered" {
			t.Errorf("delivered delivery %+v", log[2])
		}
		return nil
	})
}

func (r *runner) viewReadOnly(t *testing.T) {
	ctx := ctxT(t)
	c := NewCase(r.id("case"), base)
	err := r.s.View(ctx, func(tx store.Tx) error { return tx.InsertCase(ctx, c) })
	if err == nil {
		t.Fatalf("InsertCase inside View succeeded")
	}
	err = r.s.View(ctx, func(tx store.Tx) error { _, err := tx.GetCase(ctx, c.ID); return err })
	wantErr(t, "case written in a View", err, store.ErrNotFound)
	// fn's error comes back from View unchanged.
	if err := r.s.View(ctx, func(store.Tx) error { return errBoom }); !errors.Is(err, errBoom) {
		t.Fatalf("View returned %v, want fn's error", err)
	}
}

// cancelled: an Update whose context is already done writes nothing.
func (r *runner) cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(ctxT(t))
	cancel()
	c := NewCase(r.id("case"), base)
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertCase(ctx, c) })
	if err == nil {
		t.Fatalf("Update with a cancelled context succeeded")
	}
	view(t, r.s, func(tx store.Tx) error {
		if _, err := tx.GetCase(ctxT(t), c.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("case of a cancelled Update: %v, want not found", err)
		}
		return nil
	})
}

// Immutable checks that the schema itself refuses to edit or delete events:
// exec runs one SQL statement outside the store's API (ExecRaw).
func Immutable(t *testing.T, s store.Store, exec func(ctx context.Context, stmt string) error) {
	ctx := ctxT(t)
	id := fmt.Sprintf("imm-%d", time.Now().UnixNano())
	c := NewCase(id, base)
	update(t, s, func(tx store.Tx) error {
		if err := tx.InsertCase(ctx, c); err != nil {
			return err
		}
		_, err := tx.AppendEvent(ctx, store.Event{CaseID: id, At: base, Actor: actor, Kind: "created", Data: json.RawMessage(`{"a":1}`)})
		return err
	})
	for _, stmt := range []string{
		"UPDATE events SET kind = 'closed' WHERE case_id = '" + id + "'",
		"UPDATE events SET data = NULL",
		"DELETE FROM events WHERE case_id = '" + id + "'",
		"DELETE FROM events",
	} {
		if err := exec(ctx, stmt); err == nil {
			t.Errorf("%s: accepted", stmt)
		}
	}
	view(t, s, func(tx store.Tx) error {
		evs, err := tx.Events(ctx, id)
		if err != nil {
			return err
		}
		if len(evs) != 1 || evs[0].Kind != "created" || string(evs[0].Data) != `{"a":1}` {
			t.Errorf("event changed: %+v", evs)
		}
		return nil
	})
	ledgerImmutable(t, s, exec)
}

// oneWins starts writers writes at once, write(i) for each i; exactly one
// must succeed and the others get ErrStale. It returns the one that won.
func oneWins(t *testing.T, writers int, write func(i int) error) int {
	t.Helper()
	var wins, stale, winner atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			switch err := write(i); {
			case err == nil:
				wins.Add(1)
				winner.Store(int64(i))
			case errors.Is(err, store.ErrStale):
				stale.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins.Load() != 1 || stale.Load() != int64(writers-1) {
		t.Fatalf("%d wins and %d stale, want 1 and %d", wins.Load(), stale.Load(), writers-1)
	}
	return int(winner.Load())
}
