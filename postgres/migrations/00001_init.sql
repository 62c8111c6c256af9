-- The desk service's tables. JSON documents are json (kept byte for byte as
-- given, unlike jsonb); times are timestamptz (microseconds).

-- +goose Up
CREATE TABLE cases (
	id         text PRIMARY KEY,
	status     text NOT NULL,
	facts      json,
	intake     json,
	decision   json,
	terms_id   text NOT NULL,
	version    bigint NOT NULL,
	last_seq   bigint NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX cases_newest ON cases (created_at DESC, id DESC);
CREATE INDEX cases_status_newest ON cases (status, created_at DESC, id DESC);

CREATE TABLE events (
	case_id       text NOT NULL REFERENCES cases (id),
	seq           bigint NOT NULL,
	at            timestamptz NOT NULL,
	actor_token   text NOT NULL,
	actor_role    text NOT NULL,
	actor_partner text NOT NULL,
	kind          text NOT NULL,
	data          json,
	PRIMARY KEY (case_id, seq)
);

-- +goose StatementBegin
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'events are append-only: % refused', TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();

CREATE TABLE choices (
	case_id       text NOT NULL REFERENCES cases (id),
	grp           text NOT NULL,
	code          text NOT NULL,
	at            timestamptz NOT NULL,
	actor_token   text NOT NULL,
	actor_role    text NOT NULL,
	actor_partner text NOT NULL,
	PRIMARY KEY (case_id, grp)
);

CREATE TABLE partners (
	id          text PRIMARY KEY,
	name        text NOT NULL,
	webhook_url text NOT NULL,
	secret      bytea NOT NULL,
	created_at  timestamptz NOT NULL
);

CREATE TABLE jobs (
	id          text PRIMARY KEY,
	case_id     text NOT NULL REFERENCES cases (id),
	kind        text NOT NULL,
	partner     text NOT NULL REFERENCES partners (id),
	status      text NOT NULL,
	failure     text NOT NULL,
	eta         timestamptz,
	destination json,
	version     bigint NOT NULL,
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL
);
CREATE INDEX jobs_case ON jobs (case_id, created_at, id);
CREATE INDEX jobs_partner ON jobs (partner, created_at, id);

CREATE TABLE tokens (
	id         text PRIMARY KEY,
	hash       bytea NOT NULL UNIQUE,
	role       text NOT NULL,
	partner    text REFERENCES partners (id),
	label      text NOT NULL,
	created_at timestamptz NOT NULL,
	revoked    boolean NOT NULL DEFAULT false
);

CREATE TABLE tracking_links (
	hash       bytea PRIMARY KEY,
	case_id    text NOT NULL REFERENCES cases (id),
	expires_at timestamptz NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX tracking_links_case ON tracking_links (case_id);

CREATE TABLE idempotency (
	token_id   text NOT NULL,
	key        text NOT NULL,
	method     text NOT NULL,
	path       text NOT NULL,
	body_hash  bytea,
	status     integer NOT NULL,
	header     bytea,
	response   bytea,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE deliveries (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	partner    text NOT NULL REFERENCES partners (id),
	job_id     text REFERENCES jobs (id),
	event      text NOT NULL,
	payload    bytea,
	status     text NOT NULL,
	attempts   integer NOT NULL,
	next_at    timestamptz NOT NULL,
	last_error text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_job ON deliveries (job_id, id);

-- +goose Down
DROP TABLE deliveries;
DROP TABLE idempotency;
DROP TABLE tracking_links;
DROP TABLE tokens;
DROP TABLE jobs;
DROP TABLE partners;
DROP TABLE choices;
DROP TABLE events;
DROP FUNCTION events_append_only();
DROP TABLE cases;
