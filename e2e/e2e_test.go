package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"roadcover/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/roadcover once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "roadcover-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "roadcover")
		out, err := exec.Command("go", "build", "-o", binPath, "roadcover/cmd/roadcover").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is one running `roadcover serve`.
type server struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs the binary in dir with args and waits until /readyz answers.
func start(t *testing.T, dir string, env []string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	s := &server{cmd: cmd, base: "http://" + addr, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	cmd.Stdout = s.stderr // the first sign-in and token (stdout) and the log (stderr), read together
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve exited: %v\n%s", err, s.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not become ready\n%s", s.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var adminLine = regexp.MustCompile(`ROADCOVER_ADMIN_TOKEN=(\S+)`)

func (s *server) adminToken(t *testing.T) string {
	t.Helper()
	m := adminLine.FindStringSubmatch(s.stderr.String())
	if m == nil {
		t.Fatalf("no admin token printed:\n%s", s.stderr.String())
	}
	return m[1]
}

var client = &http.Client{Timeout: 10 * time.Second}

func call(base, method, path, token, body string, hdr ...string) (int, []byte, http.Header, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, res.Header, err
}

func mustCall(t *testing.T, base, method, path, token, body string, want int) []byte {
	t.Helper()
	st, b, _, err := call(base, method, path, token, body)
	if err != nil || st != want {
		t.Fatalf("%s %s: %d %v: %s", method, path, st, err, b)
	}
	return b
}

const caseBody = `{"market": "DE", "language": "de",
  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
  "contact": {"channel": "on_call", "name": "Driver %d", "phone": "+49 1"},
  "vehicle": {"registration": "M-RC %d", "model": "Polestar 2", "colour": "grey",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "warning light"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

// ack is one acknowledged write.
type ack struct {
	caseID string
	kind   string // "created" or "closed"
	reason string
}

// killMidStream has clients create and close cases until the server is
// SIGKILLed, restarts it on the same store and checks every acknowledged
// case and event is there.
func killMidStream(t *testing.T, dir string, dbArgs ...string) {
	s := start(t, dir, nil, dbArgs...)
	admin := s.adminToken(t)
	var tok struct{ Token string }
	json.Unmarshal(mustCall(t, s.base, "POST", "/v1/tokens", admin, `{"role": "operator"}`, 201), &tok)

	var (
		mu   sync.Mutex
		acks []ack
		wg   sync.WaitGroup
	)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				n := w*100000 + i
				st, b, _, err := call(s.base, "POST", "/v1/cases", tok.Token, fmt.Sprintf(caseBody, n, n))
				if err != nil || st != 201 {
					return // the server is gone
				}
				var c struct{ ID string }
				json.Unmarshal(b, &c)
				mu.Lock()
				acks = append(acks, ack{caseID: c.ID, kind: "created"})
				mu.Unlock()
				reason := fmt.Sprintf("done %d", n)
				st, _, _, err = call(s.base, "POST", "/v1/cases/"+c.ID+"/close", tok.Token, `{"reason": "`+reason+`"}`)
				if err != nil || st != 200 {
					return
				}
				mu.Lock()
				acks = append(acks, ack{caseID: c.ID, kind: "closed", reason: reason})
				mu.Unlock()
			}
		}(w)
	}
	// Kill once a good number of writes were acknowledged.
	for {
		mu.Lock()
		n := len(acks)
		mu.Unlock()
		if n >= 200 || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.done
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(acks) < 50 {
		t.Fatalf("only %d writes acknowledged before the kill", len(acks))
	}

	s2 := start(t, dir, nil, dbArgs...)
	lost := 0
	for _, a := range acks {
		st, b, _, err := call(s2.base, "GET", "/v1/cases/"+a.caseID+"/events", tok.Token, "")
		if err != nil || st != 200 {
			t.Errorf("case %s acknowledged (%s) but not found after restart: %d %v", a.caseID, a.kind, st, err)
			lost++
			continue
		}
		var tl struct {
			Events []struct {
				Kind string
				Data json.RawMessage
			}
		}
		json.Unmarshal(b, &tl)
		found := false
		for _, e := range tl.Events {
			if e.Kind == a.kind && (a.reason == "" || strings.Contains(string(e.Data), a.reason)) {
				found = true
			}
		}
		if !found {
			t.Errorf("case %s: acknowledged event %s missing after restart: %s", a.caseID, a.kind, b)
			lost++
		}
	}
	t.Logf("%d acknowledged writes before SIGKILL, %d lost", len(acks), lost)
	s2.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-s2.done; err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, s2.stderr.String())
	}
}

func TestKillSQLite(t *testing.T) {
	dir := t.TempDir()
	killMidStream(t, dir, "--db", filepath.Join(dir, "desk.db"))
}

func TestKillPostgres(t *testing.T) {
	url := pgtest.URL(t)
	killMidStream(t, t.TempDir(), "--db", url)
}

// TestFirstStart: the embedded default seeds sample data and prints an
// admin token once; a second start prints none; SIGTERM stops it cleanly.
func TestFirstStart(t *testing.T) {
	dir := t.TempDir()
	env := []string{"ROADCOVER_DB=", "ROADCOVER_ADDR="}
	s := start(t, dir, env)
	admin := s.adminToken(t)
	if _, err := os.Stat(filepath.Join(dir, "roadcover.db")); err != nil {
		t.Fatalf("default store: %v", err)
	}
	b := mustCall(t, s.base, "GET", "/v1/cases", admin, "", 200)
	if !strings.Contains(string(b), "SAMPLE DATA") {
		t.Fatalf("no sample cases: %s", b)
	}
	b = mustCall(t, s.base, "GET", "/v1/partners", admin, "", 200)
	if !strings.Contains(string(b), "sample-towing") {
		t.Fatalf("no sample partner: %s", b)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-s.done; err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, s.stderr.String())
	}
	logs := s.stderr.String()
	sc := bufio.NewScanner(strings.NewReader(logs))
	jsonLines := 0
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] != nil {
			jsonLines++
		}
	}
	if jsonLines < 3 || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Fatalf("structured logs: %d JSON lines\n%s", jsonLines, logs)
	}

	s2 := start(t, dir, env)
	if adminLine.MatchString(s2.stderr.String()) {
		t.Fatalf("a second admin token was printed")
	}
	b = mustCall(t, s2.base, "GET", "/v1/cases", admin, "", 200)
	var list struct{ Cases []any }
	json.Unmarshal(b, &list)
	if len(list.Cases) != 3 {
		t.Fatalf("want the 3 sample cases once, got %d", len(list.Cases))
	}
}

// TestGracefulShutdown: a request still being sent when SIGTERM arrives is
// finished and answered; the server then exits 0 and the case is stored.
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, nil, "--db", filepath.Join(dir, "desk.db"))
	admin := s.adminToken(t)
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", s.base+"/v1/cases", pr)
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	body := fmt.Sprintf(caseBody, 1, 1)
	type result struct {
		status int
		body   []byte
		err    error
	}
	res := make(chan result, 1)
	go func() {
		r, err := client.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		res <- result{status: r.StatusCode, body: b}
	}()
	pw.Write([]byte(body[:20]))
	time.Sleep(300 * time.Millisecond) // the request is in flight
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	pw.Write([]byte(body[20:]))
	pw.Close()
	r := <-res
	if r.err != nil || r.status != 201 {
		t.Fatalf("in-flight request: %d %v %s", r.status, r.err, r.body)
	}
	if err := <-s.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.stderr.String())
	}
	var c struct{ ID string }
	json.Unmarshal(r.body, &c)
	s2 := start(t, dir, nil, "--db", filepath.Join(dir, "desk.db"))
	mustCall(t, s2.base, "GET", "/v1/cases/"+c.ID, admin, "", 200)
}
