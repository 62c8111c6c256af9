package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
