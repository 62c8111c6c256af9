package payments_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/sqlite"
	"roadcover/store"
)

// run drives the service with random operations on a real store, reopens
// the store (and starts a new service) now and then, and rolls some
// operations back; after each step the persisted journal must replay to
// the ledger the service works on, balance, and never hold two payments of
// one payable.
type run struct {
	t      *rapid.T
	path   string
	st     *storeHandle
	svc    *payments.Service
	clk    *clock
	people []store.Actor
	n      int
}

type storeHandle struct{ store.Store }

// openStoreNoCleanup opens the run's file; syncing is off, since what is
// tested here is what a store gives back, not that it survives a crash.
func openStoreNoCleanup(path string) (store.Store, error) {
	return sqlite.OpenWith(context.Background(), path, sqlite.Options{Synchronous: "OFF"})
}

func (r *run) open() {
	st, err := openStoreNoCleanup(r.path)
	if err != nil {
		r.t.Fatal(err)
	}
	r.st = &storeHandle{st}
	r.svc = payments.New(config, r.clk.Now)
}

func (r *run) reopen() {
	if err := r.st.Close(); err != nil {
		r.t.Fatal(err)
	}
	r.open()
}

// do runs op in an Update; with rollback it fails the Update afterwards.
// A refusal by the rules is fine; any other error is not.
func (r *run) do(what string, rollback bool, op func(ctx context.Context, tx store.Tx) error) {
	r.clk.advance(time.Minute)
	boom := errors.New("rolled back on purpose")
	err := r.st.Update(context.Background(), func(tx store.Tx) error {
		if err := op(context.Background(), tx); err != nil {
			return err
		}
		if rollback {
			return boom
		}
		return nil
	})
	switch {
	case err == nil, errors.Is(err, boom):
	case roadcover.ProblemFor(err).Status >= 400 && roadcover.ProblemFor(err).Status < 500:
	default:
		r.t.Fatalf("%s: %v", what, err)
	}
}

var payeesForRun = []payee.Payee{drvDE, drvPT, wsSE,
	ibanPayee("drv-se", "Åsa Ödegård", "SE4550000000058398257466"),
	{ID: "ws-bg", Name: "Verkstad", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}}}

func (r *run) actor() store.Actor { return rapid.SampledFrom(r.people).Draw(r.t, "actor") }

func (r *run) state() *ledger.Ledger {
	var l *ledger.Ledger
	err := r.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		l, err = r.svc.Ledger(context.Background(), tx)
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return l
}

func (r *run) pickBatch(l *ledger.Ledger, status ledger.BatchStatus) (ledger.BatchID, bool) {
	var ids []ledger.BatchID
	for _, b := range l.Batches() {
		if status == "" || b.Status == status {
			ids = append(ids, b.ID)
		}
	}
	if len(ids) == 0 {
		return "B-0", false
	}
	return rapid.SampledFrom(ids).Draw(r.t, "batch"), true
}

func (r *run) step() {
	rollback := rapid.IntRange(0, 9).Draw(r.t, "rollback") == 0
	l := r.state()
	name := rapid.SampledFrom([]string{"record", "record", "record", "withdraw", "batch", "batch", "approve", "approve", "approve",
		"release", "release", "release", "cancel", "report", "report", "report", "reopen"}).Draw(r.t, "op")
	switch name {
	case "record":
		k := rapid.IntRange(1, 4).Draw(r.t, "lines")
		var rs []payments.PayableRequest
		for i := 0; i < k; i++ {
			r.n++
			pe := rapid.SampledFrom(payeesForRun).Draw(r.t, "payee")
			src := fmt.Sprintf("S-%d", rapid.IntRange(1, 30).Draw(r.t, "source"))
			amount := rapid.Int64Range(1, 1_500_000).Draw(r.t, "minor")
			if rapid.Bool().Draw(r.t, "sek") {
				rs = append(rs, claimLine(src, fmt.Sprint(i), pe, amount*10))
			} else {
				rs = append(rs, receipt(src, fmt.Sprint(i), pe, amount))
			}
		}
		a := r.actor()
		r.do("record", rollback, func(ctx context.Context, tx store.Tx) error {
			_, err := r.svc.RecordPayables(ctx, tx, a, rs)
			return err
		})
	case "withdraw":
		ps := l.Payables()
		if len(ps) == 0 {
			return
		}
		id := rapid.SampledFrom(ps).Draw(r.t, "payable").ID
		r.do("withdraw", rollback, func(ctx context.Context, tx store.Tx) error {
			_, err := r.svc.Withdraw(ctx, tx, handler, id)
			return err
		})
	case "batch":
		cur := rapid.SampledFrom([]string{"EUR", "SEK"}).Draw(r.t, "currency")
		req := payments.BatchRequest{Currency: cur}
		if open := l.Open(cur); len(open) > 0 && rapid.Bool().Draw(r.t, "list") {
			req.Payables = rapid.SliceOfNDistinct(rapid.SampledFrom(open), 1, len(open), func(p ledger.PayableID) ledger.PayableID { return p }).Draw(r.t, "members")
		}
		a := r.actor()
		r.do("batch", rollback, func(ctx context.Context, tx store.Tx) error {
			_, err := r.svc.CreateBatch(ctx, tx, a, req)
			return err
		})
	case "approve", "release", "cancel":
		id, ok := r.pickBatch(l, ledger.BatchDraft)
		if !ok {
			return
		}
		a := r.actor()
		if b, _ := l.Batch(id); rapid.IntRange(0, 4).Draw(r.t, "not the maker") > 0 {
			// Mostly someone who may: the refusals still come up.
			var others []store.Actor
			for _, p := range r.people {
				if p.TokenID != b.Maker && !slices.Contains(b.Approvers, p.TokenID) {
					others = append(others, p)
				}
			}
			a = rapid.SampledFrom(others).Draw(r.t, "approver")
		}
		op := map[string]func(ctx context.Context, tx store.Tx) error{
			"approve": func(ctx context.Context, tx store.Tx) error { _, err := r.svc.Approve(ctx, tx, a, id); return err },
			"release": func(ctx context.Context, tx store.Tx) error {
				_, err := r.svc.Release(ctx, tx, a, id, roadcover.Date{})
				return err
			},
			"cancel": func(ctx context.Context, tx store.Tx) error { _, err := r.svc.Cancel(ctx, tx, a, id); return err },
		}
		r.do(name, rollback, op[name])
	case "report":
		id, ok := r.pickBatch(l, ledger.BatchReleased)
		if !ok {
			return
		}
		b, _ := l.Batch(id)
		status := map[string]string{}
		for _, p := range b.Members {
			if rapid.IntRange(0, 2).Draw(r.t, "listed") > 0 {
				status[string(p)+"/"+string(id)] = rapid.SampledFrom([]string{"ACSC", "ACCP", "RJCT", "PDNG", "ACTC"}).Draw(r.t, "status")
			}
		}
		if len(status) == 0 {
			return
		}
		doc := pain002(fmt.Sprintf("R-%d", rapid.IntRange(1, 6).Draw(r.t, "report id")), string(id), status)
		a := r.actor()
		r.do("report", rollback, func(ctx context.Context, tx store.Tx) error {
			_, err := r.svc.ImportStatusReport(ctx, tx, a, id, doc)
			return err
		})
	case "reopen":
		r.reopen()
	}
}

// check replays the stored journal with a new service and compares.
func (r *run) check() {
	live := r.state()
	var replayed *ledger.Ledger
	var journal []store.LedgerEntry
	err := r.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		if replayed, err = payments.New(config, r.clk.Now).Ledger(context.Background(), tx); err != nil {
			return err
		}
		journal, err = tx.LedgerEntries(context.Background(), 0)
		return err
	})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := replayed.TrialBalance(); err != nil {
		r.t.Fatal(err)
	}
	if live.NextSeq() != replayed.NextSeq() || int64(len(journal))+1 != replayed.NextSeq() {
		r.t.Fatalf("live ledger at %d, replayed at %d, journal of %d", live.NextSeq(), replayed.NextSeq(), len(journal))
	}
	for _, c := range []string{"EUR", "SEK"} {
		for _, a := range []ledger.Account{ledger.AccountExpense, ledger.AccountPayable, ledger.AccountBank} {
			if live.Balance(a, c) != replayed.Balance(a, c) {
				r.t.Fatalf("%s %s: live %d, replayed %d", a, c, live.Balance(a, c), replayed.Balance(a, c))
			}
		}
	}
	lp, rp := live.Payables(), replayed.Payables()
	if len(lp) != len(rp) {
		r.t.Fatalf("%d payables live, %d replayed", len(lp), len(rp))
	}
	for i := range lp {
		if lp[i].ID != rp[i].ID || lp[i].Status != rp[i].Status || lp[i].Batch != rp[i].Batch || len(lp[i].Rejections) != len(rp[i].Rejections) {
			r.t.Fatalf("payable live %+v, replayed %+v", lp[i], rp[i])
		}
	}
	if !slices.EqualFunc(live.Batches(), replayed.Batches(), func(a, b ledger.Batch) bool {
		return a.ID == b.ID && a.Status == b.Status && slices.Equal(a.Approvers, b.Approvers) && len(a.Outcomes) == len(b.Outcomes)
	}) {
		r.t.Fatal("batches differ between the live and the replayed ledger")
	}
	// Never paid twice, counted from the stored rows themselves.
	booked := map[ledger.PayableID]int{}
	var bank = map[string]int64{}
	for _, e := range journal {
		switch {
		case e.Kind == ledger.KindPayment:
			booked[e.Payable]++
		case e.Kind == ledger.KindReversal && e.Cause == ledger.CauseRejected:
			booked[e.Payable]--
		}
		if booked[e.Payable] > 1 || booked[e.Payable] < 0 {
			r.t.Fatalf("entry %d: payable %s has %d payments booked", e.Seq, e.Payable, booked[e.Payable])
		}
		for _, p := range e.Postings {
			if p.Account == ledger.AccountBank {
				bank[p.Amount.Currency] += p.Amount.Minor
			}
		}
	}
	want := map[string]int64{}
	for _, p := range rp {
		if p.Status == ledger.StatusSent || p.Status == ledger.StatusPaid {
			want[p.Amount.Currency] -= p.Amount.Minor
			if booked[p.ID] != 1 {
				r.t.Fatalf("payable %s is %s with %d payments booked", p.ID, p.Status, booked[p.ID])
			}
		} else if booked[p.ID] != 0 {
			r.t.Fatalf("payable %s is %s with %d payments booked", p.ID, p.Status, booked[p.ID])
		}
	}
	for _, c := range []string{"EUR", "SEK"} {
		if bank[c] != want[c] || replayed.Balance(ledger.AccountBank, c) != want[c] {
			r.t.Fatalf("bank %s: postings %d, ledger %d, payables sent or paid %d", c, bank[c], replayed.Balance(ledger.AccountBank, c), want[c])
		}
	}
}

func TestPersistedLedgerProperties(t *testing.T) {
	// Each run starts from a copy of one migrated, empty file.
	template := filepath.Join(t.TempDir(), "template.db")
	st, err := openStoreNoCleanup(template)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	empty, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	checks := 0
	rapid.Check(t, func(rt *rapid.T) {
		checks++
		path := filepath.Join(t.TempDir(), fmt.Sprintf("prop-%d.db", checks))
		if err := os.WriteFile(path, empty, 0o600); err != nil {
			rt.Fatal(err)
		}
		r := &run{t: rt, path: path, clk: &clock{now: t0},
			people: []store.Actor{maker, approver, releaser, {TokenID: "tok-chen", Role: "payments"}}}
		r.open()
		defer func() { r.st.Close() }()
		most := 40
		if raceEnabled {
			most = 15 // the race detector makes every step ten times slower
		}
		n := rapid.IntRange(5, most).Draw(rt, "steps")
		for i := 0; i < n; i++ {
			r.step()
			r.check()
		}
		r.reopen()
		r.check()
	})
}
