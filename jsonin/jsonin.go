// Package jsonin reads JSON request bodies field by field so that every bad
// field can be named by its dotted path in one problem document, instead of
// stopping at the first error as encoding/json does.
//
// A body is read once: Parse checks it against the JSON grammar and indexes
// every value (its bytes, type, name and place) in one pass, and Obj and
// List are views of that index, so reading is linear in the size of the body
// however deeply it nests. Parse is stricter than encoding/json: it refuses
// bytes after the object, numbers with leading zeros, strings that are not
// valid UTF-8 or hold a NUL character or an unpaired surrogate, and a name
// given twice in one object, each named by its path. Limits bound nesting,
// the members of one object or array and the size of the body, and
// ParseContext stops when its context ends (looked at every 1024 values).
//
// Field errors found while indexing (a bad string, a bad number, a repeated
// name) are added on the first use of the returned Obj (any method), so
// that a Path set on it right after Parse prefixes them; errors that make the whole body
// unreadable are added at once on the field "body" and leave the Obj Null.
//
// Engines decode the common, valid case with a typed struct and fall back to
// Parse only to explain a failure, or use Obj directly where speed matters less.
package jsonin

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"roadcover"
)

// Obj is one JSON object being read. Fields read through it are marked seen;
// Done reports the fields nobody asked for as unknown.
type Obj struct {
	Path string
	Errs *roadcover.InputError
	Null bool // the object was absent or null

	doc     *doc
	members []member
	lists   map[string]*List // lists handed out by Array, for ObjectAt
	node    int32
}

type member struct {
	node int32
	seen bool
}

// List is one JSON array being read; its elements are read by index and
// named by Path and the index.
type List struct {
	Path string
	Errs *roadcover.InputError
	Null bool // the array was absent or null

	doc   *doc
	elems []int32
}

// Parse reads a top-level JSON object within the default Limits. A body
// that is not one JSON object is reported on the field "body" and gives a
// Null Obj.
func Parse(data []byte, errs *roadcover.InputError) *Obj {
	return ParseContext(context.Background(), data, errs, Limits{})
}

// ParseContext is Parse within lim that stops, with an error on "body",
// once ctx is done.
func ParseContext(ctx context.Context, data []byte, errs *roadcover.InputError, lim Limits) *Obj {
	o, be := parse(ctx, data, errs, lim)
	if be != nil {
		errs.Add("body", be.code, be.detail)
	}
	return o
}

func parse(ctx context.Context, data []byte, errs *roadcover.InputError, lim Limits) (*Obj, *bodyError) {
	d := &doc{data: data, errs: errs}
	o := &Obj{Errs: errs, doc: d}
	d.root = o
	if be := d.build(ctx, lim); be != nil {
		d.nodes, d.pending, d.flushed = nil, nil, true
		o.Null = true
		return o, be
	}
	o.view(0)
	return o, nil
}

// view makes o a view of the object at node n.
func (o *Obj) view(n int32) {
	d := o.doc
	o.node = n
	o.members = make([]member, d.nodes[n].count)
	c := n + 1
	for i := range o.members {
		o.members[i].node = c
		c = d.nodes[c].skip
	}
}

func (o *Obj) path(name string) string {
	if o.Path == "" {
		return segment(name)
	}
	return roadcover.ClipField(o.Path + "." + segment(name))
}

// find returns the ordinal of the member called name, or -1.
func (o *Obj) find(name string) int {
	if o.doc == nil {
		return -1
	}
	d := o.doc
	d.flush()
	if len(o.members) == 0 {
		return -1
	}
	if len(o.members) > smallObject {
		if i, ok := d.byName[o.node][name]; ok {
			return int(i)
		}
		return -1
	}
	for i, m := range o.members {
		k := &d.nodes[m.node]
		if k.keyLen == int32(len(name)) && string(d.nameBytes(k.keyOff, k.keyLen, k.flags)) == name {
			return i
		}
	}
	return -1
}

// take marks name seen and returns its value's node when it is present
// and not null.
func (o *Obj) take(name string) (int32, bool) {
	i := o.find(name)
	if i < 0 {
		return 0, false
	}
	o.members[i].seen = true
	n := o.members[i].node
	if o.doc.nodes[n].kind == kindNull {
		return 0, false
	}
	return n, true
}

// Has reports whether the field is present and not null.
func (o *Obj) Has(name string) bool {
	i := o.find(name)
	return i >= 0 && o.doc.nodes[o.members[i].node].kind != kindNull
}

// at names a member for an error.
func (o *Obj) at(name string) place { return place{errs: o.Errs, base: o.Path, name: name, index: -1} }

// place is where a value sits, to name it in an error; its path is only
// made when there is an error.
type place struct {
	errs  *roadcover.InputError
	base  string
	name  string
	index int // an element's index, or -1 for a member
}

func (p place) path() string {
	if p.index >= 0 {
		return join(p.base, strconv.Itoa(p.index))
	}
	return join(p.base, segment(p.name))
}

func (p place) bad(detail string) { p.errs.Add(p.path(), roadcover.CodeInvalidInput, detail) }

// Raw returns the exact bytes of a field's value (nil, false when absent,
// null or refused while indexing). It marks the field seen.
func (o *Obj) Raw(name string) ([]byte, bool) {
	n, ok := o.take(name)
	if !ok {
		return nil, false
	}
	return o.doc.raw(n)
}

// Object returns the nested object; a missing or null one is an empty Obj
// with Null set. A value of another type is an error.
func (o *Obj) Object(name string) *Obj {
	c := &Obj{Path: o.path(name), Errs: o.Errs, doc: o.doc}
	n, ok := o.take(name)
	if !ok {
		c.Null = true
		return c
	}
	o.doc.object(c, n, o.at(name))
	return c
}

// List returns the nested array; a missing or null one is an empty List
// with Null set. A value of another type is an error.
func (o *Obj) List(name string) *List {
	l := &List{Path: o.path(name), Errs: o.Errs, doc: o.doc}
	n, ok := o.take(name)
	if !ok {
		l.Null = true
		return l
	}
	o.doc.list(l, n, o.at(name))
	return l
}

// Array returns the elements of an array field as their exact bytes. List
// reads them without copying; ObjectAt reads an element of Array as an
// object.
func (o *Obj) Array(name string) ([]json.RawMessage, bool) {
	l := o.List(name)
	if l.Null {
		return nil, false
	}
	items := make([]json.RawMessage, len(l.elems))
	for i, n := range l.elems {
		items[i], _ = l.doc.bytes(n)
	}
	if o.lists == nil {
		o.lists = map[string]*List{}
	}
	o.lists[name] = l
	return items, true
}

// ObjectAt reads element i of an array as an object: raw is the element as
// Array gave it, which is read from the index without parsing it again.
func (o *Obj) ObjectAt(name string, i int, raw json.RawMessage) *Obj {
	if l := o.lists[name]; l != nil && i >= 0 && i < len(l.elems) {
		if b, _ := l.doc.bytes(l.elems[i]); len(b) == len(raw) {
			return l.Object(i)
		}
	}
	// raw did not come from Array: read it on its own.
	path := fmt.Sprintf("%s.%d", o.path(name), i)
	var sub roadcover.InputError
	c, be := parse(context.Background(), raw, &sub, Limits{})
	c.Path, c.Errs, c.doc.errs = path, o.Errs, o.Errs
	if be != nil {
		o.Errs.Add(path, roadcover.CodeInvalidInput, "must be an object")
	}
	return c
}

// String reads a string field.
func (o *Obj) String(name string) (string, bool) {
	n, ok := o.take(name)
	if !ok {
		return "", false
	}
	return o.doc.str(n, o.at(name))
}

// Enum reads a string field that must be one of allowed.
func (o *Obj) Enum(name string, allowed ...string) (string, bool) {
	n, ok := o.take(name)
	if !ok {
		return "", false
	}
	return o.doc.enum(n, o.at(name), allowed)
}

// Bool reads a boolean field.
func (o *Obj) Bool(name string) (bool, bool) {
	n, ok := o.take(name)
	if !ok {
		return false, false
	}
	return o.doc.boolean(n, o.at(name))
}

// Float reads a number field. A number too large for a float64 is refused.
func (o *Obj) Float(name string) (float64, bool) {
	n, ok := o.take(name)
	if !ok {
		return 0, false
	}
	return o.doc.float(n, o.at(name))
}

// FloatIn reads a number field that must lie from min to max.
func (o *Obj) FloatIn(name string, min, max float64) (float64, bool) {
	n, ok := o.take(name)
	if !ok {
		return 0, false
	}
	return o.doc.floatIn(n, o.at(name), min, max)
}

// NonNegFloat reads a number field that may not be negative.
func (o *Obj) NonNegFloat(name string) (float64, bool) {
	f, ok := o.Float(name)
	if ok && f < 0 {
		o.at(name).bad("may not be negative")
		return 0, false
	}
	return f, ok
}

// Int reads a whole-number field, from -2^53 to 2^53.
func (o *Obj) Int(name string) (int64, bool) {
	n, ok := o.take(name)
	if !ok {
		return 0, false
	}
	return o.doc.integer(n, o.at(name))
}

// IntIn reads a whole-number field that must lie from min to max.
func (o *Obj) IntIn(name string, min, max int64) (int64, bool) {
	n, ok := o.take(name)
	if !ok {
		return 0, false
	}
	return o.doc.intIn(n, o.at(name), min, max)
}

// NonNegInt reads a whole-number field that may not be negative.
func (o *Obj) NonNegInt(name string) (int64, bool) {
	v, ok := o.Int(name)
	if ok && v < 0 {
		o.at(name).bad("may not be negative")
		return 0, false
	}
	return v, ok
}

// Money reads an amount given as a decimal string ("1500", "1500.50") or a
// JSON number, in minor units: at most two places, no leading zeros, no
// exponent. Negative amounts are refused.
func (o *Obj) Money(name string) (int64, bool) {
	n, ok := o.take(name)
	if !ok {
		return 0, false
	}
	return o.doc.money(n, o.at(name))
}

// Done reports every field that was present but never read as unknown, in
// the order of the body. Fields refused while indexing are named already.
func (o *Obj) Done() {
	if o.Null || o.doc == nil {
		return
	}
	o.doc.flush()
	for _, m := range o.members {
		if !m.seen && o.doc.nodes[m.node].flags&flagBad == 0 {
			o.at(o.doc.name(m.node)).bad("unknown field")
		}
	}
}

// Unread lists the names of the fields present but not read (nor
// skipped), in the order of the body, for a caller that names them itself.
func (o *Obj) Unread() []string {
	if o.Null || o.doc == nil {
		return nil
	}
	var out []string
	for _, m := range o.members {
		if !m.seen && o.doc.nodes[m.node].flags&flagBad == 0 {
			out = append(out, o.doc.name(m.node))
		}
	}
	return out
}

// Skip marks fields as known without reading them.
func (o *Obj) Skip(names ...string) {
	for _, n := range names {
		if i := o.find(n); i >= 0 {
			o.members[i].seen = true
		}
	}
}

// Len is the number of elements.
func (l *List) Len() int { return len(l.elems) }

func (l *List) at(i int) place { return place{errs: l.Errs, base: l.Path, index: i} }

// elem returns the node of element i.
func (l *List) elem(i int) int32 {
	l.doc.flush()
	return l.elems[i]
}

// Raw returns the exact bytes of element i (nil, false when refused while
// indexing).
func (l *List) Raw(i int) ([]byte, bool) { return l.doc.raw(l.elem(i)) }

// Object reads element i as an object; null or another type is an error.
func (l *List) Object(i int) *Obj {
	c := &Obj{Path: l.at(i).path(), Errs: l.Errs, doc: l.doc}
	l.doc.object(c, l.elem(i), l.at(i))
	return c
}

// List reads element i as an array; null or another type is an error.
func (l *List) List(i int) *List {
	c := &List{Path: l.at(i).path(), Errs: l.Errs, doc: l.doc}
	l.doc.list(c, l.elem(i), l.at(i))
	return c
}

// String reads element i as a string.
func (l *List) String(i int) (string, bool) { return l.doc.str(l.elem(i), l.at(i)) }

// Enum reads element i as a string that must be one of allowed.
func (l *List) Enum(i int, allowed ...string) (string, bool) {
	return l.doc.enum(l.elem(i), l.at(i), allowed)
}

// Bool reads element i as a boolean.
func (l *List) Bool(i int) (bool, bool) { return l.doc.boolean(l.elem(i), l.at(i)) }

// Float reads element i as a number.
func (l *List) Float(i int) (float64, bool) { return l.doc.float(l.elem(i), l.at(i)) }

// FloatIn reads element i as a number from min to max.
func (l *List) FloatIn(i int, min, max float64) (float64, bool) {
	return l.doc.floatIn(l.elem(i), l.at(i), min, max)
}

// Int reads element i as a whole number.
func (l *List) Int(i int) (int64, bool) { return l.doc.integer(l.elem(i), l.at(i)) }

// IntIn reads element i as a whole number from min to max.
func (l *List) IntIn(i int, min, max int64) (int64, bool) {
	return l.doc.intIn(l.elem(i), l.at(i), min, max)
}

// Money reads element i as an amount in minor units, as Obj.Money.
func (l *List) Money(i int) (int64, bool) { return l.doc.money(l.elem(i), l.at(i)) }

// The readers below take a present value (for a member: not null) and name
// it at p when it is of the wrong type. A value refused while indexing
// reads as nothing, without a second error.

func (d *doc) bytes(n int32) ([]byte, bool) {
	k := &d.nodes[n]
	return d.data[k.start:k.end:k.end], k.flags&flagBad == 0
}

func (d *doc) raw(n int32) ([]byte, bool) {
	b, ok := d.bytes(n)
	if !ok {
		return nil, false
	}
	return b, true
}

func (d *doc) refused(n int32) bool { return d.nodes[n].flags&flagBad != 0 }

func (d *doc) object(c *Obj, n int32, p place) {
	switch {
	case d.refused(n):
		c.Null = true
	case d.nodes[n].kind != kindObject:
		p.bad("must be an object")
		c.Null = true
	default:
		c.view(n)
	}
}

func (d *doc) list(l *List, n int32, p place) {
	switch {
	case d.refused(n):
		l.Null = true
	case d.nodes[n].kind != kindArray:
		p.bad("must be an array")
		l.Null = true
	default:
		k := &d.nodes[n]
		l.elems = make([]int32, k.count)
		c := n + 1
		for i := range l.elems {
			l.elems[i] = c
			c = d.nodes[c].skip
		}
	}
}

// text is the decoded value of a string node.
func (d *doc) text(n int32) string {
	k := &d.nodes[n]
	inner := d.data[k.start+1 : k.end-1]
	if k.flags&flagEscaped == 0 {
		return string(inner)
	}
	return string(appendUnquoted(make([]byte, 0, len(inner)), inner))
}

func (d *doc) str(n int32, p place) (string, bool) {
	switch {
	case d.refused(n):
		return "", false
	case d.nodes[n].kind != kindString:
		p.bad("must be a string")
		return "", false
	}
	return d.text(n), true
}

func (d *doc) enum(n int32, p place, allowed []string) (string, bool) {
	s, ok := d.str(n, p)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	if s == "" {
		p.bad("may not be empty; expected one of " + strings.Join(allowed, ", "))
	} else {
		p.bad("unknown value " + roadcover.Quote(s) + "; expected one of " + strings.Join(allowed, ", "))
	}
	return "", false
}

func (d *doc) boolean(n int32, p place) (bool, bool) {
	switch {
	case d.refused(n):
		return false, false
	case d.nodes[n].kind == kindTrue:
		return true, true
	case d.nodes[n].kind == kindFalse:
		return false, true
	}
	p.bad("must be true or false")
	return false, false
}

func (d *doc) number(n int32) []byte {
	k := &d.nodes[n]
	return d.data[k.start:k.end]
}

func (d *doc) float(n int32, p place) (float64, bool) {
	switch {
	case d.refused(n):
		return 0, false
	case d.nodes[n].kind != kindNumber:
		p.bad("must be a number")
		return 0, false
	}
	f, err := strconv.ParseFloat(string(d.number(n)), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		p.bad(fmt.Sprintf("is out of range: a number must lie within ±%g", math.MaxFloat64))
		return 0, false
	}
	return f, true
}

func (d *doc) floatIn(n int32, p place, min, max float64) (float64, bool) {
	f, ok := d.float(n, p)
	if ok && !(f >= min && f <= max) {
		p.bad(fmt.Sprintf("must be from %g to %g", min, max))
		return 0, false
	}
	return f, ok
}

// maxWhole is the largest whole number a float64 holds exactly.
const maxWhole = 1 << 53

func (d *doc) integer(n int32, p place) (int64, bool) {
	switch {
	case d.refused(n):
		return 0, false
	case d.nodes[n].kind != kindNumber:
		p.bad("must be a whole number")
		return 0, false
	}
	text := d.number(n)
	if d.nodes[n].flags&flagWhole != 0 {
		v, err := strconv.ParseInt(string(text), 10, 64)
		if err != nil || v > maxWhole || v < -maxWhole {
			p.bad(fmt.Sprintf("must be a whole number from %d to %d", -maxWhole, maxWhole))
			return 0, false
		}
		return v, true
	}
	f, err := strconv.ParseFloat(string(text), 64)
	switch {
	case err != nil && !math.IsInf(f, 0):
		p.bad("must be a whole number")
		return 0, false
	case f != math.Trunc(f):
		p.bad("must be a whole number")
		return 0, false
	case math.Abs(f) > maxWhole:
		p.bad(fmt.Sprintf("must be a whole number from %d to %d", -maxWhole, maxWhole))
		return 0, false
	}
	return int64(f), true
}

func (d *doc) intIn(n int32, p place, min, max int64) (int64, bool) {
	v, ok := d.integer(n, p)
	if ok && (v < min || v > max) {
		p.bad(fmt.Sprintf("must be a whole number from %d to %d", min, max))
		return 0, false
	}
	return v, ok
}

const (
	moneyExample = "such as \"1500.00\""
	moneyForm    = "must be a decimal amount with at most two places and no leading zeros, " + moneyExample
)

func (d *doc) money(n int32, p place) (int64, bool) {
	var text string
	switch {
	case d.refused(n):
		return 0, false
	case d.nodes[n].kind == kindString:
		text = d.text(n)
	case d.nodes[n].kind == kindNumber:
		text = string(d.number(n))
	default:
		p.bad("must be a decimal amount " + moneyExample)
		return 0, false
	}
	if !decimal(text) {
		p.bad(moneyForm)
		return 0, false
	}
	v, err := roadcover.ParseMinor(text)
	if err != nil {
		p.bad("is too large for an amount")
		return 0, false
	}
	if v < 0 {
		p.bad("may not be negative")
		return 0, false
	}
	return v, true
}

// decimal reports whether s is -?(0|[1-9][0-9]*)(\.[0-9]{1,2})?.
func decimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 1 && whole[0] == '0' || dot && (frac == "" || len(frac) > 2) {
		return false
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}
