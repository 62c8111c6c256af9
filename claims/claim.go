package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/insurance"
	"roadcover/policies"
)

// Status is where a claim stands.
type Status string

// The statuses of a claim.
const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Claim is one motor claim: what its events made of it.
type Claim struct {
	ID            string
	PolicyID      string
	PolicyVersion int // the version in force on the day of the loss
	VIN           string
	Registration  string
	HolderName    string
	HolderID      string
	Channel       Role
	DeskCaseID    string
	Language      roadcover.Language
	Loss          Loss
	Decided       Decided
	// Settlement is the insurance engine's document of the current
	// settlement (insurance.Settlement's JSON in the claim's language): set
	// by the acts that settle; after Replay, the stored one is given back.
	Settlement     json.RawMessage
	Lines          []Line
	Totals         Totals
	Payments       []PaymentOrder
	Recoveries     []Recovery
	Valuations     []Valuation
	OtherInsurance []OtherInsurance
	Receivables    []Receivable
	Decisions      []Decision
	Complaints     []Complaint
	Flags          []Flag
	Outcomes       []Outcome // of the claim as a whole (time_barred)
	Status         Status
	CloseReason    string
	Events         []Event
	CreatedAt      time.Time
	UpdatedAt      time.Time

	version  *policies.Version
	engine   *insurance.Claim
	manual   map[string]roadcover.Money // reserves set by hand, by line
	settling *insurance.Settlement
}

// Line is a settlement line as the claim pays it: what the settlement gave,
// what 4.11 takes off, the ceiling of all payments on it, what is paid or
// waits for approval, and the reserve for what remains.
type Line struct {
	Key, Cover, Clause, Status string
	Assessed, Deductible       roadcover.Money
	Payable                    roadcover.Money // the settlement's payable (0 while pending)
	OtherInsurance             roadcover.Money // paid by other insurers (4.11)
	DoubleInsurance            roadcover.Money // taken off by 4.11
	// Ceiling is the most paid on the line in all: the payable after 4.11;
	// for a pending line, what it would pay (advances only, 4.1).
	Ceiling       roadcover.Money
	Paid          roadcover.Money // released orders
	Awaiting      roadcover.Money // orders awaiting a second handler
	Reserve       roadcover.Money // what is expected still to be paid
	ManualReserve bool
	Overpaid      roadcover.Money // paid above the ceiling after the facts changed
	Outcomes      []Outcome
}

// Totals are the claim's sums.
type Totals struct {
	Payable, Paid, Awaiting, Reserve, Overpaid roadcover.Money
	RecoveryClaimed, Recovered, Receivable     roadcover.Money
}

// line returns the line with that key.
func (c *Claim) line(key string) *Line {
	for i := range c.Lines {
		if c.Lines[i].Key == key {
			return &c.Lines[i]
		}
	}
	return nil
}

// openFlags lists the codes of flags not yet cleared.
func (c *Claim) openFlags() []string {
	var out []string
	for _, f := range c.Flags {
		if !f.Cleared {
			out = append(out, f.Outcome.Code)
		}
	}
	return out
}

// lastDecision is the final decision so far, or nil.
func (c *Claim) lastDecision() *Decision {
	if len(c.Decisions) == 0 {
		return nil
	}
	return &c.Decisions[len(c.Decisions)-1]
}

// decisionOn is the latest decision made on or before day, or nil.
func (c *Claim) decisionOn(day roadcover.Date) *Decision {
	for i := len(c.Decisions) - 1; i >= 0; i-- {
		if !day.Before(c.Decisions[i].Day) {
			return &c.Decisions[i]
		}
	}
	return nil
}

// money sums with overflow checks; the first overflow is kept.
type summer struct{ err error }

func (s *summer) add(a *roadcover.Money, b roadcover.Money) {
	if s.err != nil {
		return
	}
	if a.Currency == "" {
		a.Currency = "SEK"
	}
	if b.Currency == "" {
		b.Currency = "SEK"
	}
	v, err := a.Add(b)
	if err != nil {
		s.err = err
		return
	}
	*a = v
}

func (s *summer) sub(a, b roadcover.Money) roadcover.Money {
	if s.err != nil {
		return sek(0)
	}
	if a.Currency == "" {
		a.Currency = "SEK"
	}
	if b.Currency == "" {
		b.Currency = "SEK"
	}
	v, err := a.Sub(b)
	if err != nil {
		s.err = err
		return sek(0)
	}
	return v
}

func maxMoney(a, b roadcover.Money) roadcover.Money {
	if a.Minor >= b.Minor {
		return a
	}
	return b
}

// derive computes the lines and totals from the settlement and the acts.
func (c *Claim) derive() error {
	var s summer
	lines := make([]Line, 0, len(c.Decided.Lines)+1)
	for _, sl := range c.Decided.Lines {
		ln := Line{Key: sl.Key, Cover: sl.Cover, Clause: sl.Clause, Status: sl.Status,
			Assessed: sek(sl.Assessed), Deductible: sek(sl.Deductible), Payable: sek(sl.Payable), Ceiling: sek(0),
			OtherInsurance: sek(0), DoubleInsurance: sek(0)}
		switch sl.Status {
		case "settled":
			ln.Ceiling = sek(sl.Payable)
		case "pending":
			ln.Ceiling = maxMoney(sek(0), s.sub(sek(sl.Net), sek(sl.Reductions)))
		}
		for _, o := range c.OtherInsurance {
			if o.Line == ln.Key {
				s.add(&ln.OtherInsurance, o.Paid)
			}
		}
		if ln.OtherInsurance.Minor > 0 {
			// 4.11: with the other insurers, no more than the loss.
			limit := maxMoney(sek(0), s.sub(ln.Assessed, ln.OtherInsurance))
			if limit.Minor < ln.Ceiling.Minor {
				ln.DoubleInsurance = s.sub(ln.Ceiling, limit)
				ln.Ceiling = limit
			}
			ln.Outcomes = append(ln.Outcomes, Outcome{"double_insurance", "4.11"})
		}
		lines = append(lines, ln)
	}
	var fee roadcover.Money
	for _, v := range c.Valuations {
		if v.Recorded && v.Paid {
			s.add(&fee, v.Fee)
		}
	}
	if fee.Minor > 0 {
		lines = append(lines, Line{Key: "valuation", Cover: "valuation", Clause: "4.10", Status: "settled",
			Assessed: fee, Deductible: sek(0), Payable: fee, Ceiling: fee, OtherInsurance: sek(0), DoubleInsurance: sek(0)})
	}
	find := func(key string) *Line {
		for i := range lines {
			if lines[i].Key == key {
				return &lines[i]
			}
		}
		// a line the facts no longer give, with payments on it
		lines = append(lines, Line{Key: key, Cover: key, Status: "withdrawn", Assessed: sek(0), Deductible: sek(0),
			Payable: sek(0), Ceiling: sek(0), OtherInsurance: sek(0), DoubleInsurance: sek(0)})
		return &lines[len(lines)-1]
	}
	for _, p := range c.Payments {
		switch p.Status {
		case Released:
			s.add(&find(p.Line).Paid, p.Amount)
		case AwaitingApproval:
			s.add(&find(p.Line).Awaiting, p.Amount)
		}
	}
	t := Totals{Payable: sek(0), Paid: sek(0), Awaiting: sek(0), Reserve: sek(0), Overpaid: sek(0),
		RecoveryClaimed: sek(0), Recovered: sek(0), Receivable: sek(0)}
	for i := range lines {
		ln := &lines[i]
		if ln.Paid.Currency == "" {
			ln.Paid = sek(0)
		}
		if ln.Awaiting.Currency == "" {
			ln.Awaiting = sek(0)
		}
		var out roadcover.Money
		s.add(&out, ln.Paid)
		s.add(&out, ln.Awaiting)
		ln.Overpaid = maxMoney(sek(0), s.sub(out, ln.Ceiling))
		m, manual := c.manual[ln.Key]
		switch {
		case c.Status == StatusClosed:
			ln.Reserve = sek(0)
		case manual && ln.Status == "pending":
			ln.Reserve, ln.ManualReserve = maxMoney(sek(0), s.sub(m, ln.Paid)), true
		default:
			ln.Reserve = maxMoney(sek(0), s.sub(ln.Ceiling, ln.Paid))
		}
		s.add(&t.Payable, ln.Ceiling)
		s.add(&t.Paid, ln.Paid)
		s.add(&t.Awaiting, ln.Awaiting)
		s.add(&t.Reserve, ln.Reserve)
		s.add(&t.Overpaid, ln.Overpaid)
	}
	for _, r := range c.Recoveries {
		s.add(&t.RecoveryClaimed, r.Amount)
		s.add(&t.Recovered, r.Received)
	}
	for _, r := range c.Receivables {
		s.add(&t.Receivable, r.Amount)
	}
	if s.err != nil {
		return fmt.Errorf("claims: %s: %w", c.ID, s.err)
	}
	c.Lines, c.Totals = lines, t
	return nil
}

// emit records an act: the event is applied and appended.
func (c *Claim) emit(by Actor, at time.Time, d EventData) (*Event, error) {
	e := Event{Seq: len(c.Events) + 1, At: at, Actor: by, Data: d}
	if err := c.apply(&e, true); err != nil {
		return nil, err
	}
	c.Events = append(c.Events, e)
	return &c.Events[len(c.Events)-1], nil
}

// ErrReplay is returned by Replay for a timeline that does not fit together.
var ErrReplay = errors.New("claims: the timeline does not replay")

// apply makes what an event says true of the claim. It does not check the
// act (that was done when it happened); it only refuses what cannot be.
// derive recomputes the lines and totals (Replay does it once at the end).
func (c *Claim) apply(e *Event, derive bool) error {
	if len(c.Events) == 0 {
		if _, ok := e.Data.(*Reported); !ok {
			return fmt.Errorf("%w: the first event is %s, not reported", ErrReplay, e.Kind())
		}
	}
	switch d := e.Data.(type) {
	case *Reported:
		if len(c.Events) > 0 {
			return fmt.Errorf("%w: reported twice", ErrReplay)
		}
		c.PolicyID, c.PolicyVersion, c.VIN, c.Registration = d.PolicyID, d.PolicyVersion, d.VIN, d.Registration
		c.HolderName, c.HolderID, c.Channel, c.DeskCaseID, c.Language = d.HolderName, d.HolderID, d.Channel, d.DeskCaseID, d.Language
		c.Loss, c.Decided, c.Status, c.CreatedAt = d.Loss, d.Decided, StatusOpen, e.At
		c.manual = map[string]roadcover.Money{}
	case *FactsChanged:
		l, err := patchLoss(&c.Loss, d.Patch)
		if err != nil {
			return fmt.Errorf("%w: facts_changed %d: %v", ErrReplay, e.Seq, err)
		}
		c.Loss, c.Decided, c.PolicyVersion = *l, d.Decided, d.PolicyVersion
		c.engine = nil
	case *ReserveSet:
		if d.Automatic {
			delete(c.manual, d.Line)
		} else {
			c.manual[d.Line] = d.Amount
		}
	case *PaymentOrdered:
		c.Payments = append(c.Payments, d.Order)
	case *PaymentApproved:
		p := c.payment(d.PaymentID)
		if p == nil {
			return fmt.Errorf("%w: no payment %s", ErrReplay, d.PaymentID)
		}
		p.Status, p.ApprovedBy, p.ReleasedAt, p.Outcome = Released, e.Actor.ID, e.At, Outcome{"released", p.Clause}
	case *PaymentCancelled:
		p := c.payment(d.PaymentID)
		if p == nil {
			return fmt.Errorf("%w: no payment %s", ErrReplay, d.PaymentID)
		}
		p.Status, p.CancelledBy, p.CancelReason = Cancelled, e.Actor.ID, d.Reason
	case *RecoveryClaimed:
		c.Recoveries = append(c.Recoveries, d.Recovery)
	case *RecoveryReceived:
		r := c.recovery(d.RecoveryID)
		if r == nil {
			return fmt.Errorf("%w: no recovery %s", ErrReplay, d.RecoveryID)
		}
		var s summer
		s.add(&r.Received, d.Amount)
		if s.err != nil {
			return s.err
		}
	case *ValuationRequested:
		c.Valuations = append(c.Valuations, d.Valuation)
	case *ValuationRecorded:
		v := c.valuation(d.Valuation.ID)
		if v == nil {
			return fmt.Errorf("%w: no valuation %s", ErrReplay, d.Valuation.ID)
		}
		*v = d.Valuation
		if d.Valuation.Applied {
			l, err := patchLoss(&c.Loss, d.Patch)
			if err != nil {
				return fmt.Errorf("%w: valuation_recorded %d: %v", ErrReplay, e.Seq, err)
			}
			c.Loss, c.Decided = *l, d.Decided
			c.engine = nil
		}
		if d.Receivable.ID != "" {
			c.Receivables = append(c.Receivables, d.Receivable)
		}
	case *OtherInsuranceRecorded:
		c.OtherInsurance = append(c.OtherInsurance, d.Other)
	case *DecisionMade:
		c.Decisions = append(c.Decisions, d.Decision)
	case *ComplaintReceived:
		c.Complaints = append(c.Complaints, d.Complaint)
	case *FlagRaised:
		c.Flags = append(c.Flags, d.Flag)
	case *FlagCleared:
		found := false
		for i := range c.Flags {
			if f := &c.Flags[i]; f.Outcome.Code == d.Code && !f.Cleared {
				f.Cleared, f.ClearedBy, f.Reason, found = true, e.Actor.ID, d.Reason, true
			}
		}
		if !found {
			return fmt.Errorf("%w: no open flag %s", ErrReplay, d.Code)
		}
	case *Closed:
		c.Status, c.CloseReason = StatusClosed, d.Reason
		if d.Outcome.Code != "" {
			c.Outcomes = appendOutcome(c.Outcomes, d.Outcome)
		}
	case *Reopened:
		c.Status, c.CloseReason = StatusOpen, ""
	case *ReopenRefused:
		// the claim stays as it is; the demand is in the timeline
	case *DeskCaseLinked:
		c.DeskCaseID = d.DeskCaseID
	default:
		return fmt.Errorf("%w: unknown event %T", ErrReplay, e.Data)
	}
	c.UpdatedAt = e.At
	if !derive {
		return nil
	}
	return c.derive()
}

func appendOutcome(os []Outcome, o Outcome) []Outcome {
	for _, x := range os {
		if x == o {
			return os
		}
	}
	return append(os, o)
}

func (c *Claim) payment(id string) *PaymentOrder {
	for i := range c.Payments {
		if c.Payments[i].ID == id {
			return &c.Payments[i]
		}
	}
	return nil
}

func (c *Claim) recovery(id string) *Recovery {
	for i := range c.Recoveries {
		if c.Recoveries[i].ID == id {
			return &c.Recoveries[i]
		}
	}
	return nil
}

func (c *Claim) valuation(id string) *Valuation {
	for i := range c.Valuations {
		if c.Valuations[i].ID == id {
			return &c.Valuations[i]
		}
	}
	return nil
}

// patchLoss applies a merge patch to the loss document.
func patchLoss(l *Loss, patch json.RawMessage) (*Loss, error) {
	merged, err := policies.MergePatch(AppendLossJSON(nil, l), patch)
	if err != nil {
		return nil, err
	}
	return DecodeLoss(merged) // the loss read so far comes with an input error
}

// Replay puts a claim together from its timeline (oldest first) under its
// policy. settlement is the stored settlement document, kept as the
// claim's Settlement (nil when none is stored). Nothing is decided again:
// the settlement each event recorded is taken as it was.
func Replay(id string, p *policies.Policy, events []Event, settlement json.RawMessage) (*Claim, error) {
	c := &Claim{ID: id}
	for i := range events {
		e := events[i]
		if e.Seq != i+1 {
			return nil, fmt.Errorf("%w: event %d has seq %d", ErrReplay, i+1, e.Seq)
		}
		if err := c.apply(&e, false); err != nil {
			return nil, err
		}
		c.Events = append(c.Events, e)
	}
	if len(c.Events) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrReplay)
	}
	if err := c.derive(); err != nil {
		return nil, err
	}
	if p == nil || p.ID != c.PolicyID {
		return nil, fmt.Errorf("%w: the claim is under policy %s", ErrReplay, c.PolicyID)
	}
	for _, v := range p.Versions {
		if v.Number == c.PolicyVersion {
			c.version = v
		}
	}
	if c.version == nil {
		return nil, fmt.Errorf("%w: policy %s has no version %d", ErrReplay, p.ID, c.PolicyVersion)
	}
	c.Settlement = settlement
	return c, nil
}

// Version is the policy version the claim is settled under.
func (c *Claim) Version() *policies.Version { return c.version }

// InsuranceClaim is the insurance engine's claim for the current facts and
// policy version (built once, then kept).
func (c *Claim) InsuranceClaim() (*insurance.Claim, error) {
	if c.engine == nil {
		ec, err := Build(c.version, &c.Loss, c.Language)
		if err != nil {
			return nil, err
		}
		c.engine = ec
	}
	return c.engine, nil
}

// Settle settles the claim on its current facts and policy version: the
// settlement is exactly what insurance.Settle gives for them, and Decided is
// what the claim keeps of it. It changes nothing of the claim (an act
// records a settlement); LinesFor shows the lines it would give.
func (c *Claim) Settle() (*insurance.Settlement, Decided, error) {
	ec, err := c.InsuranceClaim()
	if err != nil {
		return nil, Decided{}, err
	}
	s, err := insurance.Settle(ec, c.Language)
	if err != nil {
		return nil, Decided{}, mapEngineError(err)
	}
	d, err := summarise(s, ec)
	if err != nil {
		return nil, Decided{}, err
	}
	return s, d, nil
}

// LinesFor gives the claim's lines as a settlement would make them
// (ceilings after 4.11, payments, reserves), changing nothing.
func (c *Claim) LinesFor(d Decided) ([]Line, Totals, error) {
	shadow := *c
	shadow.Decided = d
	if err := shadow.derive(); err != nil {
		return nil, Totals{}, err
	}
	return shadow.Lines, shadow.Totals, nil
}

// settle builds and settles the claim for a loss under a version, and
// keeps the settlement for the claim's Settlement document.
func settle(v *policies.Version, l *Loss, lang roadcover.Language) (*insurance.Claim, *insurance.Settlement, Decided, error) {
	ec, err := Build(v, l, lang)
	if err != nil {
		return nil, nil, Decided{}, err
	}
	s, err := insurance.Settle(ec, lang)
	if err != nil {
		return nil, nil, Decided{}, mapEngineError(err)
	}
	d, err := summarise(s, ec)
	if err != nil {
		return nil, nil, Decided{}, err
	}
	return ec, s, d, nil
}
