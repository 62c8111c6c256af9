package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"roadcover/store"
	"roadcover/storetest"
)

// TestGroupCommitIsolatesFailures runs many Updates at once so that the
// writer batches them: the writes of those that fail or panic vanish, the
// others commit, and every caller gets its own outcome.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "batch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	errOdd := errors.New("odd one out")
	const n = 200
	var wg sync.WaitGroup
	results := make([]error, n)
	panics := make([]bool, n)
	start := make(chan struct{})
	at := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if recover() != nil {
					panics[i] = true
				}
			}()
			<-start
			results[i] = s.Update(ctx, func(tx store.Tx) error {
				id := fmt.Sprintf("b-%03d", i)
				if err := tx.InsertCase(ctx, storetest.NewCase(id, at)); err != nil {
					return err
				}
				if _, err := tx.AppendEvent(ctx, store.Event{CaseID: id, At: at, Kind: "created"}); err != nil {
					return err
				}
				switch i % 4 {
				case 1:
					return errOdd
				case 3:
					panic("panic in fn")
				}
				return nil
			})
		}()
	}
	close(start)
	wg.Wait()
	err = s.View(ctx, func(tx store.Tx) error {
		for i := range n {
			_, gerr := tx.GetCase(ctx, fmt.Sprintf("b-%03d", i))
			switch i % 4 {
			case 0, 2:
				if results[i] != nil || gerr != nil {
					t.Errorf("update %d: %v, stored: %v", i, results[i], gerr)
				}
			case 1:
				if !errors.Is(results[i], errOdd) || !errors.Is(gerr, store.ErrNotFound) {
					t.Errorf("failing update %d: %v, stored: %v", i, results[i], gerr)
				}
			case 3:
				if !panics[i] || !errors.Is(gerr, store.ErrNotFound) {
					t.Errorf("panicking update %d: panicked %v, stored: %v", i, panics[i], gerr)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateAfterClose fails with ErrClosed instead of hanging.
func TestUpdateAfterClose(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "closed.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	err = s.Update(context.Background(), func(store.Tx) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("Update after Close: %v", err)
	}
}
