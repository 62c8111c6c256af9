package store

import (
	"context"
	"time"

	"roadcover/ledger"
	"roadcover/payee"
)

// LedgerTx is what a transaction offers of the money ledger (append-only entries) and the payment batches with their bank files.
//
// The journal is kept as ledger.Entry rows numbered by Seq, each with its
// postings and batch members, all append-only (the schema refuses UPDATE
// and DELETE). A writer calls LockLedger first, reads the entries it has
// not seen (LedgerEntries), runs a ledger step and appends what it returned
// (AppendLedger) in the same transaction; two writers therefore never
// compute steps from the same state, and two batches racing for one
// payable cannot both take it.
type LedgerTx interface {
	// LockLedger makes this transaction the journal's only writer until it
	// ends (PostgreSQL: a transaction-scoped lock; SQLite: its write
	// transactions are one at a time already). Entries read after it are
	// the last committed ones.
	LockLedger(ctx context.Context) error
	// AppendLedger inserts entries, in Seq order, with their postings and
	// members. ErrConflict when a Seq is taken (a writer that did not lock
	// was first); nothing of the call is then written.
	AppendLedger(ctx context.Context, entries []LedgerEntry) error
	// LedgerEntries returns the entries after Seq after, in Seq order, with
	// their postings and members.
	LedgerEntries(ctx context.Context, after int64) ([]LedgerEntry, error)
	// LedgerChain returns the chain value stored with entry seq;
	// ErrNotFound when there is no such entry.
	LedgerChain(ctx context.Context, seq int64) ([]byte, error)

	// PutPayee stores a payee's details, replacing those kept under its id
	// (CreatedAt of the first version is kept).
	PutPayee(ctx context.Context, p Payee) error
	// GetPayee returns a payee; ErrNotFound when there is none.
	GetPayee(ctx context.Context, id string) (Payee, error)
	// ListPayees returns the payees among ids (in id order); ids without a
	// payee are left out.
	ListPayees(ctx context.Context, ids []string) ([]Payee, error)

	// InsertPaymentFile keeps a released batch's bank file, once:
	// ErrConflict when the batch has one.
	InsertPaymentFile(ctx context.Context, f PaymentFile) error
	// GetPaymentFile returns a batch's bank file; ErrNotFound when none.
	GetPaymentFile(ctx context.Context, batch string) (PaymentFile, error)

	// InsertStatusReport keeps an imported bank status report, once per
	// batch and message id: ErrConflict when it was imported before.
	InsertStatusReport(ctx context.Context, r StatusReport) error
	// GetStatusReport returns an imported report; ErrNotFound when none.
	GetStatusReport(ctx context.Context, batch, messageID string) (StatusReport, error)
	// ListStatusReports lists a batch's imported reports, oldest first,
	// without their bytes (Data is nil).
	ListStatusReports(ctx context.Context, batch string) ([]StatusReport, error)
}

// LedgerEntry is one entry of the journal as a store keeps it: the entry
// with its postings and members, and Chain, the SHA-256 of the previous
// entry's chain and this entry's content (see package payments), so that a
// reader can tell that what it holds is a prefix of what is stored.
type LedgerEntry struct {
	ledger.Entry
	Chain []byte
}

// Payee is someone the ledger pays, with the account details payments go
// to, as last recorded.
type Payee struct {
	payee.Payee
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PaymentFile is the bank file of a released batch, kept byte for byte: the
// same batch always downloads as the same bytes.
type PaymentFile struct {
	Batch     string    `json:"batch"`
	MessageID string    `json:"message_id"`
	Format    string    `json:"format"` // "pain.001.001.03"
	Data      []byte    `json:"-"`
	SHA256    []byte    `json:"sha256"`
	Count     int       `json:"count"` // transactions in the file
	CreatedAt time.Time `json:"created_at"`
}

// StatusReport is a bank status report (pain.002) imported for a batch,
// kept byte for byte with the journal entries it gave.
type StatusReport struct {
	Batch      string    `json:"batch"`
	MessageID  string    `json:"message_id"` // the report's own message id
	Data       []byte    `json:"-"`
	SHA256     []byte    `json:"sha256"`
	Actor      Actor     `json:"actor"`
	ImportedAt time.Time `json:"imported_at"`
	// FirstSeq and LastSeq are the journal entries the report gave (both 0
	// when it changed nothing: pending outcomes, or all applied before).
	FirstSeq int64 `json:"first_seq"`
	LastSeq  int64 `json:"last_seq"`
}
