package assistance

import (
	"strconv"
	"unicode/utf8"
)

// fastDecode reads the common, well-formed case without reflection. It
// accepts only what encoding/json with DisallowUnknownFields would read into
// the same Case: exactly the known keys (each at most once), values of the
// field's type, strings without escapes, numbers strconv parses as
// encoding/json does. Anything else (null, escapes, an unknown or repeated
// key, a wrong type, trailing data) makes it give up, and Decode takes the
// careful path; TestFastDecodeAgrees checks that both read every case alike.
func fastDecode(data []byte) (Case, bool) {
	c, _, ok := fastDecodeWith(data, "")
	return c, ok
}

// fastDecodeWith is fastDecode that also accepts one more top-level member,
// extra, and returns its exact bytes (nil when absent).
func fastDecodeWith(data []byte, extra string) (Case, []byte, bool) {
	var c Case
	var raw []byte
	s := scanner{b: data, src: string(data), vals: new(caseVals)}
	ok := s.object(func(key []byte) bool {
		if extra != "" && string(key) == extra {
			if raw != nil {
				return false
			}
			start := s.i
			if !s.skip(0) {
				return false
			}
			raw = s.b[start:s.i]
			return true
		}
		return s.caseField(&c, key)
	})
	if !ok {
		return Case{}, nil, false
	}
	s.ws()
	if s.i != len(s.b) {
		return Case{}, nil, false
	}
	return c, raw, true
}

// skip passes over one JSON value of any kind (strings may hold escapes),
// at most 64 levels deep. It finds where the value ends; the decoder of
// that value checks what it holds.
func (s *scanner) skip(depth int) bool {
	s.ws()
	if s.i >= len(s.b) || depth > 64 {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		for j := s.i + 1; j < len(s.b); j++ {
			switch s.b[j] {
			case '\\':
				j++
			case '"':
				s.i = j + 1
				return true
			}
		}
		return false
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		s.i++
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == end {
			s.i++
			return true
		}
		for {
			if c == '{' {
				s.ws()
				if _, ok := s.rawKey(); !ok {
					return false
				}
				s.ws()
				if s.i >= len(s.b) || s.b[s.i] != ':' {
					return false
				}
				s.i++
			}
			if !s.skip(depth + 1) {
				return false
			}
			s.ws()
			if s.i >= len(s.b) {
				return false
			}
			switch s.b[s.i] {
			case ',':
				s.i++
			case end:
				s.i++
				return true
			default:
				return false
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return true
			}
		}
		return false
	default:
		_, ok := s.number()
		return ok
	}
}

// rawKey passes over an object key, escapes allowed.
func (s *scanner) rawKey() ([]byte, bool) {
	start := s.i
	if !s.skip(64) || s.b[start] != '"' {
		return nil, false
	}
	return s.b[start:s.i], true
}

// The strings of the case are slices of one copy of the input (src), and
// its flags and numbers live in one caseVals, so that a case takes three
// allocations whatever it holds.
type scanner struct {
	b    []byte
	src  string
	i    int
	seen uint64 // keys seen in the current object (bit per key index)
	vals *caseVals
}

// caseVals holds the optional flags and numbers a Case points to.
type caseVals struct {
	bools  [16]bool
	floats [16]float64
	ints   [2]int64
	nb, nf int
	ni     int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// object reads {"key": value, ...}, calling field for each key with the
// scanner placed at the value.
func (s *scanner) object(field func(key []byte) bool) bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return true
	}
	saved := s.seen
	s.seen = 0
	for {
		s.ws()
		key, ok := s.rawString()
		if !ok {
			return false
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return false
		}
		s.i++
		s.ws()
		if !field(key) {
			return false
		}
		s.ws()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			s.seen = saved
			return true
		default:
			return false
		}
	}
}

// once marks key number n as seen in the current object; false when it was.
func (s *scanner) once(n uint) bool {
	if s.seen&(1<<n) != 0 {
		return false
	}
	s.seen |= 1 << n
	return true
}

// rawString reads a string without escapes or control characters, valid UTF-8.
func (s *scanner) rawString() ([]byte, bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	ascii := true
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '"':
			s.i = j + 1
			v := s.b[start:j]
			if !ascii && !utf8.Valid(v) {
				return nil, false
			}
			return v, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

func (s *scanner) str(dst *string) bool {
	start := s.i + 1
	v, ok := s.rawString()
	if ok {
		*dst = s.src[start : start+len(v)]
	}
	return ok
}

// word reads a string that names a value (an enumeration, a date, a
// country): an empty one is left to the careful decoder, which names it.
func (s *scanner) word(dst *string) bool {
	return s.str(dst) && *dst != ""
}

func (s *scanner) boolean(dst **bool) bool {
	b := s.b[s.i:]
	switch {
	case len(b) >= 4 && string(b[:4]) == "true":
		s.i += 4
	case len(b) >= 5 && string(b[:5]) == "false":
		s.i += 5
	default:
		return false
	}
	v := s.vals
	if v.nb == len(v.bools) {
		return false
	}
	v.bools[v.nb] = b[0] == 't'
	*dst = &v.bools[v.nb]
	v.nb++
	return true
}

// number reads a JSON number literal (RFC 8259 grammar).
func (s *scanner) number() ([]byte, bool) {
	b, i := s.b, s.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return nil, false
		}
	}
	s.i = i
	return b[start:i], true
}

func (s *scanner) float(dst **float64) bool {
	lit, ok := s.number()
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(s.src[s.i-len(lit):s.i], 64)
	v := s.vals
	if err != nil || v.nf == len(v.floats) {
		return false
	}
	v.floats[v.nf] = f
	*dst = &v.floats[v.nf]
	v.nf++
	return true
}

func (s *scanner) integer(dst **int64) bool {
	lit, ok := s.number()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(s.src[s.i-len(lit):s.i], 10, 64)
	v := s.vals
	if err != nil || v.ni == len(v.ints) {
		return false
	}
	v.ints[v.ni] = n
	*dst = &v.ints[v.ni]
	v.ni++
	return true
}

func (s *scanner) caseField(c *Case, key []byte) bool {
	switch string(key) {
	case "market":
		return s.once(0) && s.word(&c.Market)
	case "language":
		return s.once(1) && s.word(&c.Language)
	case "occurred_at":
		return s.once(2) && s.word(&c.OccurredAt)
	case "reported_at":
		return s.once(3) && s.word(&c.ReportedAt)
	case "contact":
		return s.once(4) && s.object(func(k []byte) bool {
			switch string(k) {
			case "channel":
				return s.once(0) && s.word(&c.Contact.Channel)
			case "name":
				return s.once(1) && s.str(&c.Contact.Name)
			case "address":
				return s.once(2) && s.str(&c.Contact.Address)
			case "phone":
				return s.once(3) && s.str(&c.Contact.Phone)
			case "email":
				return s.once(4) && s.str(&c.Contact.Email)
			}
			return false
		})
	case "customer":
		return s.once(5) && s.object(func(k []byte) bool {
			return string(k) == "vat_registered" && s.once(0) && s.boolean(&c.Customer.VATRegistered)
		})
	case "vehicle":
		return s.once(6) && s.object(func(k []byte) bool {
			v := &c.Vehicle
			switch string(k) {
			case "vin":
				return s.once(0) && s.str(&v.VIN)
			case "registration":
				return s.once(1) && s.str(&v.Registration)
			case "model":
				return s.once(2) && s.str(&v.Model)
			case "colour":
				return s.once(3) && s.str(&v.Colour)
			case "first_registered":
				return s.once(4) && s.word(&v.FirstRegistered)
			case "powertrain":
				return s.once(5) && s.word(&v.Powertrain)
			case "use":
				return s.once(6) && s.word(&v.Use)
			case "deregistered":
				return s.once(7) && s.boolean(&v.Deregistered)
			}
			return false
		})
	case "location":
		return s.once(7) && s.object(func(k []byte) bool {
			l := &c.Location
			switch string(k) {
			case "country":
				return s.once(0) && s.word(&l.Country)
			case "lat":
				return s.once(1) && s.float(&l.Lat)
			case "lon":
				return s.once(2) && s.float(&l.Lon)
			case "description":
				return s.once(3) && s.str(&l.Description)
			}
			return false
		})
	case "home":
		return s.once(8) && s.object(func(k []byte) bool {
			h := &c.Home
			switch string(k) {
			case "country":
				return s.once(0) && s.word(&h.Country)
			case "lat":
				return s.once(1) && s.float(&h.Lat)
			case "lon":
				return s.once(2) && s.float(&h.Lon)
			}
			return false
		})
	case "distances_km":
		return s.once(9) && s.object(func(k []byte) bool {
			d := &c.Distances
			switch string(k) {
			case "home":
				return s.once(0) && s.float(&d.Home)
			case "regular_workshop":
				return s.once(1) && s.float(&d.RegularWorkshop)
			case "workshop_to_customer":
				return s.once(2) && s.float(&d.WorkshopToCustomer)
			}
			return false
		})
	case "trip":
		return s.once(10) && s.word(&c.Trip)
	case "event":
		return s.once(11) && s.object(func(k []byte) bool {
			e := &c.Event
			switch string(k) {
			case "kind":
				return s.once(0) && s.word(&e.Kind)
			case "immobilised":
				return s.once(1) && s.boolean(&e.Immobilised)
			case "cause":
				return s.once(2) && s.word(&e.Cause)
			case "description":
				return s.once(3) && s.str(&e.Description)
			}
			return false
		})
	case "people":
		return s.once(12) && s.object(func(k []byte) bool {
			switch string(k) {
			case "passengers":
				return s.once(0) && s.integer(&c.People.Passengers)
			case "pets":
				return s.once(1) && s.integer(&c.People.Pets)
			}
			return false
		})
	case "trailer":
		return s.once(13) && s.word(&c.Trailer)
	case "livestock":
		return s.once(14) && s.boolean(&c.Livestock)
	case "requested_regular_workshop":
		return s.once(15) && s.boolean(&c.RequestedRegularWorkshop)
	case "repair":
		return s.once(16) && s.object(func(k []byte) bool {
			r := &c.Repair
			switch string(k) {
			case "roadside_possible":
				return s.once(0) && s.boolean(&r.RoadsidePossible)
			case "same_day_within_4h":
				return s.once(1) && s.boolean(&r.SameDayWithin4h)
			case "working_days_needed":
				return s.once(2) && s.float(&r.WorkingDaysNeeded)
			case "hours_needed":
				return s.once(3) && s.float(&r.HoursNeeded)
			case "ready_by":
				return s.once(4) && s.word(&r.ReadyBy)
			}
			return false
		})
	case "train_hours_to_workshop":
		return s.once(17) && s.float(&c.TrainHoursToWorkshop)
	case "regular_workshop":
		if !s.once(18) {
			return false
		}
		w := &RegularWorkshop{}
		c.RegularWorkshop = w
		return s.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return s.once(0) && s.str(&w.ID)
			case "name":
				return s.once(1) && s.str(&w.Name)
			case "lat":
				return s.once(2) && s.float(&w.Lat)
			case "lon":
				return s.once(3) && s.float(&w.Lon)
			}
			return false
		})
	}
	return false
}
