package claims

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"roadcover/insurance"
	"roadcover/policies"
)

// moose is the claim of the fnol-policyholder-moose case: collision,
// animal-collision refund and rental lines.
func moose(b *testing.B) (*policies.Policy, []byte) {
	raw, err := os.ReadFile("testdata/fnol-policyholder-moose.json")
	if err != nil {
		b.Fatal(err)
	}
	var c caseFile
	if err := json.Unmarshal(raw, &c); err != nil {
		b.Fatal(err)
	}
	return policyFor(b, c.Input), withPolicy(c.Input.Report)
}

var benchAt = time.Date(2026, 3, 11, 9, 30, 0, 0, time.UTC)

func openMoose(b *testing.B) *Claim {
	p, body := moose(b)
	r, err := DecodeReport(body)
	if err != nil {
		b.Fatal(err)
	}
	c, err := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, benchAt, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkEngineSettle is insurance.Settle alone on the claim's facts.
func BenchmarkEngineSettle(b *testing.B) {
	c := openMoose(b)
	ec, err := c.InsuranceClaim()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := insurance.Settle(ec, c.Language); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimSettle settles a claim in-process: the engine's settlement
// and the claim's lines, ceilings and reserves that follow from it.
func BenchmarkClaimSettle(b *testing.B) {
	c := openMoose(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Settle(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen is a whole first notice: the report decoded, the claim
// built from the policy version (the engine's decoder), settled and
// recorded.
func BenchmarkOpen(b *testing.B) {
	p, body := moose(b)
	b.ReportAllocs()
	for b.Loop() {
		r, err := DecodeReport(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, benchAt, nil); err != nil {
			b.Fatal(err)
		}
	}
}
