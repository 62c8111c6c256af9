package store

import (
	"context"
	"encoding/json"
	"time"

	"roadcover"
)

// ReceiptTx is what a transaction offers of receipts on cases: their files (kept once by SHA-256) and their checked lines.
type ReceiptTx interface {
	// PutReceiptFile keeps a receipt file once by its SHA-256: true when
	// it is stored now, false when the same bytes were stored before (then
	// nothing is written and the stored file serves).
	PutReceiptFile(ctx context.Context, f ReceiptFile) (bool, error)
	// ReceiptFile returns a stored file with its content.
	ReceiptFile(ctx context.Context, sha256 string) (ReceiptFile, error)

	// InsertReceipt stores a new receipt of a case with its first line
	// (r.LineNo and l.No are 1). ErrNotFound when the case or the file is
	// not stored; ErrConflict when the id is taken.
	InsertReceipt(ctx context.Context, r Receipt, l ReceiptLine) error
	// GetReceipt returns a receipt with its current line.
	GetReceipt(ctx context.Context, id string) (Receipt, error)
	// CaseReceipts lists a case's receipts with their current lines,
	// oldest first.
	CaseReceipts(ctx context.Context, caseID string) ([]Receipt, error)
	// FileReceipts lists the receipts of every case whose file has the
	// given SHA-256, oldest first (a receipt sent again with another case).
	FileReceipts(ctx context.Context, sha256 string) ([]Receipt, error)
	// AppendReceiptLine stores l as the next version of its receipt's line
	// (a review is a new version, never an edit) and sets the receipt's
	// state columns from r (LineNo = l.No, Status, NeedsReview, PayableNo,
	// UpdatedAt). ErrStale when the receipt's current line is not l.No-1.
	AppendReceiptLine(ctx context.Context, r Receipt, l ReceiptLine) error
	// SetReceiptPayable records that a payable was recorded for line no of
	// the receipt (a payee given after the line was checked).
	SetReceiptPayable(ctx context.Context, id string, no int64, at time.Time) error
	// ReceiptLines lists every version of a receipt's line, oldest first.
	ReceiptLines(ctx context.Context, receiptID string) ([]ReceiptLine, error)
	// ListReceipts lists receipts with their current lines, oldest first
	// (the review queue with NeedsReview).
	ListReceipts(ctx context.Context, f ReceiptFilter) ([]Receipt, error)
	// LockCaseReceipts holds back every other writer of the case's receipts
	// until this transaction ends, so that a check reads the lines before it
	// as they will stand when it commits. ErrNotFound for an unknown case.
	LockCaseReceipts(ctx context.Context, caseID string) error
}

// ReceiptFile is the file of a receipt, kept once by the SHA-256 of its
// content and never changed.
type ReceiptFile struct {
	SHA256    string // lower-case hex
	MediaType string // application/pdf, image/jpeg, image/png
	Size      int64
	Content   []byte
	CreatedAt time.Time
}

// How a receipt came in.
const (
	ViaOperator     = "operator"      // an operator's token
	ViaTrackingLink = "tracking_link" // the driver behind a tracking link
)

// Receipt is one receipt of a case: its file, its JSON part as sent, the
// columns a duplicate search and a list read, who sent it, and the state of
// its current line.
type Receipt struct {
	ID     string
	CaseID string
	// File names the stored file; FileType and FileSize describe it
	// (filled on reads).
	File     string
	FileType string
	FileSize int64
	// Part is the receipt's JSON part as sent.
	Part json.RawMessage
	// What a duplicate search compares and a list shows, from the part.
	Category string
	Date     roadcover.Date
	Amount   roadcover.Money
	Merchant string
	// PHash is the file's perceptual hash when it is an image.
	PHash    uint64
	HasPHash bool
	// Payee is the payee given with the receipt (JSON of payee.Payee),
	// nil when none was given.
	Payee json.RawMessage
	// Suggestion is what was read from the image, when anything was.
	Suggestion json.RawMessage
	// Duplicates are the receipts of the case this one may duplicate
	// (JSON array), flagged for a person when it came in.
	Duplicates json.RawMessage
	Via        string
	Actor      Actor
	CreatedAt  time.Time

	// The current line: its number, status, whether a person must look
	// at it, the line number a payable was recorded for (0: none).
	LineNo      int64
	Status      string
	NeedsReview bool
	PayableNo   int64
	UpdatedAt   time.Time
	// Line is the current line (filled on reads).
	Line ReceiptLine
}

// ReceiptLine is one version of a receipt's checked line: the check's, then
// one per review. Lines are never edited.
type ReceiptLine struct {
	ReceiptID string
	No        int64
	// Action is "check" for the check, or the review's action (approve,
	// cut, refuse).
	Action string
	Status string
	Amount roadcover.Money
	// Line is the line as the check or the review wrote it (JSON).
	Line  json.RawMessage
	At    time.Time
	Actor Actor
}

// ReceiptFilter selects receipts, oldest first.
type ReceiptFilter struct {
	NeedsReview bool   // only those a person must look at
	After       string // the id of the last receipt of the previous page
	Limit       int
}
