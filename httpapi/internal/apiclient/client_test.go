package apiclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/httpapi/internal/apiclient"
	"roadcover/sqlite"
	"roadcover/store"
)

// sampleCase is a covered German case abroad (as in httpapi's own tests).
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

// service runs the desk service over a fresh SQLite store and returns its
// URL and an admin token made in the store (as `roadcover tokens create`).
func service(t *testing.T) (string, string) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := httpapi.New(httpapi.Config{Store: st, TokenCacheTTL: -1})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	var admin string
	ctx := context.Background()
	err = st.Update(ctx, func(tx store.Tx) error {
		var err error
		_, admin, err = srv.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleAdmin, Label: "client test"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ts.URL, admin
}

// client is the generated client sending token as a bearer token ("" for
// none).
func client(t *testing.T, url, token string) *apiclient.ClientWithResponses {
	t.Helper()
	c, err := apiclient.NewClientWithResponses(url, apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// TestClientCallsService makes an operator token through the generated
// client as admin, then creates a case and reads it back as that operator,
// and reads the problem documents of a few refusals through the client's
// typed answers.
func TestClientCallsService(t *testing.T) {
	ctx := context.Background()
	url, admin := service(t)
	asAdmin := client(t, url, admin)

	tok, err := asAdmin.CreateTokenWithResponse(ctx, nil, apiclient.CreateTokenJSONRequestBody{
		Role: apiclient.TokenInputRoleOperator, Label: ptr("desk 1")})
	if err != nil {
		t.Fatal(err)
	}
	if tok.StatusCode() != http.StatusCreated || tok.JSON201 == nil {
		t.Fatalf("createToken: %d %s", tok.StatusCode(), tok.Body)
	}
	if tok.JSON201.Role != "operator" || tok.JSON201.Token == "" || tok.JSON201.Id == "" || tok.JSON201.Label == nil || *tok.JSON201.Label != "desk 1" {
		t.Fatalf("createToken: %+v", tok.JSON201)
	}
	asOperator := client(t, url, tok.JSON201.Token)

	var body apiclient.CaseInput
	if err := json.Unmarshal([]byte(sampleCase), &body); err != nil {
		t.Fatal(err)
	}
	body.Intake = &apiclient.Intake{Channel: ptr("ecall"), Activation: ptr(apiclient.IntakeActivationButton)}
	body.Intake.Position = &struct {
		HeadingDeg *float64 `json:"heading_deg,omitempty"`
		Lat        float64  `json:"lat"`
		Lon        float64  `json:"lon"`
		Track      *[]struct {
			At  *time.Time `json:"at,omitempty"`
			Lat float64    `json:"lat"`
			Lon float64    `json:"lon"`
		} `json:"track,omitempty"`
		Trusted *bool `json:"trusted,omitempty"`
	}{Lat: 47.261234, Lon: 11.391234, Trusted: ptr(true), HeadingDeg: ptr(270.5)}
	created, err := asOperator.CreateCaseWithResponse(ctx, &apiclient.CreateCaseParams{IdempotencyKey: ptr("client-test-1")}, body)
	if err != nil {
		t.Fatal(err)
	}
	if created.StatusCode() != http.StatusCreated || created.JSON201 == nil {
		t.Fatalf("createCase: %d %s", created.StatusCode(), created.Body)
	}
	c := created.JSON201
	if c.Id == "" || c.Status != apiclient.CaseStatusOpen || c.Version != 1 || !c.Covered || c.TermsId == "" || c.Decision.Terms.Id != c.TermsId {
		t.Errorf("createCase: id %q status %q version %d covered %v terms %q/%q", c.Id, c.Status, c.Version, c.Covered, c.TermsId, c.Decision.Terms.Id)
	}
	if c.Facts["market"] != "DE" || len(c.Decision.Entitlements) == 0 || len(c.Choices) != 0 || len(c.Jobs) != 0 {
		t.Errorf("createCase: facts market %v, %d entitlements, %d choices, %d jobs", c.Facts["market"], len(c.Decision.Entitlements), len(c.Choices), len(c.Jobs))
	}
	if c.Intake == nil || c.Intake.Activation == nil || *c.Intake.Activation != apiclient.IntakeActivationButton ||
		c.Intake.Position == nil || c.Intake.Position.Lat != 47.261234 || c.Intake.Position.Lon != 11.391234 {
		t.Errorf("createCase: intake %+v", c.Intake)
	}
	if got := created.HTTPResponse.Header.Get("Location"); got != "/v1/cases/"+c.Id {
		t.Errorf("createCase: Location %q", got)
	}
	etag := created.HTTPResponse.Header.Get("ETag")
	if etag != `"1"` {
		t.Errorf("createCase: ETag %q", etag)
	}
	again, err := asOperator.CreateCaseWithResponse(ctx, &apiclient.CreateCaseParams{IdempotencyKey: ptr("client-test-1")}, body)
	if err != nil {
		t.Fatal(err)
	}
	if again.StatusCode() != http.StatusCreated || again.JSON201 == nil || again.JSON201.Id != c.Id {
		t.Errorf("createCase repeated with its Idempotency-Key: %d %s, want the first answer", again.StatusCode(), again.Body)
	}

	got, err := asOperator.GetCaseWithResponse(ctx, c.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.StatusCode() != http.StatusOK || got.JSON200 == nil {
		t.Fatalf("getCase: %d %s", got.StatusCode(), got.Body)
	}
	g := got.JSON200
	if g.Id != c.Id || g.Status != c.Status || g.Version != c.Version || g.Covered != c.Covered || g.TermsId != c.TermsId {
		t.Errorf("getCase: id %q status %q version %d covered %v terms %q, want those of createCase", g.Id, g.Status, g.Version, g.Covered, g.TermsId)
	}
	// The store keeps times to the microsecond; createCase answers the
	// clock's reading before it was stored.
	if d := g.CreatedAt.Sub(c.CreatedAt).Abs(); d >= time.Microsecond {
		t.Errorf("getCase: created_at %v, createCase answered %v", g.CreatedAt, c.CreatedAt)
	}
	if !reflect.DeepEqual(g.Facts, c.Facts) {
		t.Errorf("getCase: facts %v, createCase answered %v", g.Facts, c.Facts)
	}
	if !reflect.DeepEqual(g.Decision, c.Decision) {
		t.Errorf("getCase: decision %+v, createCase answered %+v", g.Decision, c.Decision)
	}
	if !reflect.DeepEqual(g.Intake, c.Intake) {
		t.Errorf("getCase: intake %+v, createCase answered %+v", g.Intake, c.Intake)
	}
	if e := got.HTTPResponse.Header.Get("ETag"); e != etag {
		t.Errorf("getCase: ETag %q, want %q", e, etag)
	}
	for _, e := range g.Decision.Entitlements {
		if e.Code == "" || e.Clause == "" {
			t.Errorf("getCase: entitlement %+v without its code or clause", e)
		}
	}

	// Refusals arrive as the typed problem documents the document names.
	missing, err := asOperator.GetCaseWithResponse(ctx, "no-such-case", nil)
	if err != nil {
		t.Fatal(err)
	}
	if missing.StatusCode() != http.StatusNotFound || missing.ApplicationproblemJSON404 == nil ||
		missing.ApplicationproblemJSON404.Code != "not_found" || missing.ApplicationproblemJSON404.Status != 404 {
		t.Errorf("getCase of an unknown id: %d %s", missing.StatusCode(), missing.Body)
	}
	anonymous, err := client(t, url, "").GetCaseWithResponse(ctx, c.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if anonymous.StatusCode() != http.StatusUnauthorized || anonymous.ApplicationproblemJSON401 == nil ||
		anonymous.ApplicationproblemJSON401.Code != "unauthorized" || anonymous.HTTPResponse.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("getCase without a token: %d %s", anonymous.StatusCode(), anonymous.Body)
	}
	denied, err := asOperator.CreateTokenWithResponse(ctx, nil, apiclient.CreateTokenJSONRequestBody{Role: apiclient.TokenInputRoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if denied.StatusCode() != http.StatusForbidden || denied.ApplicationproblemJSON403 == nil || denied.ApplicationproblemJSON403.Code != "forbidden" {
		t.Errorf("createToken as operator: %d %s", denied.StatusCode(), denied.Body)
	}
	bad := apiclient.CaseInput{AdditionalProperties: map[string]any{"market": "XX"}}
	invalid, err := asOperator.CreateCaseWithResponse(ctx, nil, bad)
	if err != nil {
		t.Fatal(err)
	}
	if invalid.StatusCode() != http.StatusUnprocessableEntity || invalid.ApplicationproblemJSON422 == nil ||
		invalid.ApplicationproblemJSON422.Errors == nil || len(*invalid.ApplicationproblemJSON422.Errors) == 0 {
		t.Fatalf("createCase with a bad market: %d %s", invalid.StatusCode(), invalid.Body)
	}
	fields := []string{}
	for _, e := range *invalid.ApplicationproblemJSON422.Errors {
		fields = append(fields, e.Field)
	}
	if !slices.Contains(fields, "market") {
		t.Errorf("createCase with a bad market: fields %v, want market among them", fields)
	}
}
