package insurance

// plus implements 2.12: for damage the running damage warranty pays, the
// warranty's deductible lowered by 3 000.
func (st *state) plus() {
	c := st.c
	l := st.open("plus", "2.12", kOwn)
	if l == nil {
		return
	}
	if !st.warrantyRuns {
		st.refuse("plus", "no_running_warranty", "2.12")
		return
	}
	st.use(rdPV)
	if !c.Costs.HasWarrantyDeductible {
		st.requirement("warranty_deductible")
	}
	l.Assessed = l.step(st, "warranty_deductible_lowered", "2.12.1", st.plusAmount)
	st.add(l)
}
