-- Named accounts of the desk with their argon2id password hashes, their
-- sign-in sessions (only the SHA-256 of a session's secret is kept), and
-- the service network: workshops, chargers and tow partners' bases.

-- +goose Up
CREATE TABLE accounts (
	id                  TEXT PRIMARY KEY,
	email               TEXT NOT NULL UNIQUE,
	name                TEXT NOT NULL,
	role                TEXT NOT NULL,
	password_hash       TEXT NOT NULL,
	password_change_due INTEGER NOT NULL DEFAULT 0,
	disabled            INTEGER NOT NULL DEFAULT 0,
	failed_sign_ins     INTEGER NOT NULL DEFAULT 0,
	locked_until        INTEGER NOT NULL DEFAULT 0,
	created_at          INTEGER NOT NULL,
	updated_at          INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
	hash         BLOB PRIMARY KEY,
	account_id   TEXT NOT NULL REFERENCES accounts (id),
	created_at   INTEGER NOT NULL,
	last_seen_at INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE sites (
	id         TEXT PRIMARY KEY,
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	address    TEXT NOT NULL,
	country    TEXT NOT NULL,
	lat        REAL NOT NULL,
	lon        REAL NOT NULL,
	sample     INTEGER NOT NULL,
	source     TEXT NOT NULL,
	tags       TEXT NOT NULL,
	phone      TEXT NOT NULL,
	tow        TEXT,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sites_kind ON sites (kind, id);

-- +goose Down
DROP TABLE sites;
DROP TABLE sessions;
DROP TABLE accounts;
