package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"roadcover/store"
)

// MaxBatch is the most Updates the writer commits together.
const MaxBatch = 128

// ErrClosed is returned by Update after Close.
var ErrClosed = errors.New("sqlite: store closed")

// request is one Update waiting for the writer.
type request struct {
	fn    func(store.Tx) error
	state atomic.Int32 // queued, running or abandoned
	done  chan outcome // buffered: the writer never blocks on it
}

const (
	queued int32 = iota
	running
	abandoned
)

type outcome struct {
	err      error
	panicked bool
	panicVal any
}

func (s *Store) submit(ctx context.Context, fn func(store.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &request{fn: fn, done: make(chan outcome, 1)}
	select {
	case s.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.quit:
		return ErrClosed
	}
	select {
	case o := <-r.done:
		return o.result()
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return ctx.Err()
		}
		// fn is running: its writes may commit, so the caller learns which.
		return (<-r.done).result()
	}
}

func (o outcome) result() error {
	if o.panicked {
		panic(o.panicVal)
	}
	return o.err
}

// writer owns the write connection: it runs queued Updates in batches.
func (s *Store) writer() {
	defer close(s.stopped)
	for {
		select {
		case r := <-s.reqs:
			s.batch(r)
		case <-s.quit:
			return
		}
	}
}

func (s *Store) batch(first *request) {
	batch := []*request{first}
more:
	for len(batch) < MaxBatch {
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		default:
			break more
		}
	}
	live := batch[:0]
	for _, r := range batch {
		if r.state.CompareAndSwap(queued, running) {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	out := make([]outcome, len(live))
	finish := func() {
		for i, r := range live {
			r.done <- out[i]
		}
	}
	defer finish()
	failAll := func(err error) {
		for i := range out {
			if out[i].err == nil && !out[i].panicked {
				out[i].err = err
			}
		}
	}
	// The transaction is not bound to any caller's context: one caller
	// giving up must not roll back the others' writes.
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		failAll(fmt.Errorf("sqlite: begin: %w", err))
		return
	}
	t := &txn{q: &cachedTx{tx: tx, c: s.wstmts, detach: true}, jobs: s.jobs}
	if len(live) == 1 {
		out[0] = run(live[0].fn, t)
		if out[0].err != nil || out[0].panicked {
			tx.Rollback()
			return
		}
	} else {
		for i, r := range live {
			if _, err := tx.Exec("SAVEPOINT up"); err != nil {
				tx.Rollback()
				failAll(fmt.Errorf("sqlite: savepoint: %w", err))
				return
			}
			out[i] = run(r.fn, t)
			if out[i].err != nil || out[i].panicked {
				if _, err := tx.Exec("ROLLBACK TO up"); err != nil {
					tx.Rollback()
					failAll(fmt.Errorf("sqlite: rollback to savepoint: %w", err))
					return
				}
			}
			if _, err := tx.Exec("RELEASE up"); err != nil {
				tx.Rollback()
				failAll(fmt.Errorf("sqlite: release savepoint: %w", err))
				return
			}
		}
	}
	if err := tx.Commit(); err != nil {
		failAll(fmt.Errorf("sqlite: commit: %w", err))
	}
}

func run(fn func(store.Tx) error, t *txn) (o outcome) {
	defer func() {
		if p := recover(); p != nil {
			o = outcome{panicked: true, panicVal: p}
		}
	}()
	return outcome{err: fn(t)}
}
