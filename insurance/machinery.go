package insurance

// machinery implements 2.5: listed components only, until 8 years or
// 150 000 km; deductible by odometer band; one missed service halves the
// loss, more refuse it.
func (st *state) machinery() {
	c, n, v := st.c, &st.c.Incident, &st.c.Vehicle
	l := st.open("machinery", "2.5", kOwn)
	if l == nil {
		return
	}
	st.use(rdAges)
	code := ""
	switch {
	case n.ExternalCause:
		code = "external_cause"
	case st.age >= st.pv(pMachineryBelowAge) || v.OdometerKm > st.pv(pMachineryMaxKm):
		code = "machinery_limits_exceeded"
		st.machLimits = true
	case !in(n.Component, machineryComponents) || n.Tuned || n.FaultyRepair:
		code = "component_excluded"
	case v.MissedServices > st.pv(pMachineryMissedMax):
		code = "service_not_followed"
	}
	if code != "" {
		st.refuse("machinery", code, "2.5")
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
	_ = c
	st.add(l)
}
