// Package assistance decides roadside-assistance cases under the Polestar
// Assistance terms: the UK page of 2022 (with its general part, which applies
// to every market) and the German, Portuguese and Danish conditions in force
// from 2023-05-01.
//
// A Case (one breakdown or accident) goes in; a Decision comes out: whether
// the case is covered, the refusals and entitlements with their clause and a
// short text of our own in one of five languages, what is never paid, what
// the operator must still ask, the readings the decision relied on and the
// parameters it read. The rules live one file per clause group:
//
//	validity.go    general part and exclusions: conditions of validity
//	area.go        covered countries, Cyprus, Crimea, the Russian radius
//	onspot.go      1.1 help on the spot, 1.2 towing, trailers and livestock
//	further.go     1.3 further assistance (one option only)
//	collection.go  1.4 travel to collect the car
//	abroad.go      1.5 repatriation from abroad
//	commercial.go  1.6 commercial vehicles and the 37-month footnote
//	never.go       the never-paid list and the required-information checklist
//
// The package does no I/O and reads no clock: facts such as the country at a
// position, the nearest workshop, working days and euro rates come from the
// providers in Env, each of which may be absent.
package assistance
