package insurance

// damageLine is the line that pays the car's damage, for 4.9: the first
// listed fire, theft, machinery, collision or lay-up line that is covered
// and settled (not refused, not pending), also when nothing is left of it
// after the deductible. nil when there is none.
func (st *state) damageLine() *Line {
	var l *Line
	for i := range st.s.Lines {
		x := &st.s.Lines[i]
		if x.kind != kOwn || !x.Covered || x.Status != "settled" {
			continue
		}
		switch x.Cover {
		case "fire", "theft", "machinery", "collision", "layup":
			if l == nil || x.rank < l.rank {
				l = x
			}
		}
	}
	return l
}

// rescue implements 2.6 with 4.9 (towing_with_damage): the car's transport
// (necessary towing, costs.towing_sek, and car transport,
// costs.rescue.car_transport_sek) is paid with a covered damage: it joins
// the damage line after its caps and before its deductible. Only without
// such a line does rescue pay it, at most the car's value after the damage.
// Person transport, less saved fuel and what another agreement pays, is
// always rescue's. A rescue line arises only when it has transport to pay.
func (st *state) rescue() {
	c := st.c
	var person, carT, saved, elsewhere int64
	if r := c.Costs.Rescue; r != nil {
		person, carT, saved, elsewhere = r.PersonTransport, r.CarTransport, r.SavedFuel, r.CoveredElsewhere
	}
	transport := st.sum(c.Costs.Towing, carT, "costs.towing_sek")
	if transport > 0 {
		if dl := st.damageLine(); dl != nil {
			st.use(rdTowing)
			dl.Assessed = dl.step(st, "towing", "4.9", st.sum(dl.Assessed, st.value(transport), "costs.towing_sek"))
			transport = 0
		}
	}
	if transport == 0 && person == 0 {
		return
	}
	if !st.has(cvRescue) || c.Vehicle.LaidUp {
		st.transportLeft = transport > 0
		return // accounted for as not insured (losses)
	}
	l := st.open("rescue", "2.6", kOwn)
	if l == nil {
		return
	}
	var car int64
	if transport > 0 {
		if c.Costs.Towing > 0 {
			st.use(rdTowing)
		}
		car = l.step(st, "car_transport", "2.6", st.value(transport))
		if c.Costs.HasValueAfter {
			if va := st.value(c.Costs.ValueAfterDamage); car > va {
				car = l.step(st, "value_after_damage_cap", "2.6", va)
			}
		}
	}
	x := st.sum(car, st.value(person), "costs.rescue.person_transport_sek") - st.value(saved) - st.value(elsewhere)
	l.Assessed = l.step(st, "transport", "2.6", max(0, x))
	l.part(st, "base", "2.6", st.base("rescue"))
	st.add(l)
}

// collection implements the last sentence but one of 4.9: the reasonable
// cost of collecting a stolen car found elsewhere joins the line that pays
// the car, when the car was recovered and that line is settled.
func (st *state) collection() {
	c := st.c
	col := c.Costs.Collection
	if col == 0 {
		return
	}
	recovered := c.Incident.RecoveredWithin30Days != nil && *c.Incident.RecoveredWithin30Days
	var line *Line
	for i := range st.s.Lines {
		if x := &st.s.Lines[i]; x.kind == kOwn && (x.Cover == "theft" || x.Cover == "layup") {
			line = x
		}
	}
	switch {
	case line == nil:
		return // the theft refusal or not_insured accounts for it (losses)
	case recovered && stolenCar(c.Incident.Peril) && line.Status == "settled":
		st.use(rdTowing)
		line.Assessed = line.step(st, "collection", "4.9", st.sum(line.Assessed, st.value(col), "costs.collection_sek"))
	default:
		st.refuse(line.Cover, "collection_not_due", "4.9")
	}
}
