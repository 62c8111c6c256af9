-- A claims handler signed in with an account has a payment limit, as one
-- with a token has (tokens.payment_limit).

-- +goose Up
ALTER TABLE accounts ADD COLUMN payment_limit bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE accounts DROP COLUMN payment_limit;
