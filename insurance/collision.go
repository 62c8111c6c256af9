package insurance

// collisionKind gives the lines of damage of the collision kind: the
// collision line of 2.8 (or the warranty's refusal, 3.3.4), and the Bas,
// animal-collision and Plus lines that follow it.
func (st *state) collisionKind() {
	c, n, d := st.c, &st.c.Incident, &st.c.Driver
	peril := n.Peril
	switch {
	case st.warrantyRuns && peril != "transport_damage":
		st.use(rdPV)
		// A fault the warranty answers for (3.3.4) is the same refusal:
		// Plus still lowers the warranty's deductible (plus_warranty).
		if code, cl := st.general(kOwn, "collision"); code != "" && code != "covered_by_warranty" {
			st.refuse("collision", code, cl)
			break // the parts below give their own refusals
		}
		st.refuse("collision", "covered_by_warranty", "3.3.4")
		st.warrantyDamage = true
	case st.hasCollision:
		clause := "2.8"
		l := st.open("collision", clause, kOwn)
		if l == nil {
			break // the parts below give their own refusals
		}
		if (peril == "vandalism" || peril == "parking_damage") && !n.PoliceReport {
			// refused; the Bas parts below answer for themselves
			st.refuse("collision", "police_report_missing", "2.8")
			break
		}
		l.Assessed = st.carLoss(l, true)
		if st.autoCollision {
			l.part(st, "base", "5.10", st.collisionBase)
		} else {
			st.collisionBase = st.base("collision")
			l.part(st, "base", "2.8", st.collisionBase)
		}
		if !d.IsPolicyholder && d.HasAge && d.Age < st.pv(pCollisionYoungBelowAge) {
			l.part(st, "young_driver", "2.8", st.pv(pCollisionYoungAddition))
			l.youth = st.pv(pCollisionYoungAddition) // a youth deductible under 2.9 (young_driver_youth)
		}
		if n.TyreDefect {
			l.part(st, "tyre_defect", "2.8", st.pv(pCollisionTyreDefect))
		}
		st.collisionLine = st.add(l)
	case in(peril, collisionPerils):
		// 2.11.1: rental is due after collision damage also without
		// collision cover, when the damage is of a kind 2.8 would pay.
		st.collisionNoCover = st.reportedIfNeeded()
	}
	bas := st.bas()
	switch {
	case peril == "animal_collision" && (bas || st.has(cvAnimal)):
		st.animal(bas)
	case peril == "vandalism" && bas:
		st.vandalismRefund()
	case peril == "collision" && bas && n.OtherVehicle == "known_foreign":
		st.use(rdCollisionAbroadCountry)
		if n.Country != "SE" {
			st.collisionAbroad()
		}
	}
	if st.has(cvPlus) && st.warrantyDamage {
		st.plus()
	}
	_ = c
}

// reportedIfNeeded reports whether damage of the collision kind has the
// police report 2.8 requires for vandalism and parking damage.
func (st *state) reportedIfNeeded() bool {
	n := &st.c.Incident
	return n.PoliceReport || (n.Peril != "vandalism" && n.Peril != "parking_damage")
}
