package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"roadcover/jobs"
	"roadcover/store"
)

// The job queue's part of the suite (store.QueueTx, worked by package
// jobs): a job enqueued in an Update exists exactly when the Update
// committed, and is worked once.

// probeArgs is the job the suite enqueues; each run of the suite uses a
// kind of its own, so that a shared database's other jobs stay untouched.
type probeArgs struct {
	N int `json:"n"`
}

func (probeArgs) Kind() string { return probeKind }

// probeKind is the kind of the probes of this test binary.
var probeKind = fmt.Sprintf("storetest_probe_%d", time.Now().UnixNano())

// probeWorker counts the probes it works.
type probeWorker struct {
	river.WorkerDefaults[probeArgs]
	mu   sync.Mutex
	done map[int]int
	fail map[int]int // fail the first attempts of these
}

func (w *probeWorker) Work(ctx context.Context, j *river.Job[probeArgs]) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail[j.Args.N] > 0 {
		w.fail[j.Args.N]--
		return errors.New("probe fails on purpose")
	}
	w.done[j.Args.N]++
	return nil
}

// NextRetry retries at once: the suite does not wait for River's backoff.
func (w *probeWorker) NextRetry(*river.Job[probeArgs]) time.Time {
	return time.Now().Add(10 * time.Millisecond)
}

func (w *probeWorker) count(n int) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done[n]
}

func (w *probeWorker) total() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := 0
	for _, c := range w.done {
		t += c
	}
	return t
}

func newProbeWorker() (*probeWorker, *river.Workers) {
	w := &probeWorker{done: map[int]int{}, fail: map[int]int{}}
	ws := river.NewWorkers()
	river.AddWorker[probeArgs](ws, w)
	return w, ws
}

func enqueueProbe(ctx context.Context, tx store.Tx, n int) error {
	args, _ := json.Marshal(probeArgs{N: n})
	_, err := tx.Enqueue(ctx, probeKind, args, store.JobOptions{MaxAttempts: 5})
	return err
}

func startJobs(t *testing.T, s store.Store, ws *river.Workers) *jobs.Runner {
	t.Helper()
	r, err := jobs.Start(ctxT(t), s, ws, jobs.Options{PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop jobs: %v", err)
		}
	})
	return r
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// queue: a committed job runs (again after a failure), a rolled-back one
// never, and a read-only transaction enqueues nothing.
func (r *runner) queue(t *testing.T) {
	ctx := ctxT(t)
	w, ws := newProbeWorker()
	w.fail[2] = 2
	update(t, r.s, func(tx store.Tx) error {
		c := NewCase(r.id("case"), base)
		if err := tx.InsertCase(ctx, c); err != nil {
			return err
		}
		if err := enqueueProbe(ctx, tx, 1); err != nil {
			return err
		}
		return enqueueProbe(ctx, tx, 2)
	})
	rolledBack := errors.New("roll back")
	err := r.s.Update(ctx, func(tx store.Tx) error {
		if err := enqueueProbe(ctx, tx, 3); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatalf("Update: %v", err)
	}
	err = r.s.View(ctx, func(tx store.Tx) error { return enqueueProbe(ctx, tx, 4) })
	if err == nil {
		t.Error("a read-only transaction enqueued a job")
	}
	startJobs(t, r.s, ws)
	waitFor(t, "the committed jobs", func() bool { return w.count(1) == 1 && w.count(2) == 1 })
	time.Sleep(200 * time.Millisecond) // ten polls: time for a job that should not run
	if w.count(3) != 0 || w.count(4) != 0 || w.count(1) != 1 || w.count(2) != 1 {
		t.Fatalf("jobs worked: %v", w.done)
	}
}

// SharedWork: two processes' workers (one store each, on one database)
// share n jobs, and each job is worked exactly once.
func SharedWork(t *testing.T, a, b store.Store, n int) {
	ctx := ctxT(t)
	wa, wsa := newProbeWorker()
	wb, wsb := newProbeWorker()
	startJobs(t, a, wsa)
	startJobs(t, b, wsb)
	var wg sync.WaitGroup
	for part, s := range []store.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := part; i < n; i += 2 {
				if err := s.Update(ctx, func(tx store.Tx) error { return enqueueProbe(ctx, tx, i) }); err != nil {
					t.Errorf("enqueue %d: %v", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	waitFor(t, fmt.Sprintf("%d jobs", n), func() bool { return wa.total()+wb.total() >= n })
	time.Sleep(300 * time.Millisecond)
	for i := 0; i < n; i++ {
		if c := wa.count(i) + wb.count(i); c != 1 {
			t.Errorf("job %d worked %d times", i, c)
		}
	}
	t.Logf("%d jobs: %d worked by the first process, %d by the second", n, wa.total(), wb.total())
	if wa.total() == 0 || wb.total() == 0 {
		t.Errorf("one process worked all %d jobs: %d and %d", n, wa.total(), wb.total())
	}
}
