package insurance

import (
	"encoding/json"
	"reflect"
	"roadcover"
	"sort"
	"testing"
)

// TestFastDecodeMatchesEncodingJSON checks that the fast path reads every
// case input exactly as encoding/json does.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	for _, c := range loadCases(t) {
		var fast, slow rawClaim
		unknown, ferr := fastDecode(c.Input, &fast)
		if slowUnknown := unknownTopLevel(c.Input); ferr == nil && !reflect.DeepEqual(unknown, slowUnknown) {
			t.Errorf("%s: unknown top-level fields %v, slow path %v", c.ID, unknown, slowUnknown)
		}
		serr := json.Unmarshal(c.Input, &slow)
		if ferr != nil {
			if serr == nil && c.ID != "err-types" {
				t.Errorf("%s: fast path declined a body encoding/json reads: %v", c.ID, ferr)
			}
			continue
		}
		if serr != nil {
			t.Errorf("%s: fast path read a body encoding/json refuses: %v", c.ID, serr)
			continue
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: fast and encoding/json differ:\nfast %+v\nslow %+v", c.ID, fast, slow)
		}
	}
}

func TestFastDecodeDeclines(t *testing.T) {
	for _, body := range []string{
		`{"market":"S\u0045"}`, `{"vehicle":{"odometer_km":1.5}}`, `[1]`, `{"market":"SE"} x`,
		`{"market":"SE",}`, `{"policy":{"covers":["traffic",]}}`, `{"driver":{"licence":"yes"}}`,
	} {
		var r rawClaim
		if _, err := fastDecode([]byte(body), &r); err == nil {
			t.Errorf("%s: fast path should decline", body)
		}
	}
	var r rawClaim
	unknown, err := fastDecode([]byte(` {"market" : "SE" , "x": {"y":[1,true,null,"z"]}, "costs":{"repair_sek": 12.5, "z": 1}} `), &r)
	if err != nil {
		t.Fatal(err)
	}
	if len(unknown) != 1 || unknown[0] != "x" {
		t.Errorf("unknown top-level fields %v, want [x]", unknown)
	}
	if !r.Market.set || r.Market.v != "SE" || r.Costs.Repair.minor != 1250 {
		t.Errorf("read %+v", r)
	}
}

// unknownTopLevel (the reference of walk's unknown names) lists the top-level names of a body that the claim does
// not know (none when the body is not an object).
func unknownTopLevel(data []byte) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil
	}
	fields := fieldsOf(rawClaimType)
	var out []string
	for name := range top {
		if _, ok := fields[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestWalkMatchesEncodingJSON holds the careful decoder to encoding/json on
// every case input it accepts: the same values and the same unknown
// top-level names.
func TestWalkMatchesEncodingJSON(t *testing.T) {
	n := 0
	for _, c := range loadCases(t) {
		var walked, slow rawClaim
		errs := &roadcover.InputError{}
		unknown := walk(c.Input, &walked, errs)
		if errs.Err() != nil || json.Unmarshal(c.Input, &slow) != nil {
			continue
		}
		n++
		if !reflect.DeepEqual(walked, slow) {
			t.Errorf("%s: walk and encoding/json differ:\nwalk %+v\nslow %+v", c.ID, walked, slow)
		}
		want := unknownTopLevel(c.Input)
		sort.Strings(unknown)
		if len(unknown)+len(want) > 0 && !reflect.DeepEqual(unknown, want) {
			t.Errorf("%s: walk names unknown %v, want %v", c.ID, unknown, want)
		}
	}
	if n < 100 {
		t.Fatalf("only %d inputs compared", n)
	}
}
