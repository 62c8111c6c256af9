-- A table that readiness writes into (and rolls back): a store that cannot
-- write is not ready.

-- +goose Up
CREATE TABLE readiness (probe bytea);

-- +goose Down
DROP TABLE readiness;
