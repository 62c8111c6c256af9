package desk

import (
	"context"
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

// Named accounts are the people at the desk: they sign in with an email and
// a password and act with the role of their account, as an API token acts
// with its own. Partners' systems and the intake gateway keep API tokens.
// Passwords are hashed by the caller (argon2id, package authtoken), outside
// any transaction; the desk keeps the rules: who may have an account, what
// a password must be, when repeated failures lock an account, and how long
// a session lives.

// AccountRoles are the roles a named account may have.
var AccountRoles = []string{RoleAdmin, RoleOperator, RoleClaims, RolePayments}

// Sign-in and session policy (the Desk fields override the durations).
const (
	MinPasswordLen = 12  // characters (OWASP ASVS 2.1.1 without a second factor)
	MaxPasswordLen = 256 // characters; longer is refused, not cut
	// MaxFailedSignIns wrong passwords in a row lock an account for
	// DefaultLockout; each further wrong password after that locks it again.
	MaxFailedSignIns = 5
	DefaultLockout   = 15 * time.Minute
	// DefaultSessionIdle ends a session nobody used for that long;
	// DefaultSessionMax ends every session after a working day.
	DefaultSessionIdle = time.Hour
	DefaultSessionMax  = 12 * time.Hour
	// SessionTouchEvery is how often a session in use records that it was
	// seen (a write), so that the idle timeout counts from about then.
	SessionTouchEvery = time.Minute
)

// AccountPrefix starts an account's id; the id is what the timeline names
// as the actor of what the account did.
const AccountPrefix = "acc_"

// AccountRequest asks for a new account: {"email", "name", "role",
// "password", "payment_limit"}. Without a password the account gets a
// one-time password that it must change at its first sign-in. A claims
// handler's payment limit (SEK) is the most one payment order may be
// without a second handler's approval.
type AccountRequest struct {
	Email, Name, Role, Password string
	PaymentLimit                int64 // öre
}

// ReadAccountRequest decodes an account request.
func ReadAccountRequest(body []byte) (AccountRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r AccountRequest
	r.Email, _ = o.String("email")
	r.Name, _ = o.String("name")
	r.Role, _ = o.String("role")
	r.Password, _ = o.String("password")
	r.PaymentLimit, _ = o.Money("payment_limit")
	o.Done()
	if !errs.Has("body") {
		r.Check(errs)
	}
	return r, errs.Err()
}

// Check adds what is wrong with the request to errs and writes the email in
// lower case, the name without surrounding spaces.
func (r *AccountRequest) Check(errs *roadcover.InputError) {
	r.Email = NormalEmail(r.Email)
	r.Name = strings.TrimSpace(r.Name)
	if !errs.Has("email") && !ValidEmail(r.Email) {
		errs.Add("email", roadcover.CodeInvalidInput, "required: an email address such as name@example.com")
	}
	if !errs.Has("name") && (r.Name == "" || utf8.RuneCountInString(r.Name) > 200) {
		errs.Add("name", roadcover.CodeInvalidInput, "required: the person's name, at most 200 characters")
	}
	if !errs.Has("role") && !slices.Contains(AccountRoles, r.Role) {
		errs.Add("role", roadcover.CodeInvalidInput, "required: one of "+strings.Join(AccountRoles, ", ")+
			" (partners and the intake gateway use API tokens)")
	}
	if r.Password != "" {
		CheckPassword(r.Password, r.Email, "password", errs)
	}
	if r.PaymentLimit != 0 && r.Role != RoleClaims && !errs.Has("role") {
		errs.Add("payment_limit", roadcover.CodeInvalidInput, "only for the claims_handler role")
	}
	if r.PaymentLimit < 0 || r.PaymentLimit > MaxPaymentLimit {
		errs.Add("payment_limit", roadcover.CodeInvalidInput, "from 0 to 100000000.00 (SEK)")
	}
}

// MaxPaymentLimit bounds a claims handler's payment limit (öre).
const MaxPaymentLimit = 100_000_000_00

// NormalEmail is an email as accounts keep it: trimmed, in lower case.
func NormalEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s looks like one email address: one @ with
// text on both sides, no spaces, at most 254 characters.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && len(s) <= 254 && !strings.ContainsAny(s, " \t\r\n<>,;\"") &&
		!strings.Contains(domain, "@") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// CheckPassword adds to errs (as field) what is wrong with a password a
// person chose: at least MinPasswordLen and at most MaxPasswordLen
// characters, not the email. No rule on character classes (NIST SP
// 800-63B 5.1.1.2).
func CheckPassword(password, email, field string, errs *roadcover.InputError) {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		errs.Add(field, roadcover.CodeInvalidInput, fmt.Sprintf("at least %d characters; a few words make a good one", MinPasswordLen))
	case n > MaxPasswordLen:
		errs.Add(field, roadcover.CodeInvalidInput, fmt.Sprintf("at most %d characters", MaxPasswordLen))
	case email != "" && strings.EqualFold(strings.TrimSpace(password), email):
		errs.Add(field, roadcover.CodeInvalidInput, "may not be the email address")
	}
}

// CreateAccount is CreateAccountBy with the desk itself (System) as who
// created the account.
func (d *Desk) CreateAccount(ctx context.Context, tx store.Tx, r AccountRequest, passwordHash string, changeDue bool) (store.Account, error) {
	return d.CreateAccountBy(ctx, tx, System, r, passwordHash, changeDue)
}

// CreateAccountBy stores a new account with the hash of its password and
// records who created it (an account_created event); changeDue says the
// password is a one-time password the account must replace. A taken email
// is a conflict.
func (d *Desk) CreateAccountBy(ctx context.Context, tx store.Tx, by Actor, r AccountRequest, passwordHash string, changeDue bool) (store.Account, error) {
	now := d.now()
	a := store.Account{ID: d.NewID(AccountPrefix), Email: NormalEmail(r.Email), Name: strings.TrimSpace(r.Name), Role: r.Role,
		PasswordHash: passwordHash, PasswordChangeDue: changeDue, PaymentLimit: r.PaymentLimit, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := tx.InsertAccount(ctx, a); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return store.Account{}, conflict("an account with the email " + a.Email + " exists")
		}
		return store.Account{}, wrap("create account", err)
	}
	data := AccountCreatedData{Email: a.Email, Name: a.Name, Role: a.Role, OneTimePassword: changeDue}
	if a.Role == RoleClaims {
		data.PaymentLimit = roadcover.FormatMinor(a.PaymentLimit)
	}
	if err := appendAccountEvent(ctx, tx, a, by, EventAccountCreated, data); err != nil {
		return store.Account{}, err
	}
	return a, nil
}

// HasAccounts reports whether the store holds any account (a fresh store
// holds none, and serve then creates the first administrator's).
func HasAccounts(ctx context.Context, tx store.Tx) (bool, error) {
	as, err := tx.ListAccounts(ctx)
	return len(as) > 0, err
}

// SignIn is what a person types to sign in: {"email", "password"}.
type SignIn struct {
	Email, Password string
}

// ReadSignIn decodes a sign-in. The password is not checked against the
// policy here: a wrong one is simply wrong.
func ReadSignIn(body []byte) (SignIn, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var s SignIn
	var okE, okP bool
	s.Email, okE = o.String("email")
	s.Password, okP = o.String("password")
	o.Done()
	s.Email = NormalEmail(s.Email)
	if !errs.Has("body") {
		if (!okE || s.Email == "") && !errs.Has("email") {
			errs.Add("email", roadcover.CodeInvalidInput, "required")
		}
		if (!okP || s.Password == "") && !errs.Has("password") {
			errs.Add("password", roadcover.CodeInvalidInput, "required")
		}
		if utf8.RuneCountInString(s.Password) > MaxPasswordLen {
			errs.Add("password", roadcover.CodeInvalidInput, fmt.Sprintf("at most %d characters", MaxPasswordLen))
		}
	}
	return s, errs.Err()
}

// LockedUntil says until when an account refuses sign-ins; false when it
// does not now.
func (d *Desk) LockedUntil(a store.Account) (time.Time, bool) {
	if !a.LockedUntil.IsZero() && d.Clock().Before(a.LockedUntil) {
		return a.LockedUntil, true
	}
	return time.Time{}, false
}

func (d *Desk) lockout() time.Duration {
	if d.Lockout > 0 {
		return d.Lockout
	}
	return DefaultLockout
}

func (d *Desk) sessionIdle() time.Duration {
	if d.SessionIdle > 0 {
		return d.SessionIdle
	}
	return DefaultSessionIdle
}

func (d *Desk) sessionMax() time.Duration {
	if d.SessionMax > 0 {
		return d.SessionMax
	}
	return DefaultSessionMax
}

// SignInFailed records a wrong password for the account: the count of
// failures grows, and from MaxFailedSignIns on the account is locked for
// the lockout. It returns the account as stored.
func (d *Desk) SignInFailed(ctx context.Context, tx store.Tx, accountID string) (store.Account, error) {
	a, err := tx.GetAccount(ctx, accountID)
	if err != nil {
		return store.Account{}, err
	}
	now := d.now()
	a.FailedSignIns++
	if a.FailedSignIns >= MaxFailedSignIns {
		a.LockedUntil = now.Add(d.lockout())
	}
	a.UpdatedAt = now
	return a, tx.UpdateAccount(ctx, a)
}

// StartSession records a good password: the failures are forgotten, the
// time is kept as the account's last sign-in and a session whose secret
// hashes to hash begins. A disabled or locked account gets none.
func (d *Desk) StartSession(ctx context.Context, tx store.Tx, accountID string, hash []byte) (store.Account, store.Session, error) {
	a, err := tx.GetAccount(ctx, accountID)
	if err != nil {
		return store.Account{}, store.Session{}, err
	}
	if a.Disabled {
		return store.Account{}, store.Session{}, roadcover.Errorf(roadcover.CodeUnauthorized, "the account is disabled")
	}
	if _, locked := d.LockedUntil(a); locked {
		return store.Account{}, store.Session{}, roadcover.Errorf(roadcover.CodeTooManyRequests, "the account is locked")
	}
	now := d.now()
	a.FailedSignIns, a.LockedUntil, a.LastSignInAt = 0, time.Time{}, now
	if err := tx.UpdateAccount(ctx, a); err != nil {
		return store.Account{}, store.Session{}, err
	}
	s := store.Session{Hash: hash, AccountID: a.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(d.sessionMax())}
	if err := tx.InsertSession(ctx, s); err != nil {
		return store.Account{}, store.Session{}, err
	}
	return a, s, nil
}

// SessionEnds is when a session ends unless it is used before: its idle
// timeout from when it was last seen, or its absolute end if that comes
// first.
func (d *Desk) SessionEnds(s store.Session) time.Time {
	idle := s.LastSeenAt.Add(d.sessionIdle())
	if idle.Before(s.ExpiresAt) {
		return idle
	}
	return s.ExpiresAt
}

// SessionLive reports whether a session may still be used now.
func (d *Desk) SessionLive(s store.Session) bool { return d.Clock().Before(d.SessionEnds(s)) }

// SessionNeedsTouch reports whether a session in use should record now as
// when it was last seen.
func (d *Desk) SessionNeedsTouch(s store.Session) bool {
	return d.Clock().Sub(s.LastSeenAt) >= SessionTouchEvery
}

// PruneSessions deletes the sessions that ended.
func (d *Desk) PruneSessions(ctx context.Context, tx store.Tx) (int64, error) {
	now := d.now()
	return tx.PruneSessions(ctx, now, now.Add(-d.sessionIdle()))
}

// PasswordChange is {"current_password", "new_password"}.
type PasswordChange struct {
	Current, New string
}

// ReadPasswordChange decodes a password change and checks the new password
// against the policy.
func ReadPasswordChange(body []byte, email string) (PasswordChange, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var p PasswordChange
	var okC, okN bool
	p.Current, okC = o.String("current_password")
	p.New, okN = o.String("new_password")
	o.Done()
	if !errs.Has("body") {
		if (!okC || p.Current == "") && !errs.Has("current_password") {
			errs.Add("current_password", roadcover.CodeInvalidInput, "required")
		}
		if !okN && !errs.Has("new_password") {
			errs.Add("new_password", roadcover.CodeInvalidInput, "required")
		} else if !errs.Has("new_password") {
			CheckPassword(p.New, email, "new_password", errs)
			if p.New == p.Current && !errs.Has("new_password") {
				errs.Add("new_password", roadcover.CodeInvalidInput, "must differ from the current password")
			}
		}
	}
	return p, errs.Err()
}

// ChangePassword stores a new password hash chosen by the account itself
// and ends all its sessions; next, when not nil, is the hash of the session
// that continues the one that made the change (a new secret, so that a
// session known before the change is worth nothing after it). The change
// is a password_changed event of the account.
func (d *Desk) ChangePassword(ctx context.Context, tx store.Tx, accountID, newHash string, next []byte) (store.Account, error) {
	a, err := tx.GetAccount(ctx, accountID)
	if err != nil {
		return store.Account{}, err
	}
	a.PasswordHash, a.PasswordChangeDue, a.UpdatedAt = newHash, false, d.now()
	a.Version++
	if err := tx.UpdateAccount(ctx, a); err != nil {
		return store.Account{}, err
	}
	n, err := tx.DeleteSessionsOf(ctx, a.ID)
	if err != nil {
		return store.Account{}, err
	}
	self := Actor{TokenID: a.ID, Role: a.Role}
	if err := appendAccountEvent(ctx, tx, a, self, EventPasswordChanged, SessionsEndedData{SessionsEnded: n}); err != nil {
		return store.Account{}, err
	}
	if next != nil {
		s := store.Session{Hash: next, AccountID: a.ID, CreatedAt: a.UpdatedAt, LastSeenAt: a.UpdatedAt,
			ExpiresAt: a.UpdatedAt.Add(d.sessionMax())}
		if err := tx.InsertSession(ctx, s); err != nil {
			return store.Account{}, err
		}
	}
	return a, nil
}

// AccountView is what the desk shows of an account: never its hash.
type AccountView struct {
	ID                string    `json:"id"`
	Email             string    `json:"email"`
	Name              string    `json:"name"`
	Role              string    `json:"role"`
	PasswordChangeDue bool      `json:"password_change_due"`
	Disabled          bool      `json:"disabled"`
	CreatedAt         time.Time `json:"created_at"`
	// PaymentLimit is a claims handler's payment limit (SEK).
	PaymentLimit string `json:"payment_limit,omitempty"`
	// Version counts the account's recorded changes (its ETag).
	Version int64 `json:"version"`
	// What administrators see besides (AdminView): when the account last
	// signed in and until when wrong passwords lock it.
	LastSignInAt *time.Time `json:"last_sign_in_at,omitempty"`
	LockedUntil  *time.Time `json:"locked_until,omitempty"`
}

// ViewOf is the account as the desk shows it to its people.
func ViewOf(a store.Account) AccountView {
	v := AccountView{ID: a.ID, Email: a.Email, Name: a.Name, Role: a.Role, PasswordChangeDue: a.PasswordChangeDue,
		Disabled: a.Disabled, CreatedAt: a.CreatedAt, Version: a.Version}
	if a.Role == RoleClaims {
		v.PaymentLimit = roadcover.FormatMinor(a.PaymentLimit)
	}
	return v
}

// AdminView is the account as administrators see it: with its last
// sign-in and the end of a lock after wrong passwords, when there are.
func (d *Desk) AdminView(a store.Account) AccountView {
	v := ViewOf(a)
	if !a.LastSignInAt.IsZero() {
		t := a.LastSignInAt
		v.LastSignInAt = &t
	}
	if until, locked := d.LockedUntil(a); locked {
		v.LockedUntil = &until
	}
	return v
}
