package desk

import (
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/jsonin"
)

// The intake block of a new case is what the car (the ON CALL button, in
// the shape of the eCall minimum set of data), the app or the phone desk
// sends besides the assistance case itself:
//
//	{"channel": "ecall", "activation": "button",
//	 "position": {"lat": 48.1, "lon": 11.5, "trusted": true, "heading_deg": 270,
//	              "track": [{"lat": …, "lon": …, "at": "RFC 3339"}]},
//	 "vin": "…", "registration": "…",
//	 "caller": {"name": "…", "phone": "…", "email": "…", "language": "de"}}
//
// A trusted position fills the case's location when it has no
// coordinates; VIN, registration and caller details fill the case's empty
// fields; activation fills contact.channel. What was filled is recorded in
// the "created" event.

// MaxTrack is the most track points an intake position may carry.
const MaxTrack = 100

// Intake is a decoded intake block.
type Intake struct {
	Channel      string
	Activation   string // button, app or phone
	VIN          string
	Registration string
	Position     *IntakePosition
	Caller       Caller
	raw          []byte // the block as given, kept as its record
}

// IntakePosition is where the car says it is.
type IntakePosition struct {
	Point      roadcover.Point
	Trusted    bool
	HeadingDeg *float64
	Track      []TrackPoint
}

// TrackPoint is one point of the car's recent track.
type TrackPoint struct {
	Point roadcover.Point
	At    string
}

// Caller is who called.
type Caller struct {
	Name, Phone, Email, Language string
}

// activationChannel maps intake.activation to the case's contact.channel.
var activationChannel = map[string]string{"button": "on_call", "app": "app", "phone": "phone"}

// readIntake decodes an intake block, adding every bad field to errs
// (paths under "intake").
func readIntake(raw []byte, errs *roadcover.InputError) Intake {
	in := Intake{raw: raw}
	before := len(errs.Errors)
	o := jsonin.Parse(raw, errs)
	o.Path = "intake"
	if o.Null {
		errs.Errors = errs.Errors[:before] // Parse named "body"; say where instead
		errs.Add("intake", roadcover.CodeInvalidInput, "must be an object")
		return in
	}
	if ch, ok := o.String("channel"); ok {
		if ch == "" || len(ch) > 64 {
			errs.Add("intake.channel", roadcover.CodeInvalidInput, "must be 1 to 64 characters")
		}
		in.Channel = ch
	}
	in.Activation, _ = o.Enum("activation", "button", "app", "phone")
	if v, ok := o.String("vin"); ok {
		if !ValidVIN(v) {
			errs.Add("intake.vin", roadcover.CodeInvalidInput, "must be 17 letters and digits without I, O or Q")
		} else {
			in.VIN = strings.ToUpper(v)
		}
	}
	if v, ok := o.String("registration"); ok {
		in.Registration = v
	}
	if pos := o.Object("position"); !pos.Null {
		in.Position = readPosition(pos, errs)
	}
	if caller := o.Object("caller"); !caller.Null {
		in.Caller.Name, _ = caller.String("name")
		in.Caller.Phone, _ = caller.String("phone")
		in.Caller.Email, _ = caller.String("email")
		in.Caller.Language, _ = caller.String("language")
		caller.Done()
	}
	o.Done()
	return in
}

func readPosition(pos *jsonin.Obj, errs *roadcover.InputError) *IntakePosition {
	p := &IntakePosition{}
	lat, okLat := pos.Float("lat")
	lon, okLon := pos.Float("lon")
	if !okLat && !errs.Has("intake.position.lat") {
		errs.Add("intake.position.lat", roadcover.CodeInvalidInput, "required")
	}
	if !okLon && !errs.Has("intake.position.lon") {
		errs.Add("intake.position.lon", roadcover.CodeInvalidInput, "required")
	}
	if okLat && (lat < -90 || lat > 90) {
		errs.Add("intake.position.lat", roadcover.CodeInvalidInput, "must be between -90 and 90")
	}
	if okLon && (lon < -180 || lon > 180) {
		errs.Add("intake.position.lon", roadcover.CodeInvalidInput, "must be between -180 and 180")
	}
	p.Point = roadcover.Point{Lat: lat, Lon: lon}
	p.Trusted, _ = pos.Bool("trusted")
	if h, ok := pos.Float("heading_deg"); ok {
		if h < 0 || h >= 360 {
			errs.Add("intake.position.heading_deg", roadcover.CodeInvalidInput, "must be at least 0 and below 360")
		}
		p.HeadingDeg = &h
	}
	if items, ok := pos.Array("track"); ok {
		if len(items) > MaxTrack {
			errs.Add("intake.position.track", roadcover.CodeInvalidInput, fmt.Sprintf("at most %d points", MaxTrack))
			items = items[:MaxTrack]
		}
		for i, it := range items {
			tp := pos.ObjectAt("track", i, it)
			if tp.Null {
				continue
			}
			lat, okLat := tp.Float("lat")
			if !okLat || lat < -90 || lat > 90 {
				if !errs.Has(tp.Path + ".lat") {
					errs.Add(tp.Path+".lat", roadcover.CodeInvalidInput, "required, between -90 and 90")
				}
			}
			lon, okLon := tp.Float("lon")
			if !okLon || lon < -180 || lon > 180 {
				if !errs.Has(tp.Path + ".lon") {
					errs.Add(tp.Path+".lon", roadcover.CodeInvalidInput, "required, between -180 and 180")
				}
			}
			at, ok := tp.String("at")
			if ok {
				if _, err := time.Parse(time.RFC3339, at); err != nil {
					errs.Add(tp.Path+".at", roadcover.CodeInvalidInput, "must be an RFC 3339 time")
				}
			}
			p.Track = append(p.Track, TrackPoint{Point: roadcover.Point{Lat: lat, Lon: lon}, At: at})
			tp.Done()
		}
	}
	pos.Done()
	return p
}

// ValidVIN reports whether v is 17 letters and digits without I, O or Q
// (ISO 3779), in either case.
func ValidVIN(v string) bool {
	if len(v) != 17 {
		return false
	}
	for _, c := range strings.ToUpper(v) {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') || c == 'I' || c == 'O' || c == 'Q' {
			return false
		}
	}
	return true
}

// fill sets the case's empty fields from the intake and returns their
// dotted paths.
func (in *Intake) fill(c *assistance.Case) []string {
	var filled []string
	set := func(dst *string, v, path string) {
		if v != "" && *dst == "" {
			*dst = v
			filled = append(filled, path)
		}
	}
	if p := in.Position; p != nil && p.Trusted && c.Location.Lat == nil && c.Location.Lon == nil {
		lat, lon := p.Point.Lat, p.Point.Lon
		c.Location.Lat, c.Location.Lon = &lat, &lon
		filled = append(filled, "location.lat", "location.lon")
	}
	set(&c.Vehicle.VIN, in.VIN, "vehicle.vin")
	set(&c.Vehicle.Registration, in.Registration, "vehicle.registration")
	set(&c.Contact.Channel, activationChannel[in.Activation], "contact.channel")
	set(&c.Contact.Name, in.Caller.Name, "contact.name")
	set(&c.Contact.Phone, in.Caller.Phone, "contact.phone")
	set(&c.Contact.Email, in.Caller.Email, "contact.email")
	if l, ok := roadcover.ParseLanguage(in.Caller.Language); ok {
		set(&c.Language, string(l), "language")
	}
	return filled
}
