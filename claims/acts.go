package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/policies"
)

func conflict(format string, a ...any) error {
	return roadcover.Errorf(roadcover.CodeConflict, fmt.Sprintf(format, a...))
}

func bad(field, detail string) error {
	e := &roadcover.InputError{}
	e.Add(field, roadcover.CodeInvalidInput, detail)
	return e
}

func (c *Claim) mustBeOpen(act string) error {
	if c.Status != StatusOpen {
		return conflict("%s: the claim is closed", act)
	}
	return nil
}

// Open takes the first notice of a loss (FNOL) from the policyholder, a
// claims handler or the assistance desk (the actor's role is the channel;
// the desk gives its case of the same car and day). The claim takes the
// policy, the car and the deductibles from the version in force on the
// day of the loss and is settled at once. Then, in its timeline:
// 5.4 closes a claim reported more than ten years after the loss; 5.1
// flags a loss on a first day that began at the hour of signing; a claim
// of others (the same car's claims) for the same day with overlapping
// perils flags both for a person (Overlapping lists the others to flag).
func Open(id string, p *policies.Policy, r *Report, by Actor, at time.Time, others []Summary) (*Claim, error) {
	if err := by.may("report a claim", Policyholder, ClaimsHandler, AssistanceDesk); err != nil {
		return nil, err
	}
	if id == "" || p == nil || r == nil || r.Loss == nil {
		return nil, errors.New("claims: Open needs an id, a policy and a report with its loss")
	}
	errs := &roadcover.InputError{}
	if r.PolicyID != p.ID {
		errs.Add("policy_id", roadcover.CodeInvalidInput, fmt.Sprintf("is %s, but the policy given is %s", r.PolicyID, p.ID))
	}
	loss := *r.Loss
	today := policies.SwedishDay(at)
	if loss.ReportedAt.IsZero() {
		loss.ReportedAt = today
	} else if today.Before(loss.ReportedAt) {
		errs.Add("loss.reported_at", roadcover.CodeInvalidInput, fmt.Sprintf("is after the day of this notice (%s)", today))
	}
	if today.Before(loss.OccurredAt) {
		errs.Add("loss.occurred_at", roadcover.CodeInvalidInput, fmt.Sprintf("is after the day of this notice (%s)", today))
	}
	v, err := p.VersionOn(loss.OccurredAt)
	if err != nil {
		errs.Add("loss.occurred_at", roadcover.CodeInvalidInput, "the policy was not in force on that day: "+err.Error())
	}
	if v != nil && r.VIN != "" && r.VIN != v.Letter.Car.VIN {
		errs.Add("vin", roadcover.CodeInvalidInput, fmt.Sprintf("is not the car of policy %s", p.ID))
	}
	switch {
	case by.Role == AssistanceDesk && r.DeskCase == nil:
		errs.Add("desk_case", roadcover.CodeInvalidInput, "a notice from the assistance desk names its case")
	case r.DeskCase != nil && v != nil:
		checkDeskCase(errs, r.DeskCase, v.Letter.Car.VIN, loss.OccurredAt)
	}
	lang := r.Language
	if lang == "" && v != nil {
		lang = v.Letter.Policyholder.Language
	}
	if errs.Total() > 0 {
		// The engine's checks of the loss name their fields too.
		if v != nil {
			if _, _, _, err := settle(v, &loss, lang); err != nil {
				if !addNew(errs, err) {
					return nil, err
				}
			}
		}
		return nil, errs.Err()
	}
	ec, s, d, err := settle(v, &loss, lang)
	if err != nil {
		return nil, err
	}
	c := &Claim{ID: id, version: v}
	rep := &Reported{PolicyID: p.ID, PolicyVersion: v.Number, VIN: v.Letter.Car.VIN, Registration: v.Letter.Car.Registration,
		HolderName: v.Letter.Policyholder.Name, HolderID: v.Letter.Policyholder.IDNumber, Channel: by.Role,
		Language: lang, Loss: loss, Decided: d}
	if r.DeskCase != nil {
		rep.DeskCaseID = r.DeskCase.ID
	}
	if _, err := c.emit(by, at, rep); err != nil {
		return nil, err
	}
	c.engine, c.settling, c.Settlement = ec, s, s.AppendJSON(nil)
	prm, err := ParamsOn(loss.OccurredAt)
	if err != nil {
		return nil, err
	}
	if lim := limitation(prm, loss.OccurredAt, loss.ReportedAt, nil); !lim.ReportedInTime {
		if _, err := c.emit(System, at, &Closed{Reason: "time_barred", Outcome: Outcome{"time_barred", prm.TimeBarYears.Clause}}); err != nil {
			return nil, err
		}
	}
	if v.Period.Basis.Code == "period_from_signing_hour" && v.Period.From == loss.OccurredAt {
		if _, err := c.emit(System, at, &FlagRaised{Flag{Outcome: Outcome{"loss_on_first_day", "5.1"}, RaisedBy: System.ID}}); err != nil {
			return nil, err
		}
	}
	if dup := Overlapping(c.Summary(), others); len(dup) > 0 {
		if _, err := c.emit(System, at, &FlagRaised{Flag{Outcome: Outcome{"possible_duplicate", "4.1"}, Claims: dup, RaisedBy: System.ID}}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Check names every bad field of a first notice that could not be read
// whole: readErr (DecodeReport's) with the fields Open finds wrong in what
// was read (the engine's checks of the loss under the policy version of its
// day, the car, the desk case), each field once. r is the report as far as
// it was read; without a loss or a policy there is nothing more to check.
func Check(p *policies.Policy, r *Report, readErr error, by Actor, at time.Time) error {
	var out *roadcover.InputError
	if !errors.As(readErr, &out) || r == nil || r.Loss == nil || p == nil || r.PolicyID != p.ID {
		return readErr
	}
	loss := *r.Loss
	if loss.OccurredAt.IsZero() || out.Has("loss.occurred_at") {
		return readErr
	}
	all := &roadcover.InputError{}
	all.Merge(out)
	if _, err := Open("check", p, r, by, at, nil); err != nil {
		addNew(all, err)
	}
	return all.Err()
}

// addNew adds the field errors of err that name a field errs does not name
// yet; false when err is no input error.
func addNew(errs *roadcover.InputError, err error) bool {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return false
	}
	for _, f := range ie.Errors {
		if !errs.Has(f.Field) {
			errs.Add(f.Field, f.Code, f.Detail)
		}
	}
	return true
}

func checkDeskCase(errs *roadcover.InputError, d *DeskCase, vin string, day roadcover.Date) {
	if d.VIN != vin {
		errs.Add("desk_case.vin", roadcover.CodeInvalidInput, "the desk case is for another car")
	}
	if d.Day != day {
		errs.Add("desk_case.day", roadcover.CodeInvalidInput, fmt.Sprintf("the desk case is of %s, the loss of %s", d.Day, day))
	}
}

// Summary is what another claim's overlap check and lists need of a claim.
type Summary struct {
	ID, PolicyID, VIN, Registration string
	OccurredAt, ReportedAt          roadcover.Date
	Peril, Country                  string
	Covers                          []string // the covers its settlement touches (lines and refusals)
	Status                          Status
	PayableTotal, PaidTotal         roadcover.Money
}

// Summary summarises the claim.
func (c *Claim) Summary() Summary {
	s := Summary{ID: c.ID, PolicyID: c.PolicyID, VIN: c.VIN, Registration: c.Registration,
		OccurredAt: c.Loss.OccurredAt, ReportedAt: c.Loss.ReportedAt, Peril: c.Decided.Peril, Country: c.Decided.Country,
		Status: c.Status, PayableTotal: c.Totals.Payable, PaidTotal: c.Totals.Paid}
	seen := map[string]bool{}
	for _, l := range c.Decided.Lines {
		if !seen[l.Cover] {
			seen[l.Cover] = true
			s.Covers = append(s.Covers, l.Cover)
		}
	}
	for _, r := range c.Decided.Refusals {
		if !seen[r.Cover] && r.Cover != "" {
			seen[r.Cover] = true
			s.Covers = append(s.Covers, r.Cover)
		}
	}
	return s
}

// Overlaps reports whether two claims are for the same car and day with
// overlapping perils: the same peril, or settlements touching a common
// cover.
func Overlaps(a, b Summary) bool {
	if a.ID == b.ID || a.VIN != b.VIN || a.OccurredAt != b.OccurredAt {
		return false
	}
	if a.Peril == b.Peril {
		return true
	}
	for _, x := range a.Covers {
		for _, y := range b.Covers {
			if x == y {
				return true
			}
		}
	}
	return false
}

// Overlapping lists the ids of the others that overlap s.
func Overlapping(s Summary, others []Summary) []string {
	var out []string
	for _, o := range others {
		if Overlaps(s, o) {
			out = append(out, o.ID)
		}
	}
	return out
}

// FlagOverlap flags the claim for a person when other (a newer claim of the
// same car) overlaps it; nothing happens when it does not, or when an open
// flag already names it.
func (c *Claim) FlagOverlap(other Summary, by Actor, at time.Time) (*Event, error) {
	if err := by.may("flag a claim", SystemRole, ClaimsHandler); err != nil {
		return nil, err
	}
	if !Overlaps(c.Summary(), other) {
		return nil, nil
	}
	for _, f := range c.Flags {
		if !f.Cleared && f.Outcome.Code == "possible_duplicate" {
			for _, id := range f.Claims {
				if id == other.ID {
					return nil, nil
				}
			}
		}
	}
	return c.emit(by, at, &FlagRaised{Flag{Outcome: Outcome{"possible_duplicate", "4.1"}, Claims: []string{other.ID}, RaisedBy: by.ID}})
}

// ClearFlag records a person's clearance of a flag.
func (c *Claim) ClearFlag(code, reason string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("clear a flag", ClaimsHandler); err != nil {
		return nil, err
	}
	for _, f := range c.Flags {
		if f.Outcome.Code == code && !f.Cleared {
			return c.emit(by, at, &FlagCleared{Code: code, Reason: reason})
		}
	}
	return nil, bad("flag", fmt.Sprintf("no open flag %q", code))
}

// renameFields moves input-error fields from one prefix to another.
func renameFields(err error, from, to string) error {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return err
	}
	out := &roadcover.InputError{}
	for _, f := range ie.Errors {
		field := f.Field
		if field == strings.TrimSuffix(from, ".") {
			field = strings.TrimSuffix(to, ".")
		} else if strings.HasPrefix(field, from) {
			field = to + strings.TrimPrefix(field, from)
		} else if !strings.HasPrefix(field, "policy") {
			field = to + field
		}
		if !out.Has(field) {
			out.Add(field, f.Code, f.Detail)
		}
	}
	return out.Err()
}

// ChangeFacts changes the loss facts by a merge patch and settles the claim
// again under the policy version in force on the (possibly new) day of the
// loss. The day of the report is fixed by the first notice.
func (c *Claim) ChangeFacts(p *policies.Policy, ch *FactsChange, by Actor, at time.Time) (*Event, error) {
	if err := by.may("change the facts", ClaimsHandler, Policyholder); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("change the facts"); err != nil {
		return nil, err
	}
	errs := &roadcover.InputError{}
	if f := jsondoc.Fields(ch.Patch); f != nil {
		if _, ok := f["reported_at"]; ok {
			errs.Add("patch.reported_at", roadcover.CodeInvalidInput, "is the day of the first notice and does not change")
		}
	}
	l, err := patchLoss(&c.Loss, ch.Patch)
	if err != nil && !addNew(errs, renameFields(err, "", "patch.")) {
		return nil, err
	}
	if errs.Total() > 0 {
		// Every bad field is named: the engine's checks of the changed loss
		// too, under the version of its day (the day it had, when the new
		// one is bad).
		if l != nil {
			day := l.OccurredAt
			if day.IsZero() {
				day = c.Loss.OccurredAt
			}
			if v, verr := p.VersionOn(day); verr == nil {
				ll := *l
				ll.OccurredAt = day
				if _, _, _, serr := settle(v, &ll, c.Language); serr != nil {
					addNew(errs, renameFields(serr, "loss.", "patch."))
				}
			}
		}
		return nil, errs.Err()
	}
	return c.resettle(p, l, ch.Patch, ch.Reason, by, at, nil)
}

// resettle settles a changed loss and records it (as a facts change, or
// inside a valuation's event when val is given).
func (c *Claim) resettle(p *policies.Policy, l *Loss, patch json.RawMessage, reason string, by Actor, at time.Time, val *ValuationRecorded) (*Event, error) {
	if p.ID != c.PolicyID {
		return nil, fmt.Errorf("claims: %s is under policy %s, not %s", c.ID, c.PolicyID, p.ID)
	}
	v, err := p.VersionOn(l.OccurredAt)
	if err != nil {
		return nil, bad("patch.occurred_at", "the policy was not in force on that day: "+err.Error())
	}
	ec, s, d, err := settle(v, l, c.Language)
	if err != nil {
		return nil, renameFields(err, "loss.", "patch.")
	}
	var e *Event
	if val != nil {
		val.Patch, val.Decided = patch, d
		e, err = c.emit(by, at, val)
	} else {
		e, err = c.emit(by, at, &FactsChanged{Patch: patch, Reason: reason, PolicyVersion: v.Number, Decided: d})
	}
	if err != nil {
		return nil, err
	}
	c.version, c.engine, c.settling, c.Settlement = v, ec, s, s.AppendJSON(nil)
	return e, nil
}

// SetReserve sets the reserve of a pending line by hand (the handler's
// estimate of what it will cost), or returns it to the automatic reserve
// (the line's ceiling less what is paid).
func (c *Claim) SetReserve(r *ReserveRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("set a reserve", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("set a reserve"); err != nil {
		return nil, err
	}
	ln := c.line(r.Line)
	switch {
	case ln == nil:
		return nil, bad("line", fmt.Sprintf("the claim has no line %q", r.Line))
	case !r.Automatic && ln.Status != "pending":
		return nil, bad("line", fmt.Sprintf("line %q is %s: its reserve follows the settlement", r.Line, ln.Status))
	}
	return c.emit(by, at, &ReserveSet{Line: r.Line, Amount: r.Amount, Automatic: r.Automatic, Reason: r.Reason})
}

// available is what may still be ordered on a line.
func (ln *Line) available() roadcover.Money {
	// Paid + Awaiting was summed with checks when the lines were derived.
	return sek(ln.Ceiling.Minor - (ln.Paid.Minor + ln.Awaiting.Minor))
}

// OrderPayment orders a payment for the ledger: the settled compensation of
// a line, an advance while the claim is undecided (4.1), or the valuer's fee
// (4.10). No line pays more in all than its ceiling; nothing is paid while a
// flag waits for a person. An order that takes what the handler has
// released alone on the claim above their payment limit waits for a second
// handler (ApprovePayment); otherwise it is released.
func (c *Claim) OrderPayment(r *PaymentRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("order a payment", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("order a payment"); err != nil {
		return nil, err
	}
	if fl := c.openFlags(); len(fl) > 0 {
		return nil, conflict("order a payment: flags wait for a person: %s", strings.Join(fl, ", "))
	}
	ln := c.line(r.Line)
	if ln == nil || ln.Status == "withdrawn" {
		return nil, bad("line", fmt.Sprintf("the claim has no line %q to pay", r.Line))
	}
	o := PaymentOrder{ID: fmt.Sprintf("%s-P%d", c.ID, len(c.Payments)+1), ClaimID: c.ID, Kind: r.Kind, Line: r.Line,
		Payee: r.Payee, Amount: r.Amount, Reference: r.Reference, OrderedBy: by.ID, OrderedAt: at}
	switch r.Kind {
	case Indemnity:
		if ln.Key == "valuation" {
			return nil, bad("kind", "the valuer's fee is paid as kind valuation_fee")
		}
		if ln.Status != "settled" {
			return nil, bad("kind", fmt.Sprintf("line %q is %s: only an advance can be paid on it", r.Line, ln.Status))
		}
		o.Clause, o.Outcome = ln.Clause, Outcome{"indemnity_payment", ln.Clause}
	case Advance:
		if ln.Key == "valuation" || ln.Status == "eligible" {
			return nil, bad("kind", fmt.Sprintf("no advance is paid on line %q", r.Line))
		}
		if len(c.Decisions) > 0 {
			return nil, bad("kind", "the claim is decided: an advance is paid only before the decision (4.1)")
		}
		o.Clause, o.Outcome = "4.1", Outcome{"advance_payment", "4.1"}
	case ValuerFee:
		if ln.Key != "valuation" {
			return nil, bad("line", "the valuer's fee is paid on the line valuation")
		}
		o.Clause, o.Outcome = "4.10", Outcome{"valuation_fee_payment", "4.10"}
	}
	if avail := ln.available(); r.Amount.Minor > avail.Minor {
		return nil, bad("amount", fmt.Sprintf("is above what line %q can still pay (%s)", r.Line, avail))
	}
	alone, err := c.releasedAlone(by.ID, r.Amount)
	if err != nil {
		return nil, bad("amount", "is too large")
	}
	if by.PaymentLimit.Minor < alone.Minor {
		o.Status, o.Outcome = AwaitingApproval, Outcome{"awaiting_approval", ""}
	} else {
		o.Status, o.ReleasedAt = Released, at
	}
	return c.emit(by, at, &PaymentOrdered{Order: o})
}

// releasedAlone is what handler would have released on the claim without
// a second handler's approval with amount more: a limit holds per claim, so
// that one payment split in two still waits for a second handler.
func (c *Claim) releasedAlone(handler string, amount roadcover.Money) (roadcover.Money, error) {
	sum := amount
	for i := range c.Payments {
		p := &c.Payments[i]
		if p.OrderedBy != handler || p.ApprovedBy != "" || p.Status != Released {
			continue
		}
		var err error
		if sum, err = sum.Add(p.Amount); err != nil {
			return roadcover.Money{}, err
		}
	}
	return sum, nil
}

// ApprovePayment is a second handler's approval of an order above the
// first handler's limit: another handler, whose own limit covers it, while
// the line can still pay it.
func (c *Claim) ApprovePayment(id string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("approve a payment", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("approve a payment"); err != nil {
		return nil, err
	}
	p := c.payment(id)
	switch {
	case p == nil:
		return nil, bad("payment_id", fmt.Sprintf("the claim has no payment %q", id))
	case p.Status != AwaitingApproval:
		return nil, conflict("payment %s is %s", id, p.Status)
	case p.OrderedBy == by.ID:
		return nil, roadcover.Errorf(roadcover.CodeForbidden, "approve a payment: the second handler must be another than the one who ordered it")
	case by.PaymentLimit.Minor < p.Amount.Minor:
		return nil, roadcover.Errorf(roadcover.CodeForbidden, fmt.Sprintf("approve a payment: %s is above the approver's limit %s", p.Amount, by.PaymentLimit))
	}
	if fl := c.openFlags(); len(fl) > 0 {
		return nil, conflict("approve a payment: flags wait for a person: %s", strings.Join(fl, ", "))
	}
	if ln := c.line(p.Line); ln == nil || ln.Ceiling.Minor-ln.Paid.Minor-(ln.Awaiting.Minor-p.Amount.Minor) < p.Amount.Minor {
		return nil, conflict("payment %s is above what its line can still pay", id)
	}
	return c.emit(by, at, &PaymentApproved{PaymentID: id})
}

// CancelPayment withdraws an order that waits for approval (a released
// order is the ledger's).
func (c *Claim) CancelPayment(id, reason string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("cancel a payment", ClaimsHandler); err != nil {
		return nil, err
	}
	p := c.payment(id)
	switch {
	case p == nil:
		return nil, bad("payment_id", fmt.Sprintf("the claim has no payment %q", id))
	case p.Status != AwaitingApproval:
		return nil, conflict("payment %s is %s: only an order awaiting approval can be cancelled", id, p.Status)
	}
	return c.emit(by, at, &PaymentCancelled{PaymentID: id, Reason: reason})
}

// Released lists the released payment orders: what the ledger takes.
func (c *Claim) Released() []PaymentOrder {
	var out []PaymentOrder
	for _, p := range c.Payments {
		if p.Status == Released {
			out = append(out, p)
		}
	}
	return out
}

// ClaimRecovery implements 5.3: as far as the insurer has compensated the
// policyholder it takes over the right to claim from a liable third party
// (a line's recoveries never exceed what was paid on it); and it claims back
// the VAT paid with a traffic compensation (a fifth of an amount that
// includes 25 % VAT), once per payment.
func (c *Claim) ClaimRecovery(r *RecoveryRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("claim a recovery", ClaimsHandler); err != nil {
		return nil, err
	}
	prm, err := ParamsOn(c.Loss.OccurredAt)
	if err != nil {
		return nil, err
	}
	rec := Recovery{ID: fmt.Sprintf("%s-R%d", c.ID, len(c.Recoveries)+1), Kind: r.Kind, From: r.From, By: by.ID, At: at,
		Received: sek(0)}
	switch r.Kind {
	case ThirdParty:
		ln := c.line(r.Line)
		if ln == nil || ln.Cover == "traffic" || ln.Cover == "care" || ln.Key == "valuation" {
			return nil, bad("line", fmt.Sprintf("no recovery from a third party on line %q", r.Line))
		}
		var sum summer
		claimed := sek(0)
		for _, x := range c.Recoveries {
			if x.Kind == ThirdParty && x.Line == r.Line {
				sum.add(&claimed, x.Amount)
			}
		}
		total := claimed
		sum.add(&total, r.Amount)
		if sum.err != nil {
			return nil, sum.err
		}
		if total.Minor > ln.Paid.Minor {
			return nil, bad("amount", fmt.Sprintf("recoveries on line %q may not exceed what was paid on it (%s; %s already claimed)", r.Line, ln.Paid, claimed))
		}
		rec.Line, rec.Amount, rec.Outcome = r.Line, r.Amount, Outcome{"recovery_third_party", "5.3"}
	case TrafficVAT:
		p := c.payment(r.PaymentID)
		if p == nil || p.Status != Released {
			return nil, bad("payment_id", fmt.Sprintf("no released payment %q", r.PaymentID))
		}
		if ln := c.line(p.Line); ln == nil || ln.Cover != "traffic" {
			return nil, bad("payment_id", "the payment is not a traffic compensation")
		}
		for _, x := range c.Recoveries {
			if x.Kind == TrafficVAT && x.PaymentID == p.ID {
				return nil, conflict("the VAT of payment %s is already claimed (%s)", p.ID, x.ID)
			}
		}
		vat := roadcover.DivRound(p.Amount.Minor*prm.TrafficVATPercent.Value, 100+prm.TrafficVATPercent.Value)
		if rec.From == "" {
			rec.From = p.Payee.Name
		}
		rec.Line, rec.PaymentID, rec.Amount, rec.Outcome = p.Line, p.ID, sek(vat), Outcome{"recovery_traffic_vat", "5.3"}
	default:
		return nil, bad("kind", "unknown kind of recovery")
	}
	return c.emit(by, at, &RecoveryClaimed{Recovery: rec})
}

// ReceiveRecovery records money received on a recovery, at most what is
// still outstanding on it.
func (c *Claim) ReceiveRecovery(r *RecoveryReceipt, by Actor, at time.Time) (*Event, error) {
	if err := by.may("receive a recovery", ClaimsHandler); err != nil {
		return nil, err
	}
	rec := c.recovery(r.RecoveryID)
	if rec == nil {
		return nil, bad("recovery_id", fmt.Sprintf("the claim has no recovery %q", r.RecoveryID))
	}
	if left := rec.Amount.Minor - rec.Received.Minor; r.Amount.Minor > left {
		return nil, bad("amount", fmt.Sprintf("is above what is outstanding on %s (%s)", rec.ID, sek(left)))
	}
	return c.emit(by, at, &RecoveryReceived{RecoveryID: rec.ID, Amount: r.Amount})
}

// factValue reads a money fact of the loss ("costs.market_value_sek").
func (c *Claim) factValue(path string) (roadcover.Money, bool) {
	parts := strings.Split(path, ".")
	raw := json.RawMessage(AppendLossJSON(nil, &c.Loss))
	for _, p := range parts {
		f := jsondoc.Fields(raw)
		v, ok := f[p]
		if !ok {
			return roadcover.Money{}, false
		}
		raw = v
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	m, err := roadcover.ParseMinor(s)
	if err != nil {
		return roadcover.Money{}, false
	}
	return sek(m), true
}

// RequestValuation records the policyholder's request for a valuer on a
// disputed value of the loss (4.10), with the insurer's value.
func (c *Claim) RequestValuation(r *ValuationRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("request a valuation", Policyholder, ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("request a valuation"); err != nil {
		return nil, err
	}
	for _, v := range c.Valuations {
		if !v.Recorded {
			return nil, conflict("valuation %s is not yet recorded", v.ID)
		}
	}
	ours, ok := c.factValue(r.Fact)
	if !ok {
		return nil, bad("fact", fmt.Sprintf("the loss gives no %s to dispute", r.Fact))
	}
	v := Valuation{ID: fmt.Sprintf("%s-V%d", c.ID, len(c.Valuations)+1), Fact: r.Fact, OurValue: ours,
		RequestedBy: by.ID, RequestedAt: at, ValuerValue: sek(0), Fee: sek(0), InsurerShare: sek(0), HolderShare: sek(0)}
	return c.emit(by, at, &ValuationRequested{Valuation: v})
}

// RecordValuation implements 4.10: when the valuer finds a higher value than
// the insurer, the insurer bears the whole fee and the higher value replaces
// its own in the facts (the claim is settled again); otherwise the
// policyholder bears 1 500 kr of it (at most the fee). Only one valuation
// is paid: for a further one the policyholder bears the whole fee. The
// insurer pays the valuer the fee of the paid valuation (line valuation)
// and the policyholder's share is a receivable.
func (c *Claim) RecordValuation(p *policies.Policy, r *ValuationResult, by Actor, at time.Time) (*Event, error) {
	if err := by.may("record a valuation", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("record a valuation"); err != nil {
		return nil, err
	}
	cur := c.valuation(r.ValuationID)
	switch {
	case cur == nil:
		return nil, bad("valuation_id", fmt.Sprintf("the claim has no valuation %q", r.ValuationID))
	case cur.Recorded:
		return nil, conflict("valuation %s is already recorded", cur.ID)
	}
	prm, err := ParamsOn(c.Loss.OccurredAt)
	if err != nil {
		return nil, err
	}
	v := *cur
	v.Recorded, v.ValuerValue, v.Fee = true, r.ValuerValue, r.Fee
	paid := 0
	for _, x := range c.Valuations {
		if x.Recorded && x.Paid {
			paid++
		}
	}
	v.Paid = int64(paid) < prm.PaidValuations.Value
	higher := r.ValuerValue.Minor > v.OurValue.Minor
	switch {
	case !v.Paid:
		v.InsurerShare, v.HolderShare = sek(0), r.Fee
		v.Outcomes = []Outcome{{"valuation_not_paid_again", "4.10"}}
	case higher:
		v.InsurerShare, v.HolderShare = r.Fee, sek(0)
		v.Outcomes = []Outcome{{"valuation_fee_insurer", "4.10"}}
	default:
		share := min(r.Fee.Minor, prm.ValuerFeeShare.Value)
		v.InsurerShare, v.HolderShare = sek(r.Fee.Minor-share), sek(share)
		v.Outcomes = []Outcome{{"valuation_fee_policyholder", "4.10"}}
	}
	ev := &ValuationRecorded{Valuation: v}
	if v.Paid && v.HolderShare.Minor > 0 {
		ev.Receivable = Receivable{ID: fmt.Sprintf("%s-D%d", c.ID, len(c.Receivables)+1), Kind: "valuation_fee",
			Amount: v.HolderShare, Outcome: Outcome{"valuation_fee_policyholder", "4.10"}}
	}
	if !higher {
		return c.emit(by, at, ev)
	}
	ev.Valuation.Applied = true
	ev.Valuation.Outcomes = append(ev.Valuation.Outcomes, Outcome{"valuation_value_applied", "4.10"})
	patch := valuePatch(v.Fact, r.ValuerValue)
	l, err := patchLoss(&c.Loss, patch)
	if err != nil {
		return nil, err
	}
	return c.resettle(p, l, patch, "4.10", by, at, ev)
}

// valuePatch is the merge patch setting one money fact.
func valuePatch(path string, m roadcover.Money) json.RawMessage {
	parts := strings.Split(path, ".")
	w := jsondoc.Writer{}
	w.Obj("")
	for _, p := range parts[:len(parts)-1] {
		w.Obj(p)
	}
	w.Money(parts[len(parts)-1], m)
	for range parts[:len(parts)-1] {
		w.End()
	}
	w.End()
	return w.B
}

// RecordOtherInsurance implements 4.11: another insurer's payment for the
// same loss; with it, no more than the loss is paid on the line.
func (c *Claim) RecordOtherInsurance(r *OtherInsuranceRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("record other insurance", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("record other insurance"); err != nil {
		return nil, err
	}
	ln := c.line(r.Line)
	switch {
	case ln == nil || ln.Key == "valuation" || ln.Status == "withdrawn":
		return nil, bad("line", fmt.Sprintf("the claim has no line %q", r.Line))
	case ln.Cover == "traffic" || ln.Cover == "care":
		return nil, bad("line", fmt.Sprintf("4.11 is about insuring the car twice; line %q is not", r.Line))
	}
	o := OtherInsurance{ID: fmt.Sprintf("%s-O%d", c.ID, len(c.OtherInsurance)+1), Insurer: r.Insurer, Line: r.Line, Paid: r.Paid, By: by.ID, At: at}
	return c.emit(by, at, &OtherInsuranceRecorded{Other: o})
}

// Decide records the insurer's position on the compensation on the day of
// at (Swedish time); the latest decision is the final one for 5.4 and 5.9.
func (c *Claim) Decide(note string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("decide", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("decide"); err != nil {
		return nil, err
	}
	d := Decision{Seq: len(c.Events) + 1, Day: policies.SwedishDay(at), By: by.ID, PayableTotal: c.Totals.Payable, Note: note}
	return c.emit(by, at, &DecisionMade{Decision: d})
}

// ReceiveComplaint implements 5.9: a complaint to the customer ombudsman
// must come within twelve months of the decision; a new review by the
// insurer has no deadline in the terms; an application to the personal
// insurance board (PFN) within one year of the complaint to the insurer;
// other boards and courts keep their own rules. A late complaint is
// recorded with its outcome.
func (c *Claim) ReceiveComplaint(r *ComplaintRequest, by Actor, at time.Time) (*Event, error) {
	if err := by.may("receive a complaint", Policyholder, ClaimsHandler); err != nil {
		return nil, err
	}
	prm, err := ParamsOn(c.Loss.OccurredAt)
	if err != nil {
		return nil, err
	}
	if policies.SwedishDay(at).Before(r.ReceivedOn) {
		return nil, bad("received_on", "is after today")
	}
	if r.ReceivedOn.Before(c.Loss.ReportedAt) {
		return nil, bad("received_on", fmt.Sprintf("is before the claim was reported (%s)", c.Loss.ReportedAt))
	}
	k := Complaint{ID: fmt.Sprintf("%s-K%d", c.ID, len(c.Complaints)+1), Forum: r.Forum, ReceivedOn: r.ReceivedOn, Text: r.Text, By: by.ID, InTime: true}
	// The complaint is of the decision in force on the day it came in, also
	// when it is recorded after a later decision.
	dec := c.decisionOn(r.ReceivedOn)
	if dec != nil {
		k.Decision = dec.Seq
	}
	months := int(prm.ComplaintMonths.Value)
	switch r.Forum {
	case CustomerOmbudsman:
		if dec == nil {
			if len(c.Decisions) > 0 {
				return nil, bad("received_on", fmt.Sprintf("is before the first decision (%s): there was no decision to take to the customer ombudsman then", c.Decisions[0].Day))
			}
			return nil, bad("forum", "the claim has no decision to take to the customer ombudsman yet")
		}
		k.Deadline = policies.AddMonths(dec.Day, months)
		k.Outcome = Outcome{"complaint_in_time", prm.ComplaintMonths.Clause}
	case PFN:
		var first *Complaint
		for i := range c.Complaints {
			if c.Complaints[i].Forum == Review || c.Complaints[i].Forum == CustomerOmbudsman {
				first = &c.Complaints[i]
				break
			}
		}
		if first == nil {
			return nil, bad("forum", "an application to PFN follows a complaint to the insurer")
		}
		k.Deadline = policies.AddMonths(first.ReceivedOn, months)
		k.Outcome = Outcome{"pfn_in_time", prm.ComplaintMonths.Clause}
	case Review:
		k.Outcome = Outcome{"review_requested", prm.ComplaintMonths.Clause}
	default:
		k.Outcome = Outcome{"external_forum", prm.ComplaintMonths.Clause}
	}
	if !k.Deadline.IsZero() && k.Deadline.Before(r.ReceivedOn) {
		k.InTime, k.Outcome = false, Outcome{"complaint_late", prm.ComplaintMonths.Clause}
	}
	return c.emit(by, at, &ComplaintReceived{Complaint: k})
}

// Close closes the claim with a reason; reserves are released. Orders
// awaiting approval are approved or cancelled first.
func (c *Claim) Close(reason string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("close a claim", ClaimsHandler); err != nil {
		return nil, err
	}
	if err := c.mustBeOpen("close"); err != nil {
		return nil, err
	}
	if c.Totals.Awaiting.Minor > 0 {
		return nil, conflict("close: payments await approval")
	}
	return c.emit(by, at, &Closed{Reason: reason})
}

// Reopen reopens a closed claim with a reason. A claims handler may always
// reopen; the policyholder's demand after the time bar (5.4) is refused and
// recorded as refused.
func (c *Claim) Reopen(reason string, by Actor, at time.Time) (*Event, error) {
	if err := by.may("reopen a claim", ClaimsHandler, Policyholder); err != nil {
		return nil, err
	}
	if c.Status != StatusClosed {
		return nil, conflict("reopen: the claim is open")
	}
	if by.Role == Policyholder {
		lim, err := c.Limitation()
		if err != nil {
			return nil, err
		}
		if day := policies.SwedishDay(at); lim.LastDay.Before(day) || !lim.ReportedInTime {
			return c.emit(by, at, &ReopenRefused{Reason: reason, Outcome: Outcome{"reopen_time_barred", lim.Outcome.Clause}, LastDay: lim.LastDay})
		}
	}
	return c.emit(by, at, &Reopened{Reason: reason})
}

// LinkDeskCase links the claim to an assistance desk case of the same car
// and day (the desk keeps the claim's id on its side: DeskLink).
func (c *Claim) LinkDeskCase(d *DeskCase, by Actor, at time.Time) (*Event, error) {
	if err := by.may("link a desk case", AssistanceDesk, ClaimsHandler); err != nil {
		return nil, err
	}
	errs := &roadcover.InputError{}
	checkDeskCase(errs, d, c.VIN, c.Loss.OccurredAt)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if c.DeskCaseID != "" && c.DeskCaseID != d.ID {
		return nil, conflict("the claim is linked to desk case %s", c.DeskCaseID)
	}
	return c.emit(by, at, &DeskCaseLinked{DeskCaseID: d.ID})
}

// DeskLink is the link the desk keeps on its case: its case id and the claim's.
type DeskLink struct{ CaseID, ClaimID string }

// DeskLink returns the link for the desk side, when the claim has one.
func (c *Claim) DeskLink() (DeskLink, bool) {
	if c.DeskCaseID == "" {
		return DeskLink{}, false
	}
	return DeskLink{CaseID: c.DeskCaseID, ClaimID: c.ID}, true
}
