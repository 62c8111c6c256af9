package insurance

// layup implements 2.10 for a laid-up car: fire, theft, glass, legal,
// transport damage, vandalism and other outside damage, only while the car
// is laid up in Sweden (else not_laid_up). Fire, theft, glass and legal keep
// their own deductible rules (layup_deductibles); the damage perils take the
// lowest collision deductible; theft or vandalism outside a locked private
// garage adds 1 000. While laid up, lay-up is the only own-damage cover
// (layup_only_cover); crisis therapy after a robbery stays with 2.4.
func (st *state) layup() {
	c, n := st.c, &st.c.Incident
	peril := n.Peril
	if (peril == "robbery" || peril == "key_theft") && st.has(cvTheft) {
		st.therapy()
	}
	if peril == "legal_dispute" && st.has(cvLegal) {
		st.legal("legal", "2.7")
		return
	}
	if !in(peril, layupPerils) {
		return // accounted for as not insured (losses)
	}
	st.use(rdLayupOnly)
	if !st.has(cvLayup) {
		return
	}
	if !st.laidUpInSweden() {
		if code, cl := st.general(kOwn, "layup"); code != "" {
			st.refuse("layup", code, cl)
		} else {
			st.refuse("layup", "not_laid_up", "2.10")
		}
		return
	}
	switch {
	case peril == "legal_dispute":
		st.legal("layup", "2.10")
	case in(peril, firePerils):
		st.fire("layup", "2.10")
	case in(peril, glassPerils):
		st.glass("layup", "2.10")
	case in(peril, theftPerils):
		st.theft("layup", "2.10")
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
		if peril == "vandalism" {
			st.garageAddition(l)
		}
		st.add(l)
	}
}

// garageAddition implements the 2.10 addition of 1 000 for theft or
// vandalism when the laid-up car was not in a locked private garage.
func (st *state) garageAddition(l *Line) {
	if g := st.c.Vehicle.InLockedGarage; g != nil && !*g {
		l.part(st, "not_in_locked_garage", "2.10", st.pv(pLayupGarageAddition))
	}
}
