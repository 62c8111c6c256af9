package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"roadcover/desk"
	"roadcover/internal/pgtest"
	"roadcover/internal/receiptimage"
	"roadcover/postgres"
	"roadcover/receiptfile"
	"roadcover/store"
	"roadcover/tesseract"
)

func init() {
	// The receipt files the service sends back, for the response check.
	for _, mt := range []string{receiptfile.PDF, receiptfile.JPEG, receiptfile.PNG} {
		openapi3filter.RegisterBodyDecoder(mt, openapi3filter.FileBodyDecoder)
	}
}

// part is one part of a multipart body.
type part struct {
	name, filename, contentType string
	body                        []byte
}

// multipartBody builds a multipart/form-data body and its Content-Type.
func multipartBody(parts ...part) (string, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.name)
		if p.filename != "" {
			disp += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, _ := mw.CreatePart(h)
		w.Write(p.body)
	}
	mw.Close()
	return b.String(), mw.FormDataContentType()
}

// receiptBody is an upload of file with the JSON part.
func receiptBody(file []byte, receipt string) (string, string) {
	return multipartBody(part{"file", "receipt.bin", "application/octet-stream", file},
		part{"receipt", "", "application/json", []byte(receipt)})
}

// upload sends a receipt as role to path ("" role: none).
func (e *env) upload(path, role string, file []byte, receipt string, hdr ...string) resp {
	e.t.Helper()
	body, ct := receiptBody(file, receipt)
	return e.do("POST", path, role, body, append([]string{"Content-Type", ct}, hdr...)...)
}

// hotel is the JSON part of a hotel receipt of the sample case (three
// persons) for nights from the day from.
func hotel(amount, merchant, from string, nights int, extra string) string {
	return fmt.Sprintf(`{"category": "hotel", "amount": %q, "currency": "EUR", "date": "2026-07-09", "merchant": %q,
	  "persons": 3, "nights": %d, "service_from": %q, "arranged_by_assistance": true%s}`, amount, merchant, nights, from, extra)
}

const payeeBlock = `, "payee": {"name": "Test Driver", "account": {"method": "iban", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}}`

// receiptPhoto is a photographed receipt (turned, noised, JPEG at
// quality 80) with the lines.
func receiptPhoto(seed uint64, lines ...string) []byte {
	return receiptimage.Photograph(receiptimage.Receipt(lines, 5), 1, 8, seed, 80)
}

// onePagePDF is a one-page PDF showing text, with a right cross-reference
// table.
func onePagePDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	content := "BT /F1 12 Tf 20 250 Td (" + text + ") Tj ET"
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)}
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// paidLedger says the receipts it names are paid.
type paidLedger map[string]bool

func (p paidLedger) ReceiptPaid(_ context.Context, _ store.Tx, _, receiptID string) (bool, error) {
	return p[receiptID], nil
}

// hotelCase makes a case of the sample whose customer chose hotel nights.
func (e *env) hotelCase() string {
	e.t.Helper()
	id, _, _ := e.createCase(sampleCase)
	e.wantStatus(e.do("POST", "/v1/cases/"+id+"/choices", RoleOperator, `{"group": "further_assistance", "code": "hotel"}`),
		http.StatusCreated, "choose hotel")
	return id
}

// receiptProblems provokes the errors the receipt endpoints document, for
// TestOpenAPIProblemsAreTheRealOnes.
func receiptProblems(t *testing.T, e *env, check func(env *env, key, path, role, body string, want int, hdr ...string) resp) {
	caseID := e.hotelCase()
	good := hotel("300.00", "Hotel Alpenrose", "2026-07-01", 1, "")
	body, ct := receiptBody(receiptPhoto(1, "HOTEL ALPENROSE", "EUR 300,00"), good)
	mp := []string{"Content-Type", ct}
	r := check(e, "POST /v1/cases/{id}/receipts", "/v1/cases/"+caseID+"/receipts", RoleOperator, body, http.StatusCreated, mp...)
	id := r.json(t)["id"].(string)
	link := e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
	empty, ect := receiptBody([]byte{}, good)
	html, hct := receiptBody([]byte("<html><script>alert(1)</script></html>"), good)
	big, bct := receiptBody(make([]byte, receiptfile.MaxSize+1), good)
	e.srv.desk.Receipts.Paid = paidLedger{id: true}
	defer func() { e.srv.desk.Receipts.Paid = nil }()
	for _, x := range []struct {
		key, path, role, body string
		want                  int
		hdr                   []string
	}{
		{"POST /v1/cases/{id}/receipts", "/v1/cases/nothing/receipts", RoleOperator, body, 404, mp},
		{"POST /v1/cases/{id}/receipts", "/v1/cases/" + caseID + "/receipts", RoleOperator, empty, 422, []string{"Content-Type", ect}},
		{"POST /v1/cases/{id}/receipts", "/v1/cases/" + caseID + "/receipts", RoleOperator, html, 415, []string{"Content-Type", hct}},
		{"POST /v1/cases/{id}/receipts", "/v1/cases/" + caseID + "/receipts", RoleOperator, big, 413, []string{"Content-Type", bct}},
		{"POST /v1/track/{token}/receipts", "/v1/track/nothing/receipts", "", body, 404, mp},
		{"POST /v1/track/{token}/receipts", "/v1/track/" + link + "/receipts", "", empty, 422, []string{"Content-Type", ect}},
		{"POST /v1/track/{token}/receipts", "/v1/track/" + link + "/receipts", "", html, 415, []string{"Content-Type", hct}},
		{"POST /v1/track/{token}/receipts", "/v1/track/" + link + "/receipts", "", big, 413, []string{"Content-Type", bct}},
		{"GET /v1/cases/{id}/receipts", "/v1/cases/nothing/receipts", RoleClaims, "", 404, nil},
		{"GET /v1/cases/{id}/receipts", "/v1/cases/" + caseID + "/receipts?lang=fr", RoleClaims, "", 422, nil},
		{"GET /v1/receipts", "/v1/receipts", RoleOperator, "", 422, nil},
		{"GET /v1/receipts", "/v1/receipts?status=review&after=nothing", RoleOperator, "", 404, nil},
		{"GET /v1/receipts/{id}", "/v1/receipts/nothing", RoleOperator, "", 404, nil},
		{"GET /v1/receipts/{id}", "/v1/receipts/" + id + "?lang=xx", RoleOperator, "", 422, nil},
		{"GET /v1/receipts/{id}/file", "/v1/receipts/nothing/file", RoleOperator, "", 404, nil},
		{"POST /v1/receipts/{id}/review", "/v1/receipts/nothing/review", RoleOperator, `{"action": "approve"}`, 404, nil},
		{"POST /v1/receipts/{id}/review", "/v1/receipts/" + id + "/review", RoleOperator, `{"action": "cut"}`, 422, nil},
		{"POST /v1/receipts/{id}/review", "/v1/receipts/" + id + "/review", RoleOperator, `{"action": "refuse", "reason": "duplicate_receipt"}`, 409, nil},
	} {
		check(e, x.key, x.path, x.role, x.body, x.want, x.hdr...)
	}
}

// TestReceiptsEndToEnd runs the receipts of a case through the service on
// SQLite and on PostgreSQL: a real JPEG and a real PDF, the same file twice
// (kept once, flagged), three hotel receipts that never pass five nights,
// a cut and a refusal with reasons, a driver's upload through a tracking
// link, the file served with safe headers only to those who may see the
// case, and bad input that changes nothing.
func TestReceiptsEndToEnd(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			var e *env
			if kind == "postgres" {
				st, err := postgres.Open(context.Background(), pgtest.URL(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				e = newEnvOn(t, st)
			} else {
				e = newEnv(t)
			}
			receiptsEndToEnd(t, e)
		})
	}
}

func receiptsEndToEnd(t *testing.T, e *env) {
	caseID := e.hotelCase()
	path := "/v1/cases/" + caseID + "/receipts"
	events := func() int {
		return len(e.do("GET", "/v1/cases/"+caseID+"/events", RoleOperator, "").json(t)["events"].([]any))
	}
	receipts := func() []any {
		return e.do("GET", path, RoleClaims, "").json(t)["receipts"].([]any)
	}

	// A photographed receipt (JPEG) with the payee: approved, paid to the
	// payee once there is a ledger.
	jpeg := receiptPhoto(7, "HOTEL ALPENROSE", "INNSBRUCK", "01.07.2026 2 NAECHTE", "SUMME EUR 900,00")
	r1 := e.upload(path, RoleOperator, jpeg, hotel("900.00", "Hotel Alpenrose", "2026-07-01", 2, payeeBlock))
	e.wantStatus(r1, http.StatusCreated, "jpeg")
	m1 := r1.json(t)
	id1 := m1["id"].(string)
	if m1["status"] != "approved" || r1.header.Get("Location") != "/v1/receipts/"+id1 || m1["needs_review"] != false ||
		m1["file"].(map[string]any)["media_type"] != "image/jpeg" || len(m1["requires"].([]any)) != 0 ||
		m1["payee"].(map[string]any)["account"].(map[string]any)["iban"] != "DE89370400440532013000" {
		t.Fatalf("jpeg receipt: %s", r1.body)
	}

	// A PDF: the second hotel receipt, cut to the limit per person and night.
	r2 := e.upload(path, RoleOperator, onePagePDF("GASTHOF POST EUR 1500,00"), hotel("1500.00", "Gasthof Post", "2026-07-03", 2, ""))
	e.wantStatus(r2, http.StatusCreated, "pdf")
	m2 := r2.json(t)
	if m2["status"] != "cut" || m2["amount"].(map[string]any)["amount"] != "1200.00" ||
		m2["file"].(map[string]any)["media_type"] != "application/pdf" || m2["line"].(map[string]any)["reason"] != "limit_per_person_night" {
		t.Fatalf("pdf receipt: %s", r2.body)
	}
	// The third hotel receipt: one night is left of five.
	r3 := e.upload(path, RoleOperator, receiptimage.PNG(receiptimage.Receipt([]string{"PENSION", "3 NAECHTE"}, 7)),
		hotel("900.00", "Pension Maria", "2026-07-05", 3, ""))
	e.wantStatus(r3, http.StatusCreated, "png")
	m3 := r3.json(t)
	if m3["status"] != "cut" || m3["amount"].(map[string]any)["amount"] != "300.00" || m3["line"].(map[string]any)["reason"] != "nights_over_max" {
		t.Fatalf("third hotel receipt: %s", r3.body)
	}
	nights := 0
	for _, x := range receipts() {
		if uses, ok := x.(map[string]any)["line"].(map[string]any)["uses"].(map[string]any); ok {
			nights += len(uses["nights"].([]any))
		}
	}
	if nights != 5 {
		t.Fatalf("nights paid over the three receipts: %d, want 5", nights)
	}

	// The same JPEG again: the file is kept once, the receipt flagged for a
	// person and in the review queue.
	r4 := e.upload(path, RoleOperator, jpeg, hotel("900.00", "Hotel Alpenrose", "2026-07-01", 2, ""))
	e.wantStatus(r4, http.StatusCreated, "the same jpeg again")
	m4 := r4.json(t)
	id4 := m4["id"].(string)
	dups := m4["duplicates"].([]any)
	if m4["needs_review"] != true || len(dups) != 1 || dups[0].(map[string]any)["receipt"] != id1 ||
		!slices.Contains(dups[0].(map[string]any)["why"].([]any), any("same_content")) ||
		m4["file"].(map[string]any)["sha256"] != m1["file"].(map[string]any)["sha256"] {
		t.Fatalf("the same file again: %s", r4.body)
	}
	sha := m1["file"].(map[string]any)["sha256"].(string)
	errRollback := errors.New("roll back")
	if err := e.st.Update(context.Background(), func(tx store.Tx) error {
		created, err := tx.PutReceiptFile(context.Background(), store.ReceiptFile{SHA256: sha, MediaType: "image/jpeg",
			Size: int64(len(jpeg)), Content: jpeg})
		if err != nil {
			return err
		}
		if created {
			t.Error("the file was not kept (put again, it was stored anew)")
		}
		return errRollback
	}); !errors.Is(err, errRollback) {
		t.Fatal(err)
	}
	queue := e.do("GET", "/v1/receipts?status=review", RoleOperator, "").json(t)["receipts"].([]any)
	if len(queue) != 1 || queue[0].(map[string]any)["id"] != id4 {
		t.Fatalf("review queue: %v", queue)
	}

	// Reviews: a cut and a refusal with reasons, new line versions and
	// events.
	before := events()
	cut := e.do("POST", "/v1/receipts/"+id1+"/review", RoleOperator,
		`{"action": "cut", "amount": "800.00", "currency": "EUR", "reason": "not_during_repair", "note": "one night after the repair"}`)
	e.wantStatus(cut, http.StatusOK, "cut")
	mc := cut.json(t)
	if mc["status"] != "cut" || mc["line_no"] != float64(2) || mc["amount"].(map[string]any)["amount"] != "800.00" ||
		len(mc["lines"].([]any)) != 2 {
		t.Fatalf("cut: %s", cut.body)
	}
	refuse := e.do("POST", "/v1/receipts/"+id4+"/review", RoleOperator, `{"action": "refuse", "reason": "duplicate_receipt"}`)
	e.wantStatus(refuse, http.StatusOK, "refuse")
	if mr := refuse.json(t); mr["status"] != "refused" || mr["needs_review"] != false ||
		mr["line"].(map[string]any)["reason"] != "duplicate_receipt" {
		t.Fatalf("refuse: %s", refuse.body)
	}
	if n := events(); n != before+2 {
		t.Fatalf("events after two reviews: %d, want %d", n, before+2)
	}
	evs := e.do("GET", "/v1/cases/"+caseID+"/events", RoleOperator, "").json(t)["events"].([]any)
	last := evs[len(evs)-1].(map[string]any)
	if last["kind"] != "receipt_reviewed" || last["data"].(map[string]any)["reason"] != "duplicate_receipt" {
		t.Fatalf("last event %v", last)
	}
	if q := e.do("GET", "/v1/receipts?status=review", RoleOperator, "").json(t)["receipts"].([]any); len(q) != 0 {
		t.Fatalf("the queue after the review: %d", len(q))
	}

	// The file: served with safe headers to those who may see the case.
	for _, role := range []string{RoleAdmin, RoleOperator, RoleClaims} {
		f := e.do("GET", "/v1/receipts/"+id1+"/file", role, "")
		e.wantStatus(f, http.StatusOK, "file as "+role)
		h := f.header
		if !bytes.Equal(f.body, jpeg) || h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" ||
			h.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("file as %s: %d bytes, %v", role, len(f.body), h)
		}
	}
	if f := e.do("GET", "/v1/receipts/"+id1+"/file", RoleOperator, "", "If-None-Match", `"`+sha+`"`); f.status != http.StatusNotModified || len(f.body) != 0 {
		t.Fatalf("the file again with its ETag: %d, %d bytes", f.status, len(f.body))
	}
	for who, want := range map[string]int{"": 401, RolePartner: 403, RoleIntake: 403, "partner2": 403} {
		if f := e.do("GET", "/v1/receipts/"+id1+"/file", who, ""); f.status != want || bytes.Contains(f.body, jpeg[:64]) {
			t.Errorf("file as %q: %d, want %d", who, f.status, want)
		}
	}

	// The driver through a tracking link: a taxi receipt from a phone.
	link := e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{}`).json(t)["token"].(string)
	taxi := `{"category": "taxi", "amount": "42.50", "currency": "EUR", "date": "2026-07-02", "merchant": "Taxi Innsbruck", "arranged_by_assistance": true}`
	d := e.upload("/v1/track/"+link+"/receipts", "", receiptPhoto(9, "TAXI INNSBRUCK", "EUR 42,50"), taxi, "Accept-Language", "en")
	e.wantStatus(d, http.StatusCreated, "driver upload")
	if bytes.Contains(d.body, []byte(caseID)) || bytes.Contains(d.body, []byte(`"id"`)) || d.json(t)["state"] == nil {
		t.Fatalf("driver answer: %s", d.body)
	}
	view := e.do("GET", "/v1/track/"+link+"?lang=en", "", "")
	e.wantStatus(view, http.StatusOK, "track")
	drs := view.json(t)["receipts"].([]any)
	if len(drs) != 5 || bytes.Contains(view.body, []byte(id1)) || bytes.Contains(view.body, []byte(sha)) {
		t.Fatalf("the driver's receipts: %s", view.body)
	}
	states := map[string]int{}
	for _, x := range drs {
		states[x.(map[string]any)["state"].(string)]++
	}
	if states["cut"] != 3 || states["refused"] != 1 {
		t.Fatalf("states %v", states)
	}
	recs := receipts()
	lastRec := recs[len(recs)-1].(map[string]any)
	if lastRec["via"] != "tracking_link" || lastRec["uploaded_by"].(map[string]any)["role"] != "driver" {
		t.Fatalf("the driver's receipt: %v", lastRec)
	}
	e.wantStatus(e.upload("/v1/track/rct_nothing/receipts", "", receiptPhoto(9, "TAXI"), taxi), http.StatusNotFound, "unknown link")

	// Idempotency: the same upload with the same key answers the first
	// answer and adds nothing; another body with the key is refused.
	body, ct := receiptBody(onePagePDF("TAXI 2"), strings.Replace(taxi, "42.50", "12.00", 1))
	k1 := e.do("POST", path, RoleOperator, body, "Content-Type", ct, "Idempotency-Key", "rcpt-1")
	e.wantStatus(k1, http.StatusCreated, "with a key")
	n := len(receipts())
	k2 := e.do("POST", path, RoleOperator, body, "Content-Type", ct, "Idempotency-Key", "rcpt-1")
	if k2.status != http.StatusCreated || !bytes.Equal(k1.body, k2.body) || k2.header.Get("Idempotent-Replayed") != "true" || len(receipts()) != n {
		t.Fatalf("the repeat: %d %s", k2.status, k2.body)
	}
	// A browser sends the same upload again in a new body, with another
	// boundary: the same request, the first answer.
	again, act := receiptBody(onePagePDF("TAXI 2"), strings.Replace(taxi, "42.50", "12.00", 1))
	if again == body {
		t.Fatal("the bodies share their boundary")
	}
	k3 := e.do("POST", path, RoleOperator, again, "Content-Type", act, "Idempotency-Key", "rcpt-1")
	if k3.status != http.StatusCreated || !bytes.Equal(k1.body, k3.body) || k3.header.Get("Idempotent-Replayed") != "true" || len(receipts()) != n {
		t.Fatalf("the repeat in a new body: %d %s", k3.status, k3.body)
	}
	other, oct := receiptBody(onePagePDF("TAXI 3"), taxi)
	e.wantStatus(e.do("POST", path, RoleOperator, other, "Content-Type", oct, "Idempotency-Key", "rcpt-1"), 422, "another body, the same key")

	// Bad input changes nothing.
	before, n = events(), len(receipts())
	future := strings.Replace(hotel("100.00", "Hotel", "2026-07-01", 1, ""), `"date": "2026-07-09"`, `"date": "2099-07-09"`, 1)
	bad := []struct {
		file    []byte
		receipt string
		want    int
		fields  []string
	}{
		{[]byte{}, hotel("100.00", "Hotel", "2026-07-01", 1, ""), 422, []string{"file"}},
		{jpeg, future, 422, []string{"receipt.date"}},
		{jpeg, strings.Replace(hotel("100.00", "Hotel", "2026-06-01", 1, ""), `"date": "2026-07-09"`, `"date": "2026-06-02"`, 1), 422,
			[]string{"receipt.date", "receipt.service_from"}},
		{jpeg, strings.Replace(hotel("100.00", "Hotel", "2026-07-01", 1, ""), `"EUR"`, `"XTS"`, 1), 422, []string{"receipt.currency"}},
		{jpeg, hotel("99999999.00", "Hotel", "2026-07-01", 1, ""), 422, []string{"receipt.amount"}},
		{[]byte{}, `{"amount": "x"}`, 422, []string{"file", "receipt.amount", "receipt.arranged_by_assistance", "receipt.category",
			"receipt.currency", "receipt.date", "receipt.merchant"}},
		{[]byte("<html><script>alert(1)</script></html>"), hotel("100.00", "Hotel", "2026-07-01", 1, ""), 415, []string{"file"}},
		{jpeg, hotel("100.00", "Hotel", "2026-07-01", 1, `, "payee": {"name": "X", "account": {"method": "iban", "iban": "DE00 1234"}}`), 422,
			[]string{"receipt.payee.account.iban"}},
	}
	for i, b := range bad {
		r := e.upload(path, RoleOperator, b.file, b.receipt)
		if r.status != b.want || !slices.Equal(problemFields(t, r), b.fields) {
			t.Errorf("bad %d: %d %v, want %d %v: %s", i, r.status, problemFields(t, r), b.want, b.fields, r.body)
		}
	}
	big, bct := receiptBody(make([]byte, receiptfile.MaxSize+1), hotel("100.00", "Hotel", "2026-07-01", 1, ""))
	e.wantStatus(e.do("POST", path, RoleOperator, big, "Content-Type", bct), http.StatusRequestEntityTooLarge, "an 11 MiB file")
	e.wantStatus(e.do("POST", path, RoleOperator, `{}`), http.StatusUnsupportedMediaType, "json")
	nofile, nct := multipartBody(part{"receipt", "", "", []byte(taxi)}, part{"other", "", "", []byte("x")})
	if r := e.do("POST", path, RoleOperator, nofile, "Content-Type", nct); r.status != 422 ||
		!slices.Equal(problemFields(t, r), []string{"file", "other"}) {
		t.Errorf("no file part: %d %s", r.status, r.body)
	}
	if got, gotN := events(), len(receipts()); got != before || gotN != n {
		t.Fatalf("bad input changed something: %d events (was %d), %d receipts (was %d)", got, before, gotN, n)
	}

	// Roles: a claims handler reads but does not upload or review; a
	// partner does neither.
	e.wantStatus(e.upload(path, RoleClaims, jpeg, taxi), http.StatusForbidden, "claims handler uploads")
	e.wantStatus(e.do("POST", "/v1/receipts/"+id1+"/review", RoleClaims, `{"action": "approve"}`), http.StatusForbidden, "claims handler reviews")
	e.wantStatus(e.do("GET", path, RolePartner, ""), http.StatusForbidden, "partner reads")

	// An expired link, and a closed case's link, take no more receipts.
	short := e.do("POST", "/v1/cases/"+caseID+"/tracking-links", RoleOperator, `{"expires_in_hours": 1}`).json(t)["token"].(string)
	e.advance(61 * time.Minute)
	e.wantStatus(e.upload("/v1/track/"+short+"/receipts", "", receiptPhoto(9, "TAXI"), taxi), http.StatusNotFound, "expired link")
	e.wantStatus(e.do("POST", "/v1/cases/"+caseID+"/close", RoleOperator, `{"reason": "done"}`), http.StatusOK, "close")
	e.wantStatus(e.upload("/v1/track/"+link+"/receipts", "", receiptPhoto(9, "TAXI"), taxi), http.StatusNotFound, "closed case's link")
}

// TestReceiptPartsReadNoMoreThanTheLimit: a file part over the limit is
// refused after the limit and one byte, whatever follows.
func TestReceiptPartsReadNoMoreThanTheLimit(t *testing.T) {
	body, ct := receiptBody(make([]byte, 50<<20), `{}`)
	r := &countingReader{r: strings.NewReader(body)}
	_, err := readReceiptParts(r, ct, nil)
	if err == nil || !strings.Contains(err.Error(), "payload_too_large") {
		t.Fatalf("%v", err)
	}
	if r.n > receiptfile.MaxSize+64<<10 {
		t.Fatalf("read %d bytes of a 50 MiB body", r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// FuzzReceiptParts feeds the multipart decoder of uploads and the receipt's
// JSON part arbitrary bodies: it never panics, never returns more than a
// part's limit, and what it accepts reads back through the desk.
func FuzzReceiptParts(f *testing.F) {
	good, ct := receiptBody(onePagePDF("X"), hotel("1.00", "H", "2026-07-01", 1, payeeBlock))
	boundary := ct[strings.Index(ct, "boundary=")+len("boundary="):]
	f.Add([]byte(good), boundary)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\r\n--b--\r\n"), "b")
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"receipt\"\r\n\r\n{\"payee\":{\"account\":{}}}\r\n--b--\r\n"), "b")
	f.Add([]byte("garbage"), "x")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if len(body) > 1<<16 {
			return
		}
		p, err := readReceiptParts(bytes.NewReader(body), "multipart/form-data; boundary=\""+strings.ReplaceAll(boundary, `"`, "")+"\"", nil)
		if err != nil {
			return
		}
		if len(p.file) > receiptfile.MaxSize || len(p.part) > desk.MaxReceiptPart {
			t.Fatalf("parts over their limits: %d, %d", len(p.file), len(p.part))
		}
		up, err := desk.ReadReceiptUpload(p.file, p.part)
		if err != nil {
			return
		}
		if up.Receipt.Amount.Minor <= 0 || up.Receipt.Merchant == "" || !json.Valid(up.Part) {
			t.Fatalf("accepted %+v", up.Receipt)
		}
	})
}

// TestUploadSuggestion: with Tesseract on the server, the amount, date and
// merchant read from a receipt image come back as a suggestion beside the
// check, naming what the JSON part says otherwise; a PDF is not read, and
// without OCR there is no suggestion.
func TestUploadSuggestion(t *testing.T) {
	ocr, err := tesseract.New(context.Background(), "", "eng", "dan")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	e := newEnv(t)
	caseID := e.hotelCase()
	path := "/v1/cases/" + caseID + "/receipts"
	img := receiptimage.PNG(receiptimage.Receipt([]string{"HOTEL ROYAL AARHUS", "VESTERGADE 4, 8000 AARHUS", "DATO: 03.07.2026",
		"2 NAETTER X 2 PERS", "I ALT EUR 400,00"}, 4))
	part := strings.Replace(hotel("450.00", "Hotel Royal Aarhus", "2026-07-02", 1, ""), `"date": "2026-07-09"`, `"date": "2026-07-03"`, 1)

	plain := e.upload(path, RoleOperator, img, part)
	e.wantStatus(plain, http.StatusCreated, "without OCR")
	if _, ok := plain.json(t)["suggestion"]; ok {
		t.Fatalf("a suggestion without OCR: %s", plain.body)
	}

	e.srv.cfg.OCR = ocr
	start := time.Now()
	r := e.upload(path, RoleOperator, img, strings.Replace(part, "2026-07-02", "2026-07-04", 1))
	e.wantStatus(r, http.StatusCreated, "with OCR")
	t.Logf("upload with OCR answered in %v", time.Since(start).Round(time.Millisecond))
	s, ok := r.json(t)["suggestion"].(map[string]any)
	if !ok {
		t.Fatalf("no suggestion: %s", r.body)
	}
	amount, _ := s["amount"].(map[string]any)
	if amount["amount"] != "400.00" || amount["currency"] != "EUR" || s["date"] != "2026-07-03" || s["merchant"] != "HOTEL ROYAL AARHUS" ||
		fmt.Sprint(s["differs"]) != "[amount]" {
		t.Fatalf("suggestion %v", s)
	}
	// The suggestion is kept with the receipt for the person who checks it.
	if g := e.do("GET", r.header.Get("Location"), RoleOperator, "").json(t); g["suggestion"] == nil {
		t.Fatalf("the stored receipt lost its suggestion")
	}
	pdf := e.upload(path, RoleOperator, onePagePDF("HOTEL ROYAL 400,00"), strings.Replace(part, "2026-07-02", "2026-07-05", 1))
	e.wantStatus(pdf, http.StatusCreated, "pdf with OCR")
	if _, ok := pdf.json(t)["suggestion"]; ok {
		t.Fatalf("a PDF was read: %s", pdf.body)
	}
}
