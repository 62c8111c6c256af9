package ledger

import (
	"errors"
	"fmt"

	"roadcover"
)

// Reason names why the ledger refused something. Tests and callers compare
// reasons; the edges show the wrapped roadcover code (409, 403, 404, 422).
type Reason string

// The reasons for refusals.
const (
	ReasonUnbalanced      Reason = "unbalanced"        // postings do not sum to zero
	ReasonPostings        Reason = "postings_mismatch" // postings are not those of the entry's kind
	ReasonOverflow        Reason = "overflow"          // an amount or a balance would not fit in int64
	ReasonSequence        Reason = "sequence"          // Seq is not the next number of the journal
	ReasonUnknownPayable  Reason = "unknown_payable"
	ReasonUnknownBatch    Reason = "unknown_batch"
	ReasonDuplicate       Reason = "duplicate"        // a payable or batch id is taken
	ReasonPaidTwice       Reason = "paid_twice"       // the payable is already paid or on its way
	ReasonInTwoBatches    Reason = "in_two_batches"   // the payable is already in a batch
	ReasonNotOpen         Reason = "not_open"         // the payable is withdrawn
	ReasonCurrency        Reason = "currency"         // more than one currency in a batch, or amounts of another currency
	ReasonBatchState      Reason = "batch_state"      // the batch is not in the state the step needs
	ReasonMakerApproves   Reason = "maker_approves"   // the maker may not approve or release
	ReasonSameApprover    Reason = "same_approver"    // one person may approve a batch only once
	ReasonSecondApprover  Reason = "second_approver"  // the batch needs another approver before release
	ReasonNotInBatch      Reason = "not_in_batch"     // the payable is not (or no longer) in that batch
	ReasonConfirmedPaid   Reason = "confirmed_paid"   // the bank confirmed the payment; it cannot be rejected or confirmed again
	ReasonNoThreshold     Reason = "no_threshold"     // the policy has no approval threshold for the currency
	ReasonInvalid         Reason = "invalid"          // a field is missing or malformed
	ReasonAmountMismatch  Reason = "amount_mismatch"  // an amount differs from the payable's or the batch's
	ReasonEmptyBatch      Reason = "empty_batch"      // a batch without payables
	ReasonOutcomeConflict Reason = "outcome_conflict" // the bank reported both paid and rejected
)

// reasonCodes maps each reason to the code the edges show.
var reasonCodes = map[Reason]roadcover.Code{
	ReasonUnbalanced:      roadcover.CodeInvalidInput,
	ReasonPostings:        roadcover.CodeInvalidInput,
	ReasonOverflow:        roadcover.CodeInvalidInput,
	ReasonSequence:        roadcover.CodeConflict,
	ReasonUnknownPayable:  roadcover.CodeNotFound,
	ReasonUnknownBatch:    roadcover.CodeNotFound,
	ReasonDuplicate:       roadcover.CodeConflict,
	ReasonPaidTwice:       roadcover.CodeConflict,
	ReasonInTwoBatches:    roadcover.CodeConflict,
	ReasonNotOpen:         roadcover.CodeConflict,
	ReasonCurrency:        roadcover.CodeInvalidInput,
	ReasonBatchState:      roadcover.CodeConflict,
	ReasonMakerApproves:   roadcover.CodeConflict, // the caller may approve batches, not this one: a conflict with the batch's state
	ReasonSameApprover:    roadcover.CodeConflict,
	ReasonSecondApprover:  roadcover.CodeConflict,
	ReasonNotInBatch:      roadcover.CodeConflict,
	ReasonConfirmedPaid:   roadcover.CodeConflict,
	ReasonNoThreshold:     roadcover.CodeInvalidInput,
	ReasonInvalid:         roadcover.CodeInvalidInput,
	ReasonAmountMismatch:  roadcover.CodeInvalidInput,
	ReasonEmptyBatch:      roadcover.CodeInvalidInput,
	ReasonOutcomeConflict: roadcover.CodeConflict,
}

// Error is a refusal by the ledger. It unwraps to a *roadcover.Error with the
// reason's code, so roadcover.ProblemFor shows it with the right status.
type Error struct {
	Reason Reason
	Detail string
}

func (e *Error) Error() string { return "ledger: " + string(e.Reason) + ": " + e.Detail }

// Unwrap returns the coded error the edges show.
func (e *Error) Unwrap() error {
	code, ok := reasonCodes[e.Reason]
	if !ok {
		code = roadcover.CodeInternal
	}
	return &roadcover.Error{Code: code, Detail: e.Detail}
}

// IsReason reports whether err is a ledger refusal for reason r.
func IsReason(err error, r Reason) bool {
	var e *Error
	return errors.As(err, &e) && e.Reason == r
}

// ReasonOf is the reason of a ledger refusal, or "" for any other error.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func refuse(r Reason, format string, args ...any) error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
