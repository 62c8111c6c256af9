package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"roadcover/desk"
	"roadcover/sqlite"
	"roadcover/store"
)

// accountETag reads an account's ETag as an administrator.
func (e *env) accountETag(id string) string {
	e.t.Helper()
	r := e.do("GET", "/v1/accounts/"+id, RoleAdmin, "")
	e.wantStatus(r, http.StatusOK, "get account")
	return r.header.Get("ETag")
}

// TestDisableEndsSessionAtOnce: an administrator disables an account with a
// live session; the session's next request is refused, and the account's
// sign-in with its right password gets exactly the answer of an unknown
// email, however often (no lock that would tell it exists). Enabled again,
// it signs in.
func TestDisableEndsSessionAtOnce(t *testing.T) {
	e := newEnv(t)
	e.newAccount(RoleAdmin, "ada@desk.example", "Ada's long passphrase")
	ada, _ := e.signIn("ada@desk.example", "Ada's long passphrase")
	olga := e.newAccount(RoleOperator, "olga@desk.example", "Olga's long passphrase")
	sess, _ := e.signIn("olga@desk.example", "Olga's long passphrase")
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusOK, "olga's session")

	tag := e.accountETag(olga.ID)
	r := e.do("PATCH", "/v1/accounts/"+olga.ID, "", `{"disabled": true}`, ada.hdr(true, "If-Match", tag)...)
	e.wantStatus(r, http.StatusOK, "disable")
	if m := r.json(t); m["disabled"] != true || r.header.Get("ETag") == tag || r.header.Get("ETag") != etag(int64(m["version"].(float64))) {
		t.Fatalf("disabled: %s (ETag %s)", r.body, r.header.Get("ETag"))
	}
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusUnauthorized, "the disabled account's session")
	e.wantStatus(e.do("PATCH", "/v1/accounts/"+olga.ID, "", `{"name": "Stale"}`, ada.hdr(true, "If-Match", tag)...),
		http.StatusPreconditionFailed, "a change from a stale ETag")

	unknown := e.do("POST", "/v1/session", "", `{"email": "nobody@desk.example", "password": "Olga's long passphrase"}`)
	for i := range desk.MaxFailedSignIns + 2 {
		_, r := e.signIn("olga@desk.example", "Olga's long passphrase")
		if r.status != unknown.status || !bytes.Equal(r.body, unknown.body) {
			t.Fatalf("sign-in %d of a disabled account: %d %s, unknown email: %d %s", i, r.status, r.body, unknown.status, unknown.body)
		}
	}
	if a := e.storedAccount(olga.ID); a.FailedSignIns != 0 {
		t.Fatalf("a disabled account counts %d wrong passwords", a.FailedSignIns)
	}

	e.wantStatus(e.do("PATCH", "/v1/accounts/"+olga.ID, RoleAdmin, `{"disabled": false}`, "If-Match", "*"), http.StatusOK, "enable")
	if _, r := e.signIn("olga@desk.example", "Olga's long passphrase"); r.status != http.StatusCreated {
		t.Fatalf("sign-in after enabling: %d %s", r.status, r.body)
	}
	doc := e.do("GET", "/v1/accounts/"+olga.ID, RoleAdmin, "").json(t)
	var kinds []string
	for _, ev := range doc["events"].([]any) {
		kinds = append(kinds, ev.(map[string]any)["kind"].(string))
	}
	if !slices.Equal(kinds, []string{desk.EventAccountEnabled, desk.EventAccountDisabled, desk.EventAccountCreated}) {
		t.Fatalf("events %v", kinds)
	}
	disabled := doc["events"].([]any)[1].(map[string]any)
	if disabled["actor_name"] != "Test admin" || disabled["data"].(map[string]any)["sessions_ended"] != 1.0 || doc["last_sign_in_at"] == nil {
		t.Fatalf("the disabling event %v; account %v", disabled, doc)
	}
}

func (e *env) storedAccount(id string) store.Account {
	e.t.Helper()
	var a store.Account
	if err := e.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		a, err = tx.GetAccount(context.Background(), id)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return a
}

// TestLastAdminProtected: an administrator may not disable or demote their
// own account, nobody may disable or demote the last enabled
// administrator's account, and a role taken away works at once.
func TestLastAdminProtected(t *testing.T) {
	e := newEnv(t)
	ada := e.newAccount(RoleAdmin, "ada@desk.example", "Ada's long passphrase")
	sess, _ := e.signIn("ada@desk.example", "Ada's long passphrase")
	for _, body := range []string{`{"disabled": true}`, `{"role": "operator"}`} {
		r := e.do("PATCH", "/v1/accounts/"+ada.ID, "", body, sess.hdr(true, "If-Match", "*")...)
		e.wantStatus(r, http.StatusConflict, "own "+body)
		if !strings.Contains(string(r.body), "your own account") {
			t.Fatalf("own %s: %s", body, r.body)
		}
		r = e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, body, "If-Match", "*")
		e.wantStatus(r, http.StatusConflict, "last administrator "+body)
		if !strings.Contains(string(r.body), "last enabled administrator") {
			t.Fatalf("last administrator %s: %s", body, r.body)
		}
	}
	// A disabled administrator does not count.
	bea := e.do("POST", "/v1/accounts", "", `{"email": "bea@desk.example", "name": "Bea", "role": "admin"}`, sess.hdr(true)...)
	e.wantStatus(bea, http.StatusCreated, "second administrator")
	beaID := bea.json(t)["id"].(string)
	e.wantStatus(e.do("PATCH", "/v1/accounts/"+beaID, "", `{"disabled": true}`, sess.hdr(true, "If-Match", bea.header.Get("ETag"))...),
		http.StatusOK, "disable bea")
	e.wantStatus(e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, `{"role": "operator"}`, "If-Match", "*"), http.StatusConflict,
		"demote ada with bea disabled")
	e.wantStatus(e.do("PATCH", "/v1/accounts/"+beaID, "", `{"disabled": false}`, sess.hdr(true, "If-Match", "*")...), http.StatusOK, "enable bea")
	r := e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, `{"role": "operator"}`, "If-Match", "*")
	e.wantStatus(r, http.StatusOK, "demote ada with bea enabled")
	// Ada's session has the operator's rights from its next request on.
	e.wantStatus(e.do("GET", "/v1/accounts/"+beaID, "", "", sess.hdr(false)...), http.StatusForbidden, "ada's session after the demotion")
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusOK, "ada as an operator")
	list := e.do("GET", "/v1/accounts", "", "", sess.hdr(false)...)
	if e.wantStatus(list, http.StatusOK, "list as an operator"); strings.Contains(string(list.body), "last_sign_in_at") {
		t.Fatalf("an operator sees when others signed in: %s", list.body)
	}
	if list := e.do("GET", "/v1/accounts", RoleAdmin, ""); !strings.Contains(string(list.body), "last_sign_in_at") {
		t.Fatalf("an administrator does not see when accounts signed in: %s", list.body)
	}
	// A change for the wrong role names its field.
	r = e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, `{"payment_limit": "500.00", "name": " "}`, "If-Match", "*")
	if e.wantStatus(r, http.StatusUnprocessableEntity, "bad change"); !slices.Equal(problemFields(t, r), []string{"name"}) {
		t.Fatalf("bad change: %s", r.body)
	}
	r = e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, `{"payment_limit": "500.00"}`, "If-Match", "*")
	if e.wantStatus(r, http.StatusUnprocessableEntity, "limit of an operator"); !slices.Equal(problemFields(t, r), []string{"payment_limit"}) {
		t.Fatalf("limit of an operator: %s", r.body)
	}
	r = e.do("PATCH", "/v1/accounts/"+ada.ID, RoleAdmin, `{"role": "claims_handler", "payment_limit": "500.00"}`, "If-Match", "*")
	if e.wantStatus(r, http.StatusOK, "claims handler with a limit"); r.json(t)["payment_limit"] != "500.00" {
		t.Fatalf("claims handler: %s", r.body)
	}
}

// TestResetPassword: a reset's one-time password is shown once, ends the
// account's sessions, works once and then only for choosing a new
// password; a repeat with the same Idempotency-Key neither shows it again
// nor resets again, and neither the idempotency record nor the store file
// holds it.
func TestResetPassword(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnvOn(t, st)
	e.newAccount(RoleAdmin, "ada@desk.example", "Ada's long passphrase")
	ada, _ := e.signIn("ada@desk.example", "Ada's long passphrase")
	olga := e.newAccount(RoleOperator, "olga@desk.example", "Olga's long passphrase")
	old, _ := e.signIn("olga@desk.example", "Olga's long passphrase")

	reset := func() resp {
		return e.do("POST", "/v1/accounts/"+olga.ID+"/password-reset", "", "", ada.hdr(true, "Idempotency-Key", "reset-olga-1")...)
	}
	first := reset()
	e.wantStatus(first, http.StatusOK, "reset")
	pw, _ := first.json(t)["one_time_password"].(string)
	if len(pw) < 20 || first.json(t)["password_change_due"] != true || first.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset: %s %v", first.body, first.header)
	}
	version := e.storedAccount(olga.ID).Version
	again := reset()
	e.wantStatus(again, http.StatusOK, "reset again")
	if m := again.json(t); m["one_time_password"] != "" || m["secret_shown_once"] != true || bytes.Contains(again.body, []byte(pw)) ||
		again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a repeat shows the password again: %s", again.body)
	}
	if v := e.storedAccount(olga.ID).Version; v != version {
		t.Fatalf("a repeat reset again: version %d, was %d", v, version)
	}
	err = st.View(context.Background(), func(tx store.Tx) error {
		adaAcc, err := tx.AccountByEmail(context.Background(), "ada@desk.example")
		if err != nil {
			return err
		}
		rec, err := tx.GetIdempotency(context.Background(), adaAcc.ID, "reset-olga-1")
		if err == nil && bytes.Contains(rec.Response, []byte(pw)) {
			t.Error("the idempotency record keeps the one-time password")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// Olga's session ended; her own password is no longer hers.
	e.wantStatus(e.do("GET", "/v1/queue", "", "", old.hdr(false)...), http.StatusUnauthorized, "the session before the reset")
	if _, r := e.signIn("olga@desk.example", "Olga's long passphrase"); r.status != http.StatusUnauthorized {
		t.Fatalf("the password before the reset: %d", r.status)
	}
	// The one-time password signs in once, for choosing a new password.
	sess, r := e.signIn("olga@desk.example", pw)
	if r.status != http.StatusCreated || r.json(t)["password_change_due"] != true {
		t.Fatalf("sign-in with the one-time password: %d %s", r.status, r.body)
	}
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusForbidden, "work before choosing a password")
	ch := e.do("POST", "/v1/session/password", "", `{"current_password": "`+pw+`", "new_password": "Olga's new passphrase"}`, sess.hdr(true)...)
	e.wantStatus(ch, http.StatusOK, "choose a password")
	if _, r := e.signIn("olga@desk.example", pw); r.status != http.StatusUnauthorized {
		t.Fatalf("the one-time password a second time: %d", r.status)
	}
	if _, r := e.signIn("olga@desk.example", "Olga's new passphrase"); r.status != http.StatusCreated || r.json(t)["password_change_due"] != false {
		t.Fatalf("the chosen password: %d %s", r.status, r.body)
	}

	// The record names who did what, and holds no secret.
	doc := e.do("GET", "/v1/accounts/"+olga.ID, RoleAdmin, "")
	e.wantStatus(doc, http.StatusOK, "account")
	var kinds []string
	for _, ev := range doc.json(t)["events"].([]any) {
		m := ev.(map[string]any)
		kinds = append(kinds, m["kind"].(string))
		if m["kind"] == desk.EventPasswordReset && m["actor_name"] != "Test admin" {
			t.Errorf("the reset by %v", m)
		}
	}
	if !slices.Equal(kinds, []string{desk.EventPasswordChanged, desk.EventPasswordReset, desk.EventAccountCreated}) {
		t.Fatalf("events %v", kinds)
	}
	if bytes.Contains(doc.body, []byte(pw)) || bytes.Contains(doc.body, []byte("argon2")) || bytes.Contains(doc.body, []byte("passphrase")) {
		t.Fatalf("the account's page holds a secret: %s", doc.body)
	}
	// An administrator does not reset their own password.
	adaID := e.do("GET", "/v1/session", "", "", ada.hdr(false)...).json(t)["id"].(string)
	e.wantStatus(e.do("POST", "/v1/accounts/"+adaID+"/password-reset", "", "", ada.hdr(true)...), http.StatusConflict, "own reset")

	st.Close()
	raw, _ := os.ReadFile(path)
	wal, _ := os.ReadFile(path + "-wal")
	if bytes.Contains(raw, []byte(pw)) || bytes.Contains(wal, []byte(pw)) {
		t.Fatal("the store file holds the one-time password in clear")
	}
}
