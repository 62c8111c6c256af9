package httpapi

import (
	"context"
	"net/http"

	"roadcover"
	"roadcover/desk"
	"roadcover/store"
)

// createToken is POST /v1/tokens: {"role", "partner", "label"} → the token,
// shown once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := desk.ReadTokenRequest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		t, secret, err := s.desk.CreateToken(ctx, tx, req)
		if err != nil {
			return reply{}, err
		}
		out := map[string]any{"id": t.ID, "role": t.Role, "partner": t.Partner,
			"label": t.Label, "created_at": t.CreatedAt, "token": secret}
		if t.Role == RoleClaims {
			out["payment_limit"] = roadcover.FormatMinor(t.PaymentLimit)
		}
		rp, err := jsonReply(http.StatusCreated, out)
		return withSecret(rp, "token"), err
	})
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
	req, err := desk.ReadPartnerRequest(body, s.cfg.AllowPrivateWebhooks)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		pt, secret, err := s.desk.CreatePartner(ctx, tx, req)
		if err != nil {
			return reply{}, err
		}
		out := map[string]any{"id": pt.ID, "name": pt.Name, "webhook_url": pt.WebhookURL,
			"created_at": pt.CreatedAt, "webhook_secret": secret}
		if pt.Phone != "" {
			out["phone"] = pt.Phone
		}
		if len(pt.Trucks) > 0 {
			out["trucks"] = pt.Trucks
		}
		if len(pt.Plates) > 0 {
			out["plates"] = pt.Plates
		}
		rp, err := jsonReply(http.StatusCreated, out)
		return withSecret(rp, "webhook_secret"), err
	})
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
