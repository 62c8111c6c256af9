package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"roadcover/internal/pgtest"
	"roadcover/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// The benchmarks run the request through the whole handler chain
// (middleware, authentication, handler, metrics, log line at info into
// io.Discard) without a network: the server side of each request. They
// report, they assert no timing. scripts/LOAD.md has the figures over loopback.

// BenchmarkDecision measures the server side of POST
// /v1/assistance/decisions.
func BenchmarkDecision(b *testing.B) {
	e := newEnv(b)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleOperator]
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/v1/assistance/decisions", strings.NewReader(sampleCase))
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}

// BenchmarkCreateCase measures POST /v1/cases on SQLite: validation,
// decision, one durable transaction with the case and two events, shared
// with the other requests waiting (group commit).
func BenchmarkCreateCase(b *testing.B) {
	benchCreateCase(b, newEnv(b))
}

// BenchmarkCreateCasePostgres is BenchmarkCreateCase on a throwaway
// PostgreSQL cluster (synchronous_commit on): one round trip with BEGIN,
// the case and its events, one for COMMIT.
func BenchmarkCreateCasePostgres(b *testing.B) {
	st, err := postgres.Open(context.Background(), pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	benchCreateCase(b, newEnvOn(b, st))
}

func benchCreateCase(b *testing.B, e *env) {
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleOperator]
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(16) // 32 requests in flight on 2 cores, as under load
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := strings.Replace(sampleCase, "Test Driver", "Driver "+strconv.FormatInt(n.Add(1), 10), 1)
			req := httptest.NewRequest("POST", "/v1/cases", strings.NewReader(body))
			req.Header.Set("Authorization", auth)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}
