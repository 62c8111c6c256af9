package insurance

// Every loss a claim gives is accounted for (1.3): a line pays it, or a
// refusal says why not. No input makes a loss disappear silently. The losses are the peril's own (the car's damage or loss, the
// stolen wheels, the dispute's costs) and the costs beside it (third-party
// damage, the car's transport and towing, person transport, rental, clothes,
// crisis therapy, collecting a recovered car, injured persons for Care).

// The covers that may pay a peril's own loss (read-only).
var (
	collisionCovers = []string{"collision", "animal_collision", "vandalism_deductible", "collision_abroad", "plus"}
	glassCovers     = append([]string{"glass"}, collisionCovers...)
	fireCovers      = []string{"fire"}
	theftCovers     = []string{"theft"}
	machineryCovers = []string{"machinery"}
	legalCovers     = []string{"legal"}
	interiorCovers  = []string{"interior"}
	keyCovers       = []string{"key"}
	plusCovers      = []string{"plus"}
	layupCovers     = []string{"layup"}
	layupLegal      = []string{"legal", "layup"}
)

// perilLoss says whether the claim gives the peril's own loss, the cover a
// refusal names when nothing accounts for it, and the covers that may.
func (st *state) perilLoss() (given bool, primary string, covers []string) {
	c, n := st.c, &st.c.Incident
	repair := c.Costs.HasRepair
	switch p := n.Peril; {
	case in(p, firePerils):
		given, primary, covers = repair, "fire", fireCovers
	case in(p, glassPerils):
		given, primary, covers = repair, "glass", glassCovers
	case in(p, theftPerils):
		switch {
		case p == "wheel_theft":
			given = c.Costs.Wheels != nil
		case stolenCar(p) && (n.RecoveredWithin30Days == nil || !*n.RecoveredWithin30Days):
			given = c.Costs.HasMarketValue
		default:
			given = repair
		}
		primary, covers = "theft", theftCovers
	case p == "machinery_failure", p == "breakdown":
		given, primary, covers = repair, "machinery", machineryCovers
	case p == "legal_dispute":
		given, primary, covers = c.Costs.Legal != nil || len(c.Costs.LegalClaims) > 0, "legal", legalCovers
	case in(p, collisionPerils), p == "transport_damage":
		given, primary, covers = repair, "collision", collisionCovers
	case p == "interior_accident":
		given, primary, covers = repair, "interior", interiorCovers
	case p == "key_loss":
		given, primary, covers = repair, "key", keyCovers
	case p == "warranty_repair":
		given, primary, covers = repair || c.Costs.HasWarrantyDeductible, "plus", plusCovers
	}
	if c.Vehicle.LaidUp && given {
		// while laid up, lay-up is the only own-damage cover (layup_only_cover)
		if primary == "legal" {
			return given, "legal", layupLegal
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
	clause := "1.3"
	if c.Vehicle.LaidUp {
		clause = "2.10"
	}
	check := func(given bool, primary string, covers ...string) {
		if !given || st.accounted(covers) {
			return
		}
		if c.Vehicle.LaidUp && primary != "traffic" && primary != "care" && primary != "crisis_therapy" {
			st.use(rdLayupOnly)
		}
		cl := clause
		if primary == "traffic" || primary == "care" || primary == "crisis_therapy" {
			cl = "1.3"
		}
		st.refuse(primary, "not_insured", cl)
	}
	if given, primary, covers := st.perilLoss(); given {
		check(true, primary, covers...)
	}
	var person int64
	if r := c.Costs.Rescue; r != nil {
		person = r.PersonTransport
	}
	check(c.Costs.ThirdParty > 0, "traffic", "traffic")
	check(st.transportLeft, "rescue", "rescue")
	check(person > 0, "rescue", "rescue")
	check(c.Costs.Rental != nil && c.Costs.Rental.Days > 0, "rental_car", "rental_car")
	check(c.Costs.Clothes > 0, "animal_collision", "animal_collision")
	check(len(c.Costs.TherapySessions) > 0 || len(c.Costs.TherapyDated) > 0, "crisis_therapy", "crisis_therapy")
	check(c.Costs.Collection > 0, "theft", "theft", "layup")
	check(len(c.Costs.CarePersons) > 0, "care", "care")
}

// accounted reports whether a line or a refusal names one of the covers.
func (st *state) accounted(covers []string) bool {
	for i := range st.s.Lines {
		if in(st.s.Lines[i].Cover, covers) {
			return true
		}
	}
	for i := range st.s.Refusals {
		if in(st.s.Refusals[i].Cover, covers) {
			return true
		}
	}
	return false
}

// order puts the lines in the listed order of the contract (stable).
func (st *state) order() {
	s := st.s
	for i := 1; i < len(s.Lines); i++ {
		for j := i; j > 0 && coverOrder(s.Lines[j].Cover) < coverOrder(s.Lines[j-1].Cover); j-- {
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
