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

	"roadcover/desk"
	"roadcover/internal/pgtest"
	"roadcover/postgres"
	"roadcover/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
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
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
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
	b.ResetTimer()       // the service's set-up (store, tokens, OpenAPI document) is not the request's
	b.SetParallelism(16) // 32 requests in flight on 2 cores, as under load
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := strings.Replace(sampleCase, "Test Driver", "Driver "+strconv.FormatInt(n.Add(1), 10), 1)
			req := httptest.NewRequest("POST", "/v1/cases", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// pastCases writes n sample cases through the desk (the bulk path), as the
// cases of one busy day.
func pastCases(tb testing.TB, e *env, n int) {
	tb.Helper()
	ctx := context.Background()
	d := e.srv.Desk()
	for done := 0; done < n; {
		var batch []desk.NewCase
		for len(batch) < 500 && done+len(batch) < n {
			body := strings.Replace(sampleCase, "Test Driver", "Driver "+strconv.Itoa(done+len(batch)), 1)
			nc, err := d.ReadPastCase([]byte(body), desk.System)
			if err != nil {
				tb.Fatal(err)
			}
			batch = append(batch, nc)
		}
		if err := e.st.Update(ctx, func(tx store.Tx) error { return d.CreateMany(ctx, tx, batch) }); err != nil {
			tb.Fatal(err)
		}
		done += len(batch)
	}
}

// BenchmarkListCases measures GET /v1/cases?limit=200 through the handler
// chain over 1 000 stored cases, one request at a time: its time per listed
// case is the server's cost of a list entry.
func BenchmarkListCases(b *testing.B) {
	e := newEnv(b)
	pastCases(b, e, 1000)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleOperator]
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/cases?limit=200", nil)
		req.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/200, "µs/listed-case")
}

// BenchmarkGetCase measures GET /v1/cases/{id}: the case read, its stored
// decision decoded and written in the stored language.
func BenchmarkGetCase(b *testing.B) {
	e := newEnv(b)
	id, _, _ := e.createCase(sampleCase)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleOperator]
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/v1/cases/"+id, nil)
		req.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPostgresCreateVsInsert puts durable case creation through the
// handler chain beside a bare autocommit INSERT loop of rows of the same
// size (the case's facts and decision record), both with 16 workers on the
// same throwaway cluster in the same run; ratio is the first over the
// second.
func BenchmarkPostgresCreateVsInsert(b *testing.B) {
	url := pgtest.URL(b)
	ctx := context.Background()
	st, err := postgres.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	e := newEnvOn(b, st)
	nc, err := e.srv.Desk().ReadNewCase([]byte(sampleCase), "", desk.System)
	if err != nil {
		b.Fatal(err)
	}
	row := strings.Repeat("x", len(nc.Case.AppendCase(nil, ""))/2) // about the bytes a case stores
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS bare (id bigint PRIMARY KEY, doc text NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	conn.Close(ctx)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	var id atomic.Int64
	var insertRate float64
	b.Run("bare-insert", func(b *testing.B) {
		b.SetParallelism(8) // 16 workers on 2 cores
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := pool.Exec(ctx, `INSERT INTO bare (id, doc) VALUES ($1, $2)`, id.Add(1), row); err != nil {
					b.Error(err)
					return
				}
			}
		})
		insertRate = float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(insertRate, "inserts/s")
	})
	b.Run("create-case", func(b *testing.B) {
		h := e.srv.Handler()
		e.srv.tokens = newTokenCache(2e9)
		auth := "Bearer " + e.tokens[RoleOperator]
		var n atomic.Int64
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				body := strings.Replace(sampleCase, "Test Driver", "Driver "+strconv.FormatInt(n.Add(1), 10), 1)
				req := httptest.NewRequest("POST", "/v1/cases", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", auth)
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusCreated {
					b.Errorf("%d %s", w.Code, w.Body)
					return
				}
			}
		})
		rate := float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(rate, "cases/s")
		if insertRate > 0 {
			b.ReportMetric(rate/insertRate, "ratio")
		}
	})
}
