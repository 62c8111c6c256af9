package claimsdesk

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/internal/jsondoc"
	"roadcover/store"
)

// A policyholder reaches their claim, or reports a loss under their
// policy, through a link: a random token in the URL of which only the hash
// is stored, expiring after a number of hours.

const (
	// DefaultLinkHours is how long a link lives unless asked.
	DefaultLinkHours = 720
	// MaxLinkHours is the longest a link may live (90 days).
	MaxLinkHours = 2160
)

// Link is a new link: the token is shown once and not kept.
type Link struct {
	Token     string
	ExpiresAt time.Time
}

func (d *Desk) link(ctx context.Context, tx store.Tx, kind, prefix, target string, hours int64) (Link, error) {
	if hours < 1 || hours > MaxLinkHours {
		return Link{}, invalid("expires_in_hours", "must be from 1 to 2160")
	}
	token, hash := d.NewSecret(prefix)
	now := d.now()
	l := store.InsuranceLink{Hash: hash, Kind: kind, Target: target, CreatedAt: now,
		ExpiresAt: now.Add(time.Duration(hours) * time.Hour).Truncate(time.Second)}
	if err := tx.InsertInsuranceLink(ctx, l); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Link{}, notFound("no " + kind + " " + target)
		}
		return Link{}, err
	}
	return Link{Token: token, ExpiresAt: l.ExpiresAt}, nil
}

// ClaimLink makes the policyholder's read-only link to a claim.
func (d *Desk) ClaimLink(ctx context.Context, tx store.Tx, claimID string, hours int64) (Link, error) {
	return d.link(ctx, tx, store.LinkClaim, ClaimLinkPrefix, claimID, hours)
}

// PolicyLink makes the policyholder's link for reporting a loss under a
// policy.
func (d *Desk) PolicyLink(ctx context.Context, tx store.Tx, policyID string, hours int64) (Link, error) {
	return d.link(ctx, tx, store.LinkPolicy, PolicyLinkPrefix, policyID, hours)
}

// errNoLink is the one answer for a link that is unknown, expired or of
// another kind: nothing says which.
func errNoLink() error { return notFound("no such link, or it has expired") }

func (d *Desk) target(ctx context.Context, tx store.Tx, hash []byte, kind string) (store.InsuranceLink, error) {
	l, err := tx.InsuranceLinkByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return l, errNoLink()
	}
	if err != nil {
		return l, err
	}
	if l.Kind != kind || !d.Clock().Before(l.ExpiresAt) {
		return l, errNoLink()
	}
	return l, nil
}

// LinkedPolicy is the policy of a policy link that is still valid.
func (d *Desk) LinkedPolicy(ctx context.Context, tx store.Tx, hash []byte) (string, error) {
	l, err := d.target(ctx, tx, hash, store.LinkPolicy)
	if err != nil {
		return "", err
	}
	return l.Target, nil
}

// HolderView is what the policyholder sees of a claim behind its link.
type HolderView struct {
	Claim     *Claim
	ExpiresAt time.Time
}

// ClaimByLink finds the claim of a link by the token's hash.
func (d *Desk) ClaimByLink(ctx context.Context, tx store.Tx, hash []byte) (HolderView, error) {
	l, err := d.target(ctx, tx, hash, store.LinkClaim)
	if err != nil {
		return HolderView{}, err
	}
	c, err := d.Load(ctx, tx, l.Target)
	if err != nil {
		return HolderView{}, err
	}
	return HolderView{Claim: c, ExpiresAt: l.ExpiresAt}, nil
}

// Holder is the actor of a policyholder who came through a link: the
// link's hash (a prefix) stands for them in the claim's timeline.
func Holder(hash []byte) claims.Actor {
	return claims.Actor{ID: "link:" + hex.EncodeToString(hash[:min(len(hash), 8)]), Role: claims.Policyholder}
}

// ReportByLink takes the first notice of a loss from the policyholder
// through the link to their policy: the claim is opened with the
// policyholder as the actor (the report must name the link's policy), and
// a read-only link to the new claim is made for them.
func (d *Desk) ReportByLink(ctx context.Context, tx store.Tx, hash []byte, r *claims.Report, hours int64) (*Claim, Link, error) {
	l, err := d.target(ctx, tx, hash, store.LinkPolicy)
	if err != nil {
		return nil, Link{}, err
	}
	if r.PolicyID != l.Target {
		return nil, Link{}, invalid("policy_id", "is not the policy of this link")
	}
	if r.DeskCase != nil {
		return nil, Link{}, invalid("desk_case", "a policyholder's report names no assistance case")
	}
	c, err := d.OpenClaim(ctx, tx, Holder(hash), r)
	if err != nil {
		return nil, Link{}, err
	}
	cl, err := d.ClaimLink(ctx, tx, c.ID, hours)
	if err != nil {
		return nil, Link{}, err
	}
	return c, cl, nil
}

// AppendHolderJSON appends the policyholder's view of a claim: the claim
// number and nothing else internal (no policy, desk case, token, payment
// or actor ids, no account numbers), where it stands, the settlement
// document, what is paid and waits, decisions, complaints with their
// deadlines and the time bar of 5.4; outcome texts in lang.
func AppendHolderJSON(b []byte, v HolderView, lang roadcover.Language) []byte {
	c := v.Claim
	if lang == "" {
		lang = c.Language
	}
	w := jsondoc.Writer{B: b}
	w.Obj("").Str("claim_number", c.ID).Str("status", string(c.Status)).Str("language", string(lang)).
		Date("occurred_at", c.Loss.OccurredAt).Date("reported_at", c.Loss.ReportedAt).Str("registration", c.Registration).
		Str("peril", c.Decided.Peril).Time("updated_at", c.UpdatedAt).Time("link_expires_at", v.ExpiresAt)
	w.Raw("settlement", c.In(lang).Settlement)
	t := &c.Totals
	w.Obj("totals").Money("payable", t.Payable).Money("paid", t.Paid).Money("awaiting_approval", t.Awaiting).
		Str("currency", "SEK").End()
	w.Arr("lines")
	for i := range c.Lines {
		ln := &c.Lines[i]
		w.Obj("").Str("cover", ln.Cover).Str("clause", ln.Clause).Str("status", ln.Status).Money("payable", ln.Ceiling).
			Money("paid", ln.Paid).Money("awaiting_approval", ln.Awaiting).End()
	}
	w.End()
	w.Arr("payments")
	for _, p := range c.Payments {
		if p.Status == claims.Cancelled {
			continue
		}
		w.Obj("").Str("kind", string(p.Kind)).Str("cover", coverOf(c, p.Line)).Str("clause", p.Clause).
			Str("payee", p.Payee.Name).Money("amount", p.Amount).Str("status", string(p.Status)).
			Time("ordered_at", p.OrderedAt).Time("released_at", p.ReleasedAt).End()
	}
	w.End()
	w.Arr("decisions")
	for _, dec := range c.Decisions {
		w.Obj("").Date("day", dec.Day).Money("payable_total", dec.PayableTotal).End()
	}
	w.End()
	w.Arr("complaints")
	for _, k := range c.Complaints {
		w.Obj("").Str("forum", string(k.Forum)).Date("received_on", k.ReceivedOn).Date("deadline", k.Deadline).
			Bool("in_time", k.InTime).Str("clause", k.Outcome.Clause).Str("text", k.Outcome.Text(lang)).End()
	}
	w.End()
	w.Arr("outcomes")
	for _, o := range c.Outcomes {
		w.Obj("").Str("code", o.Code).Str("clause", o.Clause).Str("text", o.Text(lang)).End()
	}
	w.End()
	if lim, err := c.Limitation(); err == nil {
		w.Obj("limitation").Date("ten_years", lim.TenYears).Bool("reported_in_time", lim.ReportedInTime).
			Date("final_decision", lim.FinalDecision).Date("last_day", lim.LastDay).
			Str("clause", lim.Outcome.Clause).Str("text", lim.Outcome.Text(lang)).End()
	} else {
		w.Null("limitation")
	}
	w.End()
	return w.B
}

func coverOf(c *Claim, line string) string {
	for _, ln := range c.Lines {
		if ln.Key == line {
			return ln.Cover
		}
	}
	return line
}
