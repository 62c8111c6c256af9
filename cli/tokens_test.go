package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"roadcover/authtoken"
	"roadcover/database"
	"roadcover/store"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestTokensAndPartners(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	out, errs, code := runCLI(t, "partners", "create", "--db", db, "--id", "tow-syd", "--name", "Bärgning Syd", "--webhook-url", "https://tow.example/hook")
	if code != 0 {
		t.Fatalf("partners create: exit %d: %s", code, errs)
	}
	secret := lastLine(out)
	if !strings.HasPrefix(secret, authtoken.WebhookPrefix) {
		t.Fatalf("partners create did not end with the secret: %q", out)
	}
	if _, errs, code := runCLI(t, "partners", "create", "--db", db, "--id", "tow-syd", "--name", "Again"); code != 1 || !strings.Contains(errs, "conflict") {
		t.Errorf("second partner with one id: exit %d, %s", code, errs)
	}
	if _, errs, code := runCLI(t, "partners", "create", "--db", db, "--id", "Bad Id", "--webhook-url", "ftp://x"); code != 2 ||
		!strings.Contains(errs, `"field": "id"`) || !strings.Contains(errs, `"field": "name"`) || !strings.Contains(errs, `"field": "webhook-url"`) {
		t.Errorf("bad partner: exit %d, %s", code, errs)
	}

	out, errs, code = runCLI(t, "tokens", "create", "--db", db, "--role", "partner", "--partner", "tow-syd", "--label", "dispatch desk")
	if code != 0 {
		t.Fatalf("tokens create: exit %d: %s", code, errs)
	}
	token := lastLine(out)
	if !strings.HasPrefix(token, authtoken.APIPrefix) || len(token) < 40 {
		t.Fatalf("tokens create did not end with the token: %q", out)
	}
	t.Setenv(database.EnvVar, db) // the environment gives the default store
	out, errs, code = runCLI(t, "tokens", "create", "--role", "admin")
	if code != 0 {
		t.Fatalf("tokens create via ROADCOVER_DB: exit %d: %s", code, errs)
	}
	admin := lastLine(out)

	for _, bad := range [][]string{
		{"--role", "partner"},
		{"--role", "partner", "--partner", "nobody"},
		{"--role", "operator", "--partner", "tow-syd"},
		{"--role", "root"},
		{},
	} {
		if _, errs, code := runCLI(t, append([]string{"tokens", "create"}, bad...)...); code != 2 {
			t.Errorf("tokens create %v: exit %d, %s", bad, code, errs)
		}
	}

	s, err := database.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var tk store.Token
	err = s.View(context.Background(), func(tx store.Tx) error {
		var err error
		tk, err = tx.TokenByHash(context.Background(), authtoken.Hash(token))
		if err != nil {
			return err
		}
		all, err := tx.ListTokens(context.Background())
		if len(all) != 2 {
			t.Errorf("%d tokens stored, want 2", len(all))
		}
		return err
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if tk.Role != "partner" || tk.Partner != "tow-syd" || tk.Label != "dispatch desk" || bytes.Contains([]byte(tk.ID), []byte(token)) {
		t.Fatalf("stored token %+v", tk)
	}

	out, _, code = runCLI(t, "tokens", "list")
	if code != 0 || !strings.Contains(out, tk.ID) || strings.Contains(out, token) || strings.Contains(out, admin) {
		t.Fatalf("tokens list: exit %d\n%s", code, out)
	}
	if _, _, code := runCLI(t, "tokens", "revoke", tk.ID); code != 0 {
		t.Fatalf("tokens revoke: exit %d", code)
	}
	if _, _, code := runCLI(t, "tokens", "revoke", "tok_nope"); code != 1 {
		t.Fatalf("tokens revoke of an unknown id: exit %d", code)
	}
	out, _, _ = runCLI(t, "tokens", "list")
	if !strings.Contains(out, "revoked") {
		t.Fatalf("tokens list after revoke:\n%s", out)
	}
	out, _, code = runCLI(t, "partners", "list")
	if code != 0 || !strings.Contains(out, "tow-syd") || strings.Contains(out, secret) {
		t.Fatalf("partners list: exit %d\n%s", code, out)
	}
	s, err = database.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(context.Background(), func(tx store.Tx) error {
		if _, err := tx.TokenByHash(context.Background(), authtoken.Hash(token)); err == nil {
			t.Errorf("revoked token still authenticates")
		}
		p, err := tx.GetPartner(context.Background(), "tow-syd")
		if err != nil || string(p.Secret) != secret {
			t.Errorf("partner secret stored as %q (%v), printed %q", p.Secret, err, secret)
		}
		return nil
	})
}
