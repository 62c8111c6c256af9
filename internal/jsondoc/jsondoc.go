// Package jsondoc reads and writes the JSON documents of policies and
// claims: a writer that appends objects and arrays field by field (no
// reflection, amounts as "1500.00"), and readers of dates, instants, amounts
// and required fields on top of jsonin, so that every bad field of a request
// is named by its dotted path.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/jsonout"
)

// Writer appends one JSON value to B. Obj and Arr open a container under a
// key (or as an array element when the key is ""), End closes it.
type Writer struct {
	B     []byte
	stack []frame
}

type frame struct {
	array bool
	any   bool
}

// key writes the separator and, inside an object, the key.
func (w *Writer) key(k string) {
	if n := len(w.stack); n > 0 {
		f := &w.stack[n-1]
		if f.any {
			w.B = append(w.B, ',')
		}
		f.any = true
		if !f.array {
			w.B = jsonout.String(w.B, k)
			w.B = append(w.B, ':')
		}
	}
}

// Obj opens an object.
func (w *Writer) Obj(k string) *Writer {
	w.key(k)
	w.B = append(w.B, '{')
	w.stack = append(w.stack, frame{})
	return w
}

// Arr opens an array.
func (w *Writer) Arr(k string) *Writer {
	w.key(k)
	w.B = append(w.B, '[')
	w.stack = append(w.stack, frame{array: true})
	return w
}

// End closes the innermost object or array.
func (w *Writer) End() *Writer {
	n := len(w.stack) - 1
	if w.stack[n].array {
		w.B = append(w.B, ']')
	} else {
		w.B = append(w.B, '}')
	}
	w.stack = w.stack[:n]
	return w
}

// Str writes a string.
func (w *Writer) Str(k, v string) *Writer {
	w.key(k)
	w.B = jsonout.String(w.B, v)
	return w
}

// StrOrNull writes a string, or null when it is empty.
func (w *Writer) StrOrNull(k, v string) *Writer {
	if v == "" {
		return w.Null(k)
	}
	return w.Str(k, v)
}

// Strs writes an array of strings ([] for none).
func (w *Writer) Strs(k string, v []string) *Writer {
	w.key(k)
	w.B = jsonout.Strings(w.B, v)
	return w
}

// Int writes a whole number.
func (w *Writer) Int(k string, v int64) *Writer {
	w.key(k)
	w.B = strconv.AppendInt(w.B, v, 10)
	return w
}

// Bool writes true or false.
func (w *Writer) Bool(k string, v bool) *Writer {
	w.key(k)
	w.B = strconv.AppendBool(w.B, v)
	return w
}

// Null writes null.
func (w *Writer) Null(k string) *Writer {
	w.key(k)
	w.B = append(w.B, "null"...)
	return w
}

// Money writes an amount as a decimal string with two places ("1500.00").
func (w *Writer) Money(k string, m roadcover.Money) *Writer {
	w.key(k)
	w.B = jsonout.Amount(w.B, m.Minor)
	return w
}

// Date writes a day as "YYYY-MM-DD", or null for the zero day.
func (w *Writer) Date(k string, d roadcover.Date) *Writer {
	if d.IsZero() {
		return w.Null(k)
	}
	w.key(k)
	w.B = append(w.B, '"')
	w.B = jsonout.Date(w.B, d)
	w.B = append(w.B, '"')
	return w
}

// Time writes an instant in RFC 3339 with its own offset, or null for the
// zero instant.
func (w *Writer) Time(k string, t time.Time) *Writer {
	if t.IsZero() {
		return w.Null(k)
	}
	w.key(k)
	w.B = append(w.B, '"')
	w.B = t.AppendFormat(w.B, time.RFC3339Nano)
	w.B = append(w.B, '"')
	return w
}

// Raw writes a JSON value as it is (null when empty).
func (w *Writer) Raw(k string, v []byte) *Writer {
	if len(bytes.TrimSpace(v)) == 0 {
		return w.Null(k)
	}
	w.key(k)
	w.B = append(w.B, v...)
	return w
}

// Path joins an object's path and a field name.
func Path(o *jsonin.Obj, name string) string {
	if o.Path == "" {
		return name
	}
	return o.Path + "." + name
}

// Bad names a field of o as bad.
func Bad(o *jsonin.Obj, name, detail string) {
	p := Path(o, name)
	if !o.Errs.Has(p) {
		o.Errs.Add(p, roadcover.CodeInvalidInput, detail)
	}
}

// Required names a missing field; ok is whether it is present (not null).
func Required(o *jsonin.Obj, name string) bool {
	if o.Has(name) {
		return true
	}
	o.Skip(name)
	Bad(o, name, "is required")
	return false
}

// Date reads a "YYYY-MM-DD" field.
func Date(o *jsonin.Obj, name string, required bool) (roadcover.Date, bool) {
	if required && !Required(o, name) {
		return roadcover.Date{}, false
	}
	s, ok := o.String(name)
	if !ok {
		return roadcover.Date{}, false
	}
	d, err := roadcover.ParseDate(s)
	if err != nil {
		Bad(o, name, err.Error())
		return roadcover.Date{}, false
	}
	return d, true
}

// Time reads an RFC 3339 instant with its offset.
func Time(o *jsonin.Obj, name string, required bool) (time.Time, bool) {
	if required && !Required(o, name) {
		return time.Time{}, false
	}
	s, ok := o.String(name)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		Bad(o, name, "is not an instant in RFC 3339 form, such as \"2026-03-10T14:05:00+01:00\"")
		return time.Time{}, false
	}
	return t, true
}

// SEK reads an amount in Swedish kronor ("1500", "1500.50" or a number).
func SEK(o *jsonin.Obj, name string, required bool) (roadcover.Money, bool) {
	if required && !Required(o, name) {
		return roadcover.Money{}, false
	}
	m, ok := o.Money(name)
	if !ok {
		return roadcover.Money{}, false
	}
	return roadcover.Money{Minor: m, Currency: "SEK"}, true
}

// PositiveSEK reads an amount that must be above zero.
func PositiveSEK(o *jsonin.Obj, name string, required bool) (roadcover.Money, bool) {
	m, ok := SEK(o, name, required)
	if ok && m.Minor == 0 {
		Bad(o, name, "must be above 0")
		return roadcover.Money{}, false
	}
	return m, ok
}

// Str reads a string field that, when present, may not be blank.
func Str(o *jsonin.Obj, name string, required bool) (string, bool) {
	if required && !Required(o, name) {
		return "", false
	}
	s, ok := o.String(name)
	if !ok {
		return "", false
	}
	if len(bytes.TrimSpace([]byte(s))) == 0 {
		Bad(o, name, "may not be blank")
		return "", false
	}
	return s, true
}

// Fields splits a JSON object into its fields (nil when raw is not an
// object).
func Fields(raw []byte) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

// Compact returns raw without insignificant white space.
func Compact(raw []byte) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}
