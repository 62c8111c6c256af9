package policies

import (
	"errors"
	"fmt"

	"roadcover"
	"roadcover/terms"
)

// Param is one number of the terms that this package reads, with its unit
// and clause.
type Param struct {
	Name   string
	Value  int64
	Unit   string
	Clause string
}

// Params are the numbers of the policy rules for one terms version. Those
// the terms data already holds (5.10) are read from it; the others are this
// package's table, each tagged with its clause.
type Params struct {
	TermsID string
	// 5.1: an insurance period is one year.
	PeriodYears Param
	// 5.2: a paper invoice costs 29 kr more.
	PaperInvoiceFee Param
	// 5.2: instalments a year of each payment plan.
	Yearly, HalfYearly, Monthly Param
	// 5.10: the damage warranty is taken to run three years from first
	// registration; collision cover then follows with a 3 000 kr deductible.
	WarrantyYears           Param
	AutoCollisionDeductible Param
}

// own holds the numbers of chapter 5 that the terms data does not hold, by
// terms version id.
var own = map[string]Params{
	"insurance-se-2021-10": {
		PeriodYears:     Param{"period_years", 1, "years", "5.1"},
		PaperInvoiceFee: Param{"paper_invoice_fee", 2900, "minor:SEK", "5.2"},
		Yearly:          Param{"instalments_yearly", 1, "count", "5.2"},
		HalfYearly:      Param{"instalments_half_yearly", 2, "count", "5.2"},
		Monthly:         Param{"instalments_monthly", 12, "count", "5.2"},
	},
}

// ErrNoParams is returned for a terms version this package has no numbers for.
var ErrNoParams = errors.New("policies: no policy parameters for these terms")

// ParamsOn returns the parameters of the insurance terms in force in Sweden
// on day. A day before the first version is a stated error
// (no_terms_in_force), never a guess.
func ParamsOn(day roadcover.Date) (*Params, error) {
	v, err := terms.Select(terms.Insurance, "SE", day)
	if err != nil {
		return nil, err
	}
	return paramsOf(v)
}

func paramsOf(v *terms.Version) (*Params, error) {
	p, ok := own[v.ID]
	if !ok {
		return nil, fmt.Errorf("%s: %w", v.ID, ErrNoParams)
	}
	p.TermsID = v.ID
	for _, x := range []struct {
		dst  *Param
		name string
	}{{&p.WarrantyYears, "warranty_years"}, {&p.AutoCollisionDeductible, "auto_collision_deductible"}} {
		tp, ok := v.Param(x.name)
		if !ok {
			return nil, fmt.Errorf("%s has no parameter %s: %w", v.ID, x.name, ErrNoParams)
		}
		*x.dst = Param{Name: tp.Name, Value: tp.Value, Unit: tp.Unit, Clause: tp.Clause}
	}
	return &p, nil
}

// All lists the parameters in a fixed order.
func (p *Params) All() []Param {
	return []Param{p.PeriodYears, p.PaperInvoiceFee, p.Yearly, p.HalfYearly, p.Monthly, p.WarrantyYears, p.AutoCollisionDeductible}
}

// instalments is the number of invoices a year of a plan.
func (p *Params) instalments(pl Plan) int {
	switch pl {
	case HalfYearly:
		return int(p.HalfYearly.Value)
	case Monthly:
		return int(p.Monthly.Value)
	}
	return int(p.Yearly.Value)
}
