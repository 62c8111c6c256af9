package insurance

// machinery implements 2.5: listed components that broke by themselves,
// until the car is 8 years old or has run 150 000 km (the cover ends when a
// limit is reached: machinery_band_edges); deductible by odometer band; one
// missed service halves the loss, more refuse it. Every reason for refusal
// is given, so that rental (2.11.1) can tell a failure refused only for the
// car's age or distance (rental_machinery_damage).
func (st *state) machinery() {
	n, v := &st.c.Incident, &st.c.Vehicle
	l := st.open("machinery", "2.5", kOwn)
	if l == nil {
		return
	}
	st.use(rdAges)
	limits := st.age >= st.pv(pMachineryBelowAge) || v.OdometerKm >= st.pv(pMachineryMaxKm)
	if v.OdometerKm == st.pv(pMachineryMaxKm) {
		st.use(rdMachineryBands)
	}
	reasons := 0
	refuse := func(why bool, code string) {
		if why {
			st.refuse("machinery", code, "2.5")
			reasons++
		}
	}
	refuse(n.ExternalCause, "external_cause")
	refuse(limits, "machinery_limits_exceeded")
	refuse(!in(n.Component, machineryComponents) || n.Tuned || n.FaultyRepair, "component_excluded")
	refuse(v.MissedServices > st.pv(pMachineryMissedMax), "service_not_followed")
	if reasons > 0 {
		st.machLimits = limits
		st.machLimitsOnly = limits && reasons == 1
		return
	}
	x := st.carLoss(l, false)
	if v.MissedServices == 1 {
		x = l.step(st, "missed_service", "2.5", st.pct(x, st.pv(pMachineryMissedPercent)))
	}
	l.Assessed = x
	for i, id := range pBandKm {
		km := st.pv(id)
		if v.OdometerKm == km {
			st.use(rdMachineryBands)
		}
		if v.OdometerKm <= km {
			l.part(st, "odometer_band", "2.5", st.pv(pBandDeductible[i]))
			break
		}
	}
	st.add(l)
}
