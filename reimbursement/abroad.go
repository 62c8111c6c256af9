package reimbursement

// allowance implements 1.5, the allowance when the car is repaired abroad
// instead of brought home: up to 212 GBP (GB) or 250 EUR for the case. What it pays
// for is the decision's applies_to: GB local expenses (restaurants,
// museums, extra days with the replacement car), DE local expenses with a
// local rental car besides, DK local expenses and a local rental car within
// the one amount, PT a local rental car only. A local rental car counts
// against the allowance, or under the German text is paid besides it with
// no amount named (reading allowance_rental).
func (c *check) allowance() {
	e := &c.ent
	onTop := e.IncludesLocalRental != nil && *e.IncludesLocalRental
	if c.r.Category == LocalRental {
		c.rely(readingAllowanceRental)
		if onTop {
			c.l.Uses.Days = spanDays(c.r.ServiceFrom, c.r.Days)
			return
		}
		if !oneOf("local_rental", e.AppliesTo) && !oneOf("local_expenses", e.AppliesTo) {
			c.refuse(Step{Code: ReasonNotInAllowance, Clause: e.Clause})
			return
		}
	} else if !oneOf("local_expenses", e.AppliesTo) {
		c.refuse(Step{Code: ReasonNotInAllowance, Clause: e.Clause})
		return
	}
	used, err := c.used(entAllowance, func(l *Line) bool { return onTop && l.Category == LocalRental })
	if err != nil {
		c.fail(err)
		return
	}
	c.limit(used)
	c.caseLimit(e.Limit, used)
}
