package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"roadcover/store"
	"roadcover/storetest"
)

func openStore(_ context.Context, path string) (store.Store, error) { return Open(path) }

func TestMain(m *testing.M) {
	storetest.CrashChild(openStore)
	os.Exit(m.Run())
}

// TestCrash: every case acknowledged by a writer that is then SIGKILLed is
// in the file after reopening.
func TestCrash(t *testing.T) {
	storetest.Crash(t, filepath.Join(t.TempDir(), "crash.db"), openStore)
}
