package claims

import (
	"encoding/json"
	"time"

	"roadcover"
	"roadcover/internal/jsondoc"
	"roadcover/jsonin"
)

// codec walks the fields of a record once for writing and once for reading,
// so that each record names its JSON fields in one place (its visit method).
type codec interface {
	str(name string, p *string)
	integer(name string, p *int)
	boolean(name string, p *bool)
	money(name string, p *roadcover.Money)
	minor(name string, p *int64) // an amount in öre, written as "1500.00"
	date(name string, p *roadcover.Date)
	instant(name string, p *time.Time)
	raw(name string, p *json.RawMessage)
	strs(name string, p *[]string)
	obj(name string, f func(codec))
	// list walks an array: n is its length (set when reading), elem is
	// called for each element with i and the element's codec.
	list(name string, n int, grow func(n int), elem func(i int, c codec))
}

type writer struct{ w *jsondoc.Writer }

func (c writer) str(k string, p *string)            { c.w.Str(k, *p) }
func (c writer) integer(k string, p *int)           { c.w.Int(k, int64(*p)) }
func (c writer) boolean(k string, p *bool)          { c.w.Bool(k, *p) }
func (c writer) money(k string, p *roadcover.Money) { c.w.Money(k, *p) }
func (c writer) minor(k string, p *int64)           { c.w.Money(k, sek(*p)) }
func (c writer) date(k string, p *roadcover.Date)   { c.w.Date(k, *p) }
func (c writer) instant(k string, p *time.Time)     { c.w.Time(k, *p) }
func (c writer) raw(k string, p *json.RawMessage)   { c.w.Raw(k, *p) }
func (c writer) strs(k string, p *[]string)         { c.w.Strs(k, *p) }
func (c writer) obj(k string, f func(codec))        { c.w.Obj(k); f(c); c.w.End() }
func (c writer) list(k string, n int, _ func(int), elem func(int, codec)) {
	c.w.Arr(k)
	for i := 0; i < n; i++ {
		c.w.Obj("")
		elem(i, c)
		c.w.End()
	}
	c.w.End()
}

// reader reads a record back; a missing field keeps its zero value, a field
// of the wrong type is named in the input error.
type reader struct {
	o      *jsonin.Obj
	fields map[string]json.RawMessage
}

func newReader(o *jsonin.Obj, raw []byte) reader { return reader{o, jsondoc.Fields(raw)} }

func (c reader) str(k string, p *string) {
	if s, ok := c.o.String(k); ok {
		*p = s
	}
}
func (c reader) integer(k string, p *int) {
	if n, ok := c.o.Int(k); ok {
		*p = int(n)
	}
}
func (c reader) boolean(k string, p *bool) {
	if b, ok := c.o.Bool(k); ok {
		*p = b
	}
}
func (c reader) money(k string, p *roadcover.Money) {
	if m, ok := jsondoc.SEK(c.o, k, false); ok {
		*p = m
	} else {
		*p = roadcover.Money{Currency: "SEK"}
	}
}
func (c reader) minor(k string, p *int64) {
	if m, ok := c.o.Money(k); ok {
		*p = m
	}
}
func (c reader) date(k string, p *roadcover.Date) {
	if d, ok := jsondoc.Date(c.o, k, false); ok {
		*p = d
	}
}
func (c reader) instant(k string, p *time.Time) {
	if t, ok := jsondoc.Time(c.o, k, false); ok {
		*p = t
	}
}
func (c reader) raw(k string, p *json.RawMessage) {
	c.o.Skip(k)
	if v, ok := c.fields[k]; ok && string(v) != "null" {
		*p = json.RawMessage(jsondoc.Compact(v))
	}
}
func (c reader) strs(k string, p *[]string) {
	items, _ := c.o.Array(k)
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) != nil {
			c.o.Errs.Add(jsondoc.Path(c.o, k), roadcover.CodeInvalidInput, "must be an array of strings")
			return
		}
		if i == 0 {
			*p = nil
		}
		*p = append(*p, s)
	}
}
func (c reader) obj(k string, f func(codec)) {
	child := c.o.Object(k)
	if child.Null {
		return
	}
	f(reader{child, jsondoc.Fields(c.fields[k])})
	child.Done()
}
func (c reader) list(k string, _ int, grow func(int), elem func(int, codec)) {
	items, ok := c.o.Array(k)
	if !ok {
		return
	}
	grow(len(items))
	for i, it := range items {
		child := c.o.ObjectAt(k, i, it)
		if child.Null {
			continue
		}
		elem(i, reader{child, jsondoc.Fields(it)})
		child.Done()
	}
}
