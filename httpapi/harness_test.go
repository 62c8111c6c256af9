package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"roadcover/assistance"
	"roadcover/desk"
	"roadcover/sqlite"
	"roadcover/store"
)

// sampleCase is a covered German case abroad that offers the 1.3 options
// and the repatriation alternatives.
const sampleCase = `{"market": "DE", "language": "de",
  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
  "contact": {"channel": "on_call", "name": "Test Driver", "phone": "+49 1"},
  "vehicle": {"registration": "M-RC 1", "model": "Polestar 2", "colour": "grey", "vin": "LPSVSEDEEML000001",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "warning light"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

// claimBody is the insurance contract's example claim.
const claimBody = `{"market": "SE", "occurred_at": "2026-03-10", "reported_at": "2026-03-11",
  "policy": {"covers": ["traffic", "fire", "glass", "theft", "machinery", "rescue", "legal", "collision", "bas"],
             "deductibles": {"fire": "1500", "glass": "1500", "theft": "1500", "rescue": "1500",
                             "collision": "3000", "detached_part": "3000"},
             "lowest_collision_deductible": "1000",
             "private_person": true, "bonus_class": 7, "claim_free_years": 2},
  "vehicle": {"first_registered": "2022-05-01", "model_year": 2022, "odometer_km": 61000,
              "alarm": "approved", "alloy_wheels": true, "locking_wheel_nuts": true,
              "missed_services": 0, "pv_warranty_at_start": true, "laid_up": false},
  "driver": {"age": 22, "is_policyholder": false, "licence": true, "intoxicated": false,
             "driving_ban": false, "gross_negligence": false, "intent": false},
  "incident": {"peril": "animal_collision", "country": "SE", "police_report": true, "animal": "moose"},
  "costs": {"repair_sek": "40000", "market_value_sek": "420000", "clothes_sek": "1200",
            "rental": {"days": 10, "daily_sek": "700", "km_sek": "300"}}}`

// env is one running service over a real SQLite store, with a token per
// role, two partners and a webhook receiver for the first.
type env struct {
	t       testing.TB
	srv     *Server
	st      store.Store
	ts      *httptest.Server
	router  routers.Router
	tokens  map[string]string // role (and "partner2") → secret
	secrets map[string]string // partner id → webhook secret
	hooks   *hookReceiver
	now     time.Time
	mu      sync.Mutex
}

type hookReceiver struct {
	mu       sync.Mutex
	fail     int // answer 500 to this many requests first
	got      []http.Header
	bodies   [][]byte
	attempts []http.Header // every request, answered 500 or not
	srv      *httptest.Server
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attempts = append(h.attempts, r.Header.Clone())
	if h.fail > 0 {
		h.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	h.got = append(h.got, r.Header.Clone())
	h.bodies = append(h.bodies, b)
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newEnvOn(t, st)
}

// newEnvOn is newEnv over another store.
func newEnvOn(t testing.TB, st store.Store) *env {
	t.Helper()
	return newEnvWith(t, st, assistance.Env{})
}

// newEnvWith is newEnv over another store and the engine's facts
// providers fenv.
func newEnvWith(t testing.TB, st store.Store, fenv assistance.Env) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, st: st, tokens: map[string]string{}, secrets: map[string]string{}, now: time.Now().UTC()}
	e.hooks = &hookReceiver{}
	e.hooks.srv = httptest.NewServer(e.hooks)
	t.Cleanup(e.hooks.srv.Close)
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	e.srv = New(Config{Store: st, Env: fenv, Log: log, Now: e.clock, TokenCacheTTL: -1, AllowPrivateWebhooks: true, Payments: SamplePayments(),
		WebhookRetryBase: 10 * time.Millisecond, JobPollInterval: 20 * time.Millisecond})
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.ts.Close)

	err := st.Update(ctx, func(tx store.Tx) error {
		for _, p := range []struct{ id, hook string }{{"p1", e.hooks.srv.URL}, {"p2", ""}} {
			_, secret, err := e.srv.Desk().CreatePartner(ctx, tx, desk.PartnerRequest{ID: p.id, Name: "Partner " + p.id, WebhookURL: p.hook})
			if err != nil {
				return err
			}
			e.secrets[p.id] = secret
		}
		for _, role := range Roles {
			partner := ""
			if role == RolePartner {
				partner = "p1"
			}
			_, secret, err := e.srv.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: role, Partner: partner, Label: "test " + role})
			if err != nil {
				return err
			}
			e.tokens[role] = secret
		}
		_, secret, err := e.srv.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: RolePartner, Partner: "p2", Label: "test partner 2"})
		e.tokens["partner2"] = secret
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("openapi: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: e.ts.URL}}
	if e.router, err = legacy.NewRouter(doc); err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return e
}

// startJobs works the background jobs (webhook deliveries) until the test ends.
func (e *env) startJobs() {
	e.t.Helper()
	r, err := e.srv.StartJobs(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			e.t.Errorf("stop jobs: %v", err)
		}
	})
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// resp is one answer, already checked against the OpenAPI document.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// do sends a request as role ("" for none) and validates the answer
// against the OpenAPI document.
func (e *env) do(method, path, role, body string, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		if method == http.MethodPatch && (strings.HasPrefix(path, "/v1/cases/") || strings.HasPrefix(path, "/v1/accounts/")) {
			req.Header.Set("Content-Type", "application/merge-patch+json")
		}
	}
	if role != "" {
		tok, ok := e.tokens[role]
		if !ok {
			tok = role // a raw token
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	e.validate(req, body, res, b)
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// validate checks a real response against the OpenAPI document: status,
// content type and body schema; problem documents for every error.
func (e *env) validate(req *http.Request, body string, res *http.Response, b []byte) {
	e.t.Helper()
	if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json", req.Method, req.URL.Path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	vreq, err := http.NewRequest(req.Method, req.URL.String(), strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	vreq.Header = req.Header.Clone()
	route, params, err := e.router.FindRoute(vreq)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return // a path the document does not have
		}
		e.t.Errorf("%s %s: not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
		return
	}
	if res.StatusCode == http.StatusNotModified {
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(b)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		e.t.Errorf("%s %s: %d response does not match the OpenAPI document: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, b)
	}
}

// problemFields lists the fields a problem document names.
func problemFields(t testing.TB, r resp) []string {
	t.Helper()
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem: %v: %s", err, r.body)
	}
	var fs []string
	for _, f := range p.Errors {
		fs = append(fs, f.Field)
	}
	return fs
}

func (e *env) wantStatus(r resp, want int, what string) {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("%s: status %d, want %d: %s", what, r.status, want, r.body)
	}
}

// createCase makes a case as the operator and returns its id and ETag.
func (e *env) createCase(body string) (string, string, map[string]any) {
	e.t.Helper()
	r := e.do("POST", "/v1/cases", RoleOperator, body)
	e.wantStatus(r, http.StatusCreated, "create case")
	m := r.json(e.t)
	return m["id"].(string), r.header.Get("ETag"), m
}

// offered returns the codes of the decision's entitlements in a choose_one group.
func offered(c map[string]any, group string) []string {
	d, _ := c["decision"].(map[string]any)
	ents, _ := d["entitlements"].([]any)
	var codes []string
	for _, x := range ents {
		m := x.(map[string]any)
		if m["choose_one"] == group {
			codes = append(codes, m["code"].(string))
		}
	}
	return codes
}
