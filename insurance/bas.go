package insurance

// refundable is the deductible a Bas part may refund: what the owner bears
// of the warranty's deductible less what Plus takes off it, or the
// collision line's base deductible (ok false when neither cover applies).
// capRefunds then keeps Plus and the refunds together within 4.1.
func (st *state) refundable() (int64, bool) {
	c := st.c
	switch {
	case st.warrantyRuns:
		if !c.Costs.HasWarrantyDeductible {
			// the amount comes from the car's service and warranty book
			st.requirement("warranty_deductible")
			return 0, true
		}
		if st.plusAmount > 0 {
			st.use(rdPlusBefore)
		}
		return max(0, st.warrantyBore-st.plusAmount), true
	case st.collisionLine != nil:
		return st.collisionBase, true
	}
	return 0, false
}

// animal implements 2.11.2 (and 2.13 bought alone): the collision or
// warranty base deductible refunded, clothes up to 2 000; without either,
// the damage up to the lowest collision deductible. Reports: the police for
// the listed wild animals, the owner or the police for reindeer and
// domestic animals.
func (st *state) animal(bas bool) {
	c, n := st.c, &st.c.Incident
	clause := "2.13"
	if bas {
		clause = "2.11.2"
	}
	l := st.open("animal_collision", clause, kOwn)
	if l == nil {
		return
	}
	switch {
	case in(n.Animal, policeAnimals) && !n.PoliceReport:
		st.use(rdAnimalReport)
		st.refuse("animal_collision", "police_report_missing", clause)
		return
	case in(n.Animal, ownerAnimals) && !n.PoliceReport && !n.ReportedToOwner:
		st.use(rdAnimalReport)
		st.refuse("animal_collision", "owner_report_missing", clause)
		return
	}
	clothes := min(st.value(c.Costs.Clothes), st.pv(pAnimalClothesCap))
	if r, ok := st.refundable(); ok {
		l.step(st, "deductible_refund", clause, r)
		l.Assessed, l.refund, l.refundLine = r, r, true
	} else if st.hasCollision {
		return // the collision line was refused; its reason stands
	} else {
		if !c.Policy.HasLowestCollision {
			st.need("policy.lowest_collision_deductible", "the lowest collision deductible is required without collision cover")
		}
		dmg := st.carLoss(l, false)
		l.Assessed = l.step(st, "damage_up_to_lowest_deductible", clause, min(dmg, c.Policy.LowestCollisionDeductible))
	}
	if clothes > 0 {
		l.Assessed += clothes
		l.step(st, "clothes", clause, clothes)
	}
	st.add(l)
}

// vandalismRefund implements 2.11.3: the part of the collision or warranty
// base deductible above 1 000 refunded; without either, the damage up to
// 2 000. A police report is required.
func (st *state) vandalismRefund() {
	n := &st.c.Incident
	l := st.open("vandalism_deductible", "2.11.3", kOwn)
	if l == nil {
		return
	}
	if !n.PoliceReport {
		st.refuse("vandalism_deductible", "police_report_missing", "2.11.3")
		return
	}
	if r, ok := st.refundable(); ok {
		l.Assessed = l.step(st, "deductible_above_retained", "2.11.3", max(0, r-st.pv(pVandalismRetained)))
		l.refund, l.refundLine = l.Assessed, true
	} else if st.hasCollision {
		return
	} else {
		dmg := st.carLoss(l, false)
		l.Assessed = l.step(st, "damage_up_to_cap", "2.11.3", min(dmg, st.pv(pVandalismNoCollisionCap)))
	}
	st.add(l)
}

// collisionAbroad implements 2.11.4: after a collision abroad with a known
// foreign motor vehicle, the collision or warranty base deductible refunded,
// for a car at most 10 years from its model year.
func (st *state) collisionAbroad() {
	c := st.c
	l := st.open("collision_abroad", "2.11.4", kOwn)
	if l == nil {
		return
	}
	if c.Vehicle.ModelYear == 0 {
		st.need("vehicle.model_year", "the model year is required for the collision-abroad refund")
		return
	}
	st.use(rdAges)
	if int64(c.OccurredAt.Year)-c.Vehicle.ModelYear > st.pv(pCollisionAbroadMaxModelAge) {
		st.refuse("collision_abroad", "vehicle_too_old", "2.11.4")
		return
	}
	r, ok := st.refundable()
	if !ok {
		return
	}
	l.Assessed = l.step(st, "deductible_refund", "2.11.4", r)
	l.refund, l.refundLine = r, true
	st.add(l)
}

// interior implements 2.11.5: sudden damage inside the car, at most 50 000
// before a 1 500 deductible, for a car at most 8 years old; not by animals or
// to machinery components; without collision cover or warranty at most
// 1 500 paid.
func (st *state) interior() {
	n := &st.c.Incident
	l := st.open("interior", "2.11.5", kOwn)
	if l == nil {
		return
	}
	st.use(rdAges)
	code := ""
	switch {
	case st.age > st.pv(pInteriorMaxAge):
		code = "vehicle_too_old"
	case n.CausedByAnimal:
		code = "caused_by_animal"
	case in(n.Component, machineryComponents):
		code = "machinery_component"
	}
	if code != "" {
		st.refuse("interior", code, "2.11.5")
		return
	}
	x := st.carLoss(l, false)
	if x > st.pv(pInteriorCap) {
		x = l.step(st, "interior_cap", "2.11.5", st.pv(pInteriorCap))
	}
	l.Assessed = x
	l.part(st, "base", "2.11.5", st.pv(pInteriorDeductible))
	if !st.hasCollision && !st.warrantyRuns {
		st.use(rdInteriorCap)
		l.capCode, l.capAt, l.capCl = "no_collision_cap", st.pv(pInteriorNoCollisionCap), "2.11.5"
	}
	st.add(l)
}

// key implements 2.11.6: new key and recoding, at most 6 000 before a 1 800
// deductible.
func (st *state) key() {
	l := st.open("key", "2.11.6", kOwn)
	if l == nil {
		return
	}
	x := st.carLoss(l, false)
	if x > st.pv(pKeyCap) {
		x = l.step(st, "key_cap", "2.11.6", st.pv(pKeyCap))
	}
	l.Assessed = x
	l.part(st, "base", "2.11.6", st.pv(pKeyDeductible))
	st.add(l)
}
