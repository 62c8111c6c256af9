package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/assistance"
	"roadcover/insurance"
	"roadcover/store"
)

// requestLang is ?lang= when given, else the first supported language of
// Accept-Language, else "" (the engine's default for the body).
func requestLang(r *http.Request) string {
	if l := requestLangQuery(r); l != "" {
		return l
	}
	if h := r.Header.Get("Accept-Language"); h == "" {
		return ""
	} else if l, ok := acceptLanguage(h); ok {
		return string(l)
	}
	return ""
}

// acceptLanguage picks the supported language with the highest q value.
func acceptLanguage(h string) (roadcover.Language, bool) {
	best, bestQ := roadcover.Language(""), -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if l, ok := roadcover.ParseLanguage(strings.TrimSpace(tag)); ok && q > bestQ && q > 0 {
			best, bestQ = l, q
		}
	}
	return best, best != ""
}

// decide is POST /v1/assistance/decisions: the body and answer of
// `assist decide`.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := requestLang(r)
	run := func() (reply, error) {
		out, dec, err := assistance.DecideJSONWith(body, lang, s.cfg.Env)
		s.countDecision(dec.Covered, err, pathStateless)
		if err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusOK, body: out}, nil
	}
	if r.Header.Get("Idempotency-Key") == "" {
		rp, err := run()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rp.write(w)
		return
	}
	s.commit(w, r, p, body, func(context.Context, store.Tx) (reply, error) { return run() })
}

func (s *Server) countDecision(covered bool, err error, path int) {
	var ie *roadcover.InputError
	switch {
	case errors.As(err, &ie):
		s.metrics.decision(outcomeInvalid, path)
	case err != nil:
		s.metrics.decision(outcomeError, path)
	case covered:
		s.metrics.decision(outcomeCovered, path)
	default:
		s.metrics.decision(outcomeNotCovered, path)
	}
}

// Paths of countDecision.
const (
	pathStateless = 0
	pathCase      = 1
)

// settle is POST /v1/claims/settlements: the body and answer of
// `claim settle`.
func (s *Server) settle(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := requestLang(r)
	run := func() (reply, error) {
		out, err := insurance.SettleJSON(body, lang)
		if err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusOK, body: out}, nil
	}
	if r.Header.Get("Idempotency-Key") == "" {
		rp, err := run()
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rp.write(w)
		return
	}
	s.commit(w, r, p, body, func(context.Context, store.Tx) (reply, error) { return run() })
}
