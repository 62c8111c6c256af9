package claims

import (
	"time"

	"roadcover"
)

// PaymentKind says what a payment order pays.
type PaymentKind string

// The kinds of payment order.
const (
	Indemnity PaymentKind = "indemnity"     // the settled compensation of a line
	Advance   PaymentKind = "advance"       // 4.1: before the claim is decided
	ValuerFee PaymentKind = "valuation_fee" // 4.10: the valuer's fee the insurer pays
)

// PaymentStatus is where a payment order stands.
type PaymentStatus string

// The statuses of a payment order. Released orders are the ledger's.
const (
	AwaitingApproval PaymentStatus = "awaiting_approval"
	Released         PaymentStatus = "released"
	Cancelled        PaymentStatus = "cancelled"
)

// PaymentOrder is one payment the claim orders from the ledger: who is
// paid, how much, for which settlement line and clause, and of what kind.
type PaymentOrder struct {
	ID        string
	ClaimID   string
	Kind      PaymentKind
	Line      string // the line key ("collision", "legal:D1", "valuation")
	Clause    string // the line's clause; 4.1 for an advance, 4.10 for a valuer's fee
	Payee     Payee
	Amount    roadcover.Money
	Reference string // shown to the payee
	Status    PaymentStatus
	Outcome   Outcome
	OrderedBy string
	OrderedAt time.Time
	// ApprovedBy is the second handler when the amount was above the
	// ordering handler's limit; released orders without one were within it.
	ApprovedBy   string
	ReleasedAt   time.Time
	CancelledBy  string
	CancelReason string
}

func (p *PaymentOrder) visit(c codec) {
	c.str("id", &p.ID)
	c.str("claim_id", &p.ClaimID)
	c.str("kind", (*string)(&p.Kind))
	c.str("line", &p.Line)
	c.str("clause", &p.Clause)
	c.obj("payee", p.Payee.visit)
	c.money("amount", &p.Amount)
	c.str("reference", &p.Reference)
	c.str("status", (*string)(&p.Status))
	c.obj("outcome", p.Outcome.visit)
	c.str("ordered_by", &p.OrderedBy)
	c.instant("ordered_at", &p.OrderedAt)
	c.str("approved_by", &p.ApprovedBy)
	c.instant("released_at", &p.ReleasedAt)
	c.str("cancelled_by", &p.CancelledBy)
	c.str("cancel_reason", &p.CancelReason)
}

func (p *Payee) visit(c codec) {
	c.str("name", &p.Name)
	c.str("kind", (*string)(&p.Kind))
	switch p.Kind {
	case Bankgiro:
		c.str("bankgiro", &p.Bankgiro)
	case SwedishAccount:
		c.str("clearing", &p.Clearing)
		c.str("account", &p.Account)
	case IBAN:
		c.str("iban", &p.IBAN)
		if p.BIC != "" {
			c.str("bic", &p.BIC)
		}
	}
	if r, ok := c.(reader); ok { // the kind is known only once read
		r.str("bankgiro", &p.Bankgiro)
		r.str("clearing", &p.Clearing)
		r.str("account", &p.Account)
		r.str("iban", &p.IBAN)
		r.str("bic", &p.BIC)
	}
}

func (o *Outcome) visit(c codec) {
	c.str("code", &o.Code)
	c.str("clause", &o.Clause)
	if r, ok := c.(reader); ok {
		r.o.Skip("text")
	} else if w, ok := c.(textWriter); ok {
		w.w.Str("text", o.Text(w.lang))
	}
}

// textWriter writes records with the texts of their outcomes in a language.
type textWriter struct {
	writer
	lang roadcover.Language
}

func (c textWriter) obj(k string, f func(codec)) { c.w.Obj(k); f(c); c.w.End() }
func (c textWriter) list(k string, n int, _ func(int), elem func(int, codec)) {
	c.w.Arr(k)
	for i := 0; i < n; i++ {
		c.w.Obj("")
		elem(i, c)
		c.w.End()
	}
	c.w.End()
}

// RecoveryKind says whom a recovery is claimed from (5.3).
type RecoveryKind string

// The kinds of recovery.
const (
	ThirdParty RecoveryKind = "third_party" // a liable third party, up to what was paid
	TrafficVAT RecoveryKind = "traffic_vat" // VAT paid with traffic compensation
)

// Recovery is money claimed back (5.3).
type Recovery struct {
	ID        string
	Kind      RecoveryKind
	From      string // the party or insurer claimed from
	Line      string
	PaymentID string // traffic_vat: the traffic payment whose VAT is claimed
	Amount    roadcover.Money
	Received  roadcover.Money
	Outcome   Outcome
	By        string
	At        time.Time
}

func (r *Recovery) visit(c codec) {
	c.str("id", &r.ID)
	c.str("kind", (*string)(&r.Kind))
	c.str("from", &r.From)
	c.str("line", &r.Line)
	c.str("payment_id", &r.PaymentID)
	c.money("amount", &r.Amount)
	c.money("received", &r.Received)
	c.obj("outcome", r.Outcome.visit)
	c.str("by", &r.By)
	c.instant("at", &r.At)
}

// Valuation is a dispute over a value (4.10): the fact disputed and our
// value, then the valuer's value and fee and who bears it.
type Valuation struct {
	ID          string
	Fact        string // the loss fact valued, e.g. "costs.market_value_sek"
	OurValue    roadcover.Money
	RequestedBy string
	RequestedAt time.Time
	Recorded    bool
	ValuerValue roadcover.Money
	Fee         roadcover.Money
	// Paid: this is the one valuation the insurer pays for; the insurer
	// pays the valuer the whole fee and the policyholder owes HolderShare.
	Paid         bool
	InsurerShare roadcover.Money
	HolderShare  roadcover.Money
	Applied      bool // the valuer's higher value replaced ours in the facts
	Outcomes     []Outcome
}

func (v *Valuation) visit(c codec) {
	c.str("id", &v.ID)
	c.str("fact", &v.Fact)
	c.money("our_value", &v.OurValue)
	c.str("requested_by", &v.RequestedBy)
	c.instant("requested_at", &v.RequestedAt)
	c.boolean("recorded", &v.Recorded)
	c.money("valuer_value", &v.ValuerValue)
	c.money("fee", &v.Fee)
	c.boolean("paid", &v.Paid)
	c.money("insurer_share", &v.InsurerShare)
	c.money("policyholder_share", &v.HolderShare)
	c.boolean("applied", &v.Applied)
	visitOutcomes(c, "outcomes", &v.Outcomes)
}

func visitOutcomes(c codec, k string, os *[]Outcome) {
	c.list(k, len(*os), func(n int) { *os = make([]Outcome, n) }, func(i int, c codec) { (*os)[i].visit(c) })
}

// OtherInsurance is what another insurer paid for the same loss (4.11).
type OtherInsurance struct {
	ID      string
	Insurer string
	Line    string
	Paid    roadcover.Money
	By      string
	At      time.Time
}

func (o *OtherInsurance) visit(c codec) {
	c.str("id", &o.ID)
	c.str("insurer", &o.Insurer)
	c.str("line", &o.Line)
	c.money("paid", &o.Paid)
	c.str("by", &o.By)
	c.instant("at", &o.At)
}

// Receivable is money the policyholder owes on the claim (the valuer's fee
// share of 4.10), for the ledger to collect or set off.
type Receivable struct {
	ID      string
	Kind    string
	Amount  roadcover.Money
	Outcome Outcome
}

func (r *Receivable) visit(c codec) {
	c.str("id", &r.ID)
	c.str("kind", &r.Kind)
	c.money("amount", &r.Amount)
	c.obj("outcome", r.Outcome.visit)
}

// Decision is the insurer's position on the compensation on a day (the
// latest is the final one for 5.4 and 5.9).
type Decision struct {
	Seq          int // the event that made it
	Day          roadcover.Date
	By           string
	PayableTotal roadcover.Money
	Note         string
}

func (d *Decision) visit(c codec) {
	c.integer("seq", &d.Seq)
	c.date("day", &d.Day)
	c.str("by", &d.By)
	c.money("payable_total", &d.PayableTotal)
	c.str("note", &d.Note)
}

// Forum is where a complaint is taken (5.9).
type Forum string

// The forums of 5.9.
const (
	Review            Forum = "review"             // a new review by the insurer
	CustomerOmbudsman Forum = "customer_ombudsman" // within 12 months of the decision
	ARN               Forum = "arn"                // Allmänna reklamationsnämnden
	Court             Forum = "court"
	TSN               Forum = "tsn" // Trafikskadenämnden
	PFN               Forum = "pfn" // Personförsäkringsnämnden: within a year of the complaint to the insurer
)

// Complaint is a complaint about a decision (5.9) with its deadline.
type Complaint struct {
	ID         string
	Forum      Forum
	ReceivedOn roadcover.Date
	Decision   int            // the seq of the decision complained of (0: none)
	Deadline   roadcover.Date // zero when the terms set none for the forum
	InTime     bool
	Outcome    Outcome
	Text       string
	By         string
}

func (k *Complaint) visit(c codec) {
	c.str("id", &k.ID)
	c.str("forum", (*string)(&k.Forum))
	c.date("received_on", &k.ReceivedOn)
	c.integer("decision", &k.Decision)
	c.date("deadline", &k.Deadline)
	c.boolean("in_time", &k.InTime)
	c.obj("outcome", k.Outcome.visit)
	c.str("text", &k.Text)
	c.str("by", &k.By)
}

// Flag is something a person must look at before the claim pays.
type Flag struct {
	Outcome   Outcome  // possible_duplicate (4.1), loss_on_first_day (5.1)
	Claims    []string // the other claims it concerns
	RaisedBy  string
	Cleared   bool
	ClearedBy string
	Reason    string
}

func (f *Flag) visit(c codec) {
	c.obj("outcome", f.Outcome.visit)
	c.strs("claims", &f.Claims)
	c.str("raised_by", &f.RaisedBy)
	c.boolean("cleared", &f.Cleared)
	c.str("cleared_by", &f.ClearedBy)
	c.str("reason", &f.Reason)
}

func (d *Decided) visit(c codec) {
	c.str("terms_id", &d.TermsID)
	c.list("lines", len(d.Lines), func(n int) { d.Lines = make([]SettledLine, n) }, func(i int, c codec) { d.Lines[i].visit(c) })
	c.list("refusals", len(d.Refusals), func(n int) { d.Refusals = make([]Refusal, n) }, func(i int, c codec) {
		r := &d.Refusals[i]
		c.str("cover", &r.Cover)
		c.str("code", &r.Code)
		c.str("clause", &r.Clause)
	})
	c.money("payable_total", &d.PayableTotal)
	c.money("deductible_total", &d.DeductibleTotal)
	c.boolean("premium_affecting", &d.PremiumAffecting)
	c.strs("requirements", &d.Requirements)
	c.str("peril", &d.Peril)
	c.str("country", &d.Country)
}

func (l *SettledLine) visit(c codec) {
	c.str("key", &l.Key)
	c.str("cover", &l.Cover)
	c.str("clause", &l.Clause)
	c.str("status", &l.Status)
	c.minor("assessed", &l.Assessed)
	c.minor("deductible", &l.Deductible)
	c.minor("net", &l.Net)
	c.minor("reductions", &l.Reductions)
	c.minor("payable", &l.Payable)
}

func (a *Actor) visit(c codec) {
	c.str("id", &a.ID)
	c.str("role", (*string)(&a.Role))
	if a.Role == ClaimsHandler || a.PaymentLimit.Minor != 0 {
		c.money("payment_limit", &a.PaymentLimit)
	} else if r, ok := c.(reader); ok {
		r.money("payment_limit", &a.PaymentLimit)
	}
}
