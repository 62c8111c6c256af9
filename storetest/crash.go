package storetest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roadcover/store"
)

// Opener opens a store from its data source name.
type Opener func(ctx context.Context, dsn string) (store.Store, error)

const (
	crashEnv     = "ROADCOVER_STORETEST_CRASH_DSN"
	crashWriters = 4
	crashAcks    = 400 // acknowledged cases before the SIGKILL
	ackPrefix    = "ack "
)

// CrashChild makes this test binary the writer of Crash when Crash started
// it, and never returns then; otherwise it returns at once. Call it first in
// TestMain.
func CrashChild(open Opener) {
	dsn := os.Getenv(crashEnv)
	if dsn == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // an orphan stops by itself
	defer cancel()
	s, err := open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest crash writer:", err)
		os.Exit(3)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range crashWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				id := fmt.Sprintf("crash-%d-%d-%d", os.Getpid(), w, i)
				err := s.Update(ctx, func(tx store.Tx) error { return writeCrashCase(ctx, tx, id) })
				if err != nil {
					fmt.Fprintln(os.Stderr, "storetest crash writer:", err)
					os.Exit(3)
				}
				// Acknowledge only after Update returned: one write(2) per line.
				mu.Lock()
				os.Stdout.WriteString(ackPrefix + id + "\n")
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}

func writeCrashCase(ctx context.Context, tx store.Tx, id string) error {
	now := time.Now().UTC()
	c := NewCase(id, now)
	c.Facts = json.RawMessage(fmt.Sprintf(`{"id":%q}`, id))
	if err := tx.InsertCase(ctx, c); err != nil {
		return err
	}
	for _, kind := range []string{"created", "decided"} {
		if _, err := tx.AppendEvent(ctx, store.Event{CaseID: id, At: now, Actor: actor, Kind: kind,
			Data: json.RawMessage(fmt.Sprintf(`{"case":%q,"kind":%q}`, id, kind))}); err != nil {
			return err
		}
	}
	return nil
}

// Crash runs this test binary as a writer of cases (each with two events)
// against dsn, SIGKILLs it while it writes, reopens the store and checks
// that every case the writer acknowledged (printed after Update returned)
// is there with both its events, and that no case was half written. The
// test binary's TestMain must call CrashChild.
func Crash(t *testing.T, dsn string, open Opener) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dsn)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	killed := false
	deadline := time.AfterFunc(50*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, ackPrefix) {
			continue
		}
		acked = append(acked, strings.TrimPrefix(line, ackPrefix))
		if !killed && len(acked) >= crashAcks {
			// Kill while the writers are in the middle of further Updates.
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatalf("SIGKILL: %v", err)
			}
			killed = true
		}
	}
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if !killed {
		t.Fatalf("writer ended before the kill after %d acknowledgements: %v\n%s", len(acked), werr, stderr.String())
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("writer did not die of SIGKILL: %v\n%s", werr, stderr.String())
	}
	t.Logf("writer killed after %d acknowledged cases", len(acked))

	ctx := ctxT(t)
	s, err := open(ctx, dsn)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer s.Close()
	err = s.View(ctx, func(tx store.Tx) error {
		for _, id := range acked {
			c, err := tx.GetCase(ctx, id)
			if err != nil {
				return fmt.Errorf("acknowledged case %s: %w", id, err)
			}
			if string(c.Facts) != fmt.Sprintf(`{"id":%q}`, id) {
				return fmt.Errorf("acknowledged case %s has facts %s", id, c.Facts)
			}
			if err := crashEvents(ctx, tx, id); err != nil {
				return err
			}
		}
		// Every case in the store, acknowledged or not, is whole.
		after := ""
		total := 0
		for {
			cs, err := tx.ListCases(ctx, store.CaseFilter{After: after, Limit: 500})
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				break
			}
			for _, c := range cs {
				if strings.HasPrefix(c.ID, "crash-") {
					total++
					if err := crashEvents(ctx, tx, c.ID); err != nil {
						return err
					}
				}
			}
			after = cs[len(cs)-1].ID
		}
		if total < len(acked) {
			return fmt.Errorf("%d crash cases stored, %d acknowledged", total, len(acked))
		}
		t.Logf("%d cases stored (%d committed but not yet acknowledged at the kill)", total, total-len(acked))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The store takes writes again after recovery.
	if err := s.Update(ctx, func(tx store.Tx) error {
		return writeCrashCase(ctx, tx, fmt.Sprintf("after-crash-%d", time.Now().UnixNano()))
	}); err != nil {
		t.Fatalf("write after recovery: %v", err)
	}
}

func crashEvents(ctx context.Context, tx store.Tx, id string) error {
	evs, err := tx.Events(ctx, id)
	if err != nil {
		return fmt.Errorf("events of case %s: %w", id, err)
	}
	if len(evs) != 2 || evs[0].Seq != 1 || evs[1].Seq != 2 || evs[0].Kind != "created" || evs[1].Kind != "decided" ||
		string(evs[1].Data) != fmt.Sprintf(`{"case":%q,"kind":"decided"}`, id) {
		return fmt.Errorf("case %s has events %+v", id, evs)
	}
	return nil
}
