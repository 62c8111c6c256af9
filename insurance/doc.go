// Package insurance settles motor-insurance claims under the Polestar
// Insurance terms for Sweden (insurance-se-2021-10, chapters 1-5): one line
// per cover with its assessed loss, deductible parts, reductions and payable
// amount, every part carrying its clause and a short explanation in sv, en,
// de, pt or da.
//
// The order of arithmetic inside a line is fixed: assessed (4.6 VAT, 4.4
// market value and the caps before deductible), deductible (base, additions,
// eliminations; 2.9 keeps only the highest own-damage deductible), net, the
// reductions of 3.2, 2.4 and 3.6 each on what is left, payable. Money is
// integer öre; percentages are rounded only by roadcover.PercentOf.
//
// Every settlement lists the readings it applied (ids in readings, texts in
// interpretations) and the parameters of the version it read, each with its
// clause. Unknown top-level fields of a claim are refused; unknown fields
// inside its objects are ignored.
//
// The package does no I/O and reads no clock: Decode reads a claim, Settle
// decides it, and a Settlement encodes itself as the contract's JSON or as
// text for a claims handler.
package insurance
