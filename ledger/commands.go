package ledger

import (
	"slices"
	"strings"
	"time"

	"roadcover"
	"roadcover/payee"
)

// RecordPayable returns the entry that records an approved amount owed to a
// payee. Bad fields come back as a *roadcover.InputError naming each one
// ("id", "source.kind", "amount", …); an id already taken is refused.
func (l *Ledger) RecordPayable(p Payable, at time.Time, actor string) (Entry, error) {
	if ie := checkPayable(p); ie != nil {
		return Entry{}, ie
	}
	if err := checkStep(at, actor); err != nil {
		return Entry{}, err
	}
	if _, dup := l.payables[p.ID]; dup {
		return Entry{}, refuse(ReasonDuplicate, "payable %s is already recorded", p.ID)
	}
	st := &PayableState{Payable: p}
	return Entry{
		Seq: l.next, Kind: KindPayable, At: at, Actor: actor,
		Payable: p.ID, Source: p.Source, Payee: p.Payee, Amount: p.Amount, Reference: p.Reference,
		Terms: p.Terms, Clause: p.Clause,
		Postings: expectedPostings(AccountExpense, AccountPayable, st),
	}, nil
}

// Withdraw returns the reversal entry that withdraws an open payable (one
// in no batch and never paid).
func (l *Ledger) Withdraw(id PayableID, at time.Time, actor string) (Entry, error) {
	if err := checkStep(at, actor); err != nil {
		return Entry{}, err
	}
	p, ok := l.payables[id]
	if !ok {
		return Entry{}, refuse(ReasonUnknownPayable, "no payable %s", id)
	}
	e := Entry{
		Seq: l.next, Kind: KindReversal, At: at, Actor: actor, Payable: id, Amount: p.Amount,
		Cause: CauseWithdrawn, Postings: expectedPostings(AccountPayable, AccountExpense, p),
	}
	switch p.Status {
	case StatusOpen:
		return e, nil
	case StatusWithdrawn:
		return Entry{}, refuse(ReasonNotOpen, "payable %s is already withdrawn", id)
	case StatusInBatch:
		return Entry{}, refuse(ReasonInTwoBatches, "payable %s is in batch %s: cancel the batch first", id, p.Batch)
	default:
		return Entry{}, refuse(ReasonPaidTwice, "payable %s is %s in batch %s and cannot be withdrawn", id, p.Status, p.Batch)
	}
}

// Policy is the approval rule for batches, passed in from configuration.
type Policy struct {
	// SecondApprovalAbove is, per currency, the batch total in minor units
	// above which a second approver is needed. A currency without an entry
	// is refused rather than given a default.
	SecondApprovalAbove map[string]int64
}

// approvalsFor is how many approvers a batch total needs.
func (p Policy) approvalsFor(total roadcover.Money) (int, error) {
	limit, ok := p.SecondApprovalAbove[total.Currency]
	if !ok {
		return 0, refuse(ReasonNoThreshold, "the approval policy names no threshold for %s", total.Currency)
	}
	if total.Minor > limit {
		return 2, nil
	}
	return 1, nil
}

// BatchRequest is a maker's request for a batch.
type BatchRequest struct {
	ID       BatchID
	Currency string
	// Payables lists what to pay; empty gathers every open payable of the
	// currency.
	Payables []PayableID
	Maker    string
}

// CreateBatch returns the entry that gathers open payables of one currency
// into a batch. How many approvers it needs is fixed now from the policy
// and recorded in the entry, so a later change of policy does not change
// what an existing batch needs.
func (l *Ledger) CreateBatch(r BatchRequest, policy Policy, at time.Time) (Entry, error) {
	ie := &roadcover.InputError{}
	if !payee.ValidID(string(r.ID)) {
		ie.Add("id", "", "must be 1 to 64 letters, digits, '.', ':' or '-'")
	}
	if !validCurrency(r.Currency) {
		ie.Add("currency", "", "must be an ISO 4217 code such as EUR or SEK")
	}
	if strings.TrimSpace(r.Maker) == "" {
		ie.Add("maker", "", "is required")
	}
	if err := ie.Err(); err != nil {
		return Entry{}, err
	}
	if err := checkStep(at, r.Maker); err != nil {
		return Entry{}, err
	}
	if _, dup := l.batches[r.ID]; dup {
		return Entry{}, refuse(ReasonDuplicate, "batch %s already exists", r.ID)
	}
	members := slices.Clone(r.Payables)
	if len(members) == 0 {
		members = l.Open(r.Currency)
	}
	slices.Sort(members)
	if len(slices.Compact(slices.Clone(members))) != len(members) {
		return Entry{}, refuse(ReasonInvalid, "batch %s lists a payable twice", r.ID)
	}
	if len(members) == 0 {
		return Entry{}, refuse(ReasonEmptyBatch, "no open payables in %s", r.Currency)
	}
	total := roadcover.Money{Currency: r.Currency}
	for _, id := range members {
		p, ok := l.payables[id]
		if !ok {
			return Entry{}, refuse(ReasonUnknownPayable, "no payable %s", id)
		}
		if err := gatherable(p); err != nil {
			return Entry{}, err
		}
		if p.Amount.Currency != r.Currency {
			return Entry{}, refuse(ReasonCurrency, "batch %s is in %s; payable %s is in %s", r.ID, r.Currency, id, p.Amount.Currency)
		}
		t, err := total.Add(p.Amount)
		if err != nil {
			return Entry{}, refuse(ReasonOverflow, "batch %s: the total overflows", r.ID)
		}
		total = t
	}
	need, err := policy.approvalsFor(total)
	if err != nil {
		return Entry{}, err
	}
	return Entry{
		Seq: l.next, Kind: KindBatchCreated, At: at, Actor: r.Maker, Batch: r.ID,
		Amount: total, Members: members, ApprovalsRequired: need,
	}, nil
}

// Approve returns the entry of a first approval of a batch that needs two.
// The maker may not approve, nor may anyone approve twice.
func (l *Ledger) Approve(id BatchID, approver string, at time.Time) (Entry, error) {
	if err := checkStep(at, approver); err != nil {
		return Entry{}, err
	}
	e := Entry{Seq: l.next, Kind: KindBatchApproved, At: at, Actor: approver, Batch: id}
	b, err := l.draftBatch(e)
	if err != nil {
		return Entry{}, err
	}
	if err := checkApprover(b, approver); err != nil {
		return Entry{}, err
	}
	if len(b.Approvers)+1 >= b.ApprovalsRequired {
		return Entry{}, refuse(ReasonBatchState, "batch %s needs no further approval: release it", id)
	}
	return e, nil
}

// Release returns the entries that release a batch: batch_released by the
// last approver (never the maker, never someone who already approved), then
// one payment entry per payable in id order. The execution date is the day
// the bank is asked to pay: the day of release (in at's location) or later.
func (l *Ledger) Release(id BatchID, approver string, execution roadcover.Date, at time.Time) ([]Entry, error) {
	if err := checkStep(at, approver); err != nil {
		return nil, err
	}
	switch {
	case execution.IsZero():
		return nil, &roadcover.InputError{Code: roadcover.CodeInvalidInput, Errors: []roadcover.FieldError{{Field: "execution_date", Code: roadcover.CodeInvalidInput, Detail: "is required"}}}
	case execution.Before(roadcover.DateOf(at)):
		return nil, &roadcover.InputError{Code: roadcover.CodeInvalidInput, Errors: []roadcover.FieldError{{Field: "execution_date", Code: roadcover.CodeInvalidInput, Detail: "is before the day of release " + roadcover.DateOf(at).String()}}}
	}
	rel := Entry{Seq: l.next, Kind: KindBatchReleased, At: at, Actor: approver, Batch: id, ExecutionDate: execution}
	b, err := l.draftBatch(rel)
	if err != nil {
		return nil, err
	}
	if err := checkApprover(b, approver); err != nil {
		return nil, err
	}
	if len(b.Approvers)+1 < b.ApprovalsRequired {
		return nil, refuse(ReasonSecondApprover, "batch %s (%s) needs %d approvers: another approver first", id, b.Total, b.ApprovalsRequired)
	}
	out := make([]Entry, 0, len(b.Members)+1)
	out = append(out, rel)
	for i, pid := range b.Members {
		p := l.payables[pid]
		out = append(out, Entry{
			Seq: l.next + int64(i) + 1, Kind: KindPayment, At: at, Actor: approver,
			Payable: pid, Batch: id, Amount: p.Amount,
			Postings: expectedPostings(AccountPayable, AccountBank, p),
		})
	}
	return out, nil
}

// Cancel returns the entry that cancels a batch before release; its
// payables are open again.
func (l *Ledger) Cancel(id BatchID, actor string, at time.Time) (Entry, error) {
	if err := checkStep(at, actor); err != nil {
		return Entry{}, err
	}
	e := Entry{Seq: l.next, Kind: KindBatchCancelled, At: at, Actor: actor, Batch: id}
	if _, err := l.draftBatch(e); err != nil {
		return Entry{}, err
	}
	return e, nil
}

// checkStep refuses a step without a time or an actor.
func checkStep(at time.Time, actor string) error {
	ie := &roadcover.InputError{}
	if at.IsZero() {
		ie.Add("at", "", "is required")
	}
	if strings.TrimSpace(actor) == "" {
		ie.Add("actor", "", "is required")
	}
	return ie.Err()
}
