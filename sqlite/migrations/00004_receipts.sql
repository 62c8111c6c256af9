-- Receipts on cases: their files, kept once by the SHA-256 of the content
-- (a second upload of the same bytes refers to the stored file), the
-- receipts with the columns a duplicate search and the review queue read,
-- and the versions of each receipt's checked line (a review is a new
-- version, never an edit). Files and lines are append-only.

-- +goose Up
CREATE TABLE receipt_files (
	sha256     TEXT PRIMARY KEY,
	media_type TEXT NOT NULL,
	size       INTEGER NOT NULL,
	content    BLOB NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE receipts (
	id            TEXT PRIMARY KEY,
	case_id       TEXT NOT NULL REFERENCES cases (id),
	file_sha256   TEXT NOT NULL REFERENCES receipt_files (sha256),
	part          TEXT NOT NULL,
	category      TEXT NOT NULL,
	day           TEXT NOT NULL,
	amount_minor  INTEGER NOT NULL,
	currency      TEXT NOT NULL,
	merchant      TEXT NOT NULL,
	phash         INTEGER,
	payee         TEXT,
	suggestion    TEXT,
	duplicates    TEXT NOT NULL,
	via           TEXT NOT NULL,
	actor_token   TEXT NOT NULL,
	actor_role    TEXT NOT NULL,
	actor_partner TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	line_no       INTEGER NOT NULL,
	status        TEXT NOT NULL,
	needs_review  INTEGER NOT NULL,
	payable_no    INTEGER NOT NULL DEFAULT 0,
	updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX receipts_case ON receipts (case_id, created_at, id);
CREATE INDEX receipts_review ON receipts (created_at, id) WHERE needs_review = 1;
CREATE INDEX receipts_file ON receipts (file_sha256);

CREATE TABLE receipt_lines (
	receipt_id    TEXT NOT NULL REFERENCES receipts (id),
	no            INTEGER NOT NULL,
	action        TEXT NOT NULL,
	status        TEXT NOT NULL,
	amount_minor  INTEGER NOT NULL,
	currency      TEXT NOT NULL,
	line          TEXT NOT NULL,
	at            INTEGER NOT NULL,
	actor_token   TEXT NOT NULL,
	actor_role    TEXT NOT NULL,
	actor_partner TEXT NOT NULL,
	PRIMARY KEY (receipt_id, no)
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER receipt_files_no_update BEFORE UPDATE ON receipt_files
BEGIN
	SELECT RAISE(ABORT, 'receipt files are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER receipt_files_no_delete BEFORE DELETE ON receipt_files
BEGIN
	SELECT RAISE(ABORT, 'receipt files are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER receipt_lines_no_update BEFORE UPDATE ON receipt_lines
BEGIN
	SELECT RAISE(ABORT, 'receipt lines are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER receipt_lines_no_delete BEFORE DELETE ON receipt_lines
BEGIN
	SELECT RAISE(ABORT, 'receipt lines are append-only: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE receipt_lines;
DROP TABLE receipts;
DROP TABLE receipt_files;
