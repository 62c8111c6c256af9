package httpapi

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"roadcover"
	"roadcover/store"
)

// principal is the authenticated caller: an API token, or a named account
// signed in with a session cookie (then tok stands for the account: its id
// and role, so that the timeline and idempotency keys name the account).
type principal struct {
	tok     store.Token
	account *store.Account
	session *signedIn
}

// signedIn is the session a request came with.
type signedIn struct {
	secret string // the cookie's value (its hash is what the store keeps)
	rec    store.Session
}

func (p principal) actor() store.Actor {
	return store.Actor{TokenID: p.tok.ID, Role: p.tok.Role, Partner: p.tok.Partner}
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, p principal)

// handle registers an endpoint that needs a bearer token of one of roles.
func (s *Server) handle(pattern string, h handlerFunc, roles ...string) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		info := infoOf(w)
		info.tokenID, info.role = p.tok.ID, p.tok.Role
		if p.session != nil {
			if err := s.checkSessionRequest(r, p, pattern); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if !slices.Contains(roles, p.tok.Role) {
			s.fail(w, r, forbidden("the role "+p.tok.Role+" may not "+pattern))
			return
		}
		if r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodPut {
			accepted := jsonTypes
			if mt, ok := s.mediaTypes[pattern]; ok {
				accepted = mt
			}
			if err := checkMediaType(r, accepted); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		h(w, r, p)
	})
}

var errUnauthorized = roadcover.Errorf(roadcover.CodeUnauthorized, "sign in, or send Authorization: Bearer <token> with a valid token")

// authenticate finds the caller: a bearer token when the request has an
// Authorization header, else the session of its cookie.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (principal, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		if c := sessionCookie(r); c != "" {
			return s.sessionPrincipal(w, r, c)
		}
	}
	scheme, secret, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return principal{}, errUnauthorized
	}
	key := sha256.Sum256([]byte(strings.TrimSpace(secret))) // = HashToken
	if t, ok := s.tokens.get(key, s.now()); ok {
		return principal{tok: t}, nil
	}
	hash := key[:]
	var t store.Token
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		t, err = tx.TokenByHash(r.Context(), hash)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return principal{}, errUnauthorized
	}
	if err != nil {
		return principal{}, err
	}
	if t.Revoked {
		return principal{}, errUnauthorized
	}
	s.tokens.put(key, t, s.now())
	return principal{tok: t}, nil
}

// tokenCache keeps looked-up tokens for a short time so that the hot
// stateless endpoints do not read the store on every request.
type tokenCache struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[[sha256.Size]byte]cachedToken
}

type cachedToken struct {
	t     store.Token
	until time.Time
}

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: map[[sha256.Size]byte]cachedToken{}}
}

func (c *tokenCache) get(key [sha256.Size]byte, now time.Time) (store.Token, bool) {
	if c.ttl < 0 {
		return store.Token{}, false
	}
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if !ok || now.After(e.until) {
		return store.Token{}, false
	}
	return e.t, true
}

func (c *tokenCache) put(key [sha256.Size]byte, t store.Token, now time.Time) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	if len(c.m) > 10000 {
		clear(c.m)
	}
	c.m[key] = cachedToken{t: t, until: now.Add(c.ttl)}
	c.mu.Unlock()
}

func (c *tokenCache) forget(id string) {
	c.mu.Lock()
	for k, e := range c.m {
		if e.t.ID == id {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
}
