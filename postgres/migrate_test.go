package postgres

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"roadcover/internal/pgtest"
	"roadcover/store"
)

// TestMigrateKeepsCases: a database written before facts and decisions
// became versioned documents is migrated with nothing lost.
func TestMigrateKeepsCases(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, Migrations(), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	facts := `{"market":"DE","occurred_at":"2026-07-01T09:30:00+02:00","vehicle":{"vin":"LPSVSEDEEML000001","registration":"M-RC 1"},"location":{"country":"AT","description":"A12"},"event":{"kind":"breakdown"}}`
	decision := `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":true,"missing_information":["name","address"],"place":{"country":"AT"}}`
	if _, err := db.ExecContext(ctx, `INSERT INTO cases (id, status, facts, intake, decision, terms_id, version, last_seq, created_at, updated_at)
		VALUES ('old-1', 'open', $1, NULL, $2, 'assistance-de-2023-05', 3, 0, now(), now())`, facts, decision); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(ctx, func(tx store.Tx) error {
		c, err := tx.GetCase(ctx, "old-1")
		if err != nil {
			return err
		}
		m := c.Summary
		if string(c.Facts) != facts || string(c.Decision) != decision || c.FactsNo != 1 || c.DecisionNo != 1 || c.Version != 3 ||
			!m.Covered || m.Market != "DE" || m.Country != "AT" || m.VIN != "LPSVSEDEEML000001" || m.EventKind != "breakdown" ||
			m.Place != "A12" || len(m.MissingInformation) != 2 || m.OccurredAt.Unix() != 1782891000 {
			t.Fatalf("migrated case %+v", c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
