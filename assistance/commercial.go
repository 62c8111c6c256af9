package assistance

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
	if int64(r.c.FirstRegistered.WholeMonthsUntil(r.day)) >= max {
		r.refuse(tCommercialTooOld, "1.6-footnote")
	}
}
