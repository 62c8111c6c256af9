package policies

import (
	"os"
	"testing"
	"time"

	"roadcover"
)

// FuzzDecodeNewPolicy: any body is either refused with named fields or
// issues a policy whose versions read back.
func FuzzDecodeNewPolicy(f *testing.F) {
	b, err := os.ReadFile("../examples/claims/new-policy.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"covers": "traffic", "car": {"vin": 17}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		np, err := DecodeNewPolicy(data)
		if err != nil {
			if ie, ok := err.(*roadcover.InputError); !ok || len(ie.Errors) == 0 {
				t.Fatalf("not a named input error: %v", err)
			}
			return
		}
		p, err := New("P1", np, "h1", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return
		}
		for _, v := range p.Versions {
			if _, err := DecodeVersion(AppendVersionJSON(nil, v, roadcover.Swedish)); err != nil {
				t.Fatalf("version does not read back: %v", err)
			}
		}
	})
}
