package ledger

import (
	"time"

	"roadcover"
)

// PayableID, PayeeID and BatchID identify payables, payees and batches. They
// are chosen by the caller: 1 to 64 letters, digits, '.', ':' or '-' (see
// payee.ValidID), so that they can be written into bank references.
type (
	PayableID string
	PayeeID   string
	BatchID   string
)

// Kind is what an entry records.
type Kind string

// The kinds of journal entries. Payable, payment and reversal carry postings;
// the others carry none.
const (
	KindPayable          Kind = "payable"
	KindPayment          Kind = "payment"
	KindReversal         Kind = "reversal"
	KindBatchCreated     Kind = "batch_created"
	KindBatchApproved    Kind = "batch_approved"
	KindBatchReleased    Kind = "batch_released"
	KindBatchCancelled   Kind = "batch_cancelled"
	KindPaymentConfirmed Kind = "payment_confirmed"
)

// Account is a ledger account. Every posting also names a source and a
// payee, so balances can be read per case or claim and per payee.
type Account string

// The ledger's accounts.
const (
	// AccountExpense is the cost of what was decided: reimbursements of
	// receipts and claim settlements. Payables debit it.
	AccountExpense Account = "expense"
	// AccountPayable is what is owed to payees and not yet paid out.
	AccountPayable Account = "payable"
	// AccountBank is what left our bank account in released batches.
	AccountBank Account = "bank"
)

// SourceKind says what a payable pays for.
type SourceKind string

// The sources of payables.
const (
	SourceAssistanceReceipt SourceKind = "assistance_receipt" // a receipt line of an assistance case
	SourceInsuranceClaim    SourceKind = "insurance_claim"    // a line of an insurance claim's settlement
)

// Source is what a payable pays for: a case or claim (ID) and its line.
type Source struct {
	Kind SourceKind
	ID   string // the assistance case id or the insurance claim id
	Line string // the receipt line or the settlement line within it
}

// Posting is one side of an entry: a debit (positive) or a credit (negative)
// on an account, for a source and a payee.
type Posting struct {
	Account Account
	Amount  roadcover.Money
	Source  Source
	Payee   PayeeID
}

// ReversalCause says why a reversal entry undoes an earlier one.
type ReversalCause string

// The causes of reversals.
const (
	CauseRejected  ReversalCause = "rejected"  // the bank rejected the payment; the payable is open again
	CauseWithdrawn ReversalCause = "withdrawn" // the payable is withdrawn before it was paid
)

// Entry is one row of the journal. Which fields are set depends on Kind:
//
//	all kinds          Seq, Kind, At, Actor
//	payable            Payable, Source, Payee, Amount, Reference, Terms, Clause, Postings
//	payment            Payable, Batch, Amount, Postings
//	reversal           Payable, Amount, Cause, Postings; Batch and Reason when rejected
//	batch_created      Batch, Amount (the total), Members, ApprovalsRequired
//	batch_approved     Batch
//	batch_released     Batch, ExecutionDate
//	batch_cancelled    Batch
//	payment_confirmed  Payable, Batch, Reason (the bank's status code)
//
// A store keeps each entry as one row and its postings and members as rows
// of their own tables, all append-only; nothing is ever updated or deleted.
type Entry struct {
	Seq   int64
	Kind  Kind
	At    time.Time
	Actor string // who recorded it: a handler, a maker, an approver, the bank import

	Payable   PayableID
	Batch     BatchID
	Source    Source
	Payee     PayeeID
	Amount    roadcover.Money
	Reference string // payable: the text the payee sees with the payment (max 140 characters)
	Terms     string // payable: the terms version the amount rests on ("insurance-se-2021-10")
	Clause    string // payable: the clause of that version the amount rests on ("2.8")

	Members           []PayableID // batch_created, in ascending order
	ApprovalsRequired int         // batch_created: 1, or 2 above the policy's threshold
	ExecutionDate     roadcover.Date

	Cause  ReversalCause
	Reason string // reversal when rejected: the bank's reason code (AC04, AM04, …); payment_confirmed: its status (ACSC, …)

	Postings []Posting
}

// Payable is an approved amount owed to a payee for a source.
type Payable struct {
	ID        PayableID
	Source    Source
	Payee     PayeeID
	Amount    roadcover.Money
	Reference string
	// Terms and Clause name what the amount rests on: a terms version id
	// and a clause number of its index (each at most 64 characters). The
	// ledger keeps them with the payable; it does not read them.
	Terms  string
	Clause string
}
