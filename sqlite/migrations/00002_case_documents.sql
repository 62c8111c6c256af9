-- Facts and decisions become versioned documents, each version stored once
-- (a "decided" event refers to its decision by number instead of copying
-- it), and the case row keeps what a list shows in columns, so that a list
-- reads no document.

-- +goose Up
CREATE TABLE facts (
	case_id TEXT NOT NULL REFERENCES cases (id),
	no      INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	doc     TEXT NOT NULL,
	PRIMARY KEY (case_id, no)
) STRICT;

CREATE TABLE decisions (
	case_id  TEXT NOT NULL REFERENCES cases (id),
	no       INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	terms_id TEXT NOT NULL,
	doc      TEXT NOT NULL,
	PRIMARY KEY (case_id, no)
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
BEGIN
	SELECT RAISE(ABORT, 'facts are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
BEGIN
	SELECT RAISE(ABORT, 'facts are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'decisions are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'decisions are append-only: DELETE refused');
END;
-- +goose StatementEnd

INSERT INTO facts (case_id, no, at, doc) SELECT id, 1, created_at, facts FROM cases WHERE facts IS NOT NULL;
INSERT INTO decisions (case_id, no, at, terms_id, doc) SELECT id, 1, updated_at, terms_id, decision FROM cases WHERE decision IS NOT NULL;

ALTER TABLE cases ADD COLUMN facts_no INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN decision_no INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN covered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN market TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN event_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN vin TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN registration TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN missing TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN occurred_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN owner TEXT NOT NULL DEFAULT '';

UPDATE cases SET
	facts_no    = CASE WHEN facts IS NULL THEN 0 ELSE 1 END,
	decision_no = CASE WHEN decision IS NULL THEN 0 ELSE 1 END,
	covered     = coalesce(json_extract(decision, '$.covered'), 0),
	market      = coalesce(json_extract(facts, '$.market'), ''),
	language    = coalesce(json_extract(decision, '$.language'), ''),
	event_kind  = coalesce(json_extract(facts, '$.event.kind'), ''),
	country     = coalesce(json_extract(decision, '$.place.country'), json_extract(facts, '$.location.country'), ''),
	vin         = coalesce(json_extract(facts, '$.vehicle.vin'), ''),
	registration = coalesce(json_extract(facts, '$.vehicle.registration'), ''),
	place       = coalesce(json_extract(facts, '$.location.description'), ''),
	missing     = coalesce(json_extract(decision, '$.missing_information'), '[]'),
	occurred_at = coalesce(CAST(unixepoch(json_extract(facts, '$.occurred_at')) AS INTEGER) * 1000000, 0)
WHERE facts IS NOT NULL OR decision IS NOT NULL;

ALTER TABLE cases DROP COLUMN facts;
ALTER TABLE cases DROP COLUMN decision;
CREATE INDEX cases_vin ON cases (vin, status) WHERE vin <> '';

-- +goose Down
DROP INDEX cases_vin;
ALTER TABLE cases ADD COLUMN facts TEXT;
ALTER TABLE cases ADD COLUMN decision TEXT;
UPDATE cases SET
	facts    = (SELECT doc FROM facts f WHERE f.case_id = cases.id AND f.no = cases.facts_no),
	decision = (SELECT doc FROM decisions d WHERE d.case_id = cases.id AND d.no = cases.decision_no);
ALTER TABLE cases DROP COLUMN facts_no;
ALTER TABLE cases DROP COLUMN decision_no;
ALTER TABLE cases DROP COLUMN covered;
ALTER TABLE cases DROP COLUMN market;
ALTER TABLE cases DROP COLUMN language;
ALTER TABLE cases DROP COLUMN event_kind;
ALTER TABLE cases DROP COLUMN country;
ALTER TABLE cases DROP COLUMN vin;
ALTER TABLE cases DROP COLUMN registration;
ALTER TABLE cases DROP COLUMN place;
ALTER TABLE cases DROP COLUMN missing;
ALTER TABLE cases DROP COLUMN occurred_at;
ALTER TABLE cases DROP COLUMN owner;
DROP TABLE decisions;
DROP TABLE facts;
