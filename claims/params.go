package claims

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

// Params are the numbers of the claim rules for one terms version: those
// the terms data holds (5.4's ten years) are read from it, the others are
// this package's table, each tagged with its clause.
type Params struct {
	TermsID string
	// 5.4: ten years from the loss; six months after the final decision.
	TimeBarYears, ActionMonths Param
	// 5.9: twelve months from the decision to turn to the customer
	// ombudsman.
	ComplaintMonths Param
	// 4.10: the policyholder bears 1 500 kr of the valuer's fee unless the
	// valuer finds a higher value; one valuation is paid.
	ValuerFeeShare, PaidValuations Param
	// 5.3: VAT paid with traffic compensation is recovered; Swedish VAT of
	// 25 % is a fifth of an amount that includes it.
	TrafficVATPercent Param
	// 5.7: the insurer, named in the claims register (5.5).
	InsurerOrgNumber string
}

var own = map[string]Params{
	"insurance-se-2021-10": {
		ActionMonths:      Param{"action_months_after_decision", 6, "months", "5.4"},
		ComplaintMonths:   Param{"complaint_months", 12, "months", "5.9"},
		ValuerFeeShare:    Param{"valuer_fee_policyholder_share", 150000, "minor:SEK", "4.10"},
		PaidValuations:    Param{"paid_valuations", 1, "count", "4.10"},
		TrafficVATPercent: Param{"traffic_vat_percent", 25, "percent", "5.3"},
		InsurerOrgNumber:  "516401-8102",
	},
}

// ErrNoParams is returned for a terms version this package has no numbers for.
var ErrNoParams = errors.New("claims: no claim parameters for these terms")

// ParamsOn returns the parameters of the insurance terms in force in Sweden
// on day; before the first version, a stated error (no_terms_in_force).
func ParamsOn(day roadcover.Date) (*Params, error) {
	v, err := terms.Select(terms.Insurance, "SE", day)
	if err != nil {
		return nil, err
	}
	p, ok := own[v.ID]
	if !ok {
		return nil, fmt.Errorf("%s: %w", v.ID, ErrNoParams)
	}
	p.TermsID = v.ID
	tp, ok := v.Param("time_bar_years")
	if !ok {
		return nil, fmt.Errorf("%s has no parameter time_bar_years: %w", v.ID, ErrNoParams)
	}
	p.TimeBarYears = Param{tp.Name, tp.Value, tp.Unit, tp.Clause}
	return &p, nil
}

// All lists the parameters in a fixed order.
func (p *Params) All() []Param {
	return []Param{p.TimeBarYears, p.ActionMonths, p.ComplaintMonths, p.ValuerFeeShare, p.PaidValuations, p.TrafficVATPercent}
}
