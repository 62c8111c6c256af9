package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/store"
)

// ---- receipts ----

func (t *txn) PutReceiptFile(ctx context.Context, f store.ReceiptFile) (bool, error) {
	if f.SHA256 == "" || len(f.Content) == 0 {
		return false, fmt.Errorf("sqlite: put receipt file: no content or no hash")
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO receipt_files (sha256, media_type, size, content, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
		f.SHA256, f.MediaType, f.Size, f.Content, ts(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("sqlite: put receipt file %s: %w", f.SHA256, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqlite: put receipt file %s: %w", f.SHA256, err)
	}
	return n == 1, nil
}

func (t *txn) ReceiptFile(ctx context.Context, sha256 string) (store.ReceiptFile, error) {
	f := store.ReceiptFile{SHA256: sha256}
	var at int64
	err := t.q.QueryRowContext(ctx, `SELECT media_type, size, content, created_at FROM receipt_files WHERE sha256 = ?`, sha256).
		Scan(&f.MediaType, &f.Size, &f.Content, &at)
	if err != nil {
		return store.ReceiptFile{}, fmt.Errorf("sqlite: receipt file %s: %w", sha256, classify(err))
	}
	f.CreatedAt = fromTS(at)
	return f, nil
}

func phashArg(r store.Receipt) any {
	if !r.HasPHash {
		return nil
	}
	return int64(r.PHash)
}

func (t *txn) InsertReceipt(ctx context.Context, r store.Receipt, l store.ReceiptLine) error {
	if r.LineNo != 1 || l.No != 1 || l.ReceiptID != r.ID {
		return fmt.Errorf("sqlite: insert receipt %s: the first line must be number 1 of the receipt", r.ID)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO receipts (id, case_id, file_sha256, part, category, day, amount_minor,
		currency, merchant, phash, payee, suggestion, duplicates, via, actor_token, actor_role, actor_partner, created_at,
		line_no, status, needs_review, payable_no, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.CaseID, r.File, string(r.Part), r.Category, r.Date.String(), r.Amount.Minor, r.Amount.Currency,
		r.Merchant, phashArg(r), jsonArg(r.Payee), jsonArg(r.Suggestion), string(orArray(r.Duplicates)), r.Via,
		r.Actor.TokenID, r.Actor.Role, r.Actor.Partner, ts(r.CreatedAt), r.LineNo, r.Status, r.NeedsReview,
		r.PayableNo, ts(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert receipt %s: %w", r.ID, classify(err))
	}
	return t.insertReceiptLine(ctx, l)
}

func orArray(raw []byte) []byte {
	if len(raw) == 0 {
		return []byte("[]")
	}
	return raw
}

func (t *txn) insertReceiptLine(ctx context.Context, l store.ReceiptLine) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO receipt_lines (receipt_id, no, action, status, amount_minor, currency, line,
		at, actor_token, actor_role, actor_partner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ReceiptID, l.No, l.Action, l.Status, l.Amount.Minor, l.Amount.Currency, string(l.Line), ts(l.At),
		l.Actor.TokenID, l.Actor.Role, l.Actor.Partner)
	if err != nil {
		return fmt.Errorf("sqlite: insert line %d of receipt %s: %w", l.No, l.ReceiptID, classify(err))
	}
	return nil
}

// receiptSelect reads a receipt with its file's type and size and its
// current line.
const receiptSelect = `SELECT r.id, r.case_id, r.file_sha256, f.media_type, f.size, r.part, r.category, r.day,
	r.amount_minor, r.currency, r.merchant, r.phash, r.payee, r.suggestion, r.duplicates, r.via, r.actor_token,
	r.actor_role, r.actor_partner, r.created_at, r.line_no, r.status, r.needs_review, r.payable_no, r.updated_at,
	l.action, l.status, l.amount_minor, l.currency, l.line, l.at, l.actor_token, l.actor_role, l.actor_partner
	FROM receipts r
	JOIN receipt_files f ON f.sha256 = r.file_sha256
	JOIN receipt_lines l ON l.receipt_id = r.id AND l.no = r.line_no`

func scanReceipt(sc interface{ Scan(...any) error }) (store.Receipt, error) {
	var r store.Receipt
	var part, payee, suggestion, dups, line []byte
	var day string
	var phash sql.NullInt64
	var created, updated, at int64
	l := &r.Line
	if err := sc.Scan(&r.ID, &r.CaseID, &r.File, &r.FileType, &r.FileSize, &part, &r.Category, &day,
		&r.Amount.Minor, &r.Amount.Currency, &r.Merchant, &phash, &payee, &suggestion, &dups, &r.Via, &r.Actor.TokenID,
		&r.Actor.Role, &r.Actor.Partner, &created, &r.LineNo, &r.Status, &r.NeedsReview, &r.PayableNo, &updated,
		&l.Action, &l.Status, &l.Amount.Minor, &l.Amount.Currency, &line, &at, &l.Actor.TokenID, &l.Actor.Role,
		&l.Actor.Partner); err != nil {
		return store.Receipt{}, err
	}
	d, err := roadcover.ParseDate(day)
	if err != nil {
		return store.Receipt{}, fmt.Errorf("receipt %s: day %q: %w", r.ID, day, err)
	}
	r.Date = d
	if phash.Valid {
		r.PHash, r.HasPHash = uint64(phash.Int64), true
	}
	r.Part, r.Payee, r.Suggestion, r.Duplicates = rawJSON(part), rawJSON(payee), rawJSON(suggestion), rawJSON(dups)
	r.CreatedAt, r.UpdatedAt = fromTS(created), fromTS(updated)
	l.ReceiptID, l.No, l.Line, l.At = r.ID, r.LineNo, rawJSON(line), fromTS(at)
	return r, nil
}

func (t *txn) GetReceipt(ctx context.Context, id string) (store.Receipt, error) {
	r, err := scanReceipt(t.q.QueryRowContext(ctx, receiptSelect+` WHERE r.id = ?`, id))
	if err != nil {
		return store.Receipt{}, fmt.Errorf("sqlite: get receipt %s: %w", id, classify(err))
	}
	return r, nil
}

func (t *txn) CaseReceipts(ctx context.Context, caseID string) ([]store.Receipt, error) {
	rows, err := t.q.QueryContext(ctx, receiptSelect+` WHERE r.case_id = ? ORDER BY r.created_at, r.id`, caseID)
	return collect(rows, err, "receipts of case "+caseID, scanReceipt)
}

func (t *txn) FileReceipts(ctx context.Context, sha256 string) ([]store.Receipt, error) {
	rows, err := t.q.QueryContext(ctx, receiptSelect+` WHERE r.file_sha256 = ? ORDER BY r.created_at, r.id`, sha256)
	return collect(rows, err, "receipts of file "+sha256, scanReceipt)
}

func (t *txn) AppendReceiptLine(ctx context.Context, r store.Receipt, l store.ReceiptLine) error {
	if l.ReceiptID != r.ID || l.No != r.LineNo || l.No < 2 {
		return fmt.Errorf("sqlite: append line %d to receipt %s: the line must be the receipt's next", l.No, r.ID)
	}
	res, err := t.q.ExecContext(ctx, `UPDATE receipts SET line_no = ?, status = ?, needs_review = ?, payable_no = ?,
		updated_at = ? WHERE id = ? AND line_no = ?`,
		r.LineNo, r.Status, r.NeedsReview, r.PayableNo, ts(r.UpdatedAt), r.ID, l.No-1)
	if err != nil {
		return fmt.Errorf("sqlite: append line %d to receipt %s: %w", l.No, r.ID, classify(err))
	}
	if err := t.receiptUpdated(ctx, res, r.ID, l.No-1); err != nil {
		return err
	}
	return t.insertReceiptLine(ctx, l)
}

// receiptUpdated turns "no row updated" into ErrNotFound or ErrStale.
func (t *txn) receiptUpdated(ctx context.Context, res sql.Result, id string, want int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: update receipt %s: %w", id, err)
	}
	if n == 1 {
		return nil
	}
	var no int64
	if err := t.q.QueryRowContext(ctx, `SELECT line_no FROM receipts WHERE id = ?`, id).Scan(&no); err != nil {
		return fmt.Errorf("sqlite: update receipt %s: %w", id, classify(err))
	}
	return fmt.Errorf("sqlite: update receipt %s: its line is %d, not %d: %w", id, no, want, store.ErrStale)
}

func (t *txn) SetReceiptPayable(ctx context.Context, id string, no int64, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE receipts SET payable_no = ?, updated_at = ? WHERE id = ? AND line_no = ?`,
		no, ts(at), id, no)
	if err != nil {
		return fmt.Errorf("sqlite: set payable of receipt %s: %w", id, classify(err))
	}
	return t.receiptUpdated(ctx, res, id, no)
}

func (t *txn) ReceiptLines(ctx context.Context, receiptID string) ([]store.ReceiptLine, error) {
	var one int
	if err := t.q.QueryRowContext(ctx, `SELECT 1 FROM receipts WHERE id = ?`, receiptID).Scan(&one); err != nil {
		return nil, fmt.Errorf("sqlite: lines of receipt %s: %w", receiptID, classify(err))
	}
	rows, err := t.q.QueryContext(ctx, `SELECT receipt_id, no, action, status, amount_minor, currency, line, at,
		actor_token, actor_role, actor_partner FROM receipt_lines WHERE receipt_id = ? ORDER BY no`, receiptID)
	return collect(rows, err, "lines of receipt "+receiptID, func(sc interface{ Scan(...any) error }) (store.ReceiptLine, error) {
		var l store.ReceiptLine
		var line []byte
		var at int64
		err := sc.Scan(&l.ReceiptID, &l.No, &l.Action, &l.Status, &l.Amount.Minor, &l.Amount.Currency, &line, &at,
			&l.Actor.TokenID, &l.Actor.Role, &l.Actor.Partner)
		l.Line, l.At = rawJSON(line), fromTS(at)
		return l, err
	})
}

func (t *txn) ListReceipts(ctx context.Context, f store.ReceiptFilter) ([]store.Receipt, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	var where []string
	var args []any
	if f.NeedsReview {
		where = append(where, "r.needs_review = 1")
	}
	if f.After != "" {
		var created int64
		err := t.q.QueryRowContext(ctx, `SELECT created_at FROM receipts WHERE id = ?`, f.After).Scan(&created)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list receipts after %s: %w", f.After, classify(err))
		}
		where = append(where, "(r.created_at > ? OR (r.created_at = ? AND r.id > ?))")
		args = append(args, created, created, f.After)
	}
	q := receiptSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY r.created_at, r.id LIMIT ?"
	rows, err := t.q.QueryContext(ctx, q, append(args, limit)...)
	return collect(rows, err, "list receipts", scanReceipt)
}

// LockCaseReceipts needs no lock on SQLite: one writer at a time, and each
// Update sees the writes of those before it. It checks the case exists.
func (t *txn) LockCaseReceipts(ctx context.Context, caseID string) error {
	if err := t.caseExists(ctx, caseID); err != nil {
		return fmt.Errorf("sqlite: receipts of case %s: %w", caseID, err)
	}
	return nil
}
