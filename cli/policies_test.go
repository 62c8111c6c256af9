package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roadcover/claimsdesk"
	"roadcover/database"
	"roadcover/policies"
	"roadcover/store"
)

// TestRenewWarranty: the command adds 5.10's collision cover to a policy
// whose damage warranty ends by the day given, once.
func TestRenewWarranty(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	ctx := context.Background()
	s, err := database.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	np, err := policies.DecodeNewPolicy([]byte(`{"policyholder": {"name": "Cecilia Dahl", "id_number": "19811218-9876",
	  "contact": {"email": "cecilia@example.se"}},
	  "car": {"vin": "LPSED3KA4NL012345", "registration": "DEF34G", "first_registered": "2023-06-01", "model_year": 2023, "damage_warranty": true},
	  "covers": ["traffic", "fire"], "deductibles": {"fire": "1500", "detached_part": "3000"},
	  "bonus_class": 5, "claim_free_years": 1, "payment": {"plan": "yearly"}, "premium": "4000",
	  "letter_date": "2026-01-10", "signed_on": "2026-01-05"}`))
	if err != nil {
		t.Fatal(err)
	}
	d := &claimsdesk.Desk{Clock: time.Now, NewID: func(p string) string { return p + "1" }}
	if err := s.Update(ctx, func(tx store.Tx) error {
		_, err := d.RegisterPolicy(ctx, tx, claimsdesk.Handler("tok", 0), np)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	out, errs, code := runCLI(t, "policies", "renew-warranty", "--db", db, "--through", "2026-05-31")
	if code != 0 || !strings.Contains(out, "0 policies changed through 2026-05-31") {
		t.Fatalf("before the day: exit %d: %s %s", code, out, errs)
	}
	out, errs, code = runCLI(t, "policies", "renew-warranty", "--db", db, "--through", "2026-06-01")
	if code != 0 || !strings.Contains(out, "P-1\tversion 2\tcollision cover from 2026-06-01 (5.10)") || !strings.Contains(out, "1 policies changed") {
		t.Fatalf("on the day: exit %d: %s %s", code, out, errs)
	}
	out, _, code = runCLI(t, "policies", "renew-warranty", "--db", db, "--through", "2026-12-31")
	if code != 0 || !strings.Contains(out, "0 policies changed") {
		t.Fatalf("again: exit %d: %s", code, out)
	}
	if _, errs, code := runCLI(t, "policies", "renew-warranty", "--db", db, "--through", "June"); code != 2 || !strings.Contains(errs, `"field": "through"`) {
		t.Fatalf("a bad day: exit %d: %s", code, errs)
	}
}

func TestTokenPaymentLimit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	out, errs, code := runCLI(t, "tokens", "create", "--db", db, "--role", "claims_handler", "--payment-limit", "50000")
	if code != 0 || !strings.Contains(out, "payment limit 50000.00 SEK") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if _, errs, code := runCLI(t, "tokens", "create", "--db", db, "--role", "operator", "--payment-limit", "5"); code != 2 || !strings.Contains(errs, `"field": "payment_limit"`) {
		t.Fatalf("a limit on an operator: exit %d: %s", code, errs)
	}
}
