package jsonin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"roadcover"
)

// toAny is the value of node n as encoding/json decodes it with UseNumber.
func toAny(d *doc, n int32) any {
	k := &d.nodes[n]
	switch k.kind {
	case kindObject:
		m := map[string]any{}
		for c, i := n+1, int32(0); i < k.count; c, i = d.nodes[c].skip, i+1 {
			m[d.name(c)] = toAny(d, c)
		}
		return m
	case kindArray:
		l := []any{}
		for c, i := n+1, int32(0); i < k.count; c, i = d.nodes[c].skip, i+1 {
			l = append(l, toAny(d, c))
		}
		return l
	case kindString:
		return d.text(n)
	case kindNumber:
		return json.Number(d.number(n))
	case kindTrue:
		return true
	case kindFalse:
		return false
	}
	return nil
}

// indexDetails are the refusals of a body encoding/json takes.
var indexDetails = []string{
	"appears more than once", "holds a NUL character", "is not valid UTF-8",
	"holds an unpaired UTF-16 surrogate", "the member name", "is out of range",
}

var fuzzSeeds = []string{
	`{}`, `{"a":1,"b":"x","c":[1,{"d":null}],"e":true,"f":false}`, `{"a":1}}`, `{"a":1} {"b":2}`,
	`[1]`, `null`, ``, "\xef\xbb\xbf{}", `{"a":1`, `{"a":1,}`, `{"n":01}`, `{"n":-0.5e+3}`, `{"n":1e400}`,
	"{\"s\":\"a\xffb\"}", "{\"s\":\"a\x00b\"}", `{"s":"a\u0000b"}`, `{"s":"\ud800x"}`, `{"s":"\ud83d\ude97"}`,
	`{"s":"\x41"}`, `{"s":"\u12"}`, `{"a":1,"\u0061":2}`, `{"o":{"x":1,"x":1}}`, "{\"a\xff\":1}",
	`{"l":[[[[[[{"a":[]}]]]]]]}`, `{"k":"\"\\\/\b\f\n\r\t\u00e9"}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":1}`,
}

// FuzzParse: any input is read or refused with an input error, never a
// panic; what is read is what encoding/json reads; a syntax refusal is one
// encoding/json makes too; the problem document is valid JSON and bounded.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var errs roadcover.InputError
		o := Parse(data, &errs)
		if !o.Null {
			// Read everything through the readers (errors, no panics), then
			// compare the values with encoding/json's.
			readAll(o)
		}
		err := errs.Err()
		valid := json.Valid(data)
		object := bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
		if err == nil {
			if !valid || !object || o.Null {
				t.Fatalf("accepted %q, which is not one JSON object", data)
			}
			var want map[string]any
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			if dec.Decode(&want) != nil {
				t.Fatalf("encoding/json cannot read %q", data)
			}
			if got := toAny(o.doc, 0); !reflect.DeepEqual(got, want) {
				t.Fatalf("read %q as\n%#v\nencoding/json reads\n%#v", data, got, want)
			}
			return
		}
		for _, e := range errs.Errors {
			switch {
			case e.Field == "body" && strings.HasPrefix(e.Detail, "the body is not one JSON object"):
				if valid && object {
					t.Fatalf("%q refused as not JSON: %s", data, e.Detail)
				}
			case e.Field == "body":
			case valid && object:
				known := false
				for _, d := range indexDetails {
					known = known || strings.Contains(e.Detail, d)
				}
				if !known {
					t.Fatalf("%q: valid JSON refused on %s: %s", data, e.Field, e.Detail)
				}
			}
		}
		p := roadcover.ProblemFor(err)
		b, merr := json.Marshal(p)
		if merr != nil || !json.Valid(b) {
			t.Fatalf("problem document: %v %q", merr, b)
		}
		if p.Status != 422 && p.Status != 413 || len(p.Errors) == 0 || len(p.Errors) > roadcover.MaxFieldErrors ||
			p.ErrorsTotal != errs.Total() || len(p.Detail) > 2048+roadcover.MaxFieldLen+roadcover.MaxDetailLen+64 {
			t.Fatalf("problem document out of bounds: status %d, %d errors of %d, detail %d bytes",
				p.Status, len(p.Errors), p.ErrorsTotal, len(p.Detail))
		}
		for _, e := range p.Errors {
			if len(e.Field) > roadcover.MaxFieldLen || len(e.Detail) > roadcover.MaxDetailLen {
				t.Fatalf("field error out of bounds: %d, %d bytes", len(e.Field), len(e.Detail))
			}
		}
	})
}
