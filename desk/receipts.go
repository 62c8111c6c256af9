package desk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/payee"
	"roadcover/receiptfile"
	"roadcover/reimbursement"
	"roadcover/store"
)

// Receipts on cases. A receipt comes in as a file (a PDF, JPEG or PNG,
// recognised by its content) and a JSON part (what it says: category,
// amount, currency, date, merchant, persons, nights or days, VAT, and
// optionally the payee the customer is paid on). It is checked against the
// case's stored decision (never decided again), the customer's recorded
// choices and the lines of the case's receipts before it, whose limits it
// shares; receipts that may duplicate one of the case (the same file, the
// same day, amount, currency and merchant, a near-identical photograph)
// are flagged for a person, never dropped. Each receipt's line is kept in
// versions: the check's, then one per operator review (approve, cut or
// refuse with a reason). An approved or cut amount becomes a payable to
// the customer in the same transaction, once a payee is known and no person
// need look at the line; a paid receipt is not reviewed again.

// Event kinds of receipts in a case's timeline.
const (
	EventReceiptAdded    = "receipt_added"
	EventReceiptReviewed = "receipt_reviewed"
)

// ReceiptSetup is what the receipts of cases need besides the assistance
// engine's facts providers.
type ReceiptSetup struct {
	// Env holds the euro reference rates and the working-day calendar of
	// the check. A zero field falls back on the desk's Env when its
	// provider serves the check too (fx.Rates and calendar.Calendar do);
	// with neither, a line that needs one says so.
	Env reimbursement.Env
	// Paid says whether a receipt was paid (the ledger); nil: nothing is.
	Paid PaidChecker
	// Payables records what receipts owe (the ledger); nil: nothing is
	// recorded, and a line says so nowhere but in its payable number 0.
	Payables PayableRecorder
}

// PaidChecker is the ledger as a review sees it.
type PaidChecker interface {
	// ReceiptPaid reports whether the receipt's payable was paid (or sent
	// to the bank in a released batch).
	ReceiptPaid(ctx context.Context, tx store.Tx, caseID, receiptID string) (bool, error)
}

// PayableRecorder is the ledger as receipts feed it, in the caller's
// transaction.
type PayableRecorder interface {
	// RecordPayable records that a receipt's line owes its amount to the
	// payee. A receipt owes one amount at a time: the ledger withdraws a
	// payable recorded for an earlier line of the same receipt that is not
	// paid (Payable.Replaces names its line).
	RecordPayable(ctx context.Context, tx store.Tx, p Payable) error
	// WithdrawPayable withdraws a receipt's payable that is not paid (its
	// line was refused on review).
	WithdrawPayable(ctx context.Context, tx store.Tx, w PayableWithdrawal) error
}

// Payable is what one receipt line owes the customer.
type Payable struct {
	// ID is the payable's id: "rcp:" + the receipt's id + ":" + the line
	// number, in the alphabet of payee.ValidID.
	ID        string
	CaseID    string
	ReceiptID string
	LineNo    int64
	// Replaces is the line number of the receipt's earlier payable (0:
	// none).
	Replaces int64
	Payee    payee.Payee
	Amount   roadcover.Money
	// Terms, Clause and Reason are the terms version, the clause and the
	// reason code of the line.
	Terms, Clause, Reason string
	At                    time.Time
	Actor                 Actor
}

// PayableWithdrawal withdraws a receipt's payable for line LineNo.
type PayableWithdrawal struct {
	ID        string
	CaseID    string
	ReceiptID string
	LineNo    int64
	At        time.Time
	Actor     Actor
}

// PayableID is the id of the payable of a receipt's line.
func PayableID(receiptID string, no int64) string {
	return idText("rcp:" + strings.TrimPrefix(receiptID, ReceiptPrefix) + ":" + fmt.Sprint(no))
}

// casePayeeID is the id of a payee given with a case's receipt: the case
// and a digest of the name and account. The ledger keeps one set of
// details per payee id, so a later receipt naming another account is
// another payee and the payables recorded before still pay the account
// given with them; the same details again are the same payee.
func casePayeeID(caseID string, p payee.Payee) string {
	h := sha256.New()
	for _, f := range []string{p.Name, string(p.Account.Method), p.Account.IBAN, p.Account.BIC, p.Account.Bankgiro,
		p.Account.Clearing, p.Account.Number} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return idText("case:" + caseID + ":" + hex.EncodeToString(h.Sum(nil))[:12])
}

// idText keeps an id to the alphabet of payee.ValidID (other characters
// become '-') and its 64 characters.
func idText(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == ':' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > 64 {
		b = b[len(b)-64:]
	}
	return string(b)
}

// ReceiptPrefix starts every receipt id.
const ReceiptPrefix = "rcp_"

// MaxReceiptPart bounds the JSON part of a receipt.
const MaxReceiptPart = 64 << 10

// ReceiptUpload is a receipt as sent, read and checked on its own before
// any store is touched: its file recognised and fingerprinted, its JSON
// part decoded.
type ReceiptUpload struct {
	File    receiptfile.File
	Content []byte
	Receipt reimbursement.Receipt
	// Payee is the payee given with the receipt (its id is the case's,
	// set when the receipt is added), nil when none was given.
	Payee *payee.Payee
	// Part is the JSON part as sent.
	Part []byte
	// Suggestion is what was read from the image (OCR), set by the caller
	// when anything was.
	Suggestion *Suggestion
}

// Suggestion is what the text read from a receipt's image seems to say; a
// person confirms it. Differs names the fields of the JSON part it
// disagrees with.
type Suggestion struct {
	Amount    roadcover.Money
	HasAmount bool
	Date      roadcover.Date
	Merchant  string
	Differs   []string
}

// Compare fills Differs from what the receipt's JSON part says.
func (s *Suggestion) Compare(r reimbursement.Receipt) {
	s.Differs = nil
	if s.HasAmount && (s.Amount.Minor != r.Amount.Minor || s.Amount.Currency != "" && s.Amount.Currency != r.Amount.Currency) {
		s.Differs = append(s.Differs, "amount")
	}
	if !s.Date.IsZero() && s.Date != r.Date {
		s.Differs = append(s.Differs, "date")
	}
	if s.Merchant != "" && receiptfile.MerchantKey(s.Merchant) != receiptfile.MerchantKey(r.Merchant) {
		s.Differs = append(s.Differs, "merchant")
	}
}

// ReadReceiptUpload reads the file and the JSON part of a receipt; nil
// stands for a part that was not sent. Every bad field of either is named
// in one *roadcover.InputError: "file", "receipt" and "receipt.amount",
// "receipt.payee.account.iban", …; it carries the code
// unsupported_media_type when the file is not a PDF, JPEG or PNG by its
// content. A file over receiptfile.MaxSize is a payload_too_large error.
func ReadReceiptUpload(file, part []byte) (ReceiptUpload, error) {
	errs := &roadcover.InputError{}
	up := ReceiptUpload{Content: file, Part: part}
	if file == nil {
		errs.Add("file", "", "required: the receipt's file (a PDF, JPEG or PNG) in the part named file")
	} else {
		f, err := receiptfile.Read(file)
		var ie *roadcover.InputError
		switch {
		case errors.As(err, &ie):
			merge(errs, ie, "")
		case err != nil:
			return ReceiptUpload{}, err
		}
		up.File = f
	}
	switch {
	case part == nil:
		errs.Add("receipt", "", "required: the receipt's JSON part, named receipt")
	case len(part) > MaxReceiptPart:
		errs.Add("receipt", "", fmt.Sprintf("at most %d bytes", MaxReceiptPart))
	case !utf8.Valid(part) || bytes.IndexByte(part, 0) >= 0 || bytes.Contains(part, []byte(`\u0000`)):
		errs.Add("receipt", "", "must be UTF-8 JSON without NUL characters")
	default:
		r, p, err := ReadReceiptPart(part)
		var ie *roadcover.InputError
		if errors.As(err, &ie) {
			merge(errs, ie, "receipt.")
		} else if err != nil {
			return ReceiptUpload{}, err
		}
		up.Receipt, up.Payee = r, p
	}
	if err := errs.Err(); err != nil {
		return ReceiptUpload{}, err
	}
	return up, nil
}

// merge adds every field error of from to into, the fields prefixed ("body"
// of a part becomes the part itself).
func merge(into, from *roadcover.InputError, prefix string) {
	for _, f := range from.Errors {
		field := prefix + f.Field
		if f.Field == "body" || f.Field == "" {
			field = strings.TrimSuffix(prefix, ".")
			if field == "" {
				field = "body"
			}
		}
		into.Add(field, f.Code, f.Detail)
	}
}

// ReadReceiptPart decodes a receipt's JSON part: the receipt
// (reimbursement.DecodeReceipt) and the optional payee block,
//
//	"payee": {"name": "Eva Berg", "account": {"method": "iban", "iban": "DE89 3704 0044 0532 0130 00"}}
//
// checked with package payee (an IBAN with an optional BIC, a Swedish
// bankgiro number or a Swedish bank account). Every bad field of both is
// named in one *roadcover.InputError.
func ReadReceiptPart(part []byte) (reimbursement.Receipt, *payee.Payee, error) {
	var p *payee.Payee
	r, err := reimbursement.DecodeReceiptPart(part, func(o *jsonin.Obj) {
		p = readPayee(o)
	})
	if err != nil {
		return reimbursement.Receipt{}, nil, err
	}
	return r, p, nil
}

// pendingPayee stands for the payee's id until the case is known.
const pendingPayee = "pending"

func readPayee(o *jsonin.Obj) *payee.Payee {
	if !o.Has("payee") {
		o.Skip("payee")
		return nil
	}
	errs := o.Errs
	before := len(errs.Errors)
	po := o.Object("payee")
	if po.Null {
		return nil
	}
	p := payee.Payee{ID: pendingPayee}
	p.Name, _ = po.String("name")
	ao := po.Object("account")
	if !ao.Null {
		m, _ := ao.String("method")
		p.Account.Method = payee.Method(m)
		p.Account.IBAN, _ = ao.String("iban")
		p.Account.BIC, _ = ao.String("bic")
		p.Account.Bankgiro, _ = ao.String("bankgiro")
		p.Account.Clearing, _ = ao.String("clearing")
		p.Account.Number, _ = ao.String("number")
		ao.Done()
	}
	po.Done()
	if len(errs.Errors) > before {
		return nil // its members are not what a payee holds: named already
	}
	q := payee.Check(p, "payee.", errs)
	if len(errs.Errors) > before {
		return nil
	}
	return &q
}

// Duplicate is a receipt of the case the new one may duplicate (or one of
// another case sent with the same file), and why
// (receiptfile.SameContent, SameReceiptData, SimilarImage).
type Duplicate struct {
	Receipt  string   `json:"receipt"`
	Why      []string `json:"why"`
	Distance *int     `json:"distance,omitempty"`
}

// Receipt is a receipt of a case as the desk shows it: the stored receipt,
// its current line, its duplicates, the payee it is paid to and what it
// still requires.
type Receipt struct {
	Rec  store.Receipt
	Line reimbursement.Line
	// Lines are the versions of the line, oldest first, when asked for.
	Lines      []store.ReceiptLine
	Duplicates []Duplicate
	// Payee is the payee given with this receipt, or else the case's (the
	// last one given with any of its receipts); nil when none is known.
	Payee *payee.Payee
	// Requires is what the line requires before it can be checked again or
	// paid: the line's own (a rate, a VAT amount, a choice) and "payee"
	// when the line pays and no payee is known.
	Requires []string
	Paid     bool
	// Suggestion is what was read from the image, when anything was.
	Suggestion *Suggestion
}

// pays reports whether the line pays anything.
func pays(l *reimbursement.Line) bool {
	return (l.Status == reimbursement.Approved || l.Status == reimbursement.Cut) && l.Amount.Minor > 0
}

// needsReview says whether a person must look at a checked line: one that
// is cut or refused and requires something, or one that may duplicate
// another receipt.
func needsReview(l *reimbursement.Line, dups []Duplicate) bool {
	return len(dups) > 0 || (l.Status == reimbursement.Cut || l.Status == reimbursement.Refused) && len(l.Requires) > 0
}

// receiptEnv is the check's environment: the setup's, else the desk's
// providers where they serve.
func (d *Desk) receiptEnv() reimbursement.Env {
	env := d.Receipts.Env
	if env.Rates == nil {
		if r, ok := d.Env.Rates.(reimbursement.Rates); ok {
			env.Rates = r
		}
	}
	if env.Workdays == nil {
		if w, ok := d.Env.Workdays.(reimbursement.Workdays); ok {
			env.Workdays = w
		}
	}
	return env
}

// today is the latest day a receipt may be dated: the day it already is
// somewhere (UTC+14), so that a receipt of today is never in the future.
func (d *Desk) today() roadcover.Date {
	return roadcover.DateOf(d.now().Add(14 * time.Hour))
}

// caseForReceipts is what a receipt of a case is checked against.
type caseForReceipts struct {
	c        Case
	receipts []store.Receipt
	earlier  []reimbursement.Line
	payee    *payee.Payee // the case's: the last given with a receipt
}

// loadForReceipts locks a case's receipts and reads the case (its stored
// decision, its choices), its receipts and their current lines.
func (d *Desk) loadForReceipts(ctx context.Context, tx store.Tx, caseID string) (*caseForReceipts, error) {
	if err := tx.LockCaseReceipts(ctx, caseID); err != nil {
		return nil, err
	}
	rec, err := tx.GetCase(ctx, caseID)
	if err != nil {
		return nil, err
	}
	c, err := fromRecord(rec)
	if err != nil {
		return nil, err
	}
	if c.Choices, err = tx.Choices(ctx, caseID); err != nil {
		return nil, err
	}
	out := &caseForReceipts{c: c}
	if out.receipts, err = tx.CaseReceipts(ctx, caseID); err != nil {
		return nil, err
	}
	for _, r := range out.receipts {
		l, err := reimbursement.DecodeLine(r.Line.Line)
		if err != nil {
			return nil, fmt.Errorf("desk: receipt %s line %d: %w", r.ID, r.LineNo, err)
		}
		out.earlier = append(out.earlier, l)
		if r.Payee != nil {
			p, err := readStoredPayee(r.Payee)
			if err != nil {
				return nil, fmt.Errorf("desk: receipt %s: %w", r.ID, err)
			}
			out.payee = p
		}
	}
	return out, nil
}

func readStoredPayee(doc []byte) (*payee.Payee, error) {
	var p payee.Payee
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, fmt.Errorf("stored payee: %w", err)
	}
	return &p, nil
}

// facts are the facts of a check on the case: its facts and stored
// decision, its choices, the lines before, today and the day it was
// closed.
func (d *Desk) facts(ctx context.Context, tx store.Tx, cr *caseForReceipts) (*reimbursement.Facts, error) {
	c := &cr.c
	f := &reimbursement.Facts{Case: c.Facts, Decision: reimbursement.FromDecision(&c.Decision),
		Choices: map[string]string{}, Earlier: cr.earlier, Today: d.today()}
	for _, ch := range c.Choices {
		f.Choices[ch.Group] = ch.Code
	}
	if c.Status == StatusClosed {
		evs, err := tx.Events(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if e.Kind == EventClosed {
				f.ClosedOn = roadcover.DateOf(e.At)
			}
		}
	}
	return f, nil
}

// ReceiptData is the data of a "receipt_added" or "receipt_reviewed"
// event: which receipt and line, and how it ends at a glance.
type ReceiptData struct {
	ReceiptID   string   `json:"receipt_id"`
	LineNo      int64    `json:"line_no"`
	Category    string   `json:"category,omitempty"`
	Via         string   `json:"via,omitempty"`
	Status      string   `json:"status"`
	Amount      string   `json:"amount"`
	Currency    string   `json:"currency"`
	Reason      string   `json:"reason"`
	Clause      string   `json:"clause,omitempty"`
	Duplicates  []string `json:"duplicates,omitempty"`
	NeedsReview bool     `json:"needs_review"`
	Action      string   `json:"action,omitempty"`
	Note        string   `json:"note,omitempty"`
	Before      string   `json:"before,omitempty"`
	// Payable is the payable recorded by this change, when one was.
	Payable string `json:"payable,omitempty"`
}

// AddReceipt adds a read receipt to a case: it looks for the receipts it
// may duplicate, checks it against the case's stored decision, its
// choices and the receipts before it, keeps its file once, stores the
// receipt with its first line, records a payable when the line pays, needs
// no person and a payee is known (and, with a payee given now, the
// payables of the case's earlier lines that were waiting for one), and
// writes the event. via says how it came (store.ViaOperator,
// store.ViaTrackingLink). A receipt that cannot belong to the case (dated
// before the event or after today) is an input error naming its fields.
func (d *Desk) AddReceipt(ctx context.Context, tx store.Tx, a Actor, via, caseID string, up *ReceiptUpload) (Receipt, error) {
	cr, err := d.loadForReceipts(ctx, tx, caseID)
	if err != nil {
		return Receipt{}, err
	}
	f, err := d.facts(ctx, tx, cr)
	if err != nil {
		return Receipt{}, err
	}
	now := d.now()
	id := d.NewID(ReceiptPrefix)
	r := up.Receipt
	r.ID = id
	line, err := reimbursement.Check(r, f, d.receiptEnv())
	var ie *roadcover.InputError
	if errors.As(err, &ie) {
		out := &roadcover.InputError{}
		merge(out, ie, "receipt.")
		return Receipt{}, out.Err()
	}
	if err != nil {
		return Receipt{}, err
	}

	// Duplicates: against every receipt of the case, and the same file on
	// any other case.
	stored := make([]receiptfile.Fingerprint, len(cr.receipts))
	for i, s := range cr.receipts {
		stored[i] = receiptfile.Fingerprint{ID: s.ID, SHA256: s.File, PHash: s.PHash, HasPHash: s.HasPHash,
			Date: s.Date, Amount: s.Amount, Merchant: s.Merchant}
	}
	var dups []Duplicate
	for _, m := range receiptfile.Duplicates(receiptfile.Fingerprint{ID: id, SHA256: up.File.SHA256, PHash: up.File.PHash,
		HasPHash: up.File.HasPHash, Date: r.Date, Amount: r.Amount, Merchant: r.Merchant}, stored) {
		dup := Duplicate{Receipt: m.ID, Why: m.Why}
		if m.Distance >= 0 {
			dist := m.Distance
			dup.Distance = &dist
		}
		dups = append(dups, dup)
	}
	// The same file with a receipt of another case: a receipt claimed twice.
	if up.File.SHA256 != "" {
		elsewhere, err := tx.FileReceipts(ctx, up.File.SHA256)
		if err != nil {
			return Receipt{}, err
		}
		for _, o := range elsewhere {
			if o.CaseID != caseID {
				dups = append(dups, Duplicate{Receipt: o.ID, Why: []string{receiptfile.SameContent}})
			}
		}
	}

	var own *payee.Payee
	if up.Payee != nil {
		p := *up.Payee
		p.ID = casePayeeID(caseID, p)
		own = &p
	}
	pay := own
	if pay == nil {
		pay = cr.payee
	}

	if _, err := tx.PutReceiptFile(ctx, store.ReceiptFile{SHA256: up.File.SHA256, MediaType: up.File.Type,
		Size: int64(up.File.Size), Content: up.Content, CreatedAt: now}); err != nil {
		return Receipt{}, err
	}
	lineDoc := line.AppendJSON(make([]byte, 0, 2048))
	rec := store.Receipt{ID: id, CaseID: caseID, File: up.File.SHA256, FileType: up.File.Type, FileSize: int64(up.File.Size),
		Part: compactPart(up.Part), Category: r.Category, Date: r.Date, Amount: r.Amount, Merchant: r.Merchant,
		PHash: up.File.PHash, HasPHash: up.File.HasPHash, Via: via, Actor: a, CreatedAt: now,
		LineNo: 1, Status: string(line.Status), NeedsReview: needsReview(&line, dups), UpdatedAt: now}
	if own != nil {
		rec.Payee, _ = json.Marshal(own)
	}
	if up.Suggestion != nil {
		up.Suggestion.Compare(r)
		rec.Suggestion = suggestionJSON(up.Suggestion)
	}
	rec.Duplicates, _ = json.Marshal(orEmpty(dups))
	sl := store.ReceiptLine{ReceiptID: id, No: 1, Action: "check", Status: string(line.Status), Amount: line.Amount,
		Line: lineDoc, At: now, Actor: a}
	data := ReceiptData{ReceiptID: id, LineNo: 1, Category: r.Category, Via: via, Status: string(line.Status),
		Amount: line.Amount.Amount(), Currency: line.Amount.Currency, Reason: line.Reason, Clause: line.Clause,
		NeedsReview: rec.NeedsReview}
	for _, x := range dups {
		data.Duplicates = append(data.Duplicates, x.Receipt)
	}
	record := d.Receipts.Payables != nil && pay != nil && pays(&line) && !rec.NeedsReview
	if record {
		rec.PayableNo = 1
	}
	if err := tx.InsertReceipt(ctx, rec, sl); err != nil {
		return Receipt{}, err
	}
	if record {
		p := payableOf(&rec, &line, 1, 0, pay, now, a)
		if err := d.Receipts.Payables.RecordPayable(ctx, tx, p); err != nil {
			return Receipt{}, err
		}
		data.Payable = p.ID
	}
	ev, err := event(caseID, now, a, EventReceiptAdded, data)
	if err != nil {
		return Receipt{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return Receipt{}, err
	}
	// A payee given now pays the case's earlier lines that waited for one.
	if own != nil && d.Receipts.Payables != nil {
		for i := range cr.receipts {
			s := &cr.receipts[i]
			if s.PayableNo != 0 || s.NeedsReview || !pays(&cr.earlier[i]) {
				continue
			}
			p := payableOf(s, &cr.earlier[i], s.LineNo, 0, own, now, a)
			if err := d.Receipts.Payables.RecordPayable(ctx, tx, p); err != nil {
				return Receipt{}, err
			}
			if err := tx.SetReceiptPayable(ctx, s.ID, s.LineNo, now); err != nil {
				return Receipt{}, err
			}
		}
	}
	out := Receipt{Rec: rec, Line: line, Duplicates: dups, Payee: pay, Suggestion: up.Suggestion,
		Lines: []store.ReceiptLine{sl}}
	out.Rec.Line = sl
	out.Requires = requires(&out)
	return out, nil
}

// compactPart is the JSON part as sent, without insignificant space.
func compactPart(part []byte) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, part); err != nil {
		return part
	}
	return b.Bytes()
}

func payableOf(rec *store.Receipt, l *reimbursement.Line, no, replaces int64, p *payee.Payee, at time.Time, a Actor) Payable {
	return Payable{ID: PayableID(rec.ID, no), CaseID: rec.CaseID, ReceiptID: rec.ID, LineNo: no, Replaces: replaces,
		Payee: *p, Amount: l.Amount, Terms: l.Terms, Clause: l.Clause, Reason: l.Reason, At: at, Actor: a}
}

// requires is what a receipt still requires.
func requires(r *Receipt) []string {
	out := append([]string(nil), r.Line.Requires...)
	if r.Payee == nil && r.Rec.PayableNo == 0 && pays(&r.Line) {
		out = append(out, "payee")
	}
	return out
}

// ReviewReceipt applies an operator's review to a receipt's current line
// ({"action": "approve" | "cut" | "refuse", "amount", "currency",
// "reason", "note"}): the reviewed line is stored as a new version, never
// an edit; a paid receipt is a conflict (409). An approved or cut line
// becomes the receipt's payable (replacing an earlier one not paid); a
// refused line withdraws it.
func (d *Desk) ReviewReceipt(ctx context.Context, tx store.Tx, a Actor, id string, body []byte) (Receipt, error) {
	first, err := tx.GetReceipt(ctx, id)
	if err != nil {
		return Receipt{}, err
	}
	cr, err := d.loadForReceipts(ctx, tx, first.CaseID)
	if err != nil {
		return Receipt{}, err
	}
	idx := -1
	for i := range cr.receipts {
		if cr.receipts[i].ID == id {
			idx = i
		}
	}
	if idx < 0 {
		return Receipt{}, fmt.Errorf("desk: receipt %s is not among its case's: %w", id, store.ErrNotFound)
	}
	rec := cr.receipts[idx]
	paid, err := d.paid(ctx, tx, &rec)
	if err != nil {
		return Receipt{}, err
	}
	now := d.now()
	_, line, err := reimbursement.ReviewJSON(body, cr.earlier[idx], a.TokenID, now, paid)
	if err != nil {
		return Receipt{}, err
	}
	pay, err := receiptPayee(&rec, cr.payee)
	if err != nil {
		return Receipt{}, err
	}
	no := rec.LineNo + 1
	before := rec.Status
	sl := store.ReceiptLine{ReceiptID: id, No: no, Action: line.Review.Action, Status: string(line.Status),
		Amount: line.Amount, Line: line.AppendJSON(make([]byte, 0, 2048)), At: now, Actor: a}
	data := ReceiptData{ReceiptID: id, LineNo: no, Status: string(line.Status), Amount: line.Amount.Amount(),
		Currency: line.Amount.Currency, Reason: line.Reason, Clause: line.Clause, Action: line.Review.Action,
		Note: line.Review.Note, Before: before}
	next := rec
	next.LineNo, next.Status, next.NeedsReview, next.UpdatedAt = no, string(line.Status), false, now
	switch {
	case d.Receipts.Payables == nil:
	case pays(&line) && pay != nil:
		p := payableOf(&rec, &line, no, rec.PayableNo, pay, now, a)
		if err := d.Receipts.Payables.RecordPayable(ctx, tx, p); err != nil {
			return Receipt{}, err
		}
		next.PayableNo, data.Payable = no, p.ID
	case rec.PayableNo != 0:
		w := PayableWithdrawal{ID: PayableID(id, rec.PayableNo), CaseID: rec.CaseID, ReceiptID: id, LineNo: rec.PayableNo,
			At: now, Actor: a}
		if err := d.Receipts.Payables.WithdrawPayable(ctx, tx, w); err != nil {
			return Receipt{}, err
		}
		next.PayableNo = 0
	}
	if err := tx.AppendReceiptLine(ctx, next, sl); err != nil {
		return Receipt{}, err
	}
	ev, err := event(rec.CaseID, now, a, EventReceiptReviewed, data)
	if err != nil {
		return Receipt{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return Receipt{}, err
	}
	out := Receipt{Rec: next, Line: line, Payee: pay}
	out.Rec.Line = sl
	if err := out.readStored(); err != nil {
		return Receipt{}, err
	}
	if out.Lines, err = tx.ReceiptLines(ctx, id); err != nil {
		return Receipt{}, err
	}
	out.Requires = requires(&out)
	return out, nil
}

// receiptPayee is the receipt's own payee, else the case's.
func receiptPayee(rec *store.Receipt, casePayee *payee.Payee) (*payee.Payee, error) {
	if rec.Payee != nil {
		return readStoredPayee(rec.Payee)
	}
	return casePayee, nil
}

func (d *Desk) paid(ctx context.Context, tx store.Tx, rec *store.Receipt) (bool, error) {
	if d.Receipts.Paid == nil {
		return false, nil
	}
	return d.Receipts.Paid.ReceiptPaid(ctx, tx, rec.CaseID, rec.ID)
}

// readStored decodes the stored duplicates and suggestion of r.Rec.
func (r *Receipt) readStored() error {
	r.Duplicates = nil
	if len(r.Rec.Duplicates) > 0 {
		if err := json.Unmarshal(r.Rec.Duplicates, &r.Duplicates); err != nil {
			return fmt.Errorf("desk: duplicates of receipt %s: %w", r.Rec.ID, err)
		}
	}
	r.Suggestion = nil
	if len(r.Rec.Suggestion) > 0 {
		s, err := readSuggestion(r.Rec.Suggestion)
		if err != nil {
			return fmt.Errorf("desk: suggestion of receipt %s: %w", r.Rec.ID, err)
		}
		r.Suggestion = s
	}
	return nil
}

// receiptOf is a stored receipt as the desk shows it; casePayee is the
// case's payee.
func (d *Desk) receiptOf(ctx context.Context, tx store.Tx, rec store.Receipt, casePayee *payee.Payee) (Receipt, error) {
	l, err := reimbursement.DecodeLine(rec.Line.Line)
	if err != nil {
		return Receipt{}, fmt.Errorf("desk: receipt %s line %d: %w", rec.ID, rec.LineNo, err)
	}
	out := Receipt{Rec: rec, Line: l}
	if err := out.readStored(); err != nil {
		return Receipt{}, err
	}
	if out.Payee, err = receiptPayee(&rec, casePayee); err != nil {
		return Receipt{}, err
	}
	if out.Paid, err = d.paid(ctx, tx, &rec); err != nil {
		return Receipt{}, err
	}
	out.Requires = requires(&out)
	return out, nil
}

// casePayee is the last payee given with one of the receipts.
func casePayee(recs []store.Receipt) (*payee.Payee, error) {
	var p *payee.Payee
	for i := range recs {
		if recs[i].Payee != nil {
			q, err := readStoredPayee(recs[i].Payee)
			if err != nil {
				return nil, fmt.Errorf("desk: receipt %s: %w", recs[i].ID, err)
			}
			p = q
		}
	}
	return p, nil
}

// CaseReceipts lists a case's receipts, oldest first, with every version of
// their lines when lines is true.
func (d *Desk) CaseReceipts(ctx context.Context, tx store.Tx, caseID string, lines bool) ([]Receipt, error) {
	if _, err := tx.GetCase(ctx, caseID); err != nil {
		return nil, err
	}
	recs, err := tx.CaseReceipts(ctx, caseID)
	if err != nil {
		return nil, err
	}
	cp, err := casePayee(recs)
	if err != nil {
		return nil, err
	}
	out := make([]Receipt, 0, len(recs))
	for _, rec := range recs {
		r, err := d.receiptOf(ctx, tx, rec, cp)
		if err != nil {
			return nil, err
		}
		if lines {
			if r.Lines, err = tx.ReceiptLines(ctx, rec.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// GetReceipt is one receipt with every version of its line.
func (d *Desk) GetReceipt(ctx context.Context, tx store.Tx, id string) (Receipt, error) {
	rec, err := tx.GetReceipt(ctx, id)
	if err != nil {
		return Receipt{}, err
	}
	var cp *payee.Payee
	if rec.Payee == nil {
		recs, err := tx.CaseReceipts(ctx, rec.CaseID)
		if err != nil {
			return Receipt{}, err
		}
		if cp, err = casePayee(recs); err != nil {
			return Receipt{}, err
		}
	}
	r, err := d.receiptOf(ctx, tx, rec, cp)
	if err != nil {
		return Receipt{}, err
	}
	r.Lines, err = tx.ReceiptLines(ctx, id)
	return r, err
}

// MaxReceiptPage is the largest page of the review queue.
const MaxReceiptPage = 200

// ReviewQueue lists the receipts a person must look at, oldest first; next
// is the id to continue after, "" on the last page.
func (d *Desk) ReviewQueue(ctx context.Context, tx store.Tx, after string, limit int) (out []Receipt, next string, err error) {
	if limit <= 0 || limit > MaxReceiptPage {
		limit = 50
	}
	recs, err := tx.ListReceipts(ctx, store.ReceiptFilter{NeedsReview: true, After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", err
	}
	payees := map[string]*payee.Payee{}
	out = make([]Receipt, 0, min(len(recs), limit))
	for i, rec := range recs {
		if i == limit {
			next = recs[i-1].ID
			break
		}
		cp, ok := payees[rec.CaseID]
		if !ok && rec.Payee == nil {
			all, err := tx.CaseReceipts(ctx, rec.CaseID)
			if err != nil {
				return nil, "", err
			}
			if cp, err = casePayee(all); err != nil {
				return nil, "", err
			}
			payees[rec.CaseID] = cp
		}
		r, err := d.receiptOf(ctx, tx, rec, cp)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, next, nil
}

// ReceiptFile is a receipt's stored file.
func ReceiptFile(ctx context.Context, tx store.Tx, id string) (store.ReceiptFile, error) {
	rec, err := tx.GetReceipt(ctx, id)
	if err != nil {
		return store.ReceiptFile{}, err
	}
	return tx.ReceiptFile(ctx, rec.File)
}

// LinkCase is the case of a tracking link (by the token's hash) that a
// driver may still use: one that is unknown, expired or of a closed case
// is not found.
func (d *Desk) LinkCase(ctx context.Context, tx store.Tx, hash []byte) (string, error) {
	link, err := tx.TrackingLinkByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return "", errNoLink()
	}
	if err != nil {
		return "", err
	}
	if !d.Clock().Before(link.ExpiresAt) {
		return "", errNoLink()
	}
	rec, err := tx.GetCase(ctx, link.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		return "", errNoLink()
	}
	if err != nil {
		return "", err
	}
	if rec.Status != StatusOpen {
		return "", errNoLink()
	}
	return rec.ID, nil
}
