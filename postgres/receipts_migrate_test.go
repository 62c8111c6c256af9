package postgres

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"roadcover/internal/pgtest"
	"roadcover/store"
)

// TestMigrateReceiptsAfterLaterNumbers: a database migrated with every
// migration but the receipts' (numbered below others already applied, as
// when the parts of the product are merged in another order) takes the
// receipts' when it opens, and keeps its cases.
func TestMigrateReceiptsAfterLaterNumbers(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	before := fstest.MapFS{}
	err = fs.WalkDir(Migrations(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "00005_receipts.sql" {
			return err
		}
		b, err := fs.ReadFile(Migrations(), p)
		before[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, before, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO cases (id, status, terms_id, version, last_seq, created_at, updated_at)
		VALUES ('old-1', 'open', 'assistance-de-2023-05', 1, 0, now(), now())`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("a database without the receipts' migration does not open: %v", err)
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
