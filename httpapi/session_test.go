package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover/desk"
	"roadcover/store"
)

// A signed-in session as a browser holds it: the cookie and the request
// token.
type browserSession struct {
	cookie, csrf string
}

// hdr are the headers a browser sends with the session; change adds the
// request token (as the console does for POST, PATCH, DELETE).
func (b browserSession) hdr(change bool, more ...string) []string {
	h := []string{"Cookie", b.cookie}
	if change {
		h = append(h, CSRFHeader, b.csrf)
	}
	return append(h, more...)
}

// newAccount creates a named account with a password of its own.
func (e *env) newAccount(role, email, password string) store.Account {
	e.t.Helper()
	a, _, err := NewAccount(context.Background(), e.st, e.srv.Desk(), desk.AccountRequest{Email: email, Name: "Test " + role, Role: role, Password: password})
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// signIn signs in and returns the session (the response, when it failed).
func (e *env) signIn(email, password string, hdr ...string) (browserSession, resp) {
	e.t.Helper()
	r := e.do("POST", "/v1/session", "", `{"email": "`+email+`", "password": "`+password+`"}`, hdr...)
	if r.status != http.StatusCreated {
		return browserSession{}, r
	}
	var cookie string
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, cookiePlain+"=") {
			cookie, _, _ = strings.Cut(c, ";")
		}
	}
	if cookie == "" {
		e.t.Fatalf("sign-in set no session cookie: %v", r.header.Values("Set-Cookie"))
	}
	return browserSession{cookie: cookie, csrf: r.json(e.t)["csrf_token"].(string)}, r
}

// TestSignInSession covers an account from sign-in to sign-out: the
// cookie's attributes, who the session is, changes that need the request
// token and the service's own origin, the one-time password to change
// first, the idle and absolute ends, and sign-out.
func TestSignInSession(t *testing.T) {
	e := newEnv(t)
	a, oneTime, err := NewAccount(context.Background(), e.st, e.srv.Desk(), desk.AccountRequest{Email: "Op@Desk.Example", Name: "Olga Operator", Role: RoleOperator})
	if err != nil || oneTime == "" {
		t.Fatalf("account %+v, one-time password %q: %v", a, oneTime, err)
	}
	sess, r := e.signIn("op@desk.example", oneTime)
	e.wantStatus(r, http.StatusCreated, "sign in")
	set := strings.Join(r.header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("Set-Cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Secure") || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Set-Cookie %q over plain HTTP; Cache-Control %q", set, r.header.Get("Cache-Control"))
	}
	doc := r.json(t)
	if doc["kind"] != "account" || doc["id"] != a.ID || doc["role"] != RoleOperator || doc["password_change_due"] != true {
		t.Fatalf("session %s", r.body)
	}
	var stored []store.Session
	e.st.View(context.Background(), func(tx store.Tx) error {
		s, err := tx.SessionByHash(context.Background(), []byte(strings.TrimPrefix(sess.cookie, cookiePlain+"=")))
		if err == nil {
			stored = append(stored, s)
		}
		return nil
	})
	if len(stored) != 0 {
		t.Fatal("the store keeps the session's secret itself, not its hash")
	}

	// While the one-time password stands, only choosing a password is allowed.
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusForbidden, "queue before the password change")
	e.wantStatus(e.do("GET", "/v1/session", "", "", sess.hdr(false)...), http.StatusOK, "session before the password change")
	e.wantStatus(e.do("POST", "/v1/session/password", "", `{"current_password": "`+oneTime+`", "new_password": "a new long passphrase"}`,
		sess.hdr(false)...), http.StatusForbidden, "password change without the request token")
	short := e.do("POST", "/v1/session/password", "", `{"current_password": "`+oneTime+`", "new_password": "short"}`, sess.hdr(true)...)
	if e.wantStatus(short, http.StatusUnprocessableEntity, "short password"); !slices.Equal(problemFields(t, short), []string{"new_password"}) {
		t.Errorf("short password: %s", short.body)
	}
	ch := e.do("POST", "/v1/session/password", "", `{"current_password": "`+oneTime+`", "new_password": "a new long passphrase"}`, sess.hdr(true)...)
	e.wantStatus(ch, http.StatusOK, "password change")
	// The old session ended; the change gave a new cookie and token.
	e.wantStatus(e.do("GET", "/v1/session", "", "", sess.hdr(false)...), http.StatusUnauthorized, "the session before the change")
	if _, r := e.signIn("op@desk.example", oneTime); r.status != http.StatusUnauthorized {
		t.Fatalf("the one-time password still works: %d", r.status)
	}
	sess, r = e.signIn("op@desk.example", "a new long passphrase")
	e.wantStatus(r, http.StatusCreated, "sign in with the new password")

	// The session works as the account: its id is the actor.
	e.wantStatus(e.do("GET", "/v1/queue", "", "", sess.hdr(false)...), http.StatusOK, "queue")
	body := strings.Replace(sampleCase, "Test Driver", "Session Driver", 1)
	e.wantStatus(e.do("POST", "/v1/cases", "", body, sess.hdr(false)...), http.StatusForbidden, "create without the request token")
	e.wantStatus(e.do("POST", "/v1/cases", "", body, sess.hdr(true, "Origin", "https://evil.example")...), http.StatusForbidden, "create from another origin")
	e.wantStatus(e.do("POST", "/v1/cases", "", body, sess.hdr(true, "Sec-Fetch-Site", "cross-site")...), http.StatusForbidden, "create from another site")
	e.wantStatus(e.do("POST", "/v1/cases", "", body, sess.hdr(true, "Origin", "http://"+strings.TrimPrefix(e.ts.URL, "http://"))...),
		http.StatusCreated, "create from the console's origin")
	c := e.do("POST", "/v1/cases", "", body, sess.hdr(true)...)
	e.wantStatus(c, http.StatusCreated, "create")
	id := c.json(t)["id"].(string)
	evs := e.do("GET", "/v1/cases/"+id+"/events", "", "", sess.hdr(false)...).json(t)["events"].([]any)
	if actor := evs[0].(map[string]any)["actor"].(map[string]any); actor["token_id"] != a.ID || actor["role"] != RoleOperator {
		t.Fatalf("actor %v, want the account %s", actor, a.ID)
	}
	// A bearer token wins over a cookie and needs no request token.
	e.wantStatus(e.do("POST", "/v1/cases", RoleOperator, body, "Cookie", sess.cookie), http.StatusCreated, "token with a cookie")
	e.wantStatus(e.do("GET", "/v1/tokens", "", "", sess.hdr(false)...), http.StatusForbidden, "an operator's session on tokens")

	// The idle timeout, then the absolute end.
	e.advance(desk.DefaultSessionIdle - time.Minute)
	e.wantStatus(e.do("GET", "/v1/session", "", "", sess.hdr(false)...), http.StatusOK, "within the idle time")
	e.advance(desk.DefaultSessionIdle - time.Minute)
	e.wantStatus(e.do("GET", "/v1/session", "", "", sess.hdr(false)...), http.StatusOK, "used again within the idle time")
	e.advance(desk.DefaultSessionIdle)
	gone := e.do("GET", "/v1/session", "", "", sess.hdr(false)...)
	e.wantStatus(gone, http.StatusUnauthorized, "idle for the idle time")
	if !strings.Contains(strings.Join(gone.header.Values("Set-Cookie"), ";"), "Max-Age=0") {
		t.Errorf("an ended session's cookie is not cleared: %v", gone.header.Values("Set-Cookie"))
	}
	sess, _ = e.signIn("op@desk.example", "a new long passphrase")
	for range 2 * int(desk.DefaultSessionMax/desk.DefaultSessionIdle) {
		e.advance(desk.DefaultSessionIdle / 2)
		if r := e.do("GET", "/v1/session", "", "", sess.hdr(false)...); r.status != http.StatusOK {
			break
		}
	}
	if r := e.do("GET", "/v1/session", "", "", sess.hdr(false)...); r.status != http.StatusUnauthorized {
		t.Fatalf("a session in use past its absolute end: %d", r.status)
	}

	// Sign-out ends the session.
	sess, _ = e.signIn("op@desk.example", "a new long passphrase")
	e.wantStatus(e.do("DELETE", "/v1/session", "", "", sess.hdr(false)...), http.StatusForbidden, "sign-out without the request token")
	e.wantStatus(e.do("DELETE", "/v1/session", "", "", sess.hdr(true)...), http.StatusNoContent, "sign-out")
	e.wantStatus(e.do("GET", "/v1/session", "", "", sess.hdr(false)...), http.StatusUnauthorized, "after sign-out")
	e.wantStatus(e.do("DELETE", "/v1/session", RoleOperator, ""), http.StatusConflict, "sign-out of a token")
	if who := e.do("GET", "/v1/session", RolePartner, "").json(t); who["kind"] != "token" || who["role"] != RolePartner || who["partner"] != "p1" {
		t.Fatalf("a token's session: %v", who)
	}
}

// TestSignInLimits: wrong passwords lock the account (the right one is
// refused meanwhile, with Retry-After) until the lock ends; an unknown
// email and a wrong password answer alike; an address that keeps failing
// is refused for a while.
func TestSignInLimits(t *testing.T) {
	e := newEnv(t)
	e.newAccount(RoleAdmin, "admin@desk.example", "the admin's passphrase")
	unknown := e.do("POST", "/v1/session", "", `{"email": "nobody@desk.example", "password": "whatever it is"}`)
	wrong := e.do("POST", "/v1/session", "", `{"email": "admin@desk.example", "password": "not the passphrase"}`)
	e.wantStatus(unknown, http.StatusUnauthorized, "unknown email")
	e.wantStatus(wrong, http.StatusUnauthorized, "wrong password")
	if string(unknown.body) != string(wrong.body) {
		t.Errorf("an unknown email and a wrong password answer differently:\n%s\n%s", unknown.body, wrong.body)
	}
	for i := 2; i <= desk.MaxFailedSignIns; i++ {
		e.wantStatus(e.do("POST", "/v1/session", "", `{"email": "admin@desk.example", "password": "not the passphrase"}`), http.StatusUnauthorized, "wrong password")
	}
	locked := e.do("POST", "/v1/session", "", `{"email": "admin@desk.example", "password": "the admin's passphrase"}`)
	e.wantStatus(locked, http.StatusTooManyRequests, "right password on a locked account")
	if ra := locked.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	e.advance(desk.DefaultLockout)
	if _, r := e.signIn("admin@desk.example", "the admin's passphrase"); r.status != http.StatusCreated {
		t.Fatalf("after the lockout: %d %s", r.status, r.body)
	}
	// The address: unknown emails lock no account, but the address.
	for i := 0; i < AddrMaxFailures; i++ {
		e.do("POST", "/v1/session", "", `{"email": "guess`+string(rune('a'+i))+`@desk.example", "password": "whatever it is"}`)
	}
	e.wantStatus(e.do("POST", "/v1/session", "", `{"email": "admin@desk.example", "password": "the admin's passphrase"}`),
		http.StatusTooManyRequests, "from a blocked address")
	e.advance(AddrBlock)
	if _, r := e.signIn("admin@desk.example", "the admin's passphrase"); r.status != http.StatusCreated {
		t.Fatalf("after the address block: %d %s", r.status, r.body)
	}
	bad := e.do("POST", "/v1/session", "", `{"email": ""}`)
	if e.wantStatus(bad, http.StatusUnprocessableEntity, "empty sign-in"); !slices.Equal(problemFields(t, bad), []string{"email", "password"}) {
		t.Errorf("fields %v", problemFields(t, bad))
	}
	e.wantStatus(e.do("POST", "/v1/session", "", `{"email": "admin@desk.example", "password": "the admin's passphrase"}`, "Origin", "https://evil.example"),
		http.StatusForbidden, "sign-in from another origin")
}

// TestSecureCookie: over TLS (here: a public https URL) the cookie is
// Secure with the __Host- prefix.
func TestSecureCookie(t *testing.T) {
	e := newEnv(t)
	e.srv.cfg.PublicURL = "https://desk.example"
	e.newAccount(RoleOperator, "op@desk.example", "a long passphrase")
	r := e.do("POST", "/v1/session", "", `{"email": "op@desk.example", "password": "a long passphrase"}`, "Origin", "https://desk.example")
	e.wantStatus(r, http.StatusCreated, "sign in")
	set := r.header.Get("Set-Cookie")
	if !strings.HasPrefix(set, cookieTLS+"=") || !strings.Contains(set, "Secure") || !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Strict") {
		t.Fatalf("Set-Cookie %q", set)
	}
	cookie, _, _ := strings.Cut(set, ";")
	csrf := r.json(t)["csrf_token"].(string)
	e.wantStatus(e.do("POST", "/v1/cases", "", sampleCase, "Cookie", cookie, CSRFHeader, csrf, "Origin", "https://desk.example"),
		http.StatusCreated, "create from the public origin")
}

// TestAccounts: an administrator creates accounts (a one-time password
// when none is given); operators list them to assign cases.
func TestAccounts(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/accounts", RoleAdmin, `{"email": "Ana@Desk.Example", "name": "Ana Silva", "role": "operator"}`)
	e.wantStatus(r, http.StatusCreated, "create")
	m := r.json(t)
	pw, _ := m["one_time_password"].(string)
	if m["email"] != "ana@desk.example" || len(pw) != 23 || m["password_change_due"] != true || strings.Contains(string(r.body), "argon2") {
		t.Fatalf("created %s", r.body)
	}
	e.wantStatus(e.do("POST", "/v1/accounts", RoleAdmin, `{"email": "ana@desk.example", "name": "Ana again", "role": "admin"}`), http.StatusConflict, "taken email")
	own := e.do("POST", "/v1/accounts", RoleAdmin, `{"email": "bo@desk.example", "name": "Bo", "role": "claims_handler", "password": "Bo's own passphrase"}`)
	if e.wantStatus(own, http.StatusCreated, "with a password"); own.json(t)["one_time_password"] != nil || own.json(t)["password_change_due"] != false {
		t.Fatalf("with a password: %s", own.body)
	}
	list := e.do("GET", "/v1/accounts", RoleOperator, "")
	e.wantStatus(list, http.StatusOK, "list")
	if n := len(list.json(t)["accounts"].([]any)); n != 2 || strings.Contains(string(list.body), "hash") {
		t.Fatalf("list %s", list.body)
	}
	if _, r := e.signIn("ana@desk.example", pw); r.status != http.StatusCreated {
		t.Fatalf("sign in with the one-time password: %d", r.status)
	}
}
