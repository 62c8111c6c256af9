package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// querier is what a txn sends its statements through.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// lazyTx is a transaction on one pooled connection whose BEGIN travels in
// the same round trip as its first statement (a pipelined batch), instead
// of costing a round trip of its own as pgx.Conn.BeginTx does. A
// transaction that sends nothing never begins.
type lazyTx struct {
	conn  *pgx.Conn
	begin string // BEGIN with the isolation level and access mode
	begun bool
}

func beginSQL(opts pgx.TxOptions) string {
	s := "BEGIN ISOLATION LEVEL " + string(opts.IsoLevel)
	if opts.AccessMode != "" {
		s += " " + string(opts.AccessMode)
	}
	return s
}

// pipeline sends BEGIN and the first statement as one batch and reads the
// result of BEGIN.
func (t *lazyTx) pipeline(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	b.Queue(t.begin)
	b.Queue(sql, args...)
	br := t.conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return nil, fmt.Errorf("begin: %w", err)
	}
	t.begun = true
	return br, nil
}

func (t *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.begun {
		return t.conn.Exec(ctx, sql, args...)
	}
	br, err := t.pipeline(ctx, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t.begun {
		return t.conn.QueryRow(ctx, sql, args...)
	}
	br, err := t.pipeline(ctx, sql, args)
	if err != nil {
		return errRow{err}
	}
	return &batchRow{br: br, row: br.QueryRow()}
}

// CopyFrom begins first, then copies rows in (COPY … FROM STDIN).
func (t *lazyTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.ensure(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, cols, src)
}

// ensure begins the transaction if nothing has yet.
func (t *lazyTx) ensure(ctx context.Context) error {
	if t.begun {
		return nil
	}
	if _, err := t.conn.Exec(ctx, t.begin); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t.begun = true
	return nil
}

// Query begins first (a result set cannot wait in a batch for the caller
// to read it).
func (t *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.ensure(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(ctx, sql, args...)
}

// commit commits a begun transaction; like pgx's Tx.Commit it reports a
// transaction that the server rolled back (after an error) as
// pgx.ErrTxCommitRollback.
func (t *lazyTx) commit(ctx context.Context) error {
	if !t.begun {
		return nil
	}
	t.begun = false
	tag, err := t.conn.Exec(ctx, "COMMIT")
	if err != nil {
		return err
	}
	if tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	return nil
}

// rollback ends a begun transaction without its changes. A failure
// leaves the connection in a transaction, and the pool then closes it.
func (t *lazyTx) rollback(ctx context.Context) {
	if !t.begun {
		return
	}
	t.begun = false
	t.conn.Exec(ctx, "ROLLBACK")
}

// batchRow is the row of a statement sent with BEGIN: scanning it also
// closes the batch, which frees the connection for the next statement.
type batchRow struct {
	br  pgx.BatchResults
	row pgx.Row
}

func (r *batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
