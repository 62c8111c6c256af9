package httpapi

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"roadcover"
	"roadcover/authtoken"
	"roadcover/desk"
	"roadcover/receiptfile"
	"roadcover/store"
	"roadcover/tesseract"
)

// The receipt endpoints: uploads by an operator and by the driver behind a
// tracking link (multipart/form-data: a part "file", the receipt's PDF,
// JPEG or PNG, and a part "receipt", its JSON), the receipts of a case, one
// receipt and its file, the review queue, and reviews.

// MaxReceiptBody is the largest body of a receipt upload: the file
// (receiptfile.MaxSize), the JSON part (desk.MaxReceiptPart) and room for
// the parts' headers and boundaries.
const MaxReceiptBody = receiptfile.MaxSize + desk.MaxReceiptPart + 16<<10

// multipartForm is the media type of a receipt upload.
const multipartForm = "multipart/form-data"

// DefaultOCRTimeout bounds the reading of one receipt image.
const DefaultOCRTimeout = 20 * time.Second

// ReceiptReader reads the text of a receipt image into a suggestion;
// *tesseract.Reader is one.
type ReceiptReader interface {
	Read(ctx context.Context, image []byte) (tesseract.Suggestion, error)
}

func (s *Server) receiptRoutes() {
	s.uploadRoute("POST /v1/cases/{id}/receipts")
	s.handle("POST /v1/cases/{id}/receipts", s.uploadReceipt, RoleAdmin, RoleOperator)
	s.uploadRoute("POST /v1/track/{token}/receipts")
	s.mux.HandleFunc("POST /v1/track/{token}/receipts", s.driverUpload)
	s.patterns = append(s.patterns, "POST /v1/track/{token}/receipts")
	s.handle("GET /v1/cases/{id}/receipts", s.caseReceipts, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/receipts", s.receiptQueue, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/receipts/{id}", s.getReceipt, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("GET /v1/receipts/{id}/file", s.receiptFile, RoleAdmin, RoleOperator, RoleClaims)
	s.handle("POST /v1/receipts/{id}/review", s.reviewReceipt, RoleAdmin, RoleOperator)
}

// uploadRoute makes pattern a receipt upload: a multipart body of up to
// MaxReceiptBody bytes.
func (s *Server) uploadRoute(pattern string) {
	if s.mediaTypes == nil {
		s.mediaTypes = map[string][]string{}
	}
	if s.bodyLimits == nil {
		s.bodyLimits, s.bodyLimitTails = map[string]int64{}, map[string]bool{}
	}
	s.mediaTypes[pattern] = []string{multipartForm}
	s.bodyLimits[pattern] = MaxReceiptBody
	s.bodyLimitTails[pattern[strings.LastIndexByte(pattern, '/')+1:]] = true
}

// receiptParts are the parts of a receipt upload: nil for a part not sent.
type receiptParts struct {
	file, part []byte
}

// readReceiptParts reads a receipt upload, a multipart/form-data body
// (contentType gives its boundary), as it arrives: the part "file" up to
// receiptfile.MaxSize bytes, the part "receipt" up to desk.MaxReceiptPart,
// never more than a part's limit and one byte (413 above it). Another
// part, or a part sent twice, is an input error naming it. The two parts'
// contents go through h, not the body's bytes: a client that sends the
// same upload again builds a new body with a new boundary (a browser's
// FormData does), and that is the same request.
func readReceiptParts(body io.Reader, contentType string, h hash.Hash) (receiptParts, error) {
	return readReceiptPartsSized(body, contentType, h, 0)
}

// readPart reads a part of at most limit bytes, and one more to tell it is
// over; the buffer starts at the size the body announced (sizeHint), so
// that a file is read without growing its way there.
func readPart(p io.Reader, limit, sizeHint int64) ([]byte, error) {
	b := make([]byte, 0, min(max(sizeHint, 512), limit+1))
	for {
		if len(b) == cap(b) {
			if int64(len(b)) > limit {
				return b, nil
			}
			b = append(b, 0)[:len(b)]
		}
		n, err := p.Read(b[len(b):min(int64(cap(b)), limit+1)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if int64(len(b)) > limit {
			return b, nil
		}
	}
}

// readReceiptPartsSized is readReceiptParts with the body's announced
// size, a hint for the buffers (0: none).
func readReceiptPartsSized(body io.Reader, contentType string, h hash.Hash, sizeHint int64) (receiptParts, error) {
	var out receiptParts
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != multipartForm {
		return out, unsupported("send the receipt as " + multipartForm + " with a part file and a part receipt")
	}
	boundary := params["boundary"]
	if boundary == "" {
		return out, invalid("body", "the Content-Type "+multipartForm+" names no boundary")
	}
	errs := &roadcover.InputError{}
	mr := multipart.NewReader(body, boundary)
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, readFailure(err, "the body is not well-formed "+multipartForm)
		}
		name := p.FormName()
		var limit, hint int64
		var into *[]byte
		switch name {
		case "file":
			limit, into, hint = receiptfile.MaxSize, &out.file, sizeHint
		case "receipt":
			limit, into = desk.MaxReceiptPart, &out.part
		default:
			errs.Add(partField(name), roadcover.CodeInvalidInput, "unknown part: send a part file and a part receipt")
			if _, err := io.Copy(io.Discard, p); err != nil {
				return out, readFailure(err, "the body is not well-formed "+multipartForm)
			}
			continue
		}
		b, err := readPart(p, limit, hint)
		if err != nil {
			return out, readFailure(err, "the part "+name+" is not well-formed")
		}
		if int64(len(b)) > limit {
			return out, roadcover.Errorf(roadcover.CodeTooLarge,
				fmt.Sprintf("the part %s is over %d bytes (at most %s)", name, limit, sizeText(limit)))
		}
		if *into != nil {
			errs.Add(name, roadcover.CodeInvalidInput, "sent twice: send one part "+name)
			continue
		}
		*into = b
	}
	// The rest of the body (an epilogue) is read too.
	if _, err := io.Copy(io.Discard, body); err != nil {
		return out, readFailure(err, "the body could not be read in full")
	}
	if h != nil {
		hashPart(h, "file", out.file)
		hashPart(h, "receipt", out.part)
	}
	return out, errs.Err()
}

// hashPart writes a part's name, its length (-1 when it was not sent) and
// its content to h.
func hashPart(h hash.Hash, name string, b []byte) {
	n := len(b)
	if b == nil {
		n = -1
	}
	fmt.Fprintf(h, "%s %d\n", name, n)
	h.Write(b)
}

func partField(name string) string {
	if name == "" || !cleanText(name) || len(name) > 64 {
		return "body"
	}
	return name
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n>>10, 10) + " KiB"
}

// readFailure maps an error reading the body: over the route's limit 413,
// too slow 408, else 422 with detail.
func readFailure(err error, detail string) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return err
	case isTimeout(err):
		return roadcover.Errorf(roadcover.CodeRequestTimeout, "the body did not arrive in time")
	}
	return invalid("body", detail+": "+err.Error())
}

// readUpload reads and checks an upload's parts (no store is touched) and
// gives the hash of its parts for its Idempotency-Key.
func (s *Server) readUpload(r *http.Request) (desk.ReceiptUpload, []byte, error) {
	var h hash.Hash
	if r.Header.Get("Idempotency-Key") != "" {
		h = newBodyHash(r) // only a keyed upload is compared with its repeat
	}
	parts, err := readReceiptPartsSized(r.Body, r.Header.Get("Content-Type"), h, r.ContentLength)
	var partErrs *roadcover.InputError
	if err != nil && !errors.As(err, &partErrs) {
		return desk.ReceiptUpload{}, nil, err
	}
	up, err := desk.ReadReceiptUpload(parts.file, parts.part)
	var ie *roadcover.InputError
	if partErrs != nil && (err == nil || errors.As(err, &ie)) {
		// Every bad field at once: the parts' and the receipt's.
		if ie != nil {
			for _, f := range ie.Errors {
				partErrs.Add(f.Field, f.Code, f.Detail)
			}
		}
		err = partErrs.Err()
	}
	var sum []byte
	if h != nil {
		sum = h.Sum(nil)
	}
	return up, sum, err
}

// suggest reads a receipt image with OCR, when the server has it, and
// offers what it read as a suggestion; without OCR, or when it reads
// nothing, there is none.
func (s *Server) suggest(ctx context.Context, up *desk.ReceiptUpload) {
	if s.cfg.OCR == nil || (up.File.Type != receiptfile.JPEG && up.File.Type != receiptfile.PNG) {
		return
	}
	timeout := s.cfg.OCRTimeout
	if timeout <= 0 {
		timeout = DefaultOCRTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	sug, err := s.cfg.OCR.Read(ctx, up.Content)
	if err != nil {
		s.log.Info("receipt OCR read nothing", "err", err, "ms", time.Since(start).Milliseconds())
		return
	}
	if !sug.HasAmount && sug.Date.IsZero() && sug.Merchant == "" {
		return
	}
	up.Suggestion = &desk.Suggestion{Amount: sug.Amount, HasAmount: sug.HasAmount, Date: sug.Date, Merchant: sug.Merchant}
}

// replayed answers a repeat of an upload from its Idempotency-Key record
// before the upload is read again; false when there is none.
func (s *Server) replayed(w http.ResponseWriter, r *http.Request, p principal, hash []byte) bool {
	key := r.Header.Get("Idempotency-Key")
	return key != "" && len(key) <= 255 && s.replay(w, r, p, key, hash)
}

// UploadReadTimeout is how long the body of a receipt upload may take to
// arrive (a photograph from a phone on a slow network); other bodies have
// the server's ReadTimeout.
const UploadReadTimeout = 2 * time.Minute

// slowBody gives an upload's body UploadReadTimeout to arrive.
func slowBody(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(UploadReadTimeout))
}

// uploadReceipt is POST /v1/cases/{id}/receipts.
func (s *Server) uploadReceipt(w http.ResponseWriter, r *http.Request, p principal) {
	caseID := r.PathValue("id")
	slowBody(w)
	up, sum, err := s.readUpload(r)
	if sum != nil && s.replayed(w, r, p, sum) {
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.suggest(r.Context(), &up)
	s.commitHashed(w, r, p, func() []byte { return sum }, func(ctx context.Context, tx store.Tx) (reply, error) {
		rc, err := s.desk.AddReceipt(ctx, tx, p.actor(), store.ViaOperator, caseID, &up)
		if err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusCreated, body: rc.AppendJSON(make([]byte, 0, 8<<10), ""),
			header: map[string]string{"Location": desk.ReceiptPath(rc.Rec.ID)}}, nil
	})
}

// driverUpload is POST /v1/track/{token}/receipts: the driver behind a
// tracking link sends a receipt, checked as an operator's; an unknown or
// expired link, or one of a closed case, is not found. The answer shows
// the receipt as the driver sees it (no internal ids) in ?lang= or
// Accept-Language.
func (s *Server) driverUpload(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if err := checkMediaType(r, []string{multipartForm}); err != nil {
		s.fail(w, r, err)
		return
	}
	// A link that serves no more is refused before its body is read.
	linkHash := authtoken.Hash(r.PathValue("token"))
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		_, err := s.desk.LinkCase(r.Context(), tx, linkHash)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.linkPrincipal(w, linkHash)
	slowBody(w)
	up, sum, err := s.readUpload(r)
	if sum != nil && s.replayed(w, r, p, sum) {
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.suggest(r.Context(), &up)
	lang := driverLang(r)
	s.commitHashed(w, r, p, func() []byte { return sum }, func(ctx context.Context, tx store.Tx) (reply, error) {
		id, err := s.desk.LinkCase(ctx, tx, linkHash)
		if err != nil {
			return reply{}, err
		}
		rc, err := s.desk.AddReceipt(ctx, tx, p.actor(), store.ViaTrackingLink, id, &up)
		if err != nil {
			return reply{}, err
		}
		v := desk.DriverReceiptOf(&rc, lang)
		return reply{status: http.StatusCreated, body: v.AppendJSON(make([]byte, 0, 2<<10))}, nil
	})
}

// caseReceipts is GET /v1/cases/{id}/receipts[?lang=]: the receipts of a
// case with every version of their lines.
func (s *Server) caseReceipts(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rs []desk.Receipt
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		rs, err = s.desk.CaseReceipts(r.Context(), tx, r.PathValue("id"), true)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", desk.AppendReceipts(make([]byte, 0, 16<<10), rs, "", lang))
}

// receiptQueue is GET /v1/receipts?status=review[&after=&limit=&lang=]:
// the receipts a person must look at, oldest first.
func (s *Server) receiptQueue(w http.ResponseWriter, r *http.Request, p principal) {
	q := r.URL.Query()
	errs := &roadcover.InputError{}
	if st := q.Get("status"); st != "review" {
		errs.Add("status", roadcover.CodeInvalidInput, "required: review (the receipts a person must look at)")
	}
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > desk.MaxReceiptPage {
			errs.Add("limit", roadcover.CodeInvalidInput, "must be a whole number from 1 to 200")
		}
		limit = n
	}
	lang, err := langParam(r)
	if err != nil {
		errs.Add("lang", roadcover.CodeInvalidInput, "unsupported language; expected one of en, de, pt, da, sv")
	}
	if err := errs.Err(); err != nil {
		s.fail(w, r, err)
		return
	}
	var rs []desk.Receipt
	var next string
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		rs, next, err = s.desk.ReviewQueue(r.Context(), tx, q.Get("after"), limit)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", desk.AppendReceipts(make([]byte, 0, 16<<10), rs, next, lang))
}

// getReceipt is GET /v1/receipts/{id}[?lang=].
func (s *Server) getReceipt(w http.ResponseWriter, r *http.Request, p principal) {
	lang, err := langParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var rc desk.Receipt
	err = s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		rc, err = s.desk.GetReceipt(r.Context(), tx, r.PathValue("id"))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeRaw(w, http.StatusOK, "application/json", rc.AppendJSON(make([]byte, 0, 8<<10), lang))
}

// receiptFile is GET /v1/receipts/{id}/file: the file as it was sent,
// with headers that let a browser show or save it but never run it.
func (s *Server) receiptFile(w http.ResponseWriter, r *http.Request, p principal) {
	id := r.PathValue("id")
	var f store.ReceiptFile
	err := s.st.View(r.Context(), func(tx store.Tx) error {
		var err error
		f, err = desk.ReceiptFile(r.Context(), tx, id)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	for k, v := range receiptfile.ServeHeaders(f.MediaType, int64(len(f.Content)), "receipt-"+id) {
		h.Set(k, v)
	}
	h.Set("ETag", `"`+f.SHA256+`"`)
	if inm := r.Header.Get("If-None-Match"); inm != "" && inm == `"`+f.SHA256+`"` {
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	w.Write(f.Content)
}

// reviewReceipt is POST /v1/receipts/{id}/review.
func (s *Server) reviewReceipt(w http.ResponseWriter, r *http.Request, p principal) {
	body, err := readBody(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	s.commit(w, r, p, body, func(ctx context.Context, tx store.Tx) (reply, error) {
		rc, err := s.desk.ReviewReceipt(ctx, tx, p.actor(), id, body)
		if err != nil {
			return reply{}, err
		}
		return reply{status: http.StatusOK, body: rc.AppendJSON(make([]byte, 0, 8<<10), "")}, nil
	})
}
