package desk

import (
	"context"
	"strings"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// ReadReason decodes {"reason": "…"} (closing, reopening); kind names the
// act in the error ("closed", "reopened").
func ReadReason(body []byte, kind string) (string, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	reason, ok := o.String("reason")
	if (!ok && !errs.Has("reason") || ok && strings.TrimSpace(reason) == "") && !errs.Has("body") {
		errs.Add("reason", roadcover.CodeInvalidInput, "required: why the case is "+kind)
	}
	o.Done()
	return reason, errs.Err()
}

// Close closes an open case with a reason: its tracking links stop working.
func (d *Desk) Close(ctx context.Context, tx store.Tx, a Actor, id, reason string) (Case, error) {
	return d.setStatus(ctx, tx, a, id, StatusOpen, StatusClosed, EventClosed, reason)
}

// Reopen reopens a closed case with a reason.
func (d *Desk) Reopen(ctx context.Context, tx store.Tx, a Actor, id, reason string) (Case, error) {
	return d.setStatus(ctx, tx, a, id, StatusClosed, StatusOpen, EventReopened, reason)
}

func (d *Desk) setStatus(ctx context.Context, tx store.Tx, a Actor, id, from, to, kind, reason string) (Case, error) {
	rec, err := tx.GetCase(ctx, id)
	if err != nil {
		return Case{}, err
	}
	if rec.Status != from {
		return Case{}, conflict("the case is already " + rec.Status)
	}
	rec.Status = to
	rec.Version++
	rec.UpdatedAt = d.now()
	if err := tx.UpdateCase(ctx, rec); err != nil {
		return Case{}, err
	}
	ev, err := event(id, rec.UpdatedAt, a, kind, ReasonData{Reason: reason})
	if err != nil {
		return Case{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return Case{}, err
	}
	return d.Load(ctx, tx, id)
}
