// Package insurance settles motor-insurance claims under the Polestar
// Insurance terms for Sweden (insurance-se-2021-10, chapters 1-5): one line
// per cover with its assessed loss, deductible parts, reductions and payable
// amount, every part carrying its clause and a short explanation in sv, en,
// de, pt or da.
//
// The order of arithmetic inside a line is fixed: assessed (4.6 VAT, 4.4
// market value and the caps before deductible, then towing and car
// transport under 4.9), deductible (base, additions, eliminations; 2.9
// bears the highest own-damage deductible once across the lines, youth
// parts apart), net, the reductions of 3.2, 2.4 and 3.6 each on what is
// left (the 3.6 minimum once per settlement), the caps on payment, payable.
// Plus and the Bas deductible refunds together never pay more than the
// owner bore (4.1), and every loss a claim gives is paid on a line or named
// in a refusal. Money is integer öre; percentages are rounded only by
// roadcover.PercentOf; an amount too large to settle is an input error.
//
// The rules live one clause group to a file: traffic.go (2.1), fire.go
// (2.2), glass.go (2.3), theft.go (2.4), machinery.go (2.5), rescue.go (2.6,
// 4.9), legal.go (2.7), collision.go (2.8, 5.10), deductible.go (2.9),
// layup.go (2.10), rental.go (2.11.1), bas.go (2.11.2-2.11.6, 2.13),
// plus.go (2.12), care.go (2.14), payable.go (chapter 3 reductions and the
// totals), valuation.go (4.4, 4.6, 4.8), losses.go (1.3 and 4.1 across the
// lines), perils.go (which covers a peril touches).
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
