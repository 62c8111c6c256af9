package insurance

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
