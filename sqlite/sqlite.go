// Package sqlite implements store.Store on one SQLite file with the pure-Go
// driver modernc.org/sqlite: the embedded default of the desk service.
//
// The file is created and migrated on Open (goose, migrations embedded in
// the binary; then River's own migrations for the job queue, queue.go). It runs in WAL mode with foreign keys on and a busy timeout.
// Writes go through one connection (Update transactions are serialised and
// begin IMMEDIATE, so a read-then-write never meets a lock upgrade failure);
// View transactions use a separate pool of read-only connections that see a
// consistent snapshot while a write is in progress.
//
// Concurrent Updates share commits (group commit): the writer takes every
// Update waiting when it starts a transaction (up to MaxBatch), runs each fn
// inside its own SAVEPOINT (an error or panic rolls back that fn's writes
// only) and commits once for all of them, so one sync serves many writers.
// Each fn still sees the writes of those before it, as if run one after the
// other. A single writer's Update runs alone, without savepoints.
//
// Durability: synchronous=FULL. In WAL mode that syncs the log on every
// commit, so a nil return from Update means the transaction is on disk, not
// only in the operating system's cache: it survives a SIGKILL of the process
// (which NORMAL would also survive) and a power loss or kernel crash (which
// NORMAL would not). The cost is one fsync per Update; see the benchmarks in
// sqlite_test.go for the figures on this machine.
//
// Times are kept as microseconds since the Unix epoch and returned in UTC,
// the same precision PostgreSQL keeps, so both stores give back equal values.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"roadcover/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Synchronous is the synchronous pragma used for the write connection.
const Synchronous = "FULL"

// BusyTimeoutMS is how long a connection waits for a lock held by another
// process (a CLI command next to a running server) before failing.
const BusyTimeoutMS = 10000

// Store is a SQLite store. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // one connection: all writes
	r    *sql.DB // read-only pool: View

	jobs      *river.Client[*sql.Tx] // inserts jobs (Enqueue)
	wstmts    *stmtCache             // prepared statements of w
	rstmts    *stmtCache             // prepared statements of r
	reqs      chan *request          // Updates waiting for the writer
	quit      chan struct{}          // closed by Close: the writer stops
	stopped   chan struct{}          // closed when the writer has stopped
	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Options tune Open; the zero value is the documented default.
type Options struct {
	// Synchronous overrides the synchronous pragma ("FULL" by default).
	// Only benchmarks that measure the cost of durability set it.
	Synchronous string
	// Readers is the size of the read pool (default: max(4, GOMAXPROCS)).
	Readers int
}

// Open opens (creating and migrating if needed) the SQLite file at path.
func Open(path string) (*Store, error) {
	return OpenWith(context.Background(), path, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, path string, o Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	if o.Synchronous == "" {
		o.Synchronous = Synchronous
	}
	switch strings.ToUpper(o.Synchronous) {
	case "OFF", "NORMAL", "FULL", "EXTRA":
	default:
		return nil, fmt.Errorf("sqlite: unknown synchronous setting %q", o.Synchronous)
	}
	if o.Readers <= 0 {
		o.Readers = max(4, runtime.GOMAXPROCS(0))
	}
	if err := ownerOnly(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, o.Synchronous, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	if err := migrateRiver(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: migrate the job queue of %s: %w", path, err)
	}
	jobs, err := newInserter(w)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: job queue of %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, o.Synchronous, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(o.Readers)
	r.SetMaxIdleConns(o.Readers)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}
	s := &Store{path: path, w: w, r: r, jobs: jobs, wstmts: newStmtCache(w), rstmts: newStmtCache(r), reqs: make(chan *request), quit: make(chan struct{}), stopped: make(chan struct{})}
	go s.writer()
	return s, nil
}

// dsn builds the driver's connection string: pragmas run on every new
// connection, writers begin IMMEDIATE, readers are query-only.
func dsn(path, synchronous string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+synchronous+")")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// ownerOnly creates the store's file readable and writable by its owner
// alone (it holds personal data), or narrows an existing file to that.
// SQLite gives its -wal and -shm files the mode of the database file.
func ownerOnly(path string) error {
	if path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("sqlite: make %s private: %w", p, err)
			}
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

func migrate(ctx context.Context, db *sql.DB) error {
	// Migration numbers are given out per part of the product and arrive
	// in any order: a store migrated past a number applies the lower one it
	// lacks (WithAllowOutofOrder).
	p, err := goose.NewProvider(goose.DialectSQLite3, db, Migrations(), goose.WithDisableGlobalRegistry(true),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// Kind is "sqlite".
func (s *Store) Kind() string { return "sqlite" }

// Path is the file the store keeps.
func (s *Store) Path() string { return s.path }

// Ping checks that a reader answers and that the writer can write: it
// writes a block of 16 KiB in a transaction it rolls back, which a full
// disk (or a file at its size limit) refuses.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", unavailable(err))
	}
	// The probe is committed (a row written and deleted again), so that it
	// reaches the write-ahead log: a rolled-back write never touches the
	// disk and would pass on a full one.
	err := s.Update(ctx, func(tx store.Tx) error {
		q := tx.(*txn).q
		if _, err := q.ExecContext(ctx, `INSERT INTO readiness (probe) VALUES (zeroblob(16384))`); err != nil {
			return fmt.Errorf("sqlite: ping: %w", unavailable(err))
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM readiness`); err != nil {
			return fmt.Errorf("sqlite: ping: %w", unavailable(err))
		}
		return nil
	})
	return unavailable(err)
}

// unavailable marks the errors of a store that cannot work now (full,
// read-only, I/O failing, locked too long) with store.ErrUnavailable.
func unavailable(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		return err
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
			sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM:
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
	}
	return err
}

// Close stops the writer (Updates still waiting fail) and closes the
// connections. Calling it again returns the first result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.quit)
		<-s.stopped
		s.wstmts.close()
		s.rstmts.close()
		s.closeErr = errors.Join(s.r.Close(), s.w.Close())
	})
	return s.closeErr
}

// Update queues fn for the writer and waits for the outcome; a nil return
// means the transaction holding fn's writes has committed (and, with
// synchronous=FULL, been synced). See commit.go for how concurrent Updates
// share one commit.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return unavailable(s.submit(ctx, fn))
}

// View runs fn in a read-only transaction on the read pool.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", unavailable(err))
	}
	defer tx.Rollback()
	return unavailable(fn(&txn{q: &cachedTx{tx: tx, c: s.rstmts}}))
}

// ExecRaw runs one SQL statement outside the store's API, in its own write
// transaction. It exists for tests that check what the schema refuses (the
// events triggers); the service never calls it.
func (s *Store) ExecRaw(ctx context.Context, stmt string) error {
	_, err := s.w.ExecContext(ctx, stmt)
	if err != nil {
		return fmt.Errorf("sqlite: exec: %w", err)
	}
	return nil
}

// Size is the bytes the store's data takes: the pages in use after the
// write-ahead log is checkpointed into the file.
func (s *Store) Size(ctx context.Context) (int64, error) {
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	var pages, free, size int64
	row := s.w.QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count()),
		(SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())`)
	if err := row.Scan(&pages, &free, &size); err != nil {
		return 0, fmt.Errorf("sqlite: size: %w", err)
	}
	return (pages - free) * size, nil
}

// classify wraps err with the store error it stands for, if any.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrConflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w (a referenced record is missing): %w", store.ErrNotFound, err)
		}
	}
	return err
}

// CreateCase inserts a new case and its first timeline events (seqs 1, 2,
// …) in an Update of their own (InsertCaseWithEvents). ErrConflict when the
// id is taken (nothing is written).
func (s *Store) CreateCase(ctx context.Context, c store.Case, events []store.Event) error {
	return s.Update(ctx, func(tx store.Tx) error {
		return tx.(*txn).InsertCaseWithEvents(ctx, c, events)
	})
}
