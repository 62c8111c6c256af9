package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"roadcover"
	"roadcover/store"
)

// ---- receipts ----

func (t *txn) PutReceiptFile(ctx context.Context, f store.ReceiptFile) (bool, error) {
	if f.SHA256 == "" || len(f.Content) == 0 {
		return false, fmt.Errorf("postgres: put receipt file: no content or no hash")
	}
	res, err := t.q.Exec(ctx, `INSERT INTO receipt_files (sha256, media_type, size, content, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING`,
		f.SHA256, f.MediaType, f.Size, f.Content, ts(f.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("postgres: put receipt file %s: %w", f.SHA256, classify(err))
	}
	return res.RowsAffected() == 1, nil
}

func (t *txn) ReceiptFile(ctx context.Context, sha256 string) (store.ReceiptFile, error) {
	f := store.ReceiptFile{SHA256: sha256}
	var at time.Time
	err := t.q.QueryRow(ctx, `SELECT media_type, size, content, created_at FROM receipt_files WHERE sha256 = $1`, sha256).
		Scan(&f.MediaType, &f.Size, &f.Content, &at)
	if err != nil {
		return store.ReceiptFile{}, fmt.Errorf("postgres: receipt file %s: %w", sha256, classify(err))
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

func orArray(raw []byte) []byte {
	if len(raw) == 0 {
		return []byte("[]")
	}
	return raw
}

func (t *txn) InsertReceipt(ctx context.Context, r store.Receipt, l store.ReceiptLine) error {
	if r.LineNo != 1 || l.No != 1 || l.ReceiptID != r.ID {
		return fmt.Errorf("postgres: insert receipt %s: the first line must be number 1 of the receipt", r.ID)
	}
	res, err := t.q.Exec(ctx, `INSERT INTO receipts (id, case_id, file_sha256, part, category, day, amount_minor,
		currency, merchant, phash, payee, suggestion, duplicates, via, actor_token, actor_role, actor_partner, created_at,
		line_no, status, needs_review, payable_no, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		ON CONFLICT (id) DO NOTHING`,
		r.ID, r.CaseID, r.File, []byte(r.Part), r.Category, r.Date.Time(), r.Amount.Minor, r.Amount.Currency,
		r.Merchant, phashArg(r), jsonArg(r.Payee), jsonArg(r.Suggestion), orArray(r.Duplicates), r.Via,
		r.Actor.TokenID, r.Actor.Role, r.Actor.Partner, ts(r.CreatedAt), r.LineNo, r.Status, r.NeedsReview,
		r.PayableNo, ts(r.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert receipt %s: %w", r.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert receipt %s: %w", r.ID, store.ErrConflict)
	}
	return t.insertReceiptLine(ctx, l)
}

func (t *txn) insertReceiptLine(ctx context.Context, l store.ReceiptLine) error {
	_, err := t.q.Exec(ctx, `INSERT INTO receipt_lines (receipt_id, no, action, status, amount_minor, currency, line,
		at, actor_token, actor_role, actor_partner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		l.ReceiptID, l.No, l.Action, l.Status, l.Amount.Minor, l.Amount.Currency, []byte(l.Line), ts(l.At),
		l.Actor.TokenID, l.Actor.Role, l.Actor.Partner)
	if err != nil {
		return fmt.Errorf("postgres: insert line %d of receipt %s: %w", l.No, l.ReceiptID, classify(err))
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
	var day, created, updated, at time.Time
	var phash *int64
	l := &r.Line
	if err := sc.Scan(&r.ID, &r.CaseID, &r.File, &r.FileType, &r.FileSize, &part, &r.Category, &day,
		&r.Amount.Minor, &r.Amount.Currency, &r.Merchant, &phash, &payee, &suggestion, &dups, &r.Via, &r.Actor.TokenID,
		&r.Actor.Role, &r.Actor.Partner, &created, &r.LineNo, &r.Status, &r.NeedsReview, &r.PayableNo, &updated,
		&l.Action, &l.Status, &l.Amount.Minor, &l.Amount.Currency, &line, &at, &l.Actor.TokenID, &l.Actor.Role,
		&l.Actor.Partner); err != nil {
		return store.Receipt{}, err
	}
	r.Date = roadcover.DateOf(day)
	if phash != nil {
		r.PHash, r.HasPHash = uint64(*phash), true
	}
	r.Part, r.Payee, r.Suggestion, r.Duplicates = rawJSON(part), rawJSON(payee), rawJSON(suggestion), rawJSON(dups)
	r.CreatedAt, r.UpdatedAt = fromTS(created), fromTS(updated)
	l.ReceiptID, l.No, l.Line, l.At = r.ID, r.LineNo, rawJSON(line), fromTS(at)
	return r, nil
}

func (t *txn) GetReceipt(ctx context.Context, id string) (store.Receipt, error) {
	r, err := scanReceipt(t.q.QueryRow(ctx, receiptSelect+` WHERE r.id = $1`, id))
	if err != nil {
		return store.Receipt{}, fmt.Errorf("postgres: get receipt %s: %w", id, classify(err))
	}
	return r, nil
}

func (t *txn) CaseReceipts(ctx context.Context, caseID string) ([]store.Receipt, error) {
	rows, err := t.q.Query(ctx, receiptSelect+` WHERE r.case_id = $1 ORDER BY r.created_at, r.id`, caseID)
	return collect(rows, err, "receipts of case "+caseID, scanReceipt)
}

func (t *txn) FileReceipts(ctx context.Context, sha256 string) ([]store.Receipt, error) {
	rows, err := t.q.Query(ctx, receiptSelect+` WHERE r.file_sha256 = $1 ORDER BY r.created_at, r.id`, sha256)
	return collect(rows, err, "receipts of file "+sha256, scanReceipt)
}

func (t *txn) AppendReceiptLine(ctx context.Context, r store.Receipt, l store.ReceiptLine) error {
	if l.ReceiptID != r.ID || l.No != r.LineNo || l.No < 2 {
		return fmt.Errorf("postgres: append line %d to receipt %s: the line must be the receipt's next", l.No, r.ID)
	}
	res, err := t.q.Exec(ctx, `UPDATE receipts SET line_no = $1, status = $2, needs_review = $3, payable_no = $4,
		updated_at = $5 WHERE id = $6 AND line_no = $7`,
		r.LineNo, r.Status, r.NeedsReview, r.PayableNo, ts(r.UpdatedAt), r.ID, l.No-1)
	if err != nil {
		return fmt.Errorf("postgres: append line %d to receipt %s: %w", l.No, r.ID, classify(err))
	}
	if err := t.receiptUpdated(ctx, res, r.ID, l.No-1); err != nil {
		return err
	}
	return t.insertReceiptLine(ctx, l)
}

// receiptUpdated turns "no row updated" into ErrNotFound or ErrStale.
func (t *txn) receiptUpdated(ctx context.Context, res pgconn.CommandTag, id string, want int64) error {
	if res.RowsAffected() == 1 {
		return nil
	}
	var no int64
	if err := t.q.QueryRow(ctx, `SELECT line_no FROM receipts WHERE id = $1`, id).Scan(&no); err != nil {
		return fmt.Errorf("postgres: update receipt %s: %w", id, classify(err))
	}
	return fmt.Errorf("postgres: update receipt %s: its line is %d, not %d: %w", id, no, want, store.ErrStale)
}

func (t *txn) SetReceiptPayable(ctx context.Context, id string, no int64, at time.Time) error {
	res, err := t.q.Exec(ctx, `UPDATE receipts SET payable_no = $1, updated_at = $2 WHERE id = $3 AND line_no = $1`,
		no, ts(at), id)
	if err != nil {
		return fmt.Errorf("postgres: set payable of receipt %s: %w", id, classify(err))
	}
	return t.receiptUpdated(ctx, res, id, no)
}

func (t *txn) ReceiptLines(ctx context.Context, receiptID string) ([]store.ReceiptLine, error) {
	var one int
	if err := t.q.QueryRow(ctx, `SELECT 1 FROM receipts WHERE id = $1`, receiptID).Scan(&one); err != nil {
		return nil, fmt.Errorf("postgres: lines of receipt %s: %w", receiptID, classify(err))
	}
	rows, err := t.q.Query(ctx, `SELECT receipt_id, no, action, status, amount_minor, currency, line, at,
		actor_token, actor_role, actor_partner FROM receipt_lines WHERE receipt_id = $1 ORDER BY no`, receiptID)
	return collect(rows, err, "lines of receipt "+receiptID, func(sc interface{ Scan(...any) error }) (store.ReceiptLine, error) {
		var l store.ReceiptLine
		var line []byte
		var at time.Time
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
		where = append(where, "r.needs_review")
	}
	if f.After != "" {
		var created time.Time
		err := t.q.QueryRow(ctx, `SELECT created_at FROM receipts WHERE id = $1`, f.After).Scan(&created)
		if err != nil {
			return nil, fmt.Errorf("postgres: list receipts after %s: %w", f.After, classify(err))
		}
		args = append(args, created, f.After)
		where = append(where, "(r.created_at, r.id) > ($1, $2)")
	}
	q := receiptSelect
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY r.created_at, r.id LIMIT $%d", len(args))
	rows, err := t.q.Query(ctx, q, args...)
	return collect(rows, err, "list receipts", scanReceipt)
}

// LockCaseReceipts takes the case row's lock (FOR NO KEY UPDATE, the lock
// AppendEvent takes too): writers of one case's receipts queue, so that
// each check reads the lines before it as committed.
func (t *txn) LockCaseReceipts(ctx context.Context, caseID string) error {
	var one int
	err := t.q.QueryRow(ctx, `SELECT 1 FROM cases WHERE id = $1 FOR NO KEY UPDATE`, caseID).Scan(&one)
	if err != nil {
		return fmt.Errorf("postgres: receipts of case %s: %w", caseID, classify(err))
	}
	return nil
}
