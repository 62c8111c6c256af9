package insurance

// singleDeductible implements 2.9: of the own-damage lines carrying a
// deductible, only the highest is charged (the first of equals).
func (st *state) singleDeductible() {
	lines := st.s.Lines
	best := -1
	count := 0
	for i := range lines {
		l := &lines[i]
		if l.kind != kOwn || l.Deductible <= 0 {
			continue
		}
		count++
		if best < 0 || l.Deductible > lines[best].Deductible {
			best = i
		}
	}
	if count < 2 {
		return
	}
	for i := range lines {
		l := &lines[i]
		if i == best || l.kind != kOwn || l.Deductible <= 0 {
			continue
		}
		if l.Cover == "interior" || l.Cover == "key" || lines[best].Cover == "interior" || lines[best].Cover == "key" {
			st.use(rdBasFixed)
		}
		l.part(st, "single_deductible", "2.9", -l.Deductible)
		l.Deductible = 0
		l.reduce(st, Reduction{Code: "single_deductible", Clause: "2.9"})
	}
}
