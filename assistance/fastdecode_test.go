package assistance

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"roadcover"
)

// decodeInputs are the case bodies of the rule cases, the examples and,
// when they are next to the repository, the shared conformance scenarios.
func decodeInputs(t testing.TB) map[string][]byte {
	in := map[string][]byte{}
	for _, c := range loadCases(t) {
		in[c.path] = c.Input
	}
	ex, _ := filepath.Glob("../examples/assistance/*.json")
	for _, f := range ex {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in[f] = b
	}
	sc, _ := filepath.Glob("../../shared/conformance/assistance/*.json")
	for _, f := range sc {
		b, _ := os.ReadFile(f)
		var s struct{ Input json.RawMessage }
		if json.Unmarshal(b, &s) == nil {
			in[f] = s.Input
		}
	}
	return in
}

// jsonDecode is what the careful path's first step reads.
func jsonDecode(data []byte) (Case, bool) {
	var c Case
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil || d.More() {
		return Case{}, false
	}
	return c, true
}

// jsonDecodeNested is the reference of the careful decoder: encoding/json,
// with nested objects tolerating fields they do not know (the contract
// refuses unknown fields at the top level only, which walk names).
func jsonDecodeNested(data []byte) (Case, bool) {
	var c Case
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&c); err != nil || d.More() {
		return Case{}, false
	}
	return c, true
}

// foldsAKey reports whether a body has a string that names a field of a
// case only when case is ignored ("regulAr_workshop"): encoding/json reads
// such a key as the field, while the contract's names are exact, so the
// careful decoder takes it for a field it does not know. Such a body has no
// reference. (Values are looked at too, which only skips a few more.)
func foldsAKey(data []byte) bool {
	names := caseFieldNames()
	d := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if k, ok := tok.(string); ok && !names[k] {
			for n := range names {
				if strings.EqualFold(n, k) {
					return true
				}
			}
		}
	}
}

// caseFieldNames are the JSON names of every field of Case and of the
// structs it holds.
var caseFieldNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var collect func(reflect.Type)
	collect = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				names[name] = true
			}
			collect(f.Type)
		}
	}
	collect(reflect.TypeFor[Case]())
	return names
})

// TestFastDecodeAgrees checks that the fast decoder reads every case input
// exactly as the careful path does, or gives up, and that it does not give
// up on the examples.
func TestFastDecodeAgrees(t *testing.T) {
	fast := 0
	for name, data := range decodeInputs(t) {
		fc, ok := fastDecode(data)
		jc, jok := jsonDecode(data)
		if !ok {
			if filepath.Dir(name) == "../examples/assistance" {
				t.Errorf("%s: the fast decoder gave up on an example", name)
			}
			continue
		}
		fast++
		if !jok {
			t.Errorf("%s: the fast decoder read a body encoding/json refuses", name)
			continue
		}
		if !reflect.DeepEqual(fc, jc) {
			t.Errorf("%s: the decoders disagree:\nfast %+v\njson %+v", name, fc, jc)
		}
		// The careful decoder, taken when the fast one gives up, reads it
		// the same.
		errs := &roadcover.InputError{}
		cc := walk(data, errs)
		if errs.Err() != nil {
			continue // the careful decoder names what check refuses anyway
		}
		if !reflect.DeepEqual(fc, cc) {
			t.Errorf("%s: the fast and the careful decoder disagree:\nfast %+v\nwalk %+v (%v)", name, fc, cc, errs.Err())
		}
	}
	if fast == 0 {
		t.Fatal("the fast decoder read no case")
	}
}

// FuzzFastDecode checks on any body that the fast decoder reads only what
// encoding/json reads, and reads it the same.
func FuzzFastDecode(f *testing.F) {
	for _, data := range decodeInputs(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"market":"DE","people":{"passengers":1.5}}`))
	f.Add([]byte(`{"market":"DE","market":"GB"}`))
	f.Add([]byte(`{"Market":"DE"}`))
	f.Add([]byte(`{"trip":null} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fc, ok := fastDecode(data)
		if !ok {
			return
		}
		jc, jok := jsonDecode(data)
		if !jok {
			t.Fatalf("fast read %q, encoding/json refuses it", data)
		}
		if !reflect.DeepEqual(fc, jc) {
			t.Fatalf("decoders disagree on %q:\nfast %+v\njson %+v", data, fc, jc)
		}
	})
}

// FuzzWalkAgrees checks on any body that what the careful decoder accepts,
// encoding/json (the reference) reads the same.
func FuzzWalkAgrees(f *testing.F) {
	for _, data := range decodeInputs(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"market":"DE","contact":{"name":"A\u00e9\"b"},"people":{"passengers":1}}`))
	f.Add([]byte(`{"market":"","trip":null}`))
	f.Add([]byte(`{"distances_km":{"regulAr_workshop":0}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		errs := &roadcover.InputError{}
		wc := walk(data, errs)
		if errs.Err() != nil || foldsAKey(data) {
			return
		}
		jc, jok := jsonDecodeNested(data)
		if !jok {
			t.Fatalf("walk read %q, encoding/json refuses it", data)
		}
		if !reflect.DeepEqual(wc, jc) {
			t.Fatalf("decoders disagree on %q:\nwalk %+v\njson %+v", data, wc, jc)
		}
	})
}
