package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/jsonin"
	"roadcover/store"
)

var partnerID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// createToken is POST /v1/tokens: {"role", "partner", "label"} → the token,
// shown once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	role, okR := o.Enum("role", Roles...)
	partner, _ := o.String("partner")
	label, _ := o.String("label")
	o.Done()
	if !okR && !errs.Has("role") {
		errs.Add("role", roadcover.CodeInvalidInput, "required: admin, operator, claims_handler, intake or partner")
	}
	if role == RolePartner && partner == "" {
		errs.Add("partner", roadcover.CodeInvalidInput, "required for the partner role")
	}
	if role != RolePartner && role != "" && partner != "" {
		errs.Add("partner", roadcover.CodeInvalidInput, "only for the partner role")
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		if partner != "" {
			if _, err := tx.GetPartner(ctx, partner); errors.Is(err, store.ErrNotFound) {
				return reply{}, invalid("partner", fmt.Sprintf("no partner %q", partner))
			} else if err != nil {
				return reply{}, err
			}
		}
		t, secret, err := CreateToken(ctx, tx, role, partner, label, s.now())
		if err != nil {
			return reply{}, err
		}
		return jsonReply(http.StatusCreated, map[string]any{"id": t.ID, "role": t.Role, "partner": t.Partner,
			"label": t.Label, "created_at": t.CreatedAt, "token": secret})
	})
}

// CreateToken stores a new token and returns it with its secret, which is
// not kept.
func CreateToken(ctx context.Context, tx store.Tx, role, partner, label string, now time.Time) (store.Token, string, error) {
	secret, hash := NewToken()
	t := store.Token{ID: NewTokenID(), Hash: hash, Role: role, Partner: partner, Label: label, CreatedAt: now.UTC()}
	if err := tx.InsertToken(ctx, t); err != nil {
		return t, "", fmt.Errorf("httpapi: create token: %w", err)
	}
	return t, secret, nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, p principal) {
	var ts []store.Token
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		ts, err = tx.ListTokens(r.Context())
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ts == nil {
		ts = []store.Token{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		if err := tx.RevokeToken(ctx, id); err != nil {
			return reply{}, err
		}
		return jsonReply(http.StatusOK, map[string]any{"id": id, "revoked": true})
	})
	s.tokens.forget(id)
}

// createPartner is POST /v1/partners: {"id", "name", "webhook_url"} → the
// partner with its webhook secret, shown once.
func (s *Server) createPartner(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	id, okID := o.String("id")
	name, okN := o.String("name")
	hook, _ := o.String("webhook_url")
	o.Done()
	if (!okID || !partnerID.MatchString(id)) && !errs.Has("id") {
		errs.Add("id", roadcover.CodeInvalidInput, "required: 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit")
	}
	if (!okN || name == "") && !errs.Has("name") {
		errs.Add("name", roadcover.CodeInvalidInput, "required")
	}
	if hook != "" {
		if u, err := url.Parse(hook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs.Add("webhook_url", roadcover.CodeInvalidInput, "must be an absolute http or https URL")
		}
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		pt, secret, err := CreatePartner(ctx, tx, id, name, hook, s.now())
		if errors.Is(err, store.ErrConflict) {
			return reply{}, conflict(fmt.Sprintf("the partner %q exists", id))
		}
		if err != nil {
			return reply{}, err
		}
		return jsonReply(http.StatusCreated, map[string]any{"id": pt.ID, "name": pt.Name, "webhook_url": pt.WebhookURL,
			"created_at": pt.CreatedAt, "webhook_secret": secret})
	})
}

// CreatePartner stores a partner with a fresh webhook secret.
func CreatePartner(ctx context.Context, tx store.Tx, id, name, hook string, now time.Time) (store.Partner, string, error) {
	secret := authtoken.New(authtoken.WebhookPrefix)
	pt := store.Partner{ID: id, Name: name, WebhookURL: hook, Secret: []byte(secret), CreatedAt: now.UTC()}
	if err := tx.InsertPartner(ctx, pt); err != nil {
		return pt, "", fmt.Errorf("httpapi: create partner: %w", err)
	}
	return pt, secret, nil
}

func (s *Server) listPartners(w http.ResponseWriter, r *http.Request, p principal) {
	var ps []store.Partner
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		ps, err = tx.ListPartners(r.Context())
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ps == nil {
		ps = []store.Partner{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"partners": ps})
}
