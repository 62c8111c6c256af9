package reimbursement

import "roadcover"

// rental implements 1.3.3 (rental car: 5 working days, abroad 10; GB one
// calendar day after an accident, theft or vandalism) and the local rental
// car of 1.5 (10 days: GB calendar days, DE/PT/DK working days). The terms
// name no amount: a rental receipt is paid for the days it covers within
// the entitlement, its amount spread evenly over its days (reading
// spread_evenly).
//
// Working days (reading rental_window): every day from the day of the event
// up to the decision's `until` is covered, weekends and holidays in
// between included. A decision without `until` (no calendar when it was
// made) has it counted here in the calendar of the country where the car
// is; a country whose working days are not known refuses the line and says
// so. Calendar days (reading rental_calendar_days): the first max_days days
// hired in the case. A day paid on an earlier receipt is not paid again.
func (c *check) rental() {
	e := &c.ent
	ru := &RentalUse{DayKind: e.DayKind, MaxDays: e.MaxDays, Country: c.place}
	c.l.Rental = ru
	before := map[roadcover.Date]bool{}
	for i := range c.f.Earlier {
		l := &c.f.Earlier[i]
		if c.counts(l) && l.Entitlement == e.Code {
			for _, d := range l.Uses.Days {
				before[d] = true
			}
		}
	}
	days := spanDays(c.r.ServiceFrom, c.r.Days)
	var paid []roadcover.Date
	outside, over := 0, 0
	if e.DayKind == "working" {
		c.rely(readingRentalWindow)
		until, from := e.Until, "decision"
		if until.IsZero() {
			ok := false
			if c.env.Workdays != nil {
				until, ok = c.env.Workdays.AddWorkdays(c.place, c.event, e.MaxDays)
			}
			if !ok {
				c.refuse(Step{Code: ReasonWorkdaysUnknown, Clause: e.Clause, What: c.place})
				c.l.Requires = append(c.l.Requires, "calendar:"+c.place)
				return
			}
			from = "calendar"
		}
		ru.Until, ru.UntilFrom = until, from
		for _, d := range days {
			switch {
			case until.Before(d):
				outside++
			case !before[d]:
				paid = append(paid, d)
			}
		}
	} else {
		c.rely(readingRentalCalendar)
		count := len(before)
		for _, d := range days {
			switch {
			case before[d]:
			case count >= e.MaxDays:
				over++
			default:
				paid = append(paid, d)
				count++
			}
		}
	}
	if c.env.Workdays != nil && len(paid) > 0 {
		n, known := 0, true
		for _, d := range paid {
			w, ok := c.env.Workdays.IsWorkday(c.place, d)
			if !ok {
				known = false
				break
			}
			if w {
				n++
			}
		}
		if known {
			ru.WorkingDays, ru.WorkingDaysKnown = n, true
		}
	}
	step := Step{Code: ReasonDaysPaid, Clause: e.Clause, N: len(paid), Of: len(days), Max: e.MaxDays, Day: ru.Until}
	switch {
	case outside > 0:
		step.Code = ReasonDaysOutside
	case over > 0:
		step.Code = ReasonDaysOverMax
	}
	if len(paid) == 0 {
		c.refuse(step)
		return
	}
	if len(paid) < len(days) {
		c.rely(readingSpread)
		c.reduce(step, prorate(c.net, len(paid), len(days)))
	}
	c.l.Uses.Days = paid
}
