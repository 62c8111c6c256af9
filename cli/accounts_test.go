package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roadcover/authtoken"
	"roadcover/database"
	"roadcover/store"
)

func TestAccountsCreate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "desk.db")
	code, out, errOut := run(t, "", "accounts", "create", "--db", db, "--role", "operator", "--name", "Olga Operator", "--email", "Olga@Desk.Example")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	pw := lines[len(lines)-1]
	if !strings.Contains(out, "(operator, olga@desk.example)") || len(pw) != 23 {
		t.Fatalf("output %q", out)
	}
	code, _, errOut = run(t, "a passphrase of my own\n", "accounts", "create", "--db", db, "--role", "admin", "--name", "Ada", "--email", "ada@desk.example", "--password-stdin")
	if code != 0 {
		t.Fatalf("with a password from stdin: exit %d: %s", code, errOut)
	}
	if code, _, errOut = run(t, "", "accounts", "create", "--db", db, "--role", "operator", "--name", "Again", "--email", "olga@desk.example"); code == 0 {
		t.Fatal("a second account with the email was created")
	}
	if code, _, errOut = run(t, "short\n", "accounts", "create", "--db", db, "--role", "operator", "--name", "S", "--email", "s@desk.example", "--password-stdin"); code != 2 || !strings.Contains(errOut, `"password"`) {
		t.Fatalf("short password: exit %d %s", code, errOut)
	}
	if code, _, errOut = run(t, "", "accounts", "create", "--db", db, "--role", "partner", "--email", "x"); code != 2 || !strings.Contains(errOut, `"role"`) || !strings.Contains(errOut, `"email"`) || !strings.Contains(errOut, `"name"`) {
		t.Fatalf("bad request: exit %d %s", code, errOut)
	}
	st, err := database.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(context.Background(), func(tx store.Tx) error {
		olga, err := tx.AccountByEmail(context.Background(), "olga@desk.example")
		if err != nil || !olga.PasswordChangeDue || !authtoken.CheckPassword(olga.PasswordHash, pw) {
			t.Errorf("olga: %+v %v", olga, err)
		}
		ada, err := tx.AccountByEmail(context.Background(), "ada@desk.example")
		if err != nil || ada.PasswordChangeDue || !authtoken.CheckPassword(ada.PasswordHash, "a passphrase of my own") {
			t.Errorf("ada: %+v %v", ada, err)
		}
		return nil
	})
	code, out, _ = run(t, "", "accounts", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "olga@desk.example") || !strings.Contains(out, "one-time password") || strings.Contains(out, "argon2") {
		t.Fatalf("list: %d %s", code, out)
	}
}

func TestSitesImportIntoStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "desk.db")
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("id,kind,name,lat,lon\nws-1,workshop,Workshop Munich,48.14,11.58\nch-1,charger,Charger Innsbruck,47.27,11.40\n"), 0o644)
	code, out, errOut := run(t, "", "sites", "import", "--db", db, good)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Imported, Sites int
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Imported != 2 || res.Sites != 2 {
		t.Fatalf("import: %s %v", out, err)
	}
	st, err := database.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(context.Background(), func(tx store.Tx) error {
		list, err := tx.Sites(context.Background(), "")
		if err != nil || len(list) != 2 || list[0].ID != "ch-1" || list[0].Country != "AT" {
			t.Errorf("stored sites %+v %v", list, err)
		}
		return nil
	})
}

// TestAccountsAdministration: set, disable, enable and reset-password
// change an account found by its email, recorded as the command line's
// changes; bad flags are all named (exit 2); an unknown email and the last
// administrator are refused (exit 1).
func TestAccountsAdministration(t *testing.T) {
	db := filepath.Join(t.TempDir(), "desk.db")
	mustRun := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := run(t, stdin, append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	mustRun("the administrator's passphrase\n", "accounts", "create", "--role", "admin", "--name", "Ada", "--email", "ada@desk.example", "--password-stdin")
	mustRun("", "accounts", "create", "--role", "operator", "--name", "Olga", "--email", "olga@desk.example")
	st, err := database.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	account := func(email string) store.Account {
		t.Helper()
		var a store.Account
		if err := st.View(context.Background(), func(tx store.Tx) error {
			var err error
			a, err = tx.AccountByEmail(context.Background(), email)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return a
	}

	out := mustRun("", "accounts", "set", "OLGA@desk.example", "--role", "claims_handler", "--payment-limit", "1500", "--name", "Olga Berg")
	if a := account("olga@desk.example"); a.Role != "claims_handler" || a.PaymentLimit != 150000 || a.Name != "Olga Berg" || a.Version != 2 ||
		!strings.Contains(out, "payment limit 1500.00 SEK") {
		t.Fatalf("after set: %+v\n%s", a, out)
	}
	for _, x := range []struct {
		args   []string
		code   int
		fields []string
	}{
		{[]string{"accounts", "set", "olga@desk.example", "--role", "partner", "--payment-limit", "lots", "--name", " "}, 2, []string{`"role"`, `"payment-limit"`, `"name"`}},
		{[]string{"accounts", "set", "olga@desk.example", "--role", "operator", "--payment-limit", "10"}, 2, []string{`"payment-limit"`}},
		{[]string{"accounts", "set", "olga@desk.example"}, 2, []string{"nothing to change"}},
		{[]string{"accounts", "disable"}, 2, []string{"email"}},
		{[]string{"accounts", "enable", "olga@desk.example", "ada@desk.example"}, 2, []string{"email"}},
		{[]string{"accounts", "set", "nobody@desk.example", "--name", "X"}, 1, []string{"no account"}},
		{[]string{"accounts", "reset-password", "nobody@desk.example"}, 1, []string{"no account"}},
		{[]string{"accounts", "set", "ada@desk.example", "--role", "operator"}, 1, []string{"last enabled administrator"}},
		{[]string{"accounts", "disable", "ada@desk.example"}, 1, []string{"last enabled administrator"}},
	} {
		code, _, errOut := run(t, "", append(x.args, "--db", db)...)
		if code != x.code {
			t.Errorf("%v: exit %d, want %d: %s", x.args, code, x.code, errOut)
		}
		for _, f := range x.fields {
			if !strings.Contains(errOut, f) {
				t.Errorf("%v: %q not named: %s", x.args, f, errOut)
			}
		}
	}
	if a := account("olga@desk.example"); a.Version != 2 {
		t.Fatalf("a refused change changed the account: %+v", a)
	}

	// Disabling ends the account's sessions.
	olga := account("olga@desk.example")
	if err := st.Update(context.Background(), func(tx store.Tx) error {
		return tx.InsertSession(context.Background(), store.Session{Hash: authtoken.Hash("rcs_olga"), AccountID: olga.ID,
			CreatedAt: olga.CreatedAt, LastSeenAt: olga.CreatedAt, ExpiresAt: olga.CreatedAt.Add(time.Hour)})
	}); err != nil {
		t.Fatal(err)
	}
	mustRun("", "accounts", "disable", "olga@desk.example")
	st.View(context.Background(), func(tx store.Tx) error {
		if _, err := tx.SessionByHash(context.Background(), authtoken.Hash("rcs_olga")); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a session outlived disabling: %v", err)
		}
		return nil
	})
	if !account("olga@desk.example").Disabled || !strings.Contains(mustRun("", "accounts", "list"), "disabled") {
		t.Fatal("not disabled")
	}
	mustRun("", "accounts", "enable", "olga@desk.example")
	out = mustRun("", "accounts", "reset-password", "olga@desk.example")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	pw := lines[len(lines)-1]
	if a := account("olga@desk.example"); a.Disabled || !a.PasswordChangeDue || !authtoken.CheckPassword(a.PasswordHash, pw) || len(pw) != 23 {
		t.Fatalf("after enable and reset: %+v (password %q)", a, pw)
	}
	list := mustRun("", "accounts", "list")
	if !strings.Contains(list, "1500.00") || !strings.Contains(list, "one-time password") || strings.Contains(list, pw) {
		t.Fatalf("list:\n%s", list)
	}
	st.View(context.Background(), func(tx store.Tx) error {
		evs, err := tx.AccountEvents(context.Background(), olga.ID, 0)
		if err != nil {
			return err
		}
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
			if e.Actor.TokenID != "cli" || strings.Contains(string(e.Data), pw) {
				t.Errorf("event %+v %s", e, e.Data)
			}
		}
		if want := "password_reset account_enabled account_disabled account_changed account_created"; strings.Join(kinds, " ") != want {
			t.Errorf("events %v, want %s", kinds, want)
		}
		return nil
	})
}
