package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"roadcover/desk"
	"roadcover/jobs"
	"roadcover/store"
)

// StartJobs starts working the store's background jobs (webhook
// deliveries, desk.JobWebhook) in this process; Stop the runner to end.
func (s *Server) StartJobs(ctx context.Context) (*jobs.Runner, error) {
	ws := river.NewWorkers()
	if err := river.AddWorkerSafely(ws, river.Worker[desk.WebhookJob](s.hooks)); err != nil {
		return nil, err
	}
	return jobs.Start(ctx, s.st, ws, jobs.Options{
		PollInterval: s.cfg.JobPollInterval,
		Log:          slog.New(levelAtLeast{s.log.Handler(), slog.LevelWarn}),
	})
}

// RunBackground works the background jobs and prunes idempotency records
// older than IdempotencyTTL and ended sessions every hour, until ctx ends; then it stops the
// workers, letting running jobs finish for up to 30 seconds, and returns.
func (s *Server) RunBackground(ctx context.Context) {
	runner, err := s.StartJobs(ctx)
	if err != nil {
		s.log.Error("background jobs do not run", "err", err)
	}
	go s.runWarranties(ctx)
	defer func() {
		if runner == nil {
			return
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := runner.Stop(sctx); err != nil {
			s.log.Warn("stop background jobs", "err", err)
		}
	}()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		cutoff := s.now().Add(-IdempotencyTTL * time.Second)
		if err := s.st.Update(ctx, func(tx store.Tx) error {
			_, err := tx.PruneIdempotency(ctx, cutoff)
			return err
		}); err != nil && ctx.Err() == nil {
			s.log.Warn("prune idempotency keys", "err", err)
		}
		if err := s.pruneSessions(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("prune sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// levelAtLeast passes on the records of a handler from a level up: River's
// own informational lines stay out of the service's log.
type levelAtLeast struct {
	slog.Handler
	min slog.Level
}

func (h levelAtLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h levelAtLeast) WithAttrs(as []slog.Attr) slog.Handler {
	return levelAtLeast{h.Handler.WithAttrs(as), h.min}
}

func (h levelAtLeast) WithGroup(name string) slog.Handler {
	return levelAtLeast{h.Handler.WithGroup(name), h.min}
}
