package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// Case statuses.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// caseDoc is the case as the API shows it.
type caseDoc struct {
	ID                 string          `json:"id"`
	Status             string          `json:"status"`
	Version            int64           `json:"version"`
	TermsID            string          `json:"terms_id"`
	Covered            bool            `json:"covered"`
	Facts              json.RawMessage `json:"facts"`
	Intake             json.RawMessage `json:"intake,omitempty"`
	Decision           json.RawMessage `json:"decision,omitempty"`
	MissingInformation []string        `json:"missing_information"`
	Choices            []store.Choice  `json:"choices"`
	Jobs               []store.Job     `json:"jobs"`
	CreatedAt          time.Time       `json:"created_at"`
	UpdatedAt          time.Time       `json:"updated_at"`
}

func newCaseDoc(c store.Case, choices []store.Choice, jobs []store.Job) caseDoc {
	d, _ := readDecisionHead(c.Decision)
	return caseDocOf(c, d, choices, jobs)
}

func caseDocOf(c store.Case, d decisionView, choices []store.Choice, jobs []store.Job) caseDoc {
	if choices == nil {
		choices = []store.Choice{}
	}
	if jobs == nil {
		jobs = []store.Job{}
	}
	return caseDoc{ID: c.ID, Status: c.Status, Version: c.Version, TermsID: c.TermsID, Covered: d.Covered,
		Facts: c.Facts, Intake: c.Intake, Decision: c.Decision, MissingInformation: d.MissingInformation,
		Choices: choices, Jobs: jobs, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

func casePath(id string) string { return "/v1/cases/" + id }

func loadCase(ctx context.Context, tx store.Tx, id string) (store.Case, caseDoc, error) {
	c, err := tx.GetCase(ctx, id)
	if err != nil {
		return c, caseDoc{}, err
	}
	ch, err := tx.Choices(ctx, id)
	if err != nil {
		return c, caseDoc{}, err
	}
	jobs, err := tx.ListJobs(ctx, "", id)
	if err != nil {
		return c, caseDoc{}, err
	}
	return c, newCaseDoc(c, ch, jobs), nil
}

func caseReply(status int, doc caseDoc, created bool) (reply, error) {
	rp, err := jsonReply(status, doc)
	if err != nil {
		return rp, err
	}
	rp.header = map[string]string{"ETag": etag(doc.Version)}
	if created {
		rp.header["Location"] = casePath(doc.ID)
	}
	return rp, nil
}

// event appends one timeline entry.
func (s *Server) event(ctx context.Context, tx store.Tx, caseID string, p principal, kind string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("httpapi: encode event %s: %w", kind, err)
	}
	return s.appendEvent(ctx, tx, caseID, p, kind, b)
}

// appendEvent appends one timeline entry whose data is already JSON.
func (s *Server) appendEvent(ctx context.Context, tx store.Tx, caseID string, p principal, kind string, data []byte) error {
	_, err := tx.AppendEvent(ctx, store.Event{CaseID: caseID, At: s.now().UTC(), Actor: p.actor(), Kind: kind, Data: data})
	return err
}

// decisionSummary is what a "decided" event records besides the decision.
func decisionSummary(d decisionView, ents []entitlementView, doc []byte) map[string]any {
	codes := make([]string, 0, len(ents))
	for _, e := range ents {
		codes = append(codes, e.Code)
	}
	return map[string]any{"terms_id": d.Terms.ID, "covered": d.Covered, "entitlements": codes,
		"missing_information": d.MissingInformation, "decision": json.RawMessage(doc)}
}

// decidedEvent encodes decisionSummary(d, ents, doc) as json.Marshal would
// (keys in order), but copies doc as it is instead of re-validating and
// compacting its kilobytes: doc is the engine's answer that readDecisionViews
// has just parsed.
func decidedEvent(d decisionView, ents []entitlementView, doc []byte) []byte {
	b := make([]byte, 0, len(doc)+256)
	b = append(b, `{"covered":`...)
	b = strconv.AppendBool(b, d.Covered)
	b = append(b, `,"decision":`...)
	b = append(b, doc...)
	b = append(b, `,"entitlements":[`...)
	for i, e := range ents {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.Code)
	}
	b = append(b, `],"missing_information":`...)
	b = appendStrings(b, d.MissingInformation)
	b = append(b, `,"terms_id":`...)
	b = appendJSONString(b, d.Terms.ID)
	return append(b, '}')
}

// createdEvent encodes the "created" event's data: facts (as re-encoded by
// splitCase), intake (checked by the decoder that split it off) and the
// fields filled from the intake.
func createdEvent(facts, intake []byte, filled []string) []byte {
	b := make([]byte, 0, len(facts)+len(intake)+128)
	b = append(b, `{"facts":`...)
	b = append(b, facts...)
	if len(filled) > 0 {
		b = append(b, `,"filled_from_intake":`...)
		b = appendStrings(b, filled)
	}
	if intake != nil {
		b = append(b, `,"intake":`...)
		b = append(b, intake...)
	}
	return append(b, '}')
}

// newCaseReply is caseReply(201, doc, true) for a case just made, whose
// facts, intake and decision are known to be JSON: they are copied into the
// answer rather than re-validated by encoding/json.
func newCaseReply(doc caseDoc) reply {
	b := make([]byte, 0, len(doc.Facts)+len(doc.Intake)+len(doc.Decision)+512)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, doc.ID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, doc.Status)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, doc.Version, 10)
	b = append(b, `,"terms_id":`...)
	b = appendJSONString(b, doc.TermsID)
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, doc.Covered)
	b = append(b, `,"facts":`...)
	b = appendRaw(b, doc.Facts)
	if len(doc.Intake) > 0 {
		b = append(b, `,"intake":`...)
		b = append(b, doc.Intake...)
	}
	if len(doc.Decision) > 0 {
		b = append(b, `,"decision":`...)
		b = append(b, doc.Decision...)
	}
	b = append(b, `,"missing_information":`...)
	b = appendStrings(b, doc.MissingInformation)
	b = append(b, `,"choices":[],"jobs":[],"created_at":`...)
	b = appendTime(b, doc.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendTime(b, doc.UpdatedAt)
	b = append(b, '}')
	return reply{status: http.StatusCreated, body: b,
		header: map[string]string{"ETag": etag(doc.Version), "Location": casePath(doc.ID)}}
}

func appendRaw(b, raw []byte) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// appendJSONString appends s as encoding/json writes a string.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// appendStrings appends a JSON array of strings (nil as []).
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendTime appends t as time.Time's MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// createCase is POST /v1/cases.
func (s *Server) createCase(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pc, err := s.newCase(body, requestLangQuery(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cc, ok := s.st.(store.CaseCreator); ok && r.Header.Get("Idempotency-Key") == "" {
		// Nothing else goes into this transaction: the store may commit
		// it as it likes (PostgreSQL: one statement, one round trip).
		if err := cc.CreateCase(r.Context(), pc.c, s.firstEvents(p, pc)); err != nil {
			s.fail(w, r, err)
			return
		}
		pc.reply.write(w)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		if err := s.insertCase(ctx, tx, p, pc); err != nil {
			return reply{}, err
		}
		return pc.reply, nil
	})
}

// preparedCase is a new case with everything worked out before the
// transaction, which then only writes.
type preparedCase struct {
	c                store.Case
	created, decided []byte // event data
	reply            reply
}

// newCase validates a case body, decides it and prepares its records and
// answer (outside any transaction).
func (s *Server) newCase(body []byte, lang string) (preparedCase, error) {
	errs := &roadcover.InputError{}
	facts, intake, filled := splitCase(body, errs)
	var (
		out  []byte
		d    decisionView
		ents []entitlementView
	)
	if facts != nil {
		var err error
		out, d, ents, err = decideViews(facts, lang, s.cfg.Env)
		s.countDecision(out, err, pathCase)
		var ie *roadcover.InputError
		if errors.As(err, &ie) {
			for _, f := range ie.Errors {
				errs.Add(f.Field, f.Code, f.Detail)
			}
			if ie.Code != "" && ie.Code != roadcover.CodeInvalidInput {
				errs.Code = ie.Code
			}
		} else if err != nil {
			return preparedCase{}, err
		}
	}
	if err := errs.Err(); err != nil {
		return preparedCase{}, err
	}
	now := s.now().UTC()
	c := store.Case{ID: newID(""), Status: StatusOpen, Facts: facts, Intake: intake, Decision: out, TermsID: d.Terms.ID,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	pc := preparedCase{c: c, created: createdEvent(facts, intake, filled), decided: decidedEvent(d, ents, out)}
	pc.reply = newCaseReply(caseDocOf(c, d, nil, nil))
	return pc, nil
}

// firstEvents are a new case's first timeline events.
func (s *Server) firstEvents(p principal, pc preparedCase) []store.Event {
	now := s.now().UTC()
	return []store.Event{
		{CaseID: pc.c.ID, At: now, Actor: p.actor(), Kind: "created", Data: pc.created},
		{CaseID: pc.c.ID, At: now, Actor: p.actor(), Kind: "decided", Data: pc.decided},
	}
}

func (s *Server) insertCase(ctx context.Context, tx store.Tx, p principal, pc preparedCase) error {
	if ins, ok := tx.(store.CaseInserter); ok {
		return ins.InsertCaseWithEvents(ctx, pc.c, s.firstEvents(p, pc))
	}
	if err := tx.InsertCase(ctx, pc.c); err != nil {
		return err
	}
	if err := s.appendEvent(ctx, tx, pc.c.ID, p, "created", pc.created); err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, pc.c.ID, p, "decided", pc.decided)
}

// requestLangQuery is ?lang= only: a stored case's decision follows the
// case's own language unless the caller asks for another.
func requestLangQuery(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return r.URL.Query().Get("lang")
}

// newID returns a time-ordered unique id with a prefix.
func newID(prefix string) string {
	return prefix + uuid.Must(uuid.NewV7()).String()
}

// getCase is GET /v1/cases/{id}.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request, p principal) {
	var doc caseDoc
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		_, doc, err = loadCase(r.Context(), tx, r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tag := etag(doc.Version)
	if inm := r.Header.Get("If-None-Match"); inm != "" && matchETag(inm, doc.Version) {
		w.Header().Set("ETag", tag)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	rp, err := caseReply(http.StatusOK, doc, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rp.write(w)
}

// matchETag reports whether an If-Match / If-None-Match list names version.
func matchETag(list string, version int64) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag(version) {
			return true
		}
	}
	return false
}

// listCases is GET /v1/cases?status=&after=&limit=.
func (s *Server) listCases(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	errs := &roadcover.InputError{}
	f := store.CaseFilter{Status: q.Get("status"), After: q.Get("after"), Limit: 50}
	if f.Status != "" && f.Status != StatusOpen && f.Status != StatusClosed {
		errs.Add("status", roadcover.CodeInvalidInput, "must be open or closed")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			errs.Add("limit", roadcover.CodeInvalidInput, "must be a whole number from 1 to 200")
		}
		f.Limit = n
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	want := f.Limit
	f.Limit++
	var cases []store.Case
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		cases, err = tx.ListCases(r.Context(), f)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type summary struct {
		ID                 string          `json:"id"`
		Status             string          `json:"status"`
		Version            int64           `json:"version"`
		TermsID            string          `json:"terms_id"`
		Covered            bool            `json:"covered"`
		Facts              json.RawMessage `json:"facts"`
		MissingInformation []string        `json:"missing_information"`
		CreatedAt          time.Time       `json:"created_at"`
		UpdatedAt          time.Time       `json:"updated_at"`
	}
	out := struct {
		Cases []summary `json:"cases"`
		Next  string    `json:"next,omitempty"`
	}{Cases: []summary{}}
	for i, c := range cases {
		if i == want {
			out.Next = cases[i-1].ID
			break
		}
		d := newCaseDoc(c, nil, nil)
		out.Cases = append(out.Cases, summary{ID: d.ID, Status: d.Status, Version: d.Version, TermsID: d.TermsID,
			Covered: d.Covered, Facts: d.Facts, MissingInformation: d.MissingInformation, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt})
	}
	writeJSON(w, http.StatusOK, out)
}

// patchCase is PATCH /v1/cases/{id}: a JSON merge patch of the facts,
// guarded by If-Match, re-deciding the case.
func (s *Server) patchCase(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	ifMatch := r.Header.Get("If-Match")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var c store.Case
	if err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		c, err = tx.GetCase(r.Context(), id)
		return err
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	if ifMatch == "" {
		s.fail(w, r, roadcover.Errorf(roadcover.CodePreconditionReq, "send If-Match with the case's ETag"))
		return
	}
	if !matchETag(ifMatch, c.Version) {
		s.fail(w, r, roadcover.Errorf(roadcover.CodePrecondition,
			fmt.Sprintf("the case is at version %d; fetch it again and reapply the change", c.Version)))
		return
	}
	if c.Status != StatusOpen {
		s.fail(w, r, conflict("the case is closed; reopen it first"))
		return
	}
	var patch map[string]json.RawMessage
	if err := json.Unmarshal(body, &patch); err != nil || patch == nil {
		s.fail(w, r, invalid("body", "must be a JSON merge patch object of the case's facts"))
		return
	}
	facts, err := mergePatch(c.Facts, body)
	if err != nil {
		s.fail(w, r, invalid("body", "could not be applied: "+err.Error()))
		return
	}
	out, d, ents, err := decideViews(facts, requestLangQuery(r), s.cfg.Env)
	s.countDecision(out, err, pathCase)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decided := decidedEvent(d, ents, out)
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		cur, err := tx.GetCase(ctx, id)
		if err != nil {
			return reply{}, err
		}
		if cur.Version != c.Version {
			return reply{}, store.ErrStale
		}
		cur.Facts, cur.Decision, cur.TermsID = facts, out, d.Terms.ID
		cur.Version++
		cur.UpdatedAt = s.now().UTC()
		if err := tx.UpdateCase(ctx, cur); err != nil {
			return reply{}, err
		}
		if err := s.event(ctx, tx, id, p, "facts_patched", map[string]any{"patch": json.RawMessage(body)}); err != nil {
			return reply{}, err
		}
		if err := s.appendEvent(ctx, tx, id, p, "decided", decided); err != nil {
			return reply{}, err
		}
		_, doc, err := loadCase(ctx, tx, id)
		if err != nil {
			return reply{}, err
		}
		return caseReply(http.StatusOK, doc, false)
	})
}

// caseEvents is GET /v1/cases/{id}/events.
func (s *Server) caseEvents(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	var evs []store.Event
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		if _, err := tx.GetCase(r.Context(), id); err != nil {
			return err
		}
		var err error
		evs, err = tx.Events(r.Context(), id)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if evs == nil {
		evs = []store.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": id, "events": evs})
}

// Choice groups: the one-option rules of 1.3, 1.4 and 1.5.
var choiceGroups = []string{"further_assistance", "repatriation_alternative", "collection"}

// choose is POST /v1/cases/{id}/choices.
func (s *Server) choose(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	group, okG := o.Enum("group", choiceGroups...)
	code, okC := o.String("code")
	if !okG && !errs.Has("group") {
		errs.Add("group", roadcover.CodeInvalidInput, "required: one of "+strings.Join(choiceGroups, ", "))
	}
	if !okC && !errs.Has("code") {
		errs.Add("code", roadcover.CodeInvalidInput, "required: the code of an offered entitlement")
	}
	o.Skip("note")
	o.Done()
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := tx.GetCase(ctx, id)
		if err != nil {
			return reply{}, err
		}
		if c.Status != StatusOpen {
			return reply{}, conflict("the case is closed; reopen it first")
		}
		_, ents, err := scanDecision(c.Decision)
		if err != nil {
			return reply{}, err
		}
		var offered []string
		clause := ""
		for _, e := range ents {
			if e.ChooseOne == group {
				offered = append(offered, e.Code)
				if e.Code == code {
					clause = e.Clause
				}
			}
		}
		if clause == "" && !containsStr(offered, code) {
			detail := fmt.Sprintf("%q is not offered in the group %s by the case's current decision", code, group)
			if len(offered) > 0 {
				detail += "; offered: " + strings.Join(offered, ", ")
			}
			return reply{}, invalid("code", detail)
		}
		existing, err := tx.Choices(ctx, id)
		if err != nil {
			return reply{}, err
		}
		for _, ch := range existing {
			if ch.Group == group {
				return reply{}, conflict(fmt.Sprintf("the group %s already has the choice %q (one option only)", group, ch.Code))
			}
		}
		ch := store.Choice{CaseID: id, Group: group, Code: code, At: s.now().UTC(), Actor: p.actor()}
		if err := tx.InsertChoice(ctx, ch); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return reply{}, conflict(fmt.Sprintf("the group %s already has a choice (one option only)", group))
			}
			return reply{}, err
		}
		c.Version++
		c.UpdatedAt = ch.At
		if err := tx.UpdateCase(ctx, c); err != nil {
			return reply{}, err
		}
		if err := s.event(ctx, tx, id, p, "choice_made", map[string]any{"group": group, "code": code, "clause": clause}); err != nil {
			return reply{}, err
		}
		rp, err := jsonReply(http.StatusCreated, map[string]any{"case_id": id, "group": group, "code": code,
			"clause": clause, "at": ch.At, "actor": ch.Actor, "case_version": c.Version})
		rp.header = map[string]string{"ETag": etag(c.Version), "Location": casePath(id)}
		return rp, err
	})
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) closeCase(w http.ResponseWriter, r *http.Request, p principal) {
	s.setStatus(w, r, p, StatusOpen, StatusClosed, "closed")
}

func (s *Server) reopenCase(w http.ResponseWriter, r *http.Request, p principal) {
	s.setStatus(w, r, p, StatusClosed, StatusOpen, "reopened")
}

// setStatus closes or reopens a case with a reason.
func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, p principal, from, to, kind string) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	reason, ok := o.String("reason")
	if !ok && !errs.Has("reason") || ok && strings.TrimSpace(reason) == "" {
		errs.Add("reason", roadcover.CodeInvalidInput, "required: why the case is "+kind)
	}
	o.Done()
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := tx.GetCase(ctx, id)
		if err != nil {
			return reply{}, err
		}
		if c.Status != from {
			return reply{}, conflict("the case is already " + c.Status)
		}
		c.Status = to
		c.Version++
		c.UpdatedAt = s.now().UTC()
		if err := tx.UpdateCase(ctx, c); err != nil {
			return reply{}, err
		}
		if err := s.event(ctx, tx, id, p, kind, map[string]any{"reason": reason}); err != nil {
			return reply{}, err
		}
		_, doc, err := loadCase(ctx, tx, id)
		if err != nil {
			return reply{}, err
		}
		return caseReply(http.StatusOK, doc, false)
	})
}
