package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/jsonin"
	"roadcover/store"
)

// Job statuses and the moves between them.
const (
	JobBooked    = "BOOKED"
	JobEnRoute   = "EN_ROUTE"
	JobArrived   = "ARRIVED"
	JobCompleted = "COMPLETED"
	JobFailed    = "FAILED"
)

var (
	// JobKinds are what a partner may be sent to do.
	JobKinds = []string{"tow", "roadside", "transport"}
	// JobStatuses are a job's states.
	JobStatuses = []string{JobBooked, JobEnRoute, JobArrived, JobCompleted, JobFailed}
	// JobFailures say why a job failed.
	JobFailures  = []string{"gone_on_arrival", "destination_refused", "cancelled", "other"}
	jobNextMoves = map[string][]string{
		JobBooked:  {JobEnRoute, JobFailed},
		JobEnRoute: {JobArrived, JobFailed},
		JobArrived: {JobCompleted, JobFailed},
	}
)

// JobMoveAllowed reports whether a job may go from one status to another.
// Staying in a status that is not final is allowed (to update the ETA).
func JobMoveAllowed(from, to string) bool {
	if _, open := jobNextMoves[from]; open && from == to {
		return true
	}
	return slices.Contains(jobNextMoves[from], to)
}

// JobOpen reports whether a job is still under way.
func JobOpen(status string) bool { return status != JobCompleted && status != JobFailed }

// JobRequest is a dispatch: {"kind", "partner", "destination", "eta", "note"}.
type JobRequest struct {
	Kind, Partner, Note string
	Destination         json.RawMessage
	ETA                 *time.Time
}

// ReadJobRequest decodes a dispatch.
func ReadJobRequest(body []byte) (JobRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r JobRequest
	var okK, okP bool
	r.Kind, okK = o.Enum("kind", JobKinds...)
	r.Partner, okP = o.String("partner")
	if raw, ok := o.Raw("destination"); ok {
		switch {
		case !isObject(raw):
			errs.Add("destination", roadcover.CodeInvalidInput, "must be an object")
		case len(raw) > MaxDestination:
			errs.Add("destination", roadcover.CodeInvalidInput, fmt.Sprintf("may be at most %d bytes", MaxDestination))
		}
		r.Destination = compact(raw)
	}
	r.ETA = readETA(o, errs)
	r.Note = note(o, errs)
	o.Done()
	if !errs.Has("body") {
		if !okK && !errs.Has("kind") {
			errs.Add("kind", roadcover.CodeInvalidInput, "required: tow, roadside or transport")
		}
		if (!okP || r.Partner == "") && !errs.Has("partner") {
			errs.Add("partner", roadcover.CodeInvalidInput, "required: the partner's id")
		}
	}
	return r, errs.Err()
}

// JobMove is a status move, a committed ETA or a coded failure:
// {"status", "failure", "eta", "note"}.
type JobMove struct {
	Status, Failure, Note string
	ETA                   *time.Time
}

// ReadJobMove decodes a job move.
func ReadJobMove(body []byte) (JobMove, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var m JobMove
	var okS, okF bool
	m.Status, okS = o.Enum("status", JobStatuses...)
	m.Failure, okF = o.Enum("failure", JobFailures...)
	m.ETA = readETA(o, errs)
	m.Note = note(o, errs)
	o.Done()
	if errs.Has("body") {
		return m, errs.Err()
	}
	if !okS && m.ETA == nil && !errs.Has("status") && !errs.Has("eta") {
		errs.Add("status", roadcover.CodeInvalidInput, "required (or an eta alone): BOOKED, EN_ROUTE, ARRIVED, COMPLETED or FAILED")
	}
	if okF && (!okS || m.Status != JobFailed) {
		errs.Add("failure", roadcover.CodeInvalidInput, "only with the status FAILED")
	}
	if okS && m.Status == JobFailed && !okF && !errs.Has("failure") {
		errs.Add("failure", roadcover.CodeInvalidInput, "required with FAILED: gone_on_arrival, destination_refused, cancelled or other")
	}
	return m, errs.Err()
}

// MaxDestination bounds a job's destination document.
const MaxDestination = 4096

// note reads the optional "note" of a request, bounded.
func note(o *jsonin.Obj, errs *roadcover.InputError) string {
	n, _ := o.String("note")
	if len(n) > MaxNote {
		errs.Add("note", roadcover.CodeInvalidInput, fmt.Sprintf("may be at most %d bytes", MaxNote))
	}
	return n
}

func readETA(o *jsonin.Obj, errs *roadcover.InputError) *time.Time {
	s, ok := o.String("eta")
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		errs.Add("eta", roadcover.CodeInvalidInput, "must be an RFC 3339 time")
		return nil
	}
	t = t.UTC().Truncate(time.Microsecond)
	return &t
}

// Dispatch books a partner for a job on an open case and queues the
// partner's notice in the same transaction.
func (d *Desk) Dispatch(ctx context.Context, tx store.Tx, a Actor, caseID string, r JobRequest) (store.Job, error) {
	c, err := d.Load(ctx, tx, caseID)
	if err != nil {
		return store.Job{}, err
	}
	if c.Status != StatusOpen {
		return store.Job{}, errClosed()
	}
	pt, err := tx.GetPartner(ctx, r.Partner)
	if errors.Is(err, store.ErrNotFound) {
		return store.Job{}, invalid("partner", fmt.Sprintf("no partner %q", r.Partner))
	}
	if err != nil {
		return store.Job{}, err
	}
	now := d.now()
	j := store.Job{ID: d.NewID("job_"), CaseID: caseID, Kind: r.Kind, Partner: r.Partner, Status: JobBooked,
		ETA: r.ETA, Destination: r.Destination, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.InsertJob(ctx, j); err != nil {
		return store.Job{}, err
	}
	ev, err := event(caseID, now, a, EventJobCreated, JobData{JobID: j.ID, Kind: j.Kind, Partner: j.Partner,
		Status: j.Status, ETA: j.ETA, Note: r.Note})
	if err != nil {
		return store.Job{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return store.Job{}, err
	}
	return j, d.notify(ctx, tx, pt, &c, j, "job.created", now)
}

// VisibleJob loads a job the actor may see: a partner sees only its own;
// another partner's job answers exactly as a job that does not exist.
func VisibleJob(ctx context.Context, tx store.Tx, a Actor, id string) (store.Job, error) {
	j, err := tx.GetJob(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.Role == RolePartner && j.Partner != a.Partner {
		return store.Job{}, notFound("no such job")
	}
	return j, err
}

// MoveJob moves a job through its statuses (or updates its ETA), checked
// against the status machine, and queues the partner's notice. ifVersion
// 0 means the caller did not say which version it read.
func (d *Desk) MoveJob(ctx context.Context, tx store.Tx, a Actor, id string, ifVersion int64, m JobMove) (store.Job, error) {
	j, err := VisibleJob(ctx, tx, a, id)
	if err != nil {
		return store.Job{}, err
	}
	if ifVersion != 0 && ifVersion != j.Version {
		return store.Job{}, precondition(fmt.Sprintf("the job is at version %d", j.Version))
	}
	status := m.Status
	if status == "" {
		status = j.Status // an ETA update keeps the status
	}
	if !JobMoveAllowed(j.Status, status) {
		return store.Job{}, conflict(fmt.Sprintf("a job may not move from %s to %s", j.Status, status))
	}
	from := j.Status
	if status == j.Status && (m.ETA == nil || j.ETA != nil && m.ETA.Equal(*j.ETA)) && m.Note == "" {
		return j, nil // nothing changes: no new version, no event, no notice
	}
	j.Status, j.Failure = status, m.Failure
	if m.ETA != nil {
		j.ETA = m.ETA
	}
	j.Version++
	j.UpdatedAt = d.now()
	if err := tx.UpdateJob(ctx, j); err != nil {
		return store.Job{}, err
	}
	ev, err := event(j.CaseID, j.UpdatedAt, a, EventJobUpdated, JobData{JobID: j.ID, From: from, To: status,
		Failure: m.Failure, ETA: m.ETA, Note: m.Note})
	if err != nil {
		return store.Job{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return store.Job{}, err
	}
	c, err := d.Load(ctx, tx, j.CaseID)
	if err != nil {
		return store.Job{}, err
	}
	pt, err := tx.GetPartner(ctx, j.Partner)
	if err != nil {
		return store.Job{}, err
	}
	return j, d.notify(ctx, tx, pt, &c, j, "job.updated", j.UpdatedAt)
}

// PartnerView is what a partner is told of a job: what it needs to reach
// the car, nothing of the cover.
type PartnerView struct {
	Event string    `json:"event"`
	At    time.Time `json:"at"`
	Job   store.Job `json:"job"`
	Case  struct {
		ID       string          `json:"id"`
		Vehicle  partnerVehicle  `json:"vehicle"`
		Location json.RawMessage `json:"location,omitempty"`
	} `json:"case"`
}

type partnerVehicle struct {
	Registration string `json:"registration,omitempty"`
	Model        string `json:"model,omitempty"`
	Colour       string `json:"colour,omitempty"`
}

// PartnerViewOf is the partner's view of job j of case c.
func PartnerViewOf(c *Case, j store.Job, event string, at time.Time) PartnerView {
	v := PartnerView{Event: event, At: at, Job: j}
	v.Case.ID = c.ID
	f := &c.Facts
	v.Case.Vehicle = partnerVehicle{Registration: f.Vehicle.Registration, Model: f.Vehicle.Model, Colour: f.Vehicle.Colour}
	if f.Location != (assistance.Location{}) {
		v.Case.Location, _ = json.Marshal(f.Location)
	}
	return v
}

// JobWebhook is the kind of the background job that sends one webhook
// delivery to its partner; its arguments are a WebhookJob.
const JobWebhook = "webhook_delivery"

// WebhookAttempts is how often a delivery is tried before it is given up.
const WebhookAttempts = 12

// WebhookJob is the argument of a JobWebhook job: the delivery to send.
type WebhookJob struct {
	Delivery int64 `json:"delivery"`
}

// Kind is JobWebhook.
func (WebhookJob) Kind() string { return JobWebhook }

// notify records a webhook delivery for the partner when it has a URL (the
// delivery log) and enqueues the job that sends it, in the same
// transaction as the change it announces.
func (d *Desk) notify(ctx context.Context, tx store.Tx, pt store.Partner, c *Case, j store.Job, event string, now time.Time) error {
	if pt.WebhookURL == "" {
		return nil
	}
	body, err := json.Marshal(PartnerViewOf(c, j, event, now))
	if err != nil {
		return fmt.Errorf("desk: encode partner notice: %w", err)
	}
	id, err := tx.InsertDelivery(ctx, store.Delivery{Partner: pt.ID, JobID: j.ID, Event: event, Payload: body,
		Status: "pending", NextAt: now, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		return err
	}
	args, err := json.Marshal(WebhookJob{Delivery: id})
	if err != nil {
		return fmt.Errorf("desk: encode webhook job: %w", err)
	}
	_, err = tx.Enqueue(ctx, JobWebhook, args, store.JobOptions{MaxAttempts: WebhookAttempts})
	return err
}

// MaxJobPage is the largest page of a job list.
const MaxJobPage = 500

// JobPage is a page of the jobs f asks for, oldest first: a partner's own
// only, whatever partner f names; at most f.Limit (100 when 0), with next
// the id to ask the following page after ("" on the last). An After that is
// not a job the actor may see is not found, as VisibleJob answers.
func JobPage(ctx context.Context, tx store.Tx, a Actor, f store.JobFilter) (jobs []store.Job, next string, err error) {
	if a.Role == RolePartner {
		f.Partner = a.Partner
	}
	if f.After != "" {
		if _, err := VisibleJob(ctx, tx, a, f.After); err != nil {
			return nil, "", err
		}
	}
	want := f.Limit
	if want <= 0 || want > MaxJobPage {
		want = 100
	}
	f.Limit = want + 1
	jobs, err = tx.ListJobs(ctx, f)
	if err != nil {
		return nil, "", err
	}
	if len(jobs) > want {
		jobs, next = jobs[:want], jobs[want-1].ID
	}
	return jobs, next, nil
}
