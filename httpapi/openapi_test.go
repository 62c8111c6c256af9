package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"roadcover/desk"
	"roadcover/sqlite"
	"roadcover/store"
)

func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// operation is one method on one path template of the document.
type operation struct {
	method, path string
	op           *openapi3.Operation
}

func (o operation) String() string { return o.op.OperationID + " (" + o.method + " " + o.path + ")" }

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(path).Operations() {
			ops = append(ops, operation{method, path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].String() < ops[j].String() })
	return ops
}

// concrete fills a path template's parameters with x.
func concrete(path string) string {
	return regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, "x")
}

// problemStatuses lists the error statuses an operation documents on their
// own (default not counted).
func problemStatuses(op *openapi3.Operation) []int {
	var out []int
	for code := range op.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil && n >= 400 {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

var operationIDForm = regexp.MustCompile(`^[a-z][a-zA-Z]*$`)

// TestOpenAPIOperations checks that each operation of the document is a
// route of the server, has a unique camelCase operationId and answers its
// errors as problem documents.
func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	srv := New(Config{Store: nil})
	ids := map[string]string{}
	ops := operations(doc)
	documented := map[string]bool{}
	for _, o := range ops {
		documented[o.method+" "+o.path] = true
	}
	for _, pattern := range srv.patterns {
		if !documented[pattern] {
			t.Errorf("the route %s is not in the document", pattern)
		}
	}
	for _, o := range ops {
		id := o.op.OperationID
		if !operationIDForm.MatchString(id) {
			t.Errorf("%s: operationId %q is not camelCase", o, id)
		}
		if prev, dup := ids[id]; dup {
			t.Errorf("%s: operationId also used by %s", o, prev)
		}
		ids[id] = o.method + " " + o.path
		req, err := http.NewRequest(o.method, concrete(o.path), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, pattern := srv.mux.Handler(req); pattern != o.method+" "+o.path {
			t.Errorf("%s: the server routes it to %q", o, pattern)
		}
		def := o.op.Responses.Default()
		if def == nil || def.Ref != "#/components/responses/Problem" {
			t.Errorf("%s: no default problem answer", o)
		}
		for code, r := range o.op.Responses.Map() {
			if n, _ := strconv.Atoi(code); n < 400 && code != "default" {
				continue
			}
			mt := r.Value.Content.Get("application/problem+json")
			if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Problem" || len(r.Value.Content) != 1 {
				t.Errorf("%s: %s is not a problem document", o, code)
			}
		}
		if len(problemStatuses(o.op)) == 0 {
			t.Errorf("%s: documents no error status of its own", o)
		}
	}
}

// downStore is a store that cannot be reached.
type downStore struct{ store.Store }

func (downStore) Ping(context.Context) error { return errors.New("store is down") }

// TestOpenAPIProblemsAreTheRealOnes provokes every error an operation
// documents and checks that each error status a request got is one its
// operation documents on its own, and that every status an operation
// documents was seen: no token, each role without the right (the roles
// named in the operation's description), a body over the limit, and for
// each operation the 404, 409, 412, 422 and 428 its handler gives.
func TestOpenAPIProblemsAreTheRealOnes(t *testing.T) {
	e := newEnv(t)
	doc := loadOpenAPI(t)
	ops := operations(doc)
	seen := map[string]map[int]bool{} // operationId → statuses
	opOf := map[string]operation{}
	for _, o := range ops {
		opOf[o.method+" "+o.path] = o
		seen[o.op.OperationID] = map[int]bool{}
	}
	// check sends a request for the operation method+template and records
	// its error status; want 0 means any error status.
	check := func(env *env, key, path, role, body string, want int, hdr ...string) resp {
		t.Helper()
		o, ok := opOf[key]
		if !ok {
			t.Fatalf("%s is not in the document", key)
		}
		r := env.do(o.method, path, role, body, hdr...)
		if want != 0 && r.status != want {
			t.Errorf("%s %s as %q: %d, want %d: %s", o.method, path, role, r.status, want, r.body)
		}
		if r.status >= 400 {
			seen[o.op.OperationID][r.status] = true
			if !slices.Contains(problemStatuses(o.op), r.status) {
				t.Errorf("%s: answered %d, which it does not document: %s", o, r.status, r.body)
			}
		}
		return r
	}

	// No token, the roles without the right, a body over the limit.
	rolesIn := regexp.MustCompile(`Roles: ([a-z_, ]+)\.`)
	big := strings.Repeat(" ", MaxBody+1)
	for _, o := range ops {
		key, path := o.method+" "+o.path, concrete(o.path)
		open := o.op.Security != nil && len(*o.op.Security) == 0
		r := e.do(o.method, path, "", "")
		switch {
		case open && r.status == http.StatusUnauthorized:
			t.Errorf("%s: open in the document, 401 without a token", o)
		case !open:
			check(e, key, path, "", "", http.StatusUnauthorized)
			m := rolesIn.FindStringSubmatch(o.op.Description)
			if m == nil {
				t.Errorf("%s: needs a token but names no roles", o)
				continue
			}
			allowed := strings.Split(m[1], ", ")
			for _, role := range Roles {
				if slices.Contains(allowed, role) {
					if r := e.do(o.method, path, role, ""); r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
						t.Errorf("%s as %s, a role it names: %d", o, role, r.status)
					}
					continue
				}
				check(e, key, path, role, "", http.StatusForbidden)
			}
		}
		tooBig := big // over the route's own limit (receipt uploads read more)
		if req, err := http.NewRequest(o.method, path, nil); err == nil && e.srv.bodyLimit(req) != MaxBody {
			tooBig = strings.Repeat(" ", int(e.srv.bodyLimit(req))+1)
		}
		check(e, key, path, RoleAdmin, tooBig, http.StatusRequestEntityTooLarge)
		if o.method == http.MethodPost || o.method == http.MethodPatch {
			role := RoleAdmin
			if open {
				role = ""
			}
			check(e, key, path, role, `{}`, http.StatusUnsupportedMediaType, "Content-Type", "text/plain")
		}
	}

	// What the handlers refuse, on a case, a closed case and a job.
	caseID, _, c := e.createCase(sampleCase)
	closedID, _, _ := e.createCase(sampleCase)
	e.wantStatus(e.do("POST", "/v1/cases/"+closedID+"/close", RoleOperator, `{"reason": "done"}`), http.StatusOK, "close")
	job := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`)
	e.wantStatus(job, http.StatusCreated, "job")
	jobID := job.json(t)["id"].(string)
	fa := offered(c, "further_assistance")
	if len(fa) == 0 {
		t.Fatal("the sample case offers no further assistance")
	}
	choice := fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0])
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/choices", RoleOperator, choice), http.StatusCreated, "choice")
	link := e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
	failedJob := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "roadside", "partner": "p1"}`).json(t)["id"].(string)
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+failedJob, RoleOperator, `{"status": "FAILED", "failure": "cancelled"}`), http.StatusOK, "fail a job")
	longKey := strings.Repeat("k", 256)
	nowhereID, _, _ := e.createCase(strings.Replace(sampleCase, `"country": "AT", "lat": 47.26, "lon": 11.39,`, `"country": "AT",`, 1))
	e.newAccount(RoleOperator, "taken@desk.example", "a long passphrase")
	// A signed-in session, and one of an account then locked by wrong passwords.
	e.newAccount(RoleOperator, "session@desk.example", "a long passphrase")
	sess, _ := e.signIn("session@desk.example", "a long passphrase")
	e.newAccount(RoleOperator, "locked@desk.example", "a long passphrase")
	lockedSess, _ := e.signIn("locked@desk.example", "a long passphrase")
	for range desk.MaxFailedSignIns {
		e.do("POST", "/v1/session", "", `{"email": "locked@desk.example", "password": "wrong wrong wrong"}`)
	}
	const (
		op    = RoleOperator
		admin = RoleAdmin
	)
	patch := `{"contact": {"phone": "+49 2"}}`
	for _, x := range []struct {
		key, path, role, body string
		want                  int
		hdr                   []string
	}{
		{"POST /v1/assistance/decisions", "/v1/assistance/decisions", op, `{}`, 422, nil},
		{"POST /v1/claims/settlements", "/v1/claims/settlements", RoleClaims, `{}`, 422, nil},
		{"POST /v1/cases", "/v1/cases", op, `{}`, 422, nil},
		{"GET /v1/cases", "/v1/cases?limit=0", op, "", 422, nil},
		{"GET /v1/cases", "/v1/cases?after=nothing", op, "", 404, nil},
		{"GET /v1/jobs", "/v1/jobs?limit=501&status=DONE", op, "", 422, nil},
		{"GET /v1/jobs", "/v1/jobs?after=nothing", op, "", 404, nil},
		{"GET /v1/cases/{id}", "/v1/cases/nothing", op, "", 404, nil},
		{"PATCH /v1/cases/{id}", "/v1/cases/nothing", op, patch, 404, []string{"If-Match", `"1"`}},
		{"PATCH /v1/cases/{id}", "/v1/cases/" + caseID, op, patch, 428, nil},
		{"PATCH /v1/cases/{id}", "/v1/cases/" + caseID, op, patch, 412, []string{"If-Match", `"99"`}},
		{"PATCH /v1/cases/{id}", "/v1/cases/" + caseID, op, `{"market": "XX"}`, 422, []string{"If-Match", "*"}},
		{"PATCH /v1/cases/{id}", "/v1/cases/" + closedID, op, patch, 409, []string{"If-Match", "*"}},
		{"GET /v1/cases/{id}/events", "/v1/cases/nothing/events", op, "", 404, nil},
		{"GET /v1/cases/{id}", "/v1/cases/" + caseID + "?lang=fr", op, "", 422, nil},
		{"GET /v1/cases/{id}/facts/{no}", "/v1/cases/" + caseID + "/facts/2", op, "", 404, nil},
		{"GET /v1/cases/{id}/facts/{no}", "/v1/cases/" + caseID + "/facts/0", op, "", 422, nil},
		{"GET /v1/cases/{id}/decisions/{no}", "/v1/cases/nothing/decisions/1", op, "", 404, nil},
		{"GET /v1/cases/{id}/decisions/{no}", "/v1/cases/" + caseID + "/decisions/1?lang=xx", op, "", 422, nil},
		{"POST /v1/cases/{id}/choices", "/v1/cases/nothing/choices", op, choice, 404, nil},
		{"POST /v1/cases/{id}/choices", "/v1/cases/" + caseID + "/choices", op, choice, 409, nil},
		{"POST /v1/cases/{id}/choices", "/v1/cases/" + caseID + "/choices", op, `{"group": "further_assistance"}`, 422, nil},
		{"POST /v1/cases/{id}/close", "/v1/cases/nothing/close", op, `{"reason": "r"}`, 404, nil},
		{"POST /v1/cases/{id}/close", "/v1/cases/" + closedID + "/close", op, `{"reason": "r"}`, 409, nil},
		{"POST /v1/cases/{id}/close", "/v1/cases/" + caseID + "/close", op, `{}`, 422, nil},
		{"POST /v1/cases/{id}/reopen", "/v1/cases/nothing/reopen", op, `{"reason": "r"}`, 404, nil},
		{"POST /v1/cases/{id}/reopen", "/v1/cases/" + caseID + "/reopen", op, `{"reason": "r"}`, 409, nil},
		{"POST /v1/cases/{id}/reopen", "/v1/cases/" + closedID + "/reopen", op, `{"reason": " "}`, 422, nil},
		{"POST /v1/cases/{id}/jobs", "/v1/cases/nothing/jobs", op, `{"kind": "tow", "partner": "p1"}`, 404, nil},
		{"POST /v1/cases/{id}/jobs", "/v1/cases/" + closedID + "/jobs", op, `{"kind": "tow", "partner": "p1"}`, 409, nil},
		{"POST /v1/cases/{id}/jobs", "/v1/cases/" + caseID + "/jobs", op, `{"kind": "tow", "partner": "nobody"}`, 422, nil},
		{"POST /v1/cases/{id}/tracking-links", "/v1/cases/nothing/tracking-links", op, `{}`, 404, nil},
		{"POST /v1/cases/{id}/tracking-links", "/v1/cases/" + caseID + "/tracking-links", op, `{"expires_in_hours": 0}`, 422, nil},
		{"GET /v1/jobs", "/v1/jobs?status=LOST", op, "", 422, nil},
		{"GET /v1/jobs/{id}", "/v1/jobs/nothing", op, "", 404, nil},
		{"GET /v1/jobs/{id}", "/v1/jobs/" + jobID, "partner2", "", 404, nil},
		{"PATCH /v1/jobs/{id}", "/v1/jobs/nothing", op, `{"status": "EN_ROUTE"}`, 404, nil},
		{"PATCH /v1/jobs/{id}", "/v1/jobs/" + jobID, RolePartner, `{"status": "ARRIVED"}`, 409, nil},
		{"PATCH /v1/jobs/{id}", "/v1/jobs/" + jobID, RolePartner, `{"status": "EN_ROUTE"}`, 412, []string{"If-Match", `"99"`}},
		{"PATCH /v1/jobs/{id}", "/v1/jobs/" + jobID, RolePartner, `{"status": "FAILED"}`, 422, nil},
		{"GET /v1/jobs/{id}/deliveries", "/v1/jobs/nothing/deliveries", op, "", 404, nil},
		{"GET /v1/track/{token}", "/v1/track/nothing", "", "", 404, nil},
		{"GET /v1/track/{token}/events", "/v1/track/nothing/events", "", "", 404, nil},
		{"POST /v1/track/{token}/choices", "/v1/track/nothing/choices", "", choice, 404, nil},
		{"POST /v1/track/{token}/choices", "/v1/track/" + link + "/choices", "", choice, 409, nil},
		{"POST /v1/track/{token}/choices", "/v1/track/" + link + "/choices", "", `{"group": "further_assistance"}`, 422, nil},
		{"POST /v1/track/{token}/position", "/v1/track/nothing/position", "", `{"lat": 46.5, "lon": 11.35}`, 404, nil},
		{"POST /v1/track/{token}/position", "/v1/track/" + link + "/position", "", `{"lat": 91}`, 422, nil},
		{"POST /v1/track/{token}/position", "/v1/track/" + link + "/position", "", `{"lat": 46.5, "lon": 11.35}`, 201, nil},
		{"POST /v1/track/{token}/position", "/v1/track/" + link + "/position", "", `{"lat": 46.5, "lon": 11.35}`, 429, nil},
		{"POST /v1/jobs/{id}/positions", "/v1/jobs/nothing/positions", RolePartner, `{"lat": 46.6, "lon": 11.4}`, 404, nil},
		{"POST /v1/jobs/{id}/positions", "/v1/jobs/" + failedJob + "/positions", RolePartner, `{"lat": 46.6, "lon": 11.4}`, 409, nil},
		{"POST /v1/jobs/{id}/positions", "/v1/jobs/" + jobID + "/positions", RolePartner, `{"lat": 46.6}`, 422, nil},
		{"POST /v1/jobs/{id}/positions", "/v1/jobs/" + jobID + "/positions", RolePartner, `{"lat": 46.6, "lon": 11.4}`, 201, nil},
		{"POST /v1/jobs/{id}/positions", "/v1/jobs/" + jobID + "/positions", RolePartner, `{"lat": 46.61, "lon": 11.41}`, 429, nil},
		{"POST /v1/tokens", "/v1/tokens", admin, `{"role": "partner"}`, 422, nil},
		{"POST /v1/tokens/{id}/revoke", "/v1/tokens/nothing/revoke", admin, "", 404, nil},
		{"POST /v1/tokens/{id}/revoke", "/v1/tokens/nothing/revoke", admin, "", 422, []string{"Idempotency-Key", longKey}},
		{"POST /v1/partners", "/v1/partners", admin, `{"id": "p1", "name": "again"}`, 409, nil},
		{"POST /v1/partners", "/v1/partners", admin, `{"id": "P 1"}`, 422, nil},
		{"POST /v1/cases/{id}/notes", "/v1/cases/nothing/notes", op, `{"text": "x"}`, 404, nil},
		{"POST /v1/cases/{id}/notes", "/v1/cases/" + caseID + "/notes", op, `{"text": " "}`, 422, nil},
		{"POST /v1/cases/{id}/owner", "/v1/cases/nothing/owner", op, `{"owner": ""}`, 404, nil},
		{"POST /v1/cases/{id}/owner", "/v1/cases/" + closedID + "/owner", op, `{"owner": ""}`, 409, nil},
		{"POST /v1/cases/{id}/owner", "/v1/cases/" + caseID + "/owner", op, `{"owner": ""}`, 412, []string{"If-Match", `"99"`}},
		{"POST /v1/cases/{id}/owner", "/v1/cases/" + caseID + "/owner", op, `{"owner": "acc_nobody"}`, 422, nil},
		{"GET /v1/cases/{id}/partners", "/v1/cases/nothing/partners", op, "", 404, nil},
		{"GET /v1/cases/{id}/partners", "/v1/cases/" + nowhereID + "/partners", op, "", 409, nil},
		{"GET /v1/cases/{id}/partners", "/v1/cases/" + caseID + "/partners?kind=helicopter", op, "", 422, nil},
		{"GET /v1/places", "/v1/places", op, "", 422, nil},
		{"GET /v1/places/describe", "/v1/places/describe?lat=91&lon=0", op, "", 422, nil},
		{"POST /v1/accounts", "/v1/accounts", admin, `{"email": "taken@desk.example", "name": "Again", "role": "operator"}`, 409, nil},
		{"POST /v1/accounts", "/v1/accounts", admin, `{}`, 422, nil},
		{"POST /v1/session", "/v1/session", "", `{"email": "taken@desk.example", "password": "not the passphrase"}`, 401, nil},
		{"POST /v1/session", "/v1/session", "", `{"email": "taken@desk.example", "password": "a long passphrase"}`, 403, []string{"Origin", "https://evil.example"}},
		{"POST /v1/session", "/v1/session", "", `{}`, 422, nil},
		{"POST /v1/session", "/v1/session", "", `{"email": "locked@desk.example", "password": "a long passphrase"}`, 429, nil},
		{"DELETE /v1/session", "/v1/session", "", "", 403, sess.hdr(false)},
		{"DELETE /v1/session", "/v1/session", op, "", 409, nil},
		{"POST /v1/session/password", "/v1/session/password", "", `{"current_password": "a long passphrase", "new_password": "another long one"}`, 403, sess.hdr(false)},
		{"POST /v1/session/password", "/v1/session/password", op, `{"current_password": "x", "new_password": "another long one"}`, 409, nil},
		{"POST /v1/session/password", "/v1/session/password", "", `{"current_password": "not it at all", "new_password": "another long one"}`, 422, sess.hdr(true)},
		{"POST /v1/session/password", "/v1/session/password", "", `{"current_password": "a long passphrase", "new_password": "another long one"}`, 429, lockedSess.hdr(true)},
	} {
		check(e, x.key, x.path, x.role, x.body, x.want, x.hdr...)
	}
	receiptProblems(t, e, check)
	paymentProblems(e, check)

	// A link's event streams are bounded: one more is refused.
	for _, code := range openStreams(t, e, link, MaxStreamsPerLink) {
		if code != http.StatusOK {
			t.Fatalf("an event stream within the bound: %d", code)
		}
	}
	check(e, "GET /v1/track/{token}/events", "/v1/track/"+link+"/events", "", "", http.StatusTooManyRequests)
	insuranceProblems(t, e, check)

	// Readiness over a store that cannot be reached.
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "down.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	check(newEnvOn(t, downStore{st}), "GET /readyz", "/readyz", "", "", http.StatusServiceUnavailable)

	for _, o := range ops {
		for _, code := range problemStatuses(o.op) {
			if !seen[o.op.OperationID][code] {
				t.Errorf("%s documents %d, which no request here provoked", o, code)
			}
		}
	}
}
