-- What a driver sees of who is coming and where: a partner's phone number,
-- the kinds of truck it sends and their plates, and the last position each
-- job's truck reported (one row per job, replaced by the next report).

-- +goose Up
ALTER TABLE partners ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN trucks text[] NOT NULL DEFAULT '{}';
ALTER TABLE partners ADD COLUMN plates text[] NOT NULL DEFAULT '{}';

CREATE TABLE job_positions (
	job_id      text PRIMARY KEY REFERENCES jobs (id),
	lat         double precision NOT NULL,
	lon         double precision NOT NULL,
	heading_deg double precision,
	speed_kmh   double precision,
	accuracy_m  double precision,
	truck       text NOT NULL,
	plate       text NOT NULL,
	at          timestamptz NOT NULL,
	received_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE job_positions;
ALTER TABLE partners DROP COLUMN plates;
ALTER TABLE partners DROP COLUMN trucks;
ALTER TABLE partners DROP COLUMN phone;
