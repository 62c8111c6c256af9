// Package iso20022 writes released payment batches as ISO 20022
// pain.001.001.03 customer credit transfer initiations and reads the bank's
// pain.002.001.03 customer payment status reports back into outcomes the
// ledger applies.
//
// Two routes are written:
//
//   - SEPA credit transfers: EUR to an IBAN of a SEPA country, service level
//     SEPA, charges SLEV, BIC optional. Names are cut to 70 characters and
//     all text is written in the SEPA basic Latin character set.
//   - Swedish domestic payments in SEK, service level NURG: to a bankgiro
//     number (account Othr/Id with proprietary scheme BGNR; the creditor's
//     bank CdtrAgt identified in clearing system SESBA as member 9900), to a
//     Swedish bank account (Othr/Id clearing number and account number,
//     scheme BBAN; CdtrAgt in SESBA with the clearing number; a Swedbank
//     clearing number 8xxx-x without its check digit), or to a Swedish IBAN.
//
// Any other currency or account is refused with a field error naming the
// payee; nothing is sent by a route that was not chosen on purpose.
//
// Identifiers are derived from the batch and payable ids, never from a
// clock or a counter, so the same batch written twice gives the same bytes:
// the message id is the batch id, a payment information id is the message id
// and the block's number, an end-to-end id is the payable id and the batch
// id; each falls back to a hash of what it is made of when it would be
// longer than the schema's 35 characters. Amounts are written with exactly
// two decimals; the number of transactions and the control sums of the group
// and of every block are computed with checked arithmetic and checked again
// on the finished document (Check), since the schema accepts a wrong control
// sum and three decimals.
//
// The package does no I/O: the debtor (our account) comes from
// configuration passed in, and bytes go in and out.
package iso20022
