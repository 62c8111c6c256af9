package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// The money ledger (store.LedgerTx): migrations/00006_ledger.sql.

// ledgerLockKey is the transaction-scoped advisory lock LockLedger takes
// ("roadcov1" as a number), held by the journal's one writer at a time.
const ledgerLockKey int64 = 0x726f6164636f7631

func (t *txn) LockLedger(ctx context.Context) error {
	if !t.write {
		return nil // a read-only snapshot needs no writer's lock
	}
	if _, err := t.q.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, ledgerLockKey); err != nil {
		return fmt.Errorf("postgres: lock the ledger: %w", err)
	}
	return nil
}

// copyFrom is how many entries an append has before it goes by COPY
// rather than by INSERT … SELECT FROM unnest(…): COPY is faster for a
// release of thousands of payments, and a taken seq then aborts the
// transaction instead of leaving it usable (ErrConflict either way).
const copyFrom = 256

var (
	entryColumns   = []string{"seq", "kind", "at", "actor", "payable", "batch", "source_kind", "source_id", "source_line", "payee", "amount", "currency", "reference", "terms", "clause", "approvals_required", "execution_date", "cause", "reason", "chain"}
	postingColumns = []string{"seq", "pos", "account", "amount", "currency", "source_kind", "source_id", "source_line", "payee"}
	memberColumns  = []string{"seq", "pos", "payable"}
)

func entryRow(e store.LedgerEntry) []any {
	exec := ""
	if !e.ExecutionDate.IsZero() {
		exec = e.ExecutionDate.String()
	}
	return []any{e.Seq, string(e.Kind), ts(e.At), e.Actor, string(e.Payable), string(e.Batch), string(e.Source.Kind), e.Source.ID,
		e.Source.Line, string(e.Payee), e.Amount.Minor, e.Amount.Currency, e.Reference, e.Terms, e.Clause, int32(e.ApprovalsRequired),
		exec, string(e.Cause), e.Reason, e.Chain}
}

func (t *txn) AppendLedger(ctx context.Context, entries []store.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	var entryRows, postingRows, memberRows [][]any
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			return fmt.Errorf("postgres: append ledger: entry %d follows %d", e.Seq, entries[i-1].Seq)
		}
		entryRows = append(entryRows, entryRow(e))
		for j, p := range e.Postings {
			postingRows = append(postingRows, []any{e.Seq, int32(j + 1), string(p.Account), p.Amount.Minor, p.Amount.Currency,
				string(p.Source.Kind), p.Source.ID, p.Source.Line, string(p.Payee)})
		}
		for j, m := range e.Members {
			memberRows = append(memberRows, []any{e.Seq, int32(j + 1), string(m)})
		}
	}
	first, last := entries[0].Seq, entries[n-1].Seq
	if n >= copyFrom {
		for _, c := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{{"ledger_entries", entryColumns, entryRows}, {"ledger_postings", postingColumns, postingRows}, {"ledger_batch_members", memberColumns, memberRows}} {
			if len(c.rows) == 0 {
				continue
			}
			if _, err := t.q.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
				return fmt.Errorf("postgres: append %s %d-%d: %w", c.table, first, last, classify(err))
			}
		}
		return nil
	}
	tag, err := t.q.Exec(ctx, `INSERT INTO ledger_entries (`+strings.Join(entryColumns, ", ")+`)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[], $16::integer[], $17::text[],
			$18::text[], $19::text[], $20::bytea[])
		ON CONFLICT (seq) DO NOTHING`, columnsOf(entryRows, len(entryColumns))...)
	if err != nil {
		return fmt.Errorf("postgres: append ledger entries %d-%d: %w", first, last, classify(err))
	}
	if tag.RowsAffected() != int64(n) {
		return fmt.Errorf("postgres: append ledger entries %d-%d: a number is taken: %w", first, last, store.ErrConflict)
	}
	if len(postingRows) > 0 {
		if _, err := t.q.Exec(ctx, `INSERT INTO ledger_postings (`+strings.Join(postingColumns, ", ")+`)
			SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
			columnsOf(postingRows, len(postingColumns))...); err != nil {
			return fmt.Errorf("postgres: append ledger postings %d-%d: %w", first, last, classify(err))
		}
	}
	if len(memberRows) > 0 {
		if _, err := t.q.Exec(ctx, `INSERT INTO ledger_batch_members (seq, pos, payable) SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[])`,
			columnsOf(memberRows, len(memberColumns))...); err != nil {
			return fmt.Errorf("postgres: append ledger batch members %d-%d: %w", first, last, classify(err))
		}
	}
	return nil
}

// columnsOf turns rows into one typed slice per column, the arrays unnest
// takes.
func columnsOf(rows [][]any, ncols int) []any {
	cols := make([]any, ncols)
	for c := 0; c < ncols; c++ {
		switch rows[0][c].(type) {
		case int64:
			v := make([]int64, len(rows))
			for i, r := range rows {
				v[i] = r[c].(int64)
			}
			cols[c] = v
		case int32:
			v := make([]int32, len(rows))
			for i, r := range rows {
				v[i] = r[c].(int32)
			}
			cols[c] = v
		case string:
			v := make([]string, len(rows))
			for i, r := range rows {
				v[i] = r[c].(string)
			}
			cols[c] = v
		case time.Time:
			v := make([]time.Time, len(rows))
			for i, r := range rows {
				v[i] = r[c].(time.Time)
			}
			cols[c] = v
		case []byte:
			v := make([][]byte, len(rows))
			for i, r := range rows {
				v[i] = r[c].([]byte)
			}
			cols[c] = v
		default:
			panic(fmt.Sprintf("postgres: no array of %T", rows[0][c]))
		}
	}
	return cols
}

func (t *txn) LedgerEntries(ctx context.Context, after int64) ([]store.LedgerEntry, error) {
	rows, err := t.q.Query(ctx, `SELECT seq, kind, at, actor, payable, batch, source_kind, source_id, source_line, payee, amount,
		currency, reference, terms, clause, approvals_required, execution_date, cause, reason, chain
		FROM ledger_entries WHERE seq > $1 ORDER BY seq`, after)
	out, err := collect(rows, err, fmt.Sprintf("ledger entries after %d", after), scanEntry)
	if err != nil || len(out) == 0 {
		return out, err
	}
	last := out[len(out)-1].Seq
	index := func(seq int64) *store.LedgerEntry {
		i := seq - out[0].Seq
		if i < 0 || i >= int64(len(out)) || out[i].Seq != seq {
			return nil
		}
		return &out[i]
	}
	prows, err := t.q.Query(ctx, `SELECT seq, account, amount, currency, source_kind, source_id, source_line, payee
		FROM ledger_postings WHERE seq > $1 AND seq <= $2 ORDER BY seq, pos`, after, last)
	if err != nil {
		return nil, fmt.Errorf("postgres: ledger postings after %d: %w", after, err)
	}
	defer prows.Close()
	for prows.Next() {
		var seq int64
		var p ledger.Posting
		var account, kind, payee string
		if err := prows.Scan(&seq, &account, &p.Amount.Minor, &p.Amount.Currency, &kind, &p.Source.ID, &p.Source.Line, &payee); err != nil {
			return nil, fmt.Errorf("postgres: ledger postings after %d: %w", after, err)
		}
		p.Account, p.Source.Kind, p.Payee = ledger.Account(account), ledger.SourceKind(kind), ledger.PayeeID(payee)
		e := index(seq)
		if e == nil {
			return nil, fmt.Errorf("postgres: ledger posting of entry %d, which is not in the journal", seq)
		}
		e.Postings = append(e.Postings, p)
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: ledger postings after %d: %w", after, err)
	}
	mrows, err := t.q.Query(ctx, `SELECT seq, payable FROM ledger_batch_members WHERE seq > $1 AND seq <= $2 ORDER BY seq, pos`, after, last)
	if err != nil {
		return nil, fmt.Errorf("postgres: ledger batch members after %d: %w", after, err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var seq int64
		var id string
		if err := mrows.Scan(&seq, &id); err != nil {
			return nil, fmt.Errorf("postgres: ledger batch members after %d: %w", after, err)
		}
		e := index(seq)
		if e == nil {
			return nil, fmt.Errorf("postgres: ledger batch member of entry %d, which is not in the journal", seq)
		}
		e.Members = append(e.Members, ledger.PayableID(id))
	}
	if err := mrows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: ledger batch members after %d: %w", after, err)
	}
	return out, nil
}

func scanEntry(sc interface{ Scan(...any) error }) (store.LedgerEntry, error) {
	var e store.LedgerEntry
	var kind, payable, batch, srcKind, payee, exec, cause string
	var at time.Time
	var approvals int32
	if err := sc.Scan(&e.Seq, &kind, &at, &e.Actor, &payable, &batch, &srcKind, &e.Source.ID, &e.Source.Line, &payee,
		&e.Amount.Minor, &e.Amount.Currency, &e.Reference, &e.Terms, &e.Clause, &approvals, &exec, &cause, &e.Reason, &e.Chain); err != nil {
		return store.LedgerEntry{}, err
	}
	e.Kind, e.At, e.Payable, e.Batch = ledger.Kind(kind), fromTS(at), ledger.PayableID(payable), ledger.BatchID(batch)
	e.Source.Kind, e.Payee, e.Cause, e.ApprovalsRequired = ledger.SourceKind(srcKind), ledger.PayeeID(payee), ledger.ReversalCause(cause), int(approvals)
	if exec != "" {
		d, err := roadcover.ParseDate(exec)
		if err != nil {
			return store.LedgerEntry{}, fmt.Errorf("entry %d: execution date %q: %w", e.Seq, exec, err)
		}
		e.ExecutionDate = d
	}
	return e, nil
}

func (t *txn) LedgerChain(ctx context.Context, seq int64) ([]byte, error) {
	var chain []byte
	if err := t.q.QueryRow(ctx, `SELECT chain FROM ledger_entries WHERE seq = $1`, seq).Scan(&chain); err != nil {
		return nil, fmt.Errorf("postgres: ledger entry %d: %w", seq, classify(err))
	}
	return chain, nil
}

// ---- payees ----

const payeeCols = "id, name, method, iban, bic, bankgiro, clearing, number, created_at, updated_at"

func scanPayee(sc interface{ Scan(...any) error }) (store.Payee, error) {
	var p store.Payee
	var method string
	var created, updated time.Time
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
	_, err := t.q.Exec(ctx, `INSERT INTO payees (`+payeeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, method = excluded.method, iban = excluded.iban, bic = excluded.bic,
		bankgiro = excluded.bankgiro, clearing = excluded.clearing, number = excluded.number, updated_at = excluded.updated_at`,
		p.ID, p.Name, string(a.Method), a.IBAN, a.BIC, a.Bankgiro, a.Clearing, a.Number, ts(p.CreatedAt), ts(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: put payee %s: %w", p.ID, classify(err))
	}
	return nil
}

func (t *txn) GetPayee(ctx context.Context, id string) (store.Payee, error) {
	p, err := scanPayee(t.q.QueryRow(ctx, `SELECT `+payeeCols+` FROM payees WHERE id = $1`, id))
	if err != nil {
		return store.Payee{}, fmt.Errorf("postgres: get payee %s: %w", id, classify(err))
	}
	return p, nil
}

func (t *txn) ListPayees(ctx context.Context, ids []string) ([]store.Payee, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := t.q.Query(ctx, `SELECT `+payeeCols+` FROM payees WHERE id = ANY($1) ORDER BY id`, ids)
	return collect(rows, err, "list payees", scanPayee)
}

// ---- bank files and status reports ----

func (t *txn) InsertPaymentFile(ctx context.Context, f store.PaymentFile) error {
	tag, err := t.q.Exec(ctx, `INSERT INTO payment_files (batch, message_id, format, data, sha256, count, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, f.Batch, f.MessageID, f.Format, f.Data, f.SHA256, f.Count, ts(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert payment file of batch %s: %w", f.Batch, classify(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert payment file of batch %s: %w", f.Batch, store.ErrConflict)
	}
	return nil
}

func (t *txn) GetPaymentFile(ctx context.Context, batch string) (store.PaymentFile, error) {
	var f store.PaymentFile
	var created time.Time
	var count int32
	err := t.q.QueryRow(ctx, `SELECT batch, message_id, format, data, sha256, count, created_at FROM payment_files WHERE batch = $1`,
		batch).Scan(&f.Batch, &f.MessageID, &f.Format, &f.Data, &f.SHA256, &count, &created)
	if err != nil {
		return store.PaymentFile{}, fmt.Errorf("postgres: payment file of batch %s: %w", batch, classify(err))
	}
	f.Count, f.CreatedAt = int(count), fromTS(created)
	return f, nil
}

const reportCols = "batch, message_id, sha256, actor_token, actor_role, actor_partner, imported_at, first_seq, last_seq"

func scanReport(sc interface{ Scan(...any) error }, extra ...any) (store.StatusReport, error) {
	var r store.StatusReport
	var at time.Time
	dest := append([]any{&r.Batch, &r.MessageID, &r.SHA256, &r.Actor.TokenID, &r.Actor.Role, &r.Actor.Partner, &at,
		&r.FirstSeq, &r.LastSeq}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.StatusReport{}, err
	}
	r.ImportedAt = fromTS(at)
	return r, nil
}

func (t *txn) InsertStatusReport(ctx context.Context, r store.StatusReport) error {
	tag, err := t.q.Exec(ctx, `INSERT INTO payment_status_reports (`+reportCols+`, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT DO NOTHING`,
		r.Batch, r.MessageID, r.SHA256, r.Actor.TokenID, r.Actor.Role, r.Actor.Partner, ts(r.ImportedAt), r.FirstSeq, r.LastSeq, r.Data)
	if err != nil {
		return fmt.Errorf("postgres: insert status report %s of batch %s: %w", r.MessageID, r.Batch, classify(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert status report %s of batch %s: %w", r.MessageID, r.Batch, store.ErrConflict)
	}
	return nil
}

func (t *txn) GetStatusReport(ctx context.Context, batch, messageID string) (store.StatusReport, error) {
	var data []byte
	r, err := scanReport(t.q.QueryRow(ctx, `SELECT `+reportCols+`, data FROM payment_status_reports
		WHERE batch = $1 AND message_id = $2`, batch, messageID), &data)
	if err != nil {
		return store.StatusReport{}, fmt.Errorf("postgres: status report %s of batch %s: %w", messageID, batch, classify(err))
	}
	r.Data = data
	return r, nil
}

func (t *txn) ListStatusReports(ctx context.Context, batch string) ([]store.StatusReport, error) {
	rows, err := t.q.Query(ctx, `SELECT `+reportCols+` FROM payment_status_reports WHERE batch = $1
		ORDER BY imported_at, message_id`, batch)
	return collect(rows, err, "status reports of batch "+batch, func(sc interface{ Scan(...any) error }) (store.StatusReport, error) {
		return scanReport(sc)
	})
}
