package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/jsonin"
)

// The intake block of POST /v1/cases is what the car (ON CALL button, in
// the shape of the eCall minimum set of data), the app or the phone desk
// sends besides the assistance case itself:
//
//	{"channel": "ecall", "activation": "button",
//	 "position": {"lat": 48.1, "lon": 11.5, "trusted": true, "heading_deg": 270,
//	              "track": [{"lat": …, "lon": …, "at": "RFC 3339"}]},
//	 "vin": "…", "registration": "…",
//	 "caller": {"name": "…", "phone": "…", "email": "…", "language": "de"}}
//
// A trusted position fills location.lat/lon when the case has no
// coordinates; VIN, registration and caller details fill the case's empty
// fields; activation fills contact.channel. What was filled is recorded in
// the "created" event.

const maxTrack = 100

// activationChannel maps intake.activation to the case's contact.channel.
var activationChannel = map[string]string{"button": "on_call", "app": "app", "phone": "phone"}

// splitCase separates the optional intake block from the assistance case
// body, validates the intake and fills the case from it. Every bad intake
// field is added to errs.
func splitCase(body []byte, errs *roadcover.InputError) (facts, intake []byte, filled []string) {
	if hasIntake, ok := topLevelHas(body, "intake"); ok && !hasIntake && json.Valid(body) {
		// No intake block: the case body is the facts, compacted as given.
		var b bytes.Buffer
		b.Grow(len(body))
		if err := json.Compact(&b, body); err == nil {
			return b.Bytes(), nil, nil
		}
	}
	var top map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&top); err != nil || top == nil {
		errs.Add("body", roadcover.CodeInvalidInput, "the body must be one JSON object (an assistance case)")
		return nil, nil, nil
	}
	raw, ok := top["intake"]
	delete(top, "intake")
	if ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		in, ok := readIntake(raw, errs)
		if ok {
			intake = raw
			filled = fillFromIntake(top, in)
		}
	}
	facts, err := json.Marshal(top)
	if err != nil {
		errs.Add("body", roadcover.CodeInvalidInput, "the body could not be re-encoded: "+err.Error())
	}
	return facts, intake, filled
}

type intakeData struct {
	activation, vin, registration string
	hasPos, trusted               bool
	lat, lon                      float64
	caller                        map[string]string
}

func readIntake(raw json.RawMessage, errs *roadcover.InputError) (intakeData, bool) {
	before := len(errs.Errors)
	var in intakeData
	o := jsonin.Parse(raw, errs)
	o.Path = "intake"
	if o.Null {
		// Parse reported "body"; say where instead.
		errs.Errors = errs.Errors[:before]
		errs.Add("intake", roadcover.CodeInvalidInput, "must be an object")
		return in, false
	}
	if ch, ok := o.String("channel"); ok && (ch == "" || len(ch) > 64) {
		errs.Add("intake.channel", roadcover.CodeInvalidInput, "must be 1 to 64 characters")
	}
	in.activation, _ = o.Enum("activation", "button", "app", "phone")
	if v, ok := o.String("vin"); ok {
		if !validVIN(v) {
			errs.Add("intake.vin", roadcover.CodeInvalidInput, "must be 17 letters and digits without I, O or Q")
		} else {
			in.vin = strings.ToUpper(v)
		}
	}
	if v, ok := o.String("registration"); ok {
		in.registration = v
	}
	pos := o.Object("position")
	if !pos.Null {
		lat, okLat := pos.Float("lat")
		lon, okLon := pos.Float("lon")
		if !okLat && !pos.Errs.Has("intake.position.lat") {
			errs.Add("intake.position.lat", roadcover.CodeInvalidInput, "required")
		}
		if !okLon && !pos.Errs.Has("intake.position.lon") {
			errs.Add("intake.position.lon", roadcover.CodeInvalidInput, "required")
		}
		if okLat && (lat < -90 || lat > 90) {
			errs.Add("intake.position.lat", roadcover.CodeInvalidInput, "must be between -90 and 90")
			okLat = false
		}
		if okLon && (lon < -180 || lon > 180) {
			errs.Add("intake.position.lon", roadcover.CodeInvalidInput, "must be between -180 and 180")
			okLon = false
		}
		in.hasPos, in.lat, in.lon = okLat && okLon, lat, lon
		in.trusted, _ = pos.Bool("trusted")
		if h, ok := pos.Float("heading_deg"); ok && (h < 0 || h >= 360) {
			errs.Add("intake.position.heading_deg", roadcover.CodeInvalidInput, "must be at least 0 and below 360")
		}
		if items, ok := pos.Array("track"); ok {
			if len(items) > maxTrack {
				errs.Add("intake.position.track", roadcover.CodeInvalidInput, fmt.Sprintf("at most %d points", maxTrack))
			}
			for i, it := range items {
				p := pos.ObjectAt("track", i, it)
				if p.Null {
					continue
				}
				if v, ok := p.Float("lat"); !ok || v < -90 || v > 90 {
					if !errs.Has(p.Path + ".lat") {
						errs.Add(p.Path+".lat", roadcover.CodeInvalidInput, "required, between -90 and 90")
					}
				}
				if v, ok := p.Float("lon"); !ok || v < -180 || v > 180 {
					if !errs.Has(p.Path + ".lon") {
						errs.Add(p.Path+".lon", roadcover.CodeInvalidInput, "required, between -180 and 180")
					}
				}
				if at, ok := p.String("at"); ok {
					if _, err := time.Parse(time.RFC3339, at); err != nil {
						errs.Add(p.Path+".at", roadcover.CodeInvalidInput, "must be an RFC 3339 time")
					}
				}
				p.Done()
			}
		}
		pos.Done()
	}
	caller := o.Object("caller")
	if !caller.Null {
		in.caller = map[string]string{}
		for _, k := range []string{"name", "phone", "email", "language"} {
			if v, ok := caller.String(k); ok {
				in.caller[k] = v
			}
		}
		caller.Done()
	}
	o.Done()
	return in, len(errs.Errors) == before
}

func validVIN(v string) bool {
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

// fillFromIntake sets empty case fields from the intake and returns their
// dotted paths.
func fillFromIntake(top map[string]json.RawMessage, in intakeData) []string {
	var filled []string
	set := func(obj, field string, v any) {
		var m map[string]any
		if raw, ok := top[obj]; ok {
			if unmarshalNumbers(raw, &m) != nil || m == nil {
				return // not an object: the engine names the field
			}
		} else {
			m = map[string]any{}
		}
		if cur, ok := m[field]; ok && cur != nil {
			return
		}
		m[field] = v
		b, _ := json.Marshal(m)
		top[obj] = b
		filled = append(filled, obj+"."+field)
	}
	if in.hasPos && in.trusted {
		var loc map[string]any
		if raw, ok := top["location"]; ok {
			unmarshalNumbers(raw, &loc)
		}
		if loc == nil || (loc["lat"] == nil && loc["lon"] == nil) {
			set("location", "lat", in.lat)
			set("location", "lon", in.lon)
		}
	}
	if in.vin != "" {
		set("vehicle", "vin", in.vin)
	}
	if in.registration != "" {
		set("vehicle", "registration", in.registration)
	}
	if ch, ok := activationChannel[in.activation]; ok {
		set("contact", "channel", ch)
	}
	for _, k := range []string{"name", "phone", "email"} {
		if v := in.caller[k]; v != "" {
			set("contact", k, v)
		}
	}
	if l, ok := roadcover.ParseLanguage(in.caller["language"]); ok {
		if _, ok := top["language"]; !ok {
			b, _ := json.Marshal(string(l))
			top["language"] = b
			filled = append(filled, "language")
		}
	}
	return filled
}

// topLevelHas reports whether the JSON object in b has a member named key
// at its top level, without decoding the values. ok is false when b does not
// look like one JSON object or a key uses escapes; the caller then takes
// the careful path. It does not validate b.
func topLevelHas(b []byte, key string) (has, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return false, true
	}
	for i < len(b) {
		if b[i] != '"' {
			return false, false
		}
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				return false, false
			}
			end++
		}
		if end >= len(b) {
			return false, false
		}
		if string(b[i+1:end]) == key {
			return true, true
		}
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return false, false
		}
		var good bool
		if i, good = skipJSONValue(b, skipSpace(b, i+1)); !good {
			return false, false
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return false, false
		}
		switch b[i] {
		case '}':
			return false, true
		case ',':
			i = skipSpace(b, i+1)
		default:
			return false, false
		}
	}
	return false, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipJSONValue returns the index just after the value starting at i.
func skipJSONValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1, true
			}
		}
		return i, false
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				j, good := skipJSONValue(b, i)
				if !good {
					return j, false
				}
				i = j - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
		}
		return i, false
	default:
		for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
			i++
		}
		return i, true
	}
}
