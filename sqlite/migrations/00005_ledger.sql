-- The money ledger (package ledger): the journal of entries numbered by seq
-- with their postings and batch members, the payees paid, the bank files of
-- released batches and the bank's status reports. Journal, files and
-- reports are append-only: triggers refuse UPDATE and DELETE. Amounts are
-- INTEGER minor units with their ISO 4217 currency; times INTEGER
-- microseconds since the Unix epoch (UTC).

-- +goose Up
CREATE TABLE ledger_entries (
	seq                INTEGER PRIMARY KEY,
	kind               TEXT NOT NULL,
	at                 INTEGER NOT NULL,
	actor              TEXT NOT NULL,
	payable            TEXT NOT NULL,
	batch              TEXT NOT NULL,
	source_kind        TEXT NOT NULL,
	source_id          TEXT NOT NULL,
	source_line        TEXT NOT NULL,
	payee              TEXT NOT NULL,
	amount             INTEGER NOT NULL,
	currency           TEXT NOT NULL,
	reference          TEXT NOT NULL,
	terms              TEXT NOT NULL,
	clause             TEXT NOT NULL,
	approvals_required INTEGER NOT NULL,
	execution_date     TEXT NOT NULL,
	cause              TEXT NOT NULL,
	reason             TEXT NOT NULL,
	chain              BLOB NOT NULL
) STRICT;
CREATE INDEX ledger_entries_payable ON ledger_entries (payable, seq) WHERE payable <> '';
CREATE INDEX ledger_entries_batch ON ledger_entries (batch, seq) WHERE batch <> '';

CREATE TABLE ledger_postings (
	seq         INTEGER NOT NULL REFERENCES ledger_entries (seq),
	pos         INTEGER NOT NULL,
	account     TEXT NOT NULL,
	amount      INTEGER NOT NULL,
	currency    TEXT NOT NULL,
	source_kind TEXT NOT NULL,
	source_id   TEXT NOT NULL,
	source_line TEXT NOT NULL,
	payee       TEXT NOT NULL,
	PRIMARY KEY (seq, pos)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_batch_members (
	seq     INTEGER NOT NULL REFERENCES ledger_entries (seq),
	pos     INTEGER NOT NULL,
	payable TEXT NOT NULL,
	PRIMARY KEY (seq, pos)
) STRICT, WITHOUT ROWID;

CREATE TABLE payees (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	method     TEXT NOT NULL,
	iban       TEXT NOT NULL,
	bic        TEXT NOT NULL,
	bankgiro   TEXT NOT NULL,
	clearing   TEXT NOT NULL,
	number     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE payment_files (
	batch      TEXT PRIMARY KEY,
	message_id TEXT NOT NULL,
	format     TEXT NOT NULL,
	data       BLOB NOT NULL,
	sha256     BLOB NOT NULL,
	count      INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE payment_status_reports (
	batch         TEXT NOT NULL,
	message_id    TEXT NOT NULL,
	data          BLOB NOT NULL,
	sha256        BLOB NOT NULL,
	actor_token   TEXT NOT NULL,
	actor_role    TEXT NOT NULL,
	actor_partner TEXT NOT NULL,
	imported_at   INTEGER NOT NULL,
	first_seq     INTEGER NOT NULL,
	last_seq      INTEGER NOT NULL,
	PRIMARY KEY (batch, message_id)
) STRICT, WITHOUT ROWID;

-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_batch_members_no_update BEFORE UPDATE ON ledger_batch_members
BEGIN
	SELECT RAISE(ABORT, 'ledger_batch_members are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER ledger_batch_members_no_delete BEFORE DELETE ON ledger_batch_members
BEGIN
	SELECT RAISE(ABORT, 'ledger_batch_members are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_files_no_update BEFORE UPDATE ON payment_files
BEGIN
	SELECT RAISE(ABORT, 'payment_files are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_files_no_delete BEFORE DELETE ON payment_files
BEGIN
	SELECT RAISE(ABORT, 'payment_files are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_status_reports_no_update BEFORE UPDATE ON payment_status_reports
BEGIN
	SELECT RAISE(ABORT, 'payment_status_reports are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER payment_status_reports_no_delete BEFORE DELETE ON payment_status_reports
BEGIN
	SELECT RAISE(ABORT, 'payment_status_reports are append-only: DELETE refused');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE payment_status_reports;
DROP TABLE payment_files;
DROP TABLE payees;
DROP TABLE ledger_batch_members;
DROP TABLE ledger_postings;
DROP TABLE ledger_entries;
