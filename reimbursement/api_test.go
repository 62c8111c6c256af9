package reimbursement

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"roadcover"
)

// TestJSONPaths goes from the receipt's JSON to the line's JSON and from a
// review's JSON to the reviewed line, as the HTTP layer does.
func TestJSONPaths(t *testing.T) {
	f, env := propFacts(t, "dk-far", map[string]string{"further_assistance": "hotel"}, false)
	body := []byte(`{"category":"hotel","amount":"2400.00","currency":"DKK","date":"2026-07-02","merchant":"Hotel Royal",` +
		`"persons":2,"nights":1,"service_from":"2026-07-01","arranged_by_assistance":true}`)
	out, l, err := CheckJSON(body, "rc-1", f, env)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil || doc["receipt"] != "rc-1" || doc["status"] != "approved" {
		t.Fatalf("%s %v", out, err)
	}
	stored, err := DecodeLine(out)
	if err != nil || stored.Amount != l.Amount {
		t.Fatalf("%+v %v", stored, err)
	}
	at := time.Date(2026, 7, 10, 12, 0, 0, 0, time.UTC)
	out, rl, err := ReviewJSON([]byte(`{"action":"cut","amount":"250.00","currency":"EUR","reason":"unreadable_receipt"}`), stored, "op-7", at, false)
	if err != nil {
		t.Fatal(err)
	}
	if rl.Review.By != "op-7" || !rl.Review.At.Equal(at) || rl.Amount.Minor != 25000 || rl.Status != Cut {
		t.Errorf("%+v", rl.Review)
	}
	if back, err := DecodeLine(out); err != nil || back.Review == nil || back.Review.By != "op-7" {
		t.Errorf("%+v %v", back.Review, err)
	}
	var ie *roadcover.InputError
	if _, _, err := CheckJSON([]byte(`{"category":"hotel"}`), "rc-2", f, env); !errors.As(err, &ie) || !ie.Has("amount") {
		t.Errorf("%v", err)
	}
	if _, _, err := ReviewJSON([]byte(`{"action":"cut","amount":"1.00"}`), stored, "op", at, false); !errors.As(err, &ie) ||
		!ie.Has("currency") || !ie.Has("reason") {
		t.Errorf("%v", err)
	}
	if _, err := DecodeLine([]byte(`{"receipt":"x","unknown":1}`)); err == nil {
		t.Error("a stored line with an unknown field is read")
	}
}

func TestDecidedFromJSONRefusesBadDocuments(t *testing.T) {
	for _, doc := range []string{`{}`, `[]`, `{"terms":{"id":"assistance-gb-2022"}}`,
		`{"terms":{"id":"assistance-gb-2022"},"covered":true,"entitlements":[{"code":"hotel","limit":{"amount":"2x","currency":"GBP","per":"person_night"}}]}`,
		`{"terms":{"id":"assistance-gb-2022"},"covered":true,"entitlements":[{"code":"rental_car","until":"8 July"}]}`} {
		if _, err := DecidedFromJSON([]byte(doc)); err == nil {
			t.Errorf("%s: read", doc)
		}
	}
}
