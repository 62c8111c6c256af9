package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// scanDecision reads what readDecisionViews reads from a decision
// document, in one pass that only looks at the few fields the service
// needs and skips the rest byte by byte: on the case paths the decision is
// kilobytes that encoding/json would take apart by reflection. It depends
// only on the document, not on the engine's types, and trusts it to be
// JSON as the engine writes it (checked against encoding/json there): it
// finds structure, it does not validate every byte. TestDecideViews holds it
// to readDecisionViews over every assistance case file.
func scanDecision(doc []byte) (decisionView, []entitlementView, error) {
	var d decisionView
	ents := []entitlementView{}
	s := &jscan{b: doc}
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "terms":
			return s.objectOrNull(func(key []byte) error {
				if string(key) == "id" {
					return s.stringInto(&d.Terms.ID)
				}
				return s.skip()
			})
		case "language":
			return s.stringInto(&d.Language)
		case "covered":
			return s.boolInto(&d.Covered)
		case "missing_information":
			if s.null() {
				return nil
			}
			d.MissingInformation = d.MissingInformation[:0]
			return s.array(func() error {
				var v string
				err := s.stringInto(&v)
				d.MissingInformation = append(d.MissingInformation, v)
				return err
			})
		case "entitlements":
			if s.null() {
				return nil
			}
			ents = ents[:0]
			return s.array(func() error {
				var e entitlementView
				err := s.objectOrNull(func(key []byte) error {
					switch string(key) {
					case "code":
						return s.stringInto(&e.Code)
					case "clause":
						return s.stringInto(&e.Clause)
					case "choose_one":
						return s.stringInto(&e.ChooseOne)
					}
					return s.skip()
				})
				ents = append(ents, e)
				return err
			})
		}
		return s.skip()
	})
	if err == nil {
		s.ws()
		if s.i != len(s.b) {
			err = errors.New("data after the document")
		}
	}
	if err != nil {
		return d, nil, fmt.Errorf("httpapi: read decision at byte %d: %w", s.i, err)
	}
	if d.MissingInformation == nil {
		d.MissingInformation = []string{}
	}
	return d, ents, nil
}

// jscan walks a JSON document.
type jscan struct {
	b []byte
	i int
}

var errSyntax = errors.New("not the JSON expected")

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *jscan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// null consumes a null, if that is what comes next.
func (s *jscan) null() bool {
	if s.peek() == 'n' && bytes.HasPrefix(s.b[s.i:], []byte("null")) {
		s.i += 4
		return true
	}
	return false
}

// str consumes a string and returns it with its quotes, as written. It
// looks for the closing quote only: the engine escapes what JSON requires.
func (s *jscan) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, errSyntax
	}
	start := s.i
	s.i++
	for {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return nil, errSyntax
		}
		s.i += j + 1
		// The quote closes the string unless an odd number of
		// backslashes precede it.
		n := 0
		for k := s.i - 2; k > start && s.b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return s.b[start:s.i], nil
		}
	}
}

// unquote decodes a string token.
func unquote(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var v string
	err := json.Unmarshal(raw, &v)
	return v, err
}

// stringInto decodes a string into *v; null leaves it as it is.
func (s *jscan) stringInto(v *string) error {
	if s.null() {
		return nil
	}
	raw, err := s.str()
	if err != nil {
		return err
	}
	*v, err = unquote(raw)
	return err
}

// boolInto decodes true or false into *v; null leaves it as it is.
func (s *jscan) boolInto(v *bool) error {
	switch {
	case s.null():
	case bytes.HasPrefix(s.b[s.i:], []byte("true")):
		*v = true
		s.i += 4
	case bytes.HasPrefix(s.b[s.i:], []byte("false")):
		*v = false
		s.i += 5
	default:
		return errSyntax
	}
	return nil
}

// object consumes an object, calling field for each key with the scanner
// at its value; field must consume the value.
func (s *jscan) object(field func(key []byte) error) error {
	if s.peek() != '{' {
		return errSyntax
	}
	s.i++
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		raw, err := s.str()
		if err != nil {
			return err
		}
		key := raw[1 : len(raw)-1]
		if bytes.IndexByte(raw, '\\') >= 0 {
			k, err := unquote(raw)
			if err != nil {
				return err
			}
			key = []byte(k)
		}
		if s.peek() != ':' {
			return errSyntax
		}
		s.i++
		if err := field(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errSyntax
		}
	}
}

func (s *jscan) objectOrNull(field func(key []byte) error) error {
	if s.null() {
		return nil
	}
	return s.object(field)
}

// array consumes an array, calling elem with the scanner at each element;
// elem must consume it.
func (s *jscan) array(elem func() error) error {
	if s.peek() != '[' {
		return errSyntax
	}
	s.i++
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// skip consumes one value of any kind.
func (s *jscan) skip() error {
	switch c := s.peek(); {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == 't' || c == 'f' || c == 'n' || c == '-' || (c >= '0' && c <= '9'):
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.literal(s.b[start:s.i])
			}
			s.i++
		}
		return s.literal(s.b[start:s.i])
	}
	return errSyntax
}

// literal checks a number, true, false or null.
func (s *jscan) literal(b []byte) error {
	switch string(b) {
	case "true", "false", "null":
		return nil
	}
	if !json.Valid(b) {
		return errSyntax
	}
	return nil
}
