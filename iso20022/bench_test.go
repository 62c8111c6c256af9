package iso20022

import (
	"fmt"
	"testing"

	"roadcover/payee"
)

// lines10k pays 10 000 payables in EUR to 1 000 payees in four SEPA
// countries.
func lines10k() []line {
	ibans := []string{"DE89370400440532013000", "PT50000201231234567890154", "SE4550000000058398257466", "FR1420041010050500013M02606"}
	out := make([]line, 10_000)
	for i := range out {
		p := payee.Payee{ID: fmt.Sprintf("drv-%04d", i%1_000), Name: fmt.Sprintf("Förare nummer %d", i%1_000),
			Account: payee.Account{Method: payee.MethodIBAN, IBAN: ibans[i%len(ibans)]}}
		out[i] = line{fmt.Sprintf("R-%05d", i), eur(int64(100 + i*13)), p, fmt.Sprintf("Case C-%d receipt %d", i/3, i%3+1)}
	}
	return out
}

// BenchmarkPain001_10000 writes a released batch of 10 000 payments as a
// pain.001 message (payee checks, grouping, XML, control sums).
func BenchmarkPain001_10000(b *testing.B) {
	_, r, payees := releasedBatch(b, "B-10K", lines10k())
	b.ReportAllocs()
	var size int
	for b.Loop() {
		doc, err := Pain001(r, payees, debtor)
		if err != nil {
			b.Fatal(err)
		}
		size = len(doc)
	}
	b.ReportMetric(float64(size), "bytes/file")
}

// A file of 10 000 payments is valid, checks out and is written the same
// way twice.
func TestPain001Of10000Payments(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: writes and validates a 7 MB file")
	}
	_, r, payees := releasedBatch(t, "B-10K", lines10k())
	doc, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Check(doc)
	if err != nil || s.Count != 10_000 {
		t.Fatalf("%+v %v", s, err)
	}
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	mustValid(t, "dk/pain.001.001.03.xsd", doc)
	again, _ := Pain001(r, payees, debtor)
	if string(again) != string(doc) {
		t.Fatal("two writes differ")
	}
}
