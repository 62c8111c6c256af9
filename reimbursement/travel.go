package reimbursement

import (
	"math"

	"roadcover"
)

// persons is the number of persons the entitlement counts (at least one).
func (c *check) persons() int { return max(c.ent.Persons, 1) }

// fewerPersons counts a receipt for more persons than the decision for the
// decision's number, spreading its amount evenly (reading spread_evenly),
// and returns the persons counted.
func (c *check) fewerPersons(most int) int {
	p := c.r.Persons
	if p <= most {
		return p
	}
	c.rely(readingSpread)
	c.reduce(Step{Code: ReasonPersonsOver, Clause: c.ent.Clause, N: most, Of: p}, prorate(c.net, most, p))
	return most
}

// onwardTravel implements 1.3.1: travel home or to the destination by rail,
// bus, air or taxi, up to the limit per person (GB 510 GBP, DE/PT/DK
// 600 EUR) for the persons on the receipt, and in all up to the limit
// times the persons of the decision (reading person_pool).
func (c *check) onwardTravel() {
	e := &c.ent
	used, err := c.used(entOnwardTravel, nil)
	if err != nil {
		c.fail(err)
		return
	}
	c.limit(used)
	c.rely(readingPersonPool)
	p := c.fewerPersons(c.persons())
	perReceipt, err := e.Limit.Mul(int64(p))
	if err != nil {
		c.fail(err)
		return
	}
	c.capAt(perReceipt, Step{Code: ReasonLimitPerPerson, Clause: e.Clause, Value: e.Limit, N: p})
	c.caseLimit(e.Total, used)
	c.l.Uses.Persons = p
}

// caseLimit applies a limit for the whole case of which earlier receipts
// used some: nothing left refuses the line, less left than claimed cuts it.
func (c *check) caseLimit(total, used roadcover.Money) {
	if total.Currency == "" {
		return
	}
	left := total.Minor - used.Minor
	if left <= 0 {
		c.refuse(Step{Code: ReasonLimitUsedUp, Clause: c.ent.Clause, Value: total})
		return
	}
	c.capAt(roadcover.Money{Minor: left, Currency: c.cur}, Step{Code: ReasonLimitPerCase, Clause: c.ent.Clause, Value: total})
}

// taxiTransfer implements the DE/PT/DK sentence of 1.3.1 (reading
// taxi_transfer of the assistance spec): short taxi rides, under
// taxi_transfer_max_km, to fetch or return a rental car or to a station,
// airport or hotel, up to 50 EUR for the case whatever the option chosen. A
// receipt giving 110 km or more is refused (reading taxi_distance).
func (c *check) taxiTransfer() {
	e := &c.ent
	if km := c.r.DistanceKm; km != nil {
		if p, ok := c.v.Param("taxi_transfer_max_km"); ok {
			c.rely(readingTaxiDistance)
			if int64(math.Round(*km*1000)) >= p.Value*1000 {
				c.refuse(Step{Code: ReasonTaxiTooLong, Clause: e.Clause, N: int(math.Round(*km)), Max: int(p.Value), Value: e.Limit})
				return
			}
		}
	}
	used, err := c.used(entTaxiTransfer, nil)
	if err != nil {
		c.fail(err)
		return
	}
	c.limit(used)
	c.caseLimit(e.Limit, used)
}

// collection implements 1.4: travel to collect the repaired car, one single
// journey for one person (first-class train, a flight instead when the
// train takes more than six hours; DE/PT/DK a taxi at 110 km or less), paid
// once per case (reading collection_once). The terms name no amount.
func (c *check) collection() {
	c.rely(readingCollectionOnce)
	for i := range c.f.Earlier {
		l := &c.f.Earlier[i]
		if c.counts(l) && l.Category == Collection {
			c.refuse(Step{Code: ReasonCollectionPaid, Clause: c.ent.Clause})
			return
		}
	}
	most := 1
	if p, ok := c.v.Param("collection_persons"); ok {
		most = int(p.Value)
	}
	if c.r.Persons > most {
		c.rely(readingSpread)
		c.reduce(Step{Code: ReasonOnePerson, Clause: c.ent.Clause, N: most, Of: c.r.Persons}, prorate(c.net, most, c.r.Persons))
	}
	c.l.Uses.Persons = min(c.r.Persons, most)
}

// fail records an error that makes the check impossible (an amount out of
// range); Check returns it.
func (c *check) fail(err error) {
	if c.err == nil {
		c.err = err
	}
	c.stop = true
}
