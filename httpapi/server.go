// Package httpapi implements the assistance desk's HTTP contract
// (spec/service.md): stateless decisions and settlements, cases with their
// timeline, customer choices, dispatch jobs with signed partner webhooks,
// driver tracking links, bearer-token access by role, idempotent POSTs,
// RFC 9457 problem documents and the OpenAPI 3.1 document at
// /v1/openapi.json.
//
// Every change is made inside one store transaction together with its
// timeline event, its webhook delivery and its idempotency record; a 2xx is
// written only after that transaction committed.
package httpapi

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/authtoken"
	"roadcover/claimsdesk"
	"roadcover/console"
	"roadcover/desk"
	"roadcover/store"

	"github.com/google/uuid"
)

// MaxBody is the largest request body accepted (413 above it).
const MaxBody = 1 << 20

// Config is what a Server needs.
type Config struct {
	Store store.Store
	Env   assistance.Env // facts providers for decisions (facts.Env)
	Log   *slog.Logger
	// PublicURL prefixes tracking-link URLs ("https://desk.example"); empty
	// means the scheme and Host of the request that made the link.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TokenCacheTTL bounds how long a looked-up token is trusted without
	// asking the store again (a revoked token stops working within it).
	// Zero means 2 seconds; negative disables the cache.
	TokenCacheTTL time.Duration
	// WebhookClient sends webhook deliveries; nil means a client with a
	// 10-second timeout.
	WebhookClient *http.Client
	// Payables takes the payment orders the claims desk releases, in the
	// transaction that releases them (the ledger); nil refuses releases.
	Payables claimsdesk.PayableRecorder
}

// Server is the desk's HTTP service.
type Server struct {
	cfg     Config
	st      store.Store
	log     *slog.Logger
	now     func() time.Time
	mux     *http.ServeMux
	metrics *metrics
	tokens  *tokenCache
	hooks   *Dispatcher
	desk    *desk.Desk
	claims  *claimsdesk.Desk
	// patterns are the routes of the API (for the test that each is in
	// the OpenAPI document).
	patterns []string
	// mediaTypes are the body media types of the routes that read another
	// than JSON (multipart receipts, XML bank reports).
	mediaTypes map[string][]string
}

// New builds a server over cfg.Store.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, st: cfg.Store, log: cfg.Log, now: cfg.Now, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	ttl := cfg.TokenCacheTTL
	if ttl == 0 {
		ttl = 2 * time.Second
	}
	s.tokens = newTokenCache(ttl)
	s.desk = NewDesk(cfg.Env, s.now)
	s.claims = NewClaimsDesk(s.now, cfg.Payables)
	s.metrics = newMetrics()
	s.hooks = newDispatcher(s.st, cfg.WebhookClient, s.log, s.now, s.metrics)
	s.routes()
	return s
}

// Handler is the whole service with its middleware.
func (s *Server) Handler() http.Handler { return s.middleware(s.mux) }

// Dispatcher is the webhook dispatcher; Run it next to the HTTP server.
func (s *Server) Dispatcher() *Dispatcher { return s.hooks }

// HTTPServer wraps the handler in an http.Server with the service's timeouts.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnContext:       withRawConn,
	}
}

// rawConnKey is the context key of the connection's syscall.RawConn.
type rawConnKey struct{}

// withRawConn keeps the TCP connection's RawConn in its context, for
// writeRaw to cork large answers (cork_linux.go).
func withRawConn(ctx context.Context, c net.Conn) context.Context {
	if !corkSupported {
		return ctx
	}
	if w, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = w.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		if rc, err := tc.SyscallConn(); err == nil {
			return context.WithValue(ctx, rawConnKey{}, rc)
		}
	}
	return ctx
}

// Roles.
const (
	RoleAdmin    = desk.RoleAdmin
	RoleOperator = desk.RoleOperator
	RoleClaims   = desk.RoleClaims
	RoleIntake   = desk.RoleIntake
	RolePartner  = desk.RolePartner
)

// Roles lists the token roles.
var Roles = desk.Roles

// NewDesk is the desk with the service's sources: the clock now,
// time-ordered UUIDs for record ids and crypto/rand secrets.
func NewDesk(env assistance.Env, now func() time.Time) *desk.Desk {
	return desk.New(env, desk.Sources{Clock: now, NewID: newID,
		NewSecret: func(prefix string) (string, []byte) {
			secret := authtoken.New(prefix)
			return secret, authtoken.Hash(secret)
		}})
}

// newID returns a time-ordered unique id with a prefix.
func newID(prefix string) string {
	return prefix + uuid.Must(uuid.NewV7()).String()
}

// Desk is the desk the server runs.
func (s *Server) Desk() *desk.Desk { return s.desk }

func (s *Server) routes() {
	m := s.mux
	// Open.
	open := func(pattern string, h http.Handler) {
		m.Handle(pattern, h)
		s.patterns = append(s.patterns, pattern)
	}
	open("GET /healthz", http.HandlerFunc(s.healthz))
	open("GET /readyz", http.HandlerFunc(s.readyz))
	open("GET /metrics", s.metrics.handler())
	open("GET /v1/openapi.json", http.HandlerFunc(serveOpenAPI))
	open("GET /v1/track/{token}", http.HandlerFunc(s.track))

	// Stateless.
	s.handle("POST /v1/assistance/decisions", s.decide, RoleAdmin, RoleOperator)
	s.handle("POST /v1/claims/settlements", s.settle, RoleAdmin, RoleClaims)

	// Cases.
	s.handle("POST /v1/cases", s.createCase, RoleAdmin, RoleOperator, RoleIntake)
	s.handle("GET /v1/cases", s.listCases, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/cases/{id}", s.getCase, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("PATCH /v1/cases/{id}", s.patchCase, RoleAdmin, RoleOperator)
	s.handle("GET /v1/cases/{id}/events", s.caseEvents, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/cases/{id}/facts/{no}", s.caseDocument(store.DocFacts), RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/cases/{id}/decisions/{no}", s.caseDocument(store.DocDecision), RoleAdmin, RoleOperator, RoleClaims)
	s.handle("POST /v1/cases/{id}/choices", s.choose, RoleAdmin, RoleOperator)
	s.handle("POST /v1/cases/{id}/close", s.closeCase, RoleAdmin, RoleOperator)
	s.handle("POST /v1/cases/{id}/reopen", s.reopenCase, RoleAdmin, RoleOperator)
	s.handle("POST /v1/cases/{id}/jobs", s.createJob, RoleAdmin, RoleOperator)
	s.handle("POST /v1/cases/{id}/tracking-links", s.createTrackingLink, RoleAdmin, RoleOperator)

	// Jobs.
	s.handle("GET /v1/jobs", s.listJobs, RoleAdmin, RoleOperator, RolePartner)
	s.handle("GET /v1/jobs/{id}", s.getJob, RoleAdmin, RoleOperator, RolePartner)
	s.handle("PATCH /v1/jobs/{id}", s.patchJob, RoleAdmin, RoleOperator, RolePartner)
	s.handle("GET /v1/jobs/{id}/deliveries", s.jobDeliveries, RoleAdmin, RoleOperator)

	// Administration.
	s.handle("POST /v1/tokens", s.createToken, RoleAdmin)
	s.handle("GET /v1/tokens", s.listTokens, RoleAdmin)
	s.handle("POST /v1/tokens/{id}/revoke", s.revokeToken, RoleAdmin)
	s.handle("POST /v1/partners", s.createPartner, RoleAdmin)
	s.handle("GET /v1/partners", s.listPartners, RoleAdmin)

	// Insurance policies and claims (insurance.go).
	s.insuranceRoutes()

	if debugRoutes != nil {
		debugRoutes(m)
	}
	m.Handle(console.Prefix, console.Handler(console.Options{Store: s.st, Sites: s.cfg.Env.Sites}))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowedMethods(r); allow != "" {
			w.Header().Set("Allow", allow)
			s.fail(w, r, roadcover.Errorf(roadcover.CodeMethodNotAllowed,
				r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+allow))
			return
		}
		s.fail(w, r, notFound("no such resource: "+r.URL.Path))
	})
}

// allowedMethods lists the methods that have a route for r's path other than
// the catch-all, for a 405 answer with its Allow header; "" when none has.
func (s *Server) allowedMethods(r *http.Request) string {
	var allow []string
	for _, method := range [...]string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if method == r.Method {
			continue
		}
		probe := r.WithContext(r.Context())
		probe.Method = method
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, method)
		}
	}
	return strings.Join(allow, ", ")
}

// debugRoutes mounts the runtime profiles in a build with -tags pprof
// (pprof.go); nil in the default build.
var debugRoutes func(*http.ServeMux)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		s.log.Warn("readyz: store unreachable", "err", err)
		s.fail(w, r, unavailable("the store is not reachable"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "store": s.st.Kind()})
}
