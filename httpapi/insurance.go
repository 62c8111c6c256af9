package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/claims"
	"roadcover/claimsdesk"
	"roadcover/internal/jsondoc"
	"roadcover/policies"
	"roadcover/store"
)

// The insurance endpoints (policies, claims, the policyholder's links and
// the claims register) read the request, call the claims desk and write
// its answer; every change goes through Server.commit.

// NewClaimsDesk is the claims desk with the service's sources: the clock
// now, time-ordered UUIDs for ids and crypto/rand secrets; payables take the
// released payment orders (nil: no release is made).
func NewClaimsDesk(now func() time.Time, payables claimsdesk.PayableRecorder) *claimsdesk.Desk {
	return &claimsdesk.Desk{Clock: now, NewID: newID, Payables: payables,
		NewSecret: func(prefix string) (string, []byte) {
			secret := authtoken.New(prefix)
			return secret, authtoken.Hash(secret)
		}}
}

// ClaimsDesk is the claims desk the server runs.
func (s *Server) ClaimsDesk() *claimsdesk.Desk { return s.claims }

func (s *Server) insuranceRoutes() {
	h := []string{RoleAdmin, RoleClaims}
	s.handle("POST /v1/policies", s.createPolicy, h...)
	s.handle("GET /v1/policies", s.listPolicies, h...)
	s.handle("GET /v1/policies/{id}", s.getPolicy, h...)
	s.handle("POST /v1/policies/{id}/changes", s.changePolicy, h...)
	s.handle("GET /v1/policies/{id}/invoices", s.policyInvoices, h...)
	s.handle("POST /v1/policies/{id}/links", s.createPolicyLink, h...)
	s.handle("POST /v1/claims", s.createClaim, h...)
	s.handle("GET /v1/claims", s.listClaims, h...)
	s.handle("GET /v1/claims/register", s.claimsRegister, h...)
	s.handle("GET /v1/claims/{id}", s.getClaim, h...)
	s.handle("PATCH /v1/claims/{id}", s.patchClaim, h...)
	s.handle("GET /v1/claims/{id}/events", s.claimEvents, h...)
	for _, act := range claimsdesk.Acts {
		s.handle("POST /v1/claims/{id}/"+act, s.claimAct(act), h...)
	}
	s.handle("POST /v1/claims/{id}/links", s.createClaimLink, h...)
	s.handle("GET /v1/cases/{id}/claims", s.caseClaims, RoleAdmin, RoleOperator, RoleClaims)
	s.openRoute("GET /v1/claim-links/{token}", s.claimByLink)
	s.openRoute("POST /v1/policy-links/{token}/claims", s.reportByLink)
}

// openRoute registers an endpoint that needs no bearer token (the link's
// token in the path is the access); bodies are JSON.
func (s *Server) openRoute(pattern string, h http.HandlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.Method == http.MethodPost {
			if err := checkMediaType(r, jsonTypes); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		h(w, r)
	})
}

// claimsActor is the claims handler a token stands for, with its limit.
func claimsActor(p principal) claims.Actor { return claimsdesk.Handler(p.tok.ID, p.tok.PaymentLimit) }

func (s *Server) today() roadcover.Date { return policies.SwedishDay(s.now()) }

func policyPath(id string) string { return "/v1/policies/" + id }
func claimPath(id string) string  { return "/v1/claims/" + id }

// policyReply is the policy document; its ETag counts its versions.
func (s *Server) policyReply(status int, p *policies.Policy, lang roadcover.Language) reply {
	rp := reply{status: status, body: policies.AppendPolicyJSON(make([]byte, 0, 4096), p, s.today(), lang),
		header: map[string]string{"ETag": etag(int64(len(p.Versions)))}}
	if status == http.StatusCreated {
		rp.header["Location"] = policyPath(p.ID)
	}
	return rp
}

// claimReply is the claim document; its ETag counts its events.
func claimReply(status int, c *claimsdesk.Claim, lang roadcover.Language) reply {
	rp := reply{status: status, body: claims.AppendClaimJSON(make([]byte, 0, 12<<10), c.In(lang), lang),
		header: map[string]string{"ETag": etag(int64(len(c.Events)))}}
	if status == http.StatusCreated {
		rp.header["Location"] = claimPath(c.ID)
	}
	return rp
}

// ifMatchVersion reads an optional If-Match: 0 for none or "*".
func ifMatchVersion(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" || v == "*" {
		return 0, nil
	}
	n, ok := etagVersion(v)
	if !ok || n < 1 {
		return 0, invalid("If-Match", "must be one ETag of the resource, such as \"3\"")
	}
	return n, nil
}

// createPolicy is POST /v1/policies.
func (s *Server) createPolicy(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	np, err := policies.DecodeNewPolicy(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		pol, err := s.claims.RegisterPolicy(ctx, tx, claimsActor(p), np)
		if err != nil {
			return reply{}, err
		}
		return s.policyReply(http.StatusCreated, pol, lang), nil
	})
}

// getPolicy is GET /v1/policies/{id}[?lang=].
func (s *Server) getPolicy(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var pol *policies.Policy
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		pol, err = s.claims.Policy(r.Context(), tx, r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.policyReply(http.StatusOK, pol, lang).write(w)
}

// listPolicies is GET /v1/policies?vin=.
func (s *Server) listPolicies(w http.ResponseWriter, r *http.Request, p principal) {
	vin := r.URL.Query().Get("vin")
	v, err := policies.ParseVIN(vin)
	if err != nil {
		if vin == "" {
			err = errors.New("is required: the car's VIN")
		}
		s.fail(w, r, invalid("vin", err.Error()))
		return
	}
	var ps []*policies.Policy
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		ps, err = s.claims.PoliciesByVIN(r.Context(), tx, v)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", policies.AppendPolicyListJSON(nil, ps, s.today()))
}

// changePolicy is POST /v1/policies/{id}/changes: a new version from a
// day; If-Match (the count of versions) is optional.
func (s *Server) changePolicy(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ch, err := policies.DecodeChange(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ifVersion, err := ifMatchVersion(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		if ifVersion != 0 {
			cur, err := s.claims.Policy(ctx, tx, id)
			if err != nil {
				return reply{}, err
			}
			if int64(len(cur.Versions)) != ifVersion {
				return reply{}, roadcover.Errorf(roadcover.CodePrecondition, "the policy has "+strconv.Itoa(len(cur.Versions))+
					" versions; fetch it again and reapply the change")
			}
		}
		pol, _, err := s.claims.ChangePolicy(ctx, tx, claimsActor(p), id, ch)
		if err != nil {
			return reply{}, err
		}
		return s.policyReply(http.StatusCreated, pol, ""), nil
	})
}

// policyInvoices is GET /v1/policies/{id}/invoices[?from=DATE][&lang=].
func (s *Server) policyInvoices(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var from roadcover.Date
	if f := r.URL.Query().Get("from"); f != "" {
		if from, err = roadcover.ParseDate(f); err != nil {
			s.fail(w, r, invalid("from", "must be a day YYYY-MM-DD: the first day of an insurance period"))
			return
		}
	}
	var inv *policies.Invoicing
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		inv, err = s.claims.Invoices(r.Context(), tx, r.PathValue("id"), from)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", policies.AppendInvoicesJSON(nil, inv, lang))
}

// linkBase is the origin links are made under.
func (s *Server) linkBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func linkJSON(url string, l claimsdesk.Link) []byte {
	w := jsondoc.Writer{}
	w.Obj("").Str("url", url).Str("token", l.Token).Time("expires_at", l.ExpiresAt).End()
	return w.B
}

// createPolicyLink is POST /v1/policies/{id}/links: the policyholder's link
// for reporting a loss.
func (s *Server) createPolicyLink(w http.ResponseWriter, r *http.Request, p principal) {
	s.createLink(w, r, p, "/v1/policy-links/", "/claims", s.claims.PolicyLink)
}

// createClaimLink is POST /v1/claims/{id}/links: the policyholder's
// read-only link to a claim.
func (s *Server) createClaimLink(w http.ResponseWriter, r *http.Request, p principal) {
	s.createLink(w, r, p, "/v1/claim-links/", "", s.claims.ClaimLink)
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request, p principal, path, suffix string,
	mk func(context.Context, store.Tx, string, int64) (claimsdesk.Link, error)) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hours, err := claimsdesk.ReadLinkHours(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.linkBase(r)
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		l, err := mk(ctx, tx, id, hours)
		if err != nil {
			return reply{}, err
		}
		return withLinkShownOnce(reply{status: http.StatusCreated, body: linkJSON(base+path+l.Token+suffix, l)}), nil
	})
}

// createClaim is POST /v1/claims: the first notice of a loss, settled.
func (s *Server) createClaim(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := claims.DecodeReport(body)
	if err != nil {
		s.fail(w, r, s.checkReport(r.Context(), func(ctx context.Context, tx store.Tx) error {
			return s.claims.CheckReport(ctx, tx, claimsActor(p), rep, err)
		}, err))
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := s.claims.OpenClaim(ctx, tx, claimsActor(p), rep)
		if err != nil {
			return reply{}, err
		}
		return claimReply(http.StatusCreated, c, ""), nil
	})
}

// loadClaim reads the claim the path names.
func (s *Server) loadClaim(r *http.Request) (*claimsdesk.Claim, error) {
	var c *claimsdesk.Claim
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		c, err = s.claims.Load(r.Context(), tx, r.PathValue("id"))
		return err
	})
	return c, err
}

// getClaim is GET /v1/claims/{id}[?lang=].
func (s *Server) getClaim(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.loadClaim(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && matchETag(inm, int64(len(c.Events))) {
		w.Header().Set("ETag", etag(int64(len(c.Events))))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	claimReply(http.StatusOK, c, lang).write(w)
}

// listQuery reads ?after= and ?limit= (1 to 200, default 50).
func listQuery(r *http.Request, errs *roadcover.InputError) store.ClaimFilter {
	q := r.URL.Query()
	f := store.ClaimFilter{After: q.Get("after"), Limit: 50}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			errs.Add("limit", roadcover.CodeInvalidInput, "must be a whole number from 1 to 200")
		}
		f.Limit = n
	}
	return f
}

// listClaims is GET /v1/claims?policy=&vin=&after=&limit=: summaries,
// oldest first.
func (s *Server) listClaims(w http.ResponseWriter, r *http.Request, p principal) {
	errs := &roadcover.InputError{}
	f := listQuery(r, errs)
	q := r.URL.Query()
	f.PolicyID = q.Get("policy")
	if vin := q.Get("vin"); vin != "" {
		v, err := policies.ParseVIN(vin)
		if err != nil {
			errs.Add("vin", roadcover.CodeInvalidInput, err.Error())
		}
		f.VIN = v
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	var ss []claims.Summary
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		ss, err = s.claims.Claims(r.Context(), tx, f)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := claims.AppendClaimListJSON(nil, ss)
	if len(ss) == f.Limit {
		b = append(b[:len(b)-1], `,"next":`...)
		b = append(jsonString(b, ss[len(ss)-1].ID), '}')
	}
	writeRaw(w, http.StatusOK, "application/json", b)
}

func jsonString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// claimsRegister is GET /v1/claims/register?from=&until=&after=&limit=: the
// claims register of 5.5, as JSON or (Accept: text/csv) as a CSV file of
// every claim reported in the span.
func (s *Server) claimsRegister(w http.ResponseWriter, r *http.Request, p principal) {
	errs := &roadcover.InputError{}
	f := listQuery(r, errs)
	q := r.URL.Query()
	for _, x := range []struct {
		name string
		dst  *string
	}{{"from", &f.ReportedFrom}, {"until", &f.ReportedUntil}} {
		if v := q.Get(x.name); v != "" {
			d, err := roadcover.ParseDate(v)
			if err != nil {
				errs.Add(x.name, roadcover.CodeInvalidInput, "must be a day YYYY-MM-DD")
			}
			*x.dst = d.String()
		}
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	asCSV := wantsCSV(r.Header.Get("Accept"))
	var recs []claims.RegisterRecord
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		if !asCSV {
			var err error
			recs, err = s.claims.Register(r.Context(), tx, f)
			return err
		}
		f.Limit = 1000
		for {
			page, err := s.claims.Register(r.Context(), tx, f)
			if err != nil {
				return err
			}
			recs = append(recs, page...)
			if len(page) < f.Limit {
				return nil
			}
			f.After = page[len(page)-1].ClaimID
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if asCSV {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		cw.WriteAll(claims.RegisterRows(recs))
		w.Header().Set("Content-Disposition", `attachment; filename="claims-register.csv"`)
		writeRaw(w, http.StatusOK, "text/csv; charset=utf-8", bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return
	}
	b := append([]byte(`{"records":`), claims.AppendRegisterJSON(nil, recs)...)
	if len(recs) == f.Limit {
		b = append(b, `,"next":`...)
		b = jsonString(b, recs[len(recs)-1].ClaimID)
	}
	writeRaw(w, http.StatusOK, "application/json", append(b, '}'))
}

// wantsCSV reports whether an Accept header prefers text/csv to JSON.
func wantsCSV(accept string) bool {
	csvQ, jsonQ := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(mt)) {
		case "text/csv":
			csvQ = max(csvQ, q)
		case "application/json", "*/*", "application/*":
			jsonQ = max(jsonQ, q)
		}
	}
	return csvQ > 0 && csvQ > jsonQ
}

// patchClaim is PATCH /v1/claims/{id}: {"reason", "patch": {…}}, a merge
// patch of the loss facts, guarded by If-Match; the claim is settled again.
func (s *Server) patchClaim(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Header.Get("If-Match") == "" {
		err := s.st.View(r.Context(), func(tx store.Tx) error { _, err := tx.GetClaim(r.Context(), id); return err })
		if err == nil {
			err = roadcover.Errorf(roadcover.CodePreconditionReq, "send If-Match with the claim's ETag")
		}
		s.fail(w, r, err)
		return
	}
	ifVersion, err := ifMatchVersion(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fc, err := claims.DecodeFactsChange(body)
	if err != nil {
		if fc != nil && fc.Patch != nil {
			err = s.checkReport(r.Context(), func(ctx context.Context, tx store.Tx) error {
				return s.claims.CheckAct(ctx, tx, claimsActor(p), id, claimsdesk.ChangeFacts(fc), err)
			}, err)
		}
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := s.claims.Do(ctx, tx, claimsActor(p), id, ifVersion, claimsdesk.ChangeFacts(fc))
		if err != nil {
			return reply{}, err
		}
		return claimReply(http.StatusOK, c, ""), nil
	})
}

// claimAct is POST /v1/claims/{id}/{act}: one act on the claim; If-Match
// is optional.
func (s *Server) claimAct(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p principal) {
		id := r.PathValue("id")
		body, err := readBody(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		act, err := claimsdesk.ReadAct(name, body)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ifVersion, err := ifMatchVersion(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
			c, err := s.claims.Do(ctx, tx, claimsActor(p), id, ifVersion, act)
			if err != nil {
				return reply{}, err
			}
			return claimReply(http.StatusOK, c, ""), nil
		})
	}
}

// claimEvents is GET /v1/claims/{id}/events[?lang=]: the timeline.
func (s *Server) claimEvents(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.loadClaim(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if lang == "" {
		lang = c.Language
	}
	b := append([]byte(`{"claim_id":`), jsonString(nil, c.ID)...)
	b = append(b, ',')
	b = append(b, claims.AppendEventsJSON(nil, c.Events, lang)[1:]...)
	writeRaw(w, http.StatusOK, "application/json", b)
}

// caseClaims is GET /v1/cases/{id}/claims: the claims opened from an
// assistance case.
func (s *Server) caseClaims(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	var ss []claims.Summary
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		if _, err := tx.GetCase(r.Context(), id); err != nil {
			return err
		}
		var err error
		ss, err = s.claims.Claims(r.Context(), tx, store.ClaimFilter{DeskCaseID: id, Limit: 200})
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := append([]byte(`{"case_id":`), jsonString(nil, id)...)
	b = append(b, ',')
	b = append(b, claims.AppendClaimListJSON(nil, ss)[1:]...)
	writeRaw(w, http.StatusOK, "application/json", b)
}

// claimByLink is GET /v1/claim-links/{token}: the policyholder's view of
// one claim in ?lang= or Accept-Language; one 404 for a link that is
// unknown or expired.
func (s *Server) claimByLink(w http.ResponseWriter, r *http.Request) {
	hash := authtoken.Hash(r.PathValue("token"))
	var v claimsdesk.HolderView
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		v, err = s.claims.ClaimByLink(r.Context(), tx, hash)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := driverLang(r)
	if lang == "" {
		lang = v.Claim.Language
	}
	w.Header().Set("Content-Language", string(lang))
	writeRaw(w, http.StatusOK, "application/json", claimsdesk.AppendHolderJSON(make([]byte, 0, 8<<10), v, lang))
}

// checkReport adds to the input error of a request that could not be read
// whole (a first notice, a change of facts) what check finds wrong in it
// in a read-only transaction: the fields the engine checks.
func (s *Server) checkReport(ctx context.Context, check func(context.Context, store.Tx) error, readErr error) error {
	err := readErr
	if verr := s.st.View(ctx, func(tx store.Tx) error {
		err = check(ctx, tx)
		return nil
	}); verr != nil {
		return readErr
	}
	return err
}

// reportByLink is POST /v1/policy-links/{token}/claims: the policyholder's
// first notice of a loss under the link's policy; the answer is their view
// of the new claim and a link to follow it.
func (s *Server) reportByLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	hash := authtoken.Hash(token)
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The link names the policy: the policyholder need not repeat its id.
	var linked string
	if err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		linked, err = s.claims.LinkedPolicy(r.Context(), tx, hash)
		return err
	}); err != nil {
		s.fail(w, r, err) // an unknown or expired link
		return
	}
	rep, err := claims.DecodeReportUnder(body, linked)
	if err != nil {
		s.fail(w, r, s.checkReport(r.Context(), func(ctx context.Context, tx store.Tx) error {
			return s.claims.CheckReportByLink(ctx, tx, hash, rep, err)
		}, err))
		return
	}
	lang := driverLang(r)
	base := s.linkBase(r)
	holder := principal{tok: store.Token{ID: claimsdesk.Holder(hash).ID}}
	s.commit(w, r, holder, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, l, err := s.claims.ReportByLink(ctx, tx, hash, rep, claimsdesk.DefaultLinkHours)
		if err != nil {
			return reply{}, err
		}
		b := append([]byte(`{"claim_link":`), linkJSON(base+"/v1/claim-links/"+l.Token, l)...)
		b = append(b, `,"claim":`...)
		b = claimsdesk.AppendHolderJSON(b, claimsdesk.HolderView{Claim: c, ExpiresAt: l.ExpiresAt}, lang)
		return withLinkShownOnce(reply{status: http.StatusCreated, body: append(b, '}'),
			header: map[string]string{"Location": "/v1/claim-links/" + l.Token}}, "claim_link"), nil
	})
}

// runWarranties runs the automatic collision cover of 5.10 once a day (on
// start, then when the Swedish day changes) until ctx ends.
func (s *Server) runWarranties(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	var last roadcover.Date
	for {
		if day := s.today(); day != last {
			out, err := s.claims.RenewWarranties(ctx, s.st, day)
			if err != nil && ctx.Err() == nil {
				s.log.Warn("5.10: automatic collision cover", "err", err)
			} else if err == nil {
				last = day
			}
			for _, ac := range out {
				if ac.Err != nil {
					s.log.Warn("5.10: automatic collision cover", "policy", ac.PolicyID, "err", ac.Err)
				} else if ac.Version != 0 {
					s.log.Info("5.10: collision cover added", "policy", ac.PolicyID, "version", ac.Version, "valid_from", ac.ValidFrom.String())
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
