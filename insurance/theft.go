package insurance

import (
	"sort"
	"time"

	"roadcover"
)

// theft implements 2.4: base deductible, eliminated by an activated approved
// alarm for break-in and theft or taking of the car (wheels only with a level
// sensor; never parts from the outside); plus 10 %, at least 5 000, when the
// car was unlocked or the key in or near it; plus 5 000 for alloy wheels
// without locking nuts.
func (st *state) theft(cv, clause string) {
	c, n, v := st.c, &st.c.Incident, &st.c.Vehicle
	l := st.open(cv, clause, kOwn)
	if l == nil || st.theftExcluded(cv) {
		return
	}
	l.theftish = true
	l.Assessed = st.theftLoss(l)
	base := st.base("theft")
	l.part(st, "base", clause, base)
	if cv == "theft" {
		activated := !n.CarUnlocked
		if n.AlarmActivated != nil {
			activated = *n.AlarmActivated
		}
		approved := v.Alarm == "approved" || v.Alarm == "approved_level_sensor" || v.Alarm == "ssf_recommended"
		switch n.Peril {
		case "break_in", "vehicle_theft", "unauthorised_taking":
			if approved && activated && base > 0 {
				l.part(st, "alarm_elimination", "2.4", -base)
			}
		case "wheel_theft":
			if v.Alarm == "approved_level_sensor" && activated && base > 0 {
				l.part(st, "alarm_elimination", "2.4", -base)
			}
		}
		if n.CarUnlocked || n.KeyInOrNearCar {
			l.part(st, "negligence", "2.4", max(st.pct(l.Assessed, st.pv(pTheftNegligencePercent)), st.pv(pTheftNegligenceMin)))
		}
		if n.Peril == "wheel_theft" && v.AlloyWheels && !v.LockingWheelNuts {
			l.part(st, "no_locking_wheel_nuts", "2.4", st.pv(pTheftWheelNuts))
		}
	}
	_ = c
	st.add(l)
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
	case "vehicle_theft", "unauthorised_taking":
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
		tyreLoss := min(w.TyresAge*st.pv(pTyrePercent), st.pv(pTyreMax))
		rimLoss := min(max(0, w.RimsAge-st.pv(pRimFreeYears))*st.pv(pRimPercent), st.pv(pRimMax))
		if w.RimsAge > st.pv(pRimFreeYears)+1 {
			st.use(rdRim)
		}
		tyres := w.Tyres - st.pct(w.Tyres, tyreLoss)
		rims := w.Rims - st.pct(w.Rims, rimLoss)
		l.step(st, "tyres_depreciated", "4.4", tyres)
		l.step(st, "rims_depreciated", "4.4", rims)
		x := st.marketCap(l, l.step(st, "wheels", "4.4", tyres+rims))
		st.use(rdAges)
		if st.age > st.pv(pWheelsCapOverAge) {
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
			all += x.Amount
			if end.Before(x.Date) {
				continue
			}
			inside += x.Amount
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
