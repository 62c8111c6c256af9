package policies

import (
	"roadcover"
	"roadcover/internal/jsondoc"
)

// appendLetter writes the letter document: the fields decodeLetter reads,
// plus the derived holder kind and plate form, which it skips.
func appendLetter(w *jsondoc.Writer, l *Letter) {
	h := &l.Policyholder
	w.Obj("policyholder").Str("name", h.Name).Str("id_number", h.IDNumber).Str("kind", string(h.Kind)).
		Bool("vat_registered", h.VATRegistered).Str("language", string(h.Language))
	w.Obj("contact")
	if h.Contact.Email != "" {
		w.Str("email", h.Contact.Email)
	}
	if h.Contact.Phone != "" {
		w.Str("phone", h.Contact.Phone)
	}
	if a := h.Contact.Address; a != (Address{}) {
		w.Obj("address").Str("street", a.Street).Str("postal_code", a.PostalCode).Str("city", a.City).Str("country", a.Country).End()
	}
	w.End().End()
	c := &l.Car
	w.Obj("car").Str("vin", c.VIN).Str("registration", c.Registration).Bool("personalised_plate", c.PersonalisedPlate).
		Date("first_registered", c.FirstRegistered).Int("model_year", int64(c.ModelYear)).
		Bool("damage_warranty", c.DamageWarranty).Bool("owned_since_first_registration", c.OwnedSinceFirstRegistration).
		Str("alarm", c.Alarm).Bool("alarm_level_sensor", c.AlarmLevelSensor).Bool("alloy_wheels", c.AlloyWheels).
		Bool("locking_wheel_nuts", c.LockingWheelNuts).End()
	w.Strs("covers", l.Covers).Bool("collision_by_5_10", l.AutoCollision)
	w.Obj("deductibles")
	for _, n := range DeductibleNames {
		if m, ok := l.Deductibles[n]; ok {
			w.Money(n, m)
		}
	}
	w.End()
	if l.HasLowestCollision {
		w.Money("lowest_collision_deductible", l.LowestCollisionDeductible)
	}
	w.Bool("declined_auto_collision", l.DeclinedAutoCollision).Int("bonus_class", int64(l.BonusClass)).
		Int("claim_free_years", int64(l.ClaimFreeYears)).Bool("laid_up", l.LaidUp)
	w.Obj("payment").Str("plan", string(l.Payment.Plan)).Str("invoice", string(l.Payment.Channel)).End()
	w.Money("premium", l.Premium)
}

func appendNote(w *jsondoc.Writer, n Note, lang roadcover.Language) {
	w.Obj("").Str("code", n.Code).Str("clause", n.Clause).Str("text", n.Text(lang)).End()
}

func appendPeriod(w *jsondoc.Writer, k string, p Period, lang roadcover.Language) {
	w.Obj(k).Date("from", p.From).Time("from_time", p.FromTime).Date("until", p.Until).Date("due", p.Due)
	w.Obj("basis").Str("code", p.Basis.Code).Str("clause", p.Basis.Clause).Str("text", p.Basis.Text(lang)).End()
	w.End()
}

func appendVersion(w *jsondoc.Writer, v *Version, lang roadcover.Language) {
	w.Obj("").Str("policy_id", v.PolicyID).Int("number", int64(v.Number)).Str("kind", string(v.Kind)).
		Date("valid_from", v.ValidFrom).Time("issued_at", v.IssuedAt).Str("issued_by", v.IssuedBy).
		Str("reason", v.Reason).Str("terms_id", v.TermsID).Str("letter_number", v.LetterNumber())
	appendPeriod(w, "period", v.Period, lang)
	w.Bool("ended", v.Ended)
	w.Arr("notes")
	for _, n := range v.Notes {
		appendNote(w, n, lang)
	}
	w.End()
	w.Obj("letter")
	appendLetter(w, &v.Letter)
	w.End().End()
}

// AppendVersionJSON appends one version document (the record a store keeps
// per version; DecodeVersion reads it back), texts in lang.
func AppendVersionJSON(b []byte, v *Version, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	appendVersion(&w, v, lang)
	return w.B
}

// AppendPolicyJSON appends the policy document of GET /v1/policies/{id}:
// the id, the yearly due date, the number of the version in force on today
// (null when none) and every version, oldest first.
func AppendPolicyJSON(b []byte, p *Policy, today roadcover.Date, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("").Str("id", p.ID).Str("due_date", p.DueDate.String())
	if v, err := p.VersionOn(today); err == nil {
		w.Int("in_force_version", int64(v.Number))
	} else {
		w.Null("in_force_version")
	}
	w.Str("status", string(p.Status(today)))
	w.Arr("versions")
	for _, v := range p.Versions {
		appendVersion(&w, v, lang)
	}
	w.End().End()
	return w.B
}

// Status is where a policy stands on a day.
type Status string

// The statuses of a policy.
const (
	NotYet  Status = "not_yet_in_force"
	InForce Status = "in_force"
	Lapsed  Status = "lapsed" // the period ended without renewal
	Ended   Status = "ended"  // cancelled
)

// Status says whether the policy is in force on day.
func (p *Policy) Status(day roadcover.Date) Status {
	if day.Before(p.Versions[0].ValidFrom) {
		return NotYet
	}
	if _, err := p.VersionOn(day); err == nil {
		return InForce
	}
	for _, v := range p.Versions {
		if v.Ended && !day.Before(v.ValidFrom) {
			return Ended
		}
	}
	return Lapsed
}

// AppendPolicyListJSON appends the answer of GET /v1/policies?vin=: one
// summary per policy (id, status on today, policyholder's name and number,
// car, the latest version and its period).
func AppendPolicyListJSON(b []byte, ps []*Policy, today roadcover.Date) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("").Arr("policies")
	for _, p := range ps {
		v := p.Latest()
		w.Obj("").Str("id", p.ID).Str("status", string(p.Status(today))).
			Str("policyholder", v.Letter.Policyholder.Name).Str("id_number", v.Letter.Policyholder.IDNumber).
			Str("vin", v.Letter.Car.VIN).Str("registration", v.Letter.Car.Registration).
			Int("latest_version", int64(v.Number)).Date("period_from", v.Period.From).Date("period_until", v.Period.Until).
			Strs("covers", v.Letter.Covers).End()
	}
	w.End().End()
	return w.B
}

// AppendInvoicesJSON appends the invoices of one insurance period.
func AppendInvoicesJSON(b []byte, inv *Invoicing, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("")
	appendPeriod(&w, "period", inv.Period, lang)
	w.Arr("invoices")
	for _, in := range inv.Invoices {
		w.Obj("").Str("policy_id", in.PolicyID).Int("number", int64(in.Number)).Date("from", in.From).Date("until", in.Until).
			Date("due", in.Due).Str("plan", string(in.Plan)).Str("channel", string(in.Channel)).Int("version", int64(in.Version)).
			Money("premium", in.Premium).Money("fee", in.Fee).Money("total", in.Total).Str("currency", "SEK")
		w.Arr("notes")
		for _, n := range in.Notes {
			appendNote(&w, n, lang)
		}
		w.End().End()
	}
	w.End().Money("total", inv.Total).Str("currency", "SEK").End()
	return w.B
}
