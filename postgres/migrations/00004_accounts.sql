-- Named accounts of the desk with their argon2id password hashes, their
-- sign-in sessions (only the SHA-256 of a session's secret is kept), and
-- the service network: workshops, chargers and tow partners' bases.

-- +goose Up
CREATE TABLE accounts (
	id                  text PRIMARY KEY,
	email               text NOT NULL UNIQUE,
	name                text NOT NULL,
	role                text NOT NULL,
	password_hash       text NOT NULL,
	password_change_due boolean NOT NULL DEFAULT false,
	disabled            boolean NOT NULL DEFAULT false,
	failed_sign_ins     integer NOT NULL DEFAULT 0,
	locked_until        timestamptz,
	created_at          timestamptz NOT NULL,
	updated_at          timestamptz NOT NULL
);

CREATE TABLE sessions (
	hash         bytea PRIMARY KEY,
	account_id   text NOT NULL REFERENCES accounts (id),
	created_at   timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE sites (
	id         text PRIMARY KEY,
	kind       text NOT NULL,
	name       text NOT NULL,
	address    text NOT NULL,
	country    text NOT NULL,
	lat        double precision NOT NULL,
	lon        double precision NOT NULL,
	sample     boolean NOT NULL,
	source     text NOT NULL,
	tags       json NOT NULL,
	phone      text NOT NULL,
	tow        json,
	updated_at timestamptz NOT NULL
);
CREATE INDEX sites_kind ON sites (kind, id);

-- +goose Down
DROP TABLE sites;
DROP TABLE sessions;
DROP TABLE accounts;
