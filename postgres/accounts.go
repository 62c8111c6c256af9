package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"roadcover/store"
)

// ---- accounts and sessions ----

const accountCols = "id, email, name, role, password_hash, password_change_due, disabled, failed_sign_ins, locked_until, created_at, updated_at, payment_limit, version, last_sign_in_at"

func scanAccount(sc interface{ Scan(...any) error }) (store.Account, error) {
	var a store.Account
	var locked, signedIn *time.Time
	var created, updated time.Time
	if err := sc.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.PasswordHash, &a.PasswordChangeDue, &a.Disabled,
		&a.FailedSignIns, &locked, &created, &updated, &a.PaymentLimit, &a.Version, &signedIn); err != nil {
		return store.Account{}, err
	}
	if locked != nil {
		a.LockedUntil = fromTS(*locked)
	}
	if signedIn != nil {
		a.LastSignInAt = fromTS(*signedIn)
	}
	a.CreatedAt, a.UpdatedAt = fromTS(created), fromTS(updated)
	return a, nil
}

func optTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func (t *txn) InsertAccount(ctx context.Context, a store.Account) error {
	res, err := t.q.Exec(ctx, `INSERT INTO accounts (`+accountCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT DO NOTHING`,
		a.ID, a.Email, a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns,
		optTS(a.LockedUntil), ts(a.CreatedAt), ts(a.UpdatedAt), a.PaymentLimit, a.Version, optTS(a.LastSignInAt))
	if err != nil {
		return fmt.Errorf("postgres: insert account %s: %w", a.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert account %s: %w", a.ID, store.ErrConflict)
	}
	return nil
}

// GetAccount reads an account; in a write transaction it locks the row
// until the transaction ends, so that a change made from what was read
// (a wrong password counted, an administrator's change) loses no other.
func (t *txn) GetAccount(ctx context.Context, id string) (store.Account, error) {
	q := `SELECT ` + accountCols + ` FROM accounts WHERE id = $1`
	if t.write {
		q += ` FOR UPDATE`
	}
	a, err := scanAccount(t.q.QueryRow(ctx, q, id))
	if err != nil {
		return store.Account{}, fmt.Errorf("postgres: get account %s: %w", id, classify(err))
	}
	return a, nil
}

func (t *txn) AccountByEmail(ctx context.Context, email string) (store.Account, error) {
	a, err := scanAccount(t.q.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE email = $1`, email))
	if err != nil {
		return store.Account{}, fmt.Errorf("postgres: account by email: %w", classify(err))
	}
	return a, nil
}

func (t *txn) ListAccounts(ctx context.Context) ([]store.Account, error) {
	rows, err := t.q.Query(ctx, `SELECT `+accountCols+` FROM accounts ORDER BY name COLLATE "C", id COLLATE "C"`)
	return collect(rows, err, "list accounts", scanAccount)
}

func (t *txn) UpdateAccount(ctx context.Context, a store.Account) error {
	res, err := t.q.Exec(ctx, `UPDATE accounts SET name = $1, role = $2, password_hash = $3, password_change_due = $4,
		disabled = $5, failed_sign_ins = $6, locked_until = $7, updated_at = $8, payment_limit = $9, version = $10,
		last_sign_in_at = $11 WHERE id = $12`,
		a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns, optTS(a.LockedUntil),
		ts(a.UpdatedAt), a.PaymentLimit, a.Version, optTS(a.LastSignInAt), a.ID)
	if err != nil {
		return fmt.Errorf("postgres: update account %s: %w", a.ID, classify(err))
	}
	return affected(res, "update account "+a.ID)
}

// EnabledAccounts locks the rows it lists in a write transaction: a second
// writer waits, then sees the first one's change (READ COMMITTED re-reads
// a locked row that changed, and leaves it out when it no longer matches).
func (t *txn) EnabledAccounts(ctx context.Context, role string) ([]store.Account, error) {
	q := `SELECT ` + accountCols + ` FROM accounts WHERE role = $1 AND NOT disabled ORDER BY id COLLATE "C"`
	if t.write {
		q += ` FOR UPDATE`
	}
	rows, err := t.q.Query(ctx, q, role)
	return collect(rows, err, "enabled accounts of "+role, scanAccount)
}

func (t *txn) AppendAccountEvent(ctx context.Context, e store.AccountEvent) (int64, error) {
	data := e.Data
	if len(data) == 0 {
		data = json.RawMessage(`{}`)
	}
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO account_events (account_id, at, actor_token, actor_role, kind, data)
		SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1) RETURNING id`,
		e.AccountID, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Kind, jsonArg(data)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: append event to account %s: %w", e.AccountID, classify(err))
	}
	return id, nil
}

func (t *txn) AccountEvents(ctx context.Context, accountID string, limit int) ([]store.AccountEvent, error) {
	var one int
	if err := t.q.QueryRow(ctx, `SELECT 1 FROM accounts WHERE id = $1`, accountID).Scan(&one); err != nil {
		return nil, fmt.Errorf("postgres: events of account %s: %w", accountID, classify(err))
	}
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	rows, err := t.q.Query(ctx, `SELECT id, account_id, at, actor_token, actor_role, kind, data
		FROM account_events WHERE account_id = $1 ORDER BY id DESC LIMIT $2`, accountID, lim)
	return collect(rows, err, "events of account "+accountID, func(sc interface{ Scan(...any) error }) (store.AccountEvent, error) {
		var e store.AccountEvent
		var at time.Time
		var data []byte
		if err := sc.Scan(&e.ID, &e.AccountID, &at, &e.Actor.TokenID, &e.Actor.Role, &e.Kind, &data); err != nil {
			return e, err
		}
		e.At, e.Data = fromTS(at), rawJSON(data)
		return e, nil
	})
}

func (t *txn) InsertSession(ctx context.Context, s store.Session) error {
	if len(s.Hash) == 0 {
		return fmt.Errorf("postgres: insert session of %s: empty hash", s.AccountID)
	}
	res, err := t.q.Exec(ctx, `INSERT INTO sessions (hash, account_id, created_at, last_seen_at, expires_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		s.Hash, s.AccountID, ts(s.CreatedAt), ts(s.LastSeenAt), ts(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("postgres: insert session of %s: %w", s.AccountID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert session of %s: %w", s.AccountID, store.ErrConflict)
	}
	return nil
}

func (t *txn) SessionByHash(ctx context.Context, hash []byte) (store.Session, error) {
	var s store.Session
	var created, seen, expires time.Time
	err := t.q.QueryRow(ctx, `SELECT hash, account_id, created_at, last_seen_at, expires_at FROM sessions WHERE hash = $1`, hash).
		Scan(&s.Hash, &s.AccountID, &created, &seen, &expires)
	if err != nil {
		return store.Session{}, fmt.Errorf("postgres: session by hash: %w", classify(err))
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromTS(created), fromTS(seen), fromTS(expires)
	return s, nil
}

func (t *txn) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	res, err := t.q.Exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE hash = $2`, ts(at), hash)
	if err != nil {
		return fmt.Errorf("postgres: touch session: %w", classify(err))
	}
	return affected(res, "touch session")
}

func (t *txn) DeleteSession(ctx context.Context, hash []byte) error {
	res, err := t.q.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
	if err != nil {
		return fmt.Errorf("postgres: delete session: %w", classify(err))
	}
	return affected(res, "delete session")
}

func (t *txn) DeleteSessionsOf(ctx context.Context, accountID string) (int64, error) {
	res, err := t.q.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID)
	if err != nil {
		return 0, fmt.Errorf("postgres: delete sessions of %s: %w", accountID, classify(err))
	}
	return res.RowsAffected(), nil
}

func (t *txn) PruneSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error) {
	res, err := t.q.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2`, ts(now), ts(idleCutoff))
	if err != nil {
		return 0, fmt.Errorf("postgres: prune sessions: %w", classify(err))
	}
	return res.RowsAffected(), nil
}

// affected is ErrNotFound when a statement by key changed no row.
func affected(res pgconn.CommandTag, what string) error {
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: %s: %w", what, store.ErrNotFound)
	}
	return nil
}
