package insurance

// layup implements 2.10 for a laid-up car: fire, theft, glass, legal,
// transport damage, vandalism and other outside damage; ordinary deductibles,
// the lowest collision deductible for the damage perils, plus 1 000 for
// theft or vandalism outside a locked private garage.
func (st *state) layup() {
	c, n := st.c, &st.c.Incident
	peril := n.Peril
	if peril == "legal_dispute" {
		switch {
		case st.has(cvLegal):
			st.legal("legal", "2.7")
		case st.has(cvLayup):
			st.legal("layup", "2.10")
		}
		return
	}
	if !in(peril, layupPerils) {
		return
	}
	st.use(rdLayupOnly)
	if !st.has(cvLayup) {
		return
	}
	outside := c.Vehicle.InLockedGarage != nil && !*c.Vehicle.InLockedGarage
	switch {
	case in(peril, firePerils):
		st.fire("layup", "2.10")
	case in(peril, glassPerils):
		st.glass("layup", "2.10")
	case in(peril, theftPerils):
		l := st.open("layup", "2.10", kOwn)
		if l == nil || st.theftExcluded("layup") {
			return
		}
		l.theftish = true
		l.Assessed = st.theftLoss(l)
		l.part(st, "base", "2.10", st.base("theft"))
		if outside {
			l.part(st, "not_in_locked_garage", "2.10", st.pv(pLayupGarageAddition))
		}
		st.add(l)
	default: // transport damage, vandalism, other outside damage
		l := st.open("layup", "2.10", kOwn)
		if l == nil {
			return
		}
		if peril == "vandalism" && !n.PoliceReport {
			st.refuse("layup", "police_report_missing", "3.5.2")
			return
		}
		l.Assessed = st.carLoss(l, true)
		if !c.Policy.HasLowestCollision {
			st.need("policy.lowest_collision_deductible", "the lowest collision deductible is required for lay-up damage")
		}
		l.part(st, "base", "2.10", c.Policy.LowestCollisionDeductible)
		if outside && peril == "vandalism" {
			l.part(st, "not_in_locked_garage", "2.10", st.pv(pLayupGarageAddition))
		}
		st.add(l)
	}
}
