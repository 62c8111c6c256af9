package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"roadcover"
	"roadcover/store"
)

// IdempotencyTTL is how long Idempotency-Key records are kept at least.
const IdempotencyTTL = 48 * 3600 // seconds

// reply is a successful answer, kept as the first answer of an idempotent
// POST.
type reply struct {
	status int
	header map[string]string // Location, ETag
	body   []byte            // JSON
	// kept is what the idempotency record keeps when the body holds a
	// secret shown once (a token, a webhook key): the body without it;
	// keptHeader likewise the headers (a Location naming a link's token).
	kept       []byte
	keptHeader map[string]string
}

// withSecret marks a reply whose body shows a secret once: the record of
// an Idempotency-Key keeps the body with the secret field emptied and
// "secret_shown_once": true, and a repeat answers that.
func withSecret(rp reply, field string) reply {
	var m map[string]any
	if err := json.Unmarshal(rp.body, &m); err != nil {
		return reply{status: http.StatusInternalServerError}
	}
	m[field] = ""
	m["secret_shown_once"] = true
	rp.kept, _ = json.Marshal(m)
	return rp
}

// withLinkShownOnce marks a reply whose body shows a link once, in the
// object at the members at (none: the body itself): the record of an
// Idempotency-Key keeps the link's token and url emptied, its headers
// without Location, and "secret_shown_once": true; a repeat answers that.
func withLinkShownOnce(rp reply, at ...string) reply {
	dec := json.NewDecoder(bytes.NewReader(rp.body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return reply{status: http.StatusInternalServerError}
	}
	link := m
	for _, k := range at {
		if link, _ = link[k].(map[string]any); link == nil {
			return reply{status: http.StatusInternalServerError}
		}
	}
	link["token"], link["url"] = "", ""
	m["secret_shown_once"] = true
	rp.kept, _ = json.Marshal(m)
	rp.keptHeader = map[string]string{}
	for k, v := range rp.header {
		if k != "Location" {
			rp.keptHeader[k] = v
		}
	}
	return rp
}

func jsonReply(status int, v any) (reply, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return reply{}, fmt.Errorf("httpapi: encode reply: %w", err)
	}
	return reply{status: status, body: b}, nil
}

func (rp reply) write(w http.ResponseWriter) {
	for k, v := range rp.header {
		w.Header().Set(k, v)
	}
	writeRaw(w, rp.status, "application/json", rp.body)
}

// readBody reads the whole (size-limited) request body, into a buffer of
// the announced length when there is one (io.ReadAll would grow its way
// there from 512 bytes).
func readBody(r *http.Request) ([]byte, error) {
	size := 512
	if n := r.ContentLength; n >= 0 && n < MaxBody {
		size = int(n) + 1 // room to see the end without growing
	}
	b := make([]byte, 0, size)
	for {
		n, err := r.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, checkBodyText(b)
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			if isTimeout(err) {
				return nil, roadcover.Errorf(roadcover.CodeRequestTimeout, "the body did not arrive in time")
			}
			return nil, invalid("body", "the body could not be read in full")
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// errKeyRace marks a lost race for the same Idempotency-Key.
type errKeyRace struct{ err error }

func (e errKeyRace) Error() string {
	return "httpapi: idempotency key taken meanwhile: " + e.err.Error()
}
func (e errKeyRace) Unwrap() error { return e.err }

func bodyHash(r *http.Request, body []byte) []byte {
	h := newBodyHash(r)
	h.Write(body)
	return h.Sum(nil)
}

// newBodyHash starts bodyHash: the method and path, then the body as read.
func newBodyHash(r *http.Request) hash.Hash {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	return h
}

// commit runs fn in one store transaction and answers its reply only after
// the commit. With an Idempotency-Key the reply is stored in the same
// transaction; a repeat with the same body gets the first reply and changes
// nothing, a repeat with another body gets 422.
func (s *Server) commit(w http.ResponseWriter, r *http.Request, p principal, body []byte,
	fn func(ctx context.Context, tx store.Tx) (reply, error)) {
	s.commitHashed(w, r, p, func() []byte { return bodyHash(r, body) }, fn)
}

// commitHashed is commit for a body hashed as it was read (a multipart
// upload): hash gives bodyHash's value.
func (s *Server) commitHashed(w http.ResponseWriter, r *http.Request, p principal, hash func() []byte,
	fn func(ctx context.Context, tx store.Tx) (reply, error)) {
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	if r.Method != http.MethodPost {
		key = "" // PATCH is guarded by If-Match instead
	}
	if key == "" {
		var rp reply
		err := s.st.Update(ctx, func(tx store.Tx) error {
			var err error
			rp, err = fn(ctx, tx)
			return err
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rp.write(w)
		return
	}
	if len(key) > 255 {
		s.fail(w, r, invalid("Idempotency-Key", "at most 255 characters"))
		return
	}
	sum := hash()
	for attempt := 0; attempt < 3; attempt++ {
		if done := s.replay(w, r, p, key, sum); done {
			return
		}
		var rp reply
		err := s.st.Update(ctx, func(tx store.Tx) error {
			var err error
			rp, err = fn(ctx, tx)
			if err != nil {
				return err
			}
			kept, keptHeader := rp.body, rp.header
			if rp.kept != nil {
				kept = rp.kept
			}
			if rp.keptHeader != nil {
				keptHeader = rp.keptHeader
			}
			hdr, _ := json.Marshal(keptHeader)
			rec := store.Idempotency{TokenID: p.tok.ID, Key: key, Method: r.Method, Path: keptPath(r),
				BodyHash: sum, Status: rp.status, Header: hdr, Response: kept, CreatedAt: s.now().UTC()}
			if err := tx.InsertIdempotency(ctx, rec); err != nil {
				if errors.Is(err, store.ErrConflict) {
					return errKeyRace{err}
				}
				return err
			}
			return nil
		})
		var race errKeyRace
		if errors.As(err, &race) {
			continue
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rp.write(w)
		return
	}
	s.fail(w, r, conflict("the Idempotency-Key is in use by a concurrent request; retry"))
}

// keptPath is the request's path as an idempotency record keeps it: a
// tracking link's token, a secret, is kept as {token} (the record is the
// link's own, by its actor id, so nothing is lost).
func keptPath(r *http.Request) string {
	if tok := r.PathValue("token"); tok != "" {
		return strings.Replace(r.URL.Path, tok, "{token}", 1)
	}
	return r.URL.Path
}

// replay answers from a stored idempotency record; false when there is none.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, p principal, key string, hash []byte) bool {
	var rec store.Idempotency
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		rec, err = tx.GetIdempotency(r.Context(), p.tok.ID, key)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if !bytes.Equal(rec.BodyHash, hash) || rec.Method != r.Method || rec.Path != keptPath(r) {
		s.fail(w, r, invalid("Idempotency-Key", "this key was used with another request body or path; use a new key"))
		return true
	}
	var hdr map[string]string
	json.Unmarshal(rec.Header, &hdr)
	w.Header().Set("Idempotent-Replayed", "true")
	reply{status: rec.Status, header: hdr, body: rec.Response}.write(w)
	return true
}
