package insurance

// rentalDue reports whether 2.11.1 is due: after damage payable under the
// terms, also collision damage without collision cover, and after a
// machinery damage on a car beyond the limits of 2.5 when those limits are
// the machinery line's only reason for refusal (rental_machinery_damage: an
// older car is never better off than a younger one with the same failure).
func (st *state) rentalDue() bool {
	if (st.warrantyDamage && st.reportedIfNeeded()) || st.collisionNoCover {
		return true
	}
	if st.machLimitsOnly {
		st.use(rdRentalMachinery)
		return true
	}
	if st.machLimits {
		st.use(rdRentalMachinery)
	}
	for i := range st.s.Lines {
		switch st.s.Lines[i].Cover {
		case "fire", "glass", "theft", "machinery", "collision", "interior", "key":
			return true
		}
	}
	return false
}

// rental implements 2.11.1: in Sweden 75 % of day and kilometre charges for
// at most 60 days; abroad, when the car cannot be repaired within 3 days or
// was stolen and not found within a day, days abroad in full and rental
// days in Sweden on the way out and home at 75 %, at most 2 each way, 45
// days in all counted abroad first, the kilometre charge in full; cash
// instead 100 a paid day.
func (st *state) rental() {
	c, n := st.c, &st.c.Incident
	r := c.Costs.Rental
	if r == nil || !st.bas() || c.Vehicle.LaidUp {
		return // accounted for as not insured (losses)
	}
	if !st.rentalDue() {
		if code, cl := st.general(kOwn, "rental_car"); code != "" {
			st.refuse("rental_car", code, cl)
		} else {
			st.refuse("rental_car", "no_payable_damage", "2.11.1")
		}
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
			l.Assessed = l.step(st, "cash_per_day", "2.11.1", st.mul(days, st.pv(pRentalCashPerDay), "costs.rental.days"))
		} else {
			charges := st.sum(st.mul(days, r.Daily, "costs.rental.daily_sek"), r.Km, "costs.rental.km_sek")
			x := l.step(st, "rental_charges", "2.11.1", st.value(charges))
			l.Assessed = l.step(st, "share_in_sweden", "2.11.1", st.pct(x, st.pv(pRentalSwedenPercent)))
		}
		st.add(l)
		return
	}
	stolen := stolenCar(n.Peril) &&
		((n.RecoveredWithin1Day != nil && !*n.RecoveredWithin1Day) || (n.RecoveredWithin30Days != nil && !*n.RecoveredWithin30Days))
	if n.RepairDays <= st.pv(pRentalAbroadMinRepairDays) && !stolen {
		st.refuse("rental_car", "repairable_within_3_days", "2.11.1")
		return
	}
	// Abroad: the days in Sweden are those of the two legs; every other day
	// is a day abroad. Days not paid (the car drivable, the insured's own
	// delay) come off the days abroad.
	leg := st.pv(pRentalTransitDays)
	out, home := r.SwedenOutbound, r.SwedenHomebound
	abroad := max(0, r.Days-out-home-r.DrivableDays-r.OwnDelayDays)
	swedish := min(out, leg) + min(home, leg)
	limit := st.pv(pRentalAbroadMaxDays)
	if r.NotRepaired {
		limit = min(limit, st.pv(pRentalNotRepairedDays))
	}
	abroad = min(abroad, limit)
	swedish = min(swedish, limit-abroad)
	st.use(rdRentalSplit)
	if r.CashInstead {
		l.Assessed = l.step(st, "cash_per_day", "2.11.1", st.mul(abroad+swedish, st.pv(pRentalCashPerDay), "costs.rental.days"))
		st.add(l)
		return
	}
	a := st.pct(st.value(st.sum(st.mul(abroad, r.Daily, "costs.rental.daily_sek"), r.Km, "costs.rental.km_sek")), st.pv(pRentalAbroadPercent))
	l.step(st, "rental_charges_abroad", "2.11.1", a)
	var s int64
	if swedish > 0 {
		s = st.pct(st.value(st.mul(swedish, r.Daily, "costs.rental.daily_sek")), st.pv(pRentalSwedenPercent))
		l.step(st, "share_in_sweden", "2.11.1", s)
	}
	l.Assessed = st.sum(a, s, "costs.rental")
	st.add(l)
}
