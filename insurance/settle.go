package insurance

import (
	"fmt"
	"time"

	"roadcover"
)

// SettleJSON decodes a claim, settles it and returns the contract's JSON.
// lang "" means the claim's own language field, else Swedish. Input problems
// come back as *roadcover.InputError.
func SettleJSON(data []byte, lang string) ([]byte, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	l, err := pickLanguage(lang, c)
	if err != nil {
		return nil, err
	}
	s, err := Settle(c, l)
	if err != nil {
		return nil, err
	}
	return s.AppendJSON(make([]byte, 0, 4096)), nil
}

func pickLanguage(lang string, c *Claim) (roadcover.Language, error) {
	if lang == "" {
		if c.Language != "" {
			return c.Language, nil
		}
		return roadcover.Swedish, nil
	}
	l, ok := roadcover.ParseLanguage(lang)
	if !ok {
		e := &roadcover.InputError{}
		e.Add("lang", roadcover.CodeInvalidInput, fmt.Sprintf("unknown language %q; expected one of en, de, pt, da, sv", lang))
		return "", e
	}
	return l, nil
}

// work is the memory of one settlement, allocated at once. Lines, steps,
// parts and reductions take fixed-size chunks of it; a line that needs more
// grows by append, on the heap, so no chunk is ever shared.
type work struct {
	st     state
	s      Settlement
	miss   roadcover.InputError
	lines  [4]Line
	steps  [4 * chunk]Step
	parts  [4 * chunk]Part
	reds   [2 * chunk]Reduction
	interp [3]Interpretation
	nSteps int
	nParts int
	nReds  int
}

// chunk is the room each line gets in the arrays of work before it spills
// to the heap.
const chunk = 2

// state is the working memory of one settlement.
type state struct {
	c    *Claim
	p    *params
	s    *Settlement
	lang roadcover.Language
	miss *roadcover.InputError

	age              int64 // whole years from first registration
	warrantyRuns     bool  // the maker's damage warranty still runs (3.3.4, 5.10)
	hasCollision     bool  // collision cover held or given by 5.10
	autoCollision    bool
	collisionBase    int64
	inArea           bool
	timeBarred       bool
	warrantyBore     int64 // what the owner bears of the warranty's deductible: it, or the loss when smaller (4.1)
	plusAmount       int64 // what Plus takes off the warranty deductible
	collisionLine    *Line
	warrantyDamage   bool // collision-kind damage the warranty pays
	collisionNoCover bool // collision-kind damage payable but for the missing collision cover (2.11.1)
	machLimits       bool // machinery refused for its limits (among other reasons or alone)
	machLimitsOnly   bool // machinery refused for its limits alone (2.11.1)
	transportLeft    bool // car transport or towing given that neither a damage line nor rescue took
	readings         uint64
	w                *work
	pending          bool                        // the last line was opened and not yet added
	legalClaims      [4]*Legal                   // room for the claims of 2.7 without allocating
	paramsRead       [(nParams + 63) / 64]uint64 // bit per pid read
}

// pv reads a parameter of the version and records that the settlement
// used it.
func (st *state) pv(id pid) int64 {
	st.paramsRead[id>>6] |= 1 << (id & 63)
	return st.p.v[id]
}

// Settle decides a decoded claim. The only errors are input problems that
// only the settlement can see (a base deductible missing for a line that
// needs it) and a broken terms version.
func Settle(c *Claim, lang roadcover.Language) (*Settlement, error) {
	if c == nil || c.Version == nil {
		return nil, fmt.Errorf("insurance: claim has no terms version")
	}
	p, err := paramsOf(c.Version)
	if err != nil {
		return nil, err
	}
	if lang == "" {
		lang = roadcover.Swedish
	}
	v := c.Version
	// One allocation holds the working state, the settlement and room for
	// the usual number of lines, steps, parts, readings and parameters.
	w := &work{}
	st := &w.st
	st.c, st.p, st.lang, st.miss, st.s, st.w = c, p, lang, &w.miss, &w.s, w
	w.s = Settlement{
		TermsID: v.ID, TermsMarket: v.Market, TermsLanguage: v.Language, InForceFrom: v.InForceFrom,
		PBBYear: c.PBBYear, PBB: c.PBB, Currency: v.Currency, Language: lang,
		Lines: w.lines[:0],
	}
	st.prepare()
	for _, phase := range phases {
		phase(st)
		st.dropOpen()
	}
	st.account()
	if err := st.miss.Err(); err != nil {
		return nil, err
	}
	st.order()
	st.singleDeductible()
	st.capRefunds()
	st.finish()
	if err := st.miss.Err(); err != nil {
		return nil, err // an amount too large to settle
	}
	st.explain()
	return st.s, nil
}

// phases are the rules that give lines, in order; each may leave a line
// opened and refused, which is dropped before the next.
var phases = [...]func(*state){(*state).traffic, (*state).perilLines, (*state).rescue, (*state).collection, (*state).rental, (*state).care}

func addYears(d roadcover.Date, n int) roadcover.Date {
	return roadcover.DateOf(time.Date(d.Year+n, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}

func (st *state) has(cv cover) bool { return st.c.Policy.Covers.has(cv) }

func (st *state) bas() bool { return st.has(cvBas) || st.has(cvPlus) }

func (st *state) prepare() {
	c, p := st.c, st.p
	st.age = int64(c.Vehicle.FirstRegistered.WholeYearsUntil(c.OccurredAt))
	if c.Vehicle.PVWarrantyAtStart {
		st.use(rdAges)
		if st.age < st.pv(pWarrantyYears) {
			st.warrantyRuns = true
		}
	}
	if st.has(cvCollision) {
		st.hasCollision = true
	} else if c.Vehicle.PVWarrantyAtStart && !st.warrantyRuns && !c.Policy.DeclinedAutoCollision && !c.Vehicle.LaidUp {
		// 5.10: collision cover follows automatically when the warranty ends.
		st.hasCollision, st.autoCollision = true, true
		st.collisionBase = st.pv(pAutoCollisionDeductible)
	}
	st.inArea = p.inArea(c.Incident.Country, c.OccurredAt)
	if c.Incident.Country != "SE" {
		st.use(rdGreenCard)
	}
	if !c.ReportedAt.IsZero() && addYears(c.OccurredAt, int(st.pv(pTimeBarYears))).Before(c.ReportedAt) {
		st.timeBarred = true
		st.use(rdTimeBar)
	}
	if st.warrantyRuns && c.Costs.HasWarrantyDeductible {
		// 4.1: the owner bears the warranty's deductible, or the loss when
		// that is smaller; Plus and the Bas refunds pay at most that.
		st.warrantyBore = c.Costs.WarrantyDeductible
		if c.Costs.HasRepair && c.Costs.Repair < st.warrantyBore {
			st.warrantyBore = c.Costs.Repair
		}
		if st.has(cvPlus) {
			st.plusAmount = min(st.pv(pPlusReduction), st.warrantyBore)
		}
	}
}

// mul multiplies an amount by a count; an overflow is an input error of the
// field the amount came from, never a value.
func (st *state) mul(n, amount int64, field string) int64 {
	x, ok := roadcover.MulMinor(n, amount)
	if !ok {
		st.need(field, "is too large to settle")
		return 0
	}
	return x
}

// sum adds two amounts; an overflow is an input error of the field named.
func (st *state) sum(a, b int64, field string) int64 {
	x, ok := roadcover.AddMinor(a, b)
	if !ok {
		st.need(field, "is too large to settle")
		return 0
	}
	return x
}

// laidUpInSweden reports whether the lay-up cover can hold: the car is laid
// up and in Sweden (2.10).
func (st *state) laidUpInSweden() bool {
	return st.c.Vehicle.LaidUp && st.c.Incident.Country == "SE"
}

func (st *state) refuse(cv, code, clause string) {
	st.s.Refusals = append(st.s.Refusals, Refusal{Code: code, Clause: clause, Cover: cv})
}

// refused reports whether a cover already has a refusal with this code.
func (st *state) refused(cv, code string) bool {
	for _, r := range st.s.Refusals {
		if r.Cover == cv && r.Code == code {
			return true
		}
	}
	return false
}

func (st *state) need(field, detail string) {
	if !st.miss.Has(field) {
		st.miss.Add(field, roadcover.CodeInvalidInput, detail)
	}
}

// base reads a base deductible from the insurance letter; a missing one is
// an input error for the line that needs it.
func (st *state) base(name string) int64 {
	v, ok := st.c.Policy.Deductibles[name]
	if !ok {
		st.need("policy.deductibles."+name, "the base deductible is required for this claim")
	}
	return v
}

// general applies the limits common to all covers, in their priority:
// 3.3 causes, 5.4 time bar, 1.1 validity area, 3.7 intent and gross
// negligence, 3.1 track, police or military use, wear and corrosion, 3.3.4
// warranties. Traffic stops after the time bar.
func (st *state) general(k kind, cv string) (string, string) {
	n, d := &st.c.Incident, &st.c.Driver
	switch n.Cause {
	case "war":
		return "war", "3.3.1"
	case "nuclear":
		return "nuclear", "3.3.2"
	case "dam_failure":
		return "dam_failure", "3.3.5"
	case "sanctioned":
		return "sanctioned", "3.3.6"
	}
	if st.timeBarred {
		return "time_barred", "5.4"
	}
	if k == kTraffic {
		return "", ""
	}
	if !st.inArea {
		return "outside_validity_area", "1.1"
	}
	if k == kOwn {
		if d.Intent {
			return "intentional", "3.7"
		}
		if d.GrossNegligence {
			st.use(rdGrossNegligence)
			return "gross_negligence", "3.7"
		}
	}
	if n.TrackOrCompetition {
		return "track_or_competition", "3.1"
	}
	if n.PoliceOrMilitaryUse {
		return "police_or_military_use", "3.1"
	}
	if k == kOwn {
		switch n.Cause {
		case "cold", "rust", "corrosion", "wet", "wear":
			return "wear_or_corrosion", "3.1"
		}
	}
	if n.CoveredByWarranty && cv != "plus" {
		return "covered_by_warranty", "3.3.4"
	}
	return "", ""
}

// open starts a line, or refuses it under the general limits (nil).
func (st *state) open(cv, clause string, k kind) *Line {
	if code, cl := st.general(k, cv); code != "" {
		st.refuse(cv, code, cl)
		return nil
	}
	// The line is built in place at the end of the lines; a line that is
	// not added is dropped (dropOpen) or overwritten by the next one.
	if !st.pending {
		st.s.Lines = append(st.s.Lines, Line{})
		st.pending = true
	}
	l := &st.s.Lines[len(st.s.Lines)-1]
	*l = Line{Cover: cv, Clause: clause, Covered: true, Status: "settled", kind: k, rank: uint8(coverOrder(cv))}
	return l
}

func (st *state) add(l *Line) *Line {
	var sum int64
	for _, pt := range l.Parts {
		sum += pt.Amount
	}
	l.Deductible = max(0, sum)
	if n := len(st.s.Lines); st.pending && l == &st.s.Lines[n-1] {
		st.pending = false
		return l
	}
	st.dropOpen()
	st.s.Lines = append(st.s.Lines, *l)
	return &st.s.Lines[len(st.s.Lines)-1]
}

// dropOpen removes a line that was opened but never added.
func (st *state) dropOpen() {
	if st.pending {
		st.s.Lines = st.s.Lines[:len(st.s.Lines)-1]
		st.pending = false
	}
}

func (l *Line) part(st *state, code, clause string, amount int64) {
	if l.Parts == nil {
		if w := st.w; w.nParts+chunk <= len(w.parts) {
			l.Parts = w.parts[w.nParts : w.nParts : w.nParts+chunk]
			w.nParts += chunk
		}
	}
	l.Parts = append(l.Parts, Part{Code: code, Clause: clause, Amount: amount})
}

func (l *Line) step(st *state, code, clause string, amount int64) int64 {
	if l.Valuation == nil {
		if w := st.w; w.nSteps+chunk <= len(w.steps) {
			l.Valuation = w.steps[w.nSteps : w.nSteps : w.nSteps+chunk]
			w.nSteps += chunk
		}
	}
	l.Valuation = append(l.Valuation, Step{Code: code, Clause: clause, Amount: amount})
	return amount
}

func (l *Line) reduce(st *state, r Reduction) {
	if l.Reductions == nil {
		if w := st.w; w.nReds+chunk <= len(w.reds) {
			l.Reductions = w.reds[w.nReds : w.nReds : w.nReds+chunk]
			w.nReds += chunk
		}
	}
	l.Reductions = append(l.Reductions, r)
}

func (st *state) requirement(code string) {
	for _, r := range st.s.Requirements {
		if r == code {
			return
		}
	}
	st.s.Requirements = append(st.s.Requirements, code)
}

// SettleText decodes and settles a claim for the text form (--format text).
func SettleText(data []byte, lang string) (*Settlement, error) {
	c, err := Decode(data)
	if err != nil {
		return nil, err
	}
	l, err := pickLanguage(lang, c)
	if err != nil {
		return nil, err
	}
	return Settle(c, l)
}
