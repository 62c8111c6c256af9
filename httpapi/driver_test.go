package httpapi

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/store"
)

// stream is an open event stream of a link.
type stream struct {
	status int
	lines  chan string
	cancel context.CancelFunc
}

func openStream(t *testing.T, e *env, link string, hdr ...string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", e.ts.URL+"/v1/track/"+link+"/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &stream{status: res.StatusCode, lines: make(chan string, 256), cancel: cancel}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		close(s.lines)
		return s
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("event stream's Content-Type %q", ct)
	}
	go func() {
		defer res.Body.Close()
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	return s
}

// event waits for the next event of kind (a "view" or "end"), returning its
// data; comments and other lines are collected in seen.
func (s *stream) event(t *testing.T, kind string, within time.Duration, seen *[]string) string {
	t.Helper()
	deadline := time.After(within)
	current := ""
	for {
		select {
		case l, ok := <-s.lines:
			if !ok {
				t.Fatalf("the stream ended before a %q event", kind)
			}
			if seen != nil {
				*seen = append(*seen, l)
			}
			switch {
			case strings.HasPrefix(l, "event: "):
				current = strings.TrimPrefix(l, "event: ")
			case strings.HasPrefix(l, "data: ") && current == kind:
				return strings.TrimPrefix(l, "data: ")
			}
		case <-deadline:
			t.Fatalf("no %q event within %s", kind, within)
		}
	}
}

// openStreams opens n event streams of a link, each up to its first event,
// and gives their statuses; they stay open until the test ends.
func openStreams(t *testing.T, e *env, link string, n int) []int {
	t.Helper()
	var codes []int
	for range n {
		s := openStream(t, e, link)
		if s.status == http.StatusOK {
			s.event(t, "view", 5*time.Second, nil)
		}
		codes = append(codes, s.status)
	}
	return codes
}

func linkOf(t *testing.T, e *env, caseID string) string {
	t.Helper()
	return e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
}

// TestTrackEvents: the stream carries the view first, then each change made
// through the API (a job's move, a truck's position, a choice) at once,
// a change made past this server within the slow poll, comments while
// quiet, and an end when the case is closed; the view carries no id.
func TestTrackEvents(t *testing.T) {
	e := newEnv(t)
	e.srv.heartbeat = 50 * time.Millisecond
	e.srv.streamPoll = 300 * time.Millisecond
	caseID, _, c := e.createCase(sampleCase)
	link := linkOf(t, e, caseID)
	jobID := e.do("POST", "/v1/cases/"+caseID+"/jobs", RoleOperator, `{"kind": "tow", "partner": "p1"}`).json(t)["id"].(string)
	s := openStream(t, e, link, "Accept-Language", "de")
	var first map[string]any
	if err := json.Unmarshal([]byte(s.event(t, "view", 5*time.Second, nil)), &first); err != nil || first["language"] != "de" {
		t.Fatalf("first view %v, %v", first, err)
	}

	e.wantStatus(e.do("PATCH", "/v1/jobs/"+jobID, RolePartner, `{"status": "EN_ROUTE", "eta": "2026-07-01T11:00:00Z"}`), 200, "en route")
	v := s.event(t, "view", 2*time.Second, nil)
	if !strings.Contains(v, `"status":"EN_ROUTE"`) || !strings.Contains(v, `"en_route_at"`) {
		t.Fatalf("view after the move: %s", v)
	}
	e.wantStatus(e.do("POST", "/v1/jobs/"+jobID+"/positions", RolePartner, `{"lat": 46.61, "lon": 11.42}`), 201, "position")
	v = s.event(t, "view", 2*time.Second, nil)
	if !strings.Contains(v, `"position":{"lat":46.61,"lon":11.42`) {
		t.Fatalf("view after the position: %s", v)
	}
	for _, id := range []string{caseID, jobID, "p1"} {
		if strings.Contains(v, `"`+id+`"`) {
			t.Errorf("the stream shows %q: %s", id, v)
		}
	}
	fa := offered(c, "further_assistance")
	e.wantStatus(e.do("POST", "/v1/track/"+link+"/choices", "", `{"group": "further_assistance", "code": "`+fa[0]+`"}`), 201, "driver's choice")
	if v = s.event(t, "view", 2*time.Second, nil); !strings.Contains(v, `"code":"`+fa[0]+`"`) {
		t.Fatalf("view after the choice: %s", v)
	}

	// A change this server did not make: seen by the slow poll.
	err := e.st.Update(context.Background(), func(tx store.Tx) error {
		_, err := e.srv.Desk().MoveJob(context.Background(), tx, desk.Actor{Role: RolePartner, Partner: "p1"}, jobID, 0, desk.JobMove{Status: desk.JobArrived})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	if v = s.event(t, "view", 3*time.Second, &seen); !strings.Contains(v, `"status":"ARRIVED"`) {
		t.Fatalf("view after a move elsewhere: %s", v)
	}
	time.Sleep(150 * time.Millisecond)
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/close", RoleOperator, `{"reason": "done"}`), 200, "close")
	if d := s.event(t, "end", 2*time.Second, &seen); !strings.Contains(d, "ended") {
		t.Fatalf("end event %s", d)
	}
	if !strings.Contains(strings.Join(seen, "\n"), ": keep-alive") {
		t.Errorf("no keep-alive comment while quiet: %q", seen)
	}
	select {
	case _, open := <-s.lines:
		for open {
			_, open = <-s.lines
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the stream stays open after its end event")
	}
	if r := openStream(t, e, link); r.status != http.StatusNotFound {
		t.Fatalf("a stream of a closed case's link: %d", r.status)
	}
}

// TestTrackPage: a browser gets the driver's page, an API client the JSON;
// a link that no longer works is a page saying so, with 404.
func TestTrackPage(t *testing.T) {
	e := newEnv(t)
	caseID, _, _ := e.createCase(sampleCase)
	link := linkOf(t, e, caseID)
	get := func(path, accept, lang string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	browser := "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
	for _, x := range []struct {
		accept, lang, wantType, wantText string
	}{
		{browser, "da-DK,da;q=0.9", "text/html", `<html lang="da">`},
		{browser, "pt-PT", "text/html", `<html lang="pt-PT">`},
		{"", "", "application/json", `"status":"open"`},
		{"*/*", "", "application/json", `"status":"open"`},
		{"application/json", "", "application/json", `"status":"open"`},
		{"application/json, text/html;q=0.5", "", "application/json", `"status":"open"`},
		{"text/html;q=0.9, application/json;q=0.5", "sv", "text/html", "Din vägassistans"},
	} {
		res, body := get("/v1/track/"+link, x.accept, x.lang)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), x.wantType) || !strings.Contains(body, x.wantText) {
			t.Errorf("Accept %q, Accept-Language %q: %d %s: %.300s", x.accept, x.lang, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		if x.wantType == "text/html" {
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("page without a Content-Security-Policy: %q", csp)
			}
			if strings.Contains(body, caseID) {
				t.Errorf("the page shows the case id")
			}
			if !strings.Contains(body, `href="tel:&#43;440000000000"`) { // "+" as html/template writes it in an attribute
				t.Errorf("the page lacks the desk's sample number")
			}
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept") {
			t.Errorf("no Vary: Accept")
		}
	}
	res, body := get("/v1/track/rct_nothing", browser, "de")
	if res.StatusCode != 404 || !strings.Contains(body, "Dieser Link funktioniert nicht mehr") {
		t.Errorf("page of an unknown link: %d %.300s", res.StatusCode, body)
	}
	res, body = get("/v1/track/rct_nothing", "application/json", "")
	if res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("JSON of an unknown link: %d %s", res.StatusCode, body)
	}
}

// TestWantsHTML: HTML only when asked for before JSON.
func TestWantsHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		"": false, "*/*": false, "text/html": true, "application/xhtml+xml": true, "text/html;q=0": false,
		"application/json;q=1, text/html;q=0.9": false, "text/html, application/json": true, "text/*": false,
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Accept", accept)
		if got := wantsHTML(r); got != want {
			t.Errorf("Accept %q: HTML %v, want %v", accept, got, want)
		}
	}
}

// TestDriverRetries: a driver's choice and position sent again with the
// same Idempotency-Key (the phone lost the first answer) get the first
// answer, not a conflict, and change nothing more; the key's record keeps
// the link's path without its token.
func TestDriverRetries(t *testing.T) {
	e := newEnv(t)
	caseID, _, c := e.createCase(sampleCase)
	link := linkOf(t, e, caseID)
	fa := offered(c, "further_assistance")
	choice := `{"group": "further_assistance", "code": "` + fa[0] + `"}`
	first := e.do("POST", "/v1/track/"+link+"/choices", "", choice, "Idempotency-Key", "choice-1")
	e.wantStatus(first, 201, "the driver's choice")
	again := e.do("POST", "/v1/track/"+link+"/choices", "", choice, "Idempotency-Key", "choice-1")
	e.wantStatus(again, 201, "the same choice again, same key")
	if again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(first.body) {
		t.Errorf("the retry is not the first answer: %s vs %s", again.body, first.body)
	}
	e.wantStatus(e.do("POST", "/v1/track/"+link+"/choices", "", choice, "Idempotency-Key", "choice-2"), 409, "the same group again with a new key")
	e.wantStatus(e.do("POST", "/v1/track/"+link+"/choices", "", `{"group": "further_assistance", "code": "x"}`, "Idempotency-Key", "choice-1"), 422, "another body under the first key")

	pos := `{"lat": 47.27, "lon": 11.40, "note": "by the exit"}`
	p1 := e.do("POST", "/v1/track/"+link+"/position", "", pos, "Idempotency-Key", "pos-1")
	e.wantStatus(p1, 201, "position")
	p2 := e.do("POST", "/v1/track/"+link+"/position", "", pos, "Idempotency-Key", "pos-1")
	e.wantStatus(p2, 201, "the same position again, same key (inside the correction interval)")
	if p2.header.Get("Idempotent-Replayed") != "true" {
		t.Error("the position's retry was not answered from its record")
	}

	events := e.do("GET", "/v1/cases/"+caseID+"/events", RoleOperator, "").json(t)["events"].([]any)
	n := map[string]int{}
	for _, ev := range events {
		n[ev.(map[string]any)["kind"].(string)]++
	}
	if n["choice_made"] != 1 || n["driver_position_reported"] != 1 {
		t.Errorf("events after retries: %v", n)
	}

	hash := authtoken.Hash(link)
	who := "link:" + hex.EncodeToString(hash[:8])
	err := e.st.View(context.Background(), func(tx store.Tx) error {
		for _, key := range []string{"choice-1", "pos-1"} {
			rec, err := tx.GetIdempotency(context.Background(), who, key)
			if err != nil {
				return err
			}
			if strings.Contains(rec.Path, link) || !strings.HasPrefix(rec.Path, "/v1/track/{token}/") {
				t.Errorf("the record of %s keeps the path %q", key, rec.Path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
