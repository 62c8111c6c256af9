package desk

import (
	"bytes"
	"context"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/store"
)

// NewCase is a new case read, checked and decided, ready to be written: all
// the work that needs no store is done before the transaction.
type NewCase struct {
	Case   Case
	Filled []string // the case fields filled from the intake block
	events []store.Event
}

// ReadNewCase reads a new case's body (an assistance case body with an
// optional intake block), fills the case from the intake, checks it and
// decides it, in lang ("" for the case's own language). Every bad field of
// the body and the intake is named in one *roadcover.InputError.
func (d *Desk) ReadNewCase(body []byte, lang string, a Actor) (NewCase, error) {
	l, err := parseLang(lang)
	if err != nil {
		return NewCase{}, err
	}
	errs := &roadcover.InputError{}
	facts, raw := assistance.DecodeFacts(body, "intake", errs)
	if errs.Has("body") {
		return NewCase{}, errs.Err()
	}
	var in *Intake
	if raw != nil && !isNull(raw) {
		x := readIntake(raw, errs)
		in = &x
	}
	var filled []string
	if in != nil && errs.Err() == nil {
		filled = in.fill(&facts)
	}
	facts.Vehicle.VIN = strings.ToUpper(strings.TrimSpace(facts.Vehicle.VIN))
	assistance.Check(&facts, d.Env, errs)
	d.notInFuture(&facts, errs)
	if err := errs.Err(); err != nil {
		return NewCase{}, err
	}
	dec, err := assistance.Decide(facts, d.Env, l)
	if err != nil {
		return NewCase{}, err
	}
	now := d.now()
	c := Case{ID: d.NewID(""), Status: StatusOpen, Version: 1, Intake: in, CreatedAt: now, UpdatedAt: now}
	if err := c.setFacts(facts); err != nil {
		return NewCase{}, err
	}
	c.setDecision(dec)
	nc := NewCase{Case: c, Filled: filled}
	created, err := event(c.ID, now, a, EventCreated, CreatedData{FactsNo: c.FactsNo, Intake: c.intakeDoc(), FilledFromIntake: filled})
	if err != nil {
		return NewCase{}, err
	}
	decided, err := event(c.ID, now, a, EventDecided, decidedData(&c))
	if err != nil {
		return NewCase{}, err
	}
	nc.events = []store.Event{created, decided}
	return nc, nil
}

// Create writes a new case and its first timeline events through tx.
func (d *Desk) Create(ctx context.Context, tx store.Tx, nc NewCase) error {
	rec := nc.Case.record()
	if ins, ok := tx.(store.CaseInserter); ok {
		return ins.InsertCaseWithEvents(ctx, rec, nc.events)
	}
	if err := tx.InsertCase(ctx, rec); err != nil {
		return err
	}
	return appendEvents(ctx, tx, nc.events...)
}

// CreateAlone writes a new case in a durable transaction of its own, as
// the store likes best (on PostgreSQL one statement, one round trip).
func (d *Desk) CreateAlone(ctx context.Context, st store.Store, nc NewCase) error {
	if cc, ok := st.(store.CaseCreator); ok {
		return cc.CreateCase(ctx, nc.Case.record(), nc.events)
	}
	return st.Update(ctx, func(tx store.Tx) error { return d.Create(ctx, tx, nc) })
}

// notInFuture refuses an occurred_at or reported_at later than the clock
// allows: a case is reported after it happened, never before.
func (d *Desk) notInFuture(c *assistance.Case, errs *roadcover.InputError) {
	slack := d.FutureSlack
	if slack == 0 {
		slack = DefaultFutureSlack
	}
	limit := d.Clock().Add(slack)
	if !c.Occurred.IsZero() && c.Occurred.After(limit) && !errs.Has("occurred_at") {
		errs.Add("occurred_at", roadcover.CodeInvalidInput, "lies in the future ("+c.Occurred.Format(time.RFC3339)+"); a case is reported after it happened")
	}
	if !c.Reported.IsZero() && c.Reported.After(limit) && !errs.Has("reported_at") {
		errs.Add("reported_at", roadcover.CodeInvalidInput, "lies in the future ("+c.Reported.Format(time.RFC3339)+")")
	}
}

func parseLang(lang string) (roadcover.Language, error) {
	if lang == "" {
		return "", nil
	}
	l, ok := roadcover.ParseLanguage(lang)
	if !ok {
		return "", invalid("lang", "unsupported language "+lang+"; expected one of en, de, pt, da, sv")
	}
	return l, nil
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// ReadPastCase is ReadNewCase for a case that happened before: it is made
// at the time it was reported (reported_at), not now, so that loading past
// cases (a migration, a benchmark) keeps their order and age.
func (d *Desk) ReadPastCase(body []byte, a Actor) (NewCase, error) {
	nc, err := d.ReadNewCase(body, "", a)
	if err != nil {
		return nc, err
	}
	at := nc.Case.Facts.Reported.UTC().Truncate(time.Microsecond)
	nc.Case.CreatedAt, nc.Case.UpdatedAt = at, at
	for i := range nc.events {
		nc.events[i].At = at
	}
	return nc, nil
}

// CreateMany writes new cases in one transaction of tx's store, through
// the same store code as one case.
func (d *Desk) CreateMany(ctx context.Context, tx store.Tx, ncs []NewCase) error {
	for _, nc := range ncs {
		if err := d.Create(ctx, tx, nc); err != nil {
			return err
		}
	}
	return nil
}
