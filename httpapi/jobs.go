package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"roadcover"
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
	jobKinds     = []string{"tow", "roadside", "transport"}
	jobStatuses  = []string{JobBooked, JobEnRoute, JobArrived, JobCompleted, JobFailed}
	jobFailures  = []string{"gone_on_arrival", "destination_refused", "cancelled", "other"}
	jobNextMoves = map[string][]string{
		JobBooked:  {JobEnRoute, JobFailed},
		JobEnRoute: {JobArrived, JobFailed},
		JobArrived: {JobCompleted, JobFailed},
	}
)

// jobMoveAllowed reports whether a job may go from one status to another.
// Staying in a non-final status is allowed (to update the ETA).
func jobMoveAllowed(from, to string) bool {
	if _, open := jobNextMoves[from]; open && from == to {
		return true
	}
	return containsStr(jobNextMoves[from], to)
}

func jobPath(id string) string { return "/v1/jobs/" + id }

func jobReply(status int, j store.Job, created bool) (reply, error) {
	rp, err := jsonReply(status, j)
	if err != nil {
		return rp, err
	}
	rp.header = map[string]string{"ETag": etag(j.Version)}
	if created {
		rp.header["Location"] = jobPath(j.ID)
	}
	return rp, nil
}

// createJob is POST /v1/cases/{id}/jobs.
func (s *Server) createJob(w http.ResponseWriter, r *http.Request, p principal) {
	caseID := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	kind, okK := o.Enum("kind", jobKinds...)
	partner, okP := o.String("partner")
	if !okK && !errs.Has("kind") {
		errs.Add("kind", roadcover.CodeInvalidInput, "required: tow, roadside or transport")
	}
	if (!okP || partner == "") && !errs.Has("partner") {
		errs.Add("partner", roadcover.CodeInvalidInput, "required: the partner's id")
	}
	var dest json.RawMessage
	if d := o.Object("destination"); !d.Null {
		var m map[string]json.RawMessage
		json.Unmarshal(body, &m)
		dest = m["destination"]
	}
	eta := readETA(o, errs)
	note, _ := o.String("note")
	o.Done()
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := tx.GetCase(ctx, caseID)
		if err != nil {
			return reply{}, err
		}
		if c.Status != StatusOpen {
			return reply{}, conflict("the case is closed; reopen it first")
		}
		pt, err := tx.GetPartner(ctx, partner)
		if errors.Is(err, store.ErrNotFound) {
			return reply{}, invalid("partner", fmt.Sprintf("no partner %q", partner))
		}
		if err != nil {
			return reply{}, err
		}
		now := s.now().UTC()
		j := store.Job{ID: newID("job_"), CaseID: caseID, Kind: kind, Partner: partner, Status: JobBooked,
			ETA: eta, Destination: dest, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertJob(ctx, j); err != nil {
			return reply{}, err
		}
		data := map[string]any{"job_id": j.ID, "kind": kind, "partner": partner, "status": j.Status}
		if eta != nil {
			data["eta"] = eta
		}
		if note != "" {
			data["note"] = note
		}
		if err := s.event(ctx, tx, caseID, p, "job_created", data); err != nil {
			return reply{}, err
		}
		if err := s.enqueueWebhook(ctx, tx, pt, c, j, "job.created"); err != nil {
			return reply{}, err
		}
		return jobReply(http.StatusCreated, j, true)
	})
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
	t = t.UTC()
	return &t
}

// visibleJob loads a job the caller may see: a partner sees only its own
// (404 for others, which are not revealed).
func visibleJob(ctx context.Context, tx store.Tx, p principal, id string) (store.Job, error) {
	j, err := tx.GetJob(ctx, id)
	if err != nil {
		return j, err
	}
	if p.tok.Role == RolePartner && j.Partner != p.tok.Partner {
		return store.Job{}, notFound("no such job")
	}
	return j, nil
}

// listJobs is GET /v1/jobs[?case=&status=].
func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	partner := q.Get("partner")
	if p.tok.Role == RolePartner {
		partner = p.tok.Partner
	}
	status := q.Get("status")
	if status != "" && !containsStr(jobStatuses, status) {
		s.fail(w, r, invalid("status", "must be one of BOOKED, EN_ROUTE, ARRIVED, COMPLETED, FAILED"))
		return
	}
	var jobs []store.Job
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		jobs, err = tx.ListJobs(r.Context(), partner, q.Get("case"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []store.Job{}
	for _, j := range jobs {
		if p.tok.Role == RolePartner && j.Partner != p.tok.Partner {
			continue
		}
		if status == "" || j.Status == status {
			out = append(out, j)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

// getJob is GET /v1/jobs/{id}.
func (s *Server) getJob(w http.ResponseWriter, r *http.Request, p principal) {
	var j store.Job
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		j, err = visibleJob(r.Context(), tx, p, r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp, err := jobReply(http.StatusOK, j, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp.write(w)
}

// patchJob is PATCH /v1/jobs/{id}: a status move, a committed ETA, a coded
// failure.
func (s *Server) patchJob(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	status, okS := o.Enum("status", jobStatuses...)
	failure, okF := o.Enum("failure", jobFailures...)
	eta := readETA(o, errs)
	note, _ := o.String("note")
	o.Done()
	if !okS && eta == nil && !errs.Has("status") && !errs.Has("eta") {
		errs.Add("status", roadcover.CodeInvalidInput, "required (or an eta alone): BOOKED, EN_ROUTE, ARRIVED, COMPLETED or FAILED")
	}
	if !okS && okF {
		errs.Add("failure", roadcover.CodeInvalidInput, "only with the status FAILED")
	}
	if okS && status == JobFailed && !okF && !errs.Has("failure") {
		errs.Add("failure", roadcover.CodeInvalidInput, "required with FAILED: gone_on_arrival, destination_refused, cancelled or other")
	}
	if okS && status != JobFailed && okF {
		errs.Add("failure", roadcover.CodeInvalidInput, "only with the status FAILED")
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	ifMatch := r.Header.Get("If-Match")
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		j, err := visibleJob(ctx, tx, p, id)
		if err != nil {
			return reply{}, err
		}
		if ifMatch != "" && !matchETag(ifMatch, j.Version) {
			return reply{}, roadcover.Errorf(roadcover.CodePrecondition, fmt.Sprintf("the job is at version %d", j.Version))
		}
		status := status
		if status == "" {
			status = j.Status // an ETA update keeps the status
		}
		if !jobMoveAllowed(j.Status, status) {
			return reply{}, conflict(fmt.Sprintf("a job may not move from %s to %s", j.Status, status))
		}
		from := j.Status
		j.Status, j.Failure = status, failure
		if eta != nil {
			j.ETA = eta
		}
		j.Version++
		j.UpdatedAt = s.now().UTC()
		if err := tx.UpdateJob(ctx, j); err != nil {
			return reply{}, err
		}
		data := map[string]any{"job_id": j.ID, "from": from, "to": status}
		if failure != "" {
			data["failure"] = failure
		}
		if eta != nil {
			data["eta"] = eta
		}
		if note != "" {
			data["note"] = note
		}
		if err := s.event(ctx, tx, j.CaseID, p, "job_updated", data); err != nil {
			return reply{}, err
		}
		c, err := tx.GetCase(ctx, j.CaseID)
		if err != nil {
			return reply{}, err
		}
		pt, err := tx.GetPartner(ctx, j.Partner)
		if err != nil {
			return reply{}, err
		}
		if err := s.enqueueWebhook(ctx, tx, pt, c, j, "job.updated"); err != nil {
			return reply{}, err
		}
		return jobReply(http.StatusOK, j, false)
	})
}

// jobDeliveries is GET /v1/jobs/{id}/deliveries: the webhook delivery log.
func (s *Server) jobDeliveries(w http.ResponseWriter, r *http.Request, p principal) {
	var ds []store.Delivery
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		if _, err := tx.GetJob(r.Context(), r.PathValue("id")); err != nil {
			return err
		}
		var err error
		ds, err = tx.ListDeliveries(r.Context(), r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ds == nil {
		ds = []store.Delivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
}
