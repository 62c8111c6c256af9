package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/store"
)

// NewAccount creates a named account. Without r.Password it makes a
// one-time password, returned to be handed over once, which the account
// must change at its first sign-in. The password is hashed (argon2id)
// before the transaction.
func NewAccount(ctx context.Context, st store.Store, d *desk.Desk, r desk.AccountRequest) (store.Account, string, error) {
	password, oneTime := r.Password, ""
	if password == "" {
		oneTime = authtoken.NewPassword()
		password = oneTime
	}
	hash := authtoken.HashPassword(password)
	var a store.Account
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		a, err = d.CreateAccount(ctx, tx, r, hash, oneTime != "")
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
		a, err := s.desk.CreateAccount(ctx, tx, req, hash, oneTime != "")
		if err != nil {
			return reply{}, err
		}
		type created struct {
			desk.AccountView
			OneTimePassword string `json:"one_time_password,omitempty"`
		}
		rp, err := jsonReply(http.StatusCreated, created{AccountView: desk.ViewOf(a), OneTimePassword: oneTime})
		if oneTime != "" {
			rp = withSecret(rp, "one_time_password") // shown once, never kept
		}
		rp.header = map[string]string{"Location": "/v1/accounts/" + a.ID}
		return rp, err
	})
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
		out[i] = desk.ViewOf(a)
	}
	writeJSON(w, http.StatusOK, map[string]any{"accounts": out})
}
