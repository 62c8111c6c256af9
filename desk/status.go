package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

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
	if len(reason) > MaxNote {
		errs.Add("reason", roadcover.CodeInvalidInput, fmt.Sprintf("may be at most %d bytes", MaxNote))
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
	if to == StatusClosed {
		if err := d.cancelJobs(ctx, tx, a, id, rec.UpdatedAt); err != nil {
			return Case{}, err
		}
	}
	return d.Load(ctx, tx, id)
}

// cancelJobs fails the open jobs of a case being closed (cancelled), each
// an event, and tells their partners: a closed case sends nobody out.
func (d *Desk) cancelJobs(ctx context.Context, tx store.Tx, a Actor, caseID string, now time.Time) error {
	jobs, err := tx.ListJobs(ctx, store.JobFilter{CaseID: caseID})
	if err != nil {
		return err
	}
	var c *Case
	for _, j := range jobs {
		if !JobOpen(j.Status) {
			continue
		}
		from := j.Status
		j.Status, j.Failure = JobFailed, "cancelled"
		j.Version++
		j.UpdatedAt = now
		if err := tx.UpdateJob(ctx, j); err != nil {
			return err
		}
		ev, err := event(caseID, now, a, EventJobUpdated, JobData{JobID: j.ID, From: from, To: JobFailed, Failure: "cancelled",
			Note: "the case was closed"})
		if err != nil {
			return err
		}
		if err := appendEvents(ctx, tx, ev); err != nil {
			return err
		}
		if c == nil {
			loaded, err := d.Load(ctx, tx, caseID)
			if err != nil {
				return err
			}
			c = &loaded
		}
		pt, err := tx.GetPartner(ctx, j.Partner)
		if err != nil {
			return err
		}
		if err := d.notify(ctx, tx, pt, c, j, "job.updated", now); err != nil {
			return err
		}
	}
	return nil
}
