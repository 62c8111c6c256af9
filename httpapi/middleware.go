package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"roadcover/authtoken"
	"roadcover/claimsdesk"
	"roadcover/desk"
)

// statusWriter records what the handler answered; it also carries what the
// handlers learn about the caller back to the log line (reqInfo), so that a
// request needs no context value and no copy of the *http.Request.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
	info   reqInfo
	raw    syscall.RawConn // the TCP connection, when HTTPServer serves it
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware limits bodies, recovers panics, counts and logs every request.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		if corkSupported {
			sw.raw, _ = r.Context().Value(rawConnKey{}).(syscall.RawConn)
		}
		limit := s.bodyLimit(r)
		if r.ContentLength > limit {
			s.fail(sw, r, &http.MaxBytesError{Limit: limit})
		} else if err := checkEdge(r); err != nil {
			s.fail(sw, r, err)
		} else {
			r.Body = http.MaxBytesReader(sw, r.Body, limit)
			s.serveRecovering(next, sw, r)
			s.kickAfter(r, sw.status)
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" || route == "/" {
			route = "unmatched"
		}
		d := time.Since(start)
		s.metrics.observe(route, sw.status, d)
		if level := levelFor(sw.status); s.log.Handler().Enabled(r.Context(), level) {
			s.log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method), slog.String("path", loggedPath(r)), slog.String("route", route),
				slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.String("remote", r.RemoteAddr), slog.String("token_id", sw.info.tokenID),
				slog.String("role", sw.info.role))
		}
	})
}

// serveRecovering runs next, turning a panic into a logged 500 (unless the
// answer has begun).
func (s *Server) serveRecovering(next http.Handler, sw *statusWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "method", r.Method, "path", loggedPath(r), "panic", v, "stack", string(debug.Stack()))
			if sw.status == 0 {
				s.fail(sw, r, errInternal)
			}
		}
	}()
	next.ServeHTTP(sw, r)
}

var errInternal = errors.New("httpapi: handler panicked")

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// reqInfo carries what the handlers learn back to the middleware's log line.
type reqInfo struct {
	tokenID, role string
}

// infoOf is the request's reqInfo when w is the middleware's writer, else a
// throwaway one (a handler served without the middleware).
func infoOf(w http.ResponseWriter) *reqInfo {
	if sw, ok := w.(*statusWriter); ok {
		return &sw.info
	}
	return &reqInfo{}
}

// loggedPath is the request's path with any secret in it left out, whether
// or not the request reached a route: the segment after a link's prefix
// (track, policy-links, claim-links) and any segment that starts like one
// of the service's secrets. Secrets never reach the log.
func loggedPath(r *http.Request) string {
	p := r.URL.Path
	if !strings.Contains(p, "track/") && !strings.Contains(p, "-links/") && !strings.Contains(p, "/rc") {
		return p
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		if seg == "" {
			continue
		}
		if i > 0 && linkSegments[segs[i-1]] || secretLike(seg) {
			segs[i] = "[token]"
		}
	}
	return strings.Join(segs, "/")
}

// linkSegments are the path segments whose next segment is a link's token.
var linkSegments = map[string]bool{"track": true, "policy-links": true, "claim-links": true}

// secretLike reports whether a path segment starts like a secret the
// service hands out: an API token, a tracking or claim link's token, a
// session, a webhook secret. (A policy link's token shares rcp_ with the
// receipts' ids; it is left out after policy-links/.)
func secretLike(seg string) bool {
	for _, p := range secretPrefixes {
		if strings.HasPrefix(seg, p) {
			return true
		}
	}
	return false
}

var secretPrefixes = []string{desk.TokenPrefix, desk.TrackingPrefix, claimsdesk.ClaimLinkPrefix, authtoken.SessionPrefix, desk.WebhookPrefix}

// bodyLimit is the largest body r's route reads: MaxBody, or the route's
// own (bodyLimits: receipt uploads).
func (s *Server) bodyLimit(r *http.Request) int64 {
	if len(s.bodyLimits) == 0 || r.Method != http.MethodPost {
		return MaxBody
	}
	last := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if !s.bodyLimitTails[last] {
		return MaxBody
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		if n, ok := s.bodyLimits[pattern]; ok {
			return n
		}
	}
	return MaxBody
}
