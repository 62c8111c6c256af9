package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"roadcover"
	"roadcover/store"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "httpapi: encode response", http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, "application/json", b)
}

// Header values shared by every response (capacity 1: an Add elsewhere
// copies instead of writing into them).
var (
	ctJSON    = []string{"application/json"}
	ctProblem = []string{"application/problem+json"}
	newline   = []byte{'\n'}
)

func writeRaw(w http.ResponseWriter, status int, contentType string, b []byte) {
	h := w.Header()
	switch contentType {
	case "application/json":
		h["Content-Type"] = ctJSON
	case "application/problem+json":
		h["Content-Type"] = ctProblem
	default:
		h.Set("Content-Type", contentType)
	}
	h["Content-Length"] = []string{strconv.Itoa(len(b) + 1)}
	if sw, ok := w.(*statusWriter); ok && sw.raw != nil && len(b) >= corkMin {
		// Headers and body overflow net/http's 4 KiB connection buffer
		// and would leave in two packets; corked, the flush sends one.
		setCork(sw.raw, true)
		defer setCork(sw.raw, false)
		w.WriteHeader(status)
		w.Write(b)
		w.Write(newline)
		http.NewResponseController(w).Flush()
		return
	}
	w.WriteHeader(status)
	w.Write(b)
	w.Write(newline)
}

// corkMin is the body size from which writeRaw corks the connection: with
// the headers it no longer fits the connection's 4 KiB write buffer.
const corkMin = 3584

func notFound(detail string) error  { return roadcover.Errorf(roadcover.CodeNotFound, detail) }
func conflict(detail string) error  { return roadcover.Errorf(roadcover.CodeConflict, detail) }
func forbidden(detail string) error { return roadcover.Errorf(roadcover.CodeForbidden, detail) }
func unavailable(detail string) error {
	return roadcover.Errorf(roadcover.CodeUnavailable, detail)
}

// invalid is a 422 naming one field.
func invalid(field, detail string) error {
	e := &roadcover.InputError{}
	e.Add(field, roadcover.CodeInvalidInput, detail)
	return e
}

// problemOf maps any error to its problem document: store errors and body
// limits to their statuses, coded errors through roadcover.Codes.
func problemOf(err error) roadcover.Problem {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		err = roadcover.Errorf(roadcover.CodeTooLarge, fmt.Sprintf("the body is over %d bytes", mbe.Limit))
	case errors.Is(err, store.ErrNotFound):
		err = roadcover.Errorf(roadcover.CodeNotFound, "not found")
	case errors.Is(err, store.ErrStale):
		err = roadcover.Errorf(roadcover.CodePrecondition, "the resource changed since it was read; fetch it again")
	case errors.Is(err, store.ErrConflict):
		err = roadcover.Errorf(roadcover.CodeConflict, "conflicts with a stored record")
	case errors.Is(err, store.ErrUnavailable):
		err = roadcover.Errorf(roadcover.CodeUnavailable, "the store cannot take this now; nothing was written; try again shortly")
	}
	return roadcover.ProblemFor(err)
}

// fail writes err as an RFC 9457 problem document.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	p.Instance = r.URL.Path
	if p.Status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		if p.Code == roadcover.CodeInternal {
			p.Detail = "internal error; see the server log"
		}
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="roadcover"`)
	}
	if p.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	b, _ := json.Marshal(p)
	writeRaw(w, p.Status, "application/problem+json", b)
}
