package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/jsonin"
	"roadcover/store"
)

// NewAccount is NewAccountBy with the desk itself as who created the
// account.
func NewAccount(ctx context.Context, st store.Store, d *desk.Desk, r desk.AccountRequest) (store.Account, string, error) {
	return NewAccountBy(ctx, st, d, desk.System, r)
}

// NewAccountBy creates a named account, recorded as made by by. Without
// r.Password it makes a one-time password, returned to be handed over
// once, which the account must change at its first sign-in. The password
// is hashed (argon2id) before the transaction.
func NewAccountBy(ctx context.Context, st store.Store, d *desk.Desk, by desk.Actor, r desk.AccountRequest) (store.Account, string, error) {
	password, oneTime := r.Password, ""
	if password == "" {
		oneTime = authtoken.NewPassword()
		password = oneTime
	}
	hash := authtoken.HashPassword(password)
	var a store.Account
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		a, err = d.CreateAccountBy(ctx, tx, by, r, hash, oneTime != "")
		return err
	})
	return a, oneTime, err
}

// FirstAdminEmail is the email of the administrator's account serve
// creates on a fresh store (unless told another).
const FirstAdminEmail = "admin@localhost"

// EnsureFirstAccount creates an administrator's account with a one-time
// password when the store holds no account; it returns the account and
// the password to show once, or a zero account when there were accounts.
func EnsureFirstAccount(ctx context.Context, st store.Store, d *desk.Desk, email, name string) (store.Account, string, error) {
	var has bool
	if err := st.View(ctx, func(tx store.Tx) error {
		var err error
		has, err = desk.HasAccounts(ctx, tx)
		return err
	}); err != nil || has {
		return store.Account{}, "", err
	}
	if email == "" {
		email = FirstAdminEmail
	}
	if name == "" {
		name = "Administrator"
	}
	a, pw, err := NewAccount(ctx, st, d, desk.AccountRequest{Email: email, Name: name, Role: desk.RoleAdmin})
	if err != nil {
		return store.Account{}, "", fmt.Errorf("httpapi: first account: %w", err)
	}
	return a, pw, nil
}

// createAccount is POST /v1/accounts: {"email", "name", "role",
// "password"?} → the account, with its one-time password when none was
// given.
func (s *Server) createAccount(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := desk.ReadAccountRequest(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	oneTime := ""
	if req.Password == "" {
		oneTime = authtoken.NewPassword()
		req.Password = oneTime
	}
	hash := authtoken.HashPassword(req.Password)
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		a, err := s.desk.CreateAccountBy(ctx, tx, p.actor(), req, hash, oneTime != "")
		if err != nil {
			return reply{}, err
		}
		rp, err := s.accountWithPassword(http.StatusCreated, a, oneTime)
		if err != nil {
			return reply{}, err
		}
		rp.header["Location"] = accountPath(a.ID)
		return rp, nil
	})
}

func accountPath(id string) string { return "/v1/accounts/" + id }

// accountWithPassword is the administrator's view of an account with its
// one-time password, if it has one to show: shown once, never kept in an
// idempotency record.
func (s *Server) accountWithPassword(status int, a store.Account, oneTime string) (reply, error) {
	type withPassword struct {
		desk.AccountView
		OneTimePassword string `json:"one_time_password,omitempty"`
	}
	rp, err := jsonReply(status, withPassword{AccountView: s.desk.AdminView(a), OneTimePassword: oneTime})
	if err != nil {
		return reply{}, err
	}
	if oneTime != "" {
		rp = withSecret(rp, "one_time_password")
	}
	rp.header = map[string]string{"ETag": etag(a.Version), "Cache-Control": "no-store"}
	return rp, nil
}

// listAccounts is GET /v1/accounts: the desk's people (names, roles), for
// assigning cases and naming who did what.
func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request, p principal) {
	var as []store.Account
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		as, err = tx.ListAccounts(r.Context())
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]desk.AccountView, len(as))
	for i, a := range as {
		if p.tok.Role == RoleAdmin {
			out[i] = s.desk.AdminView(a)
		} else {
			out[i] = desk.ViewOf(a)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
}

// accountDoc is GET /v1/accounts/{id}: the account as administrators see
// it, with its latest events.
type accountDoc struct {
	desk.AccountView
	Events []desk.AccountEventView `json:"events"`
}

// getAccount is GET /v1/accounts/{id}.
func (s *Server) getAccount(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	ctx := r.Context()
	var a store.Account
	var evs []store.AccountEvent
	names := map[string]string{}
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if a, err = tx.GetAccount(ctx, id); errors.Is(err, store.ErrNotFound) {
			return notFound("no account " + roadcover.Quote(id))
		} else if err != nil {
			return err
		}
		if evs, err = desk.AccountEvents(ctx, tx, id, desk.RecentAccountEvents); err != nil {
			return err
		}
		as, err := tx.ListAccounts(ctx)
		for _, x := range as {
			names[x.ID] = x.Name
		}
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(a.Version))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, accountDoc{AccountView: s.desk.AdminView(a), Events: desk.EventViewsOf(evs, names)})
}

// accountIfMatch reads the version an If-Match names for a change of the
// account id (0 for "*"); required says a missing If-Match is refused
// (428, once the account is known to exist).
func (s *Server) accountIfMatch(r *http.Request, id string, required bool) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		if !required {
			return 0, nil
		}
		err := s.st.View(r.Context(), func(tx store.Tx) error { _, err := tx.GetAccount(r.Context(), id); return err })
		if errors.Is(err, store.ErrNotFound) {
			return 0, notFound("no account " + roadcover.Quote(id))
		}
		if err == nil {
			err = roadcover.Errorf(roadcover.CodePreconditionReq, "send If-Match with the account's ETag (its version)")
		}
		return 0, err
	}
	if v == "*" {
		return 0, nil
	}
	n, ok := etagVersion(v)
	if !ok || n < 1 {
		return 0, invalid("If-Match", `must be one ETag of the account, such as "3", or *`)
	}
	return n, nil
}

// patchAccount is PATCH /v1/accounts/{id}: a JSON merge patch of {"name",
// "role", "payment_limit", "disabled"}, guarded by If-Match.
func (s *Server) patchAccount(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, err := s.accountIfMatch(r, id, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	change, err := desk.ReadAccountChange(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		a, err := s.desk.ChangeAccount(ctx, tx, p.actor(), id, version, change)
		if err != nil {
			return reply{}, err
		}
		return s.accountWithPassword(http.StatusOK, a, "")
	})
}

// resetPassword is POST /v1/accounts/{id}/password-reset: the account gets
// a new one-time password, shown in this answer only, and its sessions
// end. If-Match is optional; the body is empty or {}.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(bytes.TrimSpace(body)) > 0 {
		errs := &roadcover.InputError{}
		jsonin.Parse(body, errs).Done()
		if err := errs.Err(); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	version, err := s.accountIfMatch(r, id, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	oneTime := authtoken.NewPassword()
	hash := authtoken.HashPassword(oneTime)
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		a, err := s.desk.ResetPassword(ctx, tx, p.actor(), id, version, hash)
		if err != nil {
			return reply{}, err
		}
		return s.accountWithPassword(http.StatusOK, a, oneTime)
	})
}
