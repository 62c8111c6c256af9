package insurance

// finish computes net, the reductions in their fixed order and payable, then
// the totals and the premium effect. The lines are in listed order.
//
// What a cover pays at most after the deductible (2.7: 250 000 per
// dispute; 2.11.5: 1 500 without collision cover or warranty) caps the net
// first: that is the compensation the reductions are taken from. Then the
// reductions, each on what is left of the line: 3.2 (no licence, including
// practice driving against the rules: learner_driving; intoxicated; driving
// ban; ice not checked), 2.4 (a detached part not locked away), 3.6 (false
// or withheld information: 10 % of each line but traffic and care, and the
// 1 000 minimum once for the settlement, taken from the lines in listed
// order: false_information_once). The terms give these percentages only as
// a rule, so each one applied asks for a handler's review
// (reduction_review).
func (st *state) finish() {
	c, s := st.c, st.s
	d, n := &c.Driver, &c.Incident
	falseInfo := n.FalseInformation
	var falseTotal int64 // 3.6 taken, pending lines included
	for i := range s.Lines {
		l := &s.Lines[i]
		if !l.Covered || l.Status == "eligible" {
			continue
		}
		l.Net = max(0, l.Assessed-l.Deductible)
		left := l.Net
		if l.capCode != "" && left > l.capAt {
			// the most the cover pays after the deductible (2.7 per
			// dispute, 2.11.5 without collision cover): the compensation
			// the reductions below are taken from
			l.reduce(st, Reduction{Code: l.capCode, Clause: l.capCl, Percent: 0, Amount: left - l.capAt})
			left = l.capAt
		}
		red := func(code, clause string, percent, amount int64) {
			amount = min(amount, left)
			left -= amount
			l.reduce(st, Reduction{Code: code, Clause: clause, Percent: percent, Amount: amount})
			st.requirement("reduction_review")
		}
		if l.kind == kOwn {
			if !d.Licence {
				st.use(rdLearner)
				red("no_licence", "3.2", st.pv(pBreachPercent), st.pct(left, st.pv(pBreachPercent)))
			}
			if d.Intoxicated {
				red("intoxicated", "3.2", st.pv(pBreachPercent), st.pct(left, st.pv(pBreachPercent)))
			}
			if d.DrivingBan {
				red("driving_ban", "3.2", st.pv(pBreachPercent), st.pct(left, st.pv(pBreachPercent)))
			}
			if n.IceNotChecked {
				red("ice_not_checked", "3.2", st.pv(pIcePercent), st.pct(left, st.pv(pIcePercent)))
			}
			if l.theftish && n.DetachedPartUnlocked {
				red("detached_part_unlocked", "2.4", st.pv(pTheftDetachedPercent), st.pct(left, st.pv(pTheftDetachedPercent)))
			}
		}
		if falseInfo && falseInformationLine(l) {
			before := left
			red("false_information", "3.6", st.pv(pFalseInfoPercent), st.pct(left, st.pv(pFalseInfoPercent)))
			falseTotal += before - left
		}
		l.Payable = left
	}
	if falseInfo {
		st.use(rdFalseInfoOnce)
		st.falseInformationMinimum(falseTotal)
	}
	for i := range s.Lines {
		if l := &s.Lines[i]; l.Status == "pending" {
			l.Payable = 0
		}
	}
	bonusFree := c.Policy.BonusClass >= st.pv(pPremiumFreeBonusClass) && c.Policy.ClaimFreeYears >= st.pv(pPremiumFreeClaimFreeYears)
	for i := range s.Lines {
		l := &s.Lines[i]
		s.PayableTotal = st.sum(s.PayableTotal, l.Payable, "costs")
		if l.Covered && l.Status == "settled" {
			s.DeductibleTotal = st.sum(s.DeductibleTotal, l.Deductible, "costs")
		}
		if l.Payable <= 0 || bonusFree {
			continue
		}
		switch l.Cover {
		case "traffic":
			s.PremiumAffecting = true
		case "collision":
			// 2.8: vandalism and other outside damage never affect the
			// premium (vandalism_never_premium); animal collisions not with
			// Bas or 2.13 (2.11.2, 2.13).
			switch {
			case n.Peril == "vandalism" || n.Peril == "other_external":
				if !st.bas() {
					st.use(rdVandalismPremium)
				}
			case n.Peril == "animal_collision" && (st.bas() || st.has(cvAnimal)):
			default:
				s.PremiumAffecting = true
			}
		}
	}
	if len(s.Lines) == 0 && len(s.Refusals) == 0 {
		st.refuse(perilCover(n.Peril), "not_insured", "1.3")
	}
}

// falseInformationLine reports whether 3.6 reduces a line: every line but
// traffic and care.
func falseInformationLine(l *Line) bool {
	return l.kind != kTraffic && l.Cover != "care"
}

// falseInformationMinimum implements the 1 000 minimum of 3.6 once per
// settlement (false_information_once): when the 10 % taken from the lines is
// below it, the difference is taken from the settled lines in listed order,
// each down to 0, until the total reaches the minimum or nothing is left.
// Each line's 3.6 reduction grows by what it gives.
func (st *state) falseInformationMinimum(taken int64) {
	short := st.pv(pFalseInfoMin) - taken
	for i := range st.s.Lines {
		if short <= 0 {
			return
		}
		l := &st.s.Lines[i]
		if !l.Covered || l.Status != "settled" || !falseInformationLine(l) || l.Payable <= 0 {
			continue
		}
		x := min(short, l.Payable)
		for j := range l.Reductions {
			if r := &l.Reductions[j]; r.Code == "false_information" {
				r.Amount += x
				break
			}
		}
		l.Payable -= x
		short -= x
	}
}
