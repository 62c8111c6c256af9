-- What a driver sees of who is coming and where: a partner's phone number,
-- the kinds of truck it sends and their plates, and the last position each
-- job's truck reported (one row per job, replaced by the next report).

-- +goose Up
ALTER TABLE partners ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN trucks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE partners ADD COLUMN plates TEXT NOT NULL DEFAULT '[]';

CREATE TABLE job_positions (
	job_id      TEXT PRIMARY KEY REFERENCES jobs (id),
	lat         REAL NOT NULL,
	lon         REAL NOT NULL,
	heading_deg REAL,
	speed_kmh   REAL,
	accuracy_m  REAL,
	truck       TEXT NOT NULL,
	plate       TEXT NOT NULL,
	at          INTEGER NOT NULL,
	received_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE job_positions;
ALTER TABLE partners DROP COLUMN plates;
ALTER TABLE partners DROP COLUMN trucks;
ALTER TABLE partners DROP COLUMN phone;
