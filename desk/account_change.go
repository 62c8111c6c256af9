package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// Account administration: an administrator changes an account's name,
// role and payment limit, disables and enables it, and resets its
// password to a one-time password. Disabling and resetting end the
// account's sessions in the same transaction. The desk keeps at least one
// enabled administrator's account, and an administrator may neither
// disable their own account nor take the admin role from it. Every change
// is an account event naming who made it and when; no event holds a
// password or its hash.

// Kinds of account events.
const (
	EventAccountCreated  = "account_created"
	EventAccountChanged  = "account_changed"
	EventAccountDisabled = "account_disabled"
	EventAccountEnabled  = "account_enabled"
	EventPasswordReset   = "password_reset"   // by an administrator: a one-time password
	EventPasswordChanged = "password_changed" // by the account itself
)

// AccountEventKinds lists the kinds of account events.
var AccountEventKinds = []string{EventAccountCreated, EventAccountChanged, EventAccountDisabled,
	EventAccountEnabled, EventPasswordReset, EventPasswordChanged}

// AccountCreatedData is the data of an account_created event.
type AccountCreatedData struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	Role         string `json:"role"`
	PaymentLimit string `json:"payment_limit,omitempty"` // SEK, claims handlers
	// OneTimePassword says the account was given a one-time password (not
	// which).
	OneTimePassword bool `json:"one_time_password"`
}

// FieldChange is one field's value before and after a change.
type FieldChange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// AccountChangedData is the data of an account_changed event: the fields
// that changed.
type AccountChangedData struct {
	Name         *FieldChange `json:"name,omitempty"`
	Role         *FieldChange `json:"role,omitempty"`
	PaymentLimit *FieldChange `json:"payment_limit,omitempty"` // SEK
}

func (c AccountChangedData) empty() bool {
	return c.Name == nil && c.Role == nil && c.PaymentLimit == nil
}

// SessionsEndedData is the data of account_disabled, password_reset and
// password_changed events: how many of the account's sessions the change
// ended.
type SessionsEndedData struct {
	SessionsEnded int64 `json:"sessions_ended"`
}

// AccountChange is an administrator's change of an account, a JSON merge
// patch (RFC 7386) of {"name", "role", "payment_limit", "disabled"}: a
// field left out stays as it is; "payment_limit": null is 0. The email
// and the password are not changed this way.
type AccountChange struct {
	Name, Role   *string
	PaymentLimit *int64 // öre; claims handlers only
	Disabled     *bool
}

// ReadAccountChange decodes an account change and names every bad field.
// Whether a payment limit fits the account's role is checked by
// ChangeAccount, which knows the role.
func ReadAccountChange(body []byte) (AccountChange, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var c AccountChange
	if errs.Has("body") {
		return c, errs.Err()
	}
	nulls := nullMembers(body)
	for _, f := range []string{"name", "role", "disabled"} {
		if nulls[f] {
			errs.Add(f, roadcover.CodeInvalidInput, "may not be removed; leave the field out to keep it")
		}
	}
	if s, ok := o.String("name"); ok {
		s = strings.TrimSpace(s)
		c.Name = &s
	}
	if s, ok := o.String("role"); ok {
		c.Role = &s
	}
	if v, ok := o.Money("payment_limit"); ok {
		c.PaymentLimit = &v
	} else if nulls["payment_limit"] {
		c.PaymentLimit = new(int64)
	}
	if v, ok := o.Bool("disabled"); ok {
		c.Disabled = &v
	}
	o.Skip("email", "password")
	if o.Has("email") || nulls["email"] {
		errs.Add("email", roadcover.CodeInvalidInput, "cannot be changed: create an account with the new email and disable this one")
	}
	if o.Has("password") || nulls["password"] {
		errs.Add("password", roadcover.CodeInvalidInput, "cannot be set by an administrator: reset it to a one-time password instead")
	}
	o.Done()
	c.Check(errs)
	return c, errs.Err()
}

// nullMembers is the set of the members of a JSON object given as null.
func nullMembers(body []byte) map[string]bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	out := map[string]bool{}
	for k, v := range m {
		if string(v) == "null" {
			out[k] = true
		}
	}
	return out
}

// Check adds what is wrong with the change's fields to errs.
func (c AccountChange) Check(errs *roadcover.InputError) {
	if c.Name != nil && !errs.Has("name") {
		if n := strings.TrimSpace(*c.Name); n == "" || utf8.RuneCountInString(n) > 200 {
			errs.Add("name", roadcover.CodeInvalidInput, "the person's name, at most 200 characters")
		}
	}
	if c.Role != nil && !errs.Has("role") && !slices.Contains(AccountRoles, *c.Role) {
		errs.Add("role", roadcover.CodeInvalidInput, "one of "+strings.Join(AccountRoles, ", "))
	}
	if c.PaymentLimit != nil && !errs.Has("payment_limit") && (*c.PaymentLimit < 0 || *c.PaymentLimit > MaxPaymentLimit) {
		errs.Add("payment_limit", roadcover.CodeInvalidInput, "from 0 to 100000000.00 (SEK)")
	}
}

// Empty reports whether the change names no field.
func (c AccountChange) Empty() bool {
	return c.Name == nil && c.Role == nil && c.PaymentLimit == nil && c.Disabled == nil
}

// accountToChange reads the account an administrator changes; ifVersion,
// when not 0, is the version the administrator read.
func accountToChange(ctx context.Context, tx store.Tx, id string, ifVersion int64) (store.Account, error) {
	a, err := tx.GetAccount(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Account{}, notFound("no account " + roadcover.Quote(id))
	}
	if err != nil {
		return store.Account{}, wrap("account "+id, err)
	}
	if ifVersion != 0 && ifVersion != a.Version {
		return store.Account{}, precondition(fmt.Sprintf("the account is at version %d; fetch it again and reapply the change", a.Version))
	}
	return a, nil
}

// ChangeAccount applies an administrator's change to the account id.
// ifVersion, when not 0, is the version the administrator read (another
// is a precondition failure). The account's payment limit goes to 0 when
// it stops being a claims handler's; a limit for another role is refused.
// An administrator may not disable their own account nor take the admin
// role from it, and the last enabled administrator's account stays one
// (conflicts). Disabling ends the account's sessions. A change that
// changes nothing records nothing and leaves the version.
func (d *Desk) ChangeAccount(ctx context.Context, tx store.Tx, by Actor, id string, ifVersion int64, c AccountChange) (store.Account, error) {
	errs := &roadcover.InputError{}
	c.Check(errs)
	if err := errs.Err(); err != nil {
		return store.Account{}, err
	}
	a, err := accountToChange(ctx, tx, id, ifVersion)
	if err != nil {
		return store.Account{}, err
	}
	next := a
	if c.Name != nil {
		next.Name = strings.TrimSpace(*c.Name)
	}
	if c.Role != nil {
		next.Role = *c.Role
	}
	if c.PaymentLimit != nil {
		next.PaymentLimit = *c.PaymentLimit
	}
	if next.Role != RoleClaims {
		if c.PaymentLimit != nil && *c.PaymentLimit != 0 {
			return store.Account{}, invalid("payment_limit", "only for the claims_handler role (the account's role is "+next.Role+")")
		}
		next.PaymentLimit = 0
	}
	if c.Disabled != nil {
		next.Disabled = *c.Disabled
	}
	if by.TokenID == a.ID {
		if next.Disabled && !a.Disabled {
			return store.Account{}, conflict("you may not disable your own account; another administrator may")
		}
		if a.Role == RoleAdmin && next.Role != RoleAdmin {
			return store.Account{}, conflict("you may not take the admin role from your own account; another administrator may")
		}
	}
	if err := keepAnAdmin(ctx, tx, a, next); err != nil {
		return store.Account{}, err
	}
	var changed AccountChangedData
	if next.Name != a.Name {
		changed.Name = &FieldChange{From: a.Name, To: next.Name}
	}
	if next.Role != a.Role {
		changed.Role = &FieldChange{From: a.Role, To: next.Role}
	}
	if next.PaymentLimit != a.PaymentLimit {
		changed.PaymentLimit = &FieldChange{From: roadcover.FormatMinor(a.PaymentLimit), To: roadcover.FormatMinor(next.PaymentLimit)}
	}
	if changed.empty() && next.Disabled == a.Disabled {
		return a, nil
	}
	next.Version++
	next.UpdatedAt = d.now()
	if err := tx.UpdateAccount(ctx, next); err != nil {
		return store.Account{}, wrap("change account "+id, err)
	}
	if !changed.empty() {
		if err := appendAccountEvent(ctx, tx, next, by, EventAccountChanged, changed); err != nil {
			return store.Account{}, err
		}
	}
	switch {
	case next.Disabled && !a.Disabled:
		n, err := tx.DeleteSessionsOf(ctx, id)
		if err != nil {
			return store.Account{}, wrap("end sessions of "+id, err)
		}
		if err := appendAccountEvent(ctx, tx, next, by, EventAccountDisabled, SessionsEndedData{SessionsEnded: n}); err != nil {
			return store.Account{}, err
		}
	case !next.Disabled && a.Disabled:
		if err := appendAccountEvent(ctx, tx, next, by, EventAccountEnabled, struct{}{}); err != nil {
			return store.Account{}, err
		}
	}
	return next, nil
}

// keepAnAdmin refuses a change that would leave no enabled
// administrator's account. The enabled administrators' accounts are read
// with their rows held, so that two such changes made at once cannot both
// pass.
func keepAnAdmin(ctx context.Context, tx store.Tx, before, after store.Account) error {
	if before.Role != RoleAdmin || before.Disabled || (after.Role == RoleAdmin && !after.Disabled) {
		return nil
	}
	admins, err := tx.EnabledAccounts(ctx, RoleAdmin)
	if err != nil {
		return wrap("enabled administrators", err)
	}
	for _, x := range admins {
		if x.ID != before.ID {
			return nil
		}
	}
	return conflict("this is the last enabled administrator's account; make another account an administrator first")
}

// ResetPassword gives the account id the password whose hash is
// passwordHash as a one-time password: the account must choose its own at
// its next sign-in, its sessions end, and a lock after wrong passwords is
// lifted. ifVersion, when not 0, is the version the administrator read. An
// administrator changes their own password instead (a conflict here).
func (d *Desk) ResetPassword(ctx context.Context, tx store.Tx, by Actor, id string, ifVersion int64, passwordHash string) (store.Account, error) {
	a, err := accountToChange(ctx, tx, id, ifVersion)
	if err != nil {
		return store.Account{}, err
	}
	if by.TokenID == a.ID {
		return store.Account{}, conflict("you may not reset your own password; change it with your current one")
	}
	a.PasswordHash, a.PasswordChangeDue = passwordHash, true
	a.FailedSignIns, a.LockedUntil = 0, time.Time{}
	a.Version++
	a.UpdatedAt = d.now()
	if err := tx.UpdateAccount(ctx, a); err != nil {
		return store.Account{}, wrap("reset password of "+id, err)
	}
	n, err := tx.DeleteSessionsOf(ctx, id)
	if err != nil {
		return store.Account{}, wrap("end sessions of "+id, err)
	}
	if err := appendAccountEvent(ctx, tx, a, by, EventPasswordReset, SessionsEndedData{SessionsEnded: n}); err != nil {
		return store.Account{}, err
	}
	return a, nil
}

// appendAccountEvent records a change of a at a.UpdatedAt.
func appendAccountEvent(ctx context.Context, tx store.Tx, a store.Account, by Actor, kind string, data any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return wrap("encode "+kind, err)
	}
	e := store.AccountEvent{AccountID: a.ID, At: a.UpdatedAt, Actor: store.Actor{TokenID: by.TokenID, Role: by.Role}, Kind: kind, Data: b}
	if _, err := tx.AppendAccountEvent(ctx, e); err != nil {
		return wrap("record "+kind+" of "+a.ID, err)
	}
	return nil
}

// RecentAccountEvents is how many of an account's latest events its page
// shows.
const RecentAccountEvents = 50

// AccountEvents lists the account's latest events, newest first (at most
// limit; all when limit <= 0).
func AccountEvents(ctx context.Context, tx store.Tx, id string, limit int) ([]store.AccountEvent, error) {
	evs, err := tx.AccountEvents(ctx, id, limit)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("no account " + roadcover.Quote(id))
	}
	return evs, err
}

// AccountEventView is an account event as the desk shows it: the actor's
// name beside its id when the actor is an account.
type AccountEventView struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Actor     store.Actor     `json:"actor"`
	ActorName string          `json:"actor_name,omitempty"`
	Kind      string          `json:"kind"`
	Data      json.RawMessage `json:"data"`
}

// EventViewsOf shows events with the names of the accounts among their
// actors (names by account id).
func EventViewsOf(evs []store.AccountEvent, names map[string]string) []AccountEventView {
	out := make([]AccountEventView, len(evs))
	for i, e := range evs {
		out[i] = AccountEventView{ID: e.ID, At: e.At, Actor: e.Actor, ActorName: names[e.Actor.TokenID], Kind: e.Kind, Data: e.Data}
	}
	return out
}
