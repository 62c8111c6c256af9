package reimbursement

import (
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/terms"
)

// Rates gives the ECB euro reference rate of a currency on a day (or of the
// last day published before it); *fx.Rates is one.
type Rates interface {
	Quote(currency string, day roadcover.Date) (roadcover.RateQuote, error)
}

// Workdays answers working-day questions per country; *calendar.Calendar
// is one.
type Workdays interface {
	AddWorkdays(country string, from roadcover.Date, n int) (roadcover.Date, bool)
	IsWorkday(country string, day roadcover.Date) (work, ok bool)
}

// Env holds the data a check may consult. Either may be nil: a line that
// needs it then says so (Requires) instead of guessing.
type Env struct {
	Rates    Rates
	Workdays Workdays
}

// Facts are what a receipt is checked against: the case and its stored
// decision, the customer's recorded choices, the lines of the receipts of
// the case checked before, and the day of the check.
type Facts struct {
	// Case is the case as decided (the customer's VAT position, the place,
	// the day of the event); Decision what the check reads of its stored
	// decision (FromDecision, DecidedFromJSON).
	Case     assistance.Case
	Decision Decided
	// Choices maps a choose-one group ("further_assistance", "collection",
	// "repatriation_alternative") to the entitlement code the customer chose.
	Choices map[string]string
	// Earlier are the lines of the case's other receipts, as they stand
	// (reviewed or not). Only approved and cut lines use up limits; a line of
	// the receipt being checked is ignored.
	Earlier []Line
	// Today is the day of the check: a receipt may not be dated later.
	Today roadcover.Date
	// ClosedOn is the day the case was closed, when it was: a receipt dated
	// later is refused.
	ClosedOn roadcover.Date
	// Language of the texts; "" means the decision's.
	Language roadcover.Language
}

// check is the working state of one receipt's check.
type check struct {
	r     *Receipt
	f     *Facts
	env   Env
	v     *terms.Version
	lang  roadcover.Language
	event roadcover.Date
	cur   string // the limit's currency
	place string // the country where the car is

	ent    assistance.EntitlementDetail
	hasEnt bool

	net  roadcover.Money // what is left to pay, in cur
	l    Line
	stop bool // a refusal applies
	// refusal is the index of the first refusal step.
	refusal int
	err     error
}

// Check checks one receipt against the case's decision and the lines of the
// receipts checked before it. The answer is a line (approved, cut or
// refused); an error means the receipt or the facts are not valid input
// (*roadcover.InputError naming every bad field: a receipt dated before the
// event or after today, a category the product does not know, …).
func Check(r Receipt, f *Facts, env Env) (Line, error) {
	c := check{r: &r, f: f, env: env}
	if err := c.validate(); err != nil {
		return Line{}, err
	}
	c.l = Line{Receipt: r.ID, Category: r.Category, Terms: c.v.ID, Claimed: r.Amount, Language: c.lang,
		Amount: roadcover.Money{Currency: c.cur}}
	c.refusals()
	if c.stop {
		c.claimed()
	} else if c.payable() {
		switch r.Category {
		case OnwardTravel:
			c.onwardTravel()
		case Taxi:
			c.taxiTransfer()
		case Collection:
			c.collection()
		case Hotel:
			c.hotel()
		case RentalCar:
			c.rental()
		case LocalRental:
			if c.ent.Code == entAllowance {
				c.allowance()
			} else {
				c.rental()
			}
		case ExpensesAbroad:
			c.allowance()
		}
	}
	if err := c.finish(); err != nil {
		return Line{}, err
	}
	return c.l, nil
}

// validate checks the facts and the receipt as input and resolves the
// terms, the language, the day of the event and the limit's currency.
func (c *check) validate() error {
	errs := &roadcover.InputError{}
	f, r := c.f, c.r
	if f == nil {
		errs.Add("facts", "", "required")
		return errs.Err()
	}
	v, ok := terms.ByID(f.Decision.TermsID)
	if !ok {
		errs.Add("decision.terms.id", "", fmt.Sprintf("unknown terms version %q", f.Decision.TermsID))
	}
	c.v = v
	switch {
	case !f.Case.Occurred.IsZero():
		c.event = roadcover.DateOf(f.Case.Occurred)
	default:
		t, err := time.Parse(time.RFC3339, f.Case.OccurredAt)
		if err != nil {
			errs.Add("case.occurred_at", "", "the day of the event is needed to check a receipt")
		}
		c.event = roadcover.DateOf(t)
	}
	if f.Today.IsZero() {
		errs.Add("today", "", "the day of the check is required")
	}
	c.lang = f.Language
	if _, ok := roadcover.ParseLanguage(string(c.lang)); !ok {
		c.lang = f.Decision.Language
		if _, ok := roadcover.ParseLanguage(string(c.lang)); !ok && v != nil {
			c.lang = v.Language
		}
	}
	c.place = f.Decision.Country
	if c.place == "" {
		c.place = f.Case.Place.Country
	}
	if c.place == "" {
		c.place = f.Case.Home.Country // no location: decided as domestic
	}

	if !oneOf(r.Category, Categories) {
		errs.Add("category", "", fmt.Sprintf("unknown category %q", r.Category))
	}
	if maxUnits[r.Amount.Currency] == 0 {
		errs.Add("currency", "", fmt.Sprintf("%q is not a currency a receipt may be in", r.Amount.Currency))
	} else if r.Amount.Minor <= 0 || r.Amount.Minor > maxUnits[r.Amount.Currency]*100 {
		errs.Add("amount", "", "must be more than zero and a plausible amount")
	}
	if r.VAT != nil && (r.VAT.Currency != r.Amount.Currency || r.VAT.Minor < 0 || r.VAT.Minor >= r.Amount.Minor) {
		errs.Add("vat_amount", "", "must be in the receipt's currency and less than its amount")
	}
	if r.Persons < 1 || r.Persons > MaxPersons {
		errs.Add("persons", "", fmt.Sprintf("must be from 1 to %d", MaxPersons))
	}
	if r.Country != "" && !isCountryCode(r.Country) {
		errs.Add("country", "", fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 code", r.Country))
	}
	switch r.Category {
	case Hotel:
		if r.Nights < 1 || r.Nights > MaxNights {
			errs.Add("nights", "", fmt.Sprintf("must be from 1 to %d", MaxNights))
		}
	case RentalCar, LocalRental:
		if r.Days < 1 || r.Days > MaxDays {
			errs.Add("days", "", fmt.Sprintf("must be from 1 to %d", MaxDays))
		}
	case Collection:
		if !oneOf(r.Mode, collectionModes) {
			errs.Add("mode", "", "required for collection receipts: train, flight or taxi")
		}
	}
	if !c.event.IsZero() {
		c.dated(errs, "date", r.Date)
		if r.Category == Hotel || r.Category == RentalCar || r.Category == LocalRental {
			if r.ServiceFrom.IsZero() {
				errs.Add("service_from", "", "required: the first night or the first rental day")
			} else {
				c.dated(errs, "service_from", r.ServiceFrom)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	c.cur = v.Currency
	return nil
}

// dated refuses a day before the event (an input error: the receipt cannot
// belong to the case) or after today.
func (c *check) dated(errs *roadcover.InputError, field string, d roadcover.Date) {
	switch {
	case d.IsZero():
		errs.Add(field, "", "required: a date YYYY-MM-DD")
	case d.Before(c.event):
		errs.Add(field, "", fmt.Sprintf("%s is before the event on %s", d, c.event))
	case !c.f.Today.IsZero() && c.f.Today.Before(d):
		errs.Add(field, "", fmt.Sprintf("%s is after today (%s)", d, c.f.Today))
	}
}

// refusals implements the general part, the exclusions and 1.3's one
// option: it records every refusal that needs no amount, in order of
// weight: the case is not covered; help not arranged by assistance (general
// part, exclusions); what is never paid (fuel 1.3.3, repairs, parts and
// tyres: exclusions); a receipt after the case was closed; no entitlement
// for the category; an option of a choose-one group (1.3, 1.4, 1.5) that is
// not the one chosen.
func (c *check) refusals() {
	f, r := c.f, c.r
	d := &f.Decision
	if !d.Covered {
		clause, what := "general", ""
		for _, o := range d.Refusals {
			if o.Code != assistance.LocationUnverified {
				clause, what = o.Clause, o.Code
				break
			}
		}
		c.refuse(Step{Code: ReasonCaseNotCovered, Clause: clause, What: what})
	}
	if !r.ArrangedByAssistance {
		c.refuse(Step{Code: ReasonNotArranged, Clause: "exclusions"})
	}
	switch r.Category {
	case Fuel:
		c.refuse(Step{Code: ReasonFuel, Clause: "1.3.3"})
	case RepairAndParts:
		c.refuse(Step{Code: ReasonRepair, Clause: "exclusions"})
	case Tyres:
		c.refuse(Step{Code: ReasonTyres, Clause: "exclusions"})
	}
	if !f.ClosedOn.IsZero() && f.ClosedOn.Before(r.Date) {
		c.refuse(Step{Code: ReasonAfterClosed, Clause: "general", Day: f.ClosedOn})
	}
	c.l.Clause = categoryClause[r.Category]
	if !d.Covered {
		return
	}
	code := c.entitlementCode()
	if code == "" {
		return
	}
	if !c.find(code) {
		c.refuse(Step{Code: ReasonNotEntitled, Clause: categoryClause[r.Category], What: code})
		return
	}
	c.l.Entitlement, c.l.Clause = c.ent.Code, c.ent.Clause
	if g := c.ent.ChooseOne; g != "" {
		switch chosen := f.Choices[g]; {
		case chosen == "":
			c.rely(readingChoiceRequired)
			c.refuse(Step{Code: ReasonNoOptionChosen, Clause: choiceClause(c.ent.Clause), What: g})
			c.l.Requires = append(c.l.Requires, "choice:"+g)
		case chosen != c.ent.Code:
			c.refuse(Step{Code: ReasonOptionNotChosen, Clause: choiceClause(c.ent.Clause), What: chosen})
		}
	}
}

// choiceClause is the clause that says only one option may be taken: 1.3
// for the options of 1.3, the option's own clause otherwise (1.4, 1.5).
func choiceClause(clause string) string {
	if len(clause) > 3 && clause[:4] == "1.3." {
		return "1.3"
	}
	return clause
}

// entitlementCode is the decision's entitlement a receipt of the category
// is checked against; "" for what is never paid. A local rental car abroad
// is checked against the allowance when the customer chose the allowance.
func (c *check) entitlementCode() string {
	switch c.r.Category {
	case OnwardTravel:
		return entOnwardTravel
	case Hotel:
		return entHotel
	case RentalCar:
		return entRentalCar
	case Taxi:
		return entTaxiTransfer
	case Collection:
		switch c.r.Mode {
		case ModeTrain:
			return entCollectionTrain
		case ModeFlight:
			return entCollectionFlight
		default:
			return entCollectionTaxi
		}
	case ExpensesAbroad:
		return entAllowance
	case LocalRental:
		if c.f.Choices["repatriation_alternative"] == entAllowance {
			return entAllowance
		}
		return entLocalRentalCar
	}
	return ""
}

// find looks the entitlement up in the decision.
func (c *check) find(code string) bool {
	c.ent, c.hasEnt = c.f.Decision.find(code)
	return c.hasEnt
}

// refuse records a refusal.
func (c *check) refuse(s Step) {
	s.Amount = roadcover.Money{}
	if !c.stop {
		c.refusal = len(c.l.Steps)
	}
	c.l.Steps = append(c.l.Steps, s)
	c.stop = true
}

// reduce records a reduction to amount.
func (c *check) reduce(s Step, to roadcover.Money) {
	s.Amount = to
	c.l.Steps = append(c.l.Steps, s)
	c.net = to
}

// payable implements the exclusion of VAT for a customer who declares it
// (exclusions; GB "you or the car owner/lessor", reading vat_standard_rate
// when the receipt shows no VAT) and converts the receipt into the limit's
// currency. It is false (with a refusal and what is required) when a VAT
// rate or an exchange rate is not known.
func (c *check) payable() bool {
	r := c.r
	gross := r.Amount.Minor
	var vat int64
	var use *VATUse
	if reg := c.f.Case.Customer.VATRegistered; reg != nil && *reg {
		switch {
		case r.VAT != nil:
			vat = r.VAT.Minor
			use = &VATUse{Amount: *r.VAT, Source: vatReceipt}
		default:
			country := r.Country
			if country == "" {
				country = c.place
			}
			bp, from, ok := StandardVAT(country, r.Date)
			if !ok {
				c.refuse(Step{Code: ReasonVATRateUnknown, Clause: "exclusions", What: country})
				c.l.Requires = append(c.l.Requires, "vat_amount")
				return false
			}
			c.rely(readingVATStandardRate)
			vat = vatIn(gross, bp)
			use = &VATUse{Amount: roadcover.Money{Minor: vat, Currency: r.Amount.Currency}, Source: vatStandard,
				Country: country, RateBP: bp, RateFrom: from, Table: VATTableChecked}
		}
	}
	g, n, ok := c.convert(gross, gross-vat)
	if !ok {
		return false
	}
	c.l.Converted, c.net = g, g
	if use != nil {
		use.InLimit = roadcover.Money{Minor: g.Minor - n.Minor, Currency: c.cur}
		c.l.VAT = use
		if vat > 0 {
			code := ReasonVATRemoved
			if use.Source == vatStandard {
				code = ReasonVATRemovedStandard
			}
			c.reduce(Step{Code: code, Clause: "exclusions", Value: use.InLimit, What: use.Country, RateBP: use.RateBP}, n)
		}
	}
	return true
}

// VAT sources.
const (
	vatReceipt  = "receipt"
	vatStandard = "standard_rate"
)

// convert turns the gross and net amounts of the receipt into the limit's
// currency at the ECB reference rate of the receipt's day (through EUR when
// neither is EUR, reading cross_rate). A rate not known refuses the line and
// names the rate required; nothing is guessed.
func (c *check) convert(gross, net int64) (g, n roadcover.Money, ok bool) {
	from, to := c.r.Amount.Currency, c.cur
	if from == to {
		return roadcover.Money{Minor: gross, Currency: to}, roadcover.Money{Minor: net, Currency: to}, true
	}
	day := c.r.Date
	var quotes [2]roadcover.RateQuote
	nq := 0
	missing := false
	for _, cur := range [2]string{from, to} {
		if cur == "EUR" {
			continue
		}
		var q roadcover.RateQuote
		err := errNoRates
		if c.env.Rates != nil {
			q, err = c.env.Rates.Quote(cur, day)
		}
		if err != nil {
			missing = true
			c.refuse(Step{Code: ReasonRateUnknown, Clause: c.l.Clause, What: cur, Day: day})
			c.l.Requires = append(c.l.Requires, "rate:"+cur+":"+day.String())
			continue
		}
		quotes[nq] = q
		nq++
	}
	if missing {
		return g, n, false
	}
	conv := &Conversion{From: from, To: to, Rates: make([]RateUse, nq)}
	for i, q := range quotes[:nq] {
		conv.Rates[i] = RateUse{Currency: q.Currency, Rate: q.Text, Day: day, Published: q.Published}
	}
	if nq == 2 {
		c.rely(readingCrossRate)
	}
	c.l.Conversion = conv
	var err error
	if g, err = c.exchange(gross, quotes[:nq]); err == nil {
		n = g
		if net != gross {
			n, err = c.exchange(net, quotes[:nq])
		}
	}
	if err != nil {
		c.refuse(Step{Code: ReasonRateUnknown, Clause: c.l.Clause, What: from, Day: day})
		return g, n, false
	}
	return g, n, true
}

var errNoRates = errors.New("no rates")

// claimed converts the claimed amount into the limit's currency on a line
// refused before its amount was looked at, when the rates allow it without
// a refusal of their own, so that an operator can still cut the line to an
// amount by review.
func (c *check) claimed() {
	from, to, day := c.r.Amount.Currency, c.cur, c.r.Date
	var quotes []roadcover.RateQuote
	for _, cur := range [2]string{from, to} {
		if cur == "EUR" || from == to {
			continue
		}
		if c.env.Rates == nil {
			return
		}
		q, err := c.env.Rates.Quote(cur, day)
		if err != nil {
			return
		}
		quotes = append(quotes, q)
	}
	g, err := c.exchange(c.r.Amount.Minor, quotes)
	if err != nil {
		return
	}
	c.l.Converted = g
	if len(quotes) > 0 {
		c.l.Conversion = &Conversion{From: from, To: to}
		for _, q := range quotes {
			c.l.Conversion.Rates = append(c.l.Conversion.Rates, RateUse{Currency: q.Currency, Rate: q.Text, Day: day, Published: q.Published})
		}
	}
}

// exchange converts minor units of the receipt's currency with fx.Convert,
// once per rate (into EUR, then out of it).
func (c *check) exchange(minor int64, quotes []roadcover.RateQuote) (roadcover.Money, error) {
	m := roadcover.Money{Minor: minor, Currency: c.r.Amount.Currency}
	if m.Currency == c.cur {
		return m, nil
	}
	var err error
	if m.Currency != "EUR" {
		if m, err = roadcover.Convert(m, "EUR", quotes[0].Rate); err != nil {
			return m, err
		}
		quotes = quotes[1:]
	}
	if c.cur != "EUR" {
		m, err = roadcover.Convert(m, c.cur, quotes[0].Rate)
	}
	return m, err
}

// used sums what earlier lines paid on the entitlement code (in the limit's
// currency), leaving out the lines skip rejects.
func (c *check) used(code string, skip func(*Line) bool) (roadcover.Money, error) {
	sum := roadcover.Money{Currency: c.cur}
	for i := range c.f.Earlier {
		l := &c.f.Earlier[i]
		if !c.counts(l) || l.Entitlement != code || (skip != nil && skip(l)) {
			continue
		}
		var err error
		if sum, err = sum.Add(l.Amount); err != nil {
			return sum, fmt.Errorf("reimbursement: earlier line %s: %w", l.Receipt, err)
		}
	}
	return sum, nil
}

// counts reports whether an earlier line uses up limits: paid in whole or
// in part, and not a line of the receipt being checked.
func (c *check) counts(l *Line) bool {
	return (l.Status == Approved || l.Status == Cut) && l.Amount.Minor > 0 &&
		!(c.r.ID != "" && l.Receipt == c.r.ID)
}

// limit records the entitlement's limit on the line and how much of it
// earlier receipts used.
func (c *check) limit(used roadcover.Money) {
	e := &c.ent
	lu := &LimitUse{Amount: e.Limit, Per: e.Per, Total: e.Total, UsedBefore: used}
	if lc := e.Local; lc != nil {
		lu.Local = &LocalLimit{Currency: lc.Currency, Known: lc.Known, Amount: lc.Amount, Total: lc.Total,
			Rate: lc.Rate, Published: lc.Published}
	}
	c.l.Limit = lu
}

// capAt reduces the amount to at most max with the step s.
func (c *check) capAt(max roadcover.Money, s Step) {
	if c.net.Minor > max.Minor {
		c.reduce(s, roadcover.Money{Minor: max.Minor, Currency: c.cur})
	}
}

// prorate is m × k / n, rounded half away from zero.
func prorate(m roadcover.Money, k, n int) roadcover.Money {
	return roadcover.Money{Minor: roadcover.DivRound(m.Minor*int64(k), int64(n)), Currency: m.Currency}
}

// finish sets the status, the amount, the reason and the texts.
func (c *check) finish() error {
	if c.err != nil {
		return c.err
	}
	l := &c.l
	switch {
	case c.stop:
		l.Status, l.Amount = Refused, roadcover.Money{Currency: c.cur}
		l.Reason = l.Steps[c.refusal].Code
	case c.net.Minor >= l.Converted.Minor:
		l.Status, l.Amount = Approved, l.Converted
		l.Reason = ReasonWithinLimits
		if c.r.Category == LocalRental && c.ent.Code == entAllowance && c.ent.IncludesLocalRental != nil && *c.ent.IncludesLocalRental {
			l.Reason = ReasonRentalWithAllowance
		}
	case c.net.Minor <= 0:
		l.Status, l.Amount = Refused, roadcover.Money{Currency: c.cur}
		l.Reason = l.Steps[len(l.Steps)-1].Code
	default:
		l.Status, l.Amount = Cut, c.net
		l.Reason = l.Steps[len(l.Steps)-1].Code
	}
	if l.Amount.Minor == 0 {
		l.Uses = Uses{} // a line that pays nothing uses up nothing
	}
	for i := range l.Steps {
		s := &l.Steps[i]
		s.Text = render(s.Code, s, c.lang)
	}
	l.Text = l.reasonText(c.lang)
	return nil
}
