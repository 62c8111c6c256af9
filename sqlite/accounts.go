package sqlite

import (
	"context"
	"fmt"
	"time"

	"roadcover/store"
)

// ---- accounts and sessions ----

const accountCols = "id, email, name, role, password_hash, password_change_due, disabled, failed_sign_ins, locked_until, created_at, updated_at, payment_limit, version, last_sign_in_at"

func scanAccount(sc interface{ Scan(...any) error }) (store.Account, error) {
	var a store.Account
	var locked, created, updated, signedIn int64
	if err := sc.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.PasswordHash, &a.PasswordChangeDue, &a.Disabled,
		&a.FailedSignIns, &locked, &created, &updated, &a.PaymentLimit, &a.Version, &signedIn); err != nil {
		return store.Account{}, err
	}
	if locked != 0 {
		a.LockedUntil = fromTS(locked)
	}
	if signedIn != 0 {
		a.LastSignInAt = fromTS(signedIn)
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
	_, err := t.q.ExecContext(ctx, `INSERT INTO accounts (`+accountCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Email, a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns,
		optTS(a.LockedUntil), ts(a.CreatedAt), ts(a.UpdatedAt), a.PaymentLimit, a.Version, optTS(a.LastSignInAt))
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
		disabled = ?, failed_sign_ins = ?, locked_until = ?, updated_at = ?, payment_limit = ?, version = ?,
		last_sign_in_at = ? WHERE id = ?`,
		a.Name, a.Role, a.PasswordHash, a.PasswordChangeDue, a.Disabled, a.FailedSignIns, optTS(a.LockedUntil),
		ts(a.UpdatedAt), a.PaymentLimit, a.Version, optTS(a.LastSignInAt), a.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update account %s: %w", a.ID, classify(err))
	}
	return affected(res, "update account "+a.ID)
}

// EnabledAccounts needs no lock: SQLite has one writer at a time.
func (t *txn) EnabledAccounts(ctx context.Context, role string) ([]store.Account, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE role = ? AND disabled = 0 ORDER BY id`, role)
	return collect(rows, err, "enabled accounts of "+role, scanAccount)
}

func (t *txn) AppendAccountEvent(ctx context.Context, e store.AccountEvent) (int64, error) {
	data := string(e.Data)
	if data == "" {
		data = "{}"
	}
	var id int64
	err := t.q.QueryRowContext(ctx, `INSERT INTO account_events (account_id, at, actor_token, actor_role, kind, data)
		SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?) RETURNING id`,
		e.AccountID, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Kind, data, e.AccountID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sqlite: append event to account %s: %w", e.AccountID, classify(err))
	}
	return id, nil
}

func (t *txn) AccountEvents(ctx context.Context, accountID string, limit int) ([]store.AccountEvent, error) {
	var one int
	if err := t.q.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, accountID).Scan(&one); err != nil {
		return nil, fmt.Errorf("sqlite: events of account %s: %w", accountID, classify(err))
	}
	if limit <= 0 {
		limit = -1 // no limit
	}
	rows, err := t.q.QueryContext(ctx, `SELECT id, account_id, at, actor_token, actor_role, kind, data
		FROM account_events WHERE account_id = ? ORDER BY id DESC LIMIT ?`, accountID, limit)
	return collect(rows, err, "events of account "+accountID, func(sc interface{ Scan(...any) error }) (store.AccountEvent, error) {
		var e store.AccountEvent
		var at int64
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
