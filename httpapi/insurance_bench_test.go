package httpapi

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"roadcover/internal/pgtest"
	"roadcover/postgres"
)

// BenchmarkCreateClaim measures POST /v1/claims on SQLite through the
// handler chain: the report decoded, the policy read, the claims of the
// same car and day read, the claim settled, stored with its settlement and
// first event in one durable transaction.
func BenchmarkCreateClaim(b *testing.B) { benchCreateClaim(b, newEnv(b)) }

// BenchmarkCreateClaimPostgres is BenchmarkCreateClaim on a throwaway
// PostgreSQL cluster (synchronous_commit on).
func BenchmarkCreateClaimPostgres(b *testing.B) {
	st, err := postgres.Open(context.Background(), pgtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	benchCreateClaim(b, newEnvOn(b, st))
}

// loadPolicy is the sample policy of car n (VINs of a maker whose check
// digit is not mandatory).
func loadPolicy(tb testing.TB, n int) string {
	return strings.NewReplacer(`"LPSED3KA4NL012345"`, fmt.Sprintf(`"YV1LS%012d"`, n), `"ABC12D"`, fmt.Sprintf(`"LD%05d"`, n)).
		Replace(readExample(tb, "new-policy.json"))
}

func benchCreateClaim(b *testing.B, e *env) {
	const policies = 200
	e.setClock("2026-12-01T10:00:00+01:00")
	ids := make([]string, policies)
	for i := range ids {
		ids[i] = e.createPolicy(loadPolicy(b, i))
	}
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleClaims]
	tpl := reportFor(b, "P1")
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			day := fmt.Sprintf("2026-%02d-%02d", 2+rand.IntN(10), 1+rand.IntN(28))
			body := strings.NewReplacer(`"P1"`, `"`+ids[rand.IntN(policies)]+`"`, `"2026-03-10"`, `"`+day+`"`, `"2026-03-11"`, `"2026-11-30"`).Replace(tpl)
			req := httptest.NewRequest("POST", "/v1/claims", strings.NewReader(body))
			req.Header.Set("Authorization", auth)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}
