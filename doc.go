// Package roadcover holds the values shared by every part of the product:
// money in integer minor units, markets, languages, positions, and the
// input-error type that becomes an RFC 9457 problem document at the edges.
//
// The terms themselves live in the terms package; the rules in assistance
// and insurance. This package knows nothing of any clause.
package roadcover
