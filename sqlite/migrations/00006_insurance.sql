-- Insurance: motor policies as append-only versions, claims as append-only
-- timelines with a row of what lists read, versioned settlements, the
-- policyholders' links, and a claims handler's payment limit on the token.
-- Days are TEXT YYYY-MM-DD; times INTEGER microseconds since the epoch.

-- +goose Up
CREATE TABLE policies (
	id                TEXT PRIMARY KEY,
	due_date          TEXT NOT NULL,
	vin               TEXT NOT NULL,
	holder_id         TEXT NOT NULL,
	versions          INTEGER NOT NULL,
	auto_collision_on TEXT NOT NULL DEFAULT '',
	created_at        INTEGER NOT NULL,
	updated_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX policies_vin ON policies (vin, created_at, id);
CREATE INDEX policies_auto_collision ON policies (auto_collision_on, id) WHERE auto_collision_on <> '';

CREATE TABLE policy_versions (
	policy_id  TEXT NOT NULL REFERENCES policies (id),
	no         INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	valid_from TEXT NOT NULL,
	at         INTEGER NOT NULL,
	doc        TEXT NOT NULL,
	PRIMARY KEY (policy_id, no)
) STRICT, WITHOUT ROWID;

CREATE TABLE claims (
	id            TEXT PRIMARY KEY,
	policy_id     TEXT NOT NULL REFERENCES policies (id),
	vin           TEXT NOT NULL,
	occurred_at   TEXT NOT NULL,
	reported_at   TEXT NOT NULL,
	status        TEXT NOT NULL,
	desk_case_id  TEXT NOT NULL,
	holder_id     TEXT NOT NULL,
	holder_name   TEXT NOT NULL,
	summary       TEXT NOT NULL,
	settlement_no INTEGER NOT NULL,
	version       INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX claims_policy ON claims (policy_id, created_at, id);
CREATE INDEX claims_car_day ON claims (vin, occurred_at);
CREATE INDEX claims_reported ON claims (reported_at, created_at, id);
CREATE INDEX claims_desk_case ON claims (desk_case_id) WHERE desk_case_id <> '';

CREATE TABLE claim_settlements (
	claim_id TEXT NOT NULL REFERENCES claims (id),
	no       INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	doc      TEXT NOT NULL,
	PRIMARY KEY (claim_id, no)
) STRICT, WITHOUT ROWID;

CREATE TABLE claim_events (
	claim_id TEXT NOT NULL REFERENCES claims (id),
	seq      INTEGER NOT NULL,
	at       INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	kind     TEXT NOT NULL,
	data     TEXT NOT NULL,
	PRIMARY KEY (claim_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE insurance_links (
	hash       BLOB PRIMARY KEY,
	kind       TEXT NOT NULL,
	target     TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT;

-- +goose StatementBegin
CREATE TRIGGER policy_versions_no_update BEFORE UPDATE ON policy_versions
BEGIN
	SELECT RAISE(ABORT, 'policy versions are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER policy_versions_no_delete BEFORE DELETE ON policy_versions
BEGIN
	SELECT RAISE(ABORT, 'policy versions are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events
BEGIN
	SELECT RAISE(ABORT, 'claim events are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events
BEGIN
	SELECT RAISE(ABORT, 'claim events are append-only: DELETE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claim_settlements_no_update BEFORE UPDATE ON claim_settlements
BEGIN
	SELECT RAISE(ABORT, 'claim settlements are append-only: UPDATE refused');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER claim_settlements_no_delete BEFORE DELETE ON claim_settlements
BEGIN
	SELECT RAISE(ABORT, 'claim settlements are append-only: DELETE refused');
END;
-- +goose StatementEnd

ALTER TABLE tokens ADD COLUMN payment_limit INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE tokens DROP COLUMN payment_limit;
DROP TABLE insurance_links;
DROP TABLE claim_events;
DROP TABLE claim_settlements;
DROP TABLE claims;
DROP TABLE policy_versions;
DROP TABLE policies;
