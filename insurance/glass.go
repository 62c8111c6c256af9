package insurance

// glass implements 2.3 (and 2.10 for a laid-up car, with the same
// deductible rules): windscreen repaired instead of replaced 200, at an
// authorised Swedish Polestar dealer 100; damage in a collision is not glass.
func (st *state) glass(cv, clause string) {
	n := &st.c.Incident
	l := st.open(cv, clause, kOwn)
	if l == nil {
		return
	}
	if cv == "layup" {
		st.use(rdLayupDeductibles)
	}
	l.Assessed = st.carLoss(l, false)
	switch {
	case n.GlassRepaired && n.Peril == "windscreen" && n.AtPolestarDealer:
		l.part(st, "windscreen_repaired_dealer", "2.3", st.pv(pGlassRepairDealer))
	case n.GlassRepaired && n.Peril == "windscreen":
		l.part(st, "windscreen_repaired", "2.3", st.pv(pGlassRepair))
	default:
		l.part(st, "base", clause, st.base("glass"))
	}
	st.add(l)
}
