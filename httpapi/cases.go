package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/desk"
	"roadcover/store"
)

// The case endpoints read the request, call the desk and write its answer.

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

func casePath(id string) string { return "/v1/cases/" + id }

// caseReply is the case document in lang ("" for its stored language).
func caseReply(status int, c *desk.Case, lang roadcover.Language) reply {
	rp := reply{status: status, body: c.AppendCase(make([]byte, 0, 12<<10), lang),
		header: map[string]string{"ETag": caseETag(c.Version, lang)}}
	shown := lang
	if shown == "" {
		shown = c.Decision.Language
	}
	rp.header["Content-Language"] = string(shown)
	if status == http.StatusCreated {
		rp.header["Location"] = casePath(c.ID)
	}
	return rp
}

// createCase is POST /v1/cases.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nc, err := s.desk.ReadNewCase(body, requestLangQuery(r), p.actor())
	s.countCase(nc, err)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp := caseReply(http.StatusCreated, &nc.Case, "")
	if r.Header.Get("Idempotency-Key") == "" {
		// Nothing else goes into this transaction: the store may commit it
		// as it likes (PostgreSQL: one statement, one round trip).
		if err := s.desk.CreateAlone(r.Context(), s.st, nc); err != nil {
			s.fail(w, r, err)
			return
		}
		rp.write(w)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		return rp, s.desk.Create(ctx, tx, nc)
	})
}

// countCase counts a case's decision in the metrics.
func (s *Server) countCase(nc desk.NewCase, err error) {
	if err != nil {
		s.countDecision(false, err, pathCase)
		return
	}
	s.countDecision(nc.Case.Decision.Covered, nil, pathCase)
}

// requestLangQuery is ?lang= only: a stored case's decision is shown in its
// own language unless the caller asks for another.
func requestLangQuery(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return r.URL.Query().Get("lang")
}

// langParam reads ?lang= as a language; "" when absent.
func langParam(r *http.Request) (roadcover.Language, error) {
	q := requestLangQuery(r)
	if q == "" {
		return "", nil
	}
	l, ok := roadcover.ParseLanguage(q)
	if !ok {
		return "", invalid("lang", "unsupported language "+q+"; expected one of en, de, pt, da, sv")
	}
	return l, nil
}

// getCase is GET /v1/cases/{id}[?lang=].
func (s *Server) getCase(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var c desk.Case
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		c, err = s.desk.Load(r.Context(), tx, r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && matchTag(inm, caseETag(c.Version, lang), true) {
		w.Header().Set("ETag", caseETag(c.Version, lang))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	caseReply(http.StatusOK, &c, lang).write(w)
}

// caseETag is the entity tag of a case shown in lang: the version alone for
// its stored language (what If-Match names), the version and the language
// for another, so that a cache never serves one language for another.
func caseETag(version int64, lang roadcover.Language) string {
	if lang == "" {
		return etag(version)
	}
	return `"` + strconv.FormatInt(version, 10) + "-" + string(lang) + `"`
}

// matchETag reports whether an If-Match list names version, by the strong
// comparison If-Match asks for (a weak tag never matches).
func matchETag(list string, version int64) bool { return matchTag(list, etag(version), false) }

// matchTag reports whether an If-Match or If-None-Match list names tag;
// weak allows weak tags (If-None-Match's weak comparison).
func matchTag(list, tag string, weak bool) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if strings.HasPrefix(t, "W/") {
			if !weak {
				continue
			}
			t = t[2:]
		}
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}

// etagVersion reads the version an If-Match names; ok is false for "*" or
// a list (the caller then compares with matchETag).
// A case shown in another language has the tag "N-lang": the same version
// N, which is what a change made after reading it names.
func etagVersion(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		return 0, false
	}
	num, _, _ := strings.Cut(v[1:len(v)-1], "-")
	n, err := strconv.ParseInt(num, 10, 64)
	return n, err == nil
}

// listCases is GET /v1/cases?status=&vin=&after=&limit=.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	errs := &roadcover.InputError{}
	f := store.CaseFilter{Status: q.Get("status"), VIN: strings.ToUpper(q.Get("vin")), After: q.Get("after"), Limit: 50}
	if f.Status != "" && f.Status != desk.StatusOpen && f.Status != desk.StatusClosed {
		errs.Add("status", roadcover.CodeInvalidInput, "must be open or closed")
	}
	if f.VIN != "" && !desk.ValidVIN(f.VIN) {
		errs.Add("vin", roadcover.CodeInvalidInput, "must be 17 letters and digits without I, O or Q")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > desk.MaxListLimit {
			errs.Add("limit", roadcover.CodeInvalidInput, "must be a whole number from 1 to 200")
		}
		f.Limit = n
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	var out struct {
		Cases []desk.Summary `json:"cases"`
		Next  string         `json:"next,omitempty"`
	}
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		out.Cases, out.Next, err = desk.List(r.Context(), tx, f)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// patchCase is PATCH /v1/cases/{id}: a JSON merge patch of the facts,
// guarded by If-Match; the desk decides again when the facts change.
func (s *Server) patchCase(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ifMatch := r.Header.Get("If-Match")
	if ifMatch == "" {
		err := s.st.View(r.Context(), func(tx store.Tx) error { _, err := tx.GetCase(r.Context(), id); return err })
		if err == nil {
			err = roadcover.Errorf(roadcover.CodePreconditionReq, "send If-Match with the case's ETag")
		}
		s.fail(w, r, err)
		return
	}
	lang := requestLangQuery(r)
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		version, ok := etagVersion(ifMatch)
		if !ok {
			cur, err := tx.GetCase(ctx, id)
			if err != nil {
				return reply{}, err
			}
			if !matchETag(ifMatch, cur.Version) {
				return reply{}, roadcover.Errorf(roadcover.CodePrecondition, "the case is at version "+
					strconv.FormatInt(cur.Version, 10)+"; fetch it again and reapply the change")
			}
			version = cur.Version
		}
		c, err := s.desk.Patch(ctx, tx, p.actor(), id, version, body, lang)
		if err != nil {
			return reply{}, err
		}
		return caseReply(http.StatusOK, &c, ""), nil
	})
}

// caseEvents is GET /v1/cases/{id}/events.
func (s *Server) caseEvents(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	var evs []store.Event
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		evs, err = desk.Timeline(r.Context(), tx, id)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": id, "events": evs})
}

// caseDocument is GET /v1/cases/{id}/facts/{no} and /decisions/{no}: an
// earlier version, as stored (a decision in ?lang= if asked).
func (s *Server) caseDocument(kind string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p principal) {
		no, err := strconv.ParseInt(r.PathValue("no"), 10, 64)
		if err != nil || no < 1 {
			s.fail(w, r, invalid("no", "must be a version number from 1"))
			return
		}
		lang, err := langParam(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var doc []byte
		err = s.st.View(r.Context(), func(tx store.Tx) error {
			var err error
			doc, err = desk.Document(r.Context(), tx, r.PathValue("id"), kind, no, lang)
			return err
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeRaw(w, http.StatusOK, "application/json", doc)
	}
}

// choose is POST /v1/cases/{id}/choices.
func (s *Server) choose(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := desk.ReadChoice(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		ch, err := s.desk.Choose(ctx, tx, p.actor(), id, req)
		if err != nil {
			return reply{}, err
		}
		rp, err := jsonReply(http.StatusCreated, map[string]any{"case_id": id, "group": ch.Choice.Group,
			"code": ch.Choice.Code, "clause": ch.Clause, "at": ch.Choice.At, "actor": ch.Choice.Actor,
			"case_version": ch.CaseVersion})
		rp.header = map[string]string{"ETag": etag(ch.CaseVersion), "Location": casePath(id)}
		return rp, err
	})
}

func (s *Server) closeCase(w http.ResponseWriter, r *http.Request, p principal) {
	s.setStatus(w, r, p, "closed", s.desk.Close)
}

func (s *Server) reopenCase(w http.ResponseWriter, r *http.Request, p principal) {
	s.setStatus(w, r, p, "reopened", s.desk.Reopen)
}

// setStatus closes or reopens a case with a reason.
func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, p principal, kind string,
	op func(context.Context, store.Tx, desk.Actor, string, string) (desk.Case, error)) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reason, err := desk.ReadReason(body, kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := op(ctx, tx, p.actor(), id, reason)
		if err != nil {
			return reply{}, err
		}
		return caseReply(http.StatusOK, &c, ""), nil
	})
}
