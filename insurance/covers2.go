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

// refundable is the deductible a Bas part may refund: the warranty's, less
// what Plus takes off it, or the collision line's base deductible; never
// more than the damage used (ok false when neither cover applies).
func (st *state) refundable() (int64, bool) {
	c := st.c
	switch {
	case st.warrantyRuns:
		if !c.Costs.HasWarrantyDeductible {
			// the amount comes from the car's service and warranty book
			st.requirement("warranty_deductible")
			return 0, true
		}
		r := c.Costs.WarrantyDeductible - st.plusAmount
		if st.plusAmount > 0 {
			st.use(rdPlusBefore)
		}
		if c.Costs.HasRepair && c.Costs.Repair < r {
			st.use(rdRefundCapped)
			r = c.Costs.Repair
		}
		return max(0, r), true
	case st.collisionLine != nil:
		r := st.collisionBase
		if a := st.collisionLine.Assessed; a < r {
			st.use(rdRefundCapped)
			r = a
		}
		return r, true
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
		st.refuse("animal_collision", "police_report_missing", clause)
		return
	case in(n.Animal, ownerAnimals) && !n.PoliceReport && !n.ReportedToOwner:
		st.refuse("animal_collision", "owner_report_missing", clause)
		return
	}
	clothes := min(st.value(c.Costs.Clothes), st.pv(pAnimalClothesCap))
	if r, ok := st.refundable(); ok {
		l.step(st, "deductible_refund", clause, r)
		l.Assessed = r
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
		l.step(st, "clothes", clause, clothes)
		l.Assessed += clothes
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

// plus implements 2.12: for damage the running damage warranty pays, the
// warranty's deductible lowered by 3 000.
func (st *state) plus() {
	c := st.c
	l := st.open("plus", "2.12", kOwn)
	if l == nil {
		return
	}
	if !st.warrantyRuns {
		st.refuse("plus", "no_running_warranty", "2.12")
		return
	}
	st.use(rdPV)
	if !c.Costs.HasWarrantyDeductible {
		st.requirement("warranty_deductible")
	}
	l.Assessed = l.step(st, "warranty_deductible_lowered", "2.12.1", st.plusAmount)
	st.add(l)
}

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

// rental implements 2.11.1: after damage payable under the terms (also
// collision damage without collision cover and machinery beyond its
// limits): in Sweden 75 % of day and kilometre charges for at most 60 days;
// abroad in full for at most 45 days when the car cannot be repaired within
// 3 days or was stolen and not found within a day, with days in Sweden on
// the way (at most 2 each way) at 75 %; cash instead 100 a day.
func (st *state) rental() {
	c, n := st.c, &st.c.Incident
	r := c.Costs.Rental
	if r == nil || !st.bas() || c.Vehicle.LaidUp {
		return
	}
	eligible := st.warrantyDamage || st.machLimits ||
		(in(n.Peril, collisionPerils) && !st.hasCollision)
	for i := range st.s.Lines {
		switch st.s.Lines[i].Cover {
		case "fire", "glass", "theft", "machinery", "collision", "interior", "key":
			eligible = true
		}
	}
	if !eligible {
		return
	}
	l := st.open("rental_car", "2.11.1", kOwn)
	if l == nil {
		return
	}
	days := max(0, r.Days-r.DrivableDays-r.OwnDelayDays)
	if r.NotRepaired {
		days = min(days, st.pv(pRentalNotRepairedDays))
	}
	if n.Country == "SE" {
		days = min(days, st.pv(pRentalSwedenMaxDays))
		if r.CashInstead {
			l.Assessed = l.step(st, "cash_per_day", "2.11.1", days*st.pv(pRentalCashPerDay))
		} else {
			x := l.step(st, "rental_charges", "2.11.1", st.value(days*r.Daily+r.Km))
			l.Assessed = l.step(st, "share_in_sweden", "2.11.1", st.pct(x, st.pv(pRentalSwedenPercent)))
		}
		st.add(l)
		return
	}
	stolen := (n.Peril == "vehicle_theft" || n.Peril == "unauthorised_taking") &&
		((n.RecoveredWithin1Day != nil && !*n.RecoveredWithin1Day) || (n.RecoveredWithin30Days != nil && !*n.RecoveredWithin30Days))
	if n.RepairDays <= st.pv(pRentalAbroadMinRepairDays) && !stolen {
		st.refuse("rental_car", "repairable_within_3_days", "2.11.1")
		return
	}
	se := min(r.DaysInSweden, 2*st.pv(pRentalTransitDays), days)
	abroad := min(days-se, st.pv(pRentalAbroadMaxDays))
	if se > 0 {
		st.use(rdRentalSplit)
	}
	if r.CashInstead {
		l.Assessed = l.step(st, "cash_per_day", "2.11.1", (abroad+se)*st.pv(pRentalCashPerDay))
	} else {
		a := l.step(st, "rental_charges_abroad", "2.11.1", st.pct(st.value(abroad*r.Daily+r.Km), st.pv(pRentalAbroadPercent)))
		s := st.pct(st.value(se*r.Daily), st.pv(pRentalSwedenPercent))
		if se > 0 {
			l.step(st, "share_in_sweden", "2.11.1", s)
		}
		l.Assessed = a + s
	}
	st.add(l)
}

// care implements 2.14 as eligibility: each injured driver or passenger aged
// 16 or more and resident in Sweden, after a traffic accident in the Green
// Card area, for 5 years; not dental care, mental injury or illness.
func (st *state) care() {
	c, n := st.c, &st.c.Incident
	if !st.has(cvCare) || len(c.Costs.CarePersons) == 0 {
		return
	}
	until := addYears(c.OccurredAt, int(st.pv(pCareYears))).AddDays(-1).String()
	for i, person := range c.Costs.CarePersons {
		if code, cl := st.general(kPerson, "care"); code != "" {
			st.refuse("care", code, cl)
			continue
		}
		if c.Driver.WithoutPermission {
			// 2.14: a driver without the insured's permission ends Care for
			// everyone in the car, the driver included.
			st.use(rdCarePermission)
			st.refuse("care", "driver_without_permission", "2.14")
			continue
		}
		code := ""
		switch {
		case !in(n.Peril, trafficAccident):
			code = "not_traffic_accident"
		case person.Age < st.pv(pCareMinAge):
			code = "care_under_16"
		case !person.ResidentInSweden:
			code = "care_not_resident"
		case person.Injury == "dental" || person.Injury == "mental" || person.Injury == "illness":
			code = "care_excluded_injury"
		}
		if code != "" {
			st.refuse("care", code, "2.14")
			continue
		}
		st.dropOpen()
		st.s.Lines = append(st.s.Lines, Line{Cover: "care", Clause: "2.14", Covered: true,
			Status: "eligible", Person: i, CareUntil: until, kind: kPerson})
	}
}

// towing implements 4.9: when the damage is payable, necessary towing to the
// nearest Polestar workshop (abroad, if the insurer finds it necessary, to
// one in Sweden) and the reasonable cost of collecting a stolen car found
// elsewhere are paid with the damage: they join the assessed amount of the
// line that pays the car, after its caps and before its deductible.
func (st *state) towing() {
	c := st.c
	tow, col := c.Costs.Towing, c.Costs.Collection
	if tow == 0 && col == 0 {
		return
	}
	var l *Line
	for i := range st.s.Lines {
		x := &st.s.Lines[i]
		if x.kind != kOwn || x.Status != "settled" {
			continue
		}
		switch x.Cover {
		case "fire", "theft", "machinery", "collision", "layup":
			if l == nil {
				l = x
			}
		}
	}
	if l == nil {
		if len(st.s.Lines) > 0 || len(st.s.Refusals) > 0 {
			st.requirement("towing_without_damage_line")
		}
		return
	}
	st.use(rdTowing)
	recovered := c.Incident.RecoveredWithin30Days != nil && *c.Incident.RecoveredWithin30Days
	if tow > 0 {
		l.Assessed = l.step(st, "towing", "4.9", l.Assessed+st.value(tow))
	}
	if col > 0 && recovered && (c.Incident.Peril == "vehicle_theft" || c.Incident.Peril == "unauthorised_taking") {
		l.Assessed = l.step(st, "collection", "4.9", l.Assessed+st.value(col))
	}
}
