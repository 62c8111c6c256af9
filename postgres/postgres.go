// Package postgres implements store.Store on a PostgreSQL server with pgx
// (pgxpool): the store for a desk run by more than one server process.
//
// Migrations are embedded and applied on Open under a session advisory lock,
// so servers starting together migrate once; River's migrations for the job
// queue follow (queue.go).
//
// Concurrency: Update runs at READ COMMITTED and relies on row locks and
// unique constraints, never on reading then writing. UpdateCase and UpdateJob
// are "UPDATE … WHERE id = $1 AND version = $2": a second writer of the same
// row waits for the first, re-checks the version and gets ErrStale.
// AppendEvent takes the case row's lock to assign the next seq, so writers of
// one case's timeline queue and seqs stay gapless. Inserts that may collide
// (a second choice in a group, a used idempotency key, a used id or hash)
// use ON CONFLICT DO NOTHING and report ErrConflict without aborting the
// transaction, so fn may go on (for example, read the first idempotency
// record) as it can with SQLite. Should the server still report a
// serialization failure or a deadlock, Update runs fn again (up to
// MaxAttempts times): fn must not have effects outside the transaction other
// than setting its own variables.
//
// View runs at REPEATABLE READ, READ ONLY: one snapshot for all its reads.
//
// Durability: a commit returns once the server has flushed its write-ahead
// log (synchronous_commit on, the server's default); Open refuses a server
// where synchronous_commit is off or fsync is off, since a 2xx answer would
// then not mean durable.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river"

	"roadcover/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MaxAttempts bounds how often Update runs fn after serialization failures
// or deadlocks.
const MaxAttempts = 5

// DefaultMaxConns is the pool size unless the URL sets pool_max_conns.
const DefaultMaxConns = 16

// Store is a PostgreSQL store. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	jobs *river.Client[pgx.Tx] // inserts jobs (Enqueue)
}

var _ store.Store = (*Store)(nil)

// Options tune OpenWith; the zero value is the documented default.
type Options struct {
	// AllowUnsafe accepts a server with fsync or synchronous_commit off
	// (throwaway test clusters only).
	AllowUnsafe bool
}

// Open connects to the server at url ("postgres://…"), checks that commits
// are durable there and migrates the schema.
func Open(ctx context.Context, url string) (*Store, error) {
	return OpenWith(ctx, url, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, url string, o Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		// More connections than cores: writers wait on WAL flushes, and
		// concurrent committers share them.
		cfg.MaxConns = DefaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool}
	var one int
	if err := pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", unavailable(err))
	}
	if !o.AllowUnsafe {
		if err := checkDurable(ctx, pool); err != nil {
			pool.Close()
			return nil, err
		}
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	if err := migrateRiver(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate the job queue: %w", err)
	}
	if s.jobs, err = newInserter(pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: job queue: %w", err)
	}
	return s, nil
}

func checkDurable(ctx context.Context, pool *pgxpool.Pool) error {
	for _, name := range []string{"fsync", "synchronous_commit"} {
		var v string
		if err := pool.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
			return fmt.Errorf("postgres: read setting %s: %w", name, err)
		}
		if v == "off" {
			return fmt.Errorf("postgres: the server runs with %s = off: commits would not be durable", name)
		}
	}
	return nil
}

// Migrations returns the embedded migration files (for tools and tests).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	return migrateDB(ctx, db)
}

func migrateDB(ctx context.Context, db *sql.DB) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	// Migration numbers are given out per part of the product and arrive
	// in any order: a store migrated past a number applies the lower one it
	// lacks (WithAllowOutofOrder).
	p, err := goose.NewProvider(goose.DialectPostgres, db, Migrations(),
		goose.WithDisableGlobalRegistry(true), goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Kind is "postgres".
func (s *Store) Kind() string { return "postgres" }

// Ping checks that the server answers, is not read-only and takes a
// committed write (of 16 KiB, deleted again in the same transaction, so
// that the commit reaches the write-ahead log).
func (s *Store) Ping(ctx context.Context) error {
	err := s.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, func(tx store.Tx) error {
		q := tx.(*txn).q
		if _, err := q.Exec(ctx, `INSERT INTO readiness (probe) VALUES (convert_to(repeat('x', 16384), 'UTF8'))`); err != nil {
			return fmt.Errorf("postgres: ping: %w", unavailable(err))
		}
		if _, err := q.Exec(ctx, `DELETE FROM readiness`); err != nil {
			return fmt.Errorf("postgres: ping: %w", unavailable(err))
		}
		return nil
	})
	return unavailable(err)
}

// unavailable marks the errors of a server that cannot work now (out of
// disk or memory, read-only, shutting down, not reachable) with
// store.ErrUnavailable.
func unavailable(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "53"), // insufficient resources: disk full, out of memory, too many connections
			strings.HasPrefix(pe.Code, "08"),                           // connection exceptions
			pe.Code == "25006",                                         // read-only transaction (a standby)
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, cannot connect now
			pe.Code == "55P03": // lock not available
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.SafeToRetry(err) {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Update runs fn in a READ COMMITTED transaction and commits when fn
// returns nil; serialization failures and deadlocks run fn again.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	var err error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		err = s.run(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, true, fn)
		if !retryable(err) {
			return unavailable(err)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt) * time.Millisecond):
		}
	}
	return err
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return unavailable(s.run(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, false, fn))
}

func (s *Store) run(ctx context.Context, opts pgx.TxOptions, write bool, fn func(store.Tx) error) (err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer conn.Release()
	tx := &lazyTx{conn: conn.Conn(), begin: beginSQL(opts)}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(&txn{q: tx, write: write, jobs: s.jobs}); err != nil {
		tx.rollback(context.WithoutCancel(ctx))
		return err
	}
	if !write {
		tx.rollback(context.WithoutCancel(ctx))
		return nil
	}
	if err := tx.commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", classify(err))
	}
	return nil
}

// ExecRaw runs one SQL statement outside the store's API. It exists for
// tests that check what the schema refuses (the events trigger); the service
// never calls it.
func (s *Store) ExecRaw(ctx context.Context, stmt string) error {
	if _, err := s.pool.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("postgres: exec: %w", err)
	}
	return nil
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// classify wraps err with the store error it stands for, if any.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case "23503": // foreign_key_violation
			return fmt.Errorf("%w (a referenced record is missing): %w", store.ErrNotFound, err)
		}
	}
	return err
}

// Size is the bytes the database takes on disk (its tables, their indexes
// and TOAST), as pg_database_size gives it.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: size: %w", err)
	}
	return n, nil
}

// CreateCase inserts a new case and its first timeline events (seqs 1, 2,
// …) in a transaction of their own: InsertCaseWithEvents is one statement,
// so it runs as one, committed by the server when it ends (durably, as
// every commit here) — one round trip instead of three with BEGIN and
// COMMIT around it. ErrConflict when the id is taken (nothing is written).
func (s *Store) CreateCase(ctx context.Context, c store.Case, events []store.Event) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: insert case %s: %w", c.ID, unavailable(err))
	}
	defer conn.Release()
	return unavailable((&txn{q: conn.Conn(), write: true}).InsertCaseWithEvents(ctx, c, events))
}
