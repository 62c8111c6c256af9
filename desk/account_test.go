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

func TestAccountRequest(t *testing.T) {
	r, err := desk.ReadAccountRequest([]byte(`{"email": " Ana.Silva@Desk.Example ", "name": " Ana Silva ", "role": "operator"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Email != "ana.silva@desk.example" || r.Name != "Ana Silva" || r.Password != "" {
		t.Fatalf("request = %+v", r)
	}
	for body, fields := range map[string][]string{
		`{}`: {"email", "name", "role"},
		`{"email": "no-at", "name": "X", "role": "operator"}`:                               {"email"},
		`{"email": "a@b", "name": "X", "role": "partner"}`:                                  {"role"},
		`{"email": "a@b", "name": "X", "role": "operator", "password": "short"}`:            {"password"},
		`{"email": "a@b.example", "name": "X", "role": "admin", "password": "A@B.example"}`: {"password"},
		`{"email": "a@b", "name": "X", "role": "operator", "extra": 1}`:                     {"extra"},
		`[1]`: {"body"},
	} {
		_, err := desk.ReadAccountRequest([]byte(body))
		if got := fieldsOf(err); !slices.Equal(got, fields) {
			t.Errorf("%s: fields %v, want %v", body, got, fields)
		}
	}
	if _, err := desk.ReadAccountRequest([]byte(`{"email": "a@b.example", "name": "X", "role": "admin", "password": "a long enough pass phrase"}`)); err != nil {
		t.Errorf("a good password refused: %v", err)
	}
}

// TestSignInLockout: wrong passwords count; the fifth locks the account for
// the lockout, a good password after it is refused until the lock ends,
// and a good password then clears the count and starts a session that ends
// when idle or at its absolute end.
func TestSignInLockout(t *testing.T) {
	h := newHarness(t)
	var acc store.Account
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		acc, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "OP@desk.example", Name: "Op", Role: desk.RoleOperator}, "hash", true)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Email != "op@desk.example" || !strings.HasPrefix(acc.ID, desk.AccountPrefix) || !acc.PasswordChangeDue {
		t.Fatalf("account %+v", acc)
	}
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "op@desk.example", Name: "Again", Role: desk.RoleAdmin}, "hash", false)
		return err
	})
	if codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("second account with the email: %v", err)
	}
	fail := func() store.Account {
		var a store.Account
		if err := h.update(func(ctx context.Context, tx store.Tx) error {
			var err error
			a, err = h.d.SignInFailed(ctx, tx, acc.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return a
	}
	for i := 1; i < desk.MaxFailedSignIns; i++ {
		if a := fail(); a.FailedSignIns != i {
			t.Fatalf("after %d failures: %+v", i, a)
		} else if _, locked := h.d.LockedUntil(a); locked {
			t.Fatalf("locked after %d failures", i)
		}
	}
	a := fail()
	until, locked := h.d.LockedUntil(a)
	if !locked || !until.Equal(h.now.Add(desk.DefaultLockout)) {
		t.Fatalf("after %d failures: locked %v until %v", desk.MaxFailedSignIns, locked, until)
	}
	start := func(hash string) (store.Session, error) {
		var s store.Session
		err := h.update(func(ctx context.Context, tx store.Tx) error {
			var err error
			_, s, err = h.d.StartSession(ctx, tx, acc.ID, []byte(hash))
			return err
		})
		return s, err
	}
	if _, err := start("h1"); codeOf(err) != roadcover.CodeTooManyRequests {
		t.Fatalf("session while locked: %v", err)
	}
	h.now = h.now.Add(desk.DefaultLockout)
	s, err := start("h1")
	if err != nil {
		t.Fatal(err)
	}
	if a := h.account(acc.ID); a.FailedSignIns != 0 || !a.LockedUntil.IsZero() {
		t.Fatalf("after a good password: %+v", a)
	}
	if !s.ExpiresAt.Equal(h.now.Add(desk.DefaultSessionMax)) || !h.d.SessionLive(s) {
		t.Fatalf("session %+v", s)
	}
	h.now = h.now.Add(desk.DefaultSessionIdle - time.Second)
	if !h.d.SessionLive(s) || !h.d.SessionNeedsTouch(s) {
		t.Fatal("a session used within its idle time ended")
	}
	h.now = h.now.Add(time.Second)
	if h.d.SessionLive(s) {
		t.Fatal("a session idle for the idle time lives on")
	}
	s.LastSeenAt = s.ExpiresAt.Add(-time.Minute)
	h.now = s.ExpiresAt
	if h.d.SessionLive(s) || !h.d.SessionEnds(s).Equal(s.ExpiresAt) {
		t.Fatal("a session lives past its absolute end")
	}
	// A disabled account starts no session.
	a = h.account(acc.ID)
	a.Disabled = true
	h.update(func(ctx context.Context, tx store.Tx) error { return tx.UpdateAccount(ctx, a) })
	if _, err := start("h2"); codeOf(err) != roadcover.CodeUnauthorized {
		t.Fatalf("session of a disabled account: %v", err)
	}
}

func (h *harness) account(id string) store.Account {
	h.t.Helper()
	var a store.Account
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		a, err = tx.GetAccount(context.Background(), id)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return a
}

func TestPasswordChange(t *testing.T) {
	if _, err := desk.ReadPasswordChange([]byte(`{"current_password": "x", "new_password": "x"}`), "a@b"); !slices.Equal(fieldsOf(err), []string{"new_password"}) {
		t.Errorf("short new password: %v", err)
	}
	if _, err := desk.ReadPasswordChange([]byte(`{"current_password": "same long password", "new_password": "same long password"}`), "a@b"); !slices.Equal(fieldsOf(err), []string{"new_password"}) {
		t.Errorf("unchanged password: %v", err)
	}
	if _, err := desk.ReadPasswordChange([]byte(`{"new_password": "a fine long password"}`), "a@b"); !slices.Equal(fieldsOf(err), []string{"current_password"}) {
		t.Errorf("no current password: %v", err)
	}
	h := newHarness(t)
	var acc store.Account
	h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		if acc, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "a@b", Name: "A", Role: desk.RoleClaims}, "old", true); err != nil {
			return err
		}
		for _, hs := range []string{"s1", "s2"} {
			if _, _, err := h.d.StartSession(ctx, tx, acc.ID, []byte(hs)); err != nil {
				return err
			}
		}
		return nil
	})
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.ChangePassword(ctx, tx, acc.ID, "new", []byte("s3"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a := h.account(acc.ID)
	if a.PasswordHash != "new" || a.PasswordChangeDue {
		t.Fatalf("after the change: %+v", a)
	}
	h.st.View(context.Background(), func(tx store.Tx) error {
		for _, hs := range []string{"s1", "s2"} {
			if _, err := tx.SessionByHash(context.Background(), []byte(hs)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("session %s survives the change: %v", hs, err)
			}
		}
		if _, err := tx.SessionByHash(context.Background(), []byte("s3")); err != nil {
			t.Errorf("the continuing session: %v", err)
		}
		return nil
	})
}

// TestOwnerAndNotes: a case is taken, assigned and given back, each an
// owner_changed event that moves the version; an unknown account, a
// partner's and a closed case are refused; notes go on the timeline.
func TestOwnerAndNotes(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	var op, other, claims store.Account
	h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		op, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "op@x", Name: "Op", Role: desk.RoleOperator}, "h", false)
		if err == nil {
			other, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "other@x", Name: "Other", Role: desk.RoleAdmin}, "h", false)
		}
		if err == nil {
			claims, err = h.d.CreateAccount(ctx, tx, desk.AccountRequest{Email: "claims@x", Name: "Claims", Role: desk.RoleClaims}, "h", false)
		}
		return err
	})
	me := desk.Actor{TokenID: op.ID, Role: op.Role}
	set := func(owner string, version int64) (desk.Case, error) {
		var out desk.Case
		err := h.update(func(ctx context.Context, tx store.Tx) error {
			var err error
			out, err = h.d.SetOwner(ctx, tx, me, c.ID, owner, version)
			return err
		})
		return out, err
	}
	got, err := set(op.ID, 1)
	if err != nil || got.Owner != op.ID || got.Version != 2 {
		t.Fatalf("take: %+v %v", got, err)
	}
	if _, err := set(other.ID, 1); codeOf(err) != roadcover.CodePrecondition {
		t.Fatalf("assign with a stale version: %v", err)
	}
	if got, err = set(other.ID, 0); err != nil || got.Owner != other.ID {
		t.Fatalf("assign: %+v %v", got, err)
	}
	if got, err = set(other.ID, 0); err != nil || got.Version != 3 {
		t.Fatalf("assign to the same owner again: version %d %v", got.Version, err)
	}
	for _, bad := range []string{"acc_nobody", claims.ID} {
		if _, err := set(bad, 0); !slices.Equal(fieldsOf(err), []string{"owner"}) {
			t.Errorf("owner %s: %v", bad, err)
		}
	}
	if got, err = set("", 0); err != nil || got.Owner != "" {
		t.Fatalf("give back: %+v %v", got, err)
	}
	if list := h.list(); list[0].Owner != "" {
		t.Fatalf("list shows owner %q", list[0].Owner)
	}
	set(op.ID, 0)
	if list := h.list(); list[0].Owner != op.ID {
		t.Fatalf("list shows owner %q, want %s", list[0].Owner, op.ID)
	}
	var owners []desk.OwnerData
	for _, ev := range h.events(c.ID) {
		if ev.Kind == desk.EventOwnerChanged {
			var d desk.OwnerData
			json.Unmarshal(ev.Data, &d)
			owners = append(owners, d)
			if ev.Actor.TokenID != op.ID {
				t.Errorf("owner_changed by %+v", ev.Actor)
			}
		}
	}
	want := []desk.OwnerData{{From: "", To: op.ID}, {From: op.ID, To: other.ID}, {From: other.ID, To: ""}, {From: "", To: op.ID}}
	if !slices.Equal(owners, want) {
		t.Fatalf("owner events %+v, want %+v", owners, want)
	}

	if _, err := desk.ReadNote([]byte(`{"text": "  "}`)); !slices.Equal(fieldsOf(err), []string{"text"}) {
		t.Errorf("blank note: %v", err)
	}
	text, err := desk.ReadNote([]byte(`{"text": " Caller waits at the petrol station, phone battery low. "}`))
	if err != nil {
		t.Fatal(err)
	}
	var ev store.Event
	h.update(func(ctx context.Context, tx store.Tx) error {
		if _, err := h.d.Close(ctx, tx, me, c.ID, "done"); err != nil {
			return err
		}
		ev, err = h.d.AddNote(ctx, tx, me, c.ID, text)
		return err
	})
	evs := h.events(c.ID)
	last := evs[len(evs)-1]
	if last.Kind != desk.EventNoteAdded || last.Seq != ev.Seq || !strings.Contains(string(last.Data), `"text":"Caller waits at the petrol station, phone battery low."`) {
		t.Fatalf("note event %+v (returned %+v)", last, ev)
	}
	if _, err := set(op.ID, 0); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("owner of a closed case: %v", err)
	}
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.AddNote(ctx, tx, me, "nothing", "x")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("note on no case: %v", err)
	}
}

func (h *harness) list() []desk.Summary {
	h.t.Helper()
	var out []desk.Summary
	h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		out, _, err = desk.List(context.Background(), tx, store.CaseFilter{})
		return err
	})
	return out
}
