//go:build unix

package roadcover

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// TestHasIsLinear adds n errors, each after asking Has for its field (as
// the engines do), for n of 10 000 and 80 000. The processor time for 8n
// may be at most 20 times that for n: linear work, with room for the
// caches of a shared machine; a Has that looks through every error grows
// 64 times.
func TestHasIsLinear(t *testing.T) {
	cpu := func() time.Duration {
		var r syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r)
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	run := func(n int) time.Duration {
		fields := make([]string, n)
		for i := range fields {
			fields[i] = fmt.Sprintf("costs.care_persons.%d.age", i)
		}
		best := time.Duration(1 << 62)
		for range 5 {
			start := cpu()
			var e InputError
			for _, f := range fields {
				if !e.Has(f) {
					e.Add(f, "", "is required")
				}
			}
			e.Err()
			if e.Total() != n {
				t.Fatalf("total %d, want %d", e.Total(), n)
			}
			best = min(best, cpu()-start)
		}
		return best
	}
	small, large := run(10000), run(80000)
	t.Logf("10 000 errors: %v, 80 000: %v", small, large)
	if large > 20*small {
		t.Fatalf("10 000 errors: %v, 80 000: %v (%.1f×)", small, large, float64(large)/float64(small))
	}
}
