package insurance

// Every loss a claim gives is accounted for (1.3): a line pays it, or a
// refusal says why not. No input makes a loss disappear silently. The losses are the peril's own (the car's damage or loss, the
// stolen wheels, the dispute's costs) and the costs beside it (third-party
// damage, the car's transport and towing, person transport, rental, clothes,
// crisis therapy, collecting a recovered car, injured persons for Care).

// coverSetOf is the set of the named line covers, a bit per place in the
// listed order (coverOrder).
func coverSetOf(covers ...string) uint32 {
	var m uint32
	for _, c := range covers {
		m |= 1 << coverOrder(c)
	}
	return m
}

// The covers that may pay a loss, as sets of line covers.
var (
	collisionCovers = coverSetOf("collision", "animal_collision", "vandalism_deductible", "collision_abroad", "plus")
	glassCovers     = coverSetOf("glass") | collisionCovers
	layupCovers     = coverSetOf("layup")
	trafficCovers   = coverSetOf("traffic")
	rescueCovers    = coverSetOf("rescue")
	rentalCovers    = coverSetOf("rental_car")
	clothesCovers   = coverSetOf("animal_collision")
	therapyCovers   = coverSetOf("crisis_therapy")
	collectCovers   = coverSetOf("theft", "layup")
	careCovers      = coverSetOf("care")
)

// perilLoss says whether the claim gives the peril's own loss, the cover a
// refusal names when nothing accounts for it, and the covers that may.
func (st *state) perilLoss() (given bool, primary string, covers uint32) {
	c, n := st.c, &st.c.Incident
	repair := c.Costs.HasRepair
	switch p := n.Peril; p {
	case "fire", "arson", "lightning", "explosion", "short_circuit":
		given, primary = repair, "fire"
	case "windscreen", "side_window", "rear_window":
		given, primary = repair, "glass"
	case "wheel_theft":
		given, primary = c.Costs.Wheels != nil, "theft"
	case "vehicle_theft", "unauthorised_taking", "robbery":
		given, primary = repair, "theft"
		if n.RecoveredWithin30Days == nil || !*n.RecoveredWithin30Days {
			given = c.Costs.HasMarketValue
		}
	case "attempted_theft", "break_in", "parts_theft":
		given, primary = repair, "theft"
	case "machinery_failure", "breakdown":
		given, primary = repair, "machinery"
	case "legal_dispute":
		given, primary = c.Costs.Legal != nil || len(c.Costs.LegalClaims) > 0, "legal"
	case "collision", "single_vehicle", "vandalism", "parking_damage", "animal_collision", "other_external", "transport_damage":
		given, primary = repair, "collision"
	case "interior_accident":
		given, primary = repair, "interior"
	case "key_loss":
		given, primary = repair, "key"
	case "warranty_repair":
		given, primary = repair || c.Costs.HasWarrantyDeductible, "plus"
	default:
		return false, "", 0 // the peril has no loss of its own (third parties, illness, a key taken)
	}
	switch primary {
	case "collision":
		covers = collisionCovers
	case "glass":
		covers = glassCovers
	default:
		covers = 1 << coverOrder(primary)
	}
	if c.Vehicle.LaidUp {
		// while laid up, lay-up is the only own-damage cover (layup_only_cover)
		if primary == "legal" {
			return given, "legal", covers | layupCovers
		}
		return given, "layup", layupCovers
	}
	return given, primary, covers
}

// account adds a not_insured refusal (1.3; 2.10 for a laid-up car) for
// every loss the claim gives that no line or refusal of a cover that pays
// such a loss accounts for. It runs after every rule, as the last word.
func (st *state) account() {
	c := st.c
	var named uint32 // the covers of the lines and refusals
	for i := range st.s.Lines {
		named |= 1 << st.s.Lines[i].rank
	}
	for i := range st.s.Refusals {
		named |= 1 << coverOrder(st.s.Refusals[i].Cover)
	}
	check := func(given bool, primary string, covers uint32) {
		if !given || named&covers != 0 {
			return
		}
		cl := "1.3"
		if c.Vehicle.LaidUp && primary != "traffic" && primary != "care" && primary != "crisis_therapy" {
			st.use(rdLayupOnly)
			cl = "2.10"
		}
		st.refuse(primary, "not_insured", cl)
		named |= 1 << coverOrder(primary)
	}
	if given, primary, covers := st.perilLoss(); given {
		check(true, primary, covers)
	}
	var person int64
	if r := c.Costs.Rescue; r != nil {
		person = r.PersonTransport
	}
	check(c.Costs.ThirdParty > 0, "traffic", trafficCovers)
	check(st.transportLeft || person > 0, "rescue", rescueCovers)
	check(c.Costs.Rental != nil && c.Costs.Rental.Days > 0, "rental_car", rentalCovers)
	check(c.Costs.Clothes > 0, "animal_collision", clothesCovers)
	check(len(c.Costs.TherapySessions) > 0 || len(c.Costs.TherapyDated) > 0, "crisis_therapy", therapyCovers)
	check(c.Costs.Collection > 0, "theft", collectCovers)
	check(len(c.Costs.CarePersons) > 0, "care", careCovers)
}

// order puts the lines in the listed order of the contract (stable).
func (st *state) order() {
	s := st.s
	for i := 1; i < len(s.Lines); i++ {
		for j := i; j > 0 && s.Lines[j].rank < s.Lines[j-1].rank; j-- {
			s.Lines[j], s.Lines[j-1] = s.Lines[j-1], s.Lines[j]
		}
	}
}

// capRefunds implements 4.1 for Plus and the Bas deductible refunds
// (refund_capped_by_damage): of one incident they together pay at most what
// the owner bore of the damage: the warranty's deductible, or the collision
// line's deductible (after 2.9), or the loss when that is smaller. Plus
// takes first (plus_before_bas), then the refunds in listed order; clothes
// are apart. Runs after singleDeductible, on lines in listed order.
func (st *state) capRefunds() {
	var budget int64
	switch {
	case st.warrantyRuns:
		budget = st.warrantyBore
	default:
		found := false
		for i := range st.s.Lines {
			if l := &st.s.Lines[i]; l.Cover == "collision" && l.Covered && l.Status == "settled" {
				budget, found = min(l.Deductible, l.Assessed), true
				break
			}
		}
		if !found {
			return // refunds arise only with the warranty or a collision line
		}
	}
	if st.warrantyRuns && st.warrantyBore < st.c.Costs.WarrantyDeductible {
		for i := range st.s.Lines {
			if st.s.Lines[i].refundLine {
				st.use(rdRefundCapped) // the loss is below the warranty's deductible
				break
			}
		}
	}
	take := func(l *Line) {
		if l.refund <= budget {
			budget -= l.refund
			return
		}
		st.use(rdRefundCapped)
		cut := l.refund - budget
		l.refund, budget = budget, 0
		l.Assessed = l.step(st, "refund_cap", "4.1", l.Assessed-cut)
	}
	for i := range st.s.Lines {
		if l := &st.s.Lines[i]; l.refundLine && l.Cover == "plus" {
			take(l)
		}
	}
	for i := range st.s.Lines {
		if l := &st.s.Lines[i]; l.refundLine && l.Cover != "plus" {
			take(l)
		}
	}
}
