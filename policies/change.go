package policies

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
)

// System is the actor id of changes the terms make by themselves (5.10).
const System = "system"

// New issues a policy (5.1): version 1, valid from the first day of the
// first insurance period, with its insurance letter made at `at` by actor.
// When the car's damage warranty has already ended on that day, the
// collision cover of 5.10 is part of the first letter unless declined.
func New(id string, np *NewPolicy, actor string, at time.Time) (*Policy, error) {
	if id == "" {
		return nil, errors.New("policies: a policy needs an id")
	}
	due := MonthDay{np.Signing.LetterDate.Month, np.Signing.LetterDate.Day}
	if np.HasDue {
		due = np.DueDate
	}
	per, err := FirstPeriod(np.Signing, due)
	if err != nil {
		e := &roadcover.InputError{}
		e.Add("letter_date", roadcover.CodeInvalidInput, err.Error())
		return nil, e
	}
	prm, err := ParamsOn(per.From)
	if err != nil {
		e := &roadcover.InputError{}
		e.Add("letter_date", roadcover.CodeNoTermsInForce, err.Error())
		return nil, e
	}
	p := &Policy{ID: id, DueDate: due}
	v := &Version{
		PolicyID: id, Number: 1, Kind: Issue, ValidFrom: per.From, IssuedAt: at, IssuedBy: actor,
		Reason: "issued", TermsID: prm.TermsID, Period: per, Letter: cloneLetter(np.Letter),
	}
	v.Notes = append(v.Notes, Note{"issued", "1.3"}, per.Basis)
	if np.HasDue && (due.Month != np.Signing.LetterDate.Month || due.Day != np.Signing.LetterDate.Day) {
		v.Notes = append(v.Notes, Note{"period_to_due_date", "5.1"})
	} else {
		v.Notes = append(v.Notes, Note{"period_one_year", "5.1"})
	}
	v.Notes = append(v.Notes, invoiceNote(v.Letter.Payment.Channel))
	if day, ok := autoCollisionDay(&v.Letter, prm); ok && !per.From.Before(day) {
		addAutoCollision(&v.Letter, prm)
		v.Notes = append(v.Notes, Note{"auto_collision", "5.10"})
	}
	p.Versions = []*Version{v}
	return p, nil
}

func invoiceNote(c InvoiceChannel) Note {
	if c == Paper {
		return Note{"paper_invoice_fee", "5.2"}
	}
	return Note{"e_invoice", "5.2"}
}

// WarrantyEnds implements 5.10's assumption: the maker's damage warranty runs
// three years (years) and ends on the day the car is that old, counted from
// first registration in whole years as the insurance engine counts a car's
// age (from 29 February, on 28 February of a common year).
func (c Car) WarrantyEnds(years int) roadcover.Date {
	d := addMonths(c.FirstRegistered, 12*years)
	for c.FirstRegistered.WholeYearsUntil(d.AddDays(-1)) >= years {
		d = d.AddDays(-1)
	}
	for c.FirstRegistered.WholeYearsUntil(d) < years {
		d = d.AddDays(1)
	}
	return d
}

// autoCollisionDay implements 5.10: a car that came with the damage warranty
// gets collision cover by itself when the warranty ends, unless the letter
// already holds collision or the policyholder declined it.
func autoCollisionDay(l *Letter, prm *Params) (roadcover.Date, bool) {
	if !l.Car.DamageWarranty || l.Has("collision") || l.DeclinedAutoCollision || l.Car.FirstRegistered.IsZero() {
		return roadcover.Date{}, false
	}
	return l.Car.WarrantyEnds(int(prm.WarrantyYears.Value)), true
}

func addAutoCollision(l *Letter, prm *Params) {
	l.Covers = sortCovers(append(l.Covers, "collision"))
	l.AutoCollision = true
	l.Deductibles["collision"] = roadcover.Money{Minor: prm.AutoCollisionDeductible.Value, Currency: "SEK"}
}

// AutoCollisionChange returns the change of 5.10 when it is due on or
// before through and not yet made: collision cover with the deductible of
// 5.10, valid from the day the warranty ends, with a new insurance letter.
// premium, when given, is the premium of the changed letter (premiums are
// not rated here).
func (p *Policy) AutoCollisionChange(through roadcover.Date, premium *roadcover.Money) (*Change, bool) {
	day, ok := p.pendingAuto()
	if !ok || through.Before(day) {
		return nil, false
	}
	return &Change{Kind: AutoCollision, ValidFrom: day, Reason: "5.10", Premium: premium}, true
}

// pendingAuto is the day of a 5.10 change not yet made, when one is due.
func (p *Policy) pendingAuto() (roadcover.Date, bool) {
	last := p.Latest()
	prm, err := ParamsOn(last.ValidFrom)
	if err != nil {
		return roadcover.Date{}, false
	}
	day, ok := autoCollisionDay(&last.Letter, prm)
	if !ok {
		return roadcover.Date{}, false
	}
	if day.Before(last.ValidFrom) {
		// A later version without the cover: the change is made from the
		// latest version's own day, never back-dated behind it.
		day = last.ValidFrom
	}
	v, err := p.VersionOn(day)
	if err != nil {
		return roadcover.Date{}, false
	}
	if v.Letter.Has("collision") {
		return roadcover.Date{}, false
	}
	return day, true
}

// ErrBackdated is returned for a change dated before the latest version.
var ErrBackdated = errors.New("policies: a change may not be dated before the latest version")

// Apply makes a change: a new version valid from its day, made at `at` by
// actor, with a new insurance letter. It returns the versions added: a due
// change of 5.10 is made first when the change is dated on or after it.
// Input problems come back as *roadcover.InputError naming the change's
// fields (patch.car.registration, valid_from, …).
func (p *Policy) Apply(ch *Change, actor string, at time.Time) ([]*Version, error) {
	var added []*Version
	if ch.Kind != AutoCollision {
		day := ch.ValidFrom
		if ch.Kind == Renewal && day.IsZero() {
			day = p.Latest().Period.Due
		}
		if d, ok := p.pendingAuto(); ok && !day.Before(d) {
			v, err := p.apply(&Change{Kind: AutoCollision, ValidFrom: d, Reason: "5.10"}, System, at)
			if err != nil {
				return nil, err
			}
			added = append(added, v)
		}
	}
	v, err := p.apply(ch, actor, at)
	if err != nil {
		p.Versions = p.Versions[:len(p.Versions)-len(added)]
		return nil, err
	}
	return append(added, v), nil
}

func (p *Policy) apply(ch *Change, actor string, at time.Time) (*Version, error) {
	errs := &roadcover.InputError{}
	last := p.Latest()
	day := ch.ValidFrom
	if ch.Kind == Renewal {
		if day.IsZero() {
			day = last.Period.Due
		}
		if day != last.Period.Due {
			errs.Add("valid_from", roadcover.CodeInvalidInput, fmt.Sprintf("a renewal begins on the yearly due date %s (5.1)", last.Period.Due))
			return nil, errs
		}
		if last.Ended {
			errs.Add("kind", roadcover.CodeInvalidInput, "the policy has ended")
			return nil, errs
		}
	}
	if day.Before(last.ValidFrom) {
		errs.Add("valid_from", roadcover.CodeInvalidInput, fmt.Sprintf("is before the latest version (%d, valid from %s)", last.Number, last.ValidFrom))
		return nil, fmt.Errorf("%w: %w", errs, ErrBackdated)
	}
	var base *Version
	if ch.Kind == Renewal {
		base = last
	} else {
		b, err := p.VersionOn(day)
		if err != nil {
			errs.Add("valid_from", roadcover.CodeInvalidInput, err.Error())
			return nil, errs
		}
		base = b
	}
	prm, err := ParamsOn(day)
	if err != nil {
		errs.Add("valid_from", roadcover.CodeNoTermsInForce, err.Error())
		return nil, errs
	}
	v := &Version{
		PolicyID: p.ID, Number: last.Number + 1, Kind: ch.Kind, ValidFrom: day, IssuedAt: at, IssuedBy: actor,
		Reason: ch.Reason, TermsID: prm.TermsID, Period: base.Period, Letter: cloneLetter(base.Letter),
	}
	switch ch.Kind {
	case Cancellation:
		v.Ended = true
		v.Notes = []Note{{"cancelled", "5"}}
	case AutoCollision:
		if base.Letter.Has("collision") {
			errs.Add("kind", roadcover.CodeInvalidInput, "the letter already holds collision cover")
			return nil, errs
		}
		addAutoCollision(&v.Letter, prm)
		v.Notes = []Note{{"auto_collision", "5.10"}}
	case Renewal:
		v.Period = base.Period.next(p.DueDate)
		v.Notes = []Note{v.Period.Basis}
	default:
		v.Notes = []Note{{"changed", "1.3"}}
	}
	if len(ch.Patch) > 0 {
		l, err := patchLetter(&base.Letter, v.Letter, ch.Patch, prm)
		if err != nil {
			return nil, err
		}
		v.Letter = l
	}
	if ch.Premium != nil {
		v.Letter.Premium = *ch.Premium
	}
	if v.Letter.Payment.Channel != base.Letter.Payment.Channel || ch.Kind == Renewal {
		v.Notes = append(v.Notes, invoiceNote(v.Letter.Payment.Channel))
	}
	if !v.Ended && ch.Kind != AutoCollision {
		if d, ok := autoCollisionDay(&v.Letter, prm); ok && !day.Before(d) {
			addAutoCollision(&v.Letter, prm)
			v.Notes = append(v.Notes, Note{"auto_collision", "5.10"})
		}
	}
	p.Versions = append(p.Versions, v)
	return v, nil
}

// patchLetter applies a merge patch to the letter document of cur (the
// letter the change starts from) and reads the result as a letter, naming
// bad fields under "patch.". Fields that identify the policy (the car's VIN,
// first registration and model year, the policyholder's number) cannot
// change: another car or policyholder is another policy.
func patchLetter(base *Letter, cur Letter, patch json.RawMessage, prm *Params) (Letter, error) {
	var w jsondoc.Writer
	w.Obj("")
	appendLetter(&w, &cur)
	w.End()
	merged, err := mergePatch(w.B, patch)
	if err != nil {
		e := &roadcover.InputError{}
		e.Add("patch", roadcover.CodeInvalidInput, err.Error())
		return Letter{}, e
	}
	errs := &roadcover.InputError{}
	o := jsonin.Parse(merged, errs)
	o.Path = "patch"
	l := decodeLetter(o, true)
	o.Done()
	if l.Car.VIN != base.Car.VIN && l.Car.VIN != "" {
		errs.Add("patch.car.vin", roadcover.CodeInvalidInput, "cannot change: another car is another policy")
	}
	if l.Car.FirstRegistered != base.Car.FirstRegistered && !l.Car.FirstRegistered.IsZero() {
		errs.Add("patch.car.first_registered", roadcover.CodeInvalidInput, "cannot change")
	}
	if l.Car.ModelYear != base.Car.ModelYear && l.Car.ModelYear != 0 {
		errs.Add("patch.car.model_year", roadcover.CodeInvalidInput, "cannot change")
	}
	if l.Car.DamageWarranty != base.Car.DamageWarranty {
		errs.Add("patch.car.damage_warranty", roadcover.CodeInvalidInput, "cannot change")
	}
	if l.Policyholder.IDNumber != base.Policyholder.IDNumber && l.Policyholder.IDNumber != "" {
		errs.Add("patch.policyholder.id_number", roadcover.CodeInvalidInput, "cannot change: another policyholder is another policy")
	}
	if bytes.Contains(patch, []byte(`"collision_by_5_10"`)) {
		errs.Add("patch.collision_by_5_10", roadcover.CodeInvalidInput, "is set only by the automatic change of 5.10")
	}
	if cur.AutoCollision {
		// A collision cover of 5.10 stays one only with its own deductible;
		// removing it needs the policyholder to decline it, or 5.10 would
		// add it again.
		d, held := l.Deductibles["collision"]
		switch {
		case !l.Has("collision") && !l.DeclinedAutoCollision:
			errs.Add("patch.covers", roadcover.CodeInvalidInput, "the collision cover added by 5.10 is removed only by declining it (declined_auto_collision)")
		case !l.Has("collision"):
			l.AutoCollision = false
			delete(l.Deductibles, "collision")
		case !held || d.Minor != prm.AutoCollisionDeductible.Value:
			l.AutoCollision = false
		}
	}
	checkLetter(o, &l)
	if err := errs.Err(); err != nil {
		return Letter{}, err
	}
	return l, nil
}

// mergePatch applies an RFC 7396 merge patch to a JSON object.
func mergePatch(doc, patch []byte) ([]byte, error) {
	var d, p any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return nil, err
	}
	dec = json.NewDecoder(bytes.NewReader(patch))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("the patch is not JSON: %w", err)
	}
	return json.Marshal(merge(d, p))
}

func merge(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = merge(tm[k], v)
	}
	return tm
}

// MergePatch applies an RFC 7396 merge patch to a JSON object (claims use it
// on the facts of a loss).
func MergePatch(doc, patch []byte) ([]byte, error) { return mergePatch(doc, patch) }
