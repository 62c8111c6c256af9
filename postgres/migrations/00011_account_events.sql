-- Account administration: a version that counts each recorded change of
-- an account (its ETag), when it last signed in, and the record of who
-- changed what (never a password or its hash).

-- +goose Up
ALTER TABLE accounts ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN last_sign_in_at timestamptz;

CREATE TABLE account_events (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id  text NOT NULL REFERENCES accounts (id),
	at          timestamptz NOT NULL,
	actor_token text NOT NULL,
	actor_role  text NOT NULL,
	kind        text NOT NULL,
	data        json NOT NULL
);
CREATE INDEX account_events_account ON account_events (account_id, id);

-- +goose Down
DROP TABLE account_events;
ALTER TABLE accounts DROP COLUMN last_sign_in_at;
ALTER TABLE accounts DROP COLUMN version;
