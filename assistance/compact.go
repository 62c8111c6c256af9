package assistance

import "roadcover"

// ent is an entitlement as a decision keeps it: without pointers, so that the
// entitlements of a decision are one allocation the garbage collector does
// not scan. Strings are indexes into the tables below; an entitlement that
// does not fit (a named site, a local-currency equivalent, a string not in
// the tables) is kept whole in Decision.extras and ent.extra points to it;
// t, clause and choose are set for those too.
type ent struct {
	t                           tid
	clause                      uint8
	choose, dest, per, dayKind  uint8
	limitCur, totalCur, applies uint8
	incl                        int8 // IncludesLocalRental: -1 not given
	extra                       uint8
	persons, maxNights, maxDays int32
	limit, total                int64
	until                       roadcover.Date
}

var (
	clauseNames   = []string{"", "general", "covered_area", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "1.3", "1.3.1", "1.3.2", "1.3.3", "1.4", "1.5", "1.6", "1.6-footnote", "exclusions"}
	chooseNames   = []string{"", groupFurther, groupCollection, groupRepatriation}
	destNames     = []string{"", NearestWorkshop, RegularWorkshopDest, NearestChargerOrWorkshop}
	perNames      = []string{"", "person", "person_night", "case"}
	dayKindNames  = []string{"", "working", "calendar"}
	currencyNames = []string{"", "GBP", "EUR"}
	appliesLists  = [][]string{nil, localExpenses, localRental, localExpensesRental}
)

func index(names []string, s string) (uint8, bool) {
	for i, n := range names {
		if len(n) == len(s) && n == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// smallIndex is index for the short tables whose names differ in length or
// first byte: it compares whole strings only for the candidate.
func smallIndex(names []string, s string) (uint8, bool) {
	if s == "" {
		return 0, true
	}
	for i := 1; i < len(names); i++ {
		if n := names[i]; len(n) == len(s) && n[0] == s[0] && n == s {
			return uint8(i), true
		}
	}
	return 0, false
}

// clauseIndex is index(clauseNames, s), as a switch.
func clauseIndex(s string) (uint8, bool) {
	switch s {
	case "":
		return 0, true
	case "general":
		return 1, true
	case "covered_area":
		return 2, true
	case "1.1":
		return 3, true
	case "1.1.1":
		return 4, true
	case "1.1.2":
		return 5, true
	case "1.1.3":
		return 6, true
	case "1.2":
		return 7, true
	case "1.3":
		return 8, true
	case "1.3.1":
		return 9, true
	case "1.3.2":
		return 10, true
	case "1.3.3":
		return 11, true
	case "1.4":
		return 12, true
	case "1.5":
		return 13, true
	case "1.6":
		return 14, true
	case "1.6-footnote":
		return 15, true
	case "exclusions":
		return 16, true
	}
	return 0, false
}

func appliesIndex(l []string) (uint8, bool) {
	for i, a := range appliesLists {
		if len(a) == len(l) && (len(l) == 0 || &a[0] == &l[0]) {
			return uint8(i), true
		}
	}
	return 0, false
}

// compact turns e into an ent; ok is false when e does not fit. Code and
// Text are those of e.t: the rules set them only through grant and text.
func compact(e *EntitlementDetail) (c ent, ok bool) {
	if e.Site != nil || e.Regular != nil || e.Local != nil || int(int32(e.Persons)) != e.Persons ||
		int(int32(e.MaxNights)) != e.MaxNights || int(int32(e.MaxDays)) != e.MaxDays {
		return c, false
	}
	c = ent{t: e.t, persons: int32(e.Persons), maxNights: int32(e.MaxNights), maxDays: int32(e.MaxDays),
		limit: e.Limit.Minor, total: e.Total.Minor, until: e.Until, incl: -1}
	var ok1, ok2, ok3, ok4, ok5, ok6, ok7, ok8 bool
	c.clause, ok1 = clauseIndex(e.Clause)
	c.choose, ok2 = smallIndex(chooseNames, e.ChooseOne)
	c.dest, ok3 = smallIndex(destNames, e.Destination)
	c.per, ok4 = smallIndex(perNames, e.Per)
	c.dayKind, ok5 = smallIndex(dayKindNames, e.DayKind)
	c.limitCur, ok6 = smallIndex(currencyNames, e.Limit.Currency)
	c.totalCur, ok7 = smallIndex(currencyNames, e.Total.Currency)
	c.applies, ok8 = appliesIndex(e.AppliesTo)
	if e.IncludesLocalRental != nil {
		c.incl = 0
		if *e.IncludesLocalRental {
			c.incl = 1
		}
	}
	return c, ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8
}

// Detail returns the i-th entitlement of the decision in full.
func (d *Decision) Detail(i int) EntitlementDetail {
	c := &d.Entitlements[i].c
	if c.extra > 0 {
		return d.extras[c.extra-1]
	}
	e := EntitlementDetail{t: c.t, Code: outcomeCodes[c.t], Clause: clauseNames[c.clause], ChooseOne: chooseNames[c.choose],
		Destination: destNames[c.dest], Per: perNames[c.per], DayKind: dayKindNames[c.dayKind],
		Persons: int(c.persons), MaxNights: int(c.maxNights), MaxDays: int(c.maxDays), Until: c.until,
		AppliesTo: appliesLists[c.applies], Text: d.vi.texts[d.li][c.t]}
	if c.limitCur > 0 {
		e.Limit = roadcover.Money{Minor: c.limit, Currency: currencyNames[c.limitCur]}
	}
	if c.totalCur > 0 {
		e.Total = roadcover.Money{Minor: c.total, Currency: currencyNames[c.totalCur]}
	}
	switch c.incl {
	case 0:
		e.IncludesLocalRental = &no
	case 1:
		e.IncludesLocalRental = &yes
	}
	return e
}

// Details returns every entitlement in full.
func (d *Decision) Details() []EntitlementDetail {
	out := make([]EntitlementDetail, len(d.Entitlements))
	for i := range d.Entitlements {
		out[i] = d.Detail(i)
	}
	return out
}
