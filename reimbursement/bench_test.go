package reimbursement

import (
	"syscall"
	"testing"
	"time"

	"roadcover"
)

// cpuTime is the CPU time the process has used. On a machine shared with
// other work the wall time of a benchmark includes waiting for a core; the
// CPU time per operation (reported as cpu-ns/op) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs f b.N times and reports the CPU time per operation.
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		f()
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkCheck is the check of one receipt in-process: a hotel receipt in
// DKK for a VAT-registered Danish customer (standard rate, conversion at
// the rate of the day, the night and person limits) with three receipts of
// the case checked before it.
func BenchmarkCheck(b *testing.B) {
	f, env := propFacts(b, "dk-far", map[string]string{"further_assistance": "hotel"}, true)
	for i, n := range []int{1, 2, 3} {
		r := Receipt{ID: string(rune('a' + i)), Category: Hotel, Amount: roadcover.Money{Minor: 150000, Currency: "DKK"},
			Date: july(n + 1), Merchant: "Hotel", Persons: 2, Nights: 1, ServiceFrom: july(n), ArrangedByAssistance: true}
		f.Earlier = append(f.Earlier, must(b)(Check(r, f, env)))
	}
	r := Receipt{ID: "z", Category: Hotel, Amount: roadcover.Money{Minor: 480000, Currency: "DKK"}, Date: july(7),
		Merchant: "Hotel Royal", Persons: 3, Nights: 2, ServiceFrom: july(4), ArrangedByAssistance: true}
	loop(b, func() {
		if _, err := Check(r, f, env); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCheckEUR is the check of a hotel receipt in the limit's own
// currency (no conversion, no VAT) after three receipts of the case.
func BenchmarkCheckEUR(b *testing.B) {
	f, env := propFacts(b, "de-home", map[string]string{"further_assistance": "hotel"}, false)
	for i, n := range []int{1, 2, 3} {
		r := Receipt{ID: string(rune('a' + i)), Category: Hotel, Amount: roadcover.Money{Minor: 20000, Currency: "EUR"},
			Date: july(n + 1), Merchant: "Hotel", Persons: 2, Nights: 1, ServiceFrom: july(n), ArrangedByAssistance: true}
		f.Earlier = append(f.Earlier, must(b)(Check(r, f, env)))
	}
	r := Receipt{ID: "z", Category: Hotel, Amount: roadcover.Money{Minor: 64000, Currency: "EUR"}, Date: july(7),
		Merchant: "Hotel Adlon", Persons: 3, Nights: 2, ServiceFrom: july(4), ArrangedByAssistance: true}
	loop(b, func() {
		if _, err := Check(r, f, env); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCheckJSON is the same check from the receipt's JSON to the
// line's JSON.
func BenchmarkCheckJSON(b *testing.B) {
	f, env := propFacts(b, "dk-far", map[string]string{"further_assistance": "hotel"}, true)
	body := []byte(`{"category":"hotel","amount":"4800.00","currency":"DKK","date":"2026-07-07","merchant":"Hotel Royal",` +
		`"persons":3,"nights":2,"service_from":"2026-07-04","arranged_by_assistance":true}`)
	buf := make([]byte, 0, 4096)
	loop(b, func() {
		r, err := DecodeReceipt(body)
		if err != nil {
			b.Fatal(err)
		}
		l, err := Check(r, f, env)
		if err != nil {
			b.Fatal(err)
		}
		buf = l.AppendJSON(buf[:0])
	})
}

func must(b *testing.B) func(Line, error) Line {
	return func(l Line, err error) Line {
		if err != nil {
			b.Fatal(err)
		}
		return l
	}
}
