package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"roadcover/store"
)

// Durable background work (store.QueueTx) on River's pgx driver: River's
// tables live in the store's database (migrated on Open under an advisory
// lock, after the store's own migrations), and Enqueue inserts the job
// with River's InsertTx on the Update's own transaction, so the job
// commits or rolls back with the data; River's insert notice (NOTIFY)
// travels with the commit and wakes the workers of every server. The
// clients that work the jobs (package jobs) run on the store's pool
// (RiverDriver); several servers on one database share the jobs, each
// taken by one of them at a time.

// riverMigrateLockKey serialises River's migrations between servers
// starting together ("rcriver1" as a number).
const riverMigrateLockKey int64 = 0x7263726976657231

// migrateRiver applies River's migrations, each in a transaction of its own
// (one of them adds an enum value that a later one uses, which PostgreSQL
// refuses within one transaction), while one connection holds a session
// lock that other servers starting at the same time wait for.
func migrateRiver(ctx context.Context, pool *pgxpool.Pool) error {
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, riverMigrateLockKey); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverMigrateLockKey)
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// newInserter is the River client Enqueue inserts with: one without queues
// or workers, which only inserts.
func newInserter(pool *pgxpool.Pool) (*river.Client[pgx.Tx], error) {
	return river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
}

// RiverDriver is the River driver over the store's pool, for the clients
// that work the jobs (package jobs).
func (s *Store) RiverDriver() riverdriver.Driver[pgx.Tx] { return riverpgxv5.New(s.pool) }

// rawJob is a job's kind and its JSON arguments as River inserts them.
type rawJob struct {
	kind string
	args []byte
}

func (j rawJob) Kind() string { return j.kind }

func (j rawJob) MarshalJSON() ([]byte, error) {
	if len(j.args) == 0 {
		return []byte("{}"), nil
	}
	return j.args, nil
}

var errReadOnly = errors.New("postgres: a read-only transaction enqueues no jobs")

func (t *txn) Enqueue(ctx context.Context, kind string, args []byte, o store.JobOptions) (int64, error) {
	lt, ok := t.q.(*lazyTx)
	if !ok || !t.write || t.jobs == nil {
		return 0, errReadOnly
	}
	res, err := t.jobs.InsertTx(ctx, &riverTx{t: lt}, rawJob{kind, args}, &river.InsertOpts{
		Queue: o.Queue, MaxAttempts: o.MaxAttempts, ScheduledAt: o.ScheduledAt,
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: enqueue %s: %w", kind, classify(err))
	}
	return res.Job.ID, nil
}

// riverTx is an Update's transaction as River's driver takes it (a
// pgx.Tx): its statements go to the store's transaction, begun first;
// Begin nests with a savepoint. Commit and Rollback are refused: the
// Update ends the transaction.
type riverTx struct {
	t     *lazyTx
	depth int
}

var errOuterTx = errors.New("postgres: the store's Update ends this transaction")

func (r *riverTx) conn(ctx context.Context) (*pgx.Conn, error) {
	if err := r.t.ensure(ctx); err != nil {
		return nil, err
	}
	return r.t.conn, nil
}

func (r *riverTx) Begin(ctx context.Context) (pgx.Tx, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return nil, err
	}
	return beginSavepoint(ctx, c, r.depth+1)
}

func (r *riverTx) Commit(context.Context) error   { return errOuterTx }
func (r *riverTx) Rollback(context.Context) error { return errOuterTx }

func (r *riverTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return 0, err
	}
	return c.CopyFrom(ctx, table, cols, src)
}

func (r *riverTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	c, err := r.conn(ctx)
	if err != nil {
		return errBatch{err}
	}
	return c.SendBatch(ctx, b)
}

func (r *riverTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (r *riverTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return nil, err
	}
	return c.Prepare(ctx, name, sql)
}

func (r *riverTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.t.Exec(ctx, sql, args...)
}

func (r *riverTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.t.Query(ctx, sql, args...)
}

func (r *riverTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.t.QueryRow(ctx, sql, args...)
}

func (r *riverTx) Conn() *pgx.Conn { return r.t.conn }

// savepointTx is a nested transaction inside an Update: a savepoint that
// Commit releases and Rollback rolls back to.
type savepointTx struct {
	c      *pgx.Conn
	name   string
	depth  int
	closed bool
}

func beginSavepoint(ctx context.Context, c *pgx.Conn, depth int) (*savepointTx, error) {
	sp := &savepointTx{c: c, name: "rc_sp_" + strconv.Itoa(depth), depth: depth}
	if _, err := c.Exec(ctx, "SAVEPOINT "+sp.name); err != nil {
		return nil, err
	}
	return sp, nil
}

func (s *savepointTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if s.closed {
		return nil, pgx.ErrTxClosed
	}
	return beginSavepoint(ctx, s.c, s.depth+1)
}

func (s *savepointTx) Commit(ctx context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	_, err := s.c.Exec(ctx, "RELEASE SAVEPOINT "+s.name)
	return err
}

func (s *savepointTx) Rollback(ctx context.Context) error {
	if s.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	_, err := s.c.Exec(ctx, "ROLLBACK TO SAVEPOINT "+s.name)
	return err
}

func (s *savepointTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return s.c.CopyFrom(ctx, table, cols, src)
}
func (s *savepointTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return s.c.SendBatch(ctx, b)
}
func (s *savepointTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }
func (s *savepointTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return s.c.Prepare(ctx, name, sql)
}
func (s *savepointTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return s.c.Exec(ctx, sql, args...)
}
func (s *savepointTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.c.Query(ctx, sql, args...)
}
func (s *savepointTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.c.QueryRow(ctx, sql, args...)
}
func (s *savepointTx) Conn() *pgx.Conn { return s.c }

// errBatch is the result of a batch that could not be sent.
type errBatch struct{ err error }

func (b errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, b.err }
func (b errBatch) Query() (pgx.Rows, error)         { return nil, b.err }
func (b errBatch) QueryRow() pgx.Row                { return errRow{b.err} }
func (b errBatch) Close() error                     { return b.err }
func (b errBatch) Tx() pgx.Tx                       { return nil }
