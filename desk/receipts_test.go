package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/internal/receiptimage"
	"roadcover/payee"
	"roadcover/receiptfile"
	"roadcover/reimbursement"
	"roadcover/store"
)

// abroadCase is a covered German case abroad (Austria, 140 km from home)
// for the driver and two passengers: it offers the 1.3 options, hotel
// nights among them.
const abroadCase = `{"market": "DE", "language": "de",
  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
  "contact": {"channel": "on_call", "name": "Test Driver", "phone": "+49 1"},
  "vehicle": {"registration": "M-RC 1", "model": "Polestar 2", "colour": "grey", "vin": "LPSVSEDEEML000001",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "warning light"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

// ledger stands in for the money ledger behind the desk's seams: it keeps
// the payables recorded and withdrawn, and says which receipts are paid.
type ledger struct {
	recorded  []desk.Payable
	withdrawn []desk.PayableWithdrawal
	paid      map[string]bool
}

func (l *ledger) ReceiptPaid(_ context.Context, _ store.Tx, _, receiptID string) (bool, error) {
	return l.paid[receiptID], nil
}

func (l *ledger) RecordPayable(_ context.Context, _ store.Tx, p desk.Payable) error {
	l.recorded = append(l.recorded, p)
	return nil
}

func (l *ledger) WithdrawPayable(_ context.Context, _ store.Tx, w desk.PayableWithdrawal) error {
	l.withdrawn = append(l.withdrawn, w)
	return nil
}

// receiptsHarness is a harness with a covered case whose customer chose
// hotel nights, and a ledger.
func receiptsHarness(t *testing.T) (*harness, desk.Case, *ledger) {
	t.Helper()
	h := newHarness(t)
	led := &ledger{paid: map[string]bool{}}
	h.d.Receipts.Paid, h.d.Receipts.Payables = led, led
	c := h.create([]byte(abroadCase))
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Choose(ctx, tx, operator, c.ID, desk.ChoiceRequest{Group: "further_assistance", Code: "hotel"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC)
	return h, c, led
}

// receiptPDF is a one-page PDF showing text, with a right
// cross-reference table.
func receiptPDF(text string) []byte {
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

// photo is a JPEG of a receipt with the given lines.
func photo(lines ...string) []byte {
	return receiptimage.JPEG(receiptimage.Receipt(lines, 4), 85)
}

func (h *harness) upload(caseID string, file []byte, part string) (desk.Receipt, error) {
	h.t.Helper()
	up, err := desk.ReadReceiptUpload(file, []byte(part))
	if err != nil {
		return desk.Receipt{}, err
	}
	var r desk.Receipt
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		r, err = h.d.AddReceipt(ctx, tx, operator, store.ViaOperator, caseID, &up)
		return err
	})
	return r, err
}

func (h *harness) mustUpload(caseID string, file []byte, part string) desk.Receipt {
	h.t.Helper()
	r, err := h.upload(caseID, file, part)
	if err != nil {
		h.t.Fatalf("upload %s: %v", part, err)
	}
	return r
}

func (h *harness) review(id, body string) (desk.Receipt, error) {
	var r desk.Receipt
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		r, err = h.d.ReviewReceipt(ctx, tx, operator, id, []byte(body))
		return err
	})
	return r, err
}

func hotelPart(amount, from string, nights int, extra string) string {
	return fmt.Sprintf(`{"category": "hotel", "amount": %q, "currency": "EUR", "date": "2026-07-09", "merchant": "Hotel %s",
	  "persons": 3, "nights": %d, "service_from": %q, "arranged_by_assistance": true%s}`, amount, from, nights, from, extra)
}

const iban = `, "payee": {"name": "Test Driver", "account": {"method": "iban", "iban": "DE89 3704 0044 0532 0130 00"}}`

// TestReadReceiptUploadNamesEveryField: a bad file and every bad field of
// the JSON part are named together; a file of another type is a media type
// refused, one over 10 MiB too large.
func TestReadReceiptUploadNamesEveryField(t *testing.T) {
	_, err := desk.ReadReceiptUpload([]byte{}, []byte(`{"category": "hotel", "amount": "-3", "currency": "XXX",
	  "date": "2026-13-01", "merchant": "", "nights": 0, "arranged_by_assistance": true, "colour": "red",
	  "payee": {"name": "", "account": {"method": "iban", "iban": "DE00 0000"}}}`))
	want := []string{"file", "receipt.amount", "receipt.colour", "receipt.currency", "receipt.date", "receipt.merchant",
		"receipt.nights", "receipt.payee.account.iban", "receipt.payee.name", "receipt.service_from"}
	if got := fieldsOf(err); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v (%v)", got, want, err)
	}
	if codeOf(err) != roadcover.CodeInvalidInput {
		t.Errorf("code %s", codeOf(err))
	}
	if got := fieldsOf(mustFail(desk.ReadReceiptUpload(nil, nil))); !slices.Equal(got, []string{"file", "receipt"}) {
		t.Errorf("no parts: %v", got)
	}
	if got := fieldsOf(mustFail(desk.ReadReceiptUpload(photo("A"), []byte(`[1]`)))); !slices.Equal(got, []string{"receipt"}) {
		t.Errorf("a part that is not an object: %v", got)
	}
	if got := fieldsOf(mustFail(desk.ReadReceiptUpload(photo("A"), []byte("{\"merchant\": \"a\x00\"}")))); !slices.Equal(got, []string{"receipt"}) {
		t.Errorf("a NUL: %v", got)
	}
	good := hotelPart("450.00", "2026-07-01", 1, "")
	err = mustFail(desk.ReadReceiptUpload([]byte("<html><script>alert(1)</script></html>"), []byte(good)))
	if codeOf(err) != roadcover.CodeUnsupportedMedia || !slices.Equal(fieldsOf(err), []string{"file"}) {
		t.Errorf("html: %v", err)
	}
	if codeOf(mustFail(desk.ReadReceiptUpload(make([]byte, receiptfile.MaxSize+1), []byte(good)))) != roadcover.CodeTooLarge {
		t.Error("a file over 10 MiB is not too large")
	}
	up, err := desk.ReadReceiptUpload(photo("HOTEL"), []byte(hotelPart("450.00", "2026-07-01", 1, iban)))
	if err != nil {
		t.Fatal(err)
	}
	if up.Payee == nil || up.Payee.Account.IBAN != "DE89370400440532013000" || up.File.Type != receiptfile.JPEG ||
		up.Receipt.Amount != (roadcover.Money{Minor: 45000, Currency: "EUR"}) {
		t.Errorf("%+v %+v", up.Payee, up.Receipt)
	}
}

func mustFail(_ desk.ReceiptUpload, err error) error { return err }

// TestHotelReceiptsShareTheCaseLimits: three hotel receipts never pay more
// than five nights for the case; each is checked against the stored
// decision and the lines before it, and each is an event.
func TestHotelReceiptsShareTheCaseLimits(t *testing.T) {
	h, c, led := receiptsHarness(t)
	r1 := h.mustUpload(c.ID, photo("HOTEL ALPENROSE", "2 NAECHTE 3 PERS", "SUMME EUR 900,00"), hotelPart("900.00", "2026-07-01", 2, iban))
	r2 := h.mustUpload(c.ID, photo("GASTHOF POST", "ZIMMER 12", "14", "2 NAECHTE", "GESAMT 1500,00"), hotelPart("1500.00", "2026-07-03", 2, ""))
	r3 := h.mustUpload(c.ID, receiptimage.PNG(receiptimage.Receipt([]string{"PENSION", "3"}, 6)), hotelPart("900.00", "2026-07-05", 3, ""))
	for _, x := range []struct {
		r      desk.Receipt
		status reimbursement.Status
		amount int64
		reason string
	}{{r1, reimbursement.Approved, 90000, reimbursement.ReasonWithinLimits},
		{r2, reimbursement.Cut, 120000, reimbursement.ReasonLimitPerNight},
		{r3, reimbursement.Cut, 30000, reimbursement.ReasonNightsOverMax}} {
		if x.r.Line.Status != x.status || x.r.Line.Amount.Minor != x.amount || x.r.Line.Reason != x.reason {
			t.Errorf("%s: %s %s %s, want %s %d %s", x.r.Rec.Merchant, x.r.Line.Status, x.r.Line.Amount, x.r.Line.Reason,
				x.status, x.amount, x.reason)
		}
		if len(x.r.Duplicates) != 0 || x.r.Rec.NeedsReview {
			t.Errorf("%s: duplicates %+v, needs review %v", x.r.Rec.Merchant, x.r.Duplicates, x.r.Rec.NeedsReview)
		}
	}
	// Five nights are paid: none is left for a fourth receipt.
	r4 := h.mustUpload(c.ID, receiptimage.PNG(receiptimage.Receipt([]string{"INN"}, 9)), hotelPart("150.00", "2026-07-08", 1, ""))
	if r4.Line.Status != reimbursement.Refused || r4.Line.Reason != reimbursement.ReasonNightsOverMax {
		t.Errorf("a sixth night: %s %s", r4.Line.Status, r4.Line.Reason)
	}
	var nights []string
	for _, r := range []desk.Receipt{r1, r2, r3, r4} {
		for _, n := range r.Line.Uses.Nights {
			nights = append(nights, n.Date.String())
		}
	}
	if len(nights) != 5 {
		t.Errorf("nights paid %v, want 5", nights)
	}
	// The payee came with the first receipt: it pays the others too.
	if len(led.recorded) != 3 {
		t.Fatalf("payables %+v", led.recorded)
	}
	for i, r := range []desk.Receipt{r1, r2, r3} {
		p := led.recorded[i]
		if p.ReceiptID != r.Rec.ID || p.Amount != r.Line.Amount || p.LineNo != 1 || p.Payee.Account.IBAN != "DE89370400440532013000" ||
			!strings.HasPrefix(p.Payee.ID, "case:"+c.ID+":") || p.Clause != "1.3.2" || p.Terms != c.Decision.Terms.ID || p.CaseID != c.ID {
			t.Errorf("payable %d: %+v", i, p)
		}
	}
	evs := h.events(c.ID)
	var added []desk.ReceiptData
	for _, e := range evs {
		if e.Kind == desk.EventReceiptAdded {
			var d desk.ReceiptData
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			added = append(added, d)
			if e.Actor != operator {
				t.Errorf("event actor %+v", e.Actor)
			}
		}
	}
	if len(added) != 4 || added[1].ReceiptID != r2.Rec.ID || added[1].Status != "cut" || added[1].Amount != "1200.00" ||
		added[0].Payable != desk.PayableID(r1.Rec.ID, 1) {
		t.Errorf("events %+v", added)
	}
}

// TestSameFileTwiceIsFlagged: the same file again is kept once and the
// second receipt is flagged for a person (never dropped), as is one with
// the same day, amount, currency and merchant in another file.
func TestSameFileTwiceIsFlagged(t *testing.T) {
	h, c, led := receiptsHarness(t)
	file := photo("HOTEL ALPENROSE", "SUMME EUR 400,00")
	a := h.mustUpload(c.ID, file, hotelPart("400.00", "2026-07-01", 1, iban))
	b := h.mustUpload(c.ID, file, strings.Replace(hotelPart("400.00", "2026-07-02", 1, ""), `"merchant": "Hotel 2026-07-02"`,
		`"merchant": "Hotel 2026-07-01"`, 1))
	// The same day, amount, currency and merchant as both, in a PDF.
	p := h.mustUpload(c.ID, receiptPDF("HOTEL 2026-07-01 EUR 400,00"), strings.Replace(hotelPart("400.00", "2026-07-03", 1, ""),
		`"merchant": "Hotel 2026-07-03"`, `"merchant": "HOTEL 2026-07-01."`, 1))
	if len(a.Duplicates) != 0 || a.Rec.NeedsReview {
		t.Fatalf("first: %+v", a.Duplicates)
	}
	if len(b.Duplicates) != 1 || b.Duplicates[0].Receipt != a.Rec.ID || !slices.Contains(b.Duplicates[0].Why, receiptfile.SameContent) ||
		!b.Rec.NeedsReview || b.Rec.File != a.Rec.File {
		t.Fatalf("second: %+v", b.Duplicates)
	}
	// Same day, amount, currency and merchant as both: flagged against both.
	if len(p.Duplicates) != 2 || !p.Rec.NeedsReview || p.Duplicates[0].Why[0] != receiptfile.SameReceiptData {
		t.Fatalf("pdf: %+v", p.Duplicates)
	}
	// A line flagged for a person is not paid before one has looked.
	for _, x := range led.recorded {
		if x.ReceiptID == b.Rec.ID || x.ReceiptID == p.Rec.ID {
			t.Fatalf("a flagged receipt was paid: %+v", x)
		}
	}
	var queue []desk.Receipt
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		queue, _, err = h.d.ReviewQueue(context.Background(), tx, "", 10)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(queue) != 2 || queue[0].Rec.ID != b.Rec.ID || queue[1].Rec.ID != p.Rec.ID {
		t.Fatalf("queue %d", len(queue))
	}
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		f, err := desk.ReceiptFile(context.Background(), tx, b.Rec.ID)
		if !bytes.Equal(f.Content, file) || f.SHA256 != a.Rec.File {
			t.Error("the stored file differs")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestReviews: a cut and a refusal with reasons are new line versions and
// events; an approved or cut line becomes the receipt's payable, a refusal
// withdraws it; a paid receipt is not reviewed (409); bad reviews change
// nothing.
func TestReviews(t *testing.T) {
	h, c, led := receiptsHarness(t)
	a := h.mustUpload(c.ID, photo("HOTEL ALPENROSE", "SUMME EUR 400,00"), hotelPart("400.00", "2026-07-01", 1, iban))
	b := h.mustUpload(c.ID, photo("GASTHOF POST", "ZIMMER 12", "GESAMT 300,00"), hotelPart("300.00", "2026-07-02", 1, ""))

	cut, err := h.review(a.Rec.ID, `{"action": "cut", "amount": "250.00", "currency": "EUR", "reason": "unreadable_receipt", "note": "the total is hard to read"}`)
	if err != nil {
		t.Fatal(err)
	}
	if cut.Line.Status != reimbursement.Cut || cut.Line.Amount.Minor != 25000 || cut.Rec.LineNo != 2 || cut.Line.Review == nil ||
		cut.Line.Review.Before != reimbursement.Approved || cut.Rec.NeedsReview {
		t.Fatalf("cut: %+v", cut.Line)
	}
	last := led.recorded[len(led.recorded)-1]
	if last.ReceiptID != a.Rec.ID || last.LineNo != 2 || last.Replaces != 1 || last.Amount.Minor != 25000 {
		t.Fatalf("payable after the cut: %+v", last)
	}
	ref, err := h.review(b.Rec.ID, `{"action": "refuse", "reason": "not_for_this_case"}`)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Line.Status != reimbursement.Refused || ref.Line.Amount.Minor != 0 || ref.Line.Reason != reimbursement.ReasonNotThisCase ||
		len(led.withdrawn) != 1 || led.withdrawn[0].ReceiptID != b.Rec.ID || led.withdrawn[0].LineNo != 1 || ref.Rec.PayableNo != 0 {
		t.Fatalf("refused: %+v %+v", ref.Line, led.withdrawn)
	}
	var lines []store.ReceiptLine
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		r, err := h.d.GetReceipt(context.Background(), tx, a.Rec.ID)
		lines = r.Lines
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0].Status != "approved" || lines[1].Status != "cut" || lines[1].Action != "cut" {
		t.Fatalf("versions %+v", lines)
	}
	n := len(h.events(c.ID))
	for _, bad := range []string{`{"action": "cut"}`, `{"action": "refuse"}`, `{"action": "cut", "amount": "9000.00", "currency": "EUR", "reason": "other", "note": "x"}`, `nope`} {
		if _, err := h.review(a.Rec.ID, bad); codeOf(err) != roadcover.CodeInvalidInput {
			t.Errorf("%s: %v", bad, err)
		}
	}
	led.paid[a.Rec.ID] = true
	if _, err := h.review(a.Rec.ID, `{"action": "refuse", "reason": "duplicate_receipt"}`); codeOf(err) != roadcover.CodeConflict {
		t.Errorf("a paid receipt reviewed: %v", err)
	}
	if _, err := h.review("rcp_nothing", `{"action": "approve"}`); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown receipt: %v", err)
	}
	evs := h.events(c.ID)
	if len(evs) != n {
		t.Fatalf("bad reviews wrote events: %d, was %d", len(evs), n)
	}
	var reviewed []desk.ReceiptData
	for _, e := range evs {
		if e.Kind == desk.EventReceiptReviewed {
			var d desk.ReceiptData
			json.Unmarshal(e.Data, &d)
			reviewed = append(reviewed, d)
		}
	}
	if len(reviewed) != 2 || reviewed[0].Action != "cut" || reviewed[0].Reason != "unreadable_receipt" || reviewed[0].Note == "" ||
		reviewed[0].Before != "approved" || reviewed[1].Action != "refuse" || reviewed[1].Reason != "not_for_this_case" {
		t.Fatalf("review events %+v", reviewed)
	}
}

// TestReceiptInputErrors: a receipt dated before the event or after today,
// or on an unknown case, is refused and changes nothing.
func TestReceiptInputErrors(t *testing.T) {
	h, c, _ := receiptsHarness(t)
	future := strings.Replace(hotelPart("100.00", "2026-07-01", 1, ""), `"date": "2026-07-09"`, `"date": "2026-07-30"`, 1)
	if _, err := h.upload(c.ID, photo("A"), future); !slices.Equal(fieldsOf(err), []string{"receipt.date"}) {
		t.Errorf("future: %v", err)
	}
	before := strings.Replace(hotelPart("100.00", "2026-06-20", 1, ""), `"date": "2026-07-09"`, `"date": "2026-06-21"`, 1)
	if _, err := h.upload(c.ID, photo("A"), before); !slices.Equal(fieldsOf(err), []string{"receipt.date", "receipt.service_from"}) {
		t.Errorf("before the event: %v", err)
	}
	if _, err := h.upload("nothing", photo("A"), hotelPart("100.00", "2026-07-01", 1, "")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		rs, err := h.d.CaseReceipts(context.Background(), tx, c.ID, true)
		if len(rs) != 0 {
			t.Errorf("%d receipts stored", len(rs))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestDriverSeesReceipts: the driver's view lists the receipts' states and
// reasons in the driver's language, with no internal ids; a receipt that
// pays but has no payee says the bank account is needed.
func TestDriverSeesReceipts(t *testing.T) {
	h, c, _ := receiptsHarness(t)
	r := h.mustUpload(c.ID, photo("HOTEL ALPENROSE", "SUMME EUR 400,00"), hotelPart("400.00", "2026-07-01", 1, ""))
	var link desk.Link
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		link, err = h.d.CreateLink(ctx, tx, operator, c.ID, 48)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var v desk.DriverView
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		v, err = h.d.ViewByLink(context.Background(), tx, []byte("hash:"+link.Token), roadcover.English)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(v.Receipts) != 1 {
		t.Fatalf("%+v", v.Receipts)
	}
	d := v.Receipts[0]
	if d.State != "approved" || d.Amount.Minor != 40000 || !slices.Equal(d.Requires, []string{"payee"}) ||
		!strings.Contains(d.RequiresText, "IBAN") || d.Text == "" || d.Text == r.Line.Text {
		t.Fatalf("driver receipt %+v (line text %q)", d, r.Line.Text)
	}
	doc := v.AppendJSON(nil)
	if bytes.Contains(doc, []byte(r.Rec.ID)) || bytes.Contains(doc, []byte(r.Rec.File)) || bytes.Contains(doc, []byte(c.ID)) {
		t.Fatalf("the driver's view shows an internal id: %s", doc)
	}
}

// TestClosedCaseReceipts: a receipt dated after the case was closed is
// refused with its clause; the day of closing counts.
func TestClosedCaseReceipts(t *testing.T) {
	h, c, _ := receiptsHarness(t)
	h.now = time.Date(2026, 7, 5, 12, 0, 0, 0, time.UTC)
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Close(ctx, tx, operator, c.ID, "car repaired")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.now = time.Date(2026, 7, 10, 12, 0, 0, 0, time.UTC)
	r := h.mustUpload(c.ID, photo("HOTEL"), strings.Replace(hotelPart("200.00", "2026-07-05", 1, ""), `"date": "2026-07-09"`, `"date": "2026-07-06"`, 1))
	if r.Line.Status != reimbursement.Refused || r.Line.Reason != reimbursement.ReasonAfterClosed {
		t.Fatalf("%s %s", r.Line.Status, r.Line.Reason)
	}
	ok := h.mustUpload(c.ID, photo("GASTHOF", "1", "2"), strings.Replace(hotelPart("200.00", "2026-07-04", 1, ""), `"date": "2026-07-09"`, `"date": "2026-07-05"`, 1))
	if ok.Line.Status != reimbursement.Approved {
		t.Fatalf("receipt of the closing day: %s %s", ok.Line.Status, ok.Line.Reason)
	}
}

// FuzzReadReceiptPart feeds the receipt's JSON part with its payee block
// arbitrary bytes: it never panics, every refusal names fields, and what it
// accepts is a receipt the check can take and a payee in canonical form.
func FuzzReadReceiptPart(f *testing.F) {
	f.Add([]byte(hotelPart("450.00", "2026-07-01", 1, iban)))
	f.Add([]byte(`{"category": "taxi", "amount": 12, "currency": "DKK", "date": "2026-07-02", "merchant": "Taxa", "arranged_by_assistance": false,
	  "payee": {"name": "Eva", "account": {"method": "bankgiro", "bankgiro": "5050-1055"}}}`))
	f.Add([]byte(`{"payee": {"account": {"method": "se_account", "clearing": "8327-9", "number": "123"}}}`))
	f.Add([]byte(`{"payee": null, "category": "hotel"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, part []byte) {
		if len(part) > desk.MaxReceiptPart {
			return
		}
		r, p, err := desk.ReadReceiptPart(part)
		if err != nil {
			var ie *roadcover.InputError
			if !errors.As(err, &ie) || len(ie.Errors) == 0 {
				t.Fatalf("a refusal that names no field: %v", err)
			}
			return
		}
		if r.Amount.Minor <= 0 || r.Merchant == "" || r.Date.IsZero() || !slices.Contains(reimbursement.Categories, r.Category) {
			t.Fatalf("accepted %+v", r)
		}
		if p != nil {
			if q, err := payee.Normalize(*p); err != nil || q != *p {
				t.Fatalf("payee %+v not canonical: %v", *p, err)
			}
		}
	})
}

// TestPayeeGivenLater: lines that pay wait for a payee; the receipt that
// brings one records their payables with its own, in its transaction; a
// line a person must look at still waits.
func TestPayeeGivenLater(t *testing.T) {
	h, c, led := receiptsHarness(t)
	a := h.mustUpload(c.ID, photo("HOTEL ALPENROSE", "SUMME EUR 400,00"), hotelPart("400.00", "2026-07-01", 1, ""))
	if len(led.recorded) != 0 || !slices.Equal(a.Requires, []string{"payee"}) || a.Rec.PayableNo != 0 {
		t.Fatalf("without a payee: %v %+v", a.Requires, led.recorded)
	}
	again := h.mustUpload(c.ID, photo("HOTEL ALPENROSE", "SUMME EUR 400,00"), hotelPart("400.00", "2026-07-02", 1, "")) // the same file: for a person
	b := h.mustUpload(c.ID, photo("GASTHOF POST", "ZIMMER 12", "GESAMT 300,00"), hotelPart("300.00", "2026-07-03", 1, iban))
	if len(led.recorded) != 2 || led.recorded[0].ReceiptID != b.Rec.ID || led.recorded[1].ReceiptID != a.Rec.ID ||
		led.recorded[1].Amount.Minor != 40000 || len(b.Requires) != 0 {
		t.Fatalf("payables %+v", led.recorded)
	}
	var rs []desk.Receipt
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		rs, err = h.d.CaseReceipts(context.Background(), tx, c.ID, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		switch r.Rec.ID {
		case a.Rec.ID:
			if r.Rec.PayableNo != 1 || len(r.Requires) != 0 || r.Payee == nil {
				t.Errorf("the first receipt: payable %d, requires %v", r.Rec.PayableNo, r.Requires)
			}
		case again.Rec.ID:
			if r.Rec.PayableNo != 0 || !r.Rec.NeedsReview {
				t.Errorf("the flagged receipt got a payable")
			}
		}
	}
}

// TestPayeeChangedLaterKeepsEarlierPayables: a payable pays the account
// that was given with it. A later receipt that names another account
// records its own payable to that account and leaves the payee of the
// payables already recorded as it was; the same details again are the
// same payee.
func TestPayeeChangedLaterKeepsEarlierPayables(t *testing.T) {
	h, c, led := receiptsHarness(t)
	h.mustUpload(c.ID, receiptPDF("GASTHOF POST 300,00"), hotelPart("300.00", "2026-07-01", 1, iban))
	other := `, "payee": {"name": "Someone Else", "account": {"method": "iban", "iban": "GB82 WEST 1234 5698 7654 32"}}`
	h.mustUpload(c.ID, receiptPDF("HOTEL ALPENROSE 400,00"), hotelPart("400.00", "2026-07-02", 1, other))
	h.mustUpload(c.ID, receiptPDF("PENSION MAYR 200,00"), hotelPart("200.00", "2026-07-03", 1, iban))
	if len(led.recorded) != 3 {
		t.Fatalf("payables %+v", led.recorded)
	}
	first, second, third := led.recorded[0].Payee, led.recorded[1].Payee, led.recorded[2].Payee
	if first.ID == second.ID {
		t.Errorf("two accounts share the payee id %s: %+v and %+v", first.ID, first.Account, second.Account)
	}
	if first.ID != third.ID || first != third {
		t.Errorf("the same details are two payees: %+v and %+v", first, third)
	}
	for _, p := range []payee.Payee{first, second} {
		if !strings.HasPrefix(p.ID, "case:"+c.ID) || !payee.ValidID(p.ID) {
			t.Errorf("payee id %q", p.ID)
		}
	}
}

// TestSameFileOnAnotherCaseIsFlagged: a file already sent with a receipt
// of another case is flagged as the same file (a receipt claimed twice),
// for a person to look at before anything is paid.
func TestSameFileOnAnotherCaseIsFlagged(t *testing.T) {
	h, c, led := receiptsHarness(t)
	file := receiptPDF("GASTHOF POST 300,00")
	first := h.mustUpload(c.ID, file, hotelPart("300.00", "2026-07-01", 1, iban))
	second := h.create([]byte(abroadCase))
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Choose(ctx, tx, operator, second.ID, desk.ChoiceRequest{Group: "further_assistance", Code: "hotel"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	again := h.mustUpload(second.ID, file, hotelPart("300.00", "2026-07-01", 1, iban))
	if len(again.Duplicates) != 1 || again.Duplicates[0].Receipt != first.Rec.ID ||
		!slices.Equal(again.Duplicates[0].Why, []string{receiptfile.SameContent}) || !again.Rec.NeedsReview {
		t.Fatalf("the same file on another case: duplicates %+v, needs review %v", again.Duplicates, again.Rec.NeedsReview)
	}
	if len(led.recorded) != 1 || led.recorded[0].ReceiptID != first.Rec.ID {
		t.Fatalf("payables %+v", led.recorded)
	}
	other := h.mustUpload(second.ID, receiptPDF("PENSION MAYR 200,00"), hotelPart("200.00", "2026-07-02", 1, iban))
	if len(other.Duplicates) != 0 || other.Rec.NeedsReview {
		t.Fatalf("another file: %+v", other.Duplicates)
	}
}
