package insurance

// care implements 2.14 as eligibility: each injured driver or passenger aged
// 16 or more and resident in Sweden, after a traffic accident in the Green
// Card area, for 5 years; not dental care, mental injury or illness.
func (st *state) care() {
	c, n := st.c, &st.c.Incident
	if !st.has(cvCare) || len(c.Costs.CarePersons) == 0 {
		return
	}
	until := addYears(c.OccurredAt, int(st.pv(pCareYears))).AddDays(-1).String()
	for i, person := range c.Costs.CarePersons {
		if code, cl := st.general(kPerson, "care"); code != "" {
			st.refuse("care", code, cl)
			continue
		}
		if c.Driver.WithoutPermission {
			// 2.14: a driver without the insured's permission ends Care for
			// everyone in the car, the driver included.
			st.use(rdCarePermission)
			st.refuse("care", "driver_without_permission", "2.14")
			continue
		}
		code := ""
		switch {
		case !in(n.Peril, trafficAccident):
			code = "not_traffic_accident"
		case person.Age < st.pv(pCareMinAge):
			code = "care_under_16"
		case !person.ResidentInSweden:
			code = "care_not_resident"
		case person.Injury == "dental" || person.Injury == "mental" || person.Injury == "illness":
			code = "care_excluded_injury"
		}
		if code != "" {
			st.refuse("care", code, "2.14")
			continue
		}
		st.dropOpen()
		st.s.Lines = append(st.s.Lines, Line{Cover: "care", Clause: "2.14", Covered: true, rank: uint8(coverOrder("care")),
			Status: "eligible", Person: i, CareUntil: until, kind: kPerson})
	}
}
