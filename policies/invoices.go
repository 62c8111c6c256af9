package policies

import (
	"fmt"

	"roadcover"
)

// Invoice is one premium invoice of an insurance period (5.2).
type Invoice struct {
	PolicyID string
	Number   int // 1.. within the period
	From     roadcover.Date
	Until    roadcover.Date
	Due      roadcover.Date // the first day of what it pays for
	Plan     Plan
	Channel  InvoiceChannel
	Version  int // the version in force on From, whose premium and channel it uses
	Premium  roadcover.Money
	Fee      roadcover.Money // 29 kr for a paper invoice (5.2)
	Total    roadcover.Money
	Notes    []Note
}

// Invoicing is the invoices of one insurance period and their total.
type Invoicing struct {
	Period   Period
	Invoices []Invoice
	Total    roadcover.Money
}

// Invoices implements 5.2 for the insurance period that begins on from:
// yearly, half-yearly or monthly instalments on the grid of the plan in
// force on the period's first day. Each instalment is its share of the
// premium of the version in force on its own first day (the öre left over
// go to the first instalments), due on that day; a paper invoice costs 29 kr
// more. Instalments after a cancellation are not invoiced.
func (p *Policy) Invoices(from roadcover.Date) (*Invoicing, error) {
	v0, err := p.VersionOn(from)
	if err != nil {
		return nil, err
	}
	per := v0.Period
	if per.From != from {
		return nil, fmt.Errorf("policies: no insurance period of %s begins on %s (the period in force began on %s)", p.ID, from, per.From)
	}
	prm, err := ParamsOn(per.From)
	if err != nil {
		return nil, err
	}
	n := prm.instalments(v0.Letter.Payment.Plan)
	step := 12 / n
	var starts []roadcover.Date
	for k := 0; k < n; k++ {
		s := addMonths(per.From, k*step)
		if !s.Before(per.Due) {
			break
		}
		starts = append(starts, s)
	}
	out := &Invoicing{Period: per, Total: roadcover.Money{Currency: "SEK"}}
	for k, s := range starts {
		v, err := p.VersionOn(s)
		if err != nil {
			break // ended
		}
		until := per.Until
		if k+1 < len(starts) {
			until = starts[k+1].AddDays(-1)
		}
		count := int64(len(starts))
		share := v.Letter.Premium.Minor / count
		if int64(k) < v.Letter.Premium.Minor%count {
			share++
		}
		inv := Invoice{
			PolicyID: p.ID, Number: k + 1, From: s, Until: until, Due: s, Plan: v0.Letter.Payment.Plan,
			Channel: v.Letter.Payment.Channel, Version: v.Number,
			Premium: roadcover.Money{Minor: share, Currency: "SEK"}, Fee: roadcover.Money{Currency: "SEK"},
		}
		if inv.Channel == Paper {
			inv.Fee.Minor = prm.PaperInvoiceFee.Value
		}
		inv.Notes = []Note{invoiceNote(inv.Channel)}
		total, err := inv.Premium.Add(inv.Fee)
		if err != nil {
			return nil, err
		}
		inv.Total = total
		if out.Total, err = out.Total.Add(total); err != nil {
			return nil, err
		}
		out.Invoices = append(out.Invoices, inv)
	}
	return out, nil
}
