-- The desk service's tables. Times are INTEGER microseconds since the Unix
-- epoch (UTC); JSON documents are TEXT kept byte for byte as given.

-- +goose Up
CREATE TABLE cases (
	id         TEXT PRIMARY KEY,
	status     TEXT NOT NULL,
	facts      TEXT,
	intake     TEXT,
	decision   TEXT,
	terms_id   TEXT NOT NULL,
	version    INTEGER NOT NULL,
	last_seq   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX cases_newest ON cases (created_at DESC, id DESC);
CREATE INDEX cases_status_newest ON cases (status, created_at DESC, id DESC);

CREATE TABLE events (
	case_id       TEXT NOT NULL REFERENCES cases (id),
	seq           INTEGER NOT NULL,
	at            INTEGER NOT NULL,
	actor_token   TEXT NOT NULL,
	actor_role    TEXT NOT NULL,
	actor_partner TEXT NOT NULL,
	kind          TEXT NOT NULL,
	data          TEXT,
	PRIMARY KEY (case_id, seq)
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: DELETE refused');
END;
-- +goose StatementEnd

CREATE TABLE choices (
	case_id       TEXT NOT NULL REFERENCES cases (id),
	grp           TEXT NOT NULL,
	code          TEXT NOT NULL,
	at            INTEGER NOT NULL,
	actor_token   TEXT NOT NULL,
	actor_role    TEXT NOT NULL,
	actor_partner TEXT NOT NULL,
	PRIMARY KEY (case_id, grp)
) STRICT, WITHOUT ROWID;

CREATE TABLE partners (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	webhook_url TEXT NOT NULL,
	secret      BLOB NOT NULL,
	created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE jobs (
	id          TEXT PRIMARY KEY,
	case_id     TEXT NOT NULL REFERENCES cases (id),
	kind        TEXT NOT NULL,
	partner     TEXT NOT NULL REFERENCES partners (id),
	status      TEXT NOT NULL,
	failure     TEXT NOT NULL,
	eta         INTEGER,
	destination TEXT,
	version     INTEGER NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_case ON jobs (case_id, created_at, id);
CREATE INDEX jobs_partner ON jobs (partner, created_at, id);

CREATE TABLE tokens (
	id         TEXT PRIMARY KEY,
	hash       BLOB NOT NULL UNIQUE,
	role       TEXT NOT NULL,
	partner    TEXT REFERENCES partners (id),
	label      TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE tracking_links (
	hash       BLOB PRIMARY KEY,
	case_id    TEXT NOT NULL REFERENCES cases (id),
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tracking_links_case ON tracking_links (case_id);

CREATE TABLE idempotency (
	token_id   TEXT NOT NULL,
	key        TEXT NOT NULL,
	method     TEXT NOT NULL,
	path       TEXT NOT NULL,
	body_hash  BLOB,
	status     INTEGER NOT NULL,
	header     BLOB,
	response   BLOB,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (token_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX idempotency_created ON idempotency (created_at);

CREATE TABLE deliveries (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	partner    TEXT NOT NULL REFERENCES partners (id),
	job_id     TEXT REFERENCES jobs (id),
	event      TEXT NOT NULL,
	payload    BLOB,
	status     TEXT NOT NULL,
	attempts   INTEGER NOT NULL,
	next_at    INTEGER NOT NULL,
	last_error TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX deliveries_due ON deliveries (status, next_at, id);
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
DROP TABLE cases;
