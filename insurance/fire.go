package insurance

// fire implements 2.2 (and 2.10 for a laid-up car, with the same
// deductible rules): deductible 0 for a car under 5 years; for a detached
// part the higher detached-part deductible, also under 5 years
// (fire_detached_part); no explosion inside motor, silencer, tyres or hoses;
// no short circuit in a machinery component.
func (st *state) fire(cv, clause string) {
	n := &st.c.Incident
	l := st.open(cv, clause, kOwn)
	if l == nil {
		return
	}
	if n.ExplosionInsideComponent {
		st.refuse(cv, "explosion_inside_component", "2.2")
		return
	}
	if n.Peril == "short_circuit" && in(n.Component, machineryComponents) {
		st.refuse(cv, "short_circuit_in_machinery_component", "2.2")
		return
	}
	if n.InCollision {
		st.use(rdFireAfterTraffic)
	}
	l.Assessed = st.carLoss(l, true)
	base := st.base("fire")
	l.part(st, "base", "2.2", base)
	if cv == "layup" {
		st.use(rdLayupDeductibles)
	}
	st.use(rdAges)
	switch {
	case n.DetachedPart:
		if dp := st.base("detached_part"); dp > base {
			l.part(st, "detached_part", "2.2", dp-base)
		}
		if st.age < st.pv(pFireFreeBelowAge) {
			st.use(rdFireDetached)
		}
	case st.age < st.pv(pFireFreeBelowAge):
		l.part(st, "young_car", "2.2", -base)
	}
	st.add(l)
}
