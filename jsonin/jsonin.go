// Package jsonin reads JSON request bodies field by field so that every bad
// field can be named by its dotted path in one problem document, instead of
// stopping at the first error as encoding/json does.
//
// Engines decode the common, valid case with a typed struct and fall back to
// Walk only to explain a failure, or use Obj directly where speed matters less.
package jsonin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"roadcover"
)

// Obj is one JSON object being read. Fields read through it are marked seen;
// Done reports the fields nobody asked for as unknown.
type Obj struct {
	Path   string
	fields map[string]json.RawMessage
	seen   map[string]bool
	Errs   *roadcover.InputError
	Null   bool // the object was absent or null
}

// Parse reads a top-level JSON object. A body that is not one JSON object is
// reported on the field "" (the whole body).
func Parse(data []byte, errs *roadcover.InputError) *Obj {
	o := &Obj{Errs: errs, seen: map[string]bool{}}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&o.fields); err != nil {
		errs.Add("body", roadcover.CodeInvalidInput, "the body is not one JSON object: "+err.Error())
		o.Null = true
		return o
	}
	if d.More() {
		errs.Add("body", roadcover.CodeInvalidInput, "the body holds more than one JSON value")
	}
	if o.fields == nil {
		o.Null = true
	}
	return o
}

func (o *Obj) path(name string) string {
	if o.Path == "" {
		return name
	}
	return o.Path + "." + name
}

// Has reports whether the field is present and not null.
func (o *Obj) Has(name string) bool {
	raw, ok := o.fields[name]
	return ok && !isNull(raw)
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func (o *Obj) raw(name string) (json.RawMessage, bool) {
	o.seen[name] = true
	raw, ok := o.fields[name]
	if !ok || isNull(raw) {
		return nil, false
	}
	return raw, true
}

func (o *Obj) bad(name, detail string) { o.Errs.Add(o.path(name), roadcover.CodeInvalidInput, detail) }

// Object returns the nested object; a missing or null one is an empty Obj
// with Null set. A value of another type is an error.
func (o *Obj) Object(name string) *Obj {
	c := &Obj{Path: o.path(name), Errs: o.Errs, seen: map[string]bool{}}
	raw, ok := o.raw(name)
	if !ok {
		c.Null = true
		return c
	}
	if err := json.Unmarshal(raw, &c.fields); err != nil || c.fields == nil {
		o.bad(name, "must be an object")
		c.Null = true
	}
	return c
}

// Array returns the elements of an array field.
func (o *Obj) Array(name string) ([]json.RawMessage, bool) {
	raw, ok := o.raw(name)
	if !ok {
		return nil, false
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		o.bad(name, "must be an array")
		return nil, false
	}
	return items, true
}

// ObjectAt reads element i of an array as an object.
func (o *Obj) ObjectAt(name string, i int, raw json.RawMessage) *Obj {
	c := &Obj{Path: fmt.Sprintf("%s.%d", o.path(name), i), Errs: o.Errs, seen: map[string]bool{}}
	if err := json.Unmarshal(raw, &c.fields); err != nil || c.fields == nil {
		o.Errs.Add(c.Path, roadcover.CodeInvalidInput, "must be an object")
		c.Null = true
	}
	return c
}

// String reads a string field.
func (o *Obj) String(name string) (string, bool) {
	raw, ok := o.raw(name)
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		o.bad(name, "must be a string")
		return "", false
	}
	return s, true
}

// Enum reads a string field that must be one of allowed.
func (o *Obj) Enum(name string, allowed ...string) (string, bool) {
	s, ok := o.String(name)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	o.bad(name, fmt.Sprintf("unknown value %q; expected one of %s", s, strings.Join(allowed, ", ")))
	return "", false
}

// Bool reads a boolean field.
func (o *Obj) Bool(name string) (bool, bool) {
	raw, ok := o.raw(name)
	if !ok {
		return false, false
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		o.bad(name, "must be true or false")
		return false, false
	}
	return b, true
}

// Float reads a number field.
func (o *Obj) Float(name string) (float64, bool) {
	raw, ok := o.raw(name)
	if !ok {
		return 0, false
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		o.bad(name, "must be a number")
		return 0, false
	}
	return f, true
}

// NonNegFloat reads a number field that may not be negative.
func (o *Obj) NonNegFloat(name string) (float64, bool) {
	f, ok := o.Float(name)
	if ok && f < 0 {
		o.bad(name, "may not be negative")
		return 0, false
	}
	return f, ok
}

// Int reads a whole-number field.
func (o *Obj) Int(name string) (int64, bool) {
	f, ok := o.Float(name)
	if !ok {
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		o.bad(name, "must be a whole number")
		return 0, false
	}
	return int64(f), true
}

// NonNegInt reads a whole-number field that may not be negative.
func (o *Obj) NonNegInt(name string) (int64, bool) {
	n, ok := o.Int(name)
	if ok && n < 0 {
		o.bad(name, "may not be negative")
		return 0, false
	}
	return n, ok
}

// Money reads an amount given as a decimal string ("1500", "1500.50") or a
// JSON number, in minor units. Negative amounts are refused.
func (o *Obj) Money(name string) (int64, bool) {
	raw, ok := o.raw(name)
	if !ok {
		return 0, false
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		var n json.Number
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if d.Decode(&n) != nil {
			o.bad(name, "must be a decimal amount such as \"1500.00\"")
			return 0, false
		}
		text = n.String()
	}
	v, err := roadcover.ParseMinor(text)
	if err != nil {
		o.bad(name, "must be a decimal amount with at most two places, such as \"1500.00\"")
		return 0, false
	}
	if v < 0 {
		o.bad(name, "may not be negative")
		return 0, false
	}
	return v, true
}

// Done reports every field that was present but never read as unknown.
func (o *Obj) Done() {
	if o.Null {
		return
	}
	var unknown []string
	for k := range o.fields {
		if !o.seen[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		o.bad(k, "unknown field")
	}
}

// Raw returns the exact bytes of a field's value (marking it seen), for a
// member another decoder reads; false when absent or null.
func (o *Obj) Raw(name string) ([]byte, bool) {
	raw, ok := o.raw(name)
	return raw, ok
}

// Skip marks a field as known without reading it.
func (o *Obj) Skip(names ...string) {
	for _, n := range names {
		o.seen[n] = true
	}
}
