package database

import (
	"context"
	"fmt"

	"roadcover/postgres"
	"roadcover/store"
)

func openPostgres(ctx context.Context, dsn string) (store.Store, error) {
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	return s, nil
}
