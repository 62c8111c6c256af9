package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// The money ledger's part of the suite (store.LedgerTx). The journal is one
// for the whole store, so each test reads what is there, replays it and
// goes on from its end, with ids of its own.

var ledgerPolicy = ledger.Policy{SecondApprovalAbove: map[string]int64{"EUR": 1_000_000, "SEK": 10_000_000}}

// chainOf is a stand-in for the chain a real writer computes: the store
// keeps it and gives it back, nothing more.
func chainOf(seq int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seq))
	h := sha256.Sum256(b[:])
	return h[:]
}

func rows(es ...ledger.Entry) []store.LedgerEntry {
	out := make([]store.LedgerEntry, len(es))
	for i, e := range es {
		out[i] = store.LedgerEntry{Entry: e, Chain: chainOf(e.Seq)}
	}
	return out
}

// replay builds the ledger from every stored entry.
func replay(ctx context.Context, tx store.Tx) (*ledger.Ledger, error) {
	es, err := tx.LedgerEntries(ctx, 0)
	if err != nil {
		return nil, err
	}
	l := ledger.New()
	for _, e := range es {
		if err := l.Apply(e.Entry); err != nil {
			return nil, fmt.Errorf("replay of the stored journal: %w", err)
		}
	}
	return l, nil
}

// step locks the journal, replays it, runs f on the state and appends and
// applies what f returned, in one Update.
func step(ctx context.Context, s store.Store, f func(l *ledger.Ledger) ([]ledger.Entry, error)) ([]ledger.Entry, error) {
	var out []ledger.Entry
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.LockLedger(ctx); err != nil {
			return err
		}
		l, err := replay(ctx, tx)
		if err != nil {
			return err
		}
		es, err := f(l)
		if err != nil {
			return err
		}
		if err := tx.AppendLedger(ctx, rows(es...)); err != nil {
			return err
		}
		out = es
		return nil
	})
	return out, err
}

func mustStep(t *testing.T, s store.Store, f func(l *ledger.Ledger) ([]ledger.Entry, error)) []ledger.Entry {
	t.Helper()
	es, err := step(ctxT(t), s, f)
	if err != nil {
		t.Fatalf("ledger step: %v", err)
	}
	return es
}

func one(e ledger.Entry, err error) ([]ledger.Entry, error) {
	if err != nil {
		return nil, err
	}
	return []ledger.Entry{e}, nil
}

func (r *runner) payable(id string, m roadcover.Money) ledger.Payable {
	return ledger.Payable{
		ID:     ledger.PayableID(id),
		Source: ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: "claim-" + id, Line: "2"},
		Payee:  ledger.PayeeID("payee-" + id), Amount: m, Reference: "Skada " + id + ": reparation åäö",
		Terms: "insurance-se-2021-10", Clause: "2.8",
	}
}

// ledgerRoundTrip writes entries of every kind and reads them back equal.
func (r *runner) ledgerRoundTrip(t *testing.T) {
	ctx := ctxT(t)
	at := base
	next := func() time.Time { at = at.Add(time.Minute); return at }
	ids := []string{r.id("P"), r.id("P"), r.id("P"), r.id("P")}
	var written []ledger.Entry
	for i, id := range ids {
		p := r.payable(id, roadcover.Money{Minor: int64(4_000_000 * (i + 1)), Currency: "SEK"})
		written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
			return one(l.RecordPayable(p, next(), "handler"))
		})...)
	}
	b1, b2 := ledger.BatchID(r.id("B")), ledger.BatchID(r.id("B"))
	members := []ledger.PayableID{ledger.PayableID(ids[0]), ledger.PayableID(ids[1]), ledger.PayableID(ids[2])}
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.CreateBatch(ledger.BatchRequest{ID: b1, Currency: "SEK", Payables: members, Maker: "maria"}, ledgerPolicy, next()))
	})...)
	exec := roadcover.Date{Year: 2026, Month: 11, Day: 23}
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.Approve(b1, "chen", next())) // 240 000 SEK: two approvers
	})...)
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return l.Release(b1, "anna", exec, next())
	})...)
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return l.ApplyOutcomes(b1, []ledger.Outcome{
			{Payable: members[0], Result: ledger.ResultPaid, Code: "ACSC"},
			{Payable: members[1], Result: ledger.ResultRejected, Code: "AC04"},
		}, next(), "bank")
	})...)
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.CreateBatch(ledger.BatchRequest{ID: b2, Currency: "SEK", Payables: []ledger.PayableID{members[1]}, Maker: "bo"}, ledgerPolicy, next()))
	})...)
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.Cancel(b2, "bo", next()))
	})...)
	written = append(written, mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.Withdraw(ledger.PayableID(ids[3]), next(), "handler"))
	})...)
	kinds := map[ledger.Kind]bool{}
	for _, e := range written {
		kinds[e.Kind] = true
	}
	if len(kinds) != 8 {
		t.Fatalf("the test wrote %d kinds of entries, want all 8", len(kinds))
	}
	first := written[0].Seq
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.LedgerEntries(ctx, first-1)
		if err != nil {
			return err
		}
		// Other subtests may have appended meanwhile: compare ours by seq.
		bySeq := map[int64]store.LedgerEntry{}
		for i, e := range got {
			if i > 0 && e.Seq != got[i-1].Seq+1 {
				t.Fatalf("entries not in seq order without gaps: %d after %d", e.Seq, got[i-1].Seq)
			}
			bySeq[e.Seq] = e
		}
		for _, w := range written {
			g, ok := bySeq[w.Seq]
			if !ok {
				t.Fatalf("entry %d not read back", w.Seq)
			}
			if !reflect.DeepEqual(g.Entry, w) {
				t.Errorf("entry %d read back as\n%+v\nwant\n%+v", w.Seq, g.Entry, w)
			}
			if string(g.Chain) != string(chainOf(w.Seq)) {
				t.Errorf("entry %d: chain %x", w.Seq, g.Chain)
			}
		}
		last := written[len(written)-1].Seq
		tail, err := tx.LedgerEntries(ctx, last-1)
		if err != nil {
			return err
		}
		if len(tail) == 0 || tail[0].Seq != last {
			t.Errorf("entries after %d start at %+v", last-1, tail)
		}
		c, err := tx.LedgerChain(ctx, last)
		if err != nil || string(c) != string(chainOf(last)) {
			t.Errorf("chain of %d: %x %v", last, c, err)
		}
		_, err = tx.LedgerChain(ctx, 1<<60)
		wantErr(t, "chain of an entry not written", err, store.ErrNotFound)
		l, err := replay(ctx, tx)
		if err != nil {
			return err
		}
		p, _ := l.Payable(members[1])
		if p.Status != ledger.StatusOpen || len(p.Rejections) != 1 || p.Rejections[0].Reason != "AC04" || p.Terms != "insurance-se-2021-10" {
			t.Errorf("payable after rejection and cancel: %+v", p)
		}
		return l.TrialBalance()
	})
}

// ledgerLarge appends a release of more payments than one statement holds.
func (r *runner) ledgerLarge(t *testing.T) {
	ctx := ctxT(t)
	const n = 333
	var ps []ledger.Payable
	for i := 0; i < n; i++ {
		ps = append(ps, r.payable(r.id("L"), roadcover.Money{Minor: int64(100 + i), Currency: "EUR"}))
	}
	recorded := mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		var out []ledger.Entry
		for _, p := range ps {
			e, err := l.RecordPayable(p, base, "handler")
			if err != nil {
				return nil, err
			}
			if err := l.Apply(e); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	})
	if len(recorded) != n {
		t.Fatalf("%d recorded", len(recorded))
	}
	var ids []ledger.PayableID
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	b := ledger.BatchID(r.id("BL"))
	pol := ledger.Policy{SecondApprovalAbove: map[string]int64{"EUR": 1 << 60}}
	mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.CreateBatch(ledger.BatchRequest{ID: b, Currency: "EUR", Payables: ids, Maker: "maria"}, pol, base))
	})
	rel := mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return l.Release(b, "anna", roadcover.DateOf(base), base)
	})
	if len(rel) != n+1 {
		t.Fatalf("release gave %d entries", len(rel))
	}
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.LedgerEntries(ctx, recorded[0].Seq-1)
		if err != nil {
			return err
		}
		var members, postings int
		for _, e := range got {
			members += len(e.Members)
			postings += len(e.Postings)
		}
		if len(got) < 2*n+2 || members < n || postings < 4*n {
			t.Errorf("read back %d entries, %d members, %d postings", len(got), members, postings)
		}
		l, err := replay(ctx, tx)
		if err != nil {
			return err
		}
		bt, _ := l.Batch(b)
		if bt.Status != ledger.BatchReleased || len(bt.Members) != n {
			t.Errorf("batch %s: %s with %d members", b, bt.Status, len(bt.Members))
		}
		return nil
	})
}

// ledgerSeqTaken: an entry whose seq is taken is a conflict, and the
// rolled-back Update leaves the journal as it was.
func (r *runner) ledgerSeqTaken(t *testing.T) {
	ctx := ctxT(t)
	p := r.payable(r.id("S"), roadcover.Money{Minor: 500, Currency: "EUR"})
	rec := mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) { return one(l.RecordPayable(p, base, "h")) })
	clash := rec[0]
	clash.Payable = ledger.PayableID(r.id("S"))
	err := r.s.Update(ctx, func(tx store.Tx) error { return tx.AppendLedger(ctx, rows(clash)) })
	wantErr(t, "an entry with a taken seq", err, store.ErrConflict)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.LedgerEntries(ctx, clash.Seq-1)
		if err != nil {
			return err
		}
		if len(got) == 0 || got[0].Payable != p.ID {
			t.Errorf("entry %d is now %+v", clash.Seq, got)
		}
		return nil
	})
	err = r.s.Update(ctx, func(tx store.Tx) error {
		bad := rows(rec[0], rec[0])
		bad[1].Seq += 5
		return tx.AppendLedger(ctx, bad)
	})
	if err == nil {
		t.Error("entries with a gap between them were appended")
	}
	// A long append (which a store may write another way) clashes alike.
	var long []ledger.Entry
	view(t, r.s, func(tx store.Tx) error {
		l, err := replay(ctx, tx)
		if err != nil {
			return err
		}
		for i := 0; i < 300; i++ {
			e, err := l.RecordPayable(r.payable(r.id("SL"), roadcover.Money{Minor: 100, Currency: "EUR"}), base, "h")
			if err != nil {
				return err
			}
			if err := l.Apply(e); err != nil {
				return err
			}
			long = append(long, e)
		}
		return nil
	})
	mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.RecordPayable(r.payable(r.id("S"), roadcover.Money{Minor: 5, Currency: "EUR"}), base, "h"))
	})
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.AppendLedger(ctx, rows(long...)) })
	wantErr(t, "a long append from a taken seq", err, store.ErrConflict)
}

// ledgerRace: two makers gather the same payable into batches at once;
// exactly one batch gets it, the other is refused by the ledger.
func (r *runner) ledgerRace(t *testing.T) {
	ctx := ctxT(t)
	for round := 0; round < 5; round++ {
		p := r.payable(r.id("R"), roadcover.Money{Minor: 1_000, Currency: "EUR"})
		mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) { return one(l.RecordPayable(p, base, "h")) })
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				b := ledger.BatchID(r.id("RB"))
				_, errs[i] = step(ctx, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
					time.Sleep(5 * time.Millisecond) // hold the lock while the other waits for it
					return one(l.CreateBatch(ledger.BatchRequest{ID: b, Currency: "EUR", Payables: []ledger.PayableID{p.ID}, Maker: "m"}, ledgerPolicy, base))
				})
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !ledger.IsReason(err, ledger.ReasonInTwoBatches):
				t.Fatalf("round %d: the losing maker got %v, want in_two_batches", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d batches took payable %s (%v)", round, won, p.ID, errs)
		}
		view(t, r.s, func(tx store.Tx) error {
			l, err := replay(ctx, tx)
			if err != nil {
				return err
			}
			st, _ := l.Payable(p.ID)
			if st.Status != ledger.StatusInBatch {
				t.Errorf("payable %s is %s", p.ID, st.Status)
			}
			return nil
		})
	}
}

// ledgerUnlockedRace: writers that skip LockLedger and compute from the
// same state clash on seq; the journal's primary key lets one through.
// Only a store whose writers run at once can show it (PostgreSQL); SQLite
// runs Updates one after the other.
func (r *runner) ledgerUnlockedRace(t *testing.T) {
	if r.s.Kind() != "postgres" {
		t.Skip("SQLite runs one writer at a time: writers never compute from the same state")
	}
	ctx := ctxT(t)
	p := r.payable(r.id("U"), roadcover.Money{Minor: 1_000, Currency: "EUR"})
	mustStep(t, r.s, func(l *ledger.Ledger) ([]ledger.Entry, error) { return one(l.RecordPayable(p, base, "h")) })
	var ready, wg sync.WaitGroup
	ready.Add(2)
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := ledger.BatchID(r.id("UB"))
			errs[i] = r.s.Update(ctx, func(tx store.Tx) error {
				l, err := replay(ctx, tx)
				ready.Done()
				if err != nil {
					return err
				}
				ready.Wait() // both have read the same state
				e, err := l.CreateBatch(ledger.BatchRequest{ID: b, Currency: "EUR", Payables: []ledger.PayableID{p.ID}, Maker: "m"}, ledgerPolicy, base)
				if err != nil {
					return err
				}
				return tx.AppendLedger(ctx, rows(e))
			})
		}()
	}
	wg.Wait()
	var won, clashed int
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case errors.Is(err, store.ErrConflict):
			clashed++
		default:
			t.Fatalf("unlocked writer: %v", err)
		}
	}
	if won != 1 || clashed != 1 {
		t.Fatalf("%d won, %d clashed: %v", won, clashed, errs)
	}
}

func (r *runner) payees(t *testing.T) {
	ctx := ctxT(t)
	a := store.Payee{Payee: payee.Payee{ID: r.id("pe"), Name: "Örjan Åkesson",
		Account: payee.Account{Method: payee.MethodSwedishAccount, Clearing: "83279", Number: "9141234567"}},
		CreatedAt: base, UpdatedAt: base}
	b := store.Payee{Payee: payee.Payee{ID: r.id("pe"), Name: "Jürgen Müller",
		Account: payee.Account{Method: payee.MethodIBAN, IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}},
		CreatedAt: base, UpdatedAt: base}
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.PutPayee(ctx, a); err != nil {
			return err
		}
		return tx.PutPayee(ctx, b)
	})
	later := base.Add(time.Hour)
	a2 := a
	a2.Name, a2.Account = "Örjan Åkesson AB", payee.Account{Method: payee.MethodBankgiro, Bankgiro: "50501055"}
	a2.CreatedAt, a2.UpdatedAt = later, later
	update(t, r.s, func(tx store.Tx) error { return tx.PutPayee(ctx, a2) })
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetPayee(ctx, a.ID)
		if err != nil {
			return err
		}
		want := a2
		want.CreatedAt = base // the first version's
		if !reflect.DeepEqual(got, want) {
			t.Errorf("payee %+v, want %+v", got, want)
		}
		_, err = tx.GetPayee(ctx, r.id("nobody"))
		wantErr(t, "unknown payee", err, store.ErrNotFound)
		list, err := tx.ListPayees(ctx, []string{b.ID, r.id("nobody"), a.ID})
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].ID > list[1].ID || !reflect.DeepEqual(list[1].Payee, b.Payee) && !reflect.DeepEqual(list[0].Payee, b.Payee) {
			t.Errorf("list %+v", list)
		}
		none, err := tx.ListPayees(ctx, nil)
		if err != nil || len(none) != 0 {
			t.Errorf("list of none: %v %v", none, err)
		}
		return nil
	})
}

func (r *runner) paymentFiles(t *testing.T) {
	ctx := ctxT(t)
	data := []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document>åäö</Document>\n")
	sum := sha256.Sum256(data)
	f := store.PaymentFile{Batch: r.id("B"), MessageID: "M-1", Format: "pain.001.001.03", Data: data, SHA256: sum[:], Count: 3, CreatedAt: base}
	update(t, r.s, func(tx store.Tx) error { return tx.InsertPaymentFile(ctx, f) })
	err := r.s.Update(ctx, func(tx store.Tx) error {
		g := f
		g.Data = []byte("other")
		return tx.InsertPaymentFile(ctx, g)
	})
	wantErr(t, "a second file for a batch", err, store.ErrConflict)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetPaymentFile(ctx, f.Batch)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, f) {
			t.Errorf("file %+v, want %+v", got, f)
		}
		_, err = tx.GetPaymentFile(ctx, r.id("B"))
		wantErr(t, "file of a batch without one", err, store.ErrNotFound)
		return nil
	})

	rep := store.StatusReport{Batch: f.Batch, MessageID: "PSR-1", Data: []byte("<Document/>"), SHA256: sum[:],
		Actor: store.Actor{TokenID: "tok-pay", Role: "payments"}, ImportedAt: base, FirstSeq: 7, LastSeq: 9}
	rep2 := rep
	rep2.MessageID, rep2.ImportedAt, rep2.FirstSeq, rep2.LastSeq = "PSR-2", base.Add(time.Minute), 0, 0
	update(t, r.s, func(tx store.Tx) error {
		if err := tx.InsertStatusReport(ctx, rep2); err != nil {
			return err
		}
		return tx.InsertStatusReport(ctx, rep)
	})
	err = r.s.Update(ctx, func(tx store.Tx) error { return tx.InsertStatusReport(ctx, rep) })
	wantErr(t, "a report imported twice", err, store.ErrConflict)
	view(t, r.s, func(tx store.Tx) error {
		got, err := tx.GetStatusReport(ctx, f.Batch, "PSR-1")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, rep) {
			t.Errorf("report %+v, want %+v", got, rep)
		}
		_, err = tx.GetStatusReport(ctx, f.Batch, "PSR-3")
		wantErr(t, "unknown report", err, store.ErrNotFound)
		list, err := tx.ListStatusReports(ctx, f.Batch)
		if err != nil {
			return err
		}
		if len(list) != 2 || list[0].MessageID != "PSR-1" || list[1].MessageID != "PSR-2" || list[0].Data != nil || list[0].LastSeq != 9 {
			t.Errorf("reports %+v", list)
		}
		return nil
	})
}

// ledgerImmutable checks that the schema refuses to edit or delete the
// journal, bank files and status reports.
func ledgerImmutable(t *testing.T, s store.Store, exec func(ctx context.Context, stmt string) error) {
	ctx := ctxT(t)
	r := &runner{s: s, prefix: fmt.Sprintf("imm%d", time.Now().UnixNano())}
	p := r.payable(r.id("I"), roadcover.Money{Minor: 700, Currency: "EUR"})
	rec := mustStep(t, s, func(l *ledger.Ledger) ([]ledger.Entry, error) { return one(l.RecordPayable(p, base, "h")) })
	bat := mustStep(t, s, func(l *ledger.Ledger) ([]ledger.Entry, error) {
		return one(l.CreateBatch(ledger.BatchRequest{ID: ledger.BatchID(r.id("IB")), Currency: "EUR", Payables: []ledger.PayableID{p.ID}, Maker: "m"}, ledgerPolicy, base))
	})
	update(t, s, func(tx store.Tx) error {
		if err := tx.InsertPaymentFile(ctx, store.PaymentFile{Batch: string(p.ID), MessageID: "M", Format: "f", Data: []byte("x"), SHA256: []byte("h"), CreatedAt: base}); err != nil {
			return err
		}
		return tx.InsertStatusReport(ctx, store.StatusReport{Batch: string(p.ID), MessageID: "R", Data: []byte("y"), SHA256: []byte("h"), ImportedAt: base})
	})
	seq, bseq := fmt.Sprint(rec[0].Seq), fmt.Sprint(bat[0].Seq)
	for _, stmt := range []string{
		"UPDATE ledger_entries SET amount = 1 WHERE seq = " + seq,
		"DELETE FROM ledger_entries WHERE seq = " + seq,
		"UPDATE ledger_postings SET amount = 0 WHERE seq = " + seq,
		"DELETE FROM ledger_postings WHERE seq = " + seq,
		"DELETE FROM ledger_postings",
		"UPDATE ledger_batch_members SET payable = 'x' WHERE seq = " + bseq,
		"DELETE FROM ledger_batch_members WHERE seq = " + bseq,
		"UPDATE payment_files SET data = 'z'",
		"DELETE FROM payment_files",
		"UPDATE payment_status_reports SET data = 'z'",
		"DELETE FROM payment_status_reports",
	} {
		if err := exec(ctx, stmt); err == nil {
			t.Errorf("%s: accepted", stmt)
		}
	}
	view(t, s, func(tx store.Tx) error {
		got, err := tx.LedgerEntries(ctx, rec[0].Seq-1)
		if err != nil {
			return err
		}
		if len(got) == 0 || !reflect.DeepEqual(got[0].Entry, rec[0]) {
			t.Errorf("entry changed: %+v", got)
		}
		f, err := tx.GetPaymentFile(ctx, string(p.ID))
		if err != nil || string(f.Data) != "x" {
			t.Errorf("file changed: %q %v", f.Data, err)
		}
		return nil
	})
}
