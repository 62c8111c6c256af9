package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkDecision measures the server side of POST
// /v1/assistance/decisions (authentication, engine, metrics, log line).
func BenchmarkDecision(b *testing.B) {
	e := newEnv(b)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/assistance/decisions", strings.NewReader(sampleCase))
			req.Header.Set("Authorization", "Bearer "+e.tokens[RoleOperator])
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}

// BenchmarkCreateCase measures POST /v1/cases on SQLite: validation,
// decision, one durable transaction with the case and two events.
func BenchmarkCreateCase(b *testing.B) {
	e := newEnv(b)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/cases", strings.NewReader(sampleCase))
			req.Header.Set("Authorization", "Bearer "+e.tokens[RoleOperator])
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
