//go:build unix

package jsonin_test

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"roadcover"
	"roadcover/jsonin"
)

// cpuTime is the processor time this process has used; unlike the time on
// the clock it does not grow when other programs hold the processor.
func cpuTime() time.Duration {
	var r syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r)
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// cost returns the processor time of one reading of body (the least of
// three averages over readings that take at least 20 ms together) and the
// bytes one reading allocates.
func cost(body []byte, read func([]byte) *roadcover.InputError) (time.Duration, uint64) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := cpuTime()
	read(body)
	once := cpuTime() - start
	runtime.ReadMemStats(&m1)
	runs := int(20*time.Millisecond/max(once, time.Microsecond)) + 1
	best := time.Duration(1 << 62)
	for range 3 {
		runtime.GC()
		start := cpuTime()
		for range runs {
			read(body)
		}
		best = min(best, (cpuTime()-start)/time.Duration(runs))
	}
	return best, m1.TotalAlloc - m0.TotalAlloc
}

// wideBody is one object of n members, each read by its name, and as many
// members nobody reads.
func wideBody(n int) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"known_%d":"%d","other_%d":[1,{"x":"y"}]`, i, i, i)
	}
	b.WriteString("}")
	return []byte(b.String())
}

func readWide(n int) func([]byte) *roadcover.InputError {
	return func(data []byte) *roadcover.InputError {
		errs := &roadcover.InputError{}
		o := jsonin.Parse(data, errs)
		for i := 0; i < n; i++ {
			o.Int(fmt.Sprintf("known_%d", i)) // a string: an error each
		}
		o.Done() // the others: unknown, an error each
		return errs
	}
}

// TestReadingIsLinear reads bodies of 100, 200, 400 and 800 KB of several
// shapes. The memory for 800 KB may be at most 12 times that for 100 KB,
// and the processor time at most 20 times: linear work with room for the
// caches of a shared machine (an 800 KB body does not fit where a 100 KB
// one does). A reading that parses each nested object again grows about
// 20 times in memory and 40 in time here; a Has that looks through every
// error makes the track grow over 50 times in time.
func TestReadingIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("measures readings of up to 800 KB")
	}
	shapes := []struct {
		name string
		body func(kb int) []byte
		read func(kb int) func([]byte) *roadcover.InputError
	}{
		{"track points with bad coordinates", func(kb int) []byte { return trackBody(kb * 1024 / 11) },
			func(int) func([]byte) *roadcover.InputError { return readTrack }},
		{"objects nested as deep as the body is large", func(kb int) []byte { return nestedBody(kb*1024/(270*49), 270) },
			func(int) func([]byte) *roadcover.InputError {
				return func(b []byte) *roadcover.InputError { return readNested(b, 270) }
			}},
		{"one wide object", func(kb int) []byte { return wideBody(kb * 1024 / 50) },
			func(kb int) func([]byte) *roadcover.InputError { return readWide(kb * 1024 / 50) }},
	}
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			var times []time.Duration
			var mem []uint64
			var size []int
			for _, kb := range []int{100, 200, 400, 800} {
				body := s.body(kb)
				d, m := cost(body, s.read(kb))
				times, mem, size = append(times, d), append(mem, m), append(size, len(body))
				t.Logf("%4d KB (%7d bytes): %v, %d bytes allocated", kb, len(body), d, m)
			}
			// Growth for 8 times the body, whatever the exact sizes.
			scale := 8 * float64(size[0]) / float64(size[3])
			if r := scale * float64(mem[3]) / float64(mem[0]); r > 12 {
				t.Errorf("memory grows %.1f× for 8× the body", r)
			}
			if r := scale * float64(times[3]) / float64(times[0]); r > 20 {
				t.Errorf("time grows %.1f× for 8× the body", r)
			}
		})
	}
}

// TestBigBodyGivesSmallProblem reads a 1 MiB body of bad fields: at most
// MaxFieldErrors are listed, all are counted, and the problem document
// stays under 64 KB.
func TestBigBodyGivesSmallProblem(t *testing.T) {
	long := strings.Repeat("x", 2000)
	var b strings.Builder
	b.WriteString(`{"kind":"` + long + `"`)
	n := 1
	for i := 0; b.Len() < 1<<20-100; i++ {
		fmt.Fprintf(&b, `,"unknown_%d_%s":%d`, i, long[:i%300], i)
		n++
	}
	b.WriteString("}")
	errs := &roadcover.InputError{}
	o := jsonin.Parse([]byte(b.String()), errs)
	o.Enum("kind", "breakdown", "accident")
	o.Done()
	err := errs.Err()
	p := roadcover.ProblemFor(err)
	doc, _ := jsonMarshal(p)
	if len(p.Errors) != roadcover.MaxFieldErrors || p.ErrorsTotal != n || len(doc) > 64<<10 {
		t.Fatalf("%d listed of %d (want %d), problem document %d bytes", len(p.Errors), p.ErrorsTotal, n, len(doc))
	}
	t.Logf("%d bad fields in %d bytes: problem document of %d bytes", n, b.Len(), len(doc))
}
