package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"roadcover/desk"
	"roadcover/store"
)

// The operator's desk: the queue of open cases, who has a case, notes,
// and the tow partners near a case.

// queue is GET /v1/queue: the open cases, the longest waiting first, with
// their jobs and the overdue mark.
func (s *Server) queue(w http.ResponseWriter, r *http.Request, p principal) {
	var out struct {
		ResponseMinutes int               `json:"response_minutes"`
		Cases           []desk.QueueEntry `json:"cases"`
	}
	rt := s.responseTime()
	out.ResponseMinutes = int(rt / time.Minute)
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		out.Cases, err = s.desk.Queue(r.Context(), tx, rt, desk.MaxListLimit)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// responseTime is the configured response time, or the default.
func (s *Server) responseTime() time.Duration {
	if s.cfg.ResponseTime > 0 {
		return s.cfg.ResponseTime
	}
	return desk.DefaultResponseTime
}

// setOwner is POST /v1/cases/{id}/owner: {"owner": "acc_…" or ""}; If-Match
// is honoured when sent.
func (s *Server) setOwner(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	owner, err := desk.ReadOwner(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var version int64
	if im := r.Header.Get("If-Match"); im != "" && im != "*" {
		v, ok := etagVersion(im)
		if !ok {
			s.fail(w, r, invalid("If-Match", "must be one ETag of the case"))
			return
		}
		version = v
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := s.desk.SetOwner(ctx, tx, p.actor(), id, owner, version)
		if err != nil {
			return reply{}, err
		}
		return caseReply(http.StatusOK, &c, ""), nil
	})
}

// addNote is POST /v1/cases/{id}/notes: {"text"} → the note_added event.
func (s *Server) addNote(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text, err := desk.ReadNote(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		ev, err := s.desk.AddNote(ctx, tx, p.actor(), id, text)
		if err != nil {
			return reply{}, err
		}
		rp, err := jsonReply(http.StatusCreated, ev)
		rp.header = map[string]string{"Location": casePath(id) + "/events"}
		return rp, err
	})
}

// casePartners is GET /v1/cases/{id}/partners?kind=tow&limit=8: the tow
// partners whose trucks reach the case's car, nearest first.
func (s *Server) casePartners(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	kind := q.Get("kind")
	if kind == "" {
		kind = "tow"
	}
	limit := 8
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			s.fail(w, r, invalid("limit", "must be a whole number from 1 to 50"))
			return
		}
		limit = n
	}
	net, _ := s.cfg.Env.Sites.(desk.TowNetwork)
	var out []desk.PartnerOffer
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		out, err = s.desk.NearestPartners(r.Context(), tx, net, r.PathValue("id"), kind, limit)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": r.PathValue("id"), "kind": kind, "partners": out})
}
