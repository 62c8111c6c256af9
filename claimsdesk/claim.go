package claimsdesk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/insurance"
	"roadcover/policies"
	"roadcover/store"
)

// Claim is a claim as the desk loaded it: the claim its timeline makes,
// the policy it is under and the number of its current settlement.
type Claim struct {
	*claims.Claim
	Policy       *policies.Policy
	SettlementNo int64
}

// claimRow is what the store keeps of a claim in its row.
func claimRow(c *claims.Claim, settlementNo int64) store.Claim {
	s := c.Summary()
	return store.Claim{ID: c.ID, PolicyID: c.PolicyID, VIN: c.VIN, OccurredAt: c.Loss.OccurredAt.String(),
		ReportedAt: c.Loss.ReportedAt.String(), Status: string(c.Status), DeskCaseID: c.DeskCaseID, HolderID: c.HolderID,
		HolderName: c.HolderName, Summary: claims.AppendSummaryJSON(make([]byte, 0, 512), s), SettlementNo: settlementNo,
		Version: int64(len(c.Events)), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// eventRecords are the claim's events from index from on, as stored.
func eventRecords(c *claims.Claim, from int) []store.ClaimEvent {
	out := make([]store.ClaimEvent, 0, len(c.Events)-from)
	for i := from; i < len(c.Events); i++ {
		e := &c.Events[i]
		out = append(out, store.ClaimEvent{ClaimID: c.ID, Seq: int64(e.Seq), At: e.At, Actor: claims.AppendActorJSON(nil, e.Actor),
			Kind: e.Kind(), Data: claims.AppendEventDataJSON(make([]byte, 0, 256), e.Data)})
	}
	return out
}

// Load reads a claim and puts it together from its timeline under its
// policy: nothing is decided again.
func (d *Desk) Load(ctx context.Context, tx store.Tx, id string) (*Claim, error) {
	row, err := tx.GetClaim(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("no claim " + id)
	}
	if err != nil {
		return nil, err
	}
	recs, err := tx.ClaimEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	p, _, err := d.loadPolicy(ctx, tx, row.PolicyID)
	if err != nil {
		return nil, fmt.Errorf("claimsdesk: policy of claim %s: %w", id, err)
	}
	evs := make([]claims.Event, len(recs))
	for i, r := range recs {
		a, err := claims.DecodeActor(r.Actor)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: claim %s event %d: actor: %w", id, r.Seq, err)
		}
		data, err := claims.DecodeEventData(r.Kind, r.Data)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: claim %s event %d: %w", id, r.Seq, err)
		}
		evs[i] = claims.Event{Seq: int(r.Seq), At: r.At, Actor: a, Data: data}
	}
	c, err := claims.Replay(id, p, evs, row.Settlement)
	if err != nil {
		return nil, err
	}
	return &Claim{Claim: c, Policy: p, SettlementNo: row.SettlementNo}, nil
}

// DeskCase is what the desk reads of an assistance case to link a claim to
// it: the car and the day of the case, as it happened (its own offset).
func deskCase(ctx context.Context, tx store.Tx, id string) (*claims.DeskCase, error) {
	rec, err := tx.GetCase(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid("desk_case.id", "no assistance case "+id)
	}
	if err != nil {
		return nil, err
	}
	var f struct {
		OccurredAt string `json:"occurred_at"`
		Vehicle    struct {
			VIN string `json:"vin"`
		} `json:"vehicle"`
	}
	if err := json.Unmarshal(rec.Facts, &f); err != nil {
		return nil, fmt.Errorf("claimsdesk: facts of case %s: %w", id, err)
	}
	dc := &claims.DeskCase{ID: id, VIN: rec.Summary.VIN}
	if f.Vehicle.VIN != "" {
		dc.VIN = f.Vehicle.VIN
	}
	if t, err := time.Parse(time.RFC3339, f.OccurredAt); err == nil {
		dc.Day = roadcover.DateOf(t)
	} else if !rec.Summary.OccurredAt.IsZero() {
		dc.Day = policies.SwedishDay(rec.Summary.OccurredAt)
	}
	return dc, nil
}

// CheckReport names every bad field of a first notice that could not be
// read whole (claims.Check): readErr with what the engine finds wrong in
// the loss under the policy the report names. It stores nothing.
func (d *Desk) CheckReport(ctx context.Context, tx store.Tx, a claims.Actor, r *claims.Report, readErr error) error {
	if r == nil || r.PolicyID == "" {
		return readErr
	}
	p, _, err := d.loadPolicy(ctx, tx, r.PolicyID)
	if err != nil {
		return readErr
	}
	return claims.Check(p, r, readErr, a, d.now())
}

// CheckReportByLink is CheckReport for the policyholder's report behind a
// policy link: only under the link's own policy.
func (d *Desk) CheckReportByLink(ctx context.Context, tx store.Tx, hash []byte, r *claims.Report, readErr error) error {
	l, err := d.target(ctx, tx, hash, store.LinkPolicy)
	if err != nil || r == nil || r.PolicyID != l.Target {
		return readErr
	}
	return d.CheckReport(ctx, tx, Holder(hash), r, readErr)
}

// EventClaimOpened is the kind of the assistance case's timeline event
// that names a claim opened from the case.
const EventClaimOpened = "claim_opened"

// OpenClaim takes the first notice of a loss (claims.Open) under the policy
// the report names and stores the claim, settled. The actor is a claims
// handler or the policyholder (ReportByLink); a report naming an
// assistance desk case is checked against the stored case (the same car
// and day), and the case's timeline records the claim. Claims of the same
// car and day with overlapping perils are flagged on both sides.
func (d *Desk) OpenClaim(ctx context.Context, tx store.Tx, a claims.Actor, r *claims.Report) (*Claim, error) {
	if r.Loss == nil {
		return nil, invalid("loss", "is required")
	}
	prow, recs, sameDay, err := tx.FirstNotice(ctx, r.PolicyID, r.Loss.OccurredAt.String())
	if errors.Is(err, store.ErrNotFound) {
		return nil, invalid("policy_id", "no policy "+r.PolicyID)
	}
	if err != nil {
		return nil, err
	}
	p, _, err := d.policyOf(r.PolicyID, prow, recs)
	if err != nil {
		return nil, err
	}
	if r.DeskCase != nil {
		stored, err := deskCase(ctx, tx, r.DeskCase.ID)
		if err != nil {
			return nil, err
		}
		errs := &roadcover.InputError{}
		if r.DeskCase.VIN != stored.VIN {
			errs.Add("desk_case.vin", roadcover.CodeInvalidInput, fmt.Sprintf("assistance case %s is of the car %s", stored.ID, stored.VIN))
		}
		if r.DeskCase.Day != stored.Day {
			errs.Add("desk_case.day", roadcover.CodeInvalidInput, fmt.Sprintf("assistance case %s happened on %s", stored.ID, stored.Day))
		}
		if err := errs.Err(); err != nil {
			return nil, err
		}
	}
	others := make([]claims.Summary, 0, len(sameDay))
	for _, o := range sameDay {
		s, err := claims.DecodeSummary(o.Summary)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: summary of claim %s: %w", o.ID, err)
		}
		others = append(others, s)
	}
	now := d.now()
	c, err := claims.Open(d.NewID(ClaimPrefix), p, r, a, now, others)
	if err != nil {
		return nil, err
	}
	row := claimRow(c, 1)
	row.Settlement = c.Settlement
	if err := tx.InsertClaim(ctx, row, eventRecords(c, 0)); err != nil {
		return nil, wrap("open claim", err)
	}
	sum := c.Summary()
	for _, other := range claims.Overlapping(sum, others) {
		if _, err := d.Do(ctx, tx, claims.System, other, 0, FlagOverlap(sum)); err != nil {
			return nil, fmt.Errorf("claimsdesk: flag claim %s: %w", other, err)
		}
	}
	if c.DeskCaseID != "" {
		data, _ := json.Marshal(map[string]string{"claim_id": c.ID})
		if _, err := tx.AppendEvent(ctx, store.Event{CaseID: c.DeskCaseID, At: now,
			Actor: store.Actor{TokenID: a.ID, Role: string(a.Role)}, Kind: EventClaimOpened, Data: data}); err != nil {
			return nil, wrap("link case "+c.DeskCaseID, err)
		}
	}
	return &Claim{Claim: c, Policy: p, SettlementNo: 1}, nil
}

// An Act is one act on a claim: it checks what it may and records its
// event on the claim (claims' methods), or changes nothing (nil event).
type Act func(c *claims.Claim, p *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error)

// Do runs an act on a stored claim and stores what it recorded: the new
// events, the claim's row, a new settlement when the act made one, and the
// payment orders it released, handed to the ledger in the same
// transaction. ifVersion, when not 0, is the version the caller read (the
// ETag it sent as If-Match); another stored version is a precondition
// failure.
func (d *Desk) Do(ctx context.Context, tx store.Tx, by claims.Actor, id string, ifVersion int64, act Act) (*Claim, error) {
	c, err := d.Load(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if ifVersion != 0 && int64(len(c.Events)) != ifVersion {
		return nil, roadcover.Errorf(roadcover.CodePrecondition, fmt.Sprintf("the claim is at version %d; fetch it again and repeat the act", len(c.Events)))
	}
	before := len(c.Events)
	settlement := c.Settlement
	released := map[string]bool{}
	for _, o := range c.Released() {
		released[o.ID] = true
	}
	if _, err := act(c.Claim, c.Policy, by, d.now()); err != nil {
		return nil, err
	}
	if len(c.Events) == before {
		return c, nil
	}
	row := claimRow(c.Claim, c.SettlementNo)
	if !bytes.Equal(settlement, c.Settlement) {
		c.SettlementNo++
		row.SettlementNo, row.Settlement = c.SettlementNo, c.Settlement
	}
	if err := tx.UpdateClaim(ctx, row, eventRecords(c.Claim, before)); err != nil {
		return nil, wrap("claim "+id, err)
	}
	for _, o := range c.Released() {
		if !released[o.ID] {
			if err := d.handOver(ctx, tx, c.Claim, o); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// The acts of a claim, as the handlers' requests give them.

// CheckAct names every bad field of an act whose request could not be read
// whole: readErr with the fields the act itself finds wrong when tried on
// the stored claim. Nothing is stored.
func (d *Desk) CheckAct(ctx context.Context, tx store.Tx, by claims.Actor, id string, act Act, readErr error) error {
	var out *roadcover.InputError
	if !errors.As(readErr, &out) {
		return readErr
	}
	c, err := d.Load(ctx, tx, id)
	if err != nil {
		return readErr
	}
	_, err = act(c.Claim, c.Policy, by, d.now())
	var more *roadcover.InputError
	if !errors.As(err, &more) {
		return readErr
	}
	all := &roadcover.InputError{}
	all.Merge(out)
	for _, f := range more.Errors {
		if !all.Has(f.Field) {
			all.Add(f.Field, f.Code, f.Detail)
		}
	}
	return all.Err()
}

// ChangeFacts changes the loss facts by a merge patch and settles again.
func ChangeFacts(ch *claims.FactsChange) Act {
	return func(c *claims.Claim, p *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ChangeFacts(p, ch, by, at)
	}
}

// SetReserve sets a pending line's reserve, or returns it to automatic.
func SetReserve(r *claims.ReserveRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.SetReserve(r, by, at)
	}
}

// OrderPayment orders a payment; within the handler's limit it is released.
func OrderPayment(r *claims.PaymentRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.OrderPayment(r, by, at)
	}
}

// ApprovePayment is a second handler's approval of an order.
func ApprovePayment(paymentID string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ApprovePayment(paymentID, by, at)
	}
}

// CancelPayment withdraws an order awaiting approval.
func CancelPayment(paymentID, reason string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.CancelPayment(paymentID, reason, by, at)
	}
}

// ClaimRecovery claims money back (5.3).
func ClaimRecovery(r *claims.RecoveryRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ClaimRecovery(r, by, at)
	}
}

// ReceiveRecovery records money received on a recovery.
func ReceiveRecovery(r *claims.RecoveryReceipt) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ReceiveRecovery(r, by, at)
	}
}

// RequestValuation records a request for a valuer (4.10).
func RequestValuation(r *claims.ValuationRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.RequestValuation(r, by, at)
	}
}

// RecordValuation records the valuer's statement (4.10), settling again
// when the valuer's value is applied.
func RecordValuation(r *claims.ValuationResult) Act {
	return func(c *claims.Claim, p *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.RecordValuation(p, r, by, at)
	}
}

// RecordOtherInsurance records another insurer's payment (4.11).
func RecordOtherInsurance(r *claims.OtherInsuranceRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.RecordOtherInsurance(r, by, at)
	}
}

// Decide records the insurer's position on the compensation.
func Decide(note string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.Decide(note, by, at)
	}
}

// ReceiveComplaint records a complaint with its deadline (5.9).
func ReceiveComplaint(r *claims.ComplaintRequest) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ReceiveComplaint(r, by, at)
	}
}

// Close closes the claim.
func Close(reason string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.Close(reason, by, at)
	}
}

// Reopen reopens the claim (a policyholder's demand after 5.4 is refused).
func Reopen(reason string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.Reopen(reason, by, at)
	}
}

// ClearFlag records a person's clearance of a flag.
func ClearFlag(code, reason string) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.ClearFlag(code, reason, by, at)
	}
}

// FlagOverlap flags the claim when a newer claim of the same car and day
// overlaps it.
func FlagOverlap(newer claims.Summary) Act {
	return func(c *claims.Claim, _ *policies.Policy, by claims.Actor, at time.Time) (*claims.Event, error) {
		return c.FlagOverlap(newer, by, at)
	}
}

// Claims lists the summaries of the claims a filter selects, oldest first.
func (d *Desk) Claims(ctx context.Context, tx store.Tx, f store.ClaimFilter) ([]claims.Summary, error) {
	rows, err := tx.ListClaims(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]claims.Summary, 0, len(rows))
	for _, r := range rows {
		s, err := claims.DecodeSummary(r.Summary)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: summary of claim %s: %w", r.ID, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// In is the claim as shown in lang: its stored settlement given again in
// that language from its codes (insurance.Retext), nothing settled again.
// The claim itself is not changed.
func (c *Claim) In(lang roadcover.Language) *claims.Claim {
	if lang == "" || lang == c.Language || c.Settlement == nil {
		return c.Claim
	}
	doc, err := insurance.Retext(c.Settlement, lang)
	if err != nil {
		return c.Claim
	}
	shown := *c.Claim
	shown.Settlement = doc
	return &shown
}
