package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"roadcover/internal/pgtest"
	"roadcover/postgres"
)

// TestConcurrentWritersTakeTurns: writers of one case that sent no
// If-Match never get 412; they take turns and each sees what the one
// before left, on either store: two choices in different groups both
// succeed, and of ten closes one succeeds and nine meet a closed case.
func TestConcurrentWritersTakeTurns(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t)
			if kind == "postgres" {
				st, err := postgres.Open(context.Background(), pgtest.URL(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				e = newEnvOn(t, st)
			}
			for round := 0; round < 3; round++ {
				id, _, c := e.createCase(sampleCase)
				fa, rep := offered(c, "further_assistance"), offered(c, "repatriation_alternative")
				if len(fa) == 0 || len(rep) == 0 {
					t.Fatal("the sample case offers no choices in both groups")
				}
				var wg sync.WaitGroup
				codes := make([]int, 2)
				for i, body := range []string{
					fmt.Sprintf(`{"group": "further_assistance", "code": %q}`, fa[0]),
					fmt.Sprintf(`{"group": "repatriation_alternative", "code": %q}`, rep[0]),
				} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						codes[i] = e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, body).status
					}()
				}
				wg.Wait()
				if codes[0] != http.StatusCreated || codes[1] != http.StatusCreated {
					t.Fatalf("two choices in two groups: %v", codes)
				}
				closes := make([]int, 10)
				for i := range closes {
					wg.Add(1)
					go func() {
						defer wg.Done()
						closes[i] = e.do("POST", "/v1/cases/"+id+"/close", RoleOperator, `{"reason": "done"}`).status
					}()
				}
				wg.Wait()
				ok, conflict := 0, 0
				for _, c := range closes {
					switch c {
					case http.StatusOK:
						ok++
					case http.StatusConflict:
						conflict++
					default:
						t.Fatalf("a close answered %d: %v", c, closes)
					}
				}
				if ok != 1 || conflict != 9 {
					t.Fatalf("ten closes: %v", closes)
				}
			}
		})
	}
}
