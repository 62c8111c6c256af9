package store

import (
	"context"
	"time"
)

// QueueTx is what a transaction offers of durable background work enqueued in the same transaction as the data it follows from.
//
// A job enqueued in a transaction becomes visible to workers when the
// transaction commits and is gone when it rolls back, so work that must
// follow a change (a partner's webhook, a payment file's notice) is never
// lost and never runs for a change that did not happen. Workers take each
// job at least once; a job that fails is tried again later, up to its
// MaxAttempts.
type QueueTx interface {
	// Enqueue adds a job of kind with its arguments (a JSON object) and
	// returns its id. In a read-only transaction it fails.
	Enqueue(ctx context.Context, kind string, args []byte, o JobOptions) (int64, error)
}

// JobOptions tune one enqueued job; the zero value is the default.
type JobOptions struct {
	// Queue is the queue the job waits in ("" is QueueDefault).
	Queue string
	// MaxAttempts is how often the job is tried before it is given up (0:
	// DefaultJobAttempts).
	MaxAttempts int
	// ScheduledAt is the earliest time the job runs (zero: at once).
	ScheduledAt time.Time
}

// QueueDefault is the queue jobs wait in unless they name another.
const QueueDefault = "default"

// DefaultJobAttempts is how often a job is tried unless it says otherwise.
const DefaultJobAttempts = 25
