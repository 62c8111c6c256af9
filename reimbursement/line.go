package reimbursement

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"roadcover"
)

// Status is how a checked receipt ends.
type Status string

// The three ends of a line.
const (
	Approved Status = "approved" // paid as claimed
	Cut      Status = "cut"      // paid in part
	Refused  Status = "refused"  // not paid
)

// Line is one checked receipt: how it ends, the amount paid in the limit's
// currency, the clause and reason, and every step that led there. A line
// is stored as it is; Earlier lines of a case feed the check of the next.
type Line struct {
	Receipt  string
	Category string
	// Terms is the terms version of the decision the receipt was checked
	// against; Entitlement the decision's entitlement code ("" when there
	// is none, e.g. for fuel).
	Terms       string
	Entitlement string
	Clause      string
	Status      Status
	// Amount is what is paid, in the limit's currency (the terms' currency
	// when the entitlement has no amount limit).
	Amount roadcover.Money
	// Claimed is the receipt's amount as on the receipt; Converted the same
	// in the limit's currency (Currency "" when no rate was known).
	Claimed   roadcover.Money
	Converted roadcover.Money
	// Reason is the code of the step that decided the line; Text says it in
	// Language.
	Reason   string
	Text     string
	Language roadcover.Language
	Steps    []Step
	// Conversion, VAT, Limit and Rental are set when they applied.
	Conversion *Conversion
	VAT        *VATUse
	Limit      *LimitUse
	Rental     *RentalUse
	// Uses is what the line consumes of the case's limits.
	Uses Uses
	// Requires names what is missing before a refused line can be checked
	// again: "rate:SEK:2026-07-03", "vat_amount", "calendar:TR",
	// "choice:further_assistance".
	Requires []string
	// Readings are the ids of the readings of this package the line relied on.
	Readings []string
	Review   *ReviewNote
}

// Step is one refusal or reduction, in the order applied.
type Step struct {
	Code   string
	Clause string
	// Amount is the amount left after the step (zero for a refusal).
	Amount roadcover.Money
	// Value is the limit or the VAT the step applied, when any.
	Value roadcover.Money
	// N, Of and Max are the counts the step compared (persons, nights,
	// days); Day a day it names; What a code, country or currency it names;
	// RateBP a VAT rate in basis points.
	N, Of, Max int
	Day        roadcover.Date
	What       string
	RateBP     int64
	Text       string
}

// Conversion says how a receipt in another currency than the limit's was
// converted: at the ECB euro reference rate of the receipt's day (or of the
// last day published before it), through EUR when neither side is EUR.
type Conversion struct {
	From, To string
	Rates    []RateUse
}

// RateUse is one euro reference rate used.
type RateUse struct {
	Currency string
	Rate     string // as published: units of Currency per 1 EUR
	// Day is the receipt's day; Published the day the rate was published
	// (the same day, or the last publication before it).
	Day, Published roadcover.Date
}

// VATUse is the VAT taken out for a customer who declares VAT.
type VATUse struct {
	// Amount is the VAT in the receipt's currency; InLimit in the limit's.
	Amount  roadcover.Money
	InLimit roadcover.Money
	// Source is "receipt" (the amount shown on it) or "standard_rate".
	Source string
	// Country, RateBP and RateFrom name the standard rate used, and Table
	// the day the table of rates was checked.
	Country  string
	RateBP   int64
	RateFrom roadcover.Date
	Table    string
}

// LimitUse is the limit of the entitlement and how much of it earlier
// receipts of the case had used.
type LimitUse struct {
	Amount     roadcover.Money
	Per        string // "person", "person_night", "case"
	Total      roadcover.Money
	UsedBefore roadcover.Money
	// Local is the decision's local-currency equivalent of the limit.
	Local *LocalLimit
}

// LocalLimit is a EUR limit in the local currency, as the decision gives it.
type LocalLimit struct {
	Currency  string
	Known     bool
	Amount    int64 // minor units of Currency
	Total     int64
	Rate      float64
	Published roadcover.Date
}

// RentalUse says how rental days were counted.
type RentalUse struct {
	DayKind string // "working" or "calendar"
	MaxDays int
	// Until is the last day covered; UntilFrom "decision" when the decision
	// gave it, "calendar" when it was counted here.
	Until     roadcover.Date
	UntilFrom string
	Country   string
	// WorkingDays counts the working days among the days paid, when the
	// calendar of Country is known.
	WorkingDays      int
	WorkingDaysKnown bool
}

// Uses is what a line consumed.
type Uses struct {
	Persons int
	Nights  []Night
	Days    []roadcover.Date
}

// Night is one hotel night paid and for how many persons.
type Night struct {
	Date    roadcover.Date
	Persons int
}

// ReviewNote records an operator's review of the line.
type ReviewNote struct {
	Action string // approve, cut, refuse
	Reason string
	Note   string
	By     string
	At     time.Time
	// The line's status and amount before the review.
	Before       Status
	BeforeAmount roadcover.Money
}

// In renders the line's texts again in l from its codes and values.
func (l Line) In(lang roadcover.Language) Line {
	if _, ok := roadcover.ParseLanguage(string(lang)); !ok {
		return l
	}
	l.Language = lang
	steps := make([]Step, len(l.Steps))
	copy(steps, l.Steps)
	for i := range steps {
		steps[i].Text = render(steps[i].Code, &steps[i], lang)
	}
	l.Steps = steps
	l.Text = l.reasonText(lang)
	return l
}

// reasonText is the text of the line's reason: the last step with that code,
// or the reason's own text.
func (l *Line) reasonText(lang roadcover.Language) string {
	for i := len(l.Steps) - 1; i >= 0; i-- {
		if l.Steps[i].Code == l.Reason {
			return render(l.Reason, &l.Steps[i], lang)
		}
	}
	return render(l.Reason, &Step{}, lang)
}

// The JSON of a line. Amounts are {"amount": "12.50", "currency": "EUR"}.
type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

type stepJSON struct {
	Code        string     `json:"code"`
	Clause      string     `json:"clause"`
	Amount      *moneyJSON `json:"amount,omitempty"`
	Value       *moneyJSON `json:"value,omitempty"`
	N           *int       `json:"n,omitempty"`
	Of          int        `json:"of,omitempty"`
	Max         int        `json:"max,omitempty"`
	Day         string     `json:"day,omitempty"`
	What        string     `json:"what,omitempty"`
	RatePercent string     `json:"rate_percent,omitempty"`
	Text        string     `json:"text"`
}

type rateJSON struct {
	Currency  string `json:"currency"`
	Rate      string `json:"rate"`
	Day       string `json:"day"`
	Published string `json:"published"`
}

type conversionJSON struct {
	From  string     `json:"from"`
	To    string     `json:"to"`
	Rates []rateJSON `json:"rates"`
}

type vatJSON struct {
	Amount      moneyJSON  `json:"amount"`
	InLimit     *moneyJSON `json:"in_limit_currency,omitempty"`
	Source      string     `json:"source"`
	Country     string     `json:"country,omitempty"`
	RatePercent string     `json:"rate_percent,omitempty"`
	RateFrom    string     `json:"rate_from,omitempty"`
	Table       string     `json:"table_checked,omitempty"`
}

type localJSON struct {
	Currency  string   `json:"currency"`
	Known     bool     `json:"rate_known"`
	Amount    string   `json:"amount,omitempty"`
	Total     string   `json:"total_amount,omitempty"`
	Rate      *float64 `json:"rate,omitempty"`
	Published string   `json:"rate_published,omitempty"`
}

type limitJSON struct {
	Amount     *moneyJSON `json:"amount,omitempty"`
	Per        string     `json:"per,omitempty"`
	Total      *moneyJSON `json:"total,omitempty"`
	UsedBefore moneyJSON  `json:"used_before"`
	Local      *localJSON `json:"local_equivalent,omitempty"`
}

type rentalJSON struct {
	DayKind     string `json:"day_kind"`
	MaxDays     int    `json:"max_days"`
	Until       string `json:"until,omitempty"`
	UntilFrom   string `json:"until_from,omitempty"`
	Country     string `json:"country,omitempty"`
	WorkingDays *int   `json:"working_days,omitempty"`
}

type nightJSON struct {
	Date    string `json:"date"`
	Persons int    `json:"persons"`
}

type usesJSON struct {
	Persons int         `json:"persons,omitempty"`
	Nights  []nightJSON `json:"nights,omitempty"`
	Days    []string    `json:"days,omitempty"`
}

type reviewJSON struct {
	Action       string    `json:"action"`
	Reason       string    `json:"reason"`
	Note         string    `json:"note,omitempty"`
	By           string    `json:"by,omitempty"`
	At           time.Time `json:"at"`
	Before       Status    `json:"before"`
	BeforeAmount moneyJSON `json:"before_amount"`
}

type lineJSON struct {
	Receipt     string             `json:"receipt"`
	Category    string             `json:"category"`
	Terms       string             `json:"terms"`
	Entitlement string             `json:"entitlement,omitempty"`
	Clause      string             `json:"clause"`
	Status      Status             `json:"status"`
	Amount      moneyJSON          `json:"amount"`
	Claimed     moneyJSON          `json:"claimed"`
	Converted   *moneyJSON         `json:"claimed_in_limit_currency,omitempty"`
	Reason      string             `json:"reason"`
	Text        string             `json:"text"`
	Language    roadcover.Language `json:"language"`
	Steps       []stepJSON         `json:"steps"`
	Conversion  *conversionJSON    `json:"conversion,omitempty"`
	VAT         *vatJSON           `json:"vat,omitempty"`
	Limit       *limitJSON         `json:"limit,omitempty"`
	Rental      *rentalJSON        `json:"rental,omitempty"`
	Uses        *usesJSON          `json:"uses,omitempty"`
	Requires    []string           `json:"requires,omitempty"`
	Readings    []string           `json:"readings,omitempty"`
	Review      *reviewJSON        `json:"review,omitempty"`
}

func money(m roadcover.Money) moneyJSON {
	return moneyJSON{Amount: m.Amount(), Currency: m.Currency}
}

func optMoney(m roadcover.Money) *moneyJSON {
	if m.Currency == "" {
		return nil
	}
	j := money(m)
	return &j
}

func optDate(d roadcover.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func percent(bp int64) string {
	if bp == 0 {
		return ""
	}
	return formatPercent(bp, roadcover.English)
}

// MarshalJSON writes the line.
func (l Line) MarshalJSON() ([]byte, error) { return json.Marshal(l.toJSON()) }

// AppendJSON appends the line's JSON to b.
func (l *Line) AppendJSON(b []byte) []byte {
	out, _ := json.Marshal(l.toJSON())
	return append(b, out...)
}

func (l *Line) toJSON() *lineJSON {
	j := &lineJSON{Receipt: l.Receipt, Category: l.Category, Terms: l.Terms, Entitlement: l.Entitlement,
		Clause: l.Clause, Status: l.Status, Amount: money(l.Amount), Claimed: money(l.Claimed),
		Converted: optMoney(l.Converted), Reason: l.Reason, Text: l.Text, Language: l.Language,
		Steps: make([]stepJSON, len(l.Steps)), Requires: l.Requires, Readings: l.Readings}
	for i, s := range l.Steps {
		j.Steps[i] = stepJSON{Code: s.Code, Clause: s.Clause, Amount: optMoney(s.Amount), Value: optMoney(s.Value),
			Of: s.Of, Max: s.Max, Day: optDate(s.Day), What: s.What, RatePercent: percent(s.RateBP), Text: s.Text}
		if s.N != 0 || s.Of != 0 {
			n := s.N
			j.Steps[i].N = &n
		}
	}
	if c := l.Conversion; c != nil {
		cj := &conversionJSON{From: c.From, To: c.To, Rates: make([]rateJSON, len(c.Rates))}
		for i, r := range c.Rates {
			cj.Rates[i] = rateJSON{Currency: r.Currency, Rate: r.Rate, Day: r.Day.String(), Published: r.Published.String()}
		}
		j.Conversion = cj
	}
	if v := l.VAT; v != nil {
		j.VAT = &vatJSON{Amount: money(v.Amount), InLimit: optMoney(v.InLimit), Source: v.Source, Country: v.Country,
			RatePercent: percent(v.RateBP), RateFrom: optDate(v.RateFrom), Table: v.Table}
		if v.Source == vatStandard && v.RateBP == 0 {
			j.VAT.RatePercent = "0"
		}
	}
	if lm := l.Limit; lm != nil {
		lj := &limitJSON{Amount: optMoney(lm.Amount), Per: lm.Per, Total: optMoney(lm.Total), UsedBefore: money(lm.UsedBefore)}
		if lc := lm.Local; lc != nil {
			lj.Local = &localJSON{Currency: lc.Currency, Known: lc.Known}
			if lc.Known {
				lj.Local.Amount = roadcover.FormatMinor(lc.Amount)
				if lm.Total.Currency != "" {
					lj.Local.Total = roadcover.FormatMinor(lc.Total)
				}
				rate := lc.Rate
				lj.Local.Rate = &rate
				lj.Local.Published = optDate(lc.Published)
			}
		}
		j.Limit = lj
	}
	if r := l.Rental; r != nil {
		rj := &rentalJSON{DayKind: r.DayKind, MaxDays: r.MaxDays, Until: optDate(r.Until), UntilFrom: r.UntilFrom, Country: r.Country}
		if r.WorkingDaysKnown {
			n := r.WorkingDays
			rj.WorkingDays = &n
		}
		j.Rental = rj
	}
	if u := l.Uses; u.Persons > 0 || len(u.Nights) > 0 || len(u.Days) > 0 {
		uj := &usesJSON{Persons: u.Persons}
		for _, n := range u.Nights {
			uj.Nights = append(uj.Nights, nightJSON{Date: n.Date.String(), Persons: n.Persons})
		}
		for _, d := range u.Days {
			uj.Days = append(uj.Days, d.String())
		}
		j.Uses = uj
	}
	if r := l.Review; r != nil {
		j.Review = &reviewJSON{Action: r.Action, Reason: r.Reason, Note: r.Note, By: r.By, At: r.At,
			Before: r.Before, BeforeAmount: money(r.BeforeAmount)}
	}
	return j
}

// DecodeLine reads a line as MarshalJSON wrote it (a stored line, to feed
// the check of the next receipt of the case).
func DecodeLine(data []byte) (Line, error) {
	var j lineJSON
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&j); err != nil {
		return Line{}, fmt.Errorf("reimbursement: stored line: %w", err)
	}
	var p lineReader
	l := Line{Receipt: j.Receipt, Category: j.Category, Terms: j.Terms, Entitlement: j.Entitlement, Clause: j.Clause,
		Status: j.Status, Amount: p.money(&j.Amount), Claimed: p.money(&j.Claimed), Converted: p.money(j.Converted),
		Reason: j.Reason, Text: j.Text, Language: j.Language, Requires: j.Requires, Readings: j.Readings}
	if len(j.Steps) > 0 {
		l.Steps = make([]Step, len(j.Steps))
	}
	for i, s := range j.Steps {
		l.Steps[i] = Step{Code: s.Code, Clause: s.Clause, Amount: p.money(s.Amount), Value: p.money(s.Value),
			Of: s.Of, Max: s.Max, Day: p.date(s.Day), What: s.What, RateBP: p.percent(s.RatePercent), Text: s.Text}
		if s.N != nil {
			l.Steps[i].N = *s.N
		}
	}
	if c := j.Conversion; c != nil {
		l.Conversion = &Conversion{From: c.From, To: c.To}
		for _, r := range c.Rates {
			l.Conversion.Rates = append(l.Conversion.Rates, RateUse{Currency: r.Currency, Rate: r.Rate,
				Day: p.date(r.Day), Published: p.date(r.Published)})
		}
	}
	if v := j.VAT; v != nil {
		l.VAT = &VATUse{Amount: p.money(&v.Amount), InLimit: p.money(v.InLimit), Source: v.Source, Country: v.Country,
			RateBP: p.percent(v.RatePercent), RateFrom: p.date(v.RateFrom), Table: v.Table}
	}
	if lm := j.Limit; lm != nil {
		l.Limit = &LimitUse{Amount: p.money(lm.Amount), Per: lm.Per, Total: p.money(lm.Total), UsedBefore: p.money(&lm.UsedBefore)}
		if lc := lm.Local; lc != nil {
			ll := &LocalLimit{Currency: lc.Currency, Known: lc.Known, Published: p.date(lc.Published)}
			if lc.Known {
				ll.Amount = p.minor(lc.Amount)
				if lc.Total != "" {
					ll.Total = p.minor(lc.Total)
				}
				if lc.Rate != nil {
					ll.Rate = *lc.Rate
				}
			}
			l.Limit.Local = ll
		}
	}
	if r := j.Rental; r != nil {
		l.Rental = &RentalUse{DayKind: r.DayKind, MaxDays: r.MaxDays, Until: p.date(r.Until), UntilFrom: r.UntilFrom, Country: r.Country}
		if r.WorkingDays != nil {
			l.Rental.WorkingDays, l.Rental.WorkingDaysKnown = *r.WorkingDays, true
		}
	}
	if u := j.Uses; u != nil {
		l.Uses.Persons = u.Persons
		for _, n := range u.Nights {
			l.Uses.Nights = append(l.Uses.Nights, Night{Date: p.date(n.Date), Persons: n.Persons})
		}
		for _, d := range u.Days {
			l.Uses.Days = append(l.Uses.Days, p.date(d))
		}
	}
	if r := j.Review; r != nil {
		l.Review = &ReviewNote{Action: r.Action, Reason: r.Reason, Note: r.Note, By: r.By, At: r.At,
			Before: r.Before, BeforeAmount: p.money(&r.BeforeAmount)}
	}
	if p.err != nil {
		return Line{}, fmt.Errorf("reimbursement: stored line: %w", p.err)
	}
	return l, nil
}

// lineReader reads the values of a stored line, keeping the first error.
type lineReader struct{ err error }

func (p *lineReader) money(m *moneyJSON) roadcover.Money {
	if m == nil {
		return roadcover.Money{}
	}
	return roadcover.Money{Minor: p.minor(m.Amount), Currency: m.Currency}
}

func (p *lineReader) minor(s string) int64 {
	v, err := roadcover.ParseMinor(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return v
}

func (p *lineReader) date(s string) roadcover.Date {
	if s == "" {
		return roadcover.Date{}
	}
	d, err := roadcover.ParseDate(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return d
}

// percent reads "25" or "25.5" into basis points.
func (p *lineReader) percent(s string) int64 {
	if s == "" {
		return 0
	}
	v, err := roadcover.ParseMinor(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return v
}
