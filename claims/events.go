package claims

import (
	"encoding/json"
	"fmt"
	"time"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
)

// Event is one act in a claim's timeline: when, by whom, and what. Events
// are never edited; a claim is what its events make of it.
type Event struct {
	Seq   int // from 1, per claim
	At    time.Time
	Actor Actor
	Data  EventData
}

// Kind names the event ("reported", "payment_ordered", …).
func (e *Event) Kind() string { return e.Data.Kind() }

// EventData is what an event records; one type per kind of act.
type EventData interface {
	Kind() string
	visit(codec)
}

// Reported is the first notice of the loss (FNOL).
type Reported struct {
	PolicyID      string
	PolicyVersion int
	VIN           string
	Registration  string
	HolderName    string
	HolderID      string
	Channel       Role   // policyholder, claims_handler or assistance_desk
	DeskCaseID    string // the assistance desk case of the same car and day
	Language      roadcover.Language
	Loss          Loss
	Decided       Decided
}

// FactsChanged is a change of the loss facts (a merge patch) and the
// settlement it gave.
type FactsChanged struct {
	Patch         json.RawMessage
	Reason        string
	PolicyVersion int
	Decided       Decided
}

// ReserveSet is a handler's reserve for a pending line, or its return to
// the automatic reserve.
type ReserveSet struct {
	Line      string
	Amount    roadcover.Money
	Automatic bool
	Reason    string
}

// PaymentOrdered is a payment order, released or awaiting approval.
type PaymentOrdered struct{ Order PaymentOrder }

// PaymentApproved is a second handler's approval: the order is released.
type PaymentApproved struct{ PaymentID string }

// PaymentCancelled withdraws an order awaiting approval.
type PaymentCancelled struct{ PaymentID, Reason string }

// RecoveryClaimed is money claimed back (5.3).
type RecoveryClaimed struct{ Recovery Recovery }

// RecoveryReceived is money received on a recovery.
type RecoveryReceived struct {
	RecoveryID string
	Amount     roadcover.Money
}

// ValuationRequested is the policyholder's request for a valuer (4.10).
type ValuationRequested struct{ Valuation Valuation }

// ValuationRecorded is the valuer's statement: value, fee, who bears it, and
// the settlement when the higher value was applied.
type ValuationRecorded struct {
	Valuation  Valuation
	Patch      json.RawMessage // the change of the loss facts, when applied
	Decided    Decided         // the settlement after it, when applied
	Receivable Receivable      // the policyholder's share of the fee, when any
}

// OtherInsuranceRecorded is another insurer's payment for the loss (4.11).
type OtherInsuranceRecorded struct{ Other OtherInsurance }

// DecisionMade is the insurer's position on the compensation.
type DecisionMade struct{ Decision Decision }

// ComplaintReceived is a complaint with its deadline and outcome (5.9).
type ComplaintReceived struct{ Complaint Complaint }

// FlagRaised asks a person to look at the claim before it pays.
type FlagRaised struct{ Flag Flag }

// FlagCleared is a person's clearance of a flag.
type FlagCleared struct{ Code, Reason string }

// Closed closes the claim; reserves are released.
type Closed struct {
	Reason  string
	Outcome Outcome
}

// Reopened reopens a closed claim.
type Reopened struct{ Reason string }

// ReopenRefused is a policyholder's demand to reopen after the time bar
// (5.4): the claim stays closed.
type ReopenRefused struct {
	Reason  string
	Outcome Outcome
	LastDay roadcover.Date
}

// DeskCaseLinked links the claim to an assistance desk case of the same
// car and day.
type DeskCaseLinked struct{ DeskCaseID string }

func (*Reported) Kind() string               { return "reported" }
func (*FactsChanged) Kind() string           { return "facts_changed" }
func (*ReserveSet) Kind() string             { return "reserve_set" }
func (*PaymentOrdered) Kind() string         { return "payment_ordered" }
func (*PaymentApproved) Kind() string        { return "payment_approved" }
func (*PaymentCancelled) Kind() string       { return "payment_cancelled" }
func (*RecoveryClaimed) Kind() string        { return "recovery_claimed" }
func (*RecoveryReceived) Kind() string       { return "recovery_received" }
func (*ValuationRequested) Kind() string     { return "valuation_requested" }
func (*ValuationRecorded) Kind() string      { return "valuation_recorded" }
func (*OtherInsuranceRecorded) Kind() string { return "other_insurance_recorded" }
func (*DecisionMade) Kind() string           { return "decided" }
func (*ComplaintReceived) Kind() string      { return "complaint_received" }
func (*FlagRaised) Kind() string             { return "flag_raised" }
func (*FlagCleared) Kind() string            { return "flag_cleared" }
func (*Closed) Kind() string                 { return "closed" }
func (*Reopened) Kind() string               { return "reopened" }
func (*ReopenRefused) Kind() string          { return "reopen_refused" }
func (*DeskCaseLinked) Kind() string         { return "desk_case_linked" }

// eventKinds makes an empty record of each kind, for reading.
var eventKinds = map[string]func() EventData{
	"reported": func() EventData { return &Reported{} }, "facts_changed": func() EventData { return &FactsChanged{} },
	"reserve_set": func() EventData { return &ReserveSet{} }, "payment_ordered": func() EventData { return &PaymentOrdered{} },
	"payment_approved": func() EventData { return &PaymentApproved{} }, "payment_cancelled": func() EventData { return &PaymentCancelled{} },
	"recovery_claimed": func() EventData { return &RecoveryClaimed{} }, "recovery_received": func() EventData { return &RecoveryReceived{} },
	"valuation_requested": func() EventData { return &ValuationRequested{} }, "valuation_recorded": func() EventData { return &ValuationRecorded{} },
	"other_insurance_recorded": func() EventData { return &OtherInsuranceRecorded{} }, "decided": func() EventData { return &DecisionMade{} },
	"complaint_received": func() EventData { return &ComplaintReceived{} }, "flag_raised": func() EventData { return &FlagRaised{} },
	"flag_cleared": func() EventData { return &FlagCleared{} }, "closed": func() EventData { return &Closed{} },
	"reopened": func() EventData { return &Reopened{} }, "reopen_refused": func() EventData { return &ReopenRefused{} },
	"desk_case_linked": func() EventData { return &DeskCaseLinked{} },
}

// visitLoss writes the loss document, or reads it back.
func visitLoss(c codec, k string, l *Loss) {
	switch c := c.(type) {
	case reader:
		var raw json.RawMessage
		c.raw(k, &raw)
		if raw == nil {
			return
		}
		back, err := DecodeLoss(raw)
		if err != nil {
			c.o.Errs.Add(jsondoc.Path(c.o, k), roadcover.CodeInvalidInput, err.Error())
			return
		}
		*l = *back
	case writer:
		c.w.Raw(k, AppendLossJSON(nil, l))
	case textWriter:
		c.w.Raw(k, AppendLossJSON(nil, l))
	}
}

func (e *Reported) visit(c codec) {
	c.str("policy_id", &e.PolicyID)
	c.integer("policy_version", &e.PolicyVersion)
	c.str("vin", &e.VIN)
	c.str("registration", &e.Registration)
	c.str("holder_name", &e.HolderName)
	c.str("holder_id_number", &e.HolderID)
	c.str("channel", (*string)(&e.Channel))
	c.str("desk_case_id", &e.DeskCaseID)
	c.str("language", (*string)(&e.Language))
	visitLoss(c, "loss", &e.Loss)
	c.obj("settled", e.Decided.visit)
}

func (e *FactsChanged) visit(c codec) {
	c.raw("patch", &e.Patch)
	c.str("reason", &e.Reason)
	c.integer("policy_version", &e.PolicyVersion)
	c.obj("settled", e.Decided.visit)
}

func (e *ReserveSet) visit(c codec) {
	c.str("line", &e.Line)
	c.money("amount", &e.Amount)
	c.boolean("automatic", &e.Automatic)
	c.str("reason", &e.Reason)
}

func (e *PaymentOrdered) visit(c codec)  { c.obj("order", e.Order.visit) }
func (e *PaymentApproved) visit(c codec) { c.str("payment_id", &e.PaymentID) }
func (e *PaymentCancelled) visit(c codec) {
	c.str("payment_id", &e.PaymentID)
	c.str("reason", &e.Reason)
}
func (e *RecoveryClaimed) visit(c codec) { c.obj("recovery", e.Recovery.visit) }
func (e *RecoveryReceived) visit(c codec) {
	c.str("recovery_id", &e.RecoveryID)
	c.money("amount", &e.Amount)
}
func (e *ValuationRequested) visit(c codec) { c.obj("valuation", e.Valuation.visit) }
func (e *ValuationRecorded) visit(c codec) {
	c.obj("valuation", e.Valuation.visit)
	c.raw("patch", &e.Patch)
	if e.Valuation.Applied {
		c.obj("settled", e.Decided.visit)
	} else if r, ok := c.(reader); ok {
		r.obj("settled", e.Decided.visit)
	}
	if e.Receivable.ID != "" {
		c.obj("receivable", e.Receivable.visit)
	} else if r, ok := c.(reader); ok {
		r.obj("receivable", e.Receivable.visit)
	}
}
func (e *OtherInsuranceRecorded) visit(c codec) { c.obj("other_insurance", e.Other.visit) }
func (e *DecisionMade) visit(c codec)           { c.obj("decision", e.Decision.visit) }
func (e *ComplaintReceived) visit(c codec)      { c.obj("complaint", e.Complaint.visit) }
func (e *FlagRaised) visit(c codec)             { c.obj("flag", e.Flag.visit) }
func (e *FlagCleared) visit(c codec)            { c.str("code", &e.Code); c.str("reason", &e.Reason) }
func (e *Closed) visit(c codec)                 { c.str("reason", &e.Reason); c.obj("outcome", e.Outcome.visit) }
func (e *Reopened) visit(c codec)               { c.str("reason", &e.Reason) }
func (e *ReopenRefused) visit(c codec) {
	c.str("reason", &e.Reason)
	c.obj("outcome", e.Outcome.visit)
	c.date("last_day", &e.LastDay)
}
func (e *DeskCaseLinked) visit(c codec) { c.str("desk_case_id", &e.DeskCaseID) }

// AppendEventDataJSON appends what an event records (the data column of a
// stored event); DecodeEventData reads it back.
func AppendEventDataJSON(b []byte, d EventData) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("")
	d.visit(writer{&w})
	w.End()
	return w.B
}

// DecodeEventData reads the data of a stored event of the given kind.
func DecodeEventData(kind string, data []byte) (EventData, error) {
	mk, ok := eventKinds[kind]
	if !ok {
		return nil, fmt.Errorf("claims: unknown event kind %q", kind)
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	d := mk()
	d.visit(newReader(o, data))
	o.Done()
	if err := errs.Err(); err != nil {
		return nil, fmt.Errorf("claims: %s event: %w", kind, err)
	}
	return d, nil
}

// AppendEventsJSON appends the timeline of GET /v1/claims/{id}/events:
// {"events": [{"seq", "at", "actor": {"id", "role"}, "kind", "data"}]},
// oldest first, outcome texts in lang.
func AppendEventsJSON(b []byte, events []Event, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("").Arr("events")
	for i := range events {
		e := &events[i]
		w.Obj("").Int("seq", int64(e.Seq)).Time("at", e.At)
		w.Obj("actor")
		e.Actor.visit(writer{&w})
		w.End()
		w.Str("kind", e.Kind())
		w.Obj("data")
		e.Data.visit(textWriter{writer{&w}, lang})
		w.End().End()
	}
	w.End().End()
	return w.B
}

// AppendActorJSON appends an actor ({"id", "role", "payment_limit"}), as
// the actor column of a stored event.
func AppendActorJSON(b []byte, a Actor) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("")
	a.visit(writer{&w})
	w.End()
	return w.B
}

// DecodeActor reads an actor written by AppendActorJSON.
func DecodeActor(data []byte) (Actor, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	var a Actor
	a.visit(newReader(o, data))
	o.Done()
	return a, errs.Err()
}
