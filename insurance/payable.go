package insurance

// finish computes net, the reductions in their fixed order and payable, then
// the totals and the premium effect.
func (st *state) finish() {
	c, s := st.c, st.s
	d, n := &c.Driver, &c.Incident
	// insertion sort by the fixed cover order (few lines, stable)
	for i := 1; i < len(s.Lines); i++ {
		for j := i; j > 0 && coverOrder(s.Lines[j].Cover) < coverOrder(s.Lines[j-1].Cover); j-- {
			s.Lines[j], s.Lines[j-1] = s.Lines[j-1], s.Lines[j]
		}
	}
	for i := range s.Lines {
		l := &s.Lines[i]
		if !l.Covered || l.Status == "eligible" {
			continue
		}
		l.Net = max(0, l.Assessed-l.Deductible)
		left := l.Net
		red := func(code, clause string, percent, amount int64) {
			amount = min(amount, left)
			left -= amount
			l.reduce(st, Reduction{Code: code, Clause: clause, Percent: percent, Amount: amount})
		}
		if l.kind == kOwn {
			if !d.Licence {
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
		if n.FalseInformation && l.kind != kTraffic && l.Cover != "care" {
			red("false_information", "3.6", st.pv(pFalseInfoPercent), max(st.pct(left, st.pv(pFalseInfoPercent)), st.pv(pFalseInfoMin)))
		}
		if l.capCode != "" && left > l.capAt {
			red(l.capCode, l.capCl, 0, left-l.capAt)
		}
		l.Payable = left
		if l.Status == "pending" {
			l.Payable = 0
		}
	}
	bonusFree := c.Policy.BonusClass >= st.pv(pPremiumFreeBonusClass) && c.Policy.ClaimFreeYears >= st.pv(pPremiumFreeClaimFreeYears)
	for i := range s.Lines {
		l := &s.Lines[i]
		s.PayableTotal += l.Payable
		if l.Covered && l.Status == "settled" {
			s.DeductibleTotal += l.Deductible
		}
		if l.Payable <= 0 || bonusFree {
			continue
		}
		switch l.Cover {
		case "traffic":
			s.PremiumAffecting = true
		case "collision":
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
