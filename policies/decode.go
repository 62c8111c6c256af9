package policies

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
)

// NewPolicy is a signed policy as requested (POST /v1/policies): the
// content of the first insurance letter, its date, the signing and the
// yearly due date when one is agreed.
type NewPolicy struct {
	Letter  Letter
	Signing Signing
	DueDate MonthDay
	HasDue  bool
}

// DecodeNewPolicy reads the body of POST /v1/policies. Every bad field is
// named in one *roadcover.InputError; unknown fields are refused at every
// depth.
func DecodeNewPolicy(data []byte) (*NewPolicy, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	if o.Null {
		if len(errs.Errors) == 0 {
			errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		}
		return nil, errs.Err()
	}
	np := &NewPolicy{}
	np.Letter = decodeLetter(o, false)
	np.Signing.LetterDate, _ = jsondoc.Date(o, "letter_date", true)
	at, hasAt := jsondoc.Time(o, "signed_at", false)
	on, hasOn := jsondoc.Date(o, "signed_on", false)
	switch {
	case hasAt && hasOn:
		jsondoc.Bad(o, "signed_on", "give signed_at (the hour can be shown) or signed_on (it cannot), not both")
	case hasAt:
		np.Signing.SignedAt, np.Signing.SignedOn = at, SwedishDay(at)
	case hasOn:
		np.Signing.SignedOn = on
	case !errs.Has("signed_at") && !errs.Has("signed_on"):
		jsondoc.Bad(o, "signed_at", "is required: the instant of signing, or signed_on when the hour cannot be shown")
	}
	if s, ok := o.String("due_date"); ok {
		md, err := ParseMonthDay(s)
		if err != nil {
			jsondoc.Bad(o, "due_date", err.Error())
		} else {
			np.DueDate, np.HasDue = md, true
		}
	}
	o.Done()
	if !np.Signing.LetterDate.IsZero() {
		if _, err := ParamsOn(np.Signing.LetterDate); err != nil {
			errs.Add("letter_date", roadcover.CodeNoTermsInForce, fmt.Sprintf("no insurance terms for SE were in force on %s", np.Signing.LetterDate))
		}
		if !np.Signing.SignedOn.IsZero() && np.Signing.LetterDate.Before(np.Signing.SignedOn) {
			jsondoc.Bad(o, "letter_date", fmt.Sprintf("is before the day of signing (%s): cover cannot begin before the insurance is signed (5.1)", np.Signing.SignedOn))
		}
	}
	checkLetter(o, &np.Letter)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return np, nil
}

// Change is a change of a policy from a day: a JSON merge patch (RFC 7396)
// on the letter document, a renewal for the next insurance period (with an
// optional patch: the new premium, bonus class, …), or a cancellation.
type Change struct {
	Kind      ChangeKind
	ValidFrom roadcover.Date // for a renewal: zero, or the due date
	Reason    string
	Patch     json.RawMessage // nil: no change of the letter
	// Premium, when set, replaces the premium (used by the automatic
	// change of 5.10, whose premium the caller gives).
	Premium *roadcover.Money
}

// DecodeChange reads the body of POST /v1/policies/{id}/changes:
// {"kind": "change"|"renewal"|"cancellation", "valid_from", "reason",
// "patch": {…}}.
func DecodeChange(data []byte) (*Change, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	if o.Null {
		if len(errs.Errors) == 0 {
			errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		}
		return nil, errs.Err()
	}
	c := &Change{Kind: Amendment}
	if k, ok := o.Enum("kind", string(Amendment), string(Renewal), string(Cancellation)); ok {
		c.Kind = ChangeKind(k)
	}
	c.ValidFrom, _ = jsondoc.Date(o, "valid_from", c.Kind != Renewal)
	c.Reason, _ = jsondoc.Str(o, "reason", true)
	if o.Has("patch") {
		p := o.Object("patch")
		if !p.Null {
			p.Skip(letterFields...)
			raw := jsondoc.Fields(data)["patch"]
			c.Patch = jsondoc.Compact(raw)
			if c.Kind == Cancellation {
				jsondoc.Bad(o, "patch", "a cancellation changes nothing of the letter")
			}
			for k := range jsondoc.Fields(raw) {
				if !isLetterField(k) {
					jsondoc.Bad(p, k, "unknown field")
				}
			}
		}
	} else {
		o.Skip("patch")
		if c.Kind == Amendment {
			jsondoc.Bad(o, "patch", "is required for a change")
		}
	}
	o.Done()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// letterFields are the top-level fields of the letter document.
var letterFields = []string{"policyholder", "car", "covers", "collision_by_5_10", "deductibles", "lowest_collision_deductible",
	"declined_auto_collision", "bonus_class", "claim_free_years", "laid_up", "payment", "premium"}

func isLetterField(k string) bool {
	for _, f := range letterFields {
		if f == k {
			return true
		}
	}
	return false
}

// decodeLetter reads the letter fields of o. stored reads the 5.10 flag,
// which a request may not set.
func decodeLetter(o *jsonin.Obj, stored bool) Letter {
	var l Letter
	if jsondoc.Required(o, "policyholder") {
		l.Policyholder = decodeHolder(o.Object("policyholder"))
	}
	if jsondoc.Required(o, "car") {
		l.Car = decodeCar(o.Object("car"))
	}
	if jsondoc.Required(o, "covers") {
		items, _ := o.Array("covers")
		seen := map[string]bool{}
		for i, raw := range items {
			var s string
			path := fmt.Sprintf("covers.%d", i)
			if json.Unmarshal(raw, &s) != nil {
				o.Errs.Add(jsondoc.Path(o, path), roadcover.CodeInvalidInput, "must be a string")
				continue
			}
			if _, ok := coverClause[s]; !ok {
				o.Errs.Add(jsondoc.Path(o, path), roadcover.CodeInvalidInput, fmt.Sprintf("unknown cover %q; expected one of %s", s, strings.Join(Covers, ", ")))
				continue
			}
			if seen[s] {
				o.Errs.Add(jsondoc.Path(o, path), roadcover.CodeInvalidInput, fmt.Sprintf("cover %q is listed twice", s))
				continue
			}
			seen[s] = true
			l.Covers = append(l.Covers, s)
		}
		l.Covers = sortCovers(l.Covers)
	}
	if stored {
		l.AutoCollision, _ = o.Bool("collision_by_5_10")
	} else if b, _ := o.Bool("collision_by_5_10"); b {
		jsondoc.Bad(o, "collision_by_5_10", "is set only by the automatic change of 5.10")
	}
	l.Deductibles = map[string]roadcover.Money{}
	if jsondoc.Required(o, "deductibles") {
		d := o.Object("deductibles")
		for _, n := range DeductibleNames {
			if m, ok := jsondoc.SEK(d, n, false); ok {
				l.Deductibles[n] = m
			}
		}
		d.Done()
	}
	l.LowestCollisionDeductible, l.HasLowestCollision = jsondoc.SEK(o, "lowest_collision_deductible", false)
	l.DeclinedAutoCollision, _ = o.Bool("declined_auto_collision")
	if jsondoc.Required(o, "bonus_class") {
		n, _ := o.NonNegInt("bonus_class")
		l.BonusClass = int(n)
	}
	if jsondoc.Required(o, "claim_free_years") {
		n, _ := o.NonNegInt("claim_free_years")
		l.ClaimFreeYears = int(n)
	}
	l.LaidUp, _ = o.Bool("laid_up")
	if jsondoc.Required(o, "payment") {
		p := o.Object("payment")
		if jsondoc.Required(p, "plan") {
			s, _ := p.Enum("plan", string(Yearly), string(HalfYearly), string(Monthly))
			l.Payment.Plan = Plan(s)
		}
		l.Payment.Channel = EInvoice
		if s, ok := p.Enum("invoice", string(EInvoice), string(Paper)); ok {
			l.Payment.Channel = InvoiceChannel(s)
		}
		p.Done()
	}
	l.Premium, _ = jsondoc.SEK(o, "premium", true)
	return l
}

func decodeHolder(o *jsonin.Obj) Policyholder {
	var h Policyholder
	h.Name, _ = jsondoc.Str(o, "name", true)
	if s, ok := jsondoc.Str(o, "id_number", true); ok {
		n, k, err := ParseIDNumber(s)
		if err != nil {
			jsondoc.Bad(o, "id_number", err.Error())
		}
		h.IDNumber, h.Kind = n, k
	}
	o.Skip("kind") // derived from the number
	h.VATRegistered, _ = o.Bool("vat_registered")
	h.Language = roadcover.Swedish
	if s, ok := o.String("language"); ok {
		if l, ok := roadcover.ParseLanguage(s); ok {
			h.Language = l
		} else {
			jsondoc.Bad(o, "language", fmt.Sprintf("unknown language %q; expected one of en, de, pt, da, sv", s))
		}
	}
	if jsondoc.Required(o, "contact") {
		c := o.Object("contact")
		if s, ok := jsondoc.Str(c, "email", false); ok {
			if at := strings.IndexByte(s, '@'); at < 1 || at != strings.LastIndexByte(s, '@') || !strings.Contains(s[at:], ".") || strings.ContainsAny(s, " \t") {
				jsondoc.Bad(c, "email", fmt.Sprintf("%q is not an e-mail address", s))
			}
			h.Contact.Email = s
		}
		if s, ok := jsondoc.Str(c, "phone", false); ok {
			digits := 0
			for _, r := range s {
				switch {
				case r >= '0' && r <= '9':
					digits++
				case strings.ContainsRune("+-() ", r):
				default:
					digits = -100
				}
			}
			if digits < 7 || digits > 15 {
				jsondoc.Bad(c, "phone", fmt.Sprintf("%q is not a telephone number", s))
			}
			h.Contact.Phone = s
		}
		if h.Contact.Email == "" && h.Contact.Phone == "" && !c.Errs.Has(jsondoc.Path(c, "email")) && !c.Errs.Has(jsondoc.Path(c, "phone")) {
			jsondoc.Bad(c, "email", "an e-mail address or a telephone number is required")
		}
		if c.Has("address") {
			a := c.Object("address")
			h.Contact.Address.Street, _ = jsondoc.Str(a, "street", true)
			h.Contact.Address.City, _ = jsondoc.Str(a, "city", true)
			h.Contact.Address.Country = "SE"
			if s, ok := a.String("country"); ok {
				cc := strings.ToUpper(s)
				if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
					jsondoc.Bad(a, "country", fmt.Sprintf("%q is not an ISO 3166 alpha-2 code", s))
				}
				h.Contact.Address.Country = cc
			}
			if s, ok := jsondoc.Str(a, "postal_code", true); ok {
				pc := strings.ReplaceAll(s, " ", "")
				if h.Contact.Address.Country == "SE" {
					if len(pc) != 5 || strings.Trim(pc, "0123456789") != "" {
						jsondoc.Bad(a, "postal_code", fmt.Sprintf("%q is not a Swedish postal code (NNN NN)", s))
					} else {
						pc = pc[:3] + " " + pc[3:]
					}
				}
				h.Contact.Address.PostalCode = pc
			}
			a.Done()
		} else {
			c.Skip("address")
		}
		c.Done()
	}
	o.Done()
	return h
}

// alarms are the alarm kinds the insurance engine knows (2.4).
var alarms = []string{"none", "approved", "ssf_recommended", "unapproved"}

func decodeCar(o *jsonin.Obj) Car {
	var c Car
	if s, ok := jsondoc.Str(o, "vin", true); ok {
		v, err := ParseVIN(s)
		if err != nil {
			jsondoc.Bad(o, "vin", err.Error())
		}
		c.VIN = v
	}
	if s, ok := jsondoc.Str(o, "registration", true); ok {
		r, pers, err := ParseRegistration(s)
		if err != nil {
			jsondoc.Bad(o, "registration", err.Error())
		}
		c.Registration, c.PersonalisedPlate = r, pers
	}
	o.Skip("personalised_plate") // derived from the registration
	c.FirstRegistered, _ = jsondoc.Date(o, "first_registered", true)
	if jsondoc.Required(o, "model_year") {
		if y, ok := o.Int("model_year"); ok {
			c.ModelYear = int(y)
			switch {
			case y < 1886:
				jsondoc.Bad(o, "model_year", "is not a model year")
			case !c.FirstRegistered.IsZero() && int(y) > c.FirstRegistered.Year+1:
				jsondoc.Bad(o, "model_year", fmt.Sprintf("is more than a year after the first registration (%d)", c.FirstRegistered.Year))
			}
		}
	}
	c.DamageWarranty, _ = o.Bool("damage_warranty")
	c.OwnedSinceFirstRegistration, _ = o.Bool("owned_since_first_registration")
	c.Alarm = "none"
	if s, ok := o.Enum("alarm", alarms...); ok {
		c.Alarm = s
	}
	c.AlarmLevelSensor, _ = o.Bool("alarm_level_sensor")
	if c.AlarmLevelSensor && c.Alarm == "none" {
		jsondoc.Bad(o, "alarm_level_sensor", "a level sensor needs an alarm")
	}
	c.AlloyWheels, _ = o.Bool("alloy_wheels")
	c.LockingWheelNuts, _ = o.Bool("locking_wheel_nuts")
	o.Done()
	return c
}

// needs lists the base deductibles each cover's claims read.
var needs = map[string][]string{
	"fire":   {"fire", "detached_part"},
	"glass":  {"glass"},
	"theft":  {"theft"},
	"rescue": {"rescue"},
	// collision: "collision", unless added by 5.10 (checked apart)
	"layup": {"fire", "detached_part", "glass", "theft"},
}

// checkLetter checks what one letter says as a whole, naming the fields at
// fault.
func checkLetter(o *jsonin.Obj, l *Letter) {
	bad := func(field, detail string) { jsondoc.Bad(o, field, detail) }
	if o.Errs.Has(jsondoc.Path(o, "covers")) {
		return
	}
	if len(l.Covers) == 0 && !o.Errs.Has(jsondoc.Path(o, "covers")) && o.Has("covers") {
		bad("covers", "at least one cover is required")
	}
	if !l.Has("traffic") && !l.LaidUp && len(l.Covers) > 0 {
		bad("covers", "traffic (2.1) is required while the car is in traffic")
	}
	if l.LaidUp && !l.Has("layup") {
		bad("covers", "a laid-up car is insured by the lay-up cover (2.10)")
	}
	if l.Has("layup") && !l.LaidUp {
		bad("laid_up", "the lay-up cover (2.10) applies only while the car is laid up")
	}
	if l.Has("plus") && l.Has("bas") {
		bad("covers", "plus includes bas (2.12): list one of them")
	}
	if l.Has("animal_collision") && (l.Has("bas") || l.Has("plus")) {
		bad("covers", "bas and plus include the animal-collision refund (2.11.2): animal_collision (2.13) is bought alone")
	}
	if l.Has("plus") && !l.Car.DamageWarranty && !o.Errs.Has(jsondoc.Path(o, "car")) {
		bad("covers", "plus (2.12.1) is only for a Polestar with the maker's damage warranty (car.damage_warranty)")
	}
	if l.Has("care") && !l.Has("traffic") {
		bad("covers", "care (2.14) is for a car with traffic insurance")
	}
	for _, cv := range l.Covers {
		for _, n := range needs[cv] {
			if _, ok := l.Deductibles[n]; !ok {
				bad("deductibles."+n, fmt.Sprintf("is required by the %s cover (%s)", cv, coverClause[cv]))
			}
		}
	}
	if l.Has("collision") && !l.AutoCollision {
		if _, ok := l.Deductibles["collision"]; !ok {
			bad("deductibles.collision", "is required by the collision cover (2.8)")
		}
	}
	if !l.HasLowestCollision {
		for _, cv := range []string{"layup", "bas", "plus", "animal_collision"} {
			if l.Has(cv) {
				bad("lowest_collision_deductible", fmt.Sprintf("is required by the %s cover (%s)", cv, coverClause[cv]))
				break
			}
		}
	}
	if l.AutoCollision && !l.Has("collision") {
		bad("collision_by_5_10", "is set without a collision cover")
	}
}

// decodeStoredLetter reads a letter document the package wrote itself.
func decodeStoredLetter(o *jsonin.Obj) Letter { return decodeLetter(o, true) }

// DecodeVersion reads a version document written by AppendVersionJSON (a
// stored record).
func DecodeVersion(data []byte) (*Version, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	v := &Version{}
	v.PolicyID, _ = jsondoc.Str(o, "policy_id", true)
	if n, ok := o.Int("number"); ok {
		v.Number = int(n)
	}
	if s, ok := o.Enum("kind", string(Issue), string(Amendment), string(Renewal), string(AutoCollision), string(Cancellation)); ok {
		v.Kind = ChangeKind(s)
	}
	v.ValidFrom, _ = jsondoc.Date(o, "valid_from", true)
	v.IssuedAt, _ = jsondoc.Time(o, "issued_at", true)
	v.IssuedBy, _ = o.String("issued_by")
	v.Reason, _ = o.String("reason")
	v.TermsID, _ = o.String("terms_id")
	o.Skip("letter_number")
	pp := o.Object("period")
	v.Period.From, _ = jsondoc.Date(pp, "from", true)
	v.Period.FromTime, _ = jsondoc.Time(pp, "from_time", false)
	v.Period.Until, _ = jsondoc.Date(pp, "until", true)
	v.Period.Due, _ = jsondoc.Date(pp, "due", true)
	b := pp.Object("basis")
	v.Period.Basis.Code, _ = b.String("code")
	v.Period.Basis.Clause, _ = b.String("clause")
	b.Skip("text")
	b.Done()
	pp.Done()
	v.Ended, _ = o.Bool("ended")
	items, _ := o.Array("notes")
	for i, raw := range items {
		n := o.ObjectAt("notes", i, raw)
		var x Note
		x.Code, _ = n.String("code")
		x.Clause, _ = n.String("clause")
		n.Skip("text")
		n.Done()
		v.Notes = append(v.Notes, x)
	}
	if jsondoc.Required(o, "letter") {
		lo := o.Object("letter")
		v.Letter = decodeStoredLetter(lo)
		lo.Done()
	}
	o.Done()
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return v, nil
}

// Load puts a policy together from its stored versions (in any order) and
// its yearly due date.
func Load(id string, due MonthDay, versions []*Version) (*Policy, error) {
	if len(versions) == 0 {
		return nil, fmt.Errorf("policies: %s has no versions", id)
	}
	vs := append([]*Version(nil), versions...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].Number < vs[j].Number })
	for i, v := range vs {
		if v.Number != i+1 || v.PolicyID != id {
			return nil, fmt.Errorf("policies: %s: version %d of %s out of sequence", id, v.Number, v.PolicyID)
		}
	}
	return &Policy{ID: id, DueDate: due, Versions: vs}, nil
}
