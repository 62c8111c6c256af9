package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"roadcover"
	"slices"
	"strconv"

	"roadcover/desk"
	"roadcover/store"
)

func jobPath(id string) string { return "/v1/jobs/" + id }

func jobReply(status int, j store.Job) (reply, error) {
	rp, err := jsonReply(status, j)
	if err != nil {
		return rp, err
	}
	rp.header = map[string]string{"ETag": etag(j.Version)}
	if status == http.StatusCreated {
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
	req, err := desk.ReadJobRequest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		j, err := s.desk.Dispatch(ctx, tx, p.actor(), caseID, req)
		if err != nil {
			return reply{}, err
		}
		return jobReply(http.StatusCreated, j)
	})
}

// listJobs is GET /v1/jobs[?case=&status=&partner=&after=&limit=]: a page
// of a partner's own jobs, of all for an operator, oldest first.
func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	errs := &roadcover.InputError{}
	f := store.JobFilter{Partner: q.Get("partner"), CaseID: q.Get("case"), Status: q.Get("status"), After: q.Get("after")}
	if f.Status != "" && !slices.Contains(desk.JobStatuses, f.Status) {
		errs.Add("status", roadcover.CodeInvalidInput, "must be one of BOOKED, EN_ROUTE, ARRIVED, COMPLETED, FAILED")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > desk.MaxJobPage {
			errs.Add("limit", roadcover.CodeInvalidInput, fmt.Sprintf("must be a whole number from 1 to %d", desk.MaxJobPage))
		}
		f.Limit = n
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	var out struct {
		Jobs []store.Job `json:"jobs"`
		Next string      `json:"next,omitempty"`
	}
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		out.Jobs, out.Next, err = desk.JobPage(r.Context(), tx, p.actor(), f)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if out.Jobs == nil {
		out.Jobs = []store.Job{}
	}
	writeJSON(w, http.StatusOK, out)
}

// getJob is GET /v1/jobs/{id}.
func (s *Server) getJob(w http.ResponseWriter, r *http.Request, p principal) {
	var j store.Job
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		j, err = desk.VisibleJob(r.Context(), tx, p.actor(), r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp, err := jobReply(http.StatusOK, j)
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
	m, err := desk.ReadJobMove(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ifMatch := r.Header.Get("If-Match")
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		var version int64
		if ifMatch != "" {
			v, ok := etagVersion(ifMatch)
			if !ok {
				j, err := desk.VisibleJob(ctx, tx, p.actor(), id)
				if err != nil {
					return reply{}, err
				}
				if !matchETag(ifMatch, j.Version) {
					v = -1
				} else {
					v = j.Version
				}
			}
			version = v
		}
		j, err := s.desk.MoveJob(ctx, tx, p.actor(), id, version, m)
		if err != nil {
			return reply{}, err
		}
		return jobReply(http.StatusOK, j)
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
