package store

import (
	"context"
	"time"
)

// Account is a named person at the desk (an operator, a claims handler, an
// administrator) who signs in with an email and a password. Only the
// password's argon2id hash is kept.
type Account struct {
	ID           string `json:"id"`
	Email        string `json:"email"` // lower case; unique
	Name         string `json:"name"`
	Role         string `json:"role"` // desk.Roles
	PasswordHash string `json:"-"`
	// PasswordChangeDue is set while the password is a one-time password
	// someone else was told: the account must choose its own first.
	PasswordChangeDue bool `json:"password_change_due"`
	Disabled          bool `json:"disabled"`
	// FailedSignIns counts wrong passwords since the last good one;
	// LockedUntil refuses sign-ins until then (zero: not locked).
	FailedSignIns int       `json:"-"`
	LockedUntil   time.Time `json:"-"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// PaymentLimit is a claims handler's payment limit in öre (SEK minor
	// units): a payment order above it waits for a second handler.
	PaymentLimit int64 `json:"-"`
}

// Session is one sign-in of an account. Only the SHA-256 hash of its
// secret (the cookie's value) is kept.
type Session struct {
	Hash       []byte    `json:"-"`
	AccountID  string    `json:"account_id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"` // the idle timeout counts from here
	ExpiresAt  time.Time `json:"expires_at"`   // the absolute end, whatever the use
}

// AccountTx is what a transaction offers of the desk's named accounts (operators, claims handlers) with their password hashes, and their sign-in sessions.
type AccountTx interface {
	// InsertAccount stores a new account (ErrConflict when its id or email is taken).
	InsertAccount(ctx context.Context, a Account) error
	GetAccount(ctx context.Context, id string) (Account, error)
	// AccountByEmail finds an account by its (lower-case) email.
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// ListAccounts lists the accounts by name.
	ListAccounts(ctx context.Context) ([]Account, error)
	// UpdateAccount stores the account's changeable fields (name, role,
	// password hash and its due change, disabled, failed sign-ins, lock,
	// updated_at) by id (ErrNotFound when there is none).
	UpdateAccount(ctx context.Context, a Account) error

	InsertSession(ctx context.Context, s Session) error
	SessionByHash(ctx context.Context, hash []byte) (Session, error)
	// TouchSession sets a session's LastSeenAt.
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// DeleteSession ends one session (ErrNotFound when there is none).
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteSessionsOf ends every session of an account.
	DeleteSessionsOf(ctx context.Context, accountID string) (int64, error)
	// PruneSessions deletes sessions that expired by now or were last seen
	// before idleCutoff.
	PruneSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error)
}
