package insurance

import (
	"sort"
	"time"

	"roadcover"
)

// stolenCar reports whether a peril takes the whole car: theft, taking and,
// under robbery_theft, robbery.
func stolenCar(peril string) bool {
	return peril == "vehicle_theft" || peril == "unauthorised_taking" || peril == "robbery"
}

// theft implements 2.4 (and, for a laid-up car, 2.10 with the deductible
// rules of 2.4): the loss by theftLoss, the deductible by theftDeductible.
// A car taken by robbery is a stolen car (robbery_theft).
func (st *state) theft(cv, clause string) {
	l := st.open(cv, clause, kOwn)
	if l == nil || st.theftExcluded(cv) {
		return
	}
	if st.c.Incident.Peril == "robbery" {
		st.use(rdRobbery)
	}
	l.theftish = true
	l.Assessed = st.theftLoss(l)
	st.theftDeductible(l, clause)
	if cv == "layup" {
		st.use(rdLayupDeductibles)
		st.garageAddition(l)
	}
	st.add(l)
}

// theftDeductible implements the deductible of 2.4: the base deductible,
// eliminated when an approved or recommended alarm was activated, for a
// break-in and a theft, taking or robbery of the whole car, and for wheels
// only when the alarm has a level sensor and the wheels were mounted on the
// car; never for parts taken from the outside of the car, nor for anything
// that was not on the car (a detached part stored away). Plus 10 % of the
// loss, at least 5 000, when the car was unlocked or the key in or near it;
// plus 5 000 for alloy wheels without locking wheel nuts.
func (st *state) theftDeductible(l *Line, clause string) {
	n, v := &st.c.Incident, &st.c.Vehicle
	base := st.base("theft")
	l.part(st, "base", clause, base)
	if base > 0 && st.alarmEliminates() {
		l.part(st, "alarm_elimination", "2.4", -base)
	}
	if n.CarUnlocked || n.KeyInOrNearCar {
		l.part(st, "negligence", "2.4", max(st.pct(l.Assessed, st.pv(pTheftNegligencePercent)), st.pv(pTheftNegligenceMin)))
	}
	if n.Peril == "wheel_theft" && v.AlloyWheels && !v.LockingWheelNuts {
		l.part(st, "no_locking_wheel_nuts", "2.4", st.pv(pTheftWheelNuts))
	}
}

// alarmEliminates reports whether the alarm removes the base deductible of
// 2.4 (see theftDeductible). The alarm is taken as activated unless the car
// was unlocked.
func (st *state) alarmEliminates() bool {
	n, v := &st.c.Incident, &st.c.Vehicle
	if v.Alarm != "approved" && v.Alarm != "ssf_recommended" {
		return false
	}
	activated := !n.CarUnlocked
	if n.AlarmActivated != nil {
		activated = *n.AlarmActivated
	}
	if !activated || n.DetachedPart {
		return false // the alarm guards the car, not a part kept elsewhere
	}
	switch n.Peril {
	case "break_in", "vehicle_theft", "unauthorised_taking", "robbery":
		return true
	case "wheel_theft":
		return v.AlarmLevelSensor
	}
	return false // parts from the outside, attempts, keys
}

// theftExcluded applies the exclusions and the police-report duty of 2.4.
func (st *state) theftExcluded(cv string) bool {
	n := &st.c.Incident
	code := ""
	switch {
	case n.ByHouseholdMember:
		code = "household_member"
	case n.Fraud:
		code = "fraud"
	case n.UnauthorisedUseByHolder:
		code = "unauthorised_use_by_holder"
	case n.EquipmentUnproven:
		code = "equipment_unproven"
	case !n.PoliceReport:
		code = "police_report_missing"
	}
	if code != "" {
		st.refuse(cv, code, "2.4")
		return true
	}
	return false
}

// theftLoss values a theft: a stolen car not recovered at its market value
// (pending until 30 days have run), wheels by 4.4 with the 1.3.1 cap,
// anything else as damage.
func (st *state) theftLoss(l *Line) int64 {
	c, n := st.c, &st.c.Incident
	switch n.Peril {
	case "vehicle_theft", "unauthorised_taking", "robbery":
		if n.RecoveredWithin30Days != nil && *n.RecoveredWithin30Days {
			return st.carLoss(l, true)
		}
		if !c.Costs.HasMarketValue {
			st.need("costs.market_value_sek", "the market value is required for a stolen car")
			return 0
		}
		if n.RecoveredWithin30Days == nil {
			l.Status = "pending"
		}
		x := l.step(st, "market_value", "4.4", c.Costs.MarketValue)
		if c.Policy.VATRegistered {
			x = l.step(st, "without_vat", "4.6", st.value(x))
		}
		return x
	case "wheel_theft":
		w := c.Costs.Wheels
		if w == nil {
			st.need("costs.wheels", "the stolen wheels are required for peril wheel_theft")
			return 0
		}
		// ages past any maximum are cut first, so that no product overflows
		tyreLoss := min(min(w.TyresAge, 100)*st.pv(pTyrePercent), st.pv(pTyreMax))
		rimLoss := min(min(max(0, w.RimsAge-st.pv(pRimFreeYears)), 100)*st.pv(pRimPercent), st.pv(pRimMax))
		if w.RimsAge > st.pv(pRimFreeYears)+1 {
			st.use(rdRim)
		}
		tyres := w.Tyres - st.pct(w.Tyres, tyreLoss)
		rims := w.Rims - st.pct(w.Rims, rimLoss)
		l.step(st, "tyres_depreciated", "4.4", tyres)
		l.step(st, "rims_depreciated", "4.4", rims)
		x := st.marketCap(l, l.step(st, "wheels", "4.4", tyres+rims))
		st.use(rdAges)
		over := st.pv(pWheelsCapOverAge)
		if st.age == over {
			st.use(rdWheelCapAge)
		}
		// older than 10 years: from the day after the 10th anniversary
		if int64(c.Vehicle.FirstRegistered.WholeYearsUntil(c.OccurredAt.AddDays(-1))) >= over {
			if cap := st.pct(c.PBB, st.pv(pWheelsCapPBBPercent)); x > cap {
				x = l.step(st, "wheels_cap", "1.3.1", cap)
			}
		}
		return x
	}
	return st.carLoss(l, true)
}

// therapy implements the crisis therapy of 2.4: at most 10 sessions of at
// most 1 500, 15 000 in all, in Sweden, within 12 months; no deductible.
func (st *state) therapy() {
	c, n := st.c, &st.c.Incident
	if len(c.Costs.TherapySessions) == 0 && len(c.Costs.TherapyDated) == 0 {
		return
	}
	l := st.open("crisis_therapy", "2.4", kPerson)
	if l == nil {
		return
	}
	if !n.PoliceReport {
		st.refuse("crisis_therapy", "police_report_missing", "2.4")
		return
	}
	if !c.Costs.TherapyInSweden {
		st.refuse("crisis_therapy", "therapy_outside_sweden", "2.4")
		return
	}
	// Dated sessions after the 12 months from the incident are not paid;
	// undated ones are taken as within and the window is left to a check.
	amounts := c.Costs.TherapySessions
	if len(c.Costs.TherapyDated) > 0 {
		st.use(rdTherapyWindow)
		end := addMonths(c.OccurredAt, int(st.pv(pTherapyMonths)))
		dated := make([]Session, len(c.Costs.TherapyDated))
		copy(dated, c.Costs.TherapyDated)
		sort.SliceStable(dated, func(i, j int) bool { return dated[i].Date.Before(dated[j].Date) })
		amounts = append(make([]int64, 0, len(amounts)+len(dated)), amounts...)
		var all, inside int64
		for _, x := range dated {
			all = st.sum(all, x.Amount, "costs.therapy_sessions")
			if end.Before(x.Date) {
				continue
			}
			inside = st.sum(inside, x.Amount, "costs.therapy_sessions")
			amounts = append(amounts, x.Amount)
		}
		if inside < all {
			l.step(st, "sessions_within_12_months", "2.4", inside)
		}
	}
	if len(c.Costs.TherapySessions) > 0 {
		st.requirement("therapy_within_12_months")
	}
	var sum int64
	for i, s := range amounts {
		if int64(i) >= st.pv(pTherapySessions) {
			break
		}
		sum += min(s, st.pv(pTherapySessionCap))
	}
	l.step(st, "sessions", "2.4", sum)
	if sum > st.pv(pTherapyTotalCap) {
		sum = l.step(st, "therapy_cap", "2.4", st.pv(pTherapyTotalCap))
	}
	l.Assessed = sum
	st.add(l)
}

// addMonths is the same day n months later (the month's last day when the
// day does not exist there).
func addMonths(d roadcover.Date, n int) roadcover.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m = m%12 + 1
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return roadcover.Date{Year: y, Month: time.Month(m), Day: min(d.Day, last)}
}
