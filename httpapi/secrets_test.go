package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roadcover/sqlite"
	"roadcover/store"
)

// TestSecretsShownOnce: a token, a webhook key and a tracking link are in
// the first answer only; the idempotency record keeps none of them, and a
// repeat of the request says the secret was shown once.
func TestSecretsShownOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnvOn(t, st)
	id, _, _ := e.createCase(sampleCase)
	for _, x := range []struct {
		path, role, body, field string
	}{
		{"/v1/tokens", RoleAdmin, `{"role": "operator", "label": "night shift"}`, "token"},
		{"/v1/partners", RoleAdmin, `{"id": "tow-x", "name": "Tow X", "webhook_url": "https://tow-x.example/hook"}`, "webhook_secret"},
		{"/v1/cases/" + id + "/tracking-links", RoleOperator, `{"expires_in_hours": 2}`, "token"},
	} {
		first := e.do("POST", x.path, x.role, x.body, "Idempotency-Key", "k-"+x.field+x.path)
		e.wantStatus(first, http.StatusCreated, x.path)
		secret, _ := first.json(t)[x.field].(string)
		if len(secret) < 20 {
			t.Fatalf("%s: no secret in the first answer: %s", x.path, first.body)
		}
		again := e.do("POST", x.path, x.role, x.body, "Idempotency-Key", "k-"+x.field+x.path)
		e.wantStatus(again, http.StatusCreated, x.path+" again")
		m := again.json(t)
		if m[x.field] != "" || m["secret_shown_once"] != true || bytes.Contains(again.body, []byte(secret)) {
			t.Fatalf("%s: a repeat shows the secret again: %s", x.path, again.body)
		}
		err := st.View(context.Background(), func(tx store.Tx) error {
			ts, err := tx.ListTokens(context.Background())
			if err != nil {
				return err
			}
			for _, tk := range ts {
				if tk.Role == x.role {
					rec, err := tx.GetIdempotency(context.Background(), tk.ID, "k-"+x.field+x.path)
					if err == nil && bytes.Contains(rec.Response, []byte(secret)) {
						t.Errorf("%s: the idempotency record keeps the secret", x.path)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if x.field == "webhook_secret" {
			continue // the partner's signing key is kept with the partner to sign with
		}
		st.Close()
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wal, _ := os.ReadFile(path + "-wal")
		if bytes.Contains(raw, []byte(secret)) || bytes.Contains(wal, []byte(secret)) {
			t.Fatalf("%s: the store file holds the secret in clear", x.path)
		}
		st, err = sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		e.st = st
		e.srv = New(Config{Store: st, Now: e.clock, TokenCacheTTL: -1, AllowPrivateWebhooks: true})
		e.ts.Config.Handler = e.srv.Handler()
	}
	st.Close()
}

// TestRevokedTokenStopsAtOnce: a token revoked in the store (as the
// command line does, from another process) is refused by the next request.
func TestRevokedTokenStopsAtOnce(t *testing.T) {
	e := newEnv(t)
	st := e.st
	srv := New(Config{Store: st, Now: e.clock}) // the default configuration
	e.ts.Config.Handler = srv.Handler()
	e.wantStatus(e.do("GET", "/v1/cases", RoleOperator, ""), http.StatusOK, "before")
	var id string
	st.View(context.Background(), func(tx store.Tx) error {
		ts, _ := tx.ListTokens(context.Background())
		for _, tk := range ts {
			if tk.Role == RoleOperator {
				id = tk.ID
			}
		}
		return nil
	})
	if err := st.Update(context.Background(), func(tx store.Tx) error { return tx.RevokeToken(context.Background(), id) }); err != nil {
		t.Fatal(err)
	}
	e.wantStatus(e.do("GET", "/v1/cases", RoleOperator, ""), http.StatusUnauthorized, "at once after revoking")
}

// TestWebhooksStayOutside: a partner's webhook may not name a loopback or
// private address, and the delivery client will not connect to one.
func TestWebhooksStayOutside(t *testing.T) {
	e := newEnv(t)
	srv := New(Config{Store: e.st, Now: e.clock})
	e.ts.Config.Handler = srv.Handler()
	for i, u := range []string{"http://127.0.0.1:8080/hook", "http://localhost/hook", "https://10.1.2.3/h", "http://[::1]/h",
		"http://169.254.169.254/latest", "http://192.168.0.10/h", "http://100.64.1.1/h", "http://intranet/h"} {
		r := e.do("POST", "/v1/partners", RoleAdmin, `{"id": "p-`+string(rune('a'+i))+`", "name": "X", "webhook_url": "`+u+`"}`)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "webhook_url") {
			t.Errorf("%s: %d %s", u, r.status, r.body)
		}
	}
	r := e.do("POST", "/v1/partners", RoleAdmin, `{"id": "p-ok", "name": "X", "webhook_url": "https://tow.example/hook"}`)
	e.wantStatus(r, http.StatusCreated, "a public webhook")
	// The client refuses a connection to loopback whatever the name.
	res, err := WebhookHTTPClient(false).Get(e.hooks.srv.URL)
	if err == nil {
		res.Body.Close()
		t.Fatalf("the webhook client reached %s", e.hooks.srv.URL)
	}
	var m map[string]any
	_ = json.Unmarshal(nil, &m)
}

// TestInsuranceLinksShownOnce: the policyholder's links (to report a loss
// under a policy, to follow a claim, and the one a report by link answers
// with) are in the first answer only: a repeat with the same
// Idempotency-Key says they were shown once, and neither the idempotency
// records nor anything else in the store file holds them.
func TestInsuranceLinksShownOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "desk.db")
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := newEnvOn(t, st)
	pid := e.createPolicy(readExample(t, "new-policy.json"))
	cid := e.openClaim(RoleClaims, pid)["id"].(string)
	var secrets []string
	shownOnce := func(first, again resp, what string, link func(map[string]any) map[string]any) {
		t.Helper()
		e.wantStatus(first, http.StatusCreated, what)
		e.wantStatus(again, http.StatusCreated, what+" again")
		secret, _ := link(first.json(t))["token"].(string)
		if len(secret) < 20 {
			t.Fatalf("%s: no token in the first answer: %s", what, first.body)
		}
		secrets = append(secrets, secret)
		m := again.json(t)
		if l := link(m); l["token"] != "" || l["url"] != "" || m["secret_shown_once"] != true ||
			bytes.Contains(again.body, []byte(secret)) || strings.Contains(again.header.Get("Location"), secret) {
			t.Errorf("%s: a repeat shows the link again: %s %v", what, again.body, again.header)
		}
	}
	top := func(m map[string]any) map[string]any { return m }
	for _, p := range []string{"/v1/policies/" + pid + "/links", "/v1/claims/" + cid + "/links"} {
		shownOnce(e.do("POST", p, RoleClaims, `{"expires_in_hours": 24}`, "Idempotency-Key", "k"+p),
			e.do("POST", p, RoleClaims, `{"expires_in_hours": 24}`, "Idempotency-Key", "k"+p), p, top)
	}
	pl := e.do("POST", "/v1/policies/"+pid+"/links", RoleClaims, "").json(t)["token"].(string)
	secrets = append(secrets, pl)
	report := "/v1/policy-links/" + pl + "/claims"
	body := reportFor(t, pid)
	first := e.do("POST", report, "", body, "Idempotency-Key", "holder-1")
	again := e.do("POST", report, "", body, "Idempotency-Key", "holder-1")
	shownOnce(first, again, "a report by link", func(m map[string]any) map[string]any {
		l, _ := m["claim_link"].(map[string]any)
		return l
	})
	if again.json(t)["claim"].(map[string]any)["claim_number"] != first.json(t)["claim"].(map[string]any)["claim_number"] {
		t.Errorf("the repeat names another claim: %s", again.body)
	}
	st.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(path + "-wal")
	for _, s := range secrets {
		if bytes.Contains(raw, []byte(s)) || bytes.Contains(wal, []byte(s)) {
			t.Errorf("the store file holds the link token %s… in clear", s[:8])
		}
	}
}
