package postgres

import (
	"context"
	"os"
	"testing"

	"roadcover/internal/pgtest"
	"roadcover/store"
	"roadcover/storetest"
)

func openStore(ctx context.Context, url string) (store.Store, error) { return Open(ctx, url) }

func TestMain(m *testing.M) {
	storetest.CrashChild(openStore)
	os.Exit(pgtest.Main(m))
}

// TestCrash: every case acknowledged by a writer that is then SIGKILLed is
// in the database afterwards.
func TestCrash(t *testing.T) {
	storetest.Crash(t, pgtest.URL(t), openStore)
}

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, open(t))
}

func TestEventsImmutable(t *testing.T) {
	s := open(t)
	storetest.Immutable(t, s, s.ExecRaw)
	storetest.ReceiptsImmutable(t, s, s.ExecRaw)
}

// TestOpenMigratesOnce opens a second store on the same database: the
// migrations are already applied and nothing is lost.
func TestOpenMigratesOnce(t *testing.T) {
	url := pgtest.URL(t)
	a, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkCreateCase measures durable case creation (synchronous_commit on).
func BenchmarkCreateCase(b *testing.B) {
	storetest.BenchCreate(b, open(b))
}

// TestSharedWork: two servers (two stores, two pools) on one database
// share the jobs; each job is worked once.
func TestSharedWork(t *testing.T) {
	url := pgtest.URL(t)
	a, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	storetest.SharedWork(t, a, b, 200)
}
