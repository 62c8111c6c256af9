package assistance

import "roadcover"

// commercialUses are the uses 1.6 names (taxis, hire cars, police cars,
// ambulances, driving-school cars).
func isCommercial(use string) bool {
	switch use {
	case "taxi", "rental", "police", "ambulance", "driving_school":
		return true
	}
	return false
}

// commercialAge implements 1.6 and, in DE/PT/DK, the footnote on 1.6: the
// commercial cover (1.1 and 1.2 only) holds for cars younger than
// commercial_max_age_months whole months on the day of the event; an older
// car in commercial use gets nothing (reading commercial_footnote). GB has no
// footnote: commercial cars of any age keep 1.1 and 1.2.
func (r *run) commercialAge() {
	if !isCommercial(r.c.Vehicle.Use) {
		return
	}
	r.commercial = true
	if !r.pr.Footnote {
		return
	}
	r.rely(rCommercialFootnote)
	max := r.num(pCommercialMaxAgeMonths)
	if r.c.FirstRegistered.IsZero() {
		return // asked for in missing_information
	}
	r.rely(rWholeMonths)
	if int64(wholeMonths(r.c.FirstRegistered, r.day)) >= max {
		r.refuse(tCommercialTooOld, "1.6-footnote")
	}
}

// wholeMonths counts the whole months from d to e, 0 when e is not after d
// (reading whole_months): N months are complete on the day that has d's day
// number N months later, or on the first day of the next month where that
// month has no such day (from 31 May, one month is complete on 1 July).
func wholeMonths(d, e roadcover.Date) int {
	if !d.Before(e) {
		return 0
	}
	m := (e.Year-d.Year)*12 + int(e.Month) - int(d.Month)
	if e.Day < d.Day {
		m--
	}
	return m
}
