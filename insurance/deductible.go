package insurance

// singleDeductible implements 2.9, one deductible per incident, claim-wise
// (single_deductible_claimwise): of the own-damage lines, each carries a
// mergeable deductible (its whole deductible but a youth part:
// young_driver_youth) and D is the highest. D is borne once: first by the
// line that carries it (the first listed of equals), up to its assessed
// amount less its youth part, then by the other lines that carry a
// mergeable deductible, in listed order, each up to the same limit; a rest
// that no line can bear is not charged. A line's deductible becomes its
// youth part plus its share of D; a part single_deductible records the
// difference, and a line whose share is below its own deductible gets the
// reduction code single_deductible. The traffic, crime, youth, legal and
// object deductibles are never merged (kinds other than kOwn, youth parts).
// It applies only when at least two own-damage lines carry a deductible.
// The lines must be in listed order.
func (st *state) singleDeductible() {
	lines := st.s.Lines
	merge := func(l *Line) int64 {
		if l.kind != kOwn || !l.Covered {
			return 0
		}
		return max(0, l.Deductible-l.youth)
	}
	best, count := -1, 0
	for i := range lines {
		m := merge(&lines[i])
		if m <= 0 {
			continue
		}
		count++
		if best < 0 || m > merge(&lines[best]) {
			best = i
		}
	}
	if count < 2 {
		return
	}
	st.use(rdClaimwise)
	left := merge(&lines[best])
	var buf [16]int64
	shares := buf[:]
	if len(lines) > len(buf) {
		shares = make([]int64, len(lines))
	}
	bear := func(i int) {
		l := &lines[i]
		share := min(left, max(0, l.Assessed-l.youth))
		left -= share
		shares[i] = share
	}
	bear(best)
	for i := range lines {
		if i != best && merge(&lines[i]) > 0 {
			bear(i)
		}
	}
	for i := range lines {
		l := &lines[i]
		own := merge(l)
		if own <= 0 {
			continue
		}
		share := shares[i]
		switch l.Cover {
		case "interior", "key":
			st.use(rdBasFixed)
		}
		if l.youth > 0 {
			st.use(rdYouth)
		}
		if share == own {
			continue
		}
		l.part(st, "single_deductible", "2.9", share-own)
		l.Deductible = l.youth + share
		if share < own {
			l.reduce(st, Reduction{Code: "single_deductible", Clause: "2.9"})
		}
	}
}
