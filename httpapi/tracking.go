package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/jsonin"
	"roadcover/store"
)

// Tracking links give a driver read access to the one case they were made
// for: a random 32-byte token in the URL, of which only the SHA-256 is
// stored, expiring after expires_in_hours (default 48, at most 720).

const (
	defaultLinkHours = 48
	maxLinkHours     = 720
)

// createTrackingLink is POST /v1/cases/{id}/tracking-links.
func (s *Server) createTrackingLink(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hours := int64(defaultLinkHours)
	errs := &roadcover.InputError{}
	if len(strings.TrimSpace(string(body))) > 0 {
		o := jsonin.Parse(body, errs)
		if h, ok := o.Int("expires_in_hours"); ok {
			if h < 1 || h > maxLinkHours {
				errs.Add("expires_in_hours", roadcover.CodeInvalidInput, "must be from 1 to 720")
			}
			hours = h
		}
		o.Done()
	}
	if err := errs.Err(); err != nil {
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
		if _, err := tx.GetCase(ctx, id); err != nil {
			return reply{}, err
		}
		token := authtoken.New(authtoken.TrackingPrefix)
		now := s.now().UTC()
		l := store.TrackingLink{Hash: HashToken(token), CaseID: id, CreatedAt: now,
			ExpiresAt: now.Add(time.Duration(hours) * time.Hour).Truncate(time.Second)}
		if err := tx.InsertTrackingLink(ctx, l); err != nil {
			return reply{}, err
		}
		if err := s.event(ctx, tx, id, p, "tracking_link_created", map[string]any{"expires_at": l.ExpiresAt}); err != nil {
			return reply{}, err
		}
		return jsonReply(http.StatusCreated, map[string]any{
			"url": strings.TrimRight(base, "/") + "/v1/track/" + token, "token": token, "expires_at": l.ExpiresAt})
	})
}

// trackView is what a driver sees.
type trackView struct {
	CaseID       string            `json:"case_id"`
	Status       string            `json:"status"`
	Language     string            `json:"language"`
	Covered      bool              `json:"covered"`
	ETA          *time.Time        `json:"eta,omitempty"`
	Jobs         []trackJob        `json:"jobs"`
	Entitlements []json.RawMessage `json:"entitlements"`
	Choices      []trackChoice     `json:"choices"`
	ExpiresAt    time.Time         `json:"expires_at"`
}

type trackJob struct {
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	Failure   string     `json:"failure,omitempty"`
	ETA       *time.Time `json:"eta,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
}

type trackChoice struct {
	Group string `json:"group"`
	Code  string `json:"code"`
}

// track is GET /v1/track/{token}: no bearer token; 404 for a token that is
// unknown or expired.
func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	hash := HashToken(r.PathValue("token"))
	var (
		link    store.TrackingLink
		c       store.Case
		jobs    []store.Job
		choices []store.Choice
	)
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		if link, err = tx.TrackingLinkByHash(r.Context(), hash); err != nil {
			return err
		}
		if !s.now().Before(link.ExpiresAt) {
			return store.ErrNotFound
		}
		if c, err = tx.GetCase(r.Context(), link.CaseID); err != nil {
			return err
		}
		if jobs, err = tx.ListJobs(r.Context(), "", c.ID); err != nil {
			return err
		}
		choices, err = tx.Choices(r.Context(), c.ID)
		return err
	})
	if err != nil {
		s.fail(w, r, notFoundIf(err))
		return
	}
	lang := driverLang(r, c)
	decision := c.Decision
	if out, err := decideJSON(c.Facts, string(lang), s.cfg.Env); err == nil {
		decision = out // the same facts, explained in the driver's language
	} else {
		s.log.Warn("track: re-explaining the decision failed; showing the stored one", "case", c.ID, "err", err)
	}
	d, _, err := readDecision(decision)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := trackView{CaseID: c.ID, Status: c.Status, Language: d.Language, Covered: d.Covered, Jobs: []trackJob{},
		Entitlements: d.Entitlements, Choices: []trackChoice{}, ExpiresAt: link.ExpiresAt}
	if v.Language == "" {
		v.Language = string(lang)
	}
	if v.Entitlements == nil {
		v.Entitlements = []json.RawMessage{}
	}
	for _, j := range jobs {
		v.Jobs = append(v.Jobs, trackJob{Kind: j.Kind, Status: j.Status, Failure: j.Failure, ETA: j.ETA, UpdatedAt: j.UpdatedAt})
		if j.ETA != nil && j.Status != JobCompleted && j.Status != JobFailed && (v.ETA == nil || j.ETA.Before(*v.ETA)) {
			v.ETA = j.ETA
		}
	}
	for _, ch := range choices {
		v.Choices = append(v.Choices, trackChoice{Group: ch.Group, Code: ch.Code})
	}
	w.Header().Set("Content-Language", v.Language)
	writeJSON(w, http.StatusOK, v)
}

// notFoundIf hides every failure to find a link behind one 404.
func notFoundIf(err error) error {
	if p := problemOf(err); p.Status == http.StatusNotFound {
		return notFound("no such tracking link, or it has expired")
	}
	return err
}

// driverLang is ?lang=, else Accept-Language, else the case's language,
// else English.
func driverLang(r *http.Request, c store.Case) roadcover.Language {
	if l, ok := roadcover.ParseLanguage(r.URL.Query().Get("lang")); ok {
		return l
	}
	if l, ok := acceptLanguage(r.Header.Get("Accept-Language")); ok {
		return l
	}
	var f struct {
		Language string `json:"language"`
	}
	json.Unmarshal(c.Facts, &f)
	if l, ok := roadcover.ParseLanguage(f.Language); ok {
		return l
	}
	return roadcover.English
}
