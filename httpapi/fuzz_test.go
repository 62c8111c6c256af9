package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Fuzz targets of every handler body. Whatever the body, the service never
// answers 5xx, an error is a problem document of bounded size, and a 2xx
// answer is valid JSON that equals what a later read returns.

// maxProblem bounds a problem document whatever the input.
const maxProblem = 64 << 10

// maxRequest bounds the time of one request whatever the input: one that
// takes longer ends the fuzzing process with the request named, so that
// the input is kept as a failing one.
const maxRequest = 10 * time.Second

type fuzzEnv struct {
	e    *env
	h    http.Handler
	auth map[string]string
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	e := newEnv(f)
	fe := &fuzzEnv{e: e, h: e.srv.Handler(), auth: map[string]string{}}
	for role, tok := range e.tokens {
		fe.auth[role] = "Bearer " + tok
	}
	return fe
}

func (fe *fuzzEnv) do(t *testing.T, method, path, role string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", fe.auth[role])
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	watchdog := time.AfterFunc(maxRequest, func() {
		panic(fmt.Sprintf("%s %s took over %v; body %q", method, path, maxRequest, body))
	})
	fe.h.ServeHTTP(w, req)
	watchdog.Stop()
	if w.Code >= 500 {
		t.Fatalf("%s %s: %d %s\nbody: %q", method, path, w.Code, w.Body, body)
	}
	if w.Code >= 400 {
		if w.Body.Len() > maxProblem || w.Header().Get("Content-Type") != "application/problem+json" || !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %s: a %d answer that is not a bounded problem document (%d bytes)", method, path, w.Code, w.Body.Len())
		}
	} else if w.Code >= 200 && w.Code < 300 && !json.Valid(w.Body.Bytes()) {
		t.Fatalf("%s %s: %d with an answer that is not JSON: %q", method, path, w.Code, w.Body)
	}
	return w
}

// sameAsRead checks that a 2xx answer about a case is what a later read
// of the case returns.
func (fe *fuzzEnv) sameAsRead(t *testing.T, w *httptest.ResponseRecorder) {
	var c struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(w.Body.Bytes(), &c) != nil || c.ID == "" {
		t.Fatalf("a case answer without an id: %s", w.Body)
	}
	r := fe.do(t, "GET", "/v1/cases/"+c.ID, RoleOperator, nil)
	if r.Code != http.StatusOK || !bytes.Equal(bytes.TrimSpace(r.Body.Bytes()), bytes.TrimSpace(w.Body.Bytes())) {
		t.Fatalf("the answer differs from a later read:\n%s\n%s", w.Body, r.Body)
	}
}

func seedCases(f *testing.F) {
	f.Add([]byte(sampleCase))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"market":"DE","intake":{"vin":"LPSVSEDEEML000001","position":{"lat":48.1,"lon":11.5,"trusted":true}}}`))
	f.Add([]byte(strings.Replace(sampleCase, `"passengers": 2`, `"passengers": 1e300`, 1)))
	f.Add([]byte(strings.Replace(sampleCase, `"home": 140`, `"home": 1.8e305`, 1)))
	f.Add([]byte(`{"market":"GB","occurred_at":"2026-07-01T09:30:00Z","reported_at":"2026-07-01T09:35:00Z","event":{"kind":"breakdown"},"people":{"passengers":9223372036854775807}}`))
}

func FuzzCaseBody(f *testing.F) {
	seedCases(f)
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := fe.do(t, "POST", "/v1/cases", RoleOperator, body)
		if w.Code == http.StatusCreated {
			fe.sameAsRead(t, w)
		}
	})
}

func FuzzCasePatch(f *testing.F) {
	f.Add([]byte(`{"people":{"passengers":1}}`))
	f.Add([]byte(`{"repair":{"roadside_possible":true}}`))
	f.Add([]byte(`{"market":null}`))
	f.Add([]byte(`[]`))
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, patch []byte) {
		c := fe.do(t, "POST", "/v1/cases", RoleOperator, []byte(sampleCase))
		var m struct{ ID string }
		json.Unmarshal(c.Body.Bytes(), &m)
		w := fe.do(t, "PATCH", "/v1/cases/"+m.ID, RoleOperator, patch, "If-Match", `"1"`, "Content-Type", "application/merge-patch+json")
		if w.Code == http.StatusOK {
			fe.sameAsRead(t, w)
		}
	})
}

// FuzzSmallBodies fuzzes the bodies of choices, jobs, job moves, tracking
// links, tokens, partners, closing and the stateless decision and
// settlement.
func FuzzSmallBodies(f *testing.F) {
	for i, b := range []string{`{"group":"further_assistance","code":"hotel"}`, `{"kind":"tow","partner":"p1","destination":{"x":1}}`,
		`{"status":"EN_ROUTE","eta":"2026-07-01T10:00:00Z"}`, `{"expires_in_hours":2}`, `{"role":"partner","partner":"p1"}`,
		`{"id":"tow-9","name":"Tow","webhook_url":"https://t.example/h"}`, `{"reason":"done"}`, sampleCase, claimBody} {
		f.Add(uint8(i), []byte(b))
	}
	fe := newFuzzEnv(f)
	c := fe.do(&testing.T{}, "POST", "/v1/cases", RoleOperator, []byte(sampleCase))
	var m struct{ ID string }
	json.Unmarshal(c.Body.Bytes(), &m)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		switch which % 9 {
		case 0:
			fe.do(t, "POST", "/v1/cases/"+m.ID+"/choices", RoleOperator, body)
		case 1:
			fe.do(t, "POST", "/v1/cases/"+m.ID+"/jobs", RoleOperator, body)
		case 2:
			j := fe.do(t, "POST", "/v1/cases/"+m.ID+"/jobs", RoleOperator, []byte(`{"kind":"tow","partner":"p1"}`))
			var job struct{ ID string }
			json.Unmarshal(j.Body.Bytes(), &job)
			fe.do(t, "PATCH", "/v1/jobs/"+job.ID, RolePartner, body)
		case 3:
			fe.do(t, "POST", "/v1/cases/"+m.ID+"/tracking-links", RoleOperator, body)
		case 4:
			fe.do(t, "POST", "/v1/tokens", RoleAdmin, body)
		case 5:
			fe.do(t, "POST", "/v1/partners", RoleAdmin, body)
		case 6:
			fe.do(t, "POST", "/v1/cases/"+m.ID+"/close", RoleOperator, body)
			fe.do(t, "POST", "/v1/cases/"+m.ID+"/reopen", RoleOperator, []byte(`{"reason":"again"}`))
		case 7:
			fe.do(t, "POST", "/v1/assistance/decisions", RoleOperator, body)
		case 8:
			fe.do(t, "POST", "/v1/claims/settlements", RoleClaims, body)
		}
	})
}

// FuzzQuery fuzzes the query strings and path values of the reads.
func FuzzQuery(f *testing.F) {
	f.Add("status=open&limit=3", "x")
	f.Add("after=%ff", "%00")
	f.Add("vin=LPSVSEDEEML000001", "../../etc")
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, query, seg string) {
		if strings.ContainsAny(query+seg, " #?\r\n\t") || strings.ContainsAny(seg, "/") {
			return // not a request line net/http builds
		}
		for _, p := range []string{"/v1/cases?" + query, "/v1/jobs?" + query, "/v1/cases/" + seg, "/v1/track/" + seg,
			"/v1/cases/" + seg + "/decisions/1?" + query} {
			if _, err := http.NewRequest("GET", "http://x"+p, nil); err != nil {
				continue
			}
			fe.do(t, "GET", p, RoleOperator, nil)
		}
	})
}
