package claims

import (
	"encoding/json"
	"os"
	"syscall"
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

// cpuTime is the process's user and system CPU time so far. On a shared
// machine the wall time of a benchmark waits for other work; the CPU time
// per operation (reported as cpu-ns/op) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU runs f b.N times and reports the CPU time per operation.
func reportCPU(b *testing.B, f func()) {
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
	}
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
	reportCPU(b, func() {
		if _, err := insurance.Settle(ec, c.Language); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkClaimSettle settles a claim in-process: the engine's settlement
// of its facts and what the claim keeps of it.
func BenchmarkClaimSettle(b *testing.B) {
	c := openMoose(b)
	reportCPU(b, func() {
		if _, _, err := c.Settle(); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkOpen is a whole first notice: the report decoded, the claim
// built from the policy version (the engine's decoder), settled and
// recorded.
func BenchmarkOpen(b *testing.B) {
	p, body := moose(b)
	reportCPU(b, func() {
		r, err := DecodeReport(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, benchAt, nil); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkClaimOverhead is what a claim adds to the engine's settlement
// when it records one: keeping its lines, and deriving the ceilings,
// payments and reserves that follow.
func BenchmarkClaimOverhead(b *testing.B) {
	c := openMoose(b)
	ec, err := c.InsuranceClaim()
	if err != nil {
		b.Fatal(err)
	}
	s, err := insurance.Settle(ec, c.Language)
	if err != nil {
		b.Fatal(err)
	}
	reportCPU(b, func() {
		d, err := summarise(s, ec)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.LinesFor(d); err != nil {
			b.Fatal(err)
		}
	})
}
