// Package claims keeps Polestar Insurance motor claims for Sweden
// (insurance-se-2021-10) from first notice to payment: the loss facts, the
// settlement that insurance.Settle gives for them with the policy version in
// force on the day of the loss, reserves per settlement line, payment orders
// and advances (4.1) for the ledger, recoveries (5.3), a dispute over value
// (4.10), double insurance (4.11), the time bar (5.4), complaints (5.9) and
// the claims-register record (5.5).
//
// A claim is its timeline: every act is an event with who did it and when,
// and the claim is what its events make of it (Replay). Acts check the
// claims handler's authority: a payment above the handler's limit waits for
// a second handler, and a claim for the same car and day with overlapping
// perils is flagged for a person before anything is paid.
//
// The package does no I/O and reads no clock: instants and actors are
// passed in. Request documents enter through the Decode* functions (every
// bad field named) and leave through the Append*JSON encoders.
package claims
