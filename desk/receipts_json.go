package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"roadcover"
	"roadcover/jsonout"
	"roadcover/store"
)

// The answers about receipts, each encoded once on the way out: the
// operator's (every id, the file's address, the line as stored, its
// versions) and the driver's (state, amounts and reason in the driver's
// language, no internal ids).

type moneyDoc struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func moneyOf(m roadcover.Money) *moneyDoc {
	if m.Currency == "" {
		return nil
	}
	return &moneyDoc{Amount: m.Amount(), Currency: m.Currency}
}

type suggestionDoc struct {
	Amount   *moneyDoc `json:"amount,omitempty"`
	Date     string    `json:"date,omitempty"`
	Merchant string    `json:"merchant,omitempty"`
	Differs  []string  `json:"differs"`
}

func suggestionJSON(s *Suggestion) json.RawMessage {
	doc := suggestionDoc{Merchant: s.Merchant, Differs: orEmpty(s.Differs)}
	if s.HasAmount {
		doc.Amount = &moneyDoc{Amount: s.Amount.Amount(), Currency: s.Amount.Currency}
	}
	if !s.Date.IsZero() {
		doc.Date = s.Date.String()
	}
	b, _ := json.Marshal(doc)
	return b
}

func readSuggestion(raw []byte) (*Suggestion, error) {
	var doc suggestionDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	s := &Suggestion{Merchant: doc.Merchant, Differs: doc.Differs}
	if doc.Amount != nil {
		v, err := roadcover.ParseMinor(doc.Amount.Amount)
		if err != nil {
			return nil, err
		}
		s.Amount, s.HasAmount = roadcover.Money{Minor: v, Currency: doc.Amount.Currency}, true
	}
	if doc.Date != "" {
		d, err := roadcover.ParseDate(doc.Date)
		if err != nil {
			return nil, err
		}
		s.Date = d
	}
	return s, nil
}

// ReceiptPath is the address of a receipt; its file is at ReceiptPath +
// "/file".
func ReceiptPath(id string) string { return "/v1/receipts/" + id }

// AppendJSON appends the receipt as an operator sees it, its line's texts
// in lang ("" for the line's own language).
func (r *Receipt) AppendJSON(b []byte, lang roadcover.Language) []byte {
	rec := &r.Rec
	b = append(b, `{"id":`...)
	b = jsonout.String(b, rec.ID)
	b = append(b, `,"case_id":`...)
	b = jsonout.String(b, rec.CaseID)
	b = append(b, `,"via":`...)
	b = jsonout.String(b, rec.Via)
	b = append(b, `,"uploaded_by":`...)
	b = appendJSON(b, rec.Actor)
	b = append(b, `,"created_at":`...)
	b = appendTime(b, rec.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendTime(b, rec.UpdatedAt)
	b = append(b, `,"file":{"sha256":`...)
	b = jsonout.String(b, rec.File)
	b = append(b, `,"media_type":`...)
	b = jsonout.String(b, rec.FileType)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, rec.FileSize, 10)
	b = append(b, `,"href":`...)
	b = jsonout.String(b, ReceiptPath(rec.ID)+"/file")
	b = append(b, `},"receipt":`...)
	b = appendRaw(b, rec.Part)
	b = append(b, `,"category":`...)
	b = jsonout.String(b, rec.Category)
	b = append(b, `,"date":"`...)
	b = jsonout.Date(b, rec.Date)
	b = append(b, `","merchant":`...)
	b = jsonout.String(b, rec.Merchant)
	b = append(b, `,"claimed":`...)
	b = appendJSON(b, moneyOf(rec.Amount))
	b = append(b, `,"status":`...)
	b = jsonout.String(b, string(r.Line.Status))
	b = append(b, `,"amount":`...)
	b = appendJSON(b, moneyOf(r.Line.Amount))
	b = append(b, `,"needs_review":`...)
	b = strconv.AppendBool(b, rec.NeedsReview)
	b = append(b, `,"line_no":`...)
	b = strconv.AppendInt(b, rec.LineNo, 10)
	b = append(b, `,"line":`...)
	if _, ok := roadcover.ParseLanguage(string(lang)); ok && lang != r.Line.Language {
		l := r.Line.In(lang)
		b = l.AppendJSON(b)
	} else {
		b = appendRaw(b, rec.Line.Line)
	}
	b = append(b, `,"duplicates":`...)
	b = appendJSON(b, orEmpty(r.Duplicates))
	b = append(b, `,"requires":`...)
	b = jsonout.Strings(b, orEmpty(r.Requires))
	if r.Payee != nil {
		b = append(b, `,"payee":`...)
		b = appendJSON(b, r.Payee)
	}
	if rec.PayableNo != 0 {
		b = append(b, `,"payable":`...)
		b = jsonout.String(b, PayableID(rec.ID, rec.PayableNo))
	}
	b = append(b, `,"paid":`...)
	b = strconv.AppendBool(b, r.Paid)
	if r.Suggestion != nil {
		b = append(b, `,"suggestion":`...)
		b = appendRaw(b, suggestionJSON(r.Suggestion))
	}
	if r.Lines != nil {
		b = append(b, `,"lines":[`...)
		for i, l := range r.Lines {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"no":`...)
			b = strconv.AppendInt(b, l.No, 10)
			b = append(b, `,"action":`...)
			b = jsonout.String(b, l.Action)
			b = append(b, `,"status":`...)
			b = jsonout.String(b, l.Status)
			b = append(b, `,"amount":`...)
			b = appendJSON(b, moneyOf(l.Amount))
			b = append(b, `,"at":`...)
			b = appendTime(b, l.At)
			b = append(b, `,"actor":`...)
			b = appendJSON(b, l.Actor)
			b = append(b, `,"line":`...)
			b = appendRaw(b, l.Line)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// AppendReceipts appends a list of receipts: {"receipts": […], "next"}.
func AppendReceipts(b []byte, rs []Receipt, next string, lang roadcover.Language) []byte {
	b = append(b, `{"receipts":[`...)
	for i := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = rs[i].AppendJSON(b, lang)
	}
	b = append(b, ']')
	if next != "" {
		b = append(b, `,"next":`...)
		b = jsonout.String(b, next)
	}
	return append(b, '}')
}

// Driver states of a receipt.
const (
	DriverInReview = "in_review"
)

// DriverReceipt is a receipt as the driver sees it behind the tracking
// link: what was claimed, its state, what is paid and why, in the driver's
// language; no internal ids.
type DriverReceipt struct {
	Category string
	Date     roadcover.Date
	Merchant string
	Claimed  roadcover.Money
	// State is "in_review" while a person must look at it, else the line's
	// status (approved, cut, refused).
	State  string
	Amount roadcover.Money
	Reason string
	Text   string
	// Requires is "payee" while the receipt pays and no bank account is
	// known; RequiresText says it.
	Requires     []string
	RequiresText string
	Paid         bool
	AddedAt      time.Time
	Suggestion   *Suggestion
}

// texts of the driver's view of a receipt.
var (
	textInReview = roadcover.Texts{
		roadcover.English:    "Someone at the desk is checking this receipt.",
		roadcover.German:     "Jemand am Schalter prüft diesen Beleg.",
		roadcover.Portuguese: "Alguém da assistência está a verificar este recibo.",
		roadcover.Danish:     "En medarbejder kontrollerer denne kvittering.",
		roadcover.Swedish:    "En handläggare granskar detta kvitto.",
	}
	textPayeeNeeded = roadcover.Texts{
		roadcover.English:    "Send us the bank account (IBAN) to pay you on, with this or your next receipt.",
		roadcover.German:     "Nennen Sie uns mit diesem oder dem nächsten Beleg Ihr Konto (IBAN) für die Zahlung.",
		roadcover.Portuguese: "Indique-nos a conta bancária (IBAN) para o pagamento, com este ou o próximo recibo.",
		roadcover.Danish:     "Send os den bankkonto (IBAN), vi skal betale til, med denne eller din næste kvittering.",
		roadcover.Swedish:    "Skicka oss det bankkonto (IBAN) vi ska betala till, med detta eller ditt nästa kvitto.",
	}
)

// DriverReceiptOf is r as the driver sees it in lang.
func DriverReceiptOf(r *Receipt, lang roadcover.Language) DriverReceipt {
	l := r.Line
	if _, ok := roadcover.ParseLanguage(string(lang)); ok && lang != l.Language {
		l = l.In(lang)
	} else {
		lang = l.Language
	}
	v := DriverReceipt{Category: r.Rec.Category, Date: r.Rec.Date, Merchant: r.Rec.Merchant, Claimed: r.Rec.Amount,
		State: string(l.Status), Amount: l.Amount, Reason: l.Reason, Text: l.Text, Paid: r.Paid,
		AddedAt: r.Rec.CreatedAt, Suggestion: r.Suggestion}
	if r.Rec.NeedsReview {
		v.State, v.Text = DriverInReview, textInReview.In(lang)
	}
	for _, q := range r.Requires {
		if q == "payee" {
			v.Requires = append(v.Requires, q)
			v.RequiresText = textPayeeNeeded.In(lang)
		}
	}
	return v
}

type driverReceiptDoc struct {
	Category     string         `json:"category"`
	Date         string         `json:"date"`
	Merchant     string         `json:"merchant"`
	Claimed      *moneyDoc      `json:"claimed"`
	State        string         `json:"state"`
	Amount       *moneyDoc      `json:"amount"`
	Reason       string         `json:"reason"`
	Text         string         `json:"text"`
	Requires     []string       `json:"requires"`
	RequiresText string         `json:"requires_text,omitempty"`
	Paid         bool           `json:"paid"`
	AddedAt      time.Time      `json:"added_at"`
	Suggestion   *suggestionDoc `json:"suggestion,omitempty"`
}

func (v *DriverReceipt) doc() driverReceiptDoc {
	d := driverReceiptDoc{Category: v.Category, Date: v.Date.String(), Merchant: v.Merchant, Claimed: moneyOf(v.Claimed),
		State: v.State, Amount: moneyOf(v.Amount), Reason: v.Reason, Text: v.Text, Requires: orEmpty(v.Requires),
		RequiresText: v.RequiresText, Paid: v.Paid, AddedAt: v.AddedAt}
	if v.Suggestion != nil {
		var s suggestionDoc
		if json.Unmarshal(suggestionJSON(v.Suggestion), &s) == nil {
			d.Suggestion = &s
		}
	}
	return d
}

// AppendJSON appends the driver's view of a receipt.
func (v *DriverReceipt) AppendJSON(b []byte) []byte { return appendJSON(b, v.doc()) }

// driverReceipts are a case's receipts as the driver sees them in lang.
func (d *Desk) driverReceipts(ctx context.Context, tx store.Tx, caseID string, lang roadcover.Language) ([]DriverReceipt, error) {
	rs, err := d.CaseReceipts(ctx, tx, caseID, false)
	if err != nil {
		return nil, fmt.Errorf("desk: receipts of case %s: %w", caseID, err)
	}
	out := make([]DriverReceipt, len(rs))
	for i := range rs {
		rs[i].Suggestion = nil // what was read is the desk's to confirm
		out[i] = DriverReceiptOf(&rs[i], lang)
	}
	return out, nil
}

// AppendDriverReceipts appends the driver's receipts as a JSON array.
func AppendDriverReceipts(b []byte, rs []DriverReceipt) []byte {
	docs := make([]driverReceiptDoc, len(rs))
	for i := range rs {
		docs[i] = rs[i].doc()
	}
	return appendJSON(b, docs)
}
