package insurance

import (
	"sort"
	"time"

	"roadcover"
)

// Peril groups.
var (
	firePerils      = []string{"fire", "arson", "lightning", "explosion", "short_circuit"}
	glassPerils     = []string{"windscreen", "side_window", "rear_window"}
	theftPerils     = []string{"vehicle_theft", "unauthorised_taking", "attempted_theft", "break_in", "parts_theft", "wheel_theft"}
	collisionPerils = []string{"collision", "single_vehicle", "vandalism", "parking_damage", "animal_collision", "other_external"}
	trafficAccident = []string{"collision", "single_vehicle", "animal_collision", "third_party_injury", "third_party_property"}
	layupPerils     = []string{"fire", "arson", "lightning", "explosion", "short_circuit", "windscreen", "side_window", "rear_window",
		"vehicle_theft", "unauthorised_taking", "attempted_theft", "break_in", "parts_theft", "wheel_theft",
		"legal_dispute", "transport_damage", "vandalism", "other_external"}
)

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

// perilLines gives the lines of the own-damage covers the peril touches.
func (st *state) perilLines() {
	c := st.c
	peril := c.Incident.Peril
	if c.Vehicle.LaidUp {
		st.layup()
		return
	}
	if st.has(cvLayup) && in(peril, layupPerils) {
		st.refuse("layup", "not_laid_up", "2.10")
	}
	switch {
	case in(peril, firePerils):
		if st.has(cvFire) {
			st.fire("fire", "2.2")
		}
	case in(peril, glassPerils):
		if c.Incident.InCollision {
			if st.has(cvGlass) {
				st.refuse("glass", "in_collision", "2.3")
			}
			st.collisionKind()
		} else if st.has(cvGlass) {
			st.glass("glass", "2.3")
		}
	case in(peril, theftPerils):
		if st.has(cvTheft) {
			st.theft("theft", "2.4")
		}
	case peril == "robbery" || peril == "key_theft":
		if st.has(cvTheft) {
			st.therapy()
		}
	case peril == "machinery_failure":
		if st.has(cvMachinery) {
			st.machinery()
		}
	case peril == "legal_dispute":
		if st.has(cvLegal) {
			st.legal("legal", "2.7")
		}
	case in(peril, collisionPerils) || peril == "transport_damage":
		st.collisionKind()
	case peril == "interior_accident":
		if st.bas() {
			st.interior()
		}
	case peril == "key_loss":
		if st.bas() {
			st.key()
		}
	case peril == "warranty_repair":
		if st.has(cvPlus) {
			st.plus()
		}
	}
}

// fire implements 2.2: deductible 0 for a car under 5 years, the higher
// detached-part deductible for a detached part; no explosion inside motor,
// silencer, tyres or hoses; no short circuit in a machinery component.
func (st *state) fire(cv, clause string) {
	c, n := st.c, &st.c.Incident
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
		st.add(l)
		return
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
	_ = c
	st.add(l)
}

// glass implements 2.3: windscreen repaired instead of replaced 200, at an
// authorised Swedish Polestar dealer 100; damage in a collision is not glass.
func (st *state) glass(cv, clause string) {
	c, n := st.c, &st.c.Incident
	l := st.open(cv, clause, kOwn)
	if l == nil {
		return
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
	_ = c
	st.add(l)
}

// theftExcluded applies the exclusions and the police-report duty of 2.4.
func (st *state) theftExcluded(cv string) bool {
	n := &st.c.Incident
	code := ""
	switch {
	case n.ByHouseholdMember:
		code = "household_member"
	case n.Fraud:
		code = "fraud"
	case n.UnauthorisedUseByHolder:
		code = "unauthorised_use_by_holder"
	case n.EquipmentUnproven:
		code = "equipment_unproven"
	case !n.PoliceReport:
		code = "police_report_missing"
	}
	if code != "" {
		st.refuse(cv, code, "2.4")
		return true
	}
	return false
}

// theftLoss values a theft: a stolen car not recovered at its market value
// (pending until 30 days have run), wheels by 4.4 with the 1.3.1 cap,
// anything else as damage.
func (st *state) theftLoss(l *Line) int64 {
	c, n := st.c, &st.c.Incident
	switch n.Peril {
	case "vehicle_theft", "unauthorised_taking":
		if n.RecoveredWithin30Days != nil && *n.RecoveredWithin30Days {
			return st.carLoss(l, true)
		}
		if !c.Costs.HasMarketValue {
			st.need("costs.market_value_sek", "the market value is required for a stolen car")
			return 0
		}
		if n.RecoveredWithin30Days == nil {
			l.Status = "pending"
		}
		x := l.step(st, "market_value", "4.4", c.Costs.MarketValue)
		if c.Policy.VATRegistered {
			x = l.step(st, "without_vat", "4.6", st.value(x))
		}
		return x
	case "wheel_theft":
		w := c.Costs.Wheels
		if w == nil {
			st.need("costs.wheels", "the stolen wheels are required for peril wheel_theft")
			return 0
		}
		tyreLoss := min(w.TyresAge*st.pv(pTyrePercent), st.pv(pTyreMax))
		rimLoss := min(max(0, w.RimsAge-st.pv(pRimFreeYears))*st.pv(pRimPercent), st.pv(pRimMax))
		if w.RimsAge > st.pv(pRimFreeYears)+1 {
			st.use(rdRim)
		}
		tyres := w.Tyres - st.pct(w.Tyres, tyreLoss)
		rims := w.Rims - st.pct(w.Rims, rimLoss)
		l.step(st, "tyres_depreciated", "4.4", tyres)
		l.step(st, "rims_depreciated", "4.4", rims)
		x := st.marketCap(l, l.step(st, "wheels", "4.4", tyres+rims))
		st.use(rdAges)
		if st.age > st.pv(pWheelsCapOverAge) {
			if cap := st.pct(c.PBB, st.pv(pWheelsCapPBBPercent)); x > cap {
				x = l.step(st, "wheels_cap", "1.3.1", cap)
			}
		}
		return x
	}
	return st.carLoss(l, true)
}

// theft implements 2.4: base deductible, eliminated by an activated approved
// alarm for break-in and theft or taking of the car (wheels only with a level
// sensor; never parts from the outside); plus 10 %, at least 5 000, when the
// car was unlocked or the key in or near it; plus 5 000 for alloy wheels
// without locking nuts.
func (st *state) theft(cv, clause string) {
	c, n, v := st.c, &st.c.Incident, &st.c.Vehicle
	l := st.open(cv, clause, kOwn)
	if l == nil || st.theftExcluded(cv) {
		return
	}
	l.theftish = true
	l.Assessed = st.theftLoss(l)
	base := st.base("theft")
	l.part(st, "base", clause, base)
	if cv == "theft" {
		activated := !n.CarUnlocked
		if n.AlarmActivated != nil {
			activated = *n.AlarmActivated
		}
		approved := v.Alarm == "approved" || v.Alarm == "approved_level_sensor" || v.Alarm == "ssf_recommended"
		switch n.Peril {
		case "break_in", "vehicle_theft", "unauthorised_taking":
			if approved && activated && base > 0 {
				l.part(st, "alarm_elimination", "2.4", -base)
			}
		case "wheel_theft":
			if v.Alarm == "approved_level_sensor" && activated && base > 0 {
				l.part(st, "alarm_elimination", "2.4", -base)
			}
		}
		if n.CarUnlocked || n.KeyInOrNearCar {
			l.part(st, "negligence", "2.4", max(st.pct(l.Assessed, st.pv(pTheftNegligencePercent)), st.pv(pTheftNegligenceMin)))
		}
		if n.Peril == "wheel_theft" && v.AlloyWheels && !v.LockingWheelNuts {
			l.part(st, "no_locking_wheel_nuts", "2.4", st.pv(pTheftWheelNuts))
		}
	}
	_ = c
	st.add(l)
}

// therapy implements the crisis therapy of 2.4: at most 10 sessions of at
// most 1 500, 15 000 in all, in Sweden, within 12 months; no deductible.
func (st *state) therapy() {
	c, n := st.c, &st.c.Incident
	if len(c.Costs.TherapySessions) == 0 && len(c.Costs.TherapyDated) == 0 {
		return
	}
	l := st.open("crisis_therapy", "2.4", kPerson)
	if l == nil {
		return
	}
	if !n.PoliceReport {
		st.refuse("crisis_therapy", "police_report_missing", "2.4")
		return
	}
	if !c.Costs.TherapyInSweden {
		st.refuse("crisis_therapy", "therapy_outside_sweden", "2.4")
		return
	}
	// Dated sessions after the 12 months from the incident are not paid;
	// undated ones are taken as within and the window is left to a check.
	amounts := c.Costs.TherapySessions
	if len(c.Costs.TherapyDated) > 0 {
		st.use(rdTherapyWindow)
		end := addMonths(c.OccurredAt, int(st.pv(pTherapyMonths)))
		dated := make([]Session, len(c.Costs.TherapyDated))
		copy(dated, c.Costs.TherapyDated)
		sort.SliceStable(dated, func(i, j int) bool { return dated[i].Date.Before(dated[j].Date) })
		amounts = append(make([]int64, 0, len(amounts)+len(dated)), amounts...)
		var all, inside int64
		for _, x := range dated {
			all += x.Amount
			if end.Before(x.Date) {
				continue
			}
			inside += x.Amount
			amounts = append(amounts, x.Amount)
		}
		if inside < all {
			l.step(st, "sessions_within_12_months", "2.4", inside)
		}
	}
	if len(c.Costs.TherapySessions) > 0 {
		st.requirement("therapy_within_12_months")
	}
	var sum int64
	for i, s := range amounts {
		if int64(i) >= st.pv(pTherapySessions) {
			break
		}
		sum += min(s, st.pv(pTherapySessionCap))
	}
	l.step(st, "sessions", "2.4", sum)
	if sum > st.pv(pTherapyTotalCap) {
		sum = l.step(st, "therapy_cap", "2.4", st.pv(pTherapyTotalCap))
	}
	l.Assessed = sum
	st.add(l)
}

// addMonths is the same day n months later (the month's last day when the
// day does not exist there).
func addMonths(d roadcover.Date, n int) roadcover.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m = m%12 + 1
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return roadcover.Date{Year: y, Month: time.Month(m), Day: min(d.Day, last)}
}

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

// courts are the fora 2.7 covers; excludedDisputes the kinds it excludes
// (a small claim only when it is not about this insurance).
var (
	courts           = []string{"district_court", "court_of_appeal", "supreme_court"}
	excludedDisputes = []string{"professional_rental", "co_owners", "group_action_member", "crime_damages", "no_justified_interest"}
)

// legal implements 2.7: disputes before the general courts with a qualified
// lawyer; 100 hours at most the courts' hourly cost norm, investigation and
// witnesses 20 000 each; deductible 20 %, at least 1 000; at most 250 000
// paid per dispute.
func (st *state) legal(cv, clause string) {
	c, n := st.c, &st.c.Incident
	l := st.open(cv, clause, kLegal)
	if l == nil {
		return
	}
	code := ""
	switch {
	case !in(n.Forum, courts):
		code = "forum_not_covered"
	case n.Dispute == "small_claim" && !n.AboutThisInsurance,
		in(n.Dispute, excludedDisputes):
		code = "dispute_excluded"
	}
	if code != "" {
		st.refuse(cv, code, "2.7")
		return
	}
	claims := st.legalClaims[:0]
	if c.Costs.Legal != nil {
		claims = append(claims, c.Costs.Legal)
	}
	for i := range c.Costs.LegalClaims {
		claims = append(claims, &c.Costs.LegalClaims[i])
	}
	if len(claims) == 0 {
		st.need("costs.legal", "the legal costs are required for peril legal_dispute")
		return
	}
	kept := claims[:0]
	for _, g := range claims {
		if !g.LawyerQualified {
			if !st.refused(cv, "lawyer_not_qualified") {
				st.refuse(cv, "lawyer_not_qualified", "2.7")
			}
			continue
		}
		kept = append(kept, g)
	}
	// Claims from the same events are one dispute: caps, deductible and the
	// 250 000 ceiling apply once per dispute id, in the order first named.
	done := uint64(0)
	tmpl := *l
	st.dropOpen()
	for i, g := range kept {
		if i < 64 && done&(1<<i) != 0 {
			continue
		}
		id := disputeOf(g, n)
		line := tmpl
		line.DisputeID = id
		st.legalDispute(&line, kept[i:], id, &done, i)
	}
}

// disputeOf is the dispute a legal claim belongs to (2.7).
func disputeOf(g *Legal, n *Incident) string {
	if g.HasDisputeID {
		return g.DisputeID
	}
	return n.DisputeID
}

// legalDispute values one dispute of 2.7: 100 lawyer hours in all at most
// the courts' hourly cost norm, investigation and witnesses 20 000 each,
// deductible 20 % at least 1 000, at most 250 000 paid.
func (st *state) legalDispute(l *Line, claims []*Legal, id string, done *uint64, first int) {
	c, n := st.c, &st.c.Incident
	hoursLeft := st.pv(pLegalMaxHours) * 100
	var fee, inv, wit, oth int64
	count := 0
	for j, g := range claims {
		if disputeOf(g, n) != id {
			continue
		}
		if k := first + j; k < 64 {
			*done |= 1 << k
		}
		count++
		hours := min(g.LawyerCentiHours, hoursLeft)
		hoursLeft -= hours
		rate := st.value(g.HourlyRate)
		if t := st.p.norm; t != nil {
			if row, ok := t.At("", c.OccurredAt); ok {
				st.use(rdHourlyNorm)
				if rate > row.Value {
					l.step(st, "hourly_norm", "2.7", row.Value)
					rate = row.Value
				}
			} else {
				st.requirement("hourly_norm_check")
			}
		}
		fee += roadcover.DivRound(rate*hours, 100)
		inv += st.value(g.Investigation)
		wit += st.value(g.Witness)
		oth += st.value(g.Other)
	}
	if count > 1 {
		st.use(rdLegalOneDispute)
	}
	fee = l.step(st, "lawyer_fee", "2.7", fee)
	inv = l.step(st, "investigation", "2.7", min(inv, st.pv(pLegalInvestigationCap)))
	wit = l.step(st, "witnesses", "2.7", min(wit, st.pv(pLegalWitnessCap)))
	oth = l.step(st, "court_costs", "2.7", oth)
	l.Assessed = fee + inv + wit + oth
	l.part(st, "legal", "2.7", max(st.pct(l.Assessed, st.pv(pLegalDeductiblePercent)), st.pv(pLegalDeductibleMin)))
	l.capCode, l.capAt, l.capCl = "dispute_cap", st.pv(pLegalDisputeCap), "2.7"
	st.add(l)
}
