package storeopen

import (
	"context"
	"errors"

	"roadcover/store"
)

func openPostgres(ctx context.Context, dsn string) (store.Store, error) {
	return nil, errors.New("storeopen: PostgreSQL store is being added; use a SQLite path for now")
}
