-- Receipts on cases: their files, kept once by the SHA-256 of the content
-- (a second upload of the same bytes refers to the stored file), the
-- receipts with the columns a duplicate search and the review queue read,
-- and the versions of each receipt's checked line (a review is a new
-- version, never an edit). Files and lines are append-only.

-- +goose Up
CREATE TABLE receipt_files (
	sha256     text PRIMARY KEY,
	media_type text NOT NULL,
	size       bigint NOT NULL,
	content    bytea NOT NULL,
	created_at timestamptz NOT NULL
);
-- PDF, JPEG and PNG are compressed already: kept out of line, uncompressed.
ALTER TABLE receipt_files ALTER COLUMN content SET STORAGE EXTERNAL;

CREATE TABLE receipts (
	id            text PRIMARY KEY,
	case_id       text NOT NULL REFERENCES cases (id),
	file_sha256   text NOT NULL REFERENCES receipt_files (sha256),
	part          json NOT NULL,
	category      text NOT NULL,
	day           date NOT NULL,
	amount_minor  bigint NOT NULL,
	currency      text NOT NULL,
	merchant      text NOT NULL,
	phash         bigint,
	payee         json,
	suggestion    json,
	duplicates    json NOT NULL,
	via           text NOT NULL,
	actor_token   text NOT NULL,
	actor_role    text NOT NULL,
	actor_partner text NOT NULL,
	created_at    timestamptz NOT NULL,
	line_no       bigint NOT NULL,
	status        text NOT NULL,
	needs_review  boolean NOT NULL,
	payable_no    bigint NOT NULL DEFAULT 0,
	updated_at    timestamptz NOT NULL
);
CREATE INDEX receipts_case ON receipts (case_id, created_at, id);
CREATE INDEX receipts_review ON receipts (created_at, id) WHERE needs_review;
CREATE INDEX receipts_file ON receipts (file_sha256);

CREATE TABLE receipt_lines (
	receipt_id    text NOT NULL REFERENCES receipts (id),
	no            bigint NOT NULL,
	action        text NOT NULL,
	status        text NOT NULL,
	amount_minor  bigint NOT NULL,
	currency      text NOT NULL,
	line          json NOT NULL,
	at            timestamptz NOT NULL,
	actor_token   text NOT NULL,
	actor_role    text NOT NULL,
	actor_partner text NOT NULL,
	PRIMARY KEY (receipt_id, no)
);

-- +goose StatementBegin
CREATE FUNCTION receipts_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% are append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER receipt_files_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON receipt_files
	FOR EACH STATEMENT EXECUTE FUNCTION receipts_append_only();
CREATE TRIGGER receipt_lines_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON receipt_lines
	FOR EACH STATEMENT EXECUTE FUNCTION receipts_append_only();

-- +goose Down
DROP TABLE receipt_lines;
DROP TABLE receipts;
DROP TABLE receipt_files;
DROP FUNCTION receipts_append_only();
