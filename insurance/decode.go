package insurance

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/terms"
)

// amount is a money field as read: a decimal string or a JSON number. A
// malformed one does not stop decoding; convert names it.
type amount struct {
	minor int64
	set   bool
	bad   bool
}

func (a *amount) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	a.set = true
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(text)
		if err != nil {
			a.bad = true
			return nil
		}
		text = s
	} else if len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == 't' || b[0] == 'f') {
		a.bad = true
		return nil
	}
	v, err := roadcover.ParseMinor(text)
	if err != nil {
		a.bad = true
		return nil
	}
	a.minor = v
	return nil
}

// The raw claim mirrors the JSON contract; pointers tell absent from zero.
type rawClaim struct {
	Market     optString  `json:"market"`
	OccurredAt optString  `json:"occurred_at"`
	ReportedAt optString  `json:"reported_at"`
	Language   optString  `json:"language"`
	Policy     rawPolicy  `json:"policy"`
	Vehicle    rawVehicle `json:"vehicle"`
	Driver     rawDriver  `json:"driver"`
	Incident   rawInc     `json:"incident"`
	Costs      rawCosts   `json:"costs"`
}

type rawPolicy struct {
	Covers                    []string          `json:"covers"`
	Deductibles               map[string]amount `json:"deductibles"`
	LowestCollisionDeductible amount            `json:"lowest_collision_deductible"`
	PrivatePerson             optBool           `json:"private_person"`
	VATRegistered             optBool           `json:"vat_registered"`
	BonusClass                optInt            `json:"bonus_class"`
	ClaimFreeYears            optInt            `json:"claim_free_years"`
	DeclinedAutoCollision     optBool           `json:"declined_auto_collision"`
}

type rawVehicle struct {
	FirstRegistered             optString `json:"first_registered"`
	ModelYear                   optInt    `json:"model_year"`
	OdometerKm                  optInt    `json:"odometer_km"`
	Alarm                       optString `json:"alarm"`
	AlarmLevelSensor            optBool   `json:"alarm_level_sensor"`
	AlloyWheels                 optBool   `json:"alloy_wheels"`
	LockingWheelNuts            optBool   `json:"locking_wheel_nuts"`
	MissedServices              optInt    `json:"missed_services"`
	PVWarrantyAtStart           optBool   `json:"pv_warranty_at_start"`
	LaidUp                      optBool   `json:"laid_up"`
	OwnedSinceFirstRegistration optBool   `json:"owned_since_first_registration"`
	InLockedGarage              optBool   `json:"in_locked_garage"`
}

type rawDriver struct {
	Age             optInt  `json:"age"`
	IsPolicyholder  optBool `json:"is_policyholder"`
	Licence         optBool `json:"licence"`
	Intoxicated     optBool `json:"intoxicated"`
	DrivingBan      optBool `json:"driving_ban"`
	GrossNegligence optBool `json:"gross_negligence"`
	Intent          optBool `json:"intent"`
	// WithoutPermission: the driver drove without the insured's permission
	// (2.14); Permission false says the same.
	WithoutPermission optBool `json:"without_permission"`
	Permission        optBool `json:"permission"`
}

type rawInc struct {
	Peril                    optString `json:"peril"`
	Country                  optString `json:"country"`
	PoliceReport             optBool   `json:"police_report"`
	ReportedToOwner          optBool   `json:"reported_to_owner"`
	Animal                   optString `json:"animal"`
	GlassRepaired            optBool   `json:"glass_repaired"`
	AtPolestarDealer         optBool   `json:"at_polestar_dealer"`
	InCollision              optBool   `json:"in_collision"`
	DetachedPart             optBool   `json:"detached_part"`
	DetachedPartUnlocked     optBool   `json:"detached_part_unlocked"`
	ExplosionInsideComponent optBool   `json:"explosion_inside_component"`
	AlarmActivated           optBool   `json:"alarm_activated"`
	CarUnlocked              optBool   `json:"car_unlocked"`
	KeyInOrNearCar           optBool   `json:"key_in_or_near_car"`
	RecoveredWithin30Days    optBool   `json:"recovered_within_30_days"`
	RecoveredWithin1Day      optBool   `json:"recovered_within_1_day"`
	UnauthorisedUseByHolder  optBool   `json:"unauthorised_use_by_holder"`
	EquipmentUnproven        optBool   `json:"equipment_unproven"`
	ByHouseholdMember        optBool   `json:"by_household_member"`
	Fraud                    optBool   `json:"fraud"`
	Component                optString `json:"component"`
	Tuned                    optBool   `json:"tuned"`
	FaultyRepair             optBool   `json:"faulty_repair"`
	ExternalCause            optBool   `json:"external_cause"`
	Forum                    optString `json:"forum"`
	Dispute                  optString `json:"dispute"`
	DisputeID                optString `json:"dispute_id"`
	AboutThisInsurance       optBool   `json:"about_this_insurance"`
	TyreDefect               optBool   `json:"tyre_defect"`
	TrackOrCompetition       optBool   `json:"track_or_competition"`
	OtherVehicle             optString `json:"other_vehicle"`
	Cause                    optString `json:"cause"`
	PoliceOrMilitaryUse      optBool   `json:"police_or_military_use"`
	FalseInformation         optBool   `json:"false_information"`
	IceNotChecked            optBool   `json:"ice_not_checked"`
	CoveredByWarranty        optBool   `json:"covered_by_warranty"`
	RepairDays               optInt    `json:"repair_days"`
	CausedByAnimal           optBool   `json:"caused_by_animal"`
	OwnerReport              optBool   `json:"owner_report"` // same as reported_to_owner
}

type rawCosts struct {
	Repair             amount       `json:"repair_sek"`
	MarketValue        amount       `json:"market_value_sek"`
	ValueAfterDamage   amount       `json:"value_after_damage_sek"`
	NewCarPrice        amount       `json:"new_car_price_sek"`
	ThirdParty         amount       `json:"third_party_sek"`
	Clothes            amount       `json:"clothes_sek"`
	WarrantyDeductible amount       `json:"warranty_deductible_sek"`
	Wheels             *rawWheels   `json:"wheels"`
	Rescue             *rawRescue   `json:"rescue"`
	Legal              *rawLegal    `json:"legal"`
	Rental             *rawRental   `json:"rental"`
	TherapySessions    []amount     `json:"therapy_sessions_sek"`
	TherapyDated       []rawSession `json:"therapy_sessions"`
	LegalClaims        []rawLegal   `json:"legal_claims"`
	Towing             amount       `json:"towing_sek"`
	Collection         amount       `json:"collection_sek"`
	TherapyInSweden    optBool      `json:"therapy_in_sweden"`
	CarePersons        []rawPerson  `json:"care_persons"`
}

type rawWheels struct {
	Tyres    amount `json:"tyres_sek"`
	TyresAge optInt `json:"tyres_age_years"`
	Rims     amount `json:"rims_sek"`
	RimsAge  optInt `json:"rims_age_years"`
}

type rawRescue struct {
	PersonTransport  amount `json:"person_transport_sek"`
	CarTransport     amount `json:"car_transport_sek"`
	SavedFuel        amount `json:"saved_fuel_sek"`
	CoveredElsewhere amount `json:"covered_elsewhere_sek"`
}

type rawLegal struct {
	LawyerHours     optFloat  `json:"lawyer_hours"`
	HourlyRate      amount    `json:"hourly_rate_sek"`
	Investigation   amount    `json:"investigation_sek"`
	Witness         amount    `json:"witness_sek"`
	Other           amount    `json:"other_sek"`
	LawyerQualified optBool   `json:"lawyer_qualified"`
	DisputeID       optString `json:"dispute_id"`
}

// rawSession is one dated crisis-therapy session (2.4).
type rawSession struct {
	Date   optString `json:"date"`
	Amount amount    `json:"amount_sek"`
}

type rawRental struct {
	Days          optInt  `json:"days"`
	DaysInSweden  optInt  `json:"days_in_sweden"` // withdrawn: an input error
	SwedenOutward optInt  `json:"days_in_sweden_outbound"`
	SwedenHome    optInt  `json:"days_in_sweden_homebound"`
	DrivableDays  optInt  `json:"drivable_days"`
	OwnDelayDays  optInt  `json:"own_delay_days"`
	Daily         amount  `json:"daily_sek"`
	Km            amount  `json:"km_sek"`
	CashInstead   optBool `json:"cash_instead"`
	NotRepaired   optBool `json:"not_repaired"`
}

type rawPerson struct {
	Age              optInt    `json:"age"`
	ResidentInSweden optBool   `json:"resident_in_sweden"`
	Resident         optBool   `json:"resident"` // same as resident_in_sweden
	Injury           optString `json:"injury"`
	Dental           optBool   `json:"dental"`        // same as injury "dental"
	MentalInjury     optBool   `json:"mental_injury"` // same as injury "mental"
	Illness          optBool   `json:"illness"`       // same as injury "illness"
}

// Decode reads and checks a claim. Every bad field is named in one
// *roadcover.InputError; the terms version in force on the incident day and
// the price base amount of its year are attached.
func Decode(data []byte) (*Claim, error) {
	var raw rawClaim
	errs := &roadcover.InputError{}
	// One decoder, walk, reads any body and names every bad field; the
	// common, well-formed body goes through a decoder kept for speed first
	// (fastdecode.go), which reads only what walk would read the same and
	// gives up on the rest. The tests hold both to encoding/json.
	unknown, err := fastDecode(data, &raw)
	if err != nil {
		raw = rawClaim{}
		unknown = walk(data, &raw, errs)
		if errs.Has("body") {
			return nil, errs.Err() // not one JSON object: nothing else to name
		}
	}
	// Unknown top-level fields are refused, as in the assistance contract;
	// unknown fields inside the known objects are ignored.
	for _, name := range unknown {
		errs.Add(name, roadcover.CodeInvalidInput, "unknown field; expected market, occurred_at, reported_at, language, policy, vehicle, driver, incident or costs")
	}
	c := convert(&raw, errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// walk reads the body field by field with jsonin, filling raw with the values
// of the right type and naming every field of the wrong one; it returns the
// top-level names the claim does not know.
func walk(data []byte, raw *rawClaim, errs *roadcover.InputError) []string {
	o := jsonin.Parse(data, errs)
	if o.Null {
		return nil
	}
	walkStruct(o, reflect.ValueOf(raw).Elem())
	return o.Unread()
}

var amountType = reflect.TypeOf(amount{})

func walkStruct(o *jsonin.Obj, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		fv := v.Field(i)
		if !o.Has(name) {
			o.Skip(name)
			continue
		}
		switch {
		case f.Type == amountType:
			if m, ok := o.Money(name); ok {
				fv.Set(reflect.ValueOf(amount{minor: m, set: true}))
			} else {
				// named already; keep it out of convert's checks
				fv.Set(reflect.ValueOf(amount{}))
			}
		case f.Type == optStringType:
			if s, ok := o.String(name); ok {
				*(fv.Addr().Interface().(*optString)) = optString{s, true}
			}
		case f.Type == optBoolType:
			if b, ok := o.Bool(name); ok {
				*(fv.Addr().Interface().(*optBool)) = optBool{b, true}
			}
		case f.Type == optIntType:
			if n, ok := o.Int(name); ok {
				*(fv.Addr().Interface().(*optInt)) = optInt{n, true}
			}
		case f.Type == optFloatType:
			if n, ok := o.Float(name); ok {
				*(fv.Addr().Interface().(*optFloat)) = optFloat{n, true}
			}
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			p := reflect.New(f.Type.Elem())
			child := o.Object(name)
			if !child.Null {
				walkStruct(child, p.Elem())
				fv.Set(p)
			}
		case f.Type.Kind() == reflect.Struct:
			child := o.Object(name)
			if !child.Null {
				walkStruct(child, fv)
			}
		case f.Type.Kind() == reflect.Pointer:
			switch f.Type.Elem().Kind() {
			case reflect.String:
				if s, ok := o.String(name); ok {
					fv.Set(reflect.ValueOf(&s))
				}
			case reflect.Bool:
				if b, ok := o.Bool(name); ok {
					fv.Set(reflect.ValueOf(&b))
				}
			case reflect.Int64:
				if n, ok := o.Int(name); ok {
					fv.Set(reflect.ValueOf(&n))
				}
			case reflect.Float64:
				if n, ok := o.Float(name); ok {
					fv.Set(reflect.ValueOf(&n))
				}
			}
		case f.Type.Kind() == reflect.Map:
			child := o.Object(name)
			if child.Null {
				continue
			}
			m := map[string]amount{}
			for _, k := range deductibleNames {
				if child.Has(k) {
					if x, ok := child.Money(k); ok {
						m[k] = amount{minor: x, set: true}
					}
				}
			}
			fv.Set(reflect.ValueOf(m))
		case f.Type.Kind() == reflect.Slice:
			items, ok := o.Array(name)
			if !ok {
				continue
			}
			s := reflect.MakeSlice(f.Type, len(items), len(items))
			for j, it := range items {
				path := fmt.Sprintf("%s.%d", pathOf(o, name), j)
				el := s.Index(j)
				switch f.Type.Elem() {
				case amountType:
					var a amount
					if json.Unmarshal(it, &a) != nil || a.bad {
						o.Errs.Add(path, roadcover.CodeInvalidInput, "must be a decimal amount such as \"1500.00\"")
						continue
					}
					el.Set(reflect.ValueOf(a))
				default:
					if f.Type.Elem().Kind() == reflect.String {
						var str string
						if json.Unmarshal(it, &str) != nil {
							o.Errs.Add(path, roadcover.CodeInvalidInput, "must be a string")
							continue
						}
						el.SetString(str)
					} else {
						child := o.ObjectAt(name, j, it)
						if !child.Null {
							walkStruct(child, el)
						}
					}
				}
			}
			fv.Set(s)
		}
	}
}

func pathOf(o *jsonin.Obj, name string) string {
	if o.Path == "" {
		return name
	}
	return o.Path + "." + name
}

var deductibleNames = []string{"fire", "glass", "theft", "rescue", "collision", "detached_part", "machinery", "legal", "layup"}

// checker turns raw values into claim values, naming every bad field.
type checker struct{ errs *roadcover.InputError }

func (k checker) bad(field, detail string) {
	if !k.errs.Has(field) {
		k.errs.Add(field, roadcover.CodeInvalidInput, detail)
	}
}

func (k checker) money(field string, a amount) (int64, bool) {
	switch {
	case !a.set:
		return 0, false
	case a.bad:
		k.bad(field, "must be a decimal amount with at most two places, such as \"1500.00\"")
		return 0, false
	case a.minor < 0:
		k.bad(field, "may not be negative")
		return 0, false
	}
	return a.minor, true
}

func (k checker) count(field string, p optInt) (int64, bool) {
	if !p.set {
		return 0, false
	}
	if p.v < 0 {
		k.bad(field, "may not be negative")
		return 0, false
	}
	return p.v, true
}

func (k checker) enum(field string, p optString, allowed []string) string {
	if !p.set {
		return ""
	}
	if !in(p.v, allowed) {
		k.bad(field, fmt.Sprintf("unknown value %q; expected one of %s", p.v, strings.Join(allowed, ", ")))
		return ""
	}
	return p.v
}

func (k checker) date(field string, p optString, required bool) roadcover.Date {
	if !p.set {
		if required {
			k.bad(field, "is required (YYYY-MM-DD)")
		}
		return roadcover.Date{}
	}
	d, err := roadcover.ParseDate(p.v)
	if err != nil {
		k.bad(field, err.Error())
		return roadcover.Date{}
	}
	return d
}

func flag(p optBool, def bool) bool {
	if !p.set {
		return def
	}
	return p.v
}

// insuranceMarkets are the markets with insurance terms, read once.
var insuranceMarkets = terms.Markets(terms.Insurance)

func convert(r *rawClaim, errs *roadcover.InputError) *Claim {
	k := checker{errs}
	c := &Claim{}
	switch {
	case !r.Market.set:
		k.bad("market", "is required")
	case !in(r.Market.v, insuranceMarkets):
		k.bad("market", fmt.Sprintf("unknown market %q; expected one of %s", r.Market.v, strings.Join(insuranceMarkets, ", ")))
	default:
		c.Market = r.Market.v
	}
	c.OccurredAt = k.date("occurred_at", r.OccurredAt, true)
	c.ReportedAt = k.date("reported_at", r.ReportedAt, false)
	if !c.OccurredAt.IsZero() && !c.ReportedAt.IsZero() && c.ReportedAt.Before(c.OccurredAt) {
		k.bad("reported_at", "is before occurred_at")
	}
	if r.Language.set {
		if l, ok := roadcover.ParseLanguage(r.Language.v); ok {
			c.Language = l
		} else {
			k.bad("language", fmt.Sprintf("unknown language %q; expected one of en, de, pt, da, sv", r.Language.v))
		}
	}
	if c.Market != "" && !c.OccurredAt.IsZero() {
		v, err := terms.Select(terms.Insurance, c.Market, c.OccurredAt)
		switch {
		case errors.Is(err, terms.ErrNoTermsInForce):
			errs.Add("occurred_at", roadcover.CodeNoTermsInForce, fmt.Sprintf("no insurance terms for %s were in force on %s", c.Market, c.OccurredAt))
		case err != nil:
			k.bad("market", err.Error())
		default:
			c.Version = v
			pbb, ok := priceBase(v, c.OccurredAt.Year)
			if !ok {
				errs.Add("occurred_at", roadcover.CodeNoPriceBase, fmt.Sprintf("no price base amount is known for %d", c.OccurredAt.Year))
			}
			c.PBB, c.PBBYear = pbb, c.OccurredAt.Year
		}
	}

	// policy
	p := &c.Policy
	for i, name := range r.Policy.Covers {
		cv, ok := coverByName(name)
		if !ok {
			k.bad("policy.covers", fmt.Sprintf("item %d: unknown cover %q; expected one of %s", i, name, strings.Join(coverNames[:], ", ")))
			continue
		}
		p.Covers |= 1 << cv
	}
	p.Deductibles = make(map[string]int64, len(r.Policy.Deductibles))
	for name, a := range r.Policy.Deductibles {
		switch {
		case a.bad || a.minor < 0: // the field's name is built only when it is bad
			k.money("policy.deductibles."+name, a)
		case a.set:
			p.Deductibles[name] = a.minor
		}
	}
	p.LowestCollisionDeductible, p.HasLowestCollision = k.money("policy.lowest_collision_deductible", r.Policy.LowestCollisionDeductible)
	p.PrivatePerson = flag(r.Policy.PrivatePerson, true)
	p.VATRegistered = flag(r.Policy.VATRegistered, false)
	p.BonusClass, _ = k.count("policy.bonus_class", r.Policy.BonusClass)
	p.ClaimFreeYears, _ = k.count("policy.claim_free_years", r.Policy.ClaimFreeYears)
	p.DeclinedAutoCollision = flag(r.Policy.DeclinedAutoCollision, false)

	// vehicle
	rv, v := &r.Vehicle, &c.Vehicle
	v.FirstRegistered = k.date("vehicle.first_registered", rv.FirstRegistered, true)
	if !v.FirstRegistered.IsZero() && !c.OccurredAt.IsZero() && c.OccurredAt.Before(v.FirstRegistered) {
		k.bad("vehicle.first_registered", "is after occurred_at")
	}
	v.ModelYear, _ = k.count("vehicle.model_year", rv.ModelYear)
	v.OdometerKm, _ = k.count("vehicle.odometer_km", rv.OdometerKm)
	v.Alarm = k.enum("vehicle.alarm", rv.Alarm, alarms)
	v.AlarmLevelSensor = flag(rv.AlarmLevelSensor, false)
	if v.Alarm == "approved_level_sensor" {
		// shorthand for an approved alarm with a level sensor (2.4)
		if rv.AlarmLevelSensor.set && !rv.AlarmLevelSensor.v {
			k.bad("vehicle.alarm_level_sensor", "is false, but vehicle.alarm approved_level_sensor says the alarm has a level sensor")
		}
		v.Alarm, v.AlarmLevelSensor = "approved", true
	}
	v.AlloyWheels = flag(rv.AlloyWheels, false)
	v.LockingWheelNuts = flag(rv.LockingWheelNuts, false)
	v.MissedServices, _ = k.count("vehicle.missed_services", rv.MissedServices)
	v.PVWarrantyAtStart = flag(rv.PVWarrantyAtStart, false)
	v.LaidUp = flag(rv.LaidUp, false)
	v.OwnedSinceFirstRegistration = flag(rv.OwnedSinceFirstRegistration, false)
	v.InLockedGarage = rv.InLockedGarage.ptr()

	// driver
	rd, d := &r.Driver, &c.Driver
	d.Age, d.HasAge = k.count("driver.age", rd.Age)
	d.IsPolicyholder = flag(rd.IsPolicyholder, true)
	d.Licence = flag(rd.Licence, true)
	d.Intoxicated = flag(rd.Intoxicated, false)
	d.DrivingBan = flag(rd.DrivingBan, false)
	d.GrossNegligence = flag(rd.GrossNegligence, false)
	d.Intent = flag(rd.Intent, false)
	d.WithoutPermission = flag(rd.WithoutPermission, false) || !flag(rd.Permission, true)

	// incident
	ri, n := &r.Incident, &c.Incident
	if !ri.Peril.set {
		k.bad("incident.peril", "is required")
	}
	n.Peril = k.enum("incident.peril", ri.Peril, perils)
	if ri.Country.set {
		cc := strings.ToUpper(ri.Country.v)
		if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
			k.bad("incident.country", fmt.Sprintf("%q is not an ISO 3166 alpha-2 code", cc))
		}
		n.Country = cc
	} else {
		n.Country = "SE"
	}
	n.PoliceReport = flag(ri.PoliceReport, false)
	n.ReportedToOwner = flag(ri.ReportedToOwner, false) || flag(ri.OwnerReport, false)
	n.Animal = k.enum("incident.animal", ri.Animal, animals)
	n.GlassRepaired = flag(ri.GlassRepaired, false)
	n.AtPolestarDealer = flag(ri.AtPolestarDealer, false)
	n.InCollision = flag(ri.InCollision, false)
	n.DetachedPart = flag(ri.DetachedPart, false)
	n.DetachedPartUnlocked = flag(ri.DetachedPartUnlocked, false)
	n.ExplosionInsideComponent = flag(ri.ExplosionInsideComponent, false)
	n.AlarmActivated = ri.AlarmActivated.ptr()
	n.CarUnlocked = flag(ri.CarUnlocked, false)
	n.KeyInOrNearCar = flag(ri.KeyInOrNearCar, false)
	n.RecoveredWithin30Days = ri.RecoveredWithin30Days.ptr()
	n.RecoveredWithin1Day = ri.RecoveredWithin1Day.ptr()
	n.UnauthorisedUseByHolder = flag(ri.UnauthorisedUseByHolder, false)
	n.EquipmentUnproven = flag(ri.EquipmentUnproven, false)
	n.ByHouseholdMember = flag(ri.ByHouseholdMember, false)
	n.Fraud = flag(ri.Fraud, false)
	n.Component = k.enum("incident.component", ri.Component, components)
	n.Tuned = flag(ri.Tuned, false)
	n.FaultyRepair = flag(ri.FaultyRepair, false)
	n.ExternalCause = flag(ri.ExternalCause, false)
	n.Forum = k.enum("incident.forum", ri.Forum, forums)
	n.Dispute = k.enum("incident.dispute", ri.Dispute, disputes)
	if ri.DisputeID.set {
		n.DisputeID = ri.DisputeID.v
	}
	n.AboutThisInsurance = flag(ri.AboutThisInsurance, false)
	n.TyreDefect = flag(ri.TyreDefect, false)
	n.TrackOrCompetition = flag(ri.TrackOrCompetition, false)
	n.OtherVehicle = k.enum("incident.other_vehicle", ri.OtherVehicle, otherVehs)
	n.Cause = k.enum("incident.cause", ri.Cause, causes)
	n.PoliceOrMilitaryUse = flag(ri.PoliceOrMilitaryUse, false)
	n.FalseInformation = flag(ri.FalseInformation, false)
	n.IceNotChecked = flag(ri.IceNotChecked, false)
	n.CoveredByWarranty = flag(ri.CoveredByWarranty, false)
	n.RepairDays, _ = k.count("incident.repair_days", ri.RepairDays)
	n.CausedByAnimal = flag(ri.CausedByAnimal, false)
	if n.Peril == "machinery_failure" && !ri.Component.set {
		k.bad("incident.component", "is required for peril machinery_failure")
	}
	if n.Peril == "legal_dispute" && !ri.Forum.set {
		k.bad("incident.forum", "is required for peril legal_dispute")
	}

	// costs
	rc, s := &r.Costs, &c.Costs
	s.Repair, s.HasRepair = k.money("costs.repair_sek", rc.Repair)
	s.MarketValue, s.HasMarketValue = k.money("costs.market_value_sek", rc.MarketValue)
	s.ValueAfterDamage, s.HasValueAfter = k.money("costs.value_after_damage_sek", rc.ValueAfterDamage)
	s.NewCarPrice, s.HasNewCar = k.money("costs.new_car_price_sek", rc.NewCarPrice)
	s.ThirdParty, _ = k.money("costs.third_party_sek", rc.ThirdParty)
	s.Clothes, _ = k.money("costs.clothes_sek", rc.Clothes)
	s.WarrantyDeductible, s.HasWarrantyDeductible = k.money("costs.warranty_deductible_sek", rc.WarrantyDeductible)
	if w := rc.Wheels; w != nil {
		s.Wheels = &Wheels{}
		s.Wheels.Tyres, _ = k.money("costs.wheels.tyres_sek", w.Tyres)
		s.Wheels.Rims, _ = k.money("costs.wheels.rims_sek", w.Rims)
		s.Wheels.TyresAge, _ = k.count("costs.wheels.tyres_age_years", w.TyresAge)
		s.Wheels.RimsAge, _ = k.count("costs.wheels.rims_age_years", w.RimsAge)
	}
	if x := rc.Rescue; x != nil {
		s.Rescue = &Rescue{}
		s.Rescue.PersonTransport, _ = k.money("costs.rescue.person_transport_sek", x.PersonTransport)
		s.Rescue.CarTransport, _ = k.money("costs.rescue.car_transport_sek", x.CarTransport)
		s.Rescue.SavedFuel, _ = k.money("costs.rescue.saved_fuel_sek", x.SavedFuel)
		s.Rescue.CoveredElsewhere, _ = k.money("costs.rescue.covered_elsewhere_sek", x.CoveredElsewhere)
	}
	if x := rc.Legal; x != nil {
		s.Legal = k.legal("costs.legal.", x)
	}
	for i := range rc.LegalClaims {
		s.LegalClaims = append(s.LegalClaims, *k.legal(fmt.Sprintf("costs.legal_claims.%d.", i), &rc.LegalClaims[i]))
	}
	s.Towing, _ = k.money("costs.towing_sek", rc.Towing)
	s.Collection, _ = k.money("costs.collection_sek", rc.Collection)
	if x := rc.Rental; x != nil {
		s.Rental = &Rental{CashInstead: flag(x.CashInstead, false), NotRepaired: flag(x.NotRepaired, false)}
		s.Rental.Days, _ = k.count("costs.rental.days", x.Days)
		if x.DaysInSweden.set {
			// 2.11.1 limits the Swedish days of each leg; the leg of these
			// days cannot be told.
			k.bad("costs.rental.days_in_sweden", "is withdrawn: give days_in_sweden_outbound and days_in_sweden_homebound (the rental days in Sweden on the way out and on the way home)")
		}
		out, okOut := k.count("costs.rental.days_in_sweden_outbound", x.SwedenOutward)
		home, okHome := k.count("costs.rental.days_in_sweden_homebound", x.SwedenHome)
		if sum, ok := roadcover.AddMinor(out, home); (okOut || okHome) && (!ok || sum > s.Rental.Days) {
			detail := fmt.Sprintf("the rental days in Sweden on the way out (%d) and home (%d) are more than costs.rental.days (%d), which counts every rental day", out, home, s.Rental.Days)
			k.bad("costs.rental.days_in_sweden_outbound", detail)
			k.bad("costs.rental.days_in_sweden_homebound", detail)
		}
		s.Rental.SwedenOutbound, s.Rental.SwedenHomebound = out, home
		s.Rental.DrivableDays, _ = k.count("costs.rental.drivable_days", x.DrivableDays)
		s.Rental.OwnDelayDays, _ = k.count("costs.rental.own_delay_days", x.OwnDelayDays)
		s.Rental.Daily, _ = k.money("costs.rental.daily_sek", x.Daily)
		s.Rental.Km, _ = k.money("costs.rental.km_sek", x.Km)
	}
	for i, a := range rc.TherapySessions {
		if m, ok := k.money(fmt.Sprintf("costs.therapy_sessions_sek.%d", i), a); ok {
			s.TherapySessions = append(s.TherapySessions, m)
		}
	}
	for i, rs := range rc.TherapyDated {
		pre := fmt.Sprintf("costs.therapy_sessions.%d.", i)
		var ts Session
		ts.Date = k.date(pre+"date", rs.Date, true)
		if !ts.Date.IsZero() && !c.OccurredAt.IsZero() && ts.Date.Before(c.OccurredAt) {
			k.bad(pre+"date", "is before occurred_at")
		}
		if m, ok := k.money(pre+"amount_sek", rs.Amount); ok {
			ts.Amount = m
		} else if !rs.Amount.set {
			k.bad(pre+"amount_sek", "is required")
		}
		s.TherapyDated = append(s.TherapyDated, ts)
	}
	s.TherapyInSweden = flag(rc.TherapyInSweden, true)
	for i, rp := range rc.CarePersons {
		pre := fmt.Sprintf("costs.care_persons.%d.", i)
		var cp CarePerson
		var ok bool
		if cp.Age, ok = k.count(pre+"age", rp.Age); !ok && !rp.Age.set {
			k.bad(pre+"age", "is required")
		}
		cp.ResidentInSweden = flag(rp.ResidentInSweden, flag(rp.Resident, true))
		cp.Injury = k.enum(pre+"injury", rp.Injury, injuries)
		switch {
		case flag(rp.Dental, false):
			cp.Injury = "dental"
		case flag(rp.MentalInjury, false):
			cp.Injury = "mental"
		case flag(rp.Illness, false):
			cp.Injury = "illness"
		}
		s.CarePersons = append(s.CarePersons, cp)
	}
	return c
}

// legal converts the costs of one legal claim (2.7).
func (k checker) legal(pre string, x *rawLegal) *Legal {
	g := &Legal{LawyerQualified: flag(x.LawyerQualified, true)}
	if x.LawyerHours.set {
		h := x.LawyerHours.v
		switch {
		case h < 0:
			k.bad(pre+"lawyer_hours", "may not be negative")
		case h > 1e9:
			k.bad(pre+"lawyer_hours", "is too large")
		default:
			g.LawyerCentiHours = int64(h*100 + 0.5)
		}
	}
	g.HourlyRate, _ = k.money(pre+"hourly_rate_sek", x.HourlyRate)
	g.Investigation, _ = k.money(pre+"investigation_sek", x.Investigation)
	g.Witness, _ = k.money(pre+"witness_sek", x.Witness)
	g.Other, _ = k.money(pre+"other_sek", x.Other)
	if x.DisputeID.set {
		g.DisputeID, g.HasDisputeID = x.DisputeID.v, true
	}
	return g
}

// priceBase returns the price base amount of a calendar year from the
// version's dated table; a year not in the table is not known.
func priceBase(v *terms.Version, year int) (int64, bool) {
	p, err := paramsOf(v)
	if err != nil {
		return 0, false
	}
	x, ok := p.pbb[year]
	return x, ok
}

func parseMinorSlow(b []byte) (int64, error) { return roadcover.ParseMinor(string(b)) }

// Optional values of the raw claim: set tells a present field from an
// absent or null one.
type (
	optString struct {
		v   string
		set bool
	}
	optBool struct{ v, set bool }
	optInt  struct {
		v   int64
		set bool
	}
	optFloat struct {
		v   float64
		set bool
	}
)

var (
	optStringType = reflect.TypeOf(optString{})
	optBoolType   = reflect.TypeOf(optBool{})
	optIntType    = reflect.TypeOf(optInt{})
	optFloatType  = reflect.TypeOf(optFloat{})
)

func (o optBool) ptr() *bool {
	if !o.set {
		return nil
	}
	b := o.v
	return &b
}

func (o *optString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	o.set = true
	return json.Unmarshal(b, &o.v)
}

func (o *optBool) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	o.set = true
	return json.Unmarshal(b, &o.v)
}

func (o *optInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	o.set = true
	return json.Unmarshal(b, &o.v)
}

func (o *optFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	o.set = true
	return json.Unmarshal(b, &o.v)
}
