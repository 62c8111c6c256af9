package assistance

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/terms"
)

// Decode reads one case: DecodeFacts, then Check. Problems come back as
// *roadcover.InputError.
func Decode(data []byte, env Env) (Case, error) {
	errs := &roadcover.InputError{}
	c, _ := DecodeFacts(data, "", errs)
	if errs.Has("body") {
		return Case{}, errs.Err() // not one JSON object: nothing else to name
	}
	check(&c, env, errs)
	if err := errs.Err(); err != nil {
		return Case{}, err
	}
	return c, nil
}

// DecodeFacts reads the structure of a case body without checking it as a
// whole (Check does that): the fields and their types, every bad one named.
// extra names one more top-level member the body may carry beside the case
// (the desk's intake block); its exact bytes come back, nil when absent.
//
// There is one decoder of a case body, walk, which reads any body and names
// every bad field. The common, well-formed body is read first by a decoder
// kept for speed (fastdecode.go), which reads only what walk would read the
// same and gives up on anything else (escapes, null, an empty enumeration,
// a repeated or unknown key, a wrong type, trailing data); the tests hold
// both to encoding/json as the reference.
func DecodeFacts(data []byte, extra string, errs *roadcover.InputError) (Case, []byte) {
	if c, raw, ok := fastDecodeWith(data, extra); ok {
		return c, raw
	}
	return walkWith(data, extra, errs)
}

// Check validates a case read by DecodeFacts as a whole (enumerations,
// ranges, dates, the terms in force, the place) and resolves its derived
// fields, adding every problem to errs. Decide needs a checked case.
func Check(c *Case, env Env, errs *roadcover.InputError) { check(c, env, errs) }

// walk reads the body field by field. Unknown fields are refused at the top
// level (the contract); nested objects tolerate fields they do not know.
func walk(data []byte, errs *roadcover.InputError) Case {
	c, _ := walkWith(data, "", errs)
	return c
}

// walkWith is walk that also accepts the top-level member extra and returns
// its exact bytes.
func walkWith(data []byte, extra string, errs *roadcover.InputError) (Case, []byte) {
	var c Case
	o := jsonin.Parse(data, errs)
	if o.Null {
		return c, nil
	}
	var raw []byte
	if extra != "" {
		raw, _ = o.Raw(extra)
		o.Skip(extra)
	}
	c.Market = word(o, "market")
	c.Language = word(o, "language")
	c.OccurredAt = word(o, "occurred_at")
	c.ReportedAt = word(o, "reported_at")

	ct := o.Object("contact")
	c.Contact.Channel = word(ct, "channel")
	c.Contact.Name, _ = ct.String("name")
	c.Contact.Address, _ = ct.String("address")
	c.Contact.Phone, _ = ct.String("phone")
	c.Contact.Email, _ = ct.String("email")

	cu := o.Object("customer")
	c.Customer.VATRegistered = optBool(cu, "vat_registered")

	v := o.Object("vehicle")
	c.Vehicle.VIN, _ = v.String("vin")
	c.Vehicle.Registration, _ = v.String("registration")
	c.Vehicle.Model, _ = v.String("model")
	c.Vehicle.Colour, _ = v.String("colour")
	c.Vehicle.FirstRegistered = word(v, "first_registered")
	c.Vehicle.Powertrain = word(v, "powertrain")
	c.Vehicle.Use = word(v, "use")
	c.Vehicle.Deregistered = optBool(v, "deregistered")

	l := o.Object("location")
	c.Location.Country = word(l, "country")
	c.Location.Lat = optFloat(l, "lat", false)
	c.Location.Lon = optFloat(l, "lon", false)
	c.Location.Description, _ = l.String("description")

	h := o.Object("home")
	c.Home.Country = word(h, "country")
	c.Home.Lat = optFloat(h, "lat", false)
	c.Home.Lon = optFloat(h, "lon", false)

	dk := o.Object("distances_km")
	c.Distances.Home = optFloat(dk, "home", true)
	c.Distances.RegularWorkshop = optFloat(dk, "regular_workshop", true)
	c.Distances.WorkshopToCustomer = optFloat(dk, "workshop_to_customer", true)

	c.Trip = word(o, "trip")
	e := o.Object("event")
	c.Event.Kind = word(e, "kind")
	c.Event.Immobilised = optBool(e, "immobilised")
	c.Event.Cause = word(e, "cause")
	c.Event.Description, _ = e.String("description")

	p := o.Object("people")
	c.People.Passengers = optInt(p, "passengers")
	c.People.Pets = optInt(p, "pets")

	c.Trailer = word(o, "trailer")
	c.Livestock = optBool(o, "livestock")
	c.RequestedRegularWorkshop = optBool(o, "requested_regular_workshop")

	r := o.Object("repair")
	c.Repair.RoadsidePossible = optBool(r, "roadside_possible")
	c.Repair.SameDayWithin4h = optBool(r, "same_day_within_4h")
	c.Repair.WorkingDaysNeeded = optFloat(r, "working_days_needed", true)
	c.Repair.HoursNeeded = optFloat(r, "hours_needed", true)
	c.Repair.ReadyBy = word(r, "ready_by")

	c.TrainHoursToWorkshop = optFloat(o, "train_hours_to_workshop", true)

	if o.Has("regular_workshop") {
		w := o.Object("regular_workshop")
		if !w.Null {
			rw := &RegularWorkshop{}
			rw.ID, _ = w.String("id")
			rw.Name, _ = w.String("name")
			rw.Lat = optFloat(w, "lat", false)
			rw.Lon = optFloat(w, "lon", false)
			c.RegularWorkshop = rw
		}
	} else {
		o.Skip("regular_workshop")
	}
	o.Done()
	return c, raw
}

// word reads a string that names a value (an enumeration, a date, a
// country); an empty one is named, not taken for an absent one.
func word(o *jsonin.Obj, name string) string {
	v, ok := o.String(name)
	if ok && v == "" {
		o.Errs.Add(pathOf(o, name), roadcover.CodeInvalidInput, "may not be empty; leave the field out when it is not known")
	}
	return v
}

func pathOf(o *jsonin.Obj, name string) string {
	if o.Path == "" {
		return name
	}
	return o.Path + "." + name
}

func optBool(o *jsonin.Obj, name string) *bool {
	if b, ok := o.Bool(name); ok {
		return &b
	}
	return nil
}

func optFloat(o *jsonin.Obj, name string, nonNeg bool) *float64 {
	var f float64
	var ok bool
	if nonNeg {
		f, ok = o.NonNegFloat(name)
	} else {
		f, ok = o.Float(name)
	}
	if ok {
		return &f
	}
	return nil
}

func optInt(o *jsonin.Obj, name string) *int64 {
	if n, ok := o.NonNegInt(name); ok {
		return &n
	}
	return nil
}

// The bounds of the numbers of a case.
const (
	maxKm         = 40075 // the earth's circumference at the equator
	maxRepairDays = 366
	maxTrainHours = 72
	maxPassengers = 8
	maxPets       = 10
	maxName       = 200  // a name, an e-mail address, an id
	maxText       = 2000 // a description, an address
)

// check validates the case as a whole and resolves the derived fields. It
// runs on both decoding paths, so each rule is written once.
func check(c *Case, env Env, errs *roadcover.InputError) {
	bad := func(field, detail string) {
		if !errs.Has(field) {
			errs.Add(field, roadcover.CodeInvalidInput, detail)
		}
	}
	c.Market = strings.ToUpper(strings.TrimSpace(c.Market))
	marketOK := false
	switch {
	case c.Market == "":
		bad("market", "is required")
	default:
		for _, m := range terms.Markets(terms.Assistance) {
			if m == c.Market {
				marketOK = true
			}
		}
		if !marketOK {
			bad("market", fmt.Sprintf("unknown market %q; expected one of %s", c.Market,
				strings.Join(terms.Markets(terms.Assistance), ", ")))
		}
	}
	if c.Language != "" {
		if l, ok := roadcover.ParseLanguage(c.Language); ok {
			c.Language = string(l)
		} else {
			bad("language", fmt.Sprintf("unsupported language %q; expected one of en, de, pt, da, sv", c.Language))
		}
	}
	occOK := false
	if c.OccurredAt == "" {
		bad("occurred_at", "is required (RFC 3339 date and time with offset)")
	} else if t, err := time.Parse(time.RFC3339, c.OccurredAt); err != nil {
		bad("occurred_at", "must be an RFC 3339 date and time with offset, such as 2026-07-01T09:30:00+02:00")
	} else {
		c.Occurred, occOK = t, true
	}
	if c.ReportedAt == "" {
		bad("reported_at", "is required (RFC 3339 date and time with offset)")
	} else if t, err := time.Parse(time.RFC3339, c.ReportedAt); err != nil {
		bad("reported_at", "must be an RFC 3339 date and time with offset, such as 2026-07-01T10:05:00+02:00")
	} else {
		c.Reported = t
		if occOK && t.Before(c.Occurred) {
			bad("reported_at", "is before occurred_at")
		}
	}
	if marketOK && occOK {
		v, err := terms.Select(terms.Assistance, c.Market, roadcover.DateOf(c.Occurred))
		switch {
		case errors.Is(err, terms.ErrNoTermsInForce):
			errs.Add("occurred_at", roadcover.CodeNoTermsInForce,
				fmt.Sprintf("no assistance terms for %s were in force on %s", c.Market, roadcover.DateOf(c.Occurred)))
		case err != nil:
			bad("market", err.Error())
		default:
			c.Terms = v
		}
	}
	enum := func(field, val string, allowed []string) {
		if val != "" && !oneOf(val, allowed) {
			bad(field, fmt.Sprintf("unknown value %q; expected one of %s", val, strings.Join(allowed, ", ")))
		}
	}
	if c.Event.Kind == "" {
		bad("event.kind", "is required; expected one of "+strings.Join(eventKinds, ", "))
	}
	enum("event.kind", c.Event.Kind, eventKinds)
	enum("event.cause", c.Event.Cause, eventCauses)
	enum("contact.channel", c.Contact.Channel, channels)
	enum("vehicle.use", c.Vehicle.Use, vehicleUses)
	enum("trip", c.Trip, trips)
	enum("trailer", c.Trailer, trailerKinds)
	if c.Vehicle.FirstRegistered != "" {
		if d, err := roadcover.ParseDate(c.Vehicle.FirstRegistered); err != nil {
			bad("vehicle.first_registered", err.Error())
		} else {
			c.FirstRegistered = d
		}
	}
	if c.Repair.ReadyBy != "" {
		if d, err := roadcover.ParseDate(c.Repair.ReadyBy); err != nil {
			bad("repair.ready_by", err.Error())
		} else {
			c.ReadyBy = d
		}
	}
	// Every number has bounds that make sense: no distance beyond the
	// earth's circumference, no repair longer than a year, no more people
	// than a car seats. Outside them is an input error, never a value that
	// could overflow an amount or a distance.
	within := func(field string, f *float64, max float64, unit string) {
		switch {
		case f == nil:
		case math.IsNaN(*f) || math.IsInf(*f, 0):
			bad(field, "must be a finite number")
		case *f < 0:
			bad(field, "may not be negative")
		case *f > max:
			bad(field, fmt.Sprintf("may be at most %g %s", max, unit))
		}
	}
	within("distances_km.home", c.Distances.Home, maxKm, "km (the earth's circumference)")
	within("distances_km.regular_workshop", c.Distances.RegularWorkshop, maxKm, "km (the earth's circumference)")
	within("distances_km.workshop_to_customer", c.Distances.WorkshopToCustomer, maxKm, "km (the earth's circumference)")
	within("repair.working_days_needed", c.Repair.WorkingDaysNeeded, maxRepairDays, "working days")
	within("repair.hours_needed", c.Repair.HoursNeeded, maxRepairDays*24, "hours")
	within("train_hours_to_workshop", c.TrainHoursToWorkshop, maxTrainHours, "hours")
	for _, t := range [...]struct {
		field, v string
		max      int
	}{
		{"market", c.Market, 8}, {"language", c.Language, 16}, {"occurred_at", c.OccurredAt, 64}, {"reported_at", c.ReportedAt, 64},
		{"contact.channel", c.Contact.Channel, 32}, {"contact.name", c.Contact.Name, maxName}, {"contact.address", c.Contact.Address, maxText},
		{"contact.phone", c.Contact.Phone, 64}, {"contact.email", c.Contact.Email, maxName},
		{"vehicle.vin", c.Vehicle.VIN, 32}, {"vehicle.registration", c.Vehicle.Registration, 32}, {"vehicle.model", c.Vehicle.Model, 64},
		{"vehicle.colour", c.Vehicle.Colour, 64}, {"vehicle.first_registered", c.Vehicle.FirstRegistered, 32},
		{"vehicle.powertrain", c.Vehicle.Powertrain, 32}, {"vehicle.use", c.Vehicle.Use, 32},
		{"location.country", c.Location.Country, 8}, {"location.description", c.Location.Description, maxText},
		{"home.country", c.Home.Country, 8}, {"trip", c.Trip, 32}, {"event.kind", c.Event.Kind, 64}, {"event.cause", c.Event.Cause, 64},
		{"event.description", c.Event.Description, maxText}, {"trailer", c.Trailer, 32}, {"repair.ready_by", c.Repair.ReadyBy, 32},
	} {
		if len(t.v) > t.max {
			bad(t.field, fmt.Sprintf("may be at most %d bytes long", t.max))
		}
	}
	if w := c.RegularWorkshop; w != nil {
		if len(w.ID) > maxName {
			bad("regular_workshop.id", fmt.Sprintf("may be at most %d bytes long", maxName))
		}
		if len(w.Name) > maxName {
			bad("regular_workshop.name", fmt.Sprintf("may be at most %d bytes long", maxName))
		}
	}
	count := func(field string, n *int64, max int64, what string) {
		switch {
		case n == nil:
		case *n < 0:
			bad(field, "may not be negative")
		case *n > max:
			bad(field, fmt.Sprintf("may be at most %d (%s)", max, what))
		}
	}
	count("people.passengers", c.People.Passengers, maxPassengers, "the seats of a car beside the driver's")
	count("people.pets", c.People.Pets, maxPets, "what a car carries")
	coords(bad, "location", c.Location.Lat, c.Location.Lon)
	coords(bad, "home", c.Home.Lat, c.Home.Lon)
	if c.RegularWorkshop != nil {
		coords(bad, "regular_workshop", c.RegularWorkshop.Lat, c.RegularWorkshop.Lon)
	}
	c.Location.Country = countryCode(bad, "location.country", c.Location.Country)
	c.Home.Country = countryCode(bad, "home.country", c.Home.Country)
	if !errs.Has("location.country") && !errs.Has("location.lat") && !errs.Has("location.lon") {
		locate(c, env, errs)
	}
}

func coords(bad func(string, string), obj string, lat, lon *float64) {
	if lat != nil && (*lat < -90 || *lat > 90) {
		bad(obj+".lat", "must be between -90 and 90")
	}
	if lon != nil && (*lon < -180 || *lon > 180) {
		bad(obj+".lon", "must be between -180 and 180")
	}
	if (lat == nil) != (lon == nil) {
		if lat == nil {
			bad(obj+".lat", "is required together with "+obj+".lon")
		} else {
			bad(obj+".lon", "is required together with "+obj+".lat")
		}
	}
}

func countryCode(bad func(string, string), field, s string) string {
	if s == "" {
		return ""
	}
	u := strings.ToUpper(strings.TrimSpace(s))
	if len(u) != 2 || u[0] < 'A' || u[0] > 'Z' || u[1] < 'A' || u[1] > 'Z' {
		bad(field, fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", s))
		return s
	}
	return u
}

// locate resolves the place of the car (covered_area): the given country,
// checked against the coordinates when a country finder is present, or the
// country found from the coordinates. A given country farther than
// country_mismatch_km from the coordinates is an input error.
func locate(c *Case, env Env, errs *roadcover.InputError) {
	p, hasPoint := c.Location.Point()
	switch {
	case c.Location.Country != "":
		c.Place = roadcover.Place{Country: c.Location.Country}
		c.PlaceKnown, c.PlaceFrom = true, "given"
		if !hasPoint || env.Countries == nil {
			return
		}
		limit := 10.0
		if c.Terms != nil {
			if pm, ok := c.Terms.Param("country_mismatch_km"); ok {
				limit = float64(pm.Value)
			}
		}
		if km, ok := env.Countries.KmToCountry(p, c.Location.Country); ok && km > limit {
			at := env.Countries.PlaceAt(p).Country
			if at == "" {
				at = "no country"
			}
			detail := fmt.Sprintf("the coordinates lie %.1f km from %s (in %s)", km, c.Location.Country, at)
			errs.Add("location.country", roadcover.CodeInvalidInput, detail)
			errs.Add("location.lat", roadcover.CodeInvalidInput, detail)
			errs.Add("location.lon", roadcover.CodeInvalidInput, detail)
			return
		}
		if at := env.Countries.PlaceAt(p); at.Country == c.Location.Country {
			c.Place = at
		}
	case hasPoint && env.Countries != nil:
		c.Place = env.Countries.PlaceAt(p)
		c.PlaceKnown, c.PlaceFrom = true, "coordinates"
	}
}
