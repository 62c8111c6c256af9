package desk_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/store"
)

func TestReadAccountChange(t *testing.T) {
	c, err := desk.ReadAccountChange([]byte(`{"name": " Ana Silva ", "role": "claims_handler", "payment_limit": "25000.50", "disabled": true}`))
	if err != nil {
		t.Fatal(err)
	}
	if *c.Name != "Ana Silva" || *c.Role != desk.RoleClaims || *c.PaymentLimit != 2_500_050 || !*c.Disabled {
		t.Fatalf("change %+v", c)
	}
	c, err = desk.ReadAccountChange([]byte(`{"payment_limit": null}`))
	if err != nil || c.PaymentLimit == nil || *c.PaymentLimit != 0 || c.Name != nil || c.Role != nil || c.Disabled != nil {
		t.Fatalf("a removed payment limit: %+v %v", c, err)
	}
	if c, err := desk.ReadAccountChange([]byte(`{}`)); err != nil || !c.Empty() {
		t.Fatalf("an empty change: %+v %v", c, err)
	}
	for body, fields := range map[string][]string{
		`{"name": " ", "role": "partner", "payment_limit": "-1", "disabled": "yes"}`: {"name", "role", "payment_limit", "disabled"},
		`{"name": null, "role": null, "disabled": null}`:                             {"name", "role", "disabled"},
		`{"email": "new@desk.example", "password": "a long new passphrase"}`:         {"email", "password"},
		`{"payment_limit": "100000000.01"}`:                                          {"payment_limit"},
		`{"payment_limit": "12.345"}`:                                                {"payment_limit"},
		`{"name": "` + strings.Repeat("x", 201) + `"}`:                               {"name"},
		`{"role": "operator", "extra": 1}`:                                           {"extra"},
		`[1]`:                                                                        {"body"},
		`{"name": "A", "name": "B"}`:                                                 {"name"},
	} {
		_, err := desk.ReadAccountChange([]byte(body))
		got := fieldsOf(err)
		slices.Sort(got)
		want := slices.Clone(fields)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%.60s: fields %v, want %v (%v)", body, got, want, err)
		}
	}
}

// accounts makes accounts for the administration tests: two
// administrators, an operator and a claims handler with a limit.
func (h *harness) accounts() (adminA, adminB, op, claims store.Account) {
	h.t.Helper()
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		mk := func(email, name, role string, limit int64) store.Account {
			if err != nil {
				return store.Account{}
			}
			var a store.Account
			a, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: email, Name: name, Role: role, PaymentLimit: limit}, "hash:"+email, false)
			return a
		}
		adminA = mk("ada@desk.example", "Ada", desk.RoleAdmin, 0)
		adminB = mk("bea@desk.example", "Bea", desk.RoleAdmin, 0)
		op = mk("olga@desk.example", "Olga", desk.RoleOperator, 0)
		claims = mk("carl@desk.example", "Carl", desk.RoleClaims, 50_000_00)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return
}

func (h *harness) change(by desk.Actor, id string, version int64, body string) (store.Account, error) {
	h.t.Helper()
	c, err := desk.ReadAccountChange([]byte(body))
	if err != nil {
		h.t.Fatalf("%s: %v", body, err)
	}
	var a store.Account
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		a, err = h.d.ChangeAccount(ctx, tx, by, id, version, c)
		return err
	})
	return a, err
}

func (h *harness) accountEvents(id string) []store.AccountEvent {
	h.t.Helper()
	var evs []store.AccountEvent
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		evs, err = desk.AccountEvents(context.Background(), tx, id, 0)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func (h *harness) startSessions(id string, hashes ...string) {
	h.t.Helper()
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		for _, hs := range hashes {
			if _, _, err := h.d.StartSession(ctx, tx, id, []byte(hs)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) sessionLives(hash string) bool {
	h.t.Helper()
	var err error
	h.st.View(context.Background(), func(tx store.Tx) error {
		_, err = tx.SessionByHash(context.Background(), []byte(hash))
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.t.Fatal(err)
	}
	return err == nil
}

// TestChangeAccount: an administrator renames an account, changes its role
// and limit and disables and enables it; each change is an event naming
// who made it and what changed, and moves the version. A stale version,
// an unknown account, a limit for another role, disabling or demoting
// oneself and leaving no enabled administrator are refused.
func TestChangeAccount(t *testing.T) {
	h := newHarness(t)
	ada, bea, olga, carl := h.accounts()
	byAda := desk.Actor{TokenID: ada.ID, Role: desk.RoleAdmin}
	byToken := desk.Actor{TokenID: "tok_admin", Role: desk.RoleAdmin}
	if ada.Version != 1 {
		t.Fatalf("a new account's version: %d", ada.Version)
	}

	h.now = h.now.Add(time.Hour)
	got, err := h.change(byAda, carl.ID, 1, `{"name": "Carl Berg", "role": "operator"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Carl Berg" || got.Role != desk.RoleOperator || got.PaymentLimit != 0 || got.Version != 2 || !got.UpdatedAt.Equal(h.now) {
		t.Fatalf("changed %+v", got)
	}
	evs := h.accountEvents(carl.ID)
	if len(evs) != 2 || evs[0].Kind != desk.EventAccountChanged || evs[1].Kind != desk.EventAccountCreated {
		t.Fatalf("events %+v", evs)
	}
	var changed desk.AccountChangedData
	json.Unmarshal(evs[0].Data, &changed)
	if evs[0].Actor.TokenID != ada.ID || !evs[0].At.Equal(h.now) || *changed.Name != (desk.FieldChange{From: "Carl", To: "Carl Berg"}) ||
		*changed.Role != (desk.FieldChange{From: desk.RoleClaims, To: desk.RoleOperator}) ||
		*changed.PaymentLimit != (desk.FieldChange{From: "50000.00", To: "0.00"}) {
		t.Fatalf("account_changed %s by %+v", evs[0].Data, evs[0].Actor)
	}
	var created desk.AccountCreatedData
	json.Unmarshal(evs[1].Data, &created)
	if created != (desk.AccountCreatedData{Email: "carl@desk.example", Name: "Carl", Role: desk.RoleClaims, PaymentLimit: "50000.00"}) ||
		evs[1].Actor != desk.System {
		t.Fatalf("account_created %s by %+v", evs[1].Data, evs[1].Actor)
	}

	// Refusals, each leaving the account as it was.
	for _, x := range []struct {
		by      desk.Actor
		id      string
		version int64
		body    string
		code    roadcover.Code
		field   string
	}{
		{byAda, carl.ID, 1, `{"name": "Stale"}`, roadcover.CodePrecondition, ""},
		{byAda, "acc_nobody", 0, `{"name": "X"}`, roadcover.CodeNotFound, ""},
		{byAda, olga.ID, 0, `{"payment_limit": "100.00"}`, roadcover.CodeInvalidInput, "payment_limit"},
		{byAda, ada.ID, 0, `{"disabled": true}`, roadcover.CodeConflict, ""},
		{byAda, ada.ID, 0, `{"role": "operator"}`, roadcover.CodeConflict, ""},
	} {
		_, err := h.change(x.by, x.id, x.version, x.body)
		if codeOf(err) != x.code || (x.field != "" && !slices.Equal(fieldsOf(err), []string{x.field})) {
			t.Errorf("%s on %s: %v, want %s %s", x.body, x.id, err, x.code, x.field)
		}
	}
	if a := h.account(ada.ID); a.Version != 1 || a.Disabled || a.Role != desk.RoleAdmin {
		t.Fatalf("a refused change changed %+v", a)
	}
	// A change to the values the account has records nothing.
	if got, err := h.change(byAda, olga.ID, 1, `{"name": "Olga", "role": "operator", "disabled": false, "payment_limit": null}`); err != nil || got.Version != 1 {
		t.Fatalf("a change of nothing: %+v %v", got, err)
	}
	if n := len(h.accountEvents(olga.ID)); n != 1 {
		t.Fatalf("a change of nothing recorded %d events", n)
	}
	// The claims handler's role back, with a limit.
	if got, err := h.change(byAda, carl.ID, 0, `{"role": "claims_handler", "payment_limit": "20000"}`); err != nil || got.PaymentLimit != 20_000_00 {
		t.Fatalf("a limit with the role: %+v %v", got, err)
	}

	// Disabling ends the account's sessions at once.
	h.startSessions(bea.ID, "bea-1", "bea-2")
	h.startSessions(olga.ID, "olga-1")
	got, err = h.change(byAda, bea.ID, 0, `{"disabled": true}`)
	if err != nil || !got.Disabled || got.Version != 2 {
		t.Fatalf("disable: %+v %v", got, err)
	}
	if h.sessionLives("bea-1") || h.sessionLives("bea-2") || !h.sessionLives("olga-1") {
		t.Fatal("disabling ended the wrong sessions")
	}
	evs = h.accountEvents(bea.ID)
	if evs[0].Kind != desk.EventAccountDisabled || string(evs[0].Data) != `{"sessions_ended":2}` || len(evs) != 2 {
		t.Fatalf("events after disabling: %+v", evs)
	}
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		_, _, err := h.d.StartSession(ctx, tx, bea.ID, []byte("bea-3"))
		return err
	})
	if codeOf(err) != roadcover.CodeUnauthorized {
		t.Fatalf("a session of a disabled account: %v", err)
	}

	// Ada is now the last enabled administrator: nobody may disable or
	// demote her, not even with an administrator's token.
	for _, body := range []string{`{"disabled": true}`, `{"role": "payments"}`} {
		if _, err := h.change(byToken, ada.ID, 0, body); codeOf(err) != roadcover.CodeConflict {
			t.Errorf("%s on the last administrator: %v", body, err)
		}
	}
	// Bea enabled again is another enabled administrator: then Ada may go.
	got, err = h.change(byAda, bea.ID, 0, `{"disabled": false}`)
	if err != nil || got.Disabled {
		t.Fatalf("enable: %+v %v", got, err)
	}
	if evs := h.accountEvents(bea.ID); evs[0].Kind != desk.EventAccountEnabled || evs[0].Actor.TokenID != ada.ID {
		t.Fatalf("enabled event %+v", evs[0])
	}
	if got, err := h.change(byToken, ada.ID, 0, `{"role": "operator"}`); err != nil || got.Role != desk.RoleOperator {
		t.Fatalf("demote with another administrator left: %+v %v", got, err)
	}
	for _, e := range append(h.accountEvents(ada.ID), h.accountEvents(bea.ID)...) {
		if strings.Contains(string(e.Data), "hash") {
			t.Fatalf("an event holds a hash: %s", e.Data)
		}
	}
}

// TestResetPassword: a reset gives a one-time password, ends the
// account's sessions, lifts a lock and is recorded; an administrator does
// not reset their own.
func TestResetPassword(t *testing.T) {
	h := newHarness(t)
	ada, _, olga, _ := h.accounts()
	byAda := desk.Actor{TokenID: ada.ID, Role: desk.RoleAdmin}
	h.startSessions(olga.ID, "olga-1", "olga-2")
	for range desk.MaxFailedSignIns {
		h.update(func(ctx context.Context, tx store.Tx) error { _, err := h.d.SignInFailed(ctx, tx, olga.ID); return err })
	}
	if _, locked := h.d.LockedUntil(h.account(olga.ID)); !locked {
		t.Fatal("not locked")
	}
	if v := h.d.AdminView(h.account(olga.ID)); v.LockedUntil == nil || v.LastSignInAt == nil || !v.LastSignInAt.Equal(h.now) {
		t.Fatalf("the administrator's view of a locked account: %+v", v)
	}
	if v := desk.ViewOf(h.account(olga.ID)); v.LockedUntil != nil || v.LastSignInAt != nil {
		t.Fatalf("everyone's view: %+v", v)
	}
	reset := func(by desk.Actor, id string, version int64) (store.Account, error) {
		var a store.Account
		err := h.update(func(ctx context.Context, tx store.Tx) error {
			var err error
			a, err = h.d.ResetPassword(ctx, tx, by, id, version, "hash:one-time")
			return err
		})
		return a, err
	}
	if _, err := reset(byAda, olga.ID, 7); codeOf(err) != roadcover.CodePrecondition {
		t.Fatalf("stale reset: %v", err)
	}
	if _, err := reset(byAda, ada.ID, 0); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("own reset: %v", err)
	}
	if _, err := reset(byAda, "acc_nobody", 0); codeOf(err) != roadcover.CodeNotFound {
		t.Fatalf("reset of nobody: %v", err)
	}
	h.now = h.now.Add(time.Minute)
	a, err := reset(byAda, olga.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a.PasswordHash != "hash:one-time" || !a.PasswordChangeDue || a.FailedSignIns != 0 || !a.LockedUntil.IsZero() || a.Version != 2 {
		t.Fatalf("after the reset: %+v", a)
	}
	if h.sessionLives("olga-1") || h.sessionLives("olga-2") {
		t.Fatal("a session outlived the reset")
	}
	evs := h.accountEvents(olga.ID)
	if evs[0].Kind != desk.EventPasswordReset || string(evs[0].Data) != `{"sessions_ended":2}` || evs[0].Actor.TokenID != ada.ID || !evs[0].At.Equal(h.now) {
		t.Fatalf("reset event %+v %s", evs[0], evs[0].Data)
	}
	// The account chooses its own password: recorded as its own change.
	h.startSessions(olga.ID, "olga-3")
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.ChangePassword(ctx, tx, olga.ID, "hash:own", []byte("olga-4"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	evs = h.accountEvents(olga.ID)
	if a := h.account(olga.ID); evs[0].Kind != desk.EventPasswordChanged || evs[0].Actor.TokenID != olga.ID || a.Version != 3 || a.PasswordChangeDue {
		t.Fatalf("own change: %+v, account %+v", evs[0], a)
	}
	for _, e := range evs {
		if strings.Contains(string(e.Data), "one-time\"") || strings.Contains(string(e.Data), "hash:") {
			t.Fatalf("an event holds a password's hash: %s", e.Data)
		}
	}
}
