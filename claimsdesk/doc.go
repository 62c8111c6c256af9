// Package claimsdesk runs the claims desk of Polestar Insurance SE on a
// store: motor policies registered and changed from a day (with the daily
// automatic collision cover of 5.10), claims opened from a first notice (by
// a claims handler, by the policyholder through a link to their policy, or
// from an assistance desk case of the same car and day), every act on a
// claim recorded as an event with the settlement made again when the facts
// change, released payment orders handed to the ledger in the same
// transaction, the policyholder's read-only link to a claim, and the claims
// register of 5.5.
//
// The rules are the policies and claims packages'; this package reads and
// writes their documents through a store.Tx and reads no clock, environment
// or randomness of its own: the clock, the id and secret sources and the
// ledger's side are passed in. Every write goes through the caller's
// transaction, so that what the caller writes beside it (an idempotency
// record) commits with it.
package claimsdesk
