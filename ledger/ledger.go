package ledger

import (
	"slices"
	"time"

	"roadcover"
)

// Status is where a payable stands.
type Status string

// The states of a payable. A payable the bank rejected is open again (and
// lists the rejection); it can go into a later batch.
const (
	StatusOpen      Status = "open"      // owed; in no batch
	StatusInBatch   Status = "in_batch"  // in a batch that is not yet released
	StatusSent      Status = "sent"      // released: the payment entry is booked; the bank has not confirmed it
	StatusPaid      Status = "paid"      // the bank confirmed the payment
	StatusWithdrawn Status = "withdrawn" // withdrawn before it was paid
)

// Rejection is one payment of a payable that the bank rejected.
type Rejection struct {
	Batch  BatchID
	Reason string // the bank's reason code
	At     time.Time
}

// PayableState is a payable and where it stands.
type PayableState struct {
	Payable
	Status     Status
	Batch      BatchID // the batch it is in, was sent in or was paid in; "" when open or withdrawn
	Rejections []Rejection
	RecordedAt time.Time
}

// BatchStatus is where a batch stands.
type BatchStatus string

// The states of a batch.
const (
	BatchDraft     BatchStatus = "draft"     // created, not yet released; may be approved or cancelled
	BatchReleased  BatchStatus = "released"  // released: its payments are booked and go to the bank
	BatchCancelled BatchStatus = "cancelled" // cancelled before release; its payables are open again
)

// Batch is a payment batch: payables of one currency gathered by a maker,
// approved and released by others.
type Batch struct {
	ID                BatchID
	Status            BatchStatus
	Currency          string
	Total             roadcover.Money
	Members           []PayableID // ascending
	Maker             string
	ApprovalsRequired int
	Approvers         []string // in order; the last one released it
	CreatedAt         time.Time
	ReleasedAt        time.Time
	CancelledAt       time.Time
	ExecutionDate     roadcover.Date
	Outcomes          map[PayableID]Outcome // the bank's final word per payable (paid or rejected)
}

type balanceKey struct {
	Account  Account
	Currency string
}

type sourceKey struct {
	Kind SourceKind
	ID   string
}

type balances map[balanceKey]int64

// Ledger is the state built by the journal's entries, applied in order.
// The zero value is not ready: use New.
type Ledger struct {
	next     int64
	payables map[PayableID]*PayableState
	batches  map[BatchID]*Batch
	total    balances
	bySource map[sourceKey]balances
	byPayee  map[PayeeID]balances
	// paid counts, per payable, payment entries minus reversals of payments:
	// 0 or 1, never more (checked on every entry).
	paid map[PayableID]int
}

// New is an empty ledger whose next entry is number 1.
func New() *Ledger {
	return &Ledger{
		next:     1,
		payables: map[PayableID]*PayableState{},
		batches:  map[BatchID]*Batch{},
		total:    balances{},
		bySource: map[sourceKey]balances{},
		byPayee:  map[PayeeID]balances{},
		paid:     map[PayableID]int{},
	}
}

// Replay builds a ledger from stored entries in journal order.
func Replay(entries []Entry) (*Ledger, error) {
	l := New()
	for _, e := range entries {
		if err := l.Apply(e); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// Clone is an independent copy of the ledger: applying entries to either
// leaves the other as it was. A store's reader keeps a ledger built from
// committed entries and works on clones of it.
func (l *Ledger) Clone() *Ledger {
	c := &Ledger{
		next:     l.next,
		payables: make(map[PayableID]*PayableState, len(l.payables)),
		batches:  make(map[BatchID]*Batch, len(l.batches)),
		total:    cloneBalances(l.total),
		bySource: make(map[sourceKey]balances, len(l.bySource)),
		byPayee:  make(map[PayeeID]balances, len(l.byPayee)),
		paid:     make(map[PayableID]int, len(l.paid)),
	}
	for id, p := range l.payables {
		q := *p
		q.Rejections = slices.Clone(p.Rejections)
		c.payables[id] = &q
	}
	for id := range l.batches {
		b, _ := l.Batch(id)
		c.batches[id] = &b
	}
	for k, b := range l.bySource {
		c.bySource[k] = cloneBalances(b)
	}
	for k, b := range l.byPayee {
		c.byPayee[k] = cloneBalances(b)
	}
	for k, v := range l.paid {
		c.paid[k] = v
	}
	return c
}

func cloneBalances(b balances) balances {
	c := make(balances, len(b))
	for k, v := range b {
		c[k] = v
	}
	return c
}

// NextSeq is the number the next entry must carry.
func (l *Ledger) NextSeq() int64 { return l.next }

// Payable returns a payable and where it stands.
func (l *Ledger) Payable(id PayableID) (PayableState, bool) {
	p, ok := l.payables[id]
	if !ok {
		return PayableState{}, false
	}
	c := *p
	c.Rejections = slices.Clone(p.Rejections)
	return c, true
}

// Batch returns a batch.
func (l *Ledger) Batch(id BatchID) (Batch, bool) {
	b, ok := l.batches[id]
	if !ok {
		return Batch{}, false
	}
	c := *b
	c.Members = slices.Clone(b.Members)
	c.Approvers = slices.Clone(b.Approvers)
	c.Outcomes = make(map[PayableID]Outcome, len(b.Outcomes))
	for k, v := range b.Outcomes {
		c.Outcomes[k] = v
	}
	return c, true
}

// Payables lists every payable in id order.
func (l *Ledger) Payables() []PayableState {
	ids := make([]PayableID, 0, len(l.payables))
	for id := range l.payables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]PayableState, 0, len(ids))
	for _, id := range ids {
		p, _ := l.Payable(id)
		out = append(out, p)
	}
	return out
}

// Batches lists every batch in id order.
func (l *Ledger) Batches() []Batch {
	ids := make([]BatchID, 0, len(l.batches))
	for id := range l.batches {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]Batch, 0, len(ids))
	for _, id := range ids {
		b, _ := l.Batch(id)
		out = append(out, b)
	}
	return out
}

// Outstanding lists the payables still owed in a currency ("" for all):
// open, in a draft batch, or sent and not yet confirmed, in id order.
func (l *Ledger) Outstanding(currency string) []PayableState {
	var out []PayableState
	for _, p := range l.Payables() {
		if currency != "" && p.Amount.Currency != currency {
			continue
		}
		switch p.Status {
		case StatusOpen, StatusInBatch, StatusSent:
			out = append(out, p)
		}
	}
	return out
}

// Open lists the ids of the open payables of a currency in id order: what a
// maker can gather into a batch.
func (l *Ledger) Open(currency string) []PayableID {
	var out []PayableID
	for id, p := range l.payables {
		if p.Status == StatusOpen && p.Amount.Currency == currency {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// Balance is the balance of an account in a currency: debits minus credits
// in minor units. Expense is positive (cost), payable and bank negative
// (owed, paid out).
func (l *Ledger) Balance(a Account, currency string) int64 {
	return l.total[balanceKey{a, currency}]
}

// SourceBalance is the balance of an account in a currency for one case or
// claim (all its lines).
func (l *Ledger) SourceBalance(kind SourceKind, id string, a Account, currency string) int64 {
	return l.bySource[sourceKey{kind, id}][balanceKey{a, currency}]
}

// PayeeBalance is the balance of an account in a currency for one payee.
func (l *Ledger) PayeeBalance(p PayeeID, a Account, currency string) int64 {
	return l.byPayee[p][balanceKey{a, currency}]
}

// Currencies lists the currencies the ledger holds amounts in.
func (l *Ledger) Currencies() []string {
	seen := map[string]bool{}
	for k := range l.total {
		seen[k.Currency] = true
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// TrialBalance checks that every currency's accounts sum to zero, in the
// whole ledger, per source and per payee. It returns nil when they do; Apply
// keeps this true, so an error here means a bug.
func (l *Ledger) TrialBalance() error {
	check := func(where string, b balances) error {
		sums := map[string]int64{}
		for k, v := range b {
			s, ok := roadcover.AddMinor(sums[k.Currency], v)
			if !ok {
				return refuse(ReasonOverflow, "%s: %s balances overflow", where, k.Currency)
			}
			sums[k.Currency] = s
		}
		for c, s := range sums {
			if s != 0 {
				return refuse(ReasonUnbalanced, "%s: %s accounts sum to %d", where, c, s)
			}
		}
		return nil
	}
	if err := check("ledger", l.total); err != nil {
		return err
	}
	for k, b := range l.bySource {
		if err := check("source "+string(k.Kind)+" "+k.ID, b); err != nil {
			return err
		}
	}
	for p, b := range l.byPayee {
		if err := check("payee "+string(p), b); err != nil {
			return err
		}
	}
	return nil
}

// PaymentsBooked is the number of payment entries of a payable not undone by
// a reversal: 0 or 1.
func (l *Ledger) PaymentsBooked(id PayableID) int { return l.paid[id] }
