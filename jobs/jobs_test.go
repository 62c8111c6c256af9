package jobs

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"roadcover/store"
)

// bare is a store without a job queue of its own.
type bare struct{ store.Store }

func TestStartNeedsAQueue(t *testing.T) {
	_, err := Start(context.Background(), bare{}, river.NewWorkers(), Options{})
	if !errors.Is(err, ErrNoQueue) {
		t.Fatalf("Start on a store without a queue: %v", err)
	}
}

func TestConfigDefaults(t *testing.T) {
	c := config(river.NewWorkers(), Options{})
	if c.FetchPollInterval <= 0 || c.FetchCooldown > c.FetchPollInterval || c.Queues[store.QueueDefault].MaxWorkers != 10 ||
		!c.FetchOnlyKnownKinds || c.MaxAttempts != store.DefaultJobAttempts {
		t.Fatalf("defaults %+v", c)
	}
	fast := config(river.NewWorkers(), Options{PollInterval: 5e6})
	if fast.FetchCooldown != fast.FetchPollInterval {
		t.Fatalf("a poll of 5 ms cools down for %v", fast.FetchCooldown)
	}
}
