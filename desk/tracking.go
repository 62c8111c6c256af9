package desk

import (
	"context"
	"errors"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/jsonin"
	"roadcover/store"
)

// Tracking links give a driver read access to the one case they were made
// for: a random token in the URL, of which only the hash is stored,
// expiring after a number of hours and ending when the case is closed.

const (
	// DefaultLinkHours is how long a tracking link lives unless asked.
	DefaultLinkHours = 48
	// MaxLinkHours is the longest a tracking link may live.
	MaxLinkHours = 720
	// TrackingPrefix starts every tracking token.
	TrackingPrefix = "rct_"
)

// ReadLinkRequest decodes {"expires_in_hours": n}; an empty body asks for
// the default.
func ReadLinkRequest(body []byte) (int64, error) {
	hours := int64(DefaultLinkHours)
	if len(strings.TrimSpace(string(body))) == 0 {
		return hours, nil
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	if h, ok := o.Int("expires_in_hours"); ok {
		if h < 1 || h > MaxLinkHours {
			errs.Add("expires_in_hours", roadcover.CodeInvalidInput, "must be from 1 to 720")
		}
		hours = h
	}
	o.Done()
	return hours, errs.Err()
}

// Link is a new tracking link: the token is shown once and not kept.
type Link struct {
	Token     string
	ExpiresAt time.Time
}

// CreateLink makes a tracking link for an open case.
func (d *Desk) CreateLink(ctx context.Context, tx store.Tx, a Actor, caseID string, hours int64) (Link, error) {
	rec, err := tx.GetCase(ctx, caseID)
	if err != nil {
		return Link{}, err
	}
	if rec.Status != StatusOpen {
		return Link{}, errClosed()
	}
	token, hash := d.NewSecret(TrackingPrefix)
	now := d.now()
	l := store.TrackingLink{Hash: hash, CaseID: caseID, CreatedAt: now,
		ExpiresAt: now.Add(time.Duration(hours) * time.Hour).Truncate(time.Second)}
	if err := tx.InsertTrackingLink(ctx, l); err != nil {
		return Link{}, err
	}
	ev, err := event(caseID, now, a, EventTrackingLinkCreated, LinkData{ExpiresAt: l.ExpiresAt})
	if err != nil {
		return Link{}, err
	}
	return Link{Token: token, ExpiresAt: l.ExpiresAt}, appendEvents(ctx, tx, ev)
}

// errNoLink is the one answer for a link that is unknown, expired or of a
// closed case: nothing says which.
func errNoLink() error { return notFound("no such tracking link, or it has expired") }

// DriverView is what a driver sees of their case behind the tracking link:
// the stored decision in the driver's language, the jobs without partner
// ids, the choices; nothing of another case and no internal ids.
type DriverView struct {
	Status       string
	Language     roadcover.Language
	Covered      bool
	ETA          *time.Time
	Jobs         []DriverJob
	Entitlements []assistance.EntitlementDetail
	Choices      []store.Choice
	Offers       map[string][]assistance.EntitlementDetail // open choices by group
	Receipts     []DriverReceipt                           // the case's receipts, no internal ids
	ExpiresAt    time.Time
	caseID       string
}

// DriverJob is a job as the driver sees it.
type DriverJob struct {
	Kind, Status, Failure string
	ETA                   *time.Time
	UpdatedAt             time.Time
	Partner               string // the partner's name
}

// ViewByLink finds the case of a tracking link by the token's hash and
// shows it in lang: the stored decision, never a new one. An unknown or
// expired link, or one of a closed case, is not found.
func (d *Desk) ViewByLink(ctx context.Context, tx store.Tx, hash []byte, lang roadcover.Language) (DriverView, error) {
	link, err := tx.TrackingLinkByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return DriverView{}, errNoLink()
	}
	if err != nil {
		return DriverView{}, err
	}
	if !d.Clock().Before(link.ExpiresAt) {
		return DriverView{}, errNoLink()
	}
	c, err := d.Load(ctx, tx, link.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		return DriverView{}, errNoLink()
	}
	if err != nil {
		return DriverView{}, err
	}
	if c.Status != StatusOpen {
		return DriverView{}, errNoLink()
	}
	names := map[string]string{}
	for _, j := range c.Jobs {
		if _, ok := names[j.Partner]; !ok {
			if p, err := tx.GetPartner(ctx, j.Partner); err == nil {
				names[j.Partner] = p.Name
			}
		}
	}
	v := driverView(&c, lang, names)
	v.ExpiresAt = link.ExpiresAt
	if v.Receipts, err = d.driverReceipts(ctx, tx, c.ID, v.Language); err != nil {
		return DriverView{}, err
	}
	return v, nil
}

func driverView(c *Case, lang roadcover.Language, partnerNames map[string]string) DriverView {
	if lang == "" {
		lang = c.Decision.Language
	}
	dec := c.Decision.In(lang)
	v := DriverView{Status: c.Status, Language: dec.Language, Covered: dec.Covered, Jobs: []DriverJob{},
		Entitlements: dec.Details(), Choices: c.Choices, Offers: map[string][]assistance.EntitlementDetail{}, caseID: c.ID}
	for _, j := range c.Jobs {
		v.Jobs = append(v.Jobs, DriverJob{Kind: j.Kind, Status: j.Status, Failure: j.Failure, ETA: j.ETA,
			UpdatedAt: j.UpdatedAt, Partner: partnerNames[j.Partner]})
		if j.ETA != nil && JobOpen(j.Status) && (v.ETA == nil || j.ETA.Before(*v.ETA)) {
			v.ETA = j.ETA
		}
	}
	cc := *c
	cc.Decision = dec
	for _, g := range ChoiceGroups {
		if _, chosen := c.Choice(g); !chosen {
			if offers := cc.Offers(g); len(offers) > 0 {
				v.Offers[g] = offers
			}
		}
	}
	return v
}
