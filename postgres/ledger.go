package postgres

import (
	"context"
	"fmt"
	"time"

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

func (t *txn) AppendLedger(ctx context.Context, entries []store.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	var (
		seq                                                  = make([]int64, n)
		kind, actor, payable, batch, srcKind, srcID, srcLine = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		payeeID, currency, reference, terms, clause, exec    = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		cause, reason                                        = make([]string, n), make([]string, n)
		at                                                   = make([]time.Time, n)
		amount                                               = make([]int64, n)
		approvals                                            = make([]int32, n)
		chain                                                = make([][]byte, n)
		pSeq, pAmount                                        []int64
		pPos                                                 []int32
		pAccount, pCurrency, pKind, pID, pLine, pPayee       []string
		mSeq                                                 []int64
		mPos                                                 []int32
		mPayable                                             []string
	)
	for i, e := range entries {
		if i > 0 && e.Seq != entries[i-1].Seq+1 {
			return fmt.Errorf("postgres: append ledger: entry %d follows %d", e.Seq, entries[i-1].Seq)
		}
		seq[i], kind[i], at[i], actor[i] = e.Seq, string(e.Kind), ts(e.At), e.Actor
		payable[i], batch[i], srcKind[i], srcID[i], srcLine[i] = string(e.Payable), string(e.Batch), string(e.Source.Kind), e.Source.ID, e.Source.Line
		payeeID[i], amount[i], currency[i], reference[i] = string(e.Payee), e.Amount.Minor, e.Amount.Currency, e.Reference
		terms[i], clause[i], approvals[i] = e.Terms, e.Clause, int32(e.ApprovalsRequired)
		if !e.ExecutionDate.IsZero() {
			exec[i] = e.ExecutionDate.String()
		}
		cause[i], reason[i], chain[i] = string(e.Cause), e.Reason, e.Chain
		for j, p := range e.Postings {
			pSeq, pPos = append(pSeq, e.Seq), append(pPos, int32(j+1))
			pAccount, pAmount, pCurrency = append(pAccount, string(p.Account)), append(pAmount, p.Amount.Minor), append(pCurrency, p.Amount.Currency)
			pKind, pID, pLine, pPayee = append(pKind, string(p.Source.Kind)), append(pID, p.Source.ID), append(pLine, p.Source.Line), append(pPayee, string(p.Payee))
		}
		for j, m := range e.Members {
			mSeq, mPos, mPayable = append(mSeq, e.Seq), append(mPos, int32(j+1)), append(mPayable, string(m))
		}
	}
	first, last := entries[0].Seq, entries[n-1].Seq
	tag, err := t.q.Exec(ctx, `INSERT INTO ledger_entries (seq, kind, at, actor, payable, batch, source_kind, source_id, source_line,
		payee, amount, currency, reference, terms, clause, approvals_required, execution_date, cause, reason, chain)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
			$9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::text[], $16::integer[], $17::text[],
			$18::text[], $19::text[], $20::bytea[])
		ON CONFLICT (seq) DO NOTHING`,
		seq, kind, at, actor, payable, batch, srcKind, srcID, srcLine, payeeID, amount, currency, reference, terms, clause,
		approvals, exec, cause, reason, chain)
	if err != nil {
		return fmt.Errorf("postgres: append ledger entries %d-%d: %w", first, last, classify(err))
	}
	if tag.RowsAffected() != int64(n) {
		return fmt.Errorf("postgres: append ledger entries %d-%d: a number is taken: %w", first, last, store.ErrConflict)
	}
	if len(pSeq) > 0 {
		if _, err := t.q.Exec(ctx, `INSERT INTO ledger_postings (seq, pos, account, amount, currency, source_kind, source_id, source_line, payee)
			SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
			pSeq, pPos, pAccount, pAmount, pCurrency, pKind, pID, pLine, pPayee); err != nil {
			return fmt.Errorf("postgres: append ledger postings %d-%d: %w", first, last, classify(err))
		}
	}
	if len(mSeq) > 0 {
		if _, err := t.q.Exec(ctx, `INSERT INTO ledger_batch_members (seq, pos, payable) SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[])`,
			mSeq, mPos, mPayable); err != nil {
			return fmt.Errorf("postgres: append ledger batch members %d-%d: %w", first, last, classify(err))
		}
	}
	return nil
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
