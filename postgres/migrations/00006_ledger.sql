-- The money ledger (package ledger): the journal of entries numbered by seq
-- with their postings and batch members, the payees paid, the bank files of
-- released batches and the bank's status reports. Journal, files and
-- reports are append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
-- Amounts are bigint minor units with their ISO 4217 currency.

-- +goose Up
CREATE TABLE ledger_entries (
	seq                bigint PRIMARY KEY,
	kind               text NOT NULL,
	at                 timestamptz NOT NULL,
	actor              text NOT NULL,
	payable            text NOT NULL,
	batch              text NOT NULL,
	source_kind        text NOT NULL,
	source_id          text NOT NULL,
	source_line        text NOT NULL,
	payee              text NOT NULL,
	amount             bigint NOT NULL,
	currency           text NOT NULL,
	reference          text NOT NULL,
	terms              text NOT NULL,
	clause             text NOT NULL,
	approvals_required integer NOT NULL,
	execution_date     text NOT NULL,
	cause              text NOT NULL,
	reason             text NOT NULL,
	chain              bytea NOT NULL
);
CREATE INDEX ledger_entries_payable ON ledger_entries (payable, seq) WHERE payable <> '';
CREATE INDEX ledger_entries_batch ON ledger_entries (batch, seq) WHERE batch <> '';

CREATE TABLE ledger_postings (
	seq         bigint NOT NULL REFERENCES ledger_entries (seq),
	pos         integer NOT NULL,
	account     text NOT NULL,
	amount      bigint NOT NULL,
	currency    text NOT NULL,
	source_kind text NOT NULL,
	source_id   text NOT NULL,
	source_line text NOT NULL,
	payee       text NOT NULL,
	PRIMARY KEY (seq, pos)
);

CREATE TABLE ledger_batch_members (
	seq     bigint NOT NULL REFERENCES ledger_entries (seq),
	pos     integer NOT NULL,
	payable text NOT NULL,
	PRIMARY KEY (seq, pos)
);

CREATE TABLE payees (
	id         text PRIMARY KEY,
	name       text NOT NULL,
	method     text NOT NULL,
	iban       text NOT NULL,
	bic        text NOT NULL,
	bankgiro   text NOT NULL,
	clearing   text NOT NULL,
	number     text NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);

CREATE TABLE payment_files (
	batch      text PRIMARY KEY,
	message_id text NOT NULL,
	format     text NOT NULL,
	data       bytea NOT NULL,
	sha256     bytea NOT NULL,
	count      integer NOT NULL,
	created_at timestamptz NOT NULL
);

CREATE TABLE payment_status_reports (
	batch         text NOT NULL,
	message_id    text NOT NULL,
	data          bytea NOT NULL,
	sha256        bytea NOT NULL,
	actor_token   text NOT NULL,
	actor_role    text NOT NULL,
	actor_partner text NOT NULL,
	imported_at   timestamptz NOT NULL,
	first_seq     bigint NOT NULL,
	last_seq      bigint NOT NULL,
	PRIMARY KEY (batch, message_id)
);

-- Bank files and reports are large XML: lz4 where the server has it (as
-- 00002 does for the JSON columns).
-- +goose StatementBegin
DO $$
BEGIN
	ALTER TABLE payment_files ALTER COLUMN data SET COMPRESSION lz4;
	ALTER TABLE payment_status_reports ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
	RAISE NOTICE 'lz4 compression not available; keeping pglz';
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% are append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_postings
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_batch_members_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_batch_members
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER payment_files_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payment_files
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER payment_status_reports_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payment_status_reports
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- +goose Down
DROP TABLE payment_status_reports;
DROP TABLE payment_files;
DROP TABLE payees;
DROP TABLE ledger_batch_members;
DROP TABLE ledger_postings;
DROP TABLE ledger_entries;
DROP FUNCTION ledger_append_only();
