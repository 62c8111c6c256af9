package insurance

// rescue implements 2.6: person and car transport, the car transport at
// most the car's value after the damage, less saved fuel and what another
// agreement pays.
func (st *state) rescue() {
	c := st.c
	r := c.Costs.Rescue
	if r == nil || !st.has(cvRescue) || c.Vehicle.LaidUp {
		return
	}
	l := st.open("rescue", "2.6", kOwn)
	if l == nil {
		return
	}
	car := l.step(st, "car_transport", "2.6", st.value(r.CarTransport))
	if c.Costs.HasValueAfter {
		if va := st.value(c.Costs.ValueAfterDamage); car > va {
			car = l.step(st, "value_after_damage_cap", "2.6", va)
		}
	}
	x := car + st.value(r.PersonTransport) - st.value(r.SavedFuel) - st.value(r.CoveredElsewhere)
	l.Assessed = l.step(st, "transport", "2.6", max(0, x))
	l.part(st, "base", "2.6", st.base("rescue"))
	st.add(l)
}

// towing implements 4.9: when the damage is payable, necessary towing to the
// nearest Polestar workshop (abroad, if the insurer finds it necessary, to
// one in Sweden) and the reasonable cost of collecting a stolen car found
// elsewhere are paid with the damage: they join the assessed amount of the
// line that pays the car, after its caps and before its deductible.
func (st *state) towing() {
	c := st.c
	tow, col := c.Costs.Towing, c.Costs.Collection
	if tow == 0 && col == 0 {
		return
	}
	var l *Line
	for i := range st.s.Lines {
		x := &st.s.Lines[i]
		if x.kind != kOwn || x.Status != "settled" {
			continue
		}
		switch x.Cover {
		case "fire", "theft", "machinery", "collision", "layup":
			if l == nil {
				l = x
			}
		}
	}
	if l == nil {
		if len(st.s.Lines) > 0 || len(st.s.Refusals) > 0 {
			st.requirement("towing_without_damage_line")
		}
		return
	}
	st.use(rdTowing)
	recovered := c.Incident.RecoveredWithin30Days != nil && *c.Incident.RecoveredWithin30Days
	if tow > 0 {
		l.Assessed = l.step(st, "towing", "4.9", l.Assessed+st.value(tow))
	}
	if col > 0 && recovered && (c.Incident.Peril == "vehicle_theft" || c.Incident.Peril == "unauthorised_taking") {
		l.Assessed = l.step(st, "collection", "4.9", l.Assessed+st.value(col))
	}
}
