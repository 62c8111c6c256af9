package payments

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// The JSON documents of payments, decoded once where a request enters and
// encoded once where the answer leaves. Amounts are decimal strings with
// two places and their currency, as elsewhere in the API.

// ReadBatchRequest decodes {"currency": "EUR", "payables": ["P-1", …]}.
func ReadBatchRequest(body []byte) (BatchRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r BatchRequest
	cur, ok := o.String("currency")
	if !ok && !errs.Has("body") && !errs.Has("currency") {
		errs.Add("currency", roadcover.CodeInvalidInput, "is required: the ISO 4217 code of the payables to pay (EUR, SEK)")
	}
	r.Currency = cur
	if items, ok := o.Array("payables"); ok {
		for i, raw := range items {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil || s == "" {
				errs.Add(fmt.Sprintf("payables.%d", i), roadcover.CodeInvalidInput, "must be a payable id")
				continue
			}
			r.Payables = append(r.Payables, ledger.PayableID(s))
		}
	}
	o.Done()
	return r, errs.Err()
}

// ReadRelease decodes the body of a release: {"execution_date": "2026-12-09"}
// or nothing (the day of release).
func ReadRelease(body []byte) (roadcover.Date, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return roadcover.Date{}, nil
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var d roadcover.Date
	if s, ok := o.String("execution_date"); ok {
		v, err := roadcover.ParseDate(s)
		if err != nil {
			errs.Add("execution_date", roadcover.CodeInvalidInput, "must be a date such as 2026-12-09")
		}
		d = v
	}
	o.Done()
	return d, errs.Err()
}

// ReadEmpty accepts an empty body or an empty JSON object (approve, cancel).
func ReadEmpty(body []byte) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	o.Done()
	return errs.Err()
}

// SourceView is what a payable pays for.
type SourceView struct {
	Kind ledger.SourceKind `json:"kind"`
	ID   string            `json:"id"`
	Line string            `json:"line"`
}

// RejectionView is one rejection of a payable's payment by the bank.
type RejectionView struct {
	Batch  ledger.BatchID `json:"batch"`
	Reason string         `json:"reason"`
	At     time.Time      `json:"at"`
}

// PayableView is a payable as the API shows it.
type PayableView struct {
	ID     ledger.PayableID `json:"id"`
	Status ledger.Status    `json:"status"`
	Source SourceView       `json:"source"`
	Payee  ledger.PayeeID   `json:"payee"`
	// PayeeName and PayeeAccount are the payee's stored details, shown so
	// that who is paid where can be checked before a release.
	PayeeName    string          `json:"payee_name,omitempty"`
	PayeeAccount string          `json:"payee_account,omitempty"`
	Amount       string          `json:"amount"`
	Currency     string          `json:"currency"`
	Reference    string          `json:"reference"`
	Terms        string          `json:"terms"`
	Clause       string          `json:"clause"`
	Batch        ledger.BatchID  `json:"batch,omitempty"`
	Rejections   []RejectionView `json:"rejections"`
	RecordedAt   time.Time       `json:"recorded_at"`
}

// ViewPayable is the API's view of p.
func ViewPayable(p ledger.PayableState) PayableView {
	v := PayableView{ID: p.ID, Status: p.Status, Source: SourceView{p.Source.Kind, p.Source.ID, p.Source.Line}, Payee: p.Payee,
		Amount: p.Amount.Amount(), Currency: p.Amount.Currency, Reference: p.Reference, Terms: p.Terms, Clause: p.Clause,
		Batch: p.Batch, Rejections: []RejectionView{}, RecordedAt: p.RecordedAt}
	for _, r := range p.Rejections {
		v.Rejections = append(v.Rejections, RejectionView{r.Batch, r.Reason, r.At})
	}
	return v
}

// ViewPayableTo is the API's view of p with its payee's details.
func ViewPayableTo(p ledger.PayableState, to payee.Payee) PayableView {
	v := ViewPayable(p)
	v.PayeeName, v.PayeeAccount = to.Name, to.Account.Text()
	return v
}

// OutcomeView is the bank's word on one payment.
type OutcomeView struct {
	Payable ledger.PayableID `json:"payable"`
	Result  ledger.Result    `json:"result"`
	Code    string           `json:"code,omitempty"`
}

// FileView describes a released batch's bank file.
type FileView struct {
	Format    string    `json:"format"`
	MessageID string    `json:"message_id"`
	SHA256    string    `json:"sha256"`
	Size      int       `json:"size"`
	Count     int       `json:"count"`
	CreatedAt time.Time `json:"created_at"`
	Href      string    `json:"href"`
}

// BatchView is a batch as the API shows it.
type BatchView struct {
	ID                ledger.BatchID     `json:"id"`
	Status            ledger.BatchStatus `json:"status"`
	Currency          string             `json:"currency"`
	Total             string             `json:"total"`
	Count             int                `json:"count"`
	Payables          []ledger.PayableID `json:"payables"`
	Maker             string             `json:"maker"`
	ApprovalsRequired int                `json:"approvals_required"`
	Approvers         []string           `json:"approvers"`
	CreatedAt         time.Time          `json:"created_at"`
	ReleasedAt        *time.Time         `json:"released_at,omitempty"`
	CancelledAt       *time.Time         `json:"cancelled_at,omitempty"`
	ExecutionDate     string             `json:"execution_date,omitempty"`
	Outcomes          []OutcomeView      `json:"outcomes"`
	File              *FileView          `json:"file,omitempty"`
	LeftOut           []LeftOut          `json:"left_out,omitempty"`
}

// ViewBatch is the API's view of b; f is its bank file when released (nil
// otherwise, or when the view is a list's) and href the file's path.
func ViewBatch(b ledger.Batch, f *store.PaymentFile, href string) BatchView {
	v := BatchView{ID: b.ID, Status: b.Status, Currency: b.Currency, Total: b.Total.Amount(), Count: len(b.Members),
		Payables: b.Members, Maker: b.Maker, ApprovalsRequired: b.ApprovalsRequired, Approvers: b.Approvers,
		CreatedAt: b.CreatedAt, Outcomes: []OutcomeView{}}
	if v.Payables == nil {
		v.Payables = []ledger.PayableID{}
	}
	if v.Approvers == nil {
		v.Approvers = []string{}
	}
	if !b.ReleasedAt.IsZero() {
		t := b.ReleasedAt
		v.ReleasedAt = &t
		v.ExecutionDate = b.ExecutionDate.String()
	}
	if !b.CancelledAt.IsZero() {
		t := b.CancelledAt
		v.CancelledAt = &t
	}
	for _, id := range b.Members {
		if o, ok := b.Outcomes[id]; ok {
			v.Outcomes = append(v.Outcomes, OutcomeView{Payable: id, Result: o.Result, Code: o.Code})
		}
	}
	if f != nil {
		v.File = &FileView{Format: f.Format, MessageID: f.MessageID, SHA256: fmt.Sprintf("%x", f.SHA256), Size: len(f.Data),
			Count: f.Count, CreatedAt: f.CreatedAt, Href: href}
	}
	return v
}

// ReportView is the answer to an imported status report.
type ReportView struct {
	MessageID  string        `json:"message_id"`
	Batch      BatchView     `json:"batch"`
	Outcomes   []OutcomeView `json:"outcomes"`
	Replayed   bool          `json:"replayed"`
	ImportedAt time.Time     `json:"imported_at"`
	Entries    []int64       `json:"entries"` // the first and last journal entries it gave; empty when none
}

// ViewReport is the API's view of an imported report.
func ViewReport(r Report) ReportView {
	v := ReportView{MessageID: r.Report.MessageID, Batch: ViewBatch(r.Batch, nil, ""), Outcomes: []OutcomeView{},
		Replayed: r.Replayed, ImportedAt: r.Report.ImportedAt, Entries: []int64{}}
	for _, o := range r.Outcomes {
		v.Outcomes = append(v.Outcomes, OutcomeView{Payable: o.Payable, Result: o.Result, Code: o.Code})
	}
	if r.Report.FirstSeq != 0 {
		v.Entries = []int64{r.Report.FirstSeq, r.Report.LastSeq}
	}
	return v
}
