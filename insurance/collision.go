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
		if code, cl := st.general(kOwn, "collision"); code != "" {
			st.refuse("collision", code, cl)
			return
		}
		st.refuse("collision", "covered_by_warranty", "3.3.4")
		st.warrantyDamage = true
	case st.hasCollision:
		clause := "2.8"
		l := st.open("collision", clause, kOwn)
		if l == nil {
			return
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
		}
		if n.TyreDefect {
			l.part(st, "tyre_defect", "2.8", st.pv(pCollisionTyreDefect))
		}
		st.collisionLine = st.add(l)
	}
	bas := st.bas()
	switch {
	case peril == "animal_collision" && (bas || st.has(cvAnimal)):
		st.animal(bas)
	case peril == "vandalism" && bas:
		st.vandalismRefund()
	case peril == "collision" && bas && n.OtherVehicle == "known_foreign" && n.Country != "SE":
		st.collisionAbroad()
	}
	if st.has(cvPlus) && st.warrantyDamage {
		st.plus()
	}
	_ = c
}
