// Package database opens the store a data source name asks for: a
// "postgres://…" or "postgresql://…" URL opens PostgreSQL, anything else is
// the path of a SQLite file (created and migrated when missing).
package database

import (
	"context"
	"fmt"
	"strings"

	"roadcover/sqlite"
	"roadcover/store"
)

// DefaultDSN is the store used when none is given: a SQLite file in the
// working directory.
const DefaultDSN = "roadcover.db"

// EnvVar names the environment variable that gives the default store.
const EnvVar = "ROADCOVER_DB"

// IsPostgres reports whether dsn names a PostgreSQL server.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Resolve picks the store: the flag's value, else the environment's
// ROADCOVER_DB (getenv may be nil), else DefaultDSN.
func Resolve(flagValue string, getenv func(string) string) string {
	if flagValue != "" {
		return flagValue
	}
	if getenv != nil {
		if v := getenv(EnvVar); v != "" {
			return v
		}
	}
	return DefaultDSN
}

// Open opens the store named by dsn ("" means DefaultDSN).
func Open(ctx context.Context, dsn string) (store.Store, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	s, err := sqlite.OpenWith(ctx, dsn, sqlite.Options{})
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	return s, nil
}

// Redact returns dsn with any password replaced, for logs.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://") + 3
	if at < scheme {
		return dsn
	}
	cred := dsn[scheme:at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return dsn[:scheme] + cred[:i] + ":xxxxx" + dsn[at:]
	}
	return dsn
}
