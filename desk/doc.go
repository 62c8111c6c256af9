// Package desk runs the assistance desk's own rules on typed values: a case
// is its facts (an assistance.Case), its stored decision (an
// assistance.Decision, the truth once made), the offers a choice is checked
// against, the customer's choices, the dispatch jobs, its status and
// version; and the desk's operations on it: create, patch (decide again),
// choose, close and reopen, dispatch, move a job, the driver's view and the
// partner's view, tracking links, tokens and partners, and the receipts of a
// case with their reviews and the payables they become (receipts.go).
//
// It does no HTTP and reads no clock, environment or randomness: the store
// transaction, the clock, the id and secret sources and the facts
// providers are passed in. Every write goes through the caller's store
// transaction, so that what the caller writes beside it (an idempotency
// record) commits with it. Each document it reads (a case body with its
// intake block, a patch, a choice, a job) is decoded once here, and each
// answer is encoded once (encode.go).
package desk
