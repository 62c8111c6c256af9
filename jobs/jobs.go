// Package jobs works the durable background jobs that store transactions
// enqueue (store.QueueTx), on River (github.com/riverqueue/river): a River
// client over the store's own database runs the workers registered for
// each kind of job.
//
// A job is inserted in the transaction of the data it follows from, so it
// exists exactly when that data does. Workers take each job at least once:
// a worker that fails is tried again later (River's backoff, or the
// worker's NextRetry), a job whose server died is taken again after
// RescueAfter, and one that fails MaxAttempts times is given up (River's
// state "discarded"). On PostgreSQL several servers share the jobs of one
// database, each job taken by one of them at a time, woken by the notice
// River sends with the commit; on SQLite, whose River driver has no
// notices, the workers poll every PollInterval.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"roadcover/store"
)

// Options tune a Runner; the zero value is the default.
type Options struct {
	// MaxWorkers is how many jobs run at once in this process (default 10).
	MaxWorkers int
	// PollInterval is how often the workers look for jobs: on SQLite the
	// only way they learn of new ones, on PostgreSQL a fallback to River's
	// notices (default 1 second).
	PollInterval time.Duration
	// RescueAfter is how long a job may run before it is taken to have
	// died with its server and is run again (default 1 hour).
	RescueAfter time.Duration
	// ID names this process in River's tables ("" lets River choose).
	ID string
	// Log receives River's warnings and errors (nil: discarded).
	Log *slog.Logger
}

// Runner works jobs until it is stopped.
type Runner struct {
	stop, cancel func(context.Context) error
}

// Sources of River drivers: the sqlite and postgres stores.
type (
	sqlDriver interface {
		RiverDriver() riverdriver.Driver[*sql.Tx]
	}
	pgxDriver interface {
		RiverDriver() riverdriver.Driver[pgx.Tx]
	}
)

// ErrNoQueue is returned by Start for a store without a job queue.
var ErrNoQueue = errors.New("jobs: the store has no job queue")

// Start starts working the jobs of st's database with workers, one River
// worker per kind; jobs of a kind without a worker wait for a process
// that has one.
func Start(ctx context.Context, st store.Store, workers *river.Workers, o Options) (*Runner, error) {
	cfg := config(workers, o)
	switch s := st.(type) {
	case sqlDriver:
		cfg.PollOnly = true
		return start(ctx, s.RiverDriver(), cfg)
	case pgxDriver:
		return start(ctx, s.RiverDriver(), cfg)
	}
	return nil, ErrNoQueue
}

func config(workers *river.Workers, o Options) *river.Config {
	if o.MaxWorkers <= 0 {
		o.MaxWorkers = 10
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = time.Hour
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &river.Config{
		ID:                   o.ID,
		Queues:               map[string]river.QueueConfig{store.QueueDefault: {MaxWorkers: o.MaxWorkers}},
		Workers:              workers,
		FetchOnlyKnownKinds:  true,
		FetchPollInterval:    o.PollInterval,
		FetchCooldown:        min(river.FetchCooldownDefault, o.PollInterval),
		RescueStuckJobsAfter: o.RescueAfter,
		MaxAttempts:          store.DefaultJobAttempts,
		Logger:               log,
	}
}

func start[TTx any](ctx context.Context, d riverdriver.Driver[TTx], cfg *river.Config) (*Runner, error) {
	c, err := river.NewClient(d, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	// The client outlives the caller's context: Stop ends it.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("jobs: start: %w", err)
	}
	return &Runner{stop: c.Stop, cancel: c.StopAndCancel}, nil
}

// Stop stops taking jobs and waits for those running to finish; when ctx
// ends first, their contexts are cancelled and Stop waits for them to
// return (a job cut short this way is run again later).
func (r *Runner) Stop(ctx context.Context) error {
	err := r.stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		wait, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return r.cancel(wait)
	}
	return fmt.Errorf("jobs: stop: %w", err)
}
