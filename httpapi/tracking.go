package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/store"
)

// createTrackingLink is POST /v1/cases/{id}/tracking-links.
func (s *Server) createTrackingLink(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hours, err := desk.ReadLinkRequest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.cfg.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		l, err := s.desk.CreateLink(ctx, tx, p.actor(), id, hours)
		if err != nil {
			return reply{}, err
		}
		rp, err := jsonReply(http.StatusCreated, map[string]any{
			"url": strings.TrimRight(base, "/") + "/v1/track/" + l.Token, "token": l.Token, "expires_at": l.ExpiresAt})
		rp = withSecret(rp, "token")
		if m, ok := redactedURL(rp.kept); ok {
			rp.kept = m
		}
		return rp, err
	})
}

// track is GET /v1/track/{token}: no bearer token; one 404 for a link that
// is unknown, expired or of a closed case. A browser that asks for HTML
// gets the driver's page (driver.go).
func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Vary", "Accept, Accept-Language")
	hash := authtoken.Hash(r.PathValue("token"))
	lang := driverLang(r)
	v, err := s.driverView(r.Context(), hash, lang)
	if wantsHTML(r) {
		s.trackPage(w, r, &v, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Language", string(v.Language))
	writeRaw(w, http.StatusOK, "application/json", v.AppendJSON(make([]byte, 0, 8<<10)))
}

// driverLang is ?lang=, else Accept-Language, else "" (the case's own).
func driverLang(r *http.Request) roadcover.Language {
	if l, ok := roadcover.ParseLanguage(requestLangQuery(r)); ok {
		return l
	}
	if l, ok := acceptLanguage(r.Header.Get("Accept-Language")); ok {
		return l
	}
	return ""
}

// redactedURL empties the url of a kept tracking-link answer (it holds the
// token).
func redactedURL(kept []byte) ([]byte, bool) {
	var m map[string]any
	if json.Unmarshal(kept, &m) != nil {
		return nil, false
	}
	m["url"] = ""
	b, err := json.Marshal(m)
	return b, err == nil
}
