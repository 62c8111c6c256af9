package assistance

const groupRepatriation = "repatriation_alternative"

// repatriation implements 1.5: abroad (the place is in another country than
// home), on the way out when the repair needs more than
// repatriation_outbound_working_days working days (DE/PT/DK: "three full
// working days"), on the way home when it needs more than
// repatriation_homebound_hours hours: the car is brought home, or the
// customer takes one of two alternatives: a local repair with an allowance
// (GB 212 GBP for local expenses; DE 250 EUR for expenses plus a local
// rental car; DK 250 EUR for expenses and a local rental car; PT 250 EUR for
// a local rental car) or a local rental car for local_rental_max_days days
// (GB calendar days, DE/PT/DK working days). Not for commercial use (1.6),
// not after a theft (reading theft_no_repatriation).
func (r *run) repatriation() {
	if !r.abroad || r.commercial {
		return
	}
	if r.c.Event.Kind == KindTheft {
		r.rely(rTheftNoRepatriation)
		return
	}
	if !r.repairTooLong() {
		return
	}
	r.grant(tRepatriation, "1.5")
	r.num(pRepatriationAlternatives)
	a := r.grant(tLocalRepairAllowance, "1.5")
	a.ChooseOne = groupRepatriation
	a.Limit, a.Per = r.money(pLocalRepairAllowance), "case"
	a.AppliesTo = r.pr.AllowanceAppliesTo
	if r.pr.IncludesLocalRental {
		a.IncludesLocalRental = &yes
	} else {
		a.IncludesLocalRental = &no
	}
	r.localEquivalent(a)
	lr := r.grant(tLocalRentalCar, "1.5")
	lr.ChooseOne = groupRepatriation
	lr.MaxDays = int(r.num(pLocalRentalMaxDays))
	lr.DayKind = r.pr.LocalRentalDayKind
	if lr.DayKind == "working" {
		r.text(lr, tLocalRentalCarWorking)
		lr.Until = r.workdaysUntil(lr.MaxDays)
	}
}

var yes, no = true, false

// repairTooLong says whether the repair takes longer than 1.5 allows for the
// trip. On the way out: repair.ready_by, when given, is later than the last
// of the three working days counted as for until (reading
// national_holidays); otherwise, or where that country's working days cannot
// be counted, more working days than three are needed. On the way home: more
// hours than 24 are needed; without the hours, a ready_by two or more days
// after the event day.
func (r *run) repairTooLong() bool {
	rep := r.c.Repair
	if r.trip == "homebound" {
		limit := float64(r.num(pRepatriationHomeboundHours))
		if rep.HoursNeeded != nil {
			return *rep.HoursNeeded > limit
		}
		if !r.c.ReadyBy.IsZero() {
			return !r.c.ReadyBy.Before(r.day.AddDays(2))
		}
		return false
	}
	n := r.num(pRepatriationOutboundWorkingDays)
	if !r.c.ReadyBy.IsZero() {
		if last := r.workdaysUntil(int(n)); !last.IsZero() {
			return last.Before(r.c.ReadyBy)
		}
	}
	if rep.WorkingDaysNeeded != nil {
		return *rep.WorkingDaysNeeded > float64(n)
	}
	return false
}
