package sqlite

import (
	"context"
	"fmt"
	"time"

	"roadcover/store"
)

// ---- accounts and sessions ----

const accountCols = "id, email, name, role, password_hash, password_change_due, disabled, failed_sign_ins, locked_until, created_at, updated_at, payment_limit"

func scanAccount(sc interface{ Scan(...any) error }) (store.Account, error) {
	var a store.Account
	var locked, created, updated int64
	if err := sc.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.PasswordHash, &a.PasswordChangeDue, &a.Disabled,
		&a.FailedSignIns, &locked, &created, &updated, &a.PaymentLimit); err != nil {
		return store.Account{}, err
	}
	if locked != 0 {
		a.LockedUntil = fromTS(locked)
	}
	a.CreatedAt, a.UpdatedAt = fromTS(created), fromTS(updated)
	return a, nil
}

func optTS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ts(t)
}

func (t *txn) InsertAccount(ctx context.Context, a store.Account) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO accounts (`+accountCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Email, a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns,
		optTS(a.LockedUntil), ts(a.CreatedAt), ts(a.UpdatedAt), a.PaymentLimit)
	if err != nil {
		return fmt.Errorf("sqlite: insert account %s: %w", a.ID, classify(err))
	}
	return nil
}

func (t *txn) GetAccount(ctx context.Context, id string) (store.Account, error) {
	a, err := scanAccount(t.q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
	if err != nil {
		return store.Account{}, fmt.Errorf("sqlite: get account %s: %w", id, classify(err))
	}
	return a, nil
}

func (t *txn) AccountByEmail(ctx context.Context, email string) (store.Account, error) {
	a, err := scanAccount(t.q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE email = ?`, email))
	if err != nil {
		return store.Account{}, fmt.Errorf("sqlite: account by email: %w", classify(err))
	}
	return a, nil
}

func (t *txn) ListAccounts(ctx context.Context) ([]store.Account, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+accountCols+` FROM accounts ORDER BY name, id`)
	return collect(rows, err, "list accounts", scanAccount)
}

func (t *txn) UpdateAccount(ctx context.Context, a store.Account) error {
	res, err := t.q.ExecContext(ctx, `UPDATE accounts SET name = ?, role = ?, password_hash = ?, password_change_due = ?,
		disabled = ?, failed_sign_ins = ?, locked_until = ?, updated_at = ?, payment_limit = ? WHERE id = ?`,
		a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns, optTS(a.LockedUntil),
		ts(a.UpdatedAt), a.PaymentLimit, a.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update account %s: %w", a.ID, classify(err))
	}
	return affected(res, "update account "+a.ID)
}

func (t *txn) InsertSession(ctx context.Context, s store.Session) error {
	if len(s.Hash) == 0 {
		return fmt.Errorf("sqlite: insert session of %s: empty hash", s.AccountID)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO sessions (hash, account_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		s.Hash, s.AccountID, ts(s.CreatedAt), ts(s.LastSeenAt), ts(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert session of %s: %w", s.AccountID, classify(err))
	}
	return nil
}

func (t *txn) SessionByHash(ctx context.Context, hash []byte) (store.Session, error) {
	var s store.Session
	var created, seen, expires int64
	err := t.q.QueryRowContext(ctx, `SELECT hash, account_id, created_at, last_seen_at, expires_at FROM sessions WHERE hash = ?`, hash).
		Scan(&s.Hash, &s.AccountID, &created, &seen, &expires)
	if err != nil {
		return store.Session{}, fmt.Errorf("sqlite: session by hash: %w", classify(err))
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromTS(created), fromTS(seen), fromTS(expires)
	return s, nil
}

func (t *txn) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE hash = ?`, ts(at), hash)
	if err != nil {
		return fmt.Errorf("sqlite: touch session: %w", classify(err))
	}
	return affected(res, "touch session")
}

func (t *txn) DeleteSession(ctx context.Context, hash []byte) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
	if err != nil {
		return fmt.Errorf("sqlite: delete session: %w", classify(err))
	}
	return affected(res, "delete session")
}

func (t *txn) DeleteSessionsOf(ctx context.Context, accountID string) (int64, error) {
	res, err := t.q.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete sessions of %s: %w", accountID, classify(err))
	}
	return res.RowsAffected()
}

func (t *txn) PruneSessions(ctx context.Context, now, idleCutoff time.Time) (int64, error) {
	res, err := t.q.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`, ts(now), ts(idleCutoff))
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune sessions: %w", classify(err))
	}
	return res.RowsAffected()
}

// affected is ErrNotFound when a statement by key changed no row.
func affected(res interface{ RowsAffected() (int64, error) }, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s: %w", what, store.ErrNotFound)
	}
	return nil
}
