// Command loadgen is the desk service's load client: it sends a bounded
// number of requests (-n) for a bounded time (-d) from -c concurrent
// connections to a roadcover server on the loopback interface only, and
// prints throughput, latency percentiles and status counts.
//
//	go run ./loadgen -token $TOKEN -mode decisions -c 64 -d 10s
//	go run ./loadgen -token $TOKEN -mode cases -c 32 -d 10s
//
// -mode decisions posts one case body to /v1/assistance/decisions;
// -mode cases posts distinct cases to /v1/cases (each a durable write).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Body is the case sent; %d is replaced per request in cases mode.
const Body = `{"market": "DE", "language": "de",
  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
  "contact": {"channel": "on_call", "name": "Load %d", "phone": "+49 1"},
  "vehicle": {"registration": "M-RC %d", "model": "Polestar 2", "colour": "grey",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "warning light"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run() error {
	base := flag.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	token := flag.String("token", os.Getenv("ROADCOVER_TOKEN"), "bearer token (env ROADCOVER_TOKEN)")
	mode := flag.String("mode", "decisions", "decisions or cases")
	conc := flag.Int("c", 64, "concurrent connections")
	total := flag.Int("n", 1_000_000, "at most this many requests")
	dur := flag.Duration("d", 10*time.Second, "at most this long (at most 2m)")
	printBody := flag.Bool("print-body", false, "print the case body and exit (for wrk scripts)")
	flag.Parse()
	if *printBody {
		fmt.Printf(Body+"\n", 0, 0)
		return nil
	}

	u, err := url.Parse(*base)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("refusing to load %s: only loopback addresses", u.Host)
	}
	if *dur > 2*time.Minute || *dur <= 0 || *total <= 0 || *conc <= 0 || *conc > 1024 {
		return fmt.Errorf("bounds: -d in (0, 2m], -n > 0, -c in [1, 1024]")
	}
	path := "/v1/assistance/decisions"
	if *mode == "cases" {
		path = "/v1/cases"
	} else if *mode != "decisions" {
		return fmt.Errorf("-mode must be decisions or cases")
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var (
		next     atomic.Int64
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, 1<<16)
		statuses = map[int]int{}
		errs     atomic.Int64
		wg       sync.WaitGroup
	)
	fixed := []byte(fmt.Sprintf(Body, 0, 0))
	start := time.Now()
	for w := 0; w < *conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			localStatus := map[int]int{}
			defer func() {
				mu.Lock()
				lat = append(lat, local...)
				for k, v := range localStatus {
					statuses[k] += v
				}
				mu.Unlock()
			}()
			for ctx.Err() == nil {
				i := next.Add(1)
				if i > int64(*total) {
					return
				}
				body := fixed
				if *mode == "cases" {
					body = []byte(fmt.Sprintf(Body, i, i))
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, *base+path, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+*token)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				local = append(local, time.Since(t0))
				localStatus[res.StatusCode]++
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	var st []string
	for k, v := range statuses {
		st = append(st, fmt.Sprintf("%d:%d", k, v))
	}
	slices.Sort(st)
	fmt.Printf("mode=%s c=%d requests=%d errors=%d elapsed=%.2fs rate=%.0f/s p50=%s p90=%s p99=%s max=%s statuses=%s\n",
		*mode, *conc, len(lat), errs.Load(), elapsed.Seconds(), float64(len(lat))/elapsed.Seconds(),
		pct(.50), pct(.90), pct(.99), pct(1), strings.Join(st, ","))
	return nil
}
