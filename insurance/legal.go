package insurance

import (
	"roadcover"
)

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
		if n.Forum == "arbitration" {
			st.use(rdArbitration)
		}
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
				// hourly_norm_vat: the norm is without VAT; a rate billed
				// with VAT compares with the norm plus VAT, a rate counted
				// without VAT (4.6) with the norm itself.
				st.use(rdHourlyNorm)
				st.use(rdHourlyNormVAT)
				norm := row.Value
				if !c.Policy.VATRegistered {
					norm = roadcover.DivRound(norm*100, st.pv(pVATCountedPercent))
				}
				if rate > norm {
					l.step(st, "hourly_norm", "2.7", norm)
					rate = norm
				}
			} else {
				st.requirement("hourly_norm_check")
			}
		}
		fee = st.sum(fee, roadcover.DivRound(st.mul(hours, rate, "costs.legal.hourly_rate_sek"), 100), "costs.legal.hourly_rate_sek")
		inv = st.sum(inv, st.value(g.Investigation), "costs.legal.investigation_sek")
		wit = st.sum(wit, st.value(g.Witness), "costs.legal.witness_sek")
		oth = st.sum(oth, st.value(g.Other), "costs.legal.other_sek")
	}
	if count > 1 {
		st.use(rdLegalOneDispute)
	}
	fee = l.step(st, "lawyer_fee", "2.7", fee)
	if inv > 0 || wit > 0 {
		st.use(rdLegalSubcaps)
	}
	inv = l.step(st, "investigation", "2.7", min(inv, st.pv(pLegalInvestigationCap)))
	wit = l.step(st, "witnesses", "2.7", min(wit, st.pv(pLegalWitnessCap)))
	oth = l.step(st, "court_costs", "2.7", oth)
	l.Assessed = st.sum(st.sum(fee, inv, "costs.legal"), st.sum(wit, oth, "costs.legal"), "costs.legal")
	l.part(st, "legal", "2.7", max(st.pct(l.Assessed, st.pv(pLegalDeductiblePercent)), st.pv(pLegalDeductibleMin)))
	l.capCode, l.capAt, l.capCl = "dispute_cap", st.pv(pLegalDisputeCap), "2.7"
	st.add(l)
}
