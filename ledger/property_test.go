package ledger

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"roadcover"
)

// world drives a ledger with random steps and keeps a model of what each
// step should do, written independently of the ledger's own rules.
type world struct {
	l       *Ledger
	journal []Entry
	now     time.Time
	// model
	status   map[PayableID]Status
	batchOf  map[PayableID]BatchID
	amount   map[PayableID]roadcover.Money
	batches  map[BatchID]*modelBatch
	outcomes map[BatchID]map[PayableID]Result
	ids      []PayableID
	bids     []BatchID
	// booked counts payment entries minus rejections per payable, from the
	// journal itself.
	booked map[PayableID]int
}

type modelBatch struct {
	status    BatchStatus
	maker     string
	approvers []string
	required  int
	members   []PayableID
	currency  string
}

var (
	people     = []string{"maria", "anna", "bo", "chen"}
	currencies = []string{"EUR", "SEK", "GBP", "DKK"}
)

func newWorld() *world {
	return &world{
		l: New(), now: t0,
		status: map[PayableID]Status{}, batchOf: map[PayableID]BatchID{}, amount: map[PayableID]roadcover.Money{},
		batches: map[BatchID]*modelBatch{}, outcomes: map[BatchID]map[PayableID]Result{}, booked: map[PayableID]int{},
	}
}

// commit applies the entries of an allowed step; every one must apply.
func (w *world) commit(t *rapid.T, es []Entry) {
	for _, e := range es {
		if err := w.l.Apply(e); err != nil {
			t.Fatalf("entry %d (%s) built by the ledger was refused: %v", e.Seq, e.Kind, err)
		}
		w.journal = append(w.journal, e)
		switch {
		case e.Kind == KindPayment:
			w.booked[e.Payable]++
		case e.Kind == KindReversal && e.Cause == CauseRejected:
			w.booked[e.Payable]--
		}
		if w.booked[e.Payable] > 1 {
			t.Fatalf("payable %s has %d payments booked at once", e.Payable, w.booked[e.Payable])
		}
	}
	w.now = w.now.Add(time.Minute)
}

// expect checks that a step was allowed exactly when the model allows it.
func expect(t *rapid.T, allowed bool, err error, what string) bool {
	if allowed && err != nil {
		t.Fatalf("%s: refused but allowed by the model: %v", what, err)
	}
	if !allowed && err == nil {
		t.Fatalf("%s: accepted but refused by the model", what)
	}
	return allowed
}

func (w *world) pickPayable(t *rapid.T) PayableID {
	if len(w.ids) == 0 || rapid.IntRange(0, 9).Draw(t, "unknown payable") == 0 {
		return "P-none"
	}
	return rapid.SampledFrom(w.ids).Draw(t, "payable")
}

func (w *world) pickBatch(t *rapid.T) BatchID {
	if len(w.bids) == 0 || rapid.IntRange(0, 9).Draw(t, "unknown batch") == 0 {
		return "B-none"
	}
	return rapid.SampledFrom(w.bids).Draw(t, "batch")
}

func (w *world) record(t *rapid.T) {
	var id PayableID
	if len(w.ids) > 0 && rapid.IntRange(0, 9).Draw(t, "reuse id") == 0 {
		id = rapid.SampledFrom(w.ids).Draw(t, "taken id")
	} else {
		id = PayableID(fmt.Sprintf("P%d", len(w.ids)+1))
	}
	m := roadcover.Money{Minor: rapid.Int64Range(1, 5_000_000).Draw(t, "minor"), Currency: rapid.SampledFrom(currencies).Draw(t, "currency")}
	kind := rapid.SampledFrom([]SourceKind{SourceAssistanceReceipt, SourceInsuranceClaim}).Draw(t, "source kind")
	p := Payable{
		ID:     id,
		Source: Source{Kind: kind, ID: fmt.Sprintf("S%d", rapid.IntRange(1, 5).Draw(t, "source")), Line: fmt.Sprint(rapid.IntRange(1, 3).Draw(t, "line"))},
		Payee:  PayeeID(fmt.Sprintf("payee%d", rapid.IntRange(1, 4).Draw(t, "payee"))), Amount: m, Reference: "ref",
	}
	e, err := w.l.RecordPayable(p, w.now, "handler")
	_, taken := w.status[id]
	if expect(t, !taken, err, "record "+string(id)) {
		w.commit(t, []Entry{e})
		w.ids = append(w.ids, id)
		w.status[id], w.amount[id] = StatusOpen, m
	}
}

func (w *world) withdraw(t *rapid.T) {
	id := w.pickPayable(t)
	e, err := w.l.Withdraw(id, w.now, "handler")
	if expect(t, w.status[id] == StatusOpen, err, "withdraw "+string(id)) {
		w.commit(t, []Entry{e})
		w.status[id] = StatusWithdrawn
	}
}

func (w *world) create(t *rapid.T) {
	cur := rapid.SampledFrom(currencies).Draw(t, "batch currency")
	var req []PayableID
	if rapid.Bool().Draw(t, "pick payables") && len(w.ids) > 0 {
		req = rapid.SliceOfNDistinct(rapid.SampledFrom(w.ids), 1, 5, rapid.ID).Draw(t, "members")
	}
	id := BatchID(fmt.Sprintf("B%d", len(w.bids)+1))
	maker := rapid.SampledFrom(people).Draw(t, "maker")
	e, err := w.l.CreateBatch(BatchRequest{ID: id, Currency: cur, Payables: req, Maker: maker}, policy, w.now)
	members := slices.Clone(req)
	if len(members) == 0 {
		for _, p := range w.ids {
			if w.status[p] == StatusOpen && w.amount[p].Currency == cur {
				members = append(members, p)
			}
		}
	}
	allowed := len(members) > 0
	var total int64
	for _, p := range members {
		if w.status[p] != StatusOpen || w.amount[p].Currency != cur {
			allowed = false
		}
		total += w.amount[p].Minor
	}
	if !expect(t, allowed, err, "create batch") {
		return
	}
	slices.Sort(members)
	if !slices.Equal(e.Members, members) || e.Amount.Minor != total {
		t.Fatalf("batch entry %v %s; model %v %d", e.Members, e.Amount, members, total)
	}
	w.commit(t, []Entry{e})
	need := 1
	if total > policy.SecondApprovalAbove[cur] {
		need = 2
	}
	w.bids = append(w.bids, id)
	w.batches[id] = &modelBatch{status: BatchDraft, maker: maker, required: need, members: members, currency: cur}
	w.outcomes[id] = map[PayableID]Result{}
	for _, p := range members {
		w.status[p], w.batchOf[p] = StatusInBatch, id
	}
}

func (w *world) canApprove(b *modelBatch, who string) bool {
	return b != nil && b.status == BatchDraft && who != b.maker && !slices.Contains(b.approvers, who)
}

func (w *world) approve(t *rapid.T) {
	id := w.pickBatch(t)
	who := rapid.SampledFrom(people).Draw(t, "approver")
	b := w.batches[id]
	e, err := w.l.Approve(id, who, w.now)
	if expect(t, w.canApprove(b, who) && len(b.approvers)+1 < b.required, err, "approve") {
		w.commit(t, []Entry{e})
		b.approvers = append(b.approvers, who)
	}
}

func (w *world) release(t *rapid.T) {
	id := w.pickBatch(t)
	who := rapid.SampledFrom(people).Draw(t, "releaser")
	b := w.batches[id]
	es, err := w.l.Release(id, who, roadcover.DateOf(w.now), w.now)
	if !expect(t, w.canApprove(b, who) && len(b.approvers)+1 >= b.required, err, "release") {
		return
	}
	if len(es) != len(b.members)+1 {
		t.Fatalf("release gave %d entries for %d payables", len(es), len(b.members))
	}
	w.commit(t, es)
	b.status = BatchReleased
	b.approvers = append(b.approvers, who)
	for _, p := range b.members {
		w.status[p] = StatusSent
	}
}

func (w *world) cancel(t *rapid.T) {
	id := w.pickBatch(t)
	b := w.batches[id]
	e, err := w.l.Cancel(id, rapid.SampledFrom(people).Draw(t, "canceller"), w.now)
	if expect(t, b != nil && b.status == BatchDraft, err, "cancel") {
		w.commit(t, []Entry{e})
		b.status = BatchCancelled
		for _, p := range b.members {
			w.status[p], w.batchOf[p] = StatusOpen, ""
		}
	}
}

func (w *world) report(t *rapid.T) {
	id := w.pickBatch(t)
	b := w.batches[id]
	if b == nil || len(b.members) == 0 {
		_, err := w.l.ApplyOutcomes(id, nil, w.now, "bank")
		expect(t, b != nil && b.status == BatchReleased, err, "empty report")
		return
	}
	n := rapid.IntRange(1, len(b.members)).Draw(t, "reported")
	var outs []Outcome
	for i := 0; i < n; i++ {
		p := rapid.SampledFrom(b.members).Draw(t, "reported payable")
		r := rapid.SampledFrom([]Result{ResultPaid, ResultRejected, ResultPending}).Draw(t, "result")
		outs = append(outs, Outcome{Payable: p, Result: r, Code: "AC04"})
	}
	es, err := w.l.ApplyOutcomes(id, outs, w.now, "bank")
	// The model: the batch is released; no payable gets two final results
	// in the report; a final result differing from an earlier one is a
	// conflict; a new final result needs the payment to be awaiting the bank.
	allowed := b.status == BatchReleased
	final := map[PayableID]Result{}
	for _, o := range outs {
		if o.Result == ResultPending {
			continue
		}
		if prev, ok := final[o.Payable]; ok && prev != o.Result {
			allowed = false
		}
		final[o.Payable] = o.Result
	}
	for p, r := range final {
		if prev, ok := w.outcomes[id][p]; ok {
			if prev != r {
				allowed = false
			}
			continue
		}
		if w.status[p] != StatusSent || w.batchOf[p] != id {
			allowed = false
		}
	}
	if !expect(t, allowed, err, "report") {
		return
	}
	w.commit(t, es)
	for p, r := range final {
		if _, ok := w.outcomes[id][p]; ok {
			continue
		}
		w.outcomes[id][p] = r
		if r == ResultPaid {
			w.status[p] = StatusPaid
		} else {
			w.status[p], w.batchOf[p] = StatusOpen, ""
		}
	}
}

// forgePayment hands the ledger a payment entry nobody released: it must
// always be refused, since Release books every payment a batch makes.
func (w *world) forgePayment(t *rapid.T) {
	id := w.pickPayable(t)
	m, ok := w.amount[id]
	if !ok {
		m = roadcover.Money{Minor: 1, Currency: "EUR"}
	}
	p, _ := w.l.Payable(id)
	e := Entry{Seq: w.l.NextSeq(), Kind: KindPayment, At: w.now, Actor: "forger", Payable: id, Batch: w.pickBatch(t), Amount: m,
		Postings: []Posting{{AccountPayable, m, p.Source, p.Payee}, {AccountBank, roadcover.Money{Minor: -m.Minor, Currency: m.Currency}, p.Source, p.Payee}}}
	if err := w.l.Apply(e); err == nil {
		t.Fatalf("forged payment of %s in %s was booked", id, e.Batch)
	}
}

// forgeBatch hands the ledger a batch entry over payables that are not all
// open: it must be refused.
func (w *world) forgeBatch(t *rapid.T) {
	var busy []PayableID
	for _, p := range w.ids {
		if w.status[p] != StatusOpen {
			busy = append(busy, p)
		}
	}
	if len(busy) == 0 {
		return
	}
	p := rapid.SampledFrom(busy).Draw(t, "busy payable")
	e := Entry{Seq: w.l.NextSeq(), Kind: KindBatchCreated, At: w.now, Actor: "forger", Batch: "B-forged", Amount: w.amount[p], Members: []PayableID{p}, ApprovalsRequired: 1}
	if err := w.l.Apply(e); err == nil {
		t.Fatalf("forged batch took %s (%s)", p, w.status[p])
	}
}

// check holds after every step.
func (w *world) check(t *rapid.T) {
	if err := w.l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
	want := map[balanceKey]int64{}
	for _, id := range w.ids {
		st, _ := w.l.Payable(id)
		if st.Status != w.status[id] {
			t.Fatalf("payable %s is %s; model %s", id, st.Status, w.status[id])
		}
		booked := w.l.PaymentsBooked(id)
		if booked != w.booked[id] || booked < 0 || booked > 1 || (booked == 1) != (st.Status == StatusSent || st.Status == StatusPaid) {
			t.Fatalf("payable %s (%s) has %d payments booked (journal %d)", id, st.Status, booked, w.booked[id])
		}
		m := w.amount[id]
		switch st.Status {
		case StatusOpen, StatusInBatch:
			want[balanceKey{AccountPayable, m.Currency}] -= m.Minor
			want[balanceKey{AccountExpense, m.Currency}] += m.Minor
		case StatusSent, StatusPaid:
			want[balanceKey{AccountBank, m.Currency}] -= m.Minor
			want[balanceKey{AccountExpense, m.Currency}] += m.Minor
		}
	}
	for _, c := range currencies {
		for _, a := range []Account{AccountExpense, AccountPayable, AccountBank} {
			if got := w.l.Balance(a, c); got != want[balanceKey{a, c}] {
				t.Fatalf("%s %s balance %d; model %d", a, c, got, want[balanceKey{a, c}])
			}
		}
	}
}

func TestLedgerProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld()
		steps := map[string]func(*rapid.T){
			"record": w.record, "withdraw": w.withdraw, "create": w.create, "approve": w.approve,
			"release": w.release, "cancel": w.cancel, "report": w.report,
			"forge payment": w.forgePayment, "forge batch": w.forgeBatch,
		}
		names := []string{"record", "record", "record", "withdraw", "create", "create", "approve", "release", "release", "cancel", "report", "report", "forge payment", "forge batch"}
		n := rapid.IntRange(1, 80).Draw(t, "steps")
		var clone *Ledger
		var cloneAt int
		for i := 0; i < n; i++ {
			if clone == nil && rapid.IntRange(0, 9).Draw(t, "clone now") == 0 {
				clone, cloneAt = w.l.Clone(), len(w.journal)
			}
			steps[rapid.SampledFrom(names).Draw(t, "step")](t)
			w.check(t)
		}
		if clone != nil {
			// A clone is untouched by what the original applied since, and
			// catches up with the same entries.
			before, err := Replay(w.journal[:cloneAt])
			if err != nil || !sameState(clone, before) {
				t.Fatalf("the clone changed with its original (%v)", err)
			}
			for _, e := range w.journal[cloneAt:] {
				if err := clone.Apply(e); err != nil {
					t.Fatalf("clone: %v", err)
				}
			}
			if !sameState(clone, w.l) {
				t.Fatal("the clone caught up to another state")
			}
		}
		r, err := Replay(w.journal)
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		if !sameState(w.l, r) {
			t.Fatal("the replayed journal gives another ledger")
		}
	})
}
