package reimbursement

import "roadcover"

// hotel implements 1.3.2: hotel nights for the driver and passengers while
// the car is in the workshop, up to the limit per person and night (GB
// 170 GBP, DE/PT/DK 200 EUR) for at most max_nights nights per case
// (reading hotel_nights: distinct nights across the receipts of the case,
// each for at most the persons of the decision). A receipt whose nights or
// persons are paid only in part has its amount spread evenly over them
// (reading spread_evenly).
func (c *check) hotel() {
	e := &c.ent
	used, err := c.used(entHotel, nil)
	if err != nil {
		c.fail(err)
		return
	}
	c.limit(used)
	c.rely(readingHotelNights)
	most := c.persons()
	p := c.fewerPersons(most)

	before := map[roadcover.Date]int{}
	for i := range c.f.Earlier {
		l := &c.f.Earlier[i]
		if c.counts(l) && l.Entitlement == entHotel {
			for _, n := range l.Uses.Nights {
				before[n.Date] += n.Persons
			}
		}
	}
	distinct := len(before)
	nights := spanDays(c.r.ServiceFrom, c.r.Nights)
	claimed := p * len(nights)
	paid, overMax := 0, 0
	var uses []Night
	for _, d := range nights {
		free := 0
		switch n, seen := before[d]; {
		case seen:
			free = most - n
		case distinct < e.MaxNights:
			free = most
			distinct++
		default:
			overMax += p
			continue
		}
		if k := min(p, max(free, 0)); k > 0 {
			uses = append(uses, Night{Date: d, Persons: k})
			paid += k
		}
	}
	step := Step{Code: ReasonNightsPaid, Clause: e.Clause, N: paid, Of: claimed, Max: e.MaxNights}
	if overMax > 0 {
		step.Code = ReasonNightsOverMax
	}
	if paid == 0 {
		c.refuse(step)
		return
	}
	if paid < claimed {
		c.rely(readingSpread)
		c.reduce(step, prorate(c.net, paid, claimed))
	}
	perNights, err := e.Limit.Mul(int64(paid))
	if err != nil {
		c.fail(err)
		return
	}
	c.capAt(perNights, Step{Code: ReasonLimitPerNight, Clause: e.Clause, Value: e.Limit, N: paid})
	c.caseLimit(e.Total, used)
	c.l.Uses.Persons, c.l.Uses.Nights = p, uses
}
