package insurance

import (
	"math/bits"

	"roadcover"
)

// Settlement is the outcome of one claim: one line per cover, the refusals,
// the totals and the readings applied. It marshals to the contract's JSON.
type Settlement struct {
	TermsID          string
	TermsMarket      string
	TermsLanguage    roadcover.Language
	InForceFrom      string
	PBBYear          int
	PBB              int64
	Lines            []Line
	Refusals         []Refusal
	PayableTotal     int64
	DeductibleTotal  int64
	Currency         string
	PremiumAffecting bool
	NewCar           bool
	Requirements     []string
	Interpretations  []Interpretation // the readings applied: id, clauses, text in the language
	Language         roadcover.Language

	paramsRead [(nParams + 63) / 64]uint64 // the parameters read, a bit per pid
	ptab       *[nParams]ParamUse          // the version's parameters
}

// Parameters lists the numbers of the terms version the settlement read,
// each with its unit and clause, in the order of the engine's table.
func (s *Settlement) Parameters() []ParamUse {
	var out []ParamUse
	s.eachParam(func(p *ParamUse) { out = append(out, *p) })
	return out
}

func (s *Settlement) eachParam(f func(*ParamUse)) {
	if s.ptab == nil {
		return
	}
	for i, w := range s.paramsRead {
		for w != 0 {
			f(&s.ptab[i*64+bits.TrailingZeros64(w)])
			w &= w - 1
		}
	}
}

// ParamUse is one parameter of the terms version that the settlement read,
// with its unit ("minor:SEK", "percent", "years", "km", ...) and clause.
type ParamUse struct {
	Name   string
	Value  int64
	Unit   string
	Clause string
}

// Line is what one cover gives for the incident.
type Line struct {
	Cover      string
	Clause     string
	Covered    bool
	Status     string // "settled", "pending" (stolen car, 30 days not yet run) or "eligible" (care)
	NewCar     bool
	Valuation  []Step // how the assessed amount was reached
	Assessed   int64
	Deductible int64
	Parts      []Part
	Net        int64
	Reductions []Reduction
	Payable    int64
	Text       string
	DisputeID  string // legal: the dispute the line pays (2.7)
	Person     int    // care: index into costs.care_persons
	CareUntil  string // care: last day of the five years

	kind       kind
	capCode    string // cap on what is paid, applied after the reductions
	capAt      int64
	capCl      string
	rank       uint8 // the line's place in the listed order (coverOrder)
	theftish   bool  // the 2.4 detached-part reduction may apply
	refundLine bool  // Plus or a Bas deductible refund (4.1: capRefunds)
	refund     int64 // the refunded deductible in Assessed (clothes apart)
	youth      int64 // the youth part of the deductible (2.9: never merged)
}

// Step is one step of the valuation of a line (4.4, 4.6, caps before deductible).
type Step struct {
	Code   string
	Clause string
	Amount int64 // the amount after this step
	Text   string
}

// Part is one part of a deductible: the base, an addition (positive) or an
// elimination (negative).
type Part struct {
	Code   string
	Clause string
	Amount int64
	Text   string
}

// Reduction is a deduction after the deductible, on what is left.
type Reduction struct {
	Code    string
	Clause  string
	Percent int64
	Amount  int64
	Text    string
}

// Refusal is a cover that does not pay, with its reason.
type Refusal struct {
	Code   string
	Clause string
	Cover  string
	Text   string
}

// Interpretation is a reading of the terms that the settlement applied.
type Interpretation struct {
	ID      string
	Clauses []string
	Text    string
}

type kind uint8

const (
	kOwn     kind = iota // own damage: 3.2, 3.7 and 2.9 apply
	kTraffic             // 2.1: worldwide, deductibles never merged
	kLegal               // 2.7: own deductible, never merged
	kPerson              // crisis therapy, care
)
