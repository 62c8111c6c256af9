-- Facts and decisions become versioned documents, each version stored once
-- (a "decided" event refers to its decision by number instead of copying
-- it), and the case row keeps what a list shows in columns, so that a list
-- reads no document.

-- +goose Up
CREATE TABLE facts (
	case_id text NOT NULL REFERENCES cases (id),
	no      bigint NOT NULL,
	at      timestamptz NOT NULL,
	doc     json NOT NULL,
	PRIMARY KEY (case_id, no)
);
CREATE TABLE decisions (
	case_id  text NOT NULL REFERENCES cases (id),
	no       bigint NOT NULL,
	at       timestamptz NOT NULL,
	terms_id text NOT NULL,
	doc      json NOT NULL,
	PRIMARY KEY (case_id, no)
);
-- +goose StatementBegin
CREATE FUNCTION documents_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% are append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON facts
	FOR EACH STATEMENT EXECUTE FUNCTION documents_append_only();
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON decisions
	FOR EACH STATEMENT EXECUTE FUNCTION documents_append_only();

-- +goose StatementBegin
DO $$
BEGIN
	ALTER TABLE facts ALTER COLUMN doc SET COMPRESSION lz4;
	ALTER TABLE decisions ALTER COLUMN doc SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
	RAISE NOTICE 'lz4 compression not available; keeping pglz';
END
$$;
-- +goose StatementEnd

INSERT INTO facts (case_id, no, at, doc) SELECT id, 1, created_at, facts FROM cases WHERE facts IS NOT NULL;
INSERT INTO decisions (case_id, no, at, terms_id, doc) SELECT id, 1, updated_at, terms_id, decision FROM cases WHERE decision IS NOT NULL;

ALTER TABLE cases
	ADD COLUMN facts_no bigint NOT NULL DEFAULT 0,
	ADD COLUMN decision_no bigint NOT NULL DEFAULT 0,
	ADD COLUMN covered boolean NOT NULL DEFAULT false,
	ADD COLUMN market text NOT NULL DEFAULT '',
	ADD COLUMN language text NOT NULL DEFAULT '',
	ADD COLUMN event_kind text NOT NULL DEFAULT '',
	ADD COLUMN country text NOT NULL DEFAULT '',
	ADD COLUMN vin text NOT NULL DEFAULT '',
	ADD COLUMN registration text NOT NULL DEFAULT '',
	ADD COLUMN place text NOT NULL DEFAULT '',
	ADD COLUMN missing text[] NOT NULL DEFAULT '{}',
	ADD COLUMN occurred_at timestamptz,
	ADD COLUMN owner text NOT NULL DEFAULT '';

UPDATE cases SET
	facts_no     = CASE WHEN facts IS NULL THEN 0 ELSE 1 END,
	decision_no  = CASE WHEN decision IS NULL THEN 0 ELSE 1 END,
	covered      = coalesce((decision->>'covered')::boolean, false),
	market       = coalesce(facts->>'market', ''),
	language     = coalesce(decision->>'language', ''),
	event_kind   = coalesce(facts->'event'->>'kind', ''),
	country      = coalesce(decision->'place'->>'country', facts->'location'->>'country', ''),
	vin          = coalesce(facts->'vehicle'->>'vin', ''),
	registration = coalesce(facts->'vehicle'->>'registration', ''),
	place        = coalesce(facts->'location'->>'description', ''),
	missing      = coalesce(ARRAY(SELECT json_array_elements_text(decision->'missing_information')), '{}'),
	occurred_at  = (facts->>'occurred_at')::timestamptz
WHERE facts IS NOT NULL OR decision IS NOT NULL;

ALTER TABLE cases DROP COLUMN facts, DROP COLUMN decision;
CREATE INDEX cases_vin ON cases (vin, status) WHERE vin <> '';

-- +goose Down
DROP INDEX cases_vin;
ALTER TABLE cases ADD COLUMN facts json, ADD COLUMN decision json;
UPDATE cases SET
	facts    = (SELECT doc FROM facts f WHERE f.case_id = cases.id AND f.no = cases.facts_no),
	decision = (SELECT doc FROM decisions d WHERE d.case_id = cases.id AND d.no = cases.decision_no);
ALTER TABLE cases DROP COLUMN facts_no, DROP COLUMN decision_no, DROP COLUMN covered, DROP COLUMN market,
	DROP COLUMN language, DROP COLUMN event_kind, DROP COLUMN country, DROP COLUMN vin, DROP COLUMN registration,
	DROP COLUMN place, DROP COLUMN missing, DROP COLUMN occurred_at, DROP COLUMN owner;
DROP TABLE decisions;
DROP TABLE facts;
DROP FUNCTION documents_append_only();
