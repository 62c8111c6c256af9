package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"roadcover/internal/pgtest"
	"roadcover/postgres"
	"roadcover/store"
)

// deliveryLog reads GET /v1/jobs/{id}/deliveries.
func (e *env) deliveryLog(jobID string) []struct {
	ID        int64
	Event     string
	Status    string
	Attempts  int
	LastError string `json:"last_error"`
} {
	e.t.Helper()
	r := e.do("GET", "/v1/jobs/"+jobID+"/deliveries", RoleOperator, "")
	e.wantStatus(r, http.StatusOK, "delivery log")
	var dl struct {
		Deliveries []struct {
			ID        int64
			Event     string
			Status    string
			Attempts  int
			LastError string `json:"last_error"`
		}
	}
	if err := json.Unmarshal(r.body, &dl); err != nil {
		e.t.Fatal(err)
	}
	return dl.Deliveries
}

// TestWebhooksSignedAndRetried: the job's creation and its move are each
// delivered, signed, after failed attempts that carry the same delivery id,
// by the background workers (River), and the log shows every attempt.
func TestWebhooksSignedAndRetried(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { webhooksRetried(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { webhooksRetried(t, newEnvOn(t, openPostgres(t))) })
}

func webhooksRetried(t *testing.T, e *env) {
	e.hooks.fail = 2
	id, _, _ := e.createCase(sampleCase)
	j := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`)
	jid := j.json(t)["id"].(string)
	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jid, RolePartner, `{"status": "EN_ROUTE"}`), http.StatusOK, "move")
	e.startJobs()
	deadline := time.Now().Add(20 * time.Second)
	for {
		log := e.deliveryLog(jid)
		if len(log) == 2 && log[0].Status == "delivered" && log[1].Status == "delivered" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery log after 20 s: %+v", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.hooks.mu.Lock()
	defer e.hooks.mu.Unlock()
	var events []string
	for i, h := range e.hooks.got {
		sig := h.Get(SignatureHeader)
		var ts, v1 string
		for _, part := range strings.Split(sig, ",") {
			k, v, _ := strings.Cut(part, "=")
			if k == "t" {
				ts = v
			} else if k == "v1" {
				v1 = v
			}
		}
		mac := hmac.New(sha256.New, []byte(e.secrets["p1"]))
		mac.Write([]byte(ts + "." + string(e.hooks.bodies[i])))
		if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1)) {
			t.Fatalf("delivery %d: bad signature %q", i, sig)
		}
		var body struct {
			Event string
			Job   struct{ ID string }
		}
		json.Unmarshal(e.hooks.bodies[i], &body)
		if body.Event != h.Get("Roadcover-Event") || body.Job.ID != jid || h.Get("Content-Type") != "application/json" {
			t.Fatalf("delivery %d: %s with headers %v", i, e.hooks.bodies[i], h)
		}
		events = append(events, body.Event)
	}
	slices.Sort(events)
	if !slices.Equal(events, []string{"job.created", "job.updated"}) {
		t.Fatalf("events delivered: %v", events)
	}
	// Every attempt names its delivery; the log counts them.
	tries := map[string]int{}
	for _, h := range e.hooks.attempts {
		tries[h.Get("Roadcover-Delivery")]++
	}
	log := e.deliveryLog(jid)
	total := 0
	for _, d := range log {
		n := tries[strconv.FormatInt(d.ID, 10)]
		if d.Attempts != n || d.LastError != "" {
			t.Errorf("delivery %d: the log says %d attempts, the partner saw %d (%+v)", d.ID, d.Attempts, n, d)
		}
		total += d.Attempts
	}
	if total != 4 || len(tries) != 2 {
		t.Fatalf("attempts %v; log %+v", tries, log)
	}
}

// TestWebhookGivesUp: a partner that never takes a delivery gets
// WebhookMaxAttempts attempts, then the delivery is failed and left.
func TestWebhookGivesUp(t *testing.T) {
	e := newEnv(t)
	e.srv.hooks.maxGap = 20 * time.Millisecond
	e.hooks.fail = 1000
	id, _, _ := e.createCase(sampleCase)
	jid := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`).json(t)["id"].(string)
	e.startJobs()
	deadline := time.Now().Add(30 * time.Second)
	for {
		log := e.deliveryLog(jid)
		if len(log) == 1 && log[0].Status == "failed" {
			if log[0].Attempts != WebhookMaxAttempts || !strings.Contains(log[0].LastError, "500") {
				t.Fatalf("given up as %+v", log[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery log after 30 s: %+v", log)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	e.hooks.mu.Lock()
	defer e.hooks.mu.Unlock()
	if len(e.hooks.attempts) != WebhookMaxAttempts {
		t.Fatalf("%d attempts, want %d", len(e.hooks.attempts), WebhookMaxAttempts)
	}
}

// countingTransport counts the requests a server's webhook client sends.
type countingTransport struct {
	n atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestWebhooksSharedByTwoServers: two servers on one PostgreSQL database
// work the deliveries together; each is sent exactly once.
func TestWebhooksSharedByTwoServers(t *testing.T) {
	url := pgtest.URL(t)
	open := func() store.Store {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	e := newEnvOn(t, open())
	var one, two countingTransport
	e.srv.hooks.client = &http.Client{Transport: &one, Timeout: 10 * time.Second}
	other := New(Config{Store: open(), Now: e.clock, WebhookClient: &http.Client{Transport: &two, Timeout: 10 * time.Second},
		JobPollInterval: 20 * time.Millisecond})
	r2, err := other.StartJobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r2.Stop(context.Background()) })
	e.startJobs()
	id, _, _ := e.createCase(sampleCase)
	const n = 40
	for i := 0; i < n; i++ {
		e.wantStatus(e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`), http.StatusCreated, "job")
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		e.hooks.mu.Lock()
		got := len(e.hooks.got)
		e.hooks.mu.Unlock()
		if got >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d deliveries after 30 s", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	e.hooks.mu.Lock()
	defer e.hooks.mu.Unlock()
	seen := map[string]int{}
	for _, h := range e.hooks.got {
		seen[h.Get("Roadcover-Delivery")]++
	}
	if len(seen) != n || len(e.hooks.attempts) != n {
		t.Fatalf("%d deliveries, %d distinct, %d attempts", len(e.hooks.got), len(seen), len(e.hooks.attempts))
	}
	t.Logf("%d deliveries: %d sent by the first server, %d by the second", n, one.n.Load(), two.n.Load())
	if one.n.Load()+two.n.Load() != n {
		t.Fatalf("sent %d + %d", one.n.Load(), two.n.Load())
	}
}
