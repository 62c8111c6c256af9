package store

import (
	"context"
	"encoding/json"
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
	// Version counts the recorded changes of the account (each is an
	// AccountEvent): 1 when created. Sign-ins and wrong passwords do not
	// move it. It is the account's ETag.
	Version int64 `json:"version"`
	// LastSignInAt is when the account last started a session (zero:
	// never).
	LastSignInAt time.Time `json:"-"`
}

// AccountEvent is one recorded change of an account: who made it (an
// administrator's account or token, the command line, the account itself),
// when, and what changed. It never holds a password or its hash.
type AccountEvent struct {
	ID        int64           `json:"id"` // ascending in the order the events were recorded
	AccountID string          `json:"account_id"`
	At        time.Time       `json:"at"`
	Actor     Actor           `json:"actor"`
	Kind      string          `json:"kind"` // desk.AccountEvent… kinds
	Data      json.RawMessage `json:"data"`
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
	// updated_at, payment limit, version, last sign-in) by id (ErrNotFound
	// when there is none). GetAccount in a read-write transaction locks the
	// account's row until the transaction ends (PostgreSQL), so that a read
	// then an UpdateAccount lose no one else's change.
	UpdateAccount(ctx context.Context, a Account) error
	// EnabledAccounts lists the enabled accounts of a role by id; in a
	// read-write transaction it locks them until the transaction ends, so
	// that two changes made at once cannot each leave the other account
	// the last one of the role.
	EnabledAccounts(ctx context.Context, role string) ([]Account, error)
	// AppendAccountEvent records a change of an account and returns its id
	// (ErrNotFound when there is no such account).
	AppendAccountEvent(ctx context.Context, e AccountEvent) (int64, error)
	// AccountEvents lists an account's events newest first, at most limit
	// of them (limit <= 0: all); ErrNotFound when there is no such account.
	AccountEvents(ctx context.Context, accountID string, limit int) ([]AccountEvent, error)

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
