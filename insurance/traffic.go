package insurance

// traffic implements 2.1: third-party damage, worldwide; crime deductible
// 1/10 PBB and youth deductible 1 000 added up, capped at 1/10 PBB for a
// private person.
func (st *state) traffic() {
	c := st.c
	if c.Costs.ThirdParty <= 0 || !st.has(cvTraffic) {
		return
	}
	l := st.open("traffic", "2.1", kTraffic)
	if l == nil {
		return
	}
	if c.Incident.TrackOrCompetition {
		st.use(rdTrafficTrack)
	}
	l.Assessed = l.step(st, "third_party_damage", "2.1", c.Costs.ThirdParty)
	d := &c.Driver
	var sum int64
	if !d.Licence {
		st.use(rdLearner) // practice driving against the rules counts too
	}
	if !d.Licence || d.Intoxicated || d.Intent || d.GrossNegligence {
		crime := st.pct(c.PBB, st.pv(pCrimePBBPercent))
		l.part(st, "crime", "2.1", crime)
		sum += crime
	}
	if d.HasAge && d.Age < st.pv(pYouthBelowAge) {
		l.part(st, "youth", "2.1", st.pv(pYouthDeductible))
		sum += st.pv(pYouthDeductible)
	}
	if cap := st.pct(c.PBB, st.pv(pPrivateCapPBBPercent)); c.Policy.PrivatePerson && sum > cap {
		l.part(st, "private_cap", "2.1", cap-sum)
	}
	st.add(l)
}
