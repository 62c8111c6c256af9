package reimbursement

import (
	"bytes"
	"encoding/json"
	"fmt"

	"roadcover"
	"roadcover/assistance"
)

// Decided is what a check reads of the case's decision: the terms version,
// the language, whether the case is covered and why not, the country where
// the car is, and the entitlements in full. It comes from the decision
// itself (FromDecision) or from the decision's stored JSON
// (DecidedFromJSON): a stored decision is the truth and is never decided
// again to check a receipt.
type Decided struct {
	TermsID  string
	Language roadcover.Language
	Covered  bool
	Refusals []assistance.Outcome
	// Country is the country where the car is ("" when not known).
	Country      string
	Entitlements []assistance.EntitlementDetail
}

// FromDecision takes what a check reads from a decision.
func FromDecision(d *assistance.Decision) Decided {
	return Decided{TermsID: d.Terms.ID, Language: d.Language, Covered: d.Covered, Refusals: d.Refusals,
		Country: d.Place.Country, Entitlements: d.Details()}
}

// find returns the entitlement with the code.
func (d *Decided) find(code string) (assistance.EntitlementDetail, bool) {
	for i := range d.Entitlements {
		if d.Entitlements[i].Code == code {
			return d.Entitlements[i], true
		}
	}
	return assistance.EntitlementDetail{}, false
}

// The parts of the decision's JSON (spec/assistance.md, "Output") a check reads.
type decisionJSON struct {
	Terms struct {
		ID string `json:"id"`
	} `json:"terms"`
	Language     roadcover.Language `json:"language"`
	Covered      *bool              `json:"covered"`
	RefusalsJSON []struct {
		Code   string `json:"code"`
		Clause string `json:"clause"`
		Text   string `json:"text"`
	} `json:"refusals"`
	Entitlements []struct {
		Code        string     `json:"code"`
		Clause      string     `json:"clause"`
		ChooseOne   string     `json:"choose_one"`
		Destination string     `json:"destination"`
		Limit       *limitDoc  `json:"limit"`
		Total       *moneyJSON `json:"total_limit"`
		Persons     int        `json:"persons"`
		MaxNights   int        `json:"max_nights"`
		MaxDays     int        `json:"max_days"`
		DayKind     string     `json:"day_kind"`
		Until       string     `json:"until"`
		AppliesTo   []string   `json:"applies_to"`
		Includes    *bool      `json:"includes_local_rental"`
		Local       *localJSON `json:"local_equivalent"`
		Text        string     `json:"text"`
	} `json:"entitlements"`
	Place struct {
		Country string `json:"country"`
	} `json:"place"`
}

type limitDoc struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Per      string `json:"per"`
}

// DecidedFromJSON reads a stored decision document (the JSON of
// assistance.Decision) for a check. Fields it does not need are ignored.
func DecidedFromJSON(data []byte) (Decided, error) {
	var j decisionJSON
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&j); err != nil {
		return Decided{}, fmt.Errorf("reimbursement: stored decision: %w", err)
	}
	if j.Terms.ID == "" || j.Covered == nil {
		return Decided{}, fmt.Errorf("reimbursement: stored decision: no terms.id or covered")
	}
	d := Decided{TermsID: j.Terms.ID, Language: j.Language, Covered: *j.Covered, Country: j.Place.Country}
	for _, r := range j.RefusalsJSON {
		d.Refusals = append(d.Refusals, assistance.Outcome{Code: r.Code, Clause: r.Clause, Text: r.Text})
	}
	var p lineReader
	for _, e := range j.Entitlements {
		x := assistance.EntitlementDetail{Code: e.Code, Clause: e.Clause, ChooseOne: e.ChooseOne, Destination: e.Destination,
			Persons: e.Persons, MaxNights: e.MaxNights, MaxDays: e.MaxDays, DayKind: e.DayKind, Until: p.date(e.Until),
			AppliesTo: e.AppliesTo, IncludesLocalRental: e.Includes, Text: e.Text}
		if e.Limit != nil {
			x.Limit = roadcover.Money{Minor: p.minor(e.Limit.Amount), Currency: e.Limit.Currency}
			x.Per = e.Limit.Per
		}
		x.Total = p.money(e.Total)
		if l := e.Local; l != nil {
			le := &assistance.LocalEquivalent{Currency: l.Currency, Known: l.Known, Published: p.date(l.Published)}
			if l.Known {
				le.Amount = p.minor(l.Amount)
				if l.Total != "" {
					le.Total = p.minor(l.Total)
				}
				if l.Rate != nil {
					le.Rate = *l.Rate
				}
			}
			x.Local = le
		}
		d.Entitlements = append(d.Entitlements, x)
	}
	if p.err != nil {
		return Decided{}, fmt.Errorf("reimbursement: stored decision: %w", p.err)
	}
	return d, nil
}
