package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// The money ledger (store.LedgerTx): migrations/00005_ledger.sql.

// appendChunk is how many rows one INSERT of AppendLedger writes; the rest
// of a call goes one row at a time, so that the statement cache holds two
// texts per table.
const appendChunk = 64

const entryCols = `seq, kind, at, actor, payable, batch, source_kind, source_id, source_line, payee, amount, currency,
	reference, terms, clause, approvals_required, execution_date, cause, reason, chain`

const entryColCount = 20

func entryArgs(e store.LedgerEntry) []any {
	exec := ""
	if !e.ExecutionDate.IsZero() {
		exec = e.ExecutionDate.String()
	}
	return []any{e.Seq, string(e.Kind), ts(e.At), e.Actor, string(e.Payable), string(e.Batch), string(e.Source.Kind),
		e.Source.ID, e.Source.Line, string(e.Payee), e.Amount.Minor, e.Amount.Currency, e.Reference, e.Terms, e.Clause,
		e.ApprovalsRequired, exec, string(e.Cause), e.Reason, e.Chain}
}

// LockLedger: SQLite has one writer at a time, and Update transactions
// begin IMMEDIATE, so a write transaction holds the journal already.
func (t *txn) LockLedger(ctx context.Context) error { return nil }

// insertRows writes rows of cols columns into table, appendChunk rows per
// statement and the rest one by one.
func (t *txn) insertRows(ctx context.Context, table, cols string, ncols int, rows [][]any) error {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncols), ", ") + ")"
	many := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+", ", appendChunk), ", ")
	single := "INSERT INTO " + table + " (" + cols + ") VALUES " + one
	args := make([]any, 0, ncols*appendChunk)
	for len(rows) >= appendChunk {
		args = args[:0]
		for _, r := range rows[:appendChunk] {
			args = append(args, r...)
		}
		if _, err := t.q.ExecContext(ctx, many, args...); err != nil {
			return err
		}
		rows = rows[appendChunk:]
	}
	for _, r := range rows {
		if _, err := t.q.ExecContext(ctx, single, r...); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) AppendLedger(ctx context.Context, entries []store.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(entries))
	var postings, members [][]any
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			return fmt.Errorf("sqlite: append ledger: entry %d follows %d", e.Seq, entries[i-1].Seq)
		}
		rows = append(rows, entryArgs(e))
		for j, p := range e.Postings {
			postings = append(postings, []any{e.Seq, j + 1, string(p.Account), p.Amount.Minor, p.Amount.Currency,
				string(p.Source.Kind), p.Source.ID, p.Source.Line, string(p.Payee)})
		}
		for j, m := range e.Members {
			members = append(members, []any{e.Seq, j + 1, string(m)})
		}
	}
	first, last := entries[0].Seq, entries[len(entries)-1].Seq
	if err := t.insertRows(ctx, "ledger_entries", entryCols, entryColCount, rows); err != nil {
		return fmt.Errorf("sqlite: append ledger entries %d-%d: %w", first, last, classify(err))
	}
	if err := t.insertRows(ctx, "ledger_postings", "seq, pos, account, amount, currency, source_kind, source_id, source_line, payee", 9, postings); err != nil {
		return fmt.Errorf("sqlite: append ledger postings %d-%d: %w", first, last, classify(err))
	}
	if err := t.insertRows(ctx, "ledger_batch_members", "seq, pos, payable", 3, members); err != nil {
		return fmt.Errorf("sqlite: append ledger batch members %d-%d: %w", first, last, classify(err))
	}
	return nil
}

func (t *txn) LedgerEntries(ctx context.Context, after int64) ([]store.LedgerEntry, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+entryCols+` FROM ledger_entries WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger entries after %d: %w", after, err)
	}
	out, err := scanEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger entries after %d: %w", after, err)
	}
	if len(out) == 0 {
		return out, nil
	}
	index := func(seq int64) *store.LedgerEntry {
		i := seq - out[0].Seq
		if i < 0 || i >= int64(len(out)) || out[i].Seq != seq {
			return nil
		}
		return &out[i]
	}
	prows, err := t.q.QueryContext(ctx, `SELECT seq, account, amount, currency, source_kind, source_id, source_line, payee
		FROM ledger_postings WHERE seq > ? AND seq <= ? ORDER BY seq, pos`, after, out[len(out)-1].Seq)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger postings after %d: %w", after, err)
	}
	defer prows.Close()
	for prows.Next() {
		var seq int64
		var p ledger.Posting
		var account, kind, payee string
		if err := prows.Scan(&seq, &account, &p.Amount.Minor, &p.Amount.Currency, &kind, &p.Source.ID, &p.Source.Line, &payee); err != nil {
			return nil, fmt.Errorf("sqlite: ledger postings after %d: %w", after, err)
		}
		p.Account, p.Source.Kind, p.Payee = ledger.Account(account), ledger.SourceKind(kind), ledger.PayeeID(payee)
		e := index(seq)
		if e == nil {
			return nil, fmt.Errorf("sqlite: ledger posting of entry %d, which is not in the journal", seq)
		}
		e.Postings = append(e.Postings, p)
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: ledger postings after %d: %w", after, err)
	}
	mrows, err := t.q.QueryContext(ctx, `SELECT seq, payable FROM ledger_batch_members WHERE seq > ? AND seq <= ? ORDER BY seq, pos`,
		after, out[len(out)-1].Seq)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger batch members after %d: %w", after, err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var seq int64
		var id string
		if err := mrows.Scan(&seq, &id); err != nil {
			return nil, fmt.Errorf("sqlite: ledger batch members after %d: %w", after, err)
		}
		e := index(seq)
		if e == nil {
			return nil, fmt.Errorf("sqlite: ledger batch member of entry %d, which is not in the journal", seq)
		}
		e.Members = append(e.Members, ledger.PayableID(id))
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: ledger batch members after %d: %w", after, err)
	}
	return out, nil
}

func scanEntries(rows *sql.Rows) ([]store.LedgerEntry, error) {
	defer rows.Close()
	var out []store.LedgerEntry
	for rows.Next() {
		var e store.LedgerEntry
		var kind, payable, batch, srcKind, payee, exec, cause string
		var at int64
		if err := rows.Scan(&e.Seq, &kind, &at, &e.Actor, &payable, &batch, &srcKind, &e.Source.ID, &e.Source.Line, &payee,
			&e.Amount.Minor, &e.Amount.Currency, &e.Reference, &e.Terms, &e.Clause, &e.ApprovalsRequired, &exec, &cause,
			&e.Reason, &e.Chain); err != nil {
			return nil, err
		}
		e.Kind, e.At, e.Payable, e.Batch = ledger.Kind(kind), fromTS(at), ledger.PayableID(payable), ledger.BatchID(batch)
		e.Source.Kind, e.Payee, e.Cause = ledger.SourceKind(srcKind), ledger.PayeeID(payee), ledger.ReversalCause(cause)
		if exec != "" {
			d, err := roadcover.ParseDate(exec)
			if err != nil {
				return nil, fmt.Errorf("entry %d: execution date %q: %w", e.Seq, exec, err)
			}
			e.ExecutionDate = d
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *txn) LedgerChain(ctx context.Context, seq int64) ([]byte, error) {
	var chain []byte
	err := t.q.QueryRowContext(ctx, `SELECT chain FROM ledger_entries WHERE seq = ?`, seq).Scan(&chain)
	if err != nil {
		return nil, fmt.Errorf("sqlite: ledger entry %d: %w", seq, classify(err))
	}
	return chain, nil
}

// ---- payees ----

const payeeCols = "id, name, method, iban, bic, bankgiro, clearing, number, created_at, updated_at"

func scanPayee(sc interface{ Scan(...any) error }) (store.Payee, error) {
	var p store.Payee
	var method string
	var created, updated int64
	a := &p.Account
	if err := sc.Scan(&p.ID, &p.Name, &method, &a.IBAN, &a.BIC, &a.Bankgiro, &a.Clearing, &a.Number, &created, &updated); err != nil {
		return store.Payee{}, err
	}
	a.Method = payee.Method(method)
	p.CreatedAt, p.UpdatedAt = fromTS(created), fromTS(updated)
	return p, nil
}

func (t *txn) PutPayee(ctx context.Context, p store.Payee) error {
	a := p.Account
	_, err := t.q.ExecContext(ctx, `INSERT INTO payees (`+payeeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, method = excluded.method, iban = excluded.iban, bic = excluded.bic,
		bankgiro = excluded.bankgiro, clearing = excluded.clearing, number = excluded.number, updated_at = excluded.updated_at`,
		p.ID, p.Name, string(a.Method), a.IBAN, a.BIC, a.Bankgiro, a.Clearing, a.Number, ts(p.CreatedAt), ts(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put payee %s: %w", p.ID, classify(err))
	}
	return nil
}

func (t *txn) GetPayee(ctx context.Context, id string) (store.Payee, error) {
	p, err := scanPayee(t.q.QueryRowContext(ctx, `SELECT `+payeeCols+` FROM payees WHERE id = ?`, id))
	if err != nil {
		return store.Payee{}, fmt.Errorf("sqlite: get payee %s: %w", id, classify(err))
	}
	return p, nil
}

func (t *txn) ListPayees(ctx context.Context, ids []string) ([]store.Payee, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// The ids travel as one JSON array: one statement text for any count.
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list payees: %w", err)
	}
	rows, err := t.q.QueryContext(ctx, `SELECT `+payeeCols+` FROM payees WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(list))
	return collect(rows, err, "list payees", scanPayee)
}

// ---- bank files and status reports ----

func (t *txn) InsertPaymentFile(ctx context.Context, f store.PaymentFile) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO payment_files (batch, message_id, format, data, sha256, count, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.Batch, f.MessageID, f.Format, f.Data, f.SHA256, f.Count, ts(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert payment file of batch %s: %w", f.Batch, classify(err))
	}
	return nil
}

func (t *txn) GetPaymentFile(ctx context.Context, batch string) (store.PaymentFile, error) {
	var f store.PaymentFile
	var created int64
	err := t.q.QueryRowContext(ctx, `SELECT batch, message_id, format, data, sha256, count, created_at FROM payment_files WHERE batch = ?`,
		batch).Scan(&f.Batch, &f.MessageID, &f.Format, &f.Data, &f.SHA256, &f.Count, &created)
	if err != nil {
		return store.PaymentFile{}, fmt.Errorf("sqlite: payment file of batch %s: %w", batch, classify(err))
	}
	f.CreatedAt = fromTS(created)
	return f, nil
}

const reportCols = "batch, message_id, sha256, actor_token, actor_role, actor_partner, imported_at, first_seq, last_seq"

func scanReport(sc interface{ Scan(...any) error }, extra ...any) (store.StatusReport, error) {
	var r store.StatusReport
	var at int64
	dest := append([]any{&r.Batch, &r.MessageID, &r.SHA256, &r.Actor.TokenID, &r.Actor.Role, &r.Actor.Partner, &at,
		&r.FirstSeq, &r.LastSeq}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.StatusReport{}, err
	}
	r.ImportedAt = fromTS(at)
	return r, nil
}

func (t *txn) InsertStatusReport(ctx context.Context, r store.StatusReport) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO payment_status_reports (`+reportCols+`, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Batch, r.MessageID, r.SHA256, r.Actor.TokenID, r.Actor.Role, r.Actor.Partner, ts(r.ImportedAt), r.FirstSeq, r.LastSeq, r.Data)
	if err != nil {
		return fmt.Errorf("sqlite: insert status report %s of batch %s: %w", r.MessageID, r.Batch, classify(err))
	}
	return nil
}

func (t *txn) GetStatusReport(ctx context.Context, batch, messageID string) (store.StatusReport, error) {
	var data []byte
	r, err := scanReport(t.q.QueryRowContext(ctx, `SELECT `+reportCols+`, data FROM payment_status_reports
		WHERE batch = ? AND message_id = ?`, batch, messageID), &data)
	if err != nil {
		return store.StatusReport{}, fmt.Errorf("sqlite: status report %s of batch %s: %w", messageID, batch, classify(err))
	}
	r.Data = data
	return r, nil
}

func (t *txn) ListStatusReports(ctx context.Context, batch string) ([]store.StatusReport, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+reportCols+` FROM payment_status_reports WHERE batch = ?
		ORDER BY imported_at, message_id`, batch)
	return collect(rows, err, "status reports of batch "+batch, func(sc interface{ Scan(...any) error }) (store.StatusReport, error) {
		return scanReport(sc)
	})
}
