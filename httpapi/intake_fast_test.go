package httpapi

import (
	"encoding/json"
	"testing"
)

func TestTopLevelHas(t *testing.T) {
	cases := []struct {
		body    string
		has, ok bool
	}{
		{`{"market":"DE","intake":{"vin":"x"}}`, true, true},
		{`{"market":"DE","event":{"intake":1},"list":["intake",{"intake":2}],"s":"\"intake\""}`, false, true},
		{` { } `, false, true},
		{`{"a":1,"b":true,"c":null,"d":-1.5e3,"intake" : null}`, true, true},
		{`{"in\u0074ake":{}}`, false, false},
		{`[1,2]`, false, false},
		{`{"a":"unterminated}`, false, false},
		{`{"a":{"b":[1,2}`, false, false},
	}
	for _, c := range cases {
		has, ok := topLevelHas([]byte(c.body), "intake")
		if has != c.has || ok != c.ok {
			t.Errorf("%s: got %v %v, want %v %v", c.body, has, ok, c.has, c.ok)
		}
	}
}

// FuzzTopLevelHas checks the quick scan never contradicts a full decode.
func FuzzTopLevelHas(f *testing.F) {
	f.Add(`{"market":"DE","intake":{"vin":"x"}}`)
	f.Add(`{"a":[{"intake":1}],"b":"}"}`)
	f.Fuzz(func(t *testing.T, s string) {
		has, ok := topLevelHas([]byte(s), "intake")
		if !ok {
			return
		}
		var top map[string]any
		if err := json.Unmarshal([]byte(s), &top); err != nil || top == nil {
			return // not valid JSON: the caller checks json.Valid before trusting the scan
		}
		if _, want := top["intake"]; want != has {
			t.Fatalf("%q: scan says %v, decode says %v", s, has, want)
		}
	})
}
