package httpapi

import (
	"bytes"
	"context"
	"encoding/hex"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/console"
	"roadcover/desk"
	"roadcover/store"
)

// The driver's side of a tracking link, beside GET /v1/track/{token}: the
// page for a browser (console.Driver), the live event stream of the view,
// the driver's choice and corrected position; and the partner's truck
// positions on its jobs.

const (
	// DefaultStreamPoll is how often an event stream reads its view when
	// nothing in this process said it changed (a change made through
	// another server).
	DefaultStreamPoll = 10 * time.Second
	// DefaultHeartbeat is how often a quiet event stream sends a comment,
	// so that proxies and phones keep the connection.
	DefaultHeartbeat = 15 * time.Second
	// MaxStreamsPerLink bounds the open event streams of one link in one
	// server (429 beyond).
	MaxStreamsPerLink = 4
	// minStreamGap is the least time between two reads of one stream's
	// view, however often it is told of changes.
	minStreamGap = 250 * time.Millisecond
)

// driverRoutes mounts the driver's and the partner's endpoints.
func (s *Server) driverRoutes(open func(string, http.Handler)) {
	open("GET /v1/track/{token}/events", http.HandlerFunc(s.trackEvents))
	open("POST /v1/track/{token}/choices", http.HandlerFunc(s.trackChoose))
	open("POST /v1/track/{token}/position", http.HandlerFunc(s.trackPosition))
	s.handle("POST /v1/jobs/{id}/positions", s.jobPosition, RoleAdmin, RolePartner)
}

// wantsHTML reports whether the request prefers HTML to JSON: text/html
// named in Accept with a weight above zero and no lower than
// application/json's.
func wantsHTML(r *http.Request) bool {
	html, json := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			html = max(html, q)
		case "application/json":
			json = max(json, q)
		}
	}
	return html > 0 && html >= json
}

// trackPage answers GET /v1/track/{token} with the driver's page: the view,
// or a page saying the link no longer works (404).
func (s *Server) trackPage(w http.ResponseWriter, r *http.Request, v *desk.DriverView, err error) {
	status := http.StatusOK
	lang := driverLang(r)
	if err != nil {
		if p := problemOf(err); p.Status != http.StatusNotFound {
			s.fail(w, r, err)
			return
		}
		status, v = http.StatusNotFound, nil
	}
	if lang == "" {
		lang = roadcover.English
	}
	s.driver.Serve(w, status, console.DriverPage{View: v, Lang: lang, Now: s.now()})
}

// driverView reads the view of a link.
func (s *Server) driverView(ctx context.Context, hash []byte, lang roadcover.Language) (desk.DriverView, error) {
	var v desk.DriverView
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		v, err = s.desk.ViewByLink(ctx, tx, hash, lang)
		return err
	})
	return v, err
}

// trackEvents is GET /v1/track/{token}/events: the driver's view as a
// stream of server-sent events. Each "view" event carries the view's JSON
// (as GET /v1/track/{token} answers it) whenever it changed; comments keep
// a quiet stream open; an "end" event closes it when the link expires or
// the case is closed. The view is read when a change in this process
// concerns the case or one of its jobs, and every StreamPoll besides.
func (s *Server) trackEvents(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	hash := authtoken.Hash(r.PathValue("token"))
	lang := driverLang(r)
	ctx := r.Context()
	v, err := s.driverView(ctx, hash, lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := hex.EncodeToString(hash)
	if !s.streams.acquire(key) {
		w.Header().Set("Retry-After", "30")
		s.fail(w, r, roadcover.Errorf(roadcover.CodeTooManyRequests,
			"this link has "+strconv.Itoa(MaxStreamsPerLink)+" open event streams; close one first"))
		return
	}
	defer s.streams.release(key)
	sub := s.changes.subscribe(v.Keys())
	defer sub.cancel()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Content-Language", string(v.Language))
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	write := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	last := v.AppendJSON(nil)
	if !write(viewEvent([]byte("retry: 3000\n"), last)) {
		return
	}
	heartbeat := time.NewTicker(s.heartbeat)
	defer heartbeat.Stop()
	poll := time.NewTicker(s.streamPoll)
	defer poll.Stop()
	expiry := time.NewTimer(v.ExpiresAt.Sub(s.now()))
	defer expiry.Stop()
	var lastRead time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-expiry.C:
			write([]byte("event: end\ndata: {\"reason\":\"expired\"}\n\n"))
			return
		case <-heartbeat.C:
			if !write([]byte(": keep-alive\n\n")) {
				return
			}
			continue
		case <-sub.ch:
			if gap := minStreamGap - time.Since(lastRead); gap > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(gap):
				}
			}
		case <-poll.C:
		}
		lastRead = time.Now()
		nv, err := s.driverView(ctx, hash, lang)
		if err != nil {
			if problemOf(err).Status == http.StatusNotFound {
				write([]byte("event: end\ndata: {\"reason\":\"ended\"}\n\n"))
				return
			}
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("track events: read the view", "err", err)
			continue
		}
		sub.watch(nv.Keys())
		b := nv.AppendJSON(nil)
		if bytes.Equal(b, last) {
			continue
		}
		last = b
		if !write(viewEvent(nil, b)) {
			return
		}
	}
}

// viewEvent appends a "view" event carrying doc (one line of JSON).
func viewEvent(b, doc []byte) []byte {
	b = append(b, "event: view\ndata: "...)
	b = append(b, doc...)
	return append(b, "\n\n"...)
}

// readOpenBody checks an open endpoint's body is JSON and reads it.
func readOpenBody(r *http.Request) ([]byte, error) {
	if err := checkMediaType(r, jsonTypes); err != nil {
		return nil, err
	}
	return readBody(r)
}

// trackChoose is POST /v1/track/{token}/choices: the driver's choice of
// further assistance (1.3), {"group": "further_assistance", "code"}.
func (s *Server) trackChoose(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	body, err := readOpenBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := desk.ReadChoice(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hash := authtoken.Hash(r.PathValue("token"))
	p := s.linkPrincipal(w, hash)
	changed := ""
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		ch, err := s.desk.ChooseByLink(ctx, tx, hash, req)
		if err != nil {
			return reply{}, err
		}
		changed = ch.Choice.CaseID
		return jsonReply(http.StatusCreated, map[string]any{"group": ch.Choice.Group, "code": ch.Choice.Code,
			"clause": ch.Clause, "at": ch.Choice.At})
	})
	if changed != "" { // after the commit (a failed one only wakes the listeners for nothing)
		s.changes.kick(changed)
	}
}

// linkPrincipal is the driver at a tracking link as the one who asks: the
// link's Idempotency-Keys are its own (a retried choice or upload from a
// phone that lost its answer gets the first answer, not a conflict).
func (s *Server) linkPrincipal(w http.ResponseWriter, linkHash []byte) principal {
	who := "link:" + hex.EncodeToString(linkHash[:8])
	info := infoOf(w)
	info.tokenID, info.role = who, desk.RoleDriver
	return principal{tok: store.Token{ID: who, Role: desk.RoleDriver}}
}

// trackPosition is POST /v1/track/{token}/position: where the driver says
// the car is, {"lat", "lon", "note"}, recorded on the case's timeline for
// the operator; the facts are not changed.
func (s *Server) trackPosition(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	body, err := readOpenBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := desk.ReadPositionCorrection(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hash := authtoken.Hash(r.PathValue("token"))
	p := s.linkPrincipal(w, hash)
	changed := ""
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		c, err := s.desk.CorrectPosition(ctx, tx, hash, req)
		if err != nil {
			if problemOf(err).Status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", strconv.Itoa(int(desk.MinCorrectionInterval/time.Second)))
			}
			return reply{}, err
		}
		changed = c.Key()
		return jsonReply(http.StatusCreated, map[string]any{"lat": c.Point.Lat, "lon": c.Point.Lon, "at": c.At})
	})
	if changed != "" {
		s.changes.kick(changed)
	}
}

// jobPosition is POST /v1/jobs/{id}/positions: where the partner's truck is
// on its own job; the last one is kept.
func (s *Server) jobPosition(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := desk.ReadPositionReport(body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var pos store.JobPosition
	err = s.st.Update(r.Context(), func(tx store.Tx) error {
		var err error
		pos, err = s.desk.ReportPosition(r.Context(), tx, p.actor(), r.PathValue("id"), rep)
		return err
	})
	if err != nil {
		if problemOf(err).Status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int((desk.MinPositionInterval+time.Second-1)/time.Second)))
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, pos)
}

// kickAfter tells the event streams of a case that it may have changed,
// after a successful change under /v1/cases/{id} or /v1/jobs/{id} (the
// streams watch their case's and jobs' ids).
func (s *Server) kickAfter(r *http.Request, status int) {
	if status < 200 || status > 299 || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return
	}
	_, path, _ := strings.Cut(r.Pattern, " ")
	if strings.HasPrefix(path, "/v1/cases/{id}") || strings.HasPrefix(path, "/v1/jobs/{id}") {
		s.changes.kick(r.PathValue("id"))
	}
}

// changes tells the event streams in this process that something they
// show may have changed: a stream watches keys (a case's and its jobs'
// ids) and is woken, without blocking the writer, when one is kicked.
type changes struct {
	mu   sync.Mutex
	subs map[string]map[*watcher]struct{}
}

type watcher struct {
	c    *changes
	ch   chan struct{}
	keys []string
}

func newChanges() *changes { return &changes{subs: map[string]map[*watcher]struct{}{}} }

func (c *changes) subscribe(keys []string) *watcher {
	w := &watcher{c: c, ch: make(chan struct{}, 1)}
	w.watch(keys)
	return w
}

// watch replaces the keys w watches.
func (w *watcher) watch(keys []string) {
	c := w.c
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range w.keys {
		delete(c.subs[k], w)
		if len(c.subs[k]) == 0 {
			delete(c.subs, k)
		}
	}
	w.keys = append(w.keys[:0], keys...)
	for _, k := range w.keys {
		if c.subs[k] == nil {
			c.subs[k] = map[*watcher]struct{}{}
		}
		c.subs[k][w] = struct{}{}
	}
}

func (w *watcher) cancel() { w.watch(nil) }

// kick wakes the watchers of key; a watcher already woken stays so once.
func (c *changes) kick(key string) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for w := range c.subs[key] {
		select {
		case w.ch <- struct{}{}:
		default:
		}
	}
}

// streamCount bounds the open event streams per link.
type streamCount struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *streamCount) acquire(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	if c.n[key] >= MaxStreamsPerLink {
		return false
	}
	c.n[key]++
	return true
}

func (c *streamCount) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[key]--; c.n[key] <= 0 {
		delete(c.n, key)
	}
}
