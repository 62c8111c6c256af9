package claims

import (
	"os"
	"testing"

	"roadcover"
)

// FuzzDecodeReport: any body is either refused with named fields or gives
// a loss whose document reads back the same.
func FuzzDecodeReport(f *testing.F) {
	b, err := os.ReadFile("../examples/claims/report.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"policy_id": "P1", "loss": {"occurred_at": "2026-02-30", "incident": []}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReport(data)
		if err != nil {
			if ie, ok := err.(*roadcover.InputError); !ok || len(ie.Errors) == 0 {
				t.Fatalf("not a named input error: %v", err)
			}
			return
		}
		doc := AppendLossJSON(nil, r.Loss)
		back, err := DecodeLoss(doc)
		if err != nil {
			t.Fatalf("loss does not read back: %v\n%s", err, doc)
		}
		if again := AppendLossJSON(nil, back); string(again) != string(doc) {
			t.Fatalf("loss reads back differently:\n%s\n%s", doc, again)
		}
	})
}
