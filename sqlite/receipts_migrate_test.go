package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"roadcover/store"
)

// without is the migrations without the one named.
func without(t *testing.T, migrations fs.FS, name string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(migrations, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == name {
			return err
		}
		b, err := fs.ReadFile(migrations, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no migrations")
	}
	return out
}

// TestMigrateReceiptsAfterLaterNumbers: a store migrated with every
// migration but the receipts' (numbered below others already applied, as
// when the parts of the product are merged in another order) takes the
// receipts' when it opens, and keeps its cases.
func TestMigrateReceiptsAfterLaterNumbers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "before-receipts.db")
	db, err := sql.Open("sqlite", dsn(path, "FULL", false))
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, without(t, Migrations(), "00004_receipts.sql"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO cases (id, status, terms_id, version, last_seq, created_at, updated_at)
		VALUES ('old-1', 'open', 'assistance-de-2023-05', 1, 0, 1000000, 1000000)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := Open(path)
	if err != nil {
		t.Fatalf("a store without the receipts' migration does not open: %v", err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx store.Tx) error {
		if _, err := tx.GetCase(ctx, "old-1"); err != nil {
			return err
		}
		rs, err := tx.CaseReceipts(ctx, "old-1")
		if len(rs) != 0 {
			t.Errorf("%d receipts", len(rs))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
