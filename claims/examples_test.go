package claims

import (
	"os"
	"testing"
	"time"

	"roadcover/policies"
)

// TestExamples: the sample documents are read and acted on.
func TestExamples(t *testing.T) {
	read := func(n string) []byte {
		b, err := os.ReadFile("../examples/claims/" + n)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	np, err := policies.DecodeNewPolicy(read("new-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := policies.New("P1", np, "h1", time.Date(2026, 1, 5, 13, 5, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := policies.DecodeChange(read("policy-change.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(ch, "h1", time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	r, err := DecodeReport(read("report.json"))
	if err != nil {
		t.Fatal(err)
	}
	h := Actor{ID: "h1", Role: ClaimsHandler, PaymentLimit: sek(5000000)}
	c, err := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := DecodeFactsChange(read("facts-change.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ChangeFacts(p, fc, h, time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	pr, err := DecodePaymentRequest(read("payment.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.OrderPayment(pr, h, time.Date(2026, 3, 21, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if got := c.Totals.Paid.Amount(); got != "34500.00" {
		t.Errorf("paid %s", got)
	}
}
