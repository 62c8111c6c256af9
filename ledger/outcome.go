package ledger

import (
	"slices"
	"strings"
	"time"

	"roadcover"
)

// Result is the bank's word on one payment.
type Result string

// The results a status report gives a payment.
const (
	ResultPaid     Result = "paid"     // accepted or settled by the bank
	ResultRejected Result = "rejected" // refused by the bank; the payable opens again
	ResultPending  Result = "pending"  // received or checked, no final word yet; nothing changes
)

// Outcome is the bank's word on the payment of one payable in a batch.
type Outcome struct {
	Payable PayableID
	Result  Result
	// Code is the bank's status code for a payment (ACSC, ACCP, …) or its
	// reason code for a rejection (AC04, AM04, …; "NARR" when it gave none).
	Code string
}

// ApplyOutcomes returns the entries that apply a bank status report to a
// released batch: payment_confirmed for each payment reported paid, a
// reversal for each one reported rejected (the payable opens again).
// Pending outcomes and outcomes already applied (a report read twice, or ACCP
// followed by ACSC) give no entry. A rejection after the bank confirmed the
// payment, a payable outside the batch, or one payable reported both paid and
// rejected in the same report are refused, and nothing is applied.
func (l *Ledger) ApplyOutcomes(id BatchID, outcomes []Outcome, at time.Time, actor string) ([]Entry, error) {
	if err := checkStep(at, actor); err != nil {
		return nil, err
	}
	b, ok := l.batches[id]
	if !ok {
		return nil, refuse(ReasonUnknownBatch, "no batch %s", id)
	}
	if b.Status != BatchReleased {
		return nil, refuse(ReasonBatchState, "batch %s is %s: only a released batch has payments to report on", id, b.Status)
	}
	final := map[PayableID]Outcome{}
	var order []PayableID
	for _, o := range outcomes {
		if _, member := slices.BinarySearch(b.Members, o.Payable); !member {
			return nil, refuse(ReasonNotInBatch, "payable %s is not in batch %s", o.Payable, id)
		}
		switch o.Result {
		case ResultPending:
			continue
		case ResultPaid, ResultRejected:
		default:
			return nil, &roadcover.InputError{Code: roadcover.CodeInvalidInput, Errors: []roadcover.FieldError{{Field: "outcomes." + string(o.Payable) + ".result", Code: roadcover.CodeInvalidInput, Detail: "must be paid, rejected or pending"}}}
		}
		if prev, seen := final[o.Payable]; seen {
			if prev.Result != o.Result {
				return nil, refuse(ReasonOutcomeConflict, "payable %s is reported both %s and %s", o.Payable, prev.Result, o.Result)
			}
			continue
		}
		final[o.Payable] = o
		order = append(order, o.Payable)
	}
	slices.Sort(order)
	var out []Entry
	for _, pid := range order {
		o := final[pid]
		p := l.payables[pid]
		done, had := b.Outcomes[pid]
		switch {
		case had && done.Result == o.Result:
			continue // already applied
		case had && done.Result == ResultPaid:
			return nil, refuse(ReasonConfirmedPaid, "the bank confirmed payable %s paid in batch %s; a later rejection needs a handler", pid, id)
		case had && done.Result == ResultRejected:
			return nil, refuse(ReasonOutcomeConflict, "payable %s was rejected in batch %s and is now reported paid", pid, id)
		}
		if p.Status != StatusSent || p.Batch != id {
			return nil, refuse(ReasonNotInBatch, "payable %s has no payment awaiting the bank in batch %s", pid, id)
		}
		e := Entry{Seq: l.next + int64(len(out)), At: at, Actor: actor, Payable: pid, Batch: id}
		if o.Result == ResultPaid {
			e.Kind = KindPaymentConfirmed
			e.Reason = o.Code
		} else {
			e.Kind = KindReversal
			e.Cause = CauseRejected
			e.Amount = p.Amount
			e.Reason = strings.TrimSpace(o.Code)
			if e.Reason == "" {
				e.Reason = "NARR"
			}
			e.Postings = expectedPostings(AccountBank, AccountPayable, p)
		}
		out = append(out, e)
	}
	return out, nil
}

// Released is a released batch with what each of its payments carries, as a
// bank file needs it.
type Released struct {
	Batch    Batch
	Payments []Payable // in the batch's member order
}

// ReleasedBatch returns a released batch and its payments.
func (l *Ledger) ReleasedBatch(id BatchID) (Released, error) {
	b, ok := l.Batch(id)
	if !ok {
		return Released{}, refuse(ReasonUnknownBatch, "no batch %s", id)
	}
	if b.Status != BatchReleased {
		return Released{}, refuse(ReasonBatchState, "batch %s is %s, not released", id, b.Status)
	}
	r := Released{Batch: b, Payments: make([]Payable, 0, len(b.Members))}
	for _, pid := range b.Members {
		r.Payments = append(r.Payments, l.payables[pid].Payable)
	}
	return r, nil
}
