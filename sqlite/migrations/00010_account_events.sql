-- Account administration: a version that counts each recorded change of
-- an account (its ETag), when it last signed in, and the record of who
-- changed what (never a password or its hash).

-- +goose Up
ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN last_sign_in_at INTEGER NOT NULL DEFAULT 0;

CREATE TABLE account_events (
	id          INTEGER PRIMARY KEY,
	account_id  TEXT NOT NULL REFERENCES accounts (id),
	at          INTEGER NOT NULL,
	actor_token TEXT NOT NULL,
	actor_role  TEXT NOT NULL,
	kind        TEXT NOT NULL,
	data        TEXT NOT NULL
) STRICT;
CREATE INDEX account_events_account ON account_events (account_id, id);

-- +goose Down
DROP TABLE account_events;
ALTER TABLE accounts DROP COLUMN last_sign_in_at;
ALTER TABLE accounts DROP COLUMN version;
