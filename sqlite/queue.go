package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"roadcover/store"
)

// Durable background work (store.QueueTx) on River's SQLite driver: River's
// tables live in the store's file (migrated on Open, after the store's own
// migrations), and Enqueue inserts the job with River's InsertTx on the
// Update's own *sql.Tx, inside its savepoint when Updates share a commit:
// the job commits or rolls back with the data. River's clients use the
// store's single write connection (RiverDriver), as River advises for
// SQLite; its SQLite driver has no LISTEN/NOTIFY, so workers poll.

// migrateRiver applies River's migrations in one IMMEDIATE transaction, so
// two processes opening one file migrate one after the other.
func migrateRiver(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return err
	}
	return tx.Commit()
}

// newInserter is the River client Enqueue inserts with: one without queues
// or workers, which only inserts.
func newInserter(db *sql.DB) (*river.Client[*sql.Tx], error) {
	return river.NewClient(riversqlite.New(db), &river.Config{Logger: slog.New(slog.DiscardHandler)})
}

// RiverDriver is the River driver over the store's write connection, for
// the clients that work the jobs (package jobs).
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] { return riversqlite.New(s.w) }

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

var errReadOnly = errors.New("sqlite: a read-only transaction enqueues no jobs")

func (t *txn) Enqueue(ctx context.Context, kind string, args []byte, o store.JobOptions) (int64, error) {
	ct, ok := t.q.(*cachedTx)
	if !ok || t.jobs == nil {
		return 0, errReadOnly
	}
	res, err := t.jobs.InsertTx(ct.ctx(ctx), ct.tx, rawJob{kind, args}, &river.InsertOpts{
		Queue: o.Queue, MaxAttempts: o.MaxAttempts, ScheduledAt: o.ScheduledAt,
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: enqueue %s: %w", kind, err)
	}
	return res.Job.ID, nil
}
