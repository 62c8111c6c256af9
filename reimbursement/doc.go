// Package reimbursement checks a customer's receipts against the decision of
// an assistance case under the Polestar Assistance terms, and records an
// operator's review of each checked receipt.
//
// A receipt is paid back only within what the stored decision grants:
// travel home or on (1.3.1), hotel nights (1.3.2), a rental car (1.3.3), the
// short taxi rides of the 2023 texts (1.3.1), travel to collect the car (1.4)
// and the allowance or local rental car abroad (1.5). Only the one option of
// a choose-one group the customer chose is paid; help not arranged by
// assistance, fuel, repairs, parts and tyres never are; VAT is taken out for
// a customer who declares it. Limits per person, per night and per case are
// consumed across the receipts of a case.
//
// Each receipt becomes one Line: approved, cut or refused, with the amount
// in the limit's currency, the clause, a reason code and a short text of our
// own in the customer's language, and every step that led there (VAT taken
// out, the euro reference rate used, the limit and how much of it was left,
// the nights and rental days counted). A line says what is missing when it
// cannot be checked (a rate not yet published, a VAT rate not known): nothing
// is guessed.
//
// The package is pure: the day of the check ("today"), the euro reference
// rates (fx) and the working-day calendar (calendar) are passed in.
//
//	receipt.go    the receipt and its categories; currency.go the currencies
//	decode.go     the receipt's JSON part, every bad field named
//	decided.go    what a check reads of the decision, or of its stored JSON
//	check.go      the check of one receipt against the decision
//	api.go        JSON in, JSON out, for the HTTP layer
//	travel.go     1.3.1 travel home or on, the taxi rides; 1.4 collection
//	hotel.go      1.3.2 hotel nights
//	rental.go     1.3.3 rental car, 1.5 local rental car
//	abroad.go     1.5 the allowance abroad
//	vat.go        VAT taken out, the standard rates by country and day
//	line.go       the checked line and its JSON
//	review.go     the operator's review
//	readings.go   the readings the check takes, by id
//	texts.go      reason texts in en, de, pt, da and sv
package reimbursement
