package httpapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/store"
)

// Sign-in sessions of named accounts. The session's secret travels only in
// an HttpOnly, SameSite=Strict cookie (Secure, with the __Host- prefix, when
// the service is reached over TLS); the store keeps its SHA-256. A request
// that changes something with a session must come from the console's own
// origin (Origin, or Sec-Fetch-Site) and carry the session's request token
// in X-CSRF-Token, which the sign-in answer and GET /v1/session give. API
// tokens (Authorization: Bearer) are for machines and need neither.

// Session cookie names: with TLS the __Host- prefix binds the cookie to
// this host and path /, and requires Secure.
const (
	cookieTLS   = "__Host-roadcover_session"
	cookiePlain = "roadcover_session"
	// CSRFHeader carries the session's request token.
	CSRFHeader = "X-CSRF-Token"
)

// sessionCookie is the session secret a request carries, "" without one.
func sessionCookie(r *http.Request) string {
	for _, name := range []string{cookieTLS, cookiePlain} {
		if c, err := r.Cookie(name); err == nil && strings.HasPrefix(c.Value, authtoken.SessionPrefix) {
			return c.Value
		}
	}
	return ""
}

// overTLS reports whether the caller reached the service over TLS (here,
// or at the proxy that PublicURL names).
func (s *Server) overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.cfg.PublicURL, "https://")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string, expires time.Time) {
	name, secure := cookiePlain, false
	if s.overTLS(r) {
		name, secure = cookieTLS, true
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: secret, Path: "/", Expires: expires, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteStrictMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	for _, name := range []string{cookieTLS, cookiePlain} {
		if _, err := r.Cookie(name); err == nil {
			http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
				Secure: name == cookieTLS, SameSite: http.SameSiteStrictMode})
		}
	}
}

var errSessionEnded = roadcover.Errorf(roadcover.CodeUnauthorized, "the session has ended; sign in again")

// sessionPrincipal finds the account of a session cookie; an ended
// session is deleted and its cookie cleared.
func (s *Server) sessionPrincipal(w http.ResponseWriter, r *http.Request, secret string) (principal, error) {
	ctx := r.Context()
	hash := authtoken.Hash(secret)
	var sess store.Session
	var acc store.Account
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if sess, err = tx.SessionByHash(ctx, hash); err != nil {
			return err
		}
		acc, err = tx.GetAccount(ctx, sess.AccountID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		s.clearSessionCookie(w, r)
		return principal{}, errSessionEnded
	}
	if err != nil {
		return principal{}, err
	}
	if !s.desk.SessionLive(sess) || acc.Disabled {
		s.st.Update(ctx, func(tx store.Tx) error { return tx.DeleteSession(ctx, hash) })
		s.clearSessionCookie(w, r)
		return principal{}, errSessionEnded
	}
	if s.desk.SessionNeedsTouch(sess) {
		now := s.now().UTC().Truncate(time.Microsecond)
		err := s.st.Update(ctx, func(tx store.Tx) error { return tx.TouchSession(ctx, hash, now) })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return principal{}, err
		}
		sess.LastSeenAt = now
	}
	return principal{tok: store.Token{ID: acc.ID, Role: acc.Role, Label: acc.Name, PaymentLimit: acc.PaymentLimit}, account: &acc,
		session: &signedIn{secret: secret, rec: sess}}, nil
}

// sessionRoutes are what an account whose password change is due may
// still do.
var sessionRoutes = map[string]bool{
	"GET /v1/session": true, "DELETE /v1/session": true, "POST /v1/session/password": true,
}

// checkSessionRequest refuses, for a request with a session cookie, a
// change from another origin or without the session's request token, and
// anything but choosing a password while a password change is due.
func (s *Server) checkSessionRequest(r *http.Request, p principal, pattern string) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		if err := s.checkOrigin(r); err != nil {
			return err
		}
		if !authtoken.CheckCSRF(p.session.secret, r.Header.Get(CSRFHeader)) {
			return forbidden("send the session's request token in " + CSRFHeader + " (GET /v1/session gives it)")
		}
	}
	if p.account.PasswordChangeDue && !sessionRoutes[pattern] {
		return forbidden("choose your own password first (POST /v1/session/password)")
	}
	return nil
}

// checkOrigin refuses a browser request sent from a page of another
// origin: its Origin header, or else its Sec-Fetch-Site header, says so.
func (s *Server) checkOrigin(r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" {
		if o == "null" || !s.sameOrigin(r, o) {
			return forbidden("the request comes from another origin (" + o + ")")
		}
		return nil
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
		return nil
	default:
		return forbidden("the request comes from another site")
	}
}

// sameOrigin reports whether origin is the service's own: the origin the
// request was sent to, or that of PublicURL.
func (s *Server) sameOrigin(r *http.Request, origin string) bool {
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	if strings.EqualFold(origin, scheme+"://"+r.Host) {
		return true
	}
	if u, err := url.Parse(s.cfg.PublicURL); err == nil && u.Host != "" && strings.EqualFold(origin, u.Scheme+"://"+u.Host) {
		return true
	}
	return false
}

// sessionDoc is what GET /v1/session and a sign-in answer.
type sessionDoc struct {
	Kind              string     `json:"kind"` // "account" or "token"
	ID                string     `json:"id"`
	Name              string     `json:"name,omitempty"`
	Email             string     `json:"email,omitempty"`
	Role              string     `json:"role"`
	Partner           string     `json:"partner,omitempty"`
	PasswordChangeDue bool       `json:"password_change_due"`
	CSRFToken         string     `json:"csrf_token,omitempty"`
	EndsAt            *time.Time `json:"ends_at,omitempty"`    // unless used before (idle timeout)
	ExpiresAt         *time.Time `json:"expires_at,omitempty"` // at the latest
}

func (s *Server) sessionDocOf(acc store.Account, sess store.Session, secret string) sessionDoc {
	ends, exp := s.desk.SessionEnds(sess), sess.ExpiresAt
	return sessionDoc{Kind: "account", ID: acc.ID, Name: acc.Name, Email: acc.Email, Role: acc.Role,
		PasswordChangeDue: acc.PasswordChangeDue, CSRFToken: authtoken.CSRFToken(secret), EndsAt: &ends, ExpiresAt: &exp}
}

// getSession is GET /v1/session: who the caller is (an account with its
// session's request token, or an API token).
func (s *Server) getSession(w http.ResponseWriter, r *http.Request, p principal) {
	if p.session == nil {
		writeJSON(w, http.StatusOK, sessionDoc{Kind: "token", ID: p.tok.ID, Name: p.tok.Label, Role: p.tok.Role, Partner: p.tok.Partner})
		return
	}
	writeJSON(w, http.StatusOK, s.sessionDocOf(*p.account, p.session.rec, p.session.secret))
}

var errNoSession = conflict("an API token has no session: revoke it with POST /v1/tokens/{id}/revoke")

// signOut is DELETE /v1/session: the session ends and its cookie is cleared.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, p principal) {
	if p.session == nil {
		s.fail(w, r, errNoSession)
		return
	}
	err := s.st.Update(r.Context(), func(tx store.Tx) error {
		err := tx.DeleteSession(r.Context(), authtoken.Hash(p.session.secret))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}

var errWrongPassword = func() error {
	e := &roadcover.InputError{Code: roadcover.CodeUnauthorized}
	e.Errors = append(e.Errors, roadcover.FieldError{Field: "password", Code: roadcover.CodeUnauthorized,
		Detail: "the email or the password is wrong"})
	return e
}()

// tooMany is a 429 with Retry-After until t.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, until time.Time, detail string) {
	secs := int(until.Sub(s.now()).Seconds()) + 1
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.fail(w, r, roadcover.Errorf(roadcover.CodeTooManyRequests, detail+"; try again in "+strconv.Itoa(max(secs/60, 1))+" min"))
}

// signIn is POST /v1/session: {"email", "password"} → a session cookie and
// the session's document. Repeated wrong passwords lock the account for a
// while, and an address that keeps failing is refused for a while.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	if err := checkMediaType(r, jsonTypes); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.checkOrigin(r); err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := desk.ReadSignIn(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	addr := clientAddr(r)
	if until, blocked := s.signins.blocked(addr, s.now()); blocked {
		s.tooMany(w, r, until, "too many failed sign-ins from this address")
		return
	}
	var acc store.Account
	err = s.st.View(ctx, func(tx store.Tx) error {
		var err error
		acc, err = tx.AccountByEmail(ctx, in.Email)
		return err
	})
	// A disabled account is answered as an unknown email is: the same
	// refusal, the same work, and no count of wrong passwords that could
	// lock it and so tell that it exists.
	found := err == nil && !acc.Disabled
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	if found {
		if until, locked := s.desk.LockedUntil(acc); locked {
			s.signins.fail(addr, s.now())
			s.tooMany(w, r, until, "too many wrong passwords for this account")
			return
		}
	}
	var ok bool
	if found {
		ok = authtoken.CheckPassword(acc.PasswordHash, in.Password)
	} else {
		authtoken.CheckNoPassword(in.Password)
	}
	if !ok {
		s.signins.fail(addr, s.now())
		if found {
			err := s.st.Update(ctx, func(tx store.Tx) error {
				_, err := s.desk.SignInFailed(ctx, tx, acc.ID)
				return err
			})
			if err != nil {
				s.fail(w, r, err)
				return
			}
		}
		s.fail(w, r, errWrongPassword)
		return
	}
	secret := authtoken.New(authtoken.SessionPrefix)
	var sess store.Session
	err = s.st.Update(ctx, func(tx store.Tx) error {
		var err error
		acc, sess, err = s.desk.StartSession(ctx, tx, acc.ID, authtoken.Hash(secret))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, r, secret, sess.ExpiresAt)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, s.sessionDocOf(acc, sess, secret))
}

// changePassword is POST /v1/session/password: {"current_password",
// "new_password"}. The account's other sessions end; this one goes on
// with a new secret (a new cookie and request token).
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p principal) {
	if p.session == nil {
		s.fail(w, r, conflict("an API token has no password"))
		return
	}
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	acc := *p.account
	in, err := desk.ReadPasswordChange(body, acc.Email)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if until, locked := s.desk.LockedUntil(acc); locked {
		s.tooMany(w, r, until, "too many wrong passwords for this account")
		return
	}
	if !authtoken.CheckPassword(acc.PasswordHash, in.Current) {
		err := s.st.Update(ctx, func(tx store.Tx) error {
			_, err := s.desk.SignInFailed(ctx, tx, acc.ID)
			return err
		})
		if err == nil {
			err = invalid("current_password", "is not the account's password")
		}
		s.fail(w, r, err)
		return
	}
	hash := authtoken.HashPassword(in.New)
	secret := authtoken.New(authtoken.SessionPrefix)
	var sess store.Session
	err = s.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if acc, err = s.desk.ChangePassword(ctx, tx, acc.ID, hash, authtoken.Hash(secret)); err != nil {
			return err
		}
		sess, err = tx.SessionByHash(ctx, authtoken.Hash(secret))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, r, secret, sess.ExpiresAt)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.sessionDocOf(acc, sess, secret))
}

// clientAddr is the caller's IP address (the connection's; a proxy in
// front makes every caller one address, which only makes the limit
// stricter).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Sign-in limits per address: AddrMaxFailures failed sign-ins within
// AddrWindow block the address for AddrBlock.
const (
	AddrMaxFailures = 20
	AddrWindow      = 15 * time.Minute
	AddrBlock       = 15 * time.Minute
)

// signinLimiter counts failed sign-ins per address in memory (one server
// process; the per-account lock is in the store and holds across servers).
type signinLimiter struct {
	mu sync.Mutex
	m  map[string]*addrFailures
}

type addrFailures struct {
	since   time.Time // start of the window
	n       int
	blocked time.Time
}

func newSigninLimiter() *signinLimiter { return &signinLimiter{m: map[string]*addrFailures{}} }

func (l *signinLimiter) blocked(addr string, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f := l.m[addr]; f != nil && now.Before(f.blocked) {
		return f.blocked, true
	}
	return time.Time{}, false
}

func (l *signinLimiter) fail(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 100000 {
		for k, f := range l.m {
			if now.Sub(f.since) > AddrWindow && now.After(f.blocked) {
				delete(l.m, k)
			}
		}
	}
	f := l.m[addr]
	if f == nil || now.Sub(f.since) > AddrWindow {
		f = &addrFailures{since: now}
		l.m[addr] = f
	}
	f.n++
	if f.n >= AddrMaxFailures {
		f.blocked = now.Add(AddrBlock)
		f.n, f.since = 0, now
	}
}

// pruneSessions deletes the sessions that ended (RunBackground).
func (s *Server) pruneSessions(ctx context.Context) error {
	return s.st.Update(ctx, func(tx store.Tx) error {
		_, err := s.desk.PruneSessions(ctx, tx)
		return err
	})
}
