package httpapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"roadcover"
	"roadcover/desk"
)

// What the service refuses at its edge, before any handler, the same
// whichever store is behind it: text that is not UTF-8 or holds NUL
// characters (in the path, the query, the Idempotency-Key or the body),
// a body of a media type the route does not read (415), a body too slow
// to arrive (408).

// checkEdge refuses a request whose path, query or Idempotency-Key is not
// clean text.
func checkEdge(r *http.Request) error {
	errs := &roadcover.InputError{}
	if !cleanText(r.URL.Path) {
		errs.Add("path", roadcover.CodeInvalidInput, "must be UTF-8 text without NUL characters")
	}
	if r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			errs.Add("query", roadcover.CodeInvalidInput, "is not a well-formed query string")
		}
		for k, vs := range q {
			if !cleanText(k) {
				errs.Add("query", roadcover.CodeInvalidInput, "a parameter's name must be UTF-8 text without NUL characters")
				continue
			}
			for _, v := range vs {
				if !cleanText(v) || len(v) > 1024 {
					errs.Add("query."+k, roadcover.CodeInvalidInput, "must be UTF-8 text without NUL characters, at most 1024 bytes")
					break
				}
			}
		}
	}
	if k := r.Header.Get("Idempotency-Key"); k != "" && !validKey(k) {
		errs.Add("Idempotency-Key", roadcover.CodeInvalidInput, "must be 1 to 255 printable ASCII characters")
	}
	return errs.Err()
}

// cleanText reports whether s is valid UTF-8 without NUL characters.
func cleanText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

func validKey(k string) bool {
	if len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// checkBodyText refuses a JSON body that is not UTF-8 or names a NUL
// character (a store could not keep it: PostgreSQL refuses it, and text
// that is not UTF-8 would come back broken).
func checkBodyText(b []byte) error {
	if !utf8.Valid(b) {
		return invalid("body", "must be UTF-8 text")
	}
	if bytes.IndexByte(b, 0) >= 0 || bytes.Contains(b, []byte(`\u0000`)) {
		return invalid("body", "may not hold NUL characters")
	}
	return nil
}

// jsonTypes are the media types a JSON body may be sent as.
var jsonTypes = []string{"application/json", "application/merge-patch+json"}

// checkMediaType refuses a body whose Content-Type is not one of accepted
// (415). A request without a body needs none.
func checkMediaType(r *http.Request, accepted []string) error {
	if r.ContentLength == 0 || (r.ContentLength < 0 && r.Body == http.NoBody) {
		return nil
	}
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return unsupported("send the body with Content-Type: " + accepted[0])
	}
	for _, a := range accepted {
		if mt == a {
			if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
				return unsupported("the body's charset must be utf-8")
			}
			return nil
		}
	}
	return unsupported("this endpoint reads " + strings.Join(accepted, " or ") + ", not " + mt)
}

func unsupported(detail string) error {
	return roadcover.Errorf(roadcover.CodeUnsupportedMedia, detail)
}

// isTimeout reports whether err is a read that ran out of time.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// Listener wraps the service's listener so that a request net/http cannot
// read is answered with a problem document.
func Listener(ln net.Listener) net.Listener { return badRequestListener{ln} }

// badRequestListener answers a request line whose target is not a
// well-formed URL with a problem document naming the path, where net/http
// would answer with plain text (it looks at the first request of each
// connection), and turns every other answer net/http writes itself to a
// request it cannot read into a problem document (firstLineConn.Write).
type badRequestListener struct{ net.Listener }

func (l badRequestListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return c, err
	}
	return &firstLineConn{Conn: c, r: bufio.NewReaderSize(c, 4096)}, nil
}

// firstLineConn checks the request line of the first request before
// net/http reads it.
type firstLineConn struct {
	net.Conn
	r       *bufio.Reader
	checked bool
}

// NetConn is the connection underneath.
func (c *firstLineConn) NetConn() net.Conn { return c.Conn }

func (c *firstLineConn) Read(p []byte) (int, error) {
	if !c.checked {
		c.checked = true
		if line, err := c.r.Peek(c.lineLen()); err == nil && badTarget(line) {
			writeBadRequest(c.Conn)
			c.Conn.Close()
			return 0, net.ErrClosed
		}
	}
	return c.r.Read(p)
}

// Write passes the server's answers on, except net/http's own answer to a
// request it could not read (a malformed target on a later request of the
// connection, a bad header, header fields too large, an unknown transfer
// coding), which becomes a problem document with the same status.
func (c *firstLineConn) Write(p []byte) (int, error) {
	if doc, ok := netHTTPProblem(p); ok {
		if _, err := c.Conn.Write(doc); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// netHTTPErrorHeaders are the headers net/http writes, in this order, after
// the status line of its own answer to a request it could not read; an
// answer of a handler never has them so (net/http sorts a response's header
// names, so Connection comes before Content-Type, and adds a Date).
const netHTTPErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// netHTTPProblem returns the problem document, as a whole HTTP answer, for
// net/http's plain-text answer p to a request it could not read.
func netHTTPProblem(p []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(p, []byte("HTTP/1.1 "))
	if !ok {
		return nil, false
	}
	end := bytes.IndexByte(rest, '\r') // the end of the status line
	if end < 3 || !bytes.HasPrefix(rest[end:], []byte(netHTTPErrorHeaders)) || bytes.IndexByte(rest[:end], '\n') >= 0 {
		return nil, false
	}
	line, text := rest[:end], rest[end+len(netHTTPErrorHeaders):]
	status, err := strconv.Atoi(string(line[:3]))
	if err != nil || status < 400 || status > 599 {
		return nil, false
	}
	detail := "the request is not well-formed HTTP"
	if _, after, ok := bytes.Cut(text, []byte(": ")); ok && len(after) > 0 {
		detail += ": " + string(after) // "missing required Host header", say
	}
	code := roadcover.CodeInvalidInput
	switch status {
	case http.StatusRequestHeaderFieldsTooLarge:
		code, detail = roadcover.CodeTooLarge, "the request's header fields are too large"
	case http.StatusNotImplemented:
		code, detail = roadcover.CodeUnsupportedMedia, "the request's transfer coding is not supported; send the body as it is or chunked"
	}
	pr := roadcover.ProblemFor(roadcover.Errorf(code, detail))
	pr.Status, pr.Title = status, http.StatusText(status)
	body, _ := json.Marshal(pr)
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 ")
	b.WriteString(strconv.Itoa(status))
	b.WriteString(" ")
	b.WriteString(http.StatusText(status))
	b.WriteString("\r\nContent-Type: application/problem+json\r\nConnection: close\r\nContent-Length: ")
	b.WriteString(strconv.Itoa(len(body)))
	b.WriteString("\r\n\r\n")
	b.Write(body)
	return b.Bytes(), true
}

// lineLen is the length of the buffered first line, or what is buffered.
func (c *firstLineConn) lineLen() int {
	c.r.Peek(1) // fill the buffer with what has arrived
	buf, _ := c.r.Peek(c.r.Buffered())
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		return i + 1
	}
	return len(buf)
}

// badTarget reports whether a request line's target is not a URL net/http
// accepts (a malformed %-escape, say).
func badTarget(line []byte) bool {
	parts := strings.Fields(string(line))
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/") {
		return false // not a request line net/http reads either way
	}
	target := parts[1]
	if target == "*" || !strings.HasPrefix(target, "/") {
		return false
	}
	_, err := url.ParseRequestURI(target)
	return err != nil
}

func writeBadRequest(c net.Conn) {
	p := roadcover.ProblemFor(invalid("path", "is not a well-formed URL (a %-escape is malformed)"))
	p.Status = http.StatusBadRequest
	p.Title = "Bad request"
	body, _ := json.Marshal(p)
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nConnection: close\r\nContent-Length: ")
	b.WriteString(strconv.Itoa(len(body)))
	b.WriteString("\r\n\r\n")
	b.Write(body)
	c.Write(b.Bytes())
}

// WebhookHTTPClient is the client partners' webhooks are sent with: 10
// seconds per delivery, no proxy, no redirects, and unless allowPrivate no
// connection to a loopback, private or link-local address, whatever name
// led there.
func WebhookHTTPClient(allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip, err := netip.ParseAddr(host); err != nil || desk.PrivateIP(ip) {
				return fmt.Errorf("webhook to %s refused: a loopback or private address", host)
			}
			return nil
		}
	}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConnsPerHost: 2, IdleConnTimeout: 60 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
