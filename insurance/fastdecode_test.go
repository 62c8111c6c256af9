package insurance

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestFastDecodeMatchesEncodingJSON checks that the fast path reads every
// case input exactly as encoding/json does.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	for _, c := range loadCases(t) {
		var fast, slow rawClaim
		ferr := fastDecode(c.Input, &fast)
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
		if fastDecode([]byte(body), &r) == nil {
			t.Errorf("%s: fast path should decline", body)
		}
	}
	var r rawClaim
	if err := fastDecode([]byte(` {"market" : "SE" , "x": {"y":[1,true,null,"z"]}, "costs":{"repair_sek": 12.5}} `), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Market.set || r.Market.v != "SE" || r.Costs.Repair.minor != 1250 {
		t.Errorf("read %+v", r)
	}
}
