package desk

import (
	"context"
	"encoding/json"
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
	// ReportedAt is when the desk took the case; Car where the facts put
	// the car (nil when they do not say); Place their words for it.
	ReportedAt time.Time
	Car        *roadcover.Point
	Place      string
	// Corrected is the driver's last correction of the car's position
	// (an event on the case; the facts stay as they are).
	Corrected *Correction
	caseID    string
}

// Correction is a position the driver put the car's pin at.
type Correction struct {
	Point  roadcover.Point
	At     time.Time
	caseID string
}

// Key is the id of the case the correction was made on, for watching the
// case; never shown to the driver.
func (c Correction) Key() string { return c.caseID }

// DriverJob is a job as the driver sees it.
type DriverJob struct {
	Kind, Status, Failure string
	ETA                   *time.Time
	UpdatedAt             time.Time
	Partner               string // the partner's name
	// Phone is the partner's number; Truck (a truck kind) and Plate the
	// truck it reported on this job.
	Phone, Truck, Plate string
	// BookedAt, EnRouteAt, ArrivedAt and DoneAt are when the job reached
	// each step (DoneAt: completed or failed); ETAUpdatedAt when the ETA
	// was last given.
	BookedAt                     time.Time
	EnRouteAt, ArrivedAt, DoneAt *time.Time
	ETAUpdatedAt                 *time.Time
	// Position is where the truck last reported itself, shown only while
	// it is on its way.
	Position *store.JobPosition
	id       string
}

// Keys are the ids whose changes change the view: the case's and its
// jobs'. They are for watching the view, never shown to the driver.
func (v *DriverView) Keys() []string {
	keys := []string{v.caseID}
	for _, j := range v.Jobs {
		keys = append(keys, j.id)
	}
	return keys
}

// ViewByLink finds the case of a tracking link by the token's hash and
// shows it in lang: the stored decision, never a new one. An unknown or
// expired link, or one of a closed case, is not found.
func (d *Desk) ViewByLink(ctx context.Context, tx store.Tx, hash []byte, lang roadcover.Language) (DriverView, error) {
	link, c, err := d.openLink(ctx, tx, hash)
	if err != nil {
		return DriverView{}, err
	}
	partners := map[string]store.Partner{}
	for _, j := range c.Jobs {
		if _, ok := partners[j.Partner]; !ok {
			if p, err := tx.GetPartner(ctx, j.Partner); err == nil {
				partners[j.Partner] = p
			}
		}
	}
	events, err := tx.Events(ctx, c.ID)
	if err != nil {
		return DriverView{}, err
	}
	positions, err := tx.CasePositions(ctx, c.ID)
	if err != nil {
		return DriverView{}, err
	}
	v := driverView(&c, lang, partners)
	v.ExpiresAt = link.ExpiresAt
	v.addTimeline(events, positions)
	if v.Receipts, err = d.driverReceipts(ctx, tx, c.ID, v.Language); err != nil {
		return DriverView{}, err
	}
	return v, nil
}

// openLink is the link of hash and its case, when the link has not expired
// and the case is open; else errNoLink.
func (d *Desk) openLink(ctx context.Context, tx store.Tx, hash []byte) (store.TrackingLink, Case, error) {
	link, err := tx.TrackingLinkByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return link, Case{}, errNoLink()
	}
	if err != nil {
		return link, Case{}, err
	}
	if !d.Clock().Before(link.ExpiresAt) {
		return link, Case{}, errNoLink()
	}
	c, err := d.Load(ctx, tx, link.CaseID)
	if errors.Is(err, store.ErrNotFound) {
		return link, Case{}, errNoLink()
	}
	if err != nil {
		return link, Case{}, err
	}
	if c.Status != StatusOpen {
		return link, Case{}, errNoLink()
	}
	return link, c, nil
}

func driverView(c *Case, lang roadcover.Language, partners map[string]store.Partner) DriverView {
	if lang == "" {
		lang = c.Decision.Language
	}
	dec := c.Decision.In(lang)
	v := DriverView{Status: c.Status, Language: dec.Language, Covered: dec.Covered, Jobs: []DriverJob{},
		Entitlements: unnamedSites(dec.Details()), Choices: c.Choices, Offers: map[string][]assistance.EntitlementDetail{}, caseID: c.ID,
		ReportedAt: c.CreatedAt, Place: c.Facts.Location.Description}
	if p, ok := c.Facts.Location.Point(); ok {
		v.Car = &p
	} else if c.Intake != nil && c.Intake.Position != nil {
		p := c.Intake.Position.Point
		v.Car = &p
	}
	for _, j := range c.Jobs {
		pt := partners[j.Partner]
		v.Jobs = append(v.Jobs, DriverJob{Kind: j.Kind, Status: j.Status, Failure: j.Failure, ETA: j.ETA,
			UpdatedAt: j.UpdatedAt, Partner: pt.Name, Phone: pt.Phone, BookedAt: j.CreatedAt, id: j.ID})
		if j.ETA != nil && JobOpen(j.Status) && (v.ETA == nil || j.ETA.Before(*v.ETA)) {
			v.ETA = j.ETA
		}
	}
	cc := *c
	cc.Decision = dec
	for _, g := range ChoiceGroups {
		if _, chosen := c.Choice(g); !chosen {
			if offers := cc.Offers(g); len(offers) > 0 {
				v.Offers[g] = unnamedSites(offers)
			}
		}
	}
	return v
}

// addTimeline fills in when each job reached its steps and last got an
// ETA, the trucks' last positions, and the driver's last correction of
// the car's position, from the case's timeline and the stored positions.
func (v *DriverView) addTimeline(events []store.Event, positions []store.JobPosition) {
	byID := map[string]*DriverJob{}
	for i := range v.Jobs {
		byID[v.Jobs[i].id] = &v.Jobs[i]
	}
	for _, e := range events {
		switch e.Kind {
		case EventJobCreated, EventJobUpdated:
			var jd JobData
			if json.Unmarshal(e.Data, &jd) != nil {
				continue
			}
			j := byID[jd.JobID]
			if j == nil {
				continue
			}
			at := e.At
			if jd.ETA != nil {
				j.ETAUpdatedAt = &at
			}
			if e.Kind == EventJobUpdated && jd.From != jd.To {
				switch jd.To {
				case JobEnRoute:
					j.EnRouteAt = &at
				case JobArrived:
					j.ArrivedAt = &at
				case JobCompleted, JobFailed:
					j.DoneAt = &at
				}
			}
		case EventDriverPosition:
			var pd PositionCorrectionData
			if json.Unmarshal(e.Data, &pd) == nil {
				v.Corrected = &Correction{Point: roadcover.Point{Lat: pd.Lat, Lon: pd.Lon}, At: e.At}
			}
		}
	}
	for _, p := range positions {
		j := byID[p.JobID]
		if j == nil {
			continue
		}
		j.Truck, j.Plate = p.Truck, p.Plate
		if j.Status == JobEnRoute {
			pos := p
			pos.JobID = ""
			j.Position = &pos
		}
	}
}

// unnamedSites gives the entitlements with their sites (the workshop of a
// tow, the regular workshop) by name and distance only: the network's ids
// are the desk's, not the driver's. The stored decision is not touched.
func unnamedSites(es []assistance.EntitlementDetail) []assistance.EntitlementDetail {
	for i := range es {
		for _, s := range []**assistance.SiteRef{&es[i].Site, &es[i].Regular} {
			if *s != nil && (*s).ID != "" {
				c := **s
				c.ID = ""
				*s = &c
			}
		}
	}
	return es
}
