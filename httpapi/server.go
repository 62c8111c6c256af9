// Package httpapi implements the assistance desk's HTTP contract
// (spec/service.md): stateless decisions and settlements, cases with their
// timeline, customer choices, dispatch jobs with signed partner webhooks,
// driver tracking links, payment batches and their bank files (payments.go),
// bearer-token access by role, idempotent POSTs, RFC 9457 problem documents
// and the OpenAPI 3.1 document at /v1/openapi.json.
//
// Every change is made inside one store transaction together with its
// timeline event, its webhook delivery (and the background job that sends
// it) and its idempotency record; a 2xx is written only after that
// transaction committed.
package httpapi

import (
	"cmp"
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
	"roadcover/payments"
	"roadcover/store"

	"github.com/google/uuid"
)

// MaxBody is the largest request body accepted (413 above it).
const MaxBody = 1 << 20

// Config is what a Server needs.
type Config struct {
	Store store.Store
	Env   assistance.Env // facts providers for decisions (world.Env)
	Log   *slog.Logger
	// PublicURL prefixes tracking-link URLs ("https://desk.example"); empty
	// means the scheme and Host of the request that made the link.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// TokenCacheTTL is how long a looked-up token is trusted without asking
	// the store again. Zero or negative means no cache: every request asks
	// the store, so a token revoked anywhere (the command line, another
	// server) stops working at once.
	TokenCacheTTL time.Duration
	// AllowPrivateWebhooks lets partners' webhook URLs name loopback and
	// private addresses (a test, a partner inside the same network);
	// refused otherwise.
	AllowPrivateWebhooks bool
	// WebhookClient sends webhook deliveries; nil means a client with a
	// 10-second timeout.
	WebhookClient *http.Client
	// DeskPhone is the desk's number on the driver's page; empty means
	// ROADCOVER_DESK_PHONE, else a sample number (console.SampleDeskPhone).
	DeskPhone string
	// StreamPoll and Heartbeat pace the driver's event streams; zero means
	// DefaultStreamPoll and DefaultHeartbeat.
	StreamPoll, Heartbeat time.Duration
	// ResponseTime is how soon after the call help should be at the car;
	// the queue marks open cases past it. Zero means desk.DefaultResponseTime.
	ResponseTime time.Duration
	// WebhookRetryBase is the wait after a webhook delivery's first failed
	// attempt, doubled after each further one (at most an hour); zero
	// means 5 seconds.
	WebhookRetryBase time.Duration
	// JobPollInterval is how often the background workers look for jobs
	// (on SQLite the only way; on PostgreSQL besides River's notices);
	// zero means 1 second.
	JobPollInterval time.Duration
	// Payments is money out: the approval policy and our debtor accounts
	// (payments.go). Without debtor accounts no batch can be made.
	Payments payments.Config
	// Receipts are the rates, calendar and ledger of receipts (zero: the
	// rates and calendar of Env, no ledger).
	Receipts desk.ReceiptSetup
	// OCR reads receipt images into a suggestion of amount, date and
	// merchant (tesseract.Reader); nil reads none.
	OCR ReceiptReader
	// OCRTimeout bounds one reading; zero means DefaultOCRTimeout.
	OCRTimeout time.Duration
	// Payables takes the payment orders the claims desk releases, in the
	// transaction that releases them; nil means the ledger (Payments).
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
	signins *signinLimiter
	hooks   *webhookWorker
	desk    *desk.Desk
	pay     *payments.Service
	claims  *claimsdesk.Desk
	// patterns are the routes of the API (for the test that each is in
	// the OpenAPI document).
	patterns []string
	// mediaTypes are the body media types of the routes that read another
	// than JSON (multipart receipts, XML bank reports).
	mediaTypes map[string][]string
	// The driver's page and its event streams (driver.go).
	driver                *console.Driver
	changes               *changes
	streams               streamCount
	streamPoll, heartbeat time.Duration
	// bodyLimits are the body limits of the routes that read more than
	// MaxBody (receipt uploads), by pattern; bodyLimitTails the last
	// segments of their paths, so that other requests skip the lookup.
	bodyLimits     map[string]int64
	bodyLimitTails map[string]bool
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
	if ttl <= 0 {
		ttl = -1
	}
	s.tokens = newTokenCache(ttl)
	s.signins = newSigninLimiter()
	s.desk = NewDesk(cfg.Env, s.now)
	s.desk.AllowPrivateWebhooks = cfg.AllowPrivateWebhooks
	s.metrics = newMetrics()
	if cfg.WebhookClient == nil {
		cfg.WebhookClient = WebhookHTTPClient(cfg.AllowPrivateWebhooks)
		s.cfg.WebhookClient = cfg.WebhookClient
	}
	s.driver = console.NewDriver(console.DriverOptions{DeskPhone: cfg.DeskPhone})
	s.changes = newChanges()
	s.streamPoll, s.heartbeat = cmp.Or(cfg.StreamPoll, DefaultStreamPoll), cmp.Or(cfg.Heartbeat, DefaultHeartbeat)
	s.hooks = newWebhookWorker(s.st, cfg.WebhookClient, s.log, s.now, s.metrics, cfg.WebhookRetryBase)
	s.pay = payments.New(cfg.Payments, s.now)
	// What receipts and claims owe goes to the ledger, in their own
	// transactions, unless the configuration names another taker.
	s.desk.Receipts = cfg.Receipts
	if s.desk.Receipts.Payables == nil {
		s.desk.Receipts.Payables = payments.Receipts{S: s.pay}
	}
	if s.desk.Receipts.Paid == nil {
		s.desk.Receipts.Paid = payments.Receipts{S: s.pay}
	}
	payables := cfg.Payables
	if payables == nil {
		payables = payments.Claims{S: s.pay}
	}
	s.claims = NewClaimsDesk(s.now, payables)
	s.routes()
	return s
}

// Handler is the whole service with its middleware.
func (s *Server) Handler() http.Handler { return s.middleware(s.mux) }

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
	RolePayments = desk.RolePayments
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
	s.mediaTypes = map[string][]string{
		"POST /v1/payment-batches/{id}/status-report": {"application/xml", "text/xml"},
	}
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
	s.driverRoutes(open)

	// Sign-in sessions of named accounts.
	open("POST /v1/session", http.HandlerFunc(s.signIn))
	s.handle("GET /v1/session", s.getSession, Roles...)
	s.handle("DELETE /v1/session", s.signOut, Roles...)
	s.handle("POST /v1/session/password", s.changePassword, Roles...)

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
	s.handle("POST /v1/cases/{id}/owner", s.setOwner, RoleAdmin, RoleOperator)
	s.handle("POST /v1/cases/{id}/notes", s.addNote, RoleAdmin, RoleOperator)
	s.handle("GET /v1/cases/{id}/partners", s.casePartners, RoleAdmin, RoleOperator)
	s.handle("GET /v1/queue", s.queue, RoleAdmin, RoleOperator)
	s.handle("GET /v1/places", s.searchPlaces, RoleAdmin, RoleOperator)
	s.handle("GET /v1/places/describe", s.describePlace, RoleAdmin, RoleOperator)

	// Jobs.
	s.handle("GET /v1/jobs", s.listJobs, RoleAdmin, RoleOperator, RolePartner)
	s.handle("GET /v1/jobs/{id}", s.getJob, RoleAdmin, RoleOperator, RolePartner)
	s.handle("PATCH /v1/jobs/{id}", s.patchJob, RoleAdmin, RoleOperator, RolePartner)
	s.handle("GET /v1/jobs/{id}/deliveries", s.jobDeliveries, RoleAdmin, RoleOperator)

	// Money out (payments.go).
	s.paymentRoutes()
	// Receipts.
	s.receiptRoutes()

	// Administration.
	s.handle("POST /v1/tokens", s.createToken, RoleAdmin)
	s.handle("GET /v1/tokens", s.listTokens, RoleAdmin)
	s.handle("POST /v1/tokens/{id}/revoke", s.revokeToken, RoleAdmin)
	s.handle("POST /v1/partners", s.createPartner, RoleAdmin)
	s.handle("GET /v1/partners", s.listPartners, RoleAdmin)
	s.handle("POST /v1/accounts", s.createAccount, RoleAdmin)
	s.handle("GET /v1/accounts", s.listAccounts, RoleAdmin, RoleOperator, RoleClaims, RolePayments)
	s.handle("GET /v1/accounts/{id}", s.getAccount, RoleAdmin)
	s.handle("PATCH /v1/accounts/{id}", s.patchAccount, RoleAdmin)
	s.handle("POST /v1/accounts/{id}/password-reset", s.resetPassword, RoleAdmin)

	// Insurance policies and claims (insurance.go).
	s.insuranceRoutes()

	if debugRoutes != nil {
		debugRoutes(m)
	}
	m.Handle(console.Prefix, console.Handler(console.Options{Sites: s.cfg.Env.Sites,
		ResponseTime: s.responseTime()}))
	// The service's root leads to the console.
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, console.Prefix, http.StatusFound)
	})
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
		s.log.Warn("readyz: the store cannot write", "err", err)
		s.fail(w, r, unavailable("the store is not reachable or cannot write"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "store": s.st.Kind()})
}
