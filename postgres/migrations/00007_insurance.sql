-- Insurance: motor policies as append-only versions, claims as append-only
-- timelines with a row of what lists read, versioned settlements, the
-- policyholders' links, and a claims handler's payment limit on the token.
-- Days are text YYYY-MM-DD (they sort as days); documents are json, kept
-- byte for byte.

-- +goose Up
CREATE TABLE policies (
	id                text PRIMARY KEY,
	due_date          text NOT NULL,
	vin               text NOT NULL,
	holder_id         text NOT NULL,
	versions          bigint NOT NULL,
	auto_collision_on text NOT NULL DEFAULT '',
	created_at        timestamptz NOT NULL,
	updated_at        timestamptz NOT NULL
);
CREATE INDEX policies_vin ON policies (vin, created_at, id);
CREATE INDEX policies_auto_collision ON policies (auto_collision_on, id) WHERE auto_collision_on <> '';

CREATE TABLE policy_versions (
	policy_id  text NOT NULL REFERENCES policies (id),
	no         bigint NOT NULL,
	kind       text NOT NULL,
	valid_from text NOT NULL,
	at         timestamptz NOT NULL,
	doc        json NOT NULL,
	PRIMARY KEY (policy_id, no)
);

CREATE TABLE claims (
	id            text PRIMARY KEY,
	policy_id     text NOT NULL REFERENCES policies (id),
	vin           text NOT NULL,
	occurred_at   text NOT NULL,
	reported_at   text NOT NULL,
	status        text NOT NULL,
	desk_case_id  text NOT NULL,
	holder_id     text NOT NULL,
	holder_name   text NOT NULL,
	summary       json NOT NULL,
	settlement_no bigint NOT NULL,
	version       bigint NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);
CREATE INDEX claims_policy ON claims (policy_id, created_at, id);
CREATE INDEX claims_car_day ON claims (vin, occurred_at);
CREATE INDEX claims_reported ON claims (reported_at, created_at, id);
CREATE INDEX claims_desk_case ON claims (desk_case_id) WHERE desk_case_id <> '';

CREATE TABLE claim_settlements (
	claim_id text NOT NULL REFERENCES claims (id),
	no       bigint NOT NULL,
	at       timestamptz NOT NULL,
	doc      json NOT NULL,
	PRIMARY KEY (claim_id, no)
);

CREATE TABLE claim_events (
	claim_id text NOT NULL REFERENCES claims (id),
	seq      bigint NOT NULL,
	at       timestamptz NOT NULL,
	actor    json NOT NULL,
	kind     text NOT NULL,
	data     json NOT NULL,
	PRIMARY KEY (claim_id, seq)
);

CREATE TABLE insurance_links (
	hash       bytea PRIMARY KEY,
	kind       text NOT NULL,
	target     text NOT NULL,
	expires_at timestamptz NOT NULL,
	created_at timestamptz NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION insurance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% are append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER policy_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON policy_versions
	FOR EACH STATEMENT EXECUTE FUNCTION insurance_append_only();
CREATE TRIGGER claim_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON claim_events
	FOR EACH STATEMENT EXECUTE FUNCTION insurance_append_only();
CREATE TRIGGER claim_settlements_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON claim_settlements
	FOR EACH STATEMENT EXECUTE FUNCTION insurance_append_only();

-- +goose StatementBegin
DO $$
BEGIN
	ALTER TABLE policy_versions ALTER COLUMN doc SET COMPRESSION lz4;
	ALTER TABLE claim_settlements ALTER COLUMN doc SET COMPRESSION lz4;
	ALTER TABLE claim_events ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
	RAISE NOTICE 'lz4 compression not available; keeping pglz';
END
$$;
-- +goose StatementEnd

ALTER TABLE tokens ADD COLUMN payment_limit bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE tokens DROP COLUMN payment_limit;
DROP TABLE insurance_links;
DROP TABLE claim_events;
DROP TABLE claim_settlements;
DROP TABLE claims;
DROP TABLE policy_versions;
DROP TABLE policies;
DROP FUNCTION insurance_append_only();
