package desk

import (
	"context"
	"slices"
	"time"

	"roadcover/store"
)

// The queue is the open cases as the desk works them: the longest waiting
// first, each with its jobs' state and ETA and who has it, and marked when
// help has not arrived within the response time.

// DefaultResponseTime is the time from the call within which help should
// be at the car.
const DefaultResponseTime = 45 * time.Minute

// QueueEntry is one open case in the queue.
type QueueEntry struct {
	Summary
	// Job is the job that matters now: the newest one under way, else the
	// newest one; nil when nothing was dispatched.
	Job  *store.Job  `json:"job"`
	Jobs []store.Job `json:"jobs"`
	// WaitingSeconds is the time since the call (the case's creation).
	WaitingSeconds int64 `json:"waiting_seconds"`
	// Overdue is set when help has not arrived (no job arrived or
	// completed) and the call is older than the response time.
	Overdue bool `json:"overdue"`
}

// Queue lists up to limit open cases, the longest waiting first.
func (d *Desk) Queue(ctx context.Context, tx store.Tx, responseTime time.Duration, limit int) ([]QueueEntry, error) {
	if responseTime <= 0 {
		responseTime = DefaultResponseTime
	}
	if limit <= 0 || limit > MaxListLimit {
		limit = MaxListLimit
	}
	recs, err := tx.ListCases(ctx, store.CaseFilter{Status: StatusOpen, Limit: limit})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	jobs, err := tx.JobsOfCases(ctx, ids)
	if err != nil {
		return nil, err
	}
	byCase := map[string][]store.Job{}
	for _, j := range jobs {
		byCase[j.CaseID] = append(byCase[j.CaseID], j)
	}
	now := d.Clock()
	out := make([]QueueEntry, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- { // the list is newest first
		r := recs[i]
		e := QueueEntry{Summary: SummaryOf(r), Jobs: orEmpty(byCase[r.ID])}
		e.WaitingSeconds = int64(now.Sub(r.CreatedAt) / time.Second)
		arrived := false
		for k := len(e.Jobs) - 1; k >= 0; k-- {
			j := e.Jobs[k]
			if j.Status == JobArrived || j.Status == JobCompleted {
				arrived = true
			}
			if e.Job == nil && JobOpen(j.Status) {
				e.Job = &e.Jobs[k]
			}
		}
		if e.Job == nil && len(e.Jobs) > 0 {
			e.Job = &e.Jobs[len(e.Jobs)-1]
		}
		e.Overdue = !arrived && now.Sub(r.CreatedAt) > responseTime
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b QueueEntry) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}
