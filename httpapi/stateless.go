package httpapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/store"
)

// requestLang is ?lang= when given, else the first supported language of
// Accept-Language, else "" (the engine's default for the body).
func requestLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	if l, ok := acceptLanguage(r.Header.Get("Accept-Language")); ok {
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
		out, err := decideJSON(body, lang, s.cfg.Env)
		if err != nil {
			s.countDecision(nil, err, "stateless")
			return reply{}, err
		}
		s.countDecision(out, nil, "stateless")
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

func (s *Server) countDecision(out []byte, err error, path string) {
	var ie *roadcover.InputError
	switch {
	case errors.As(err, &ie):
		s.metrics.decisions.WithLabelValues("invalid_input", path).Inc()
	case err != nil:
		s.metrics.decisions.WithLabelValues("error", path).Inc()
	default:
		switch {
		case coveredIn(out):
			s.metrics.decisions.WithLabelValues("covered", path).Inc()
		default:
			s.metrics.decisions.WithLabelValues("not_covered", path).Inc()
		}
	}
}

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
		out, err := settleJSON(body, lang)
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

// coveredIn reads the top-level "covered" of a decision document without
// decoding all of it (the engine writes it before the entitlements).
func coveredIn(doc []byte) bool {
	i := bytes.Index(doc, []byte(`"covered"`))
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(doc[i+len(`"covered"`):], " \t\r\n:")
	return bytes.HasPrefix(rest, []byte("true"))
}
