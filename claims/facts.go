package claims

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/insurance"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
	"roadcover/policies"
)

// Loss is the facts of one loss: the day it happened and the day it was
// reported, the car's state at the loss (odometer, missed services, whether
// it stood in a locked garage), and the driver, incident and costs sections
// of the insurance contract (insurance.Decode's input), kept as given.
// The policy, the car and the deductibles are never part of it: a claim
// takes them from the policy version in force on the day of the loss.
type Loss struct {
	OccurredAt roadcover.Date
	ReportedAt roadcover.Date // zero until the first notice fixes it
	Vehicle    LossVehicle
	Driver     json.RawMessage
	Incident   json.RawMessage
	Costs      json.RawMessage
}

// LossVehicle is the car's state at the loss; nil fields were not given.
type LossVehicle struct {
	OdometerKm     *int64
	MissedServices *int64
	InLockedGarage *bool
}

// policyVehicleFields are the car fields a policy version gives.
var policyVehicleFields = []string{"first_registered", "model_year", "alarm", "alarm_level_sensor", "alloy_wheels",
	"locking_wheel_nuts", "pv_warranty_at_start", "laid_up", "owned_since_first_registration"}

// decodeLoss reads a loss document under path (e.g. "loss"), naming every
// bad field of its own level; the driver, incident and costs sections are
// checked by the insurance engine when the claim is built.
func decodeLoss(o *jsonin.Obj, raw []byte) *Loss {
	l := &Loss{}
	fields := jsondoc.Fields(raw)
	l.OccurredAt, _ = jsondoc.Date(o, "occurred_at", true)
	l.ReportedAt, _ = jsondoc.Date(o, "reported_at", false)
	if !l.OccurredAt.IsZero() && !l.ReportedAt.IsZero() && l.ReportedAt.Before(l.OccurredAt) {
		jsondoc.Bad(o, "reported_at", "is before occurred_at")
	}
	if o.Has("vehicle") {
		v := o.Object("vehicle")
		if n, ok := v.NonNegInt("odometer_km"); ok {
			l.Vehicle.OdometerKm = &n
		}
		if n, ok := v.NonNegInt("missed_services"); ok {
			l.Vehicle.MissedServices = &n
		}
		if b, ok := v.Bool("in_locked_garage"); ok {
			l.Vehicle.InLockedGarage = &b
		}
		for _, f := range policyVehicleFields {
			if v.Has(f) {
				v.Skip(f)
				jsondoc.Bad(v, f, "comes from the policy version in force on the day of the loss, not from the claim")
			}
		}
		v.Done()
	} else {
		o.Skip("vehicle")
	}
	for _, name := range []string{"driver", "incident", "costs"} {
		if name == "incident" && !jsondoc.Required(o, name) {
			continue
		}
		c := o.Object(name)
		if c.Null {
			continue
		}
		sec := json.RawMessage(jsondoc.Compact(fields[name]))
		switch name {
		case "driver":
			l.Driver = sec
		case "incident":
			l.Incident = sec
		case "costs":
			l.Costs = sec
		}
	}
	for _, f := range []string{"policy", "market"} {
		if o.Has(f) {
			o.Skip(f)
			jsondoc.Bad(o, f, "comes from the policy version in force on the day of the loss, not from the claim")
		}
	}
	o.Done()
	return l
}

// DecodeLoss reads a loss document on its own (as stored, or as a whole
// replacement of a claim's facts).
func DecodeLoss(data []byte) (*Loss, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	if o.Null {
		if len(errs.Errors) == 0 {
			errs.Add("body", roadcover.CodeInvalidInput, "must be a JSON object")
		}
		return nil, errs.Err()
	}
	l := decodeLoss(o, data)
	if err := errs.Err(); err != nil {
		// The loss as far as it was read comes back with the error, so
		// that the engine's checks can name their fields too.
		return l, err
	}
	return l, nil
}

// AppendLossJSON appends the loss document.
func AppendLossJSON(b []byte, l *Loss) []byte {
	w := jsondoc.Writer{B: b}
	w.Obj("").Date("occurred_at", l.OccurredAt).Date("reported_at", l.ReportedAt)
	appendLossBody(&w, l, false)
	w.End()
	return w.B
}

// appendLossBody writes the vehicle state and the three sections; within
// the insurance document the vehicle fields join the policy's car.
func appendLossBody(w *jsondoc.Writer, l *Loss, inVehicle bool) {
	if !inVehicle {
		if l.Vehicle != (LossVehicle{}) {
			w.Obj("vehicle")
			appendLossVehicle(w, &l.Vehicle)
			w.End()
		}
	} else {
		appendLossVehicle(w, &l.Vehicle)
		return
	}
	if l.Driver != nil {
		w.Raw("driver", l.Driver)
	}
	if l.Incident != nil {
		w.Raw("incident", l.Incident)
	}
	if l.Costs != nil {
		w.Raw("costs", l.Costs)
	}
}

func appendLossVehicle(w *jsondoc.Writer, v *LossVehicle) {
	if v.OdometerKm != nil {
		w.Int("odometer_km", *v.OdometerKm)
	}
	if v.MissedServices != nil {
		w.Int("missed_services", *v.MissedServices)
	}
	if v.InLockedGarage != nil {
		w.Bool("in_locked_garage", *v.InLockedGarage)
	}
}

// EngineCovers are the covers a version passes to the insurance engine: a
// collision cover that 5.10 added is left to the engine's own 5.10 rule,
// which gives the same cover and deductible and cites 5.10 for it.
func EngineCovers(v *policies.Version) []string {
	if !v.Letter.AutoCollision {
		return v.Letter.Covers
	}
	out := make([]string, 0, len(v.Letter.Covers))
	for _, c := range v.Letter.Covers {
		if c != "collision" {
			out = append(out, c)
		}
	}
	return out
}

// InsuranceDocument writes the claim of the insurance contract (the input
// of `roadcover claim settle`) for a loss under a policy version: market,
// days and language, the policy and car from the version, and the loss's
// own facts.
func InsuranceDocument(b []byte, v *policies.Version, l *Loss, lang roadcover.Language) []byte {
	w := jsondoc.Writer{B: b}
	lt := &v.Letter
	w.Obj("").Str("market", "SE").Date("occurred_at", l.OccurredAt)
	if !l.ReportedAt.IsZero() {
		w.Date("reported_at", l.ReportedAt)
	}
	w.Str("language", string(lang))
	w.Obj("policy").Strs("covers", EngineCovers(v)).Obj("deductibles")
	for _, n := range policies.DeductibleNames {
		if m, ok := lt.Deductibles[n]; ok {
			w.Money(n, m)
		}
	}
	w.End()
	if lt.HasLowestCollision {
		w.Money("lowest_collision_deductible", lt.LowestCollisionDeductible)
	}
	w.Bool("private_person", lt.Policyholder.Kind == policies.Person).Bool("vat_registered", lt.Policyholder.VATRegistered).
		Int("bonus_class", int64(lt.BonusClass)).Int("claim_free_years", int64(lt.ClaimFreeYears)).
		Bool("declined_auto_collision", lt.DeclinedAutoCollision).End()
	c := &lt.Car
	alarm := c.Alarm
	if alarm == "approved" && c.AlarmLevelSensor {
		alarm = "approved_level_sensor" // the engine's shorthand; also given as the flag below
	}
	w.Obj("vehicle").Date("first_registered", c.FirstRegistered).Int("model_year", int64(c.ModelYear)).
		Str("alarm", alarm).Bool("alarm_level_sensor", c.AlarmLevelSensor).Bool("alloy_wheels", c.AlloyWheels).
		Bool("locking_wheel_nuts", c.LockingWheelNuts).Bool("pv_warranty_at_start", c.DamageWarranty).
		Bool("laid_up", lt.LaidUp).Bool("owned_since_first_registration", c.OwnedSinceFirstRegistration)
	appendLossBody(&w, l, true)
	w.End()
	appendLossBody(&w, &Loss{Driver: l.Driver, Incident: l.Incident, Costs: l.Costs}, false)
	w.End()
	return w.B
}

// Build makes the insurance claim of a loss under a policy version: the
// facts insurance.Settle decides. Input problems name the loss's fields
// ("loss.incident.peril"); a problem of the letter names the policy's
// ("policy.deductibles.collision").
func Build(v *policies.Version, l *Loss, lang roadcover.Language) (*insurance.Claim, error) {
	doc := InsuranceDocument(make([]byte, 0, 1024), v, l, lang)
	c, err := insurance.Decode(doc)
	if err != nil {
		return nil, mapEngineError(err)
	}
	return c, nil
}

// mapEngineError renames the fields of the insurance engine's input errors
// to the fields of the claim document.
func mapEngineError(err error) error {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return err
	}
	out := &roadcover.InputError{}
	for _, f := range ie.Errors {
		field, detail := f.Field, f.Detail
		switch {
		case field == "occurred_at" || field == "reported_at" ||
			strings.HasPrefix(field, "driver") || strings.HasPrefix(field, "incident") || strings.HasPrefix(field, "costs") ||
			field == "vehicle.odometer_km" || field == "vehicle.missed_services" || field == "vehicle.in_locked_garage":
			field = "loss." + field
		case field == "vehicle.first_registered":
			field, detail = "loss.occurred_at", "is before the car's first registration on the policy"
		case field == "body":
			field = "loss"
		}
		if !out.Has(field) {
			out.Add(field, f.Code, detail)
		}
	}
	return out.Err()
}

// Decided is what the settlement gave, as the claim keeps it: per line the
// amounts that payments, reserves and recoveries are checked against, the
// refusals with their clauses, and the totals. The full settlement (texts,
// steps, readings) is the insurance engine's document, kept beside it.
type Decided struct {
	TermsID          string
	Lines            []SettledLine
	Refusals         []Refusal
	PayableTotal     roadcover.Money
	DeductibleTotal  roadcover.Money
	PremiumAffecting bool
	Requirements     []string
	Peril, Country   string
}

// SettledLine is one line of a settlement; amounts are in öre (SEK minor
// units), as the engine's own lines hold them.
type SettledLine struct {
	Key        string // the cover, or cover:dispute for legal lines, care:n for care
	Cover      string
	Clause     string
	Status     string // settled, pending, eligible
	Assessed   int64
	Deductible int64
	Net        int64
	Reductions int64 // the sum of the line's reductions after the deductible
	Payable    int64
}

// Refusal is a cover the settlement refused, with its reason and clause.
type Refusal struct {
	Cover, Code, Clause string
}

func sek(minor int64) roadcover.Money { return roadcover.Money{Minor: minor, Currency: "SEK"} }

// summarise keeps what the claim needs of a settlement.
func summarise(s *insurance.Settlement, c *insurance.Claim) (Decided, error) {
	d := Decided{TermsID: s.TermsID, PayableTotal: sek(s.PayableTotal), DeductibleTotal: sek(s.DeductibleTotal),
		PremiumAffecting: s.PremiumAffecting, Requirements: s.Requirements,
		Peril: c.Incident.Peril, Country: c.Incident.Country}
	d.Lines = make([]SettledLine, len(s.Lines))
	for i := range s.Lines {
		l := &s.Lines[i]
		var red int64
		for _, r := range l.Reductions {
			var ok bool
			if red, ok = roadcover.AddMinor(red, r.Amount); !ok {
				return Decided{}, fmt.Errorf("claims: line %s: %w", l.Cover, roadcover.ErrOverflow)
			}
		}
		key := l.Cover
		switch {
		case l.DisputeID != "":
			key = l.Cover + ":" + l.DisputeID
		case l.Cover == "care":
			key = fmt.Sprintf("care:%d", l.Person)
		}
		for j := 0; j < i; j++ {
			if d.Lines[j].Key == key {
				key = fmt.Sprintf("%s#%d", key, i)
			}
		}
		d.Lines[i] = SettledLine{Key: key, Cover: l.Cover, Clause: l.Clause, Status: l.Status,
			Assessed: l.Assessed, Deductible: l.Deductible, Net: l.Net, Reductions: red, Payable: l.Payable}
	}
	if len(s.Refusals) > 0 {
		d.Refusals = make([]Refusal, len(s.Refusals))
		for i, r := range s.Refusals {
			d.Refusals[i] = Refusal{Cover: r.Cover, Code: r.Code, Clause: r.Clause}
		}
	}
	return d, nil
}
