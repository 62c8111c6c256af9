package httpapi

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the service's Prometheus metrics, on a registry of its own so
// that several servers can live in one test process.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	decisions  *prometheus.CounterVec
	deliveries *prometheus.CounterVec

	// The children of requests and latency per route (and status), looked
	// up once: WithLabelValues hashes its labels and takes a lock on every
	// call, which the hot stateless endpoints felt.
	byRouteStatus cowMap[routeStatus, prometheus.Counter]
	byRoute       cowMap[string, prometheus.Observer]
	// decided[outcome][path]
	decided [4][2]*lazyCounter
}

type routeStatus struct {
	route  string
	status int
}

// Decision outcomes and paths, the label values of decisions.
var (
	decisionOutcomes = [4]string{"covered", "not_covered", "invalid_input", "error"}
	decisionPaths    = [2]string{"stateless", "case"}
)

const (
	outcomeCovered = iota
	outcomeNotCovered
	outcomeInvalid
	outcomeError
)

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "roadcover_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "roadcover_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "roadcover_decisions_total",
			Help: "Assistance decisions by outcome (covered, not_covered, invalid_input) and path (stateless, case).",
		}, []string{"outcome", "path"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "roadcover_webhook_deliveries_total",
			Help: "Webhook delivery attempts by result (delivered, retry, failed).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.decisions, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for o, outcome := range decisionOutcomes {
		for p, path := range decisionPaths {
			m.decided[o][p] = &lazyCounter{vec: m.decisions, labels: []string{outcome, path}}
		}
	}
	return m
}

// observe counts one answered request and its latency.
func (m *metrics) observe(route string, status int, d time.Duration) {
	m.byRouteStatus.get(routeStatus{route, status}, func() prometheus.Counter {
		return m.requests.WithLabelValues(route, strconv.Itoa(status))
	}).Inc()
	m.byRoute.get(route, func() prometheus.Observer {
		return m.latency.WithLabelValues(route)
	}).Observe(d.Seconds())
}

// decision counts one decision; path is 0 (stateless) or 1 (case).
func (m *metrics) decision(outcome, path int) { m.decided[outcome][path].Inc() }

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// lazyCounter is one child of a CounterVec, created on its first Inc so
// that an outcome never seen is not exported as a zero series.
type lazyCounter struct {
	vec    *prometheus.CounterVec
	labels []string
	c      atomic.Pointer[prometheus.Counter]
}

func (l *lazyCounter) Inc() {
	c := l.c.Load()
	if c == nil {
		n := l.vec.WithLabelValues(l.labels...)
		l.c.CompareAndSwap(nil, &n)
		c = l.c.Load()
	}
	(*c).Inc()
}

// cowMap is a copy-on-write map for a small set of keys that stops growing
// early (routes, statuses): reads take no lock.
type cowMap[K comparable, V any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[K]V]
}

func (c *cowMap[K, V]) get(k K, create func() V) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	n := make(map[K]V, 8)
	if old != nil {
		if v, ok := (*old)[k]; ok {
			return v
		}
		for k2, v2 := range *old {
			n[k2] = v2
		}
	}
	v := create()
	n[k] = v
	c.m.Store(&n)
	return v
}
