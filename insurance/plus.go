package insurance

// plus implements 2.12: for damage the running damage warranty pays, the
// warranty's deductible lowered by 3 000, at most to what the owner bears of
// it (the loss when smaller: 4.1). Plus is never refused because a warranty
// pays (plus_warranty).
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
	if c.Incident.CoveredByWarranty {
		st.use(rdPlusWarranty)
	}
	if !c.Costs.HasWarrantyDeductible {
		st.requirement("warranty_deductible")
	}
	l.Assessed = l.step(st, "warranty_deductible_lowered", "2.12.1", st.plusAmount)
	l.refund, l.refundLine = st.plusAmount, true
	st.add(l)
}
