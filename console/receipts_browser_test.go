package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"roadcover/console"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/internal/receiptimage"
	"roadcover/store"
	"roadcover/world"
)

// The receipt review queue in headless Chromium against the real service on
// SQLite: receipts flagged for a person are listed with their images
// beside the check, refused and cut in one step each, a review without its
// reason is refused at the field, and the page is usable at 390 px.

// reviewDesk is the service with an operator token.
type reviewDesk struct {
	url, token string
}

func startReviewDesk(t *testing.T) *reviewDesk {
	t.Helper()
	ctx := context.Background()
	st, err := database.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env, err := world.Env(ctx, world.Config{RatesFile: filepath.Join(t.TempDir(), "no-rates.csv")})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: st, Env: env})
	d := &reviewDesk{}
	if err := st.Update(ctx, func(tx store.Tx) error {
		_, secret, err := api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleOperator, Label: "review test operator"})
		d.token = secret
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := httpapi.NewAccount(ctx, st, api.Desk(), desk.AccountRequest{Email: "rita@desk.example", Name: "Rita Review",
		Role: desk.RoleOperator, Password: "Rita's long passphrase"}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.Handler())
	t.Cleanup(ts.Close)
	d.url = ts.URL
	return d
}

// call sends a request to the API and decodes its JSON answer.
func (d *reviewDesk) call(t *testing.T, method, path, contentType string, body []byte, want int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, d.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	return m
}

func (d *reviewDesk) upload(t *testing.T, caseID string, file []byte, receipt string) map[string]any {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="receipt"`)
	w, _ := mw.CreatePart(h)
	w.Write(file)
	mw.WriteField("receipt", receipt)
	mw.Close()
	return d.call(t, "POST", "/v1/cases/"+caseID+"/receipts", mw.FormDataContentType(), b.Bytes(), http.StatusCreated)
}

const reviewCase = `{"market": "DE", "language": "en",
  "occurred_at": "2026-07-01T09:30:00+02:00", "reported_at": "2026-07-01T10:05:00+02:00",
  "contact": {"channel": "on_call", "name": "Erika Musterfrau", "phone": "+49 89 1234567"},
  "vehicle": {"registration": "M-RC 2026", "model": "Polestar 2", "vin": "LPSVSEDEEML000002",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "A12 near Innsbruck"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "warning light"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

func hotelReceipt(amount, currency, merchant, from string) string {
	return fmt.Sprintf(`{"category": "hotel", "amount": %q, "currency": %q, "date": "2026-07-04", "merchant": %q,
	  "persons": 3, "nights": 1, "service_from": %q, "arranged_by_assistance": true}`, amount, currency, merchant, from)
}

// reviewChromium starts headless Chromium; without one the test is skipped,
// except under CI=true, where that is a failure.
func reviewChromium(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{os.Getenv("ROADCOVER_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no chromium binary found and CI=true: install Debian's chromium (apt-get install chromium)")
		}
		t.Skip("skipped: no chromium binary is installed (apt-get install chromium); set CI=true to make this a failure")
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000))
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// reviewShot saves a full-page PNG into ROADCOVER_SCREENSHOTS (or the
// test's temporary directory) and logs where.
func reviewShot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("ROADCOVER_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	return p
}

func reviewDo(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func reviewWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

func reviewEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func TestReceiptReviewInChromium(t *testing.T) {
	d := startReviewDesk(t)
	ctx := reviewChromium(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// A case whose customer chose hotel nights, and four receipts: one the
	// check approves, the same photograph again, a PDF with the same data,
	// and one in Swiss francs with no rate known.
	c := d.call(t, "POST", "/v1/cases", "application/json", []byte(reviewCase), http.StatusCreated)
	caseID := c["id"].(string)
	d.call(t, "POST", "/v1/cases/"+caseID+"/choices", "application/json", []byte(`{"group": "further_assistance", "code": "hotel"}`), http.StatusCreated)
	photo := receiptimage.Photograph(receiptimage.Receipt([]string{"HOTEL ALPENROSE", "MARIA-THERESIEN-STR 12", "6020 INNSBRUCK",
		"01.07.2026 1 NACHT 3 PERS", "SUMME EUR 480,00"}, 6), 1.5, 10, 3, 80)
	d.upload(t, caseID, photo, hotelReceipt("480.00", "EUR", "Hotel Alpenrose", "2026-07-01"))
	dup := d.upload(t, caseID, photo, hotelReceipt("480.00", "EUR", "Hotel Alpenrose", "2026-07-02"))
	pdf := d.upload(t, caseID, onePagePDF("HOTEL ALPENROSE EUR 480,00"), hotelReceipt("480.00", "EUR", "HOTEL ALPENROSE", "2026-07-03"))
	chf := d.upload(t, caseID, receiptimage.PNG(receiptimage.Receipt([]string{"HOTEL BAREN", "CHF 350.00"}, 7)),
		hotelReceipt("350.00", "CHF", "Hotel Bären", "2026-07-03"))
	for _, r := range []map[string]any{dup, pdf, chf} {
		if r["needs_review"] != true {
			t.Fatalf("not in the queue: %v", r)
		}
	}

	reviewDo(t, ctx, "sign in",
		chromedp.Navigate(d.url+"/console/"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "rita@desk.example"),
		chromedp.SendKeys(css("#password"), "Rita's long passphrase"),
		chromedp.Click(css("#signin-submit")),
		chromedp.WaitVisible(css("#queue-table")))
	reviewDo(t, ctx, "open the queue", chromedp.Click(css("#nav-receipts")))
	reviewWait(t, ctx, "three cards with their images", `document.querySelectorAll(".rc-card").length === 3 &&
		Array.from(document.querySelectorAll(".rc-card img")).length === 2 &&
		Array.from(document.querySelectorAll(".rc-card img")).every((i) => i.complete && i.naturalWidth > 0) &&
		document.querySelectorAll(".rc-card .rc-pdf a[href^='blob:']").length === 1`)
	if got := reviewEval[string](t, ctx, `document.getElementById("rc-count").textContent`); got != "3" {
		t.Errorf("count %q", got)
	}
	dupID, pdfID, chfID := dup["id"].(string), pdf["id"].(string), chf["id"].(string)
	if !reviewEval[bool](t, ctx, `document.querySelector("#rc-`+dupID+` .rc-dup").textContent.includes("same file") &&
		document.querySelector("#rc-`+chfID+` .rc-req[data-requires^='rate:CHF:']").textContent.includes("euro reference rate of CHF")`) {
		t.Error("the flags are not shown")
	}
	reviewShot(t, ctx, "receipts-queue-1440")

	// Refuse without a reason: the service's 422 names the field; nothing
	// changes.
	reviewDo(t, ctx, "refuse without a reason", chromedp.Click(css("#rc-"+dupID+" .rc-refuse")))
	reviewWait(t, ctx, "the problem at its field", `!!document.querySelector("#rc-`+dupID+` .problem[data-status='422'] li[data-field='reason']") &&
		!!document.querySelector("#rc-`+dupID+` select[name=reason].invalid")`)
	if got := d.call(t, "GET", "/v1/receipts/"+dupID, "", nil, http.StatusOK); got["line_no"] != float64(1) {
		t.Fatalf("a refused review changed the receipt: line %v", got["line_no"])
	}
	reviewShot(t, ctx, "receipts-refused-without-reason")

	// One step each: refuse the duplicate, cut the PDF to 100.00.
	reviewDo(t, ctx, "refuse the duplicate",
		chromedp.SetValue(css("#rc-"+dupID+" select[name=reason]"), "duplicate_receipt"),
		chromedp.Click(css("#rc-"+dupID+" .rc-refuse")),
		chromedp.WaitVisible(css("#rc-done-"+dupID)))
	reviewDo(t, ctx, "cut the pdf",
		chromedp.SetValue(css("#rc-"+pdfID+" input[name=amount]"), "100,00"),
		chromedp.SetValue(css("#rc-"+pdfID+" select[name=reason]"), "unreadable_receipt"),
		chromedp.SetValue(css("#rc-"+pdfID+" input[name=note]"), "the total is smudged"),
		chromedp.Click(css("#rc-"+pdfID+" .rc-cut")),
		chromedp.WaitVisible(css("#rc-done-"+pdfID)))
	got := d.call(t, "GET", "/v1/receipts/"+dupID, "", nil, http.StatusOK)
	if got["status"] != "refused" || got["line_no"] != float64(2) || got["needs_review"] != false {
		t.Errorf("the refused receipt: %v %v %v", got["status"], got["line_no"], got["needs_review"])
	}
	got = d.call(t, "GET", "/v1/receipts/"+pdfID, "", nil, http.StatusOK)
	if got["status"] != "cut" || got["amount"].(map[string]any)["amount"] != "100.00" ||
		got["line"].(map[string]any)["review"].(map[string]any)["note"] != "the total is smudged" {
		t.Errorf("the cut receipt: %v %v", got["status"], got["amount"])
	}
	if got := reviewEval[string](t, ctx, `document.getElementById("rc-count").textContent`); got != "1" {
		t.Errorf("count after two reviews %q", got)
	}
	reviewShot(t, ctx, "receipts-after-two-reviews")

	// At 390 px (a phone): one column, nothing wider than the screen, the
	// buttons within reach; in German.
	reviewDo(t, ctx, "a phone's width",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.SetValue(css("#lang-select"), "de"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("lang-select").dispatchEvent(new Event("change")), undefined`))
	reviewWait(t, ctx, "the German queue", `document.querySelector("main h1") && document.querySelector("main h1").textContent === "Belege zur Prüfung" &&
		document.querySelectorAll(".rc-card img").length === 1 && document.querySelector(".rc-card img").complete`)
	if w := reviewEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the page is %v px wide at 390 px", w)
	}
	if !reviewEval[bool](t, ctx, `(() => { const img = document.querySelector(".rc-card .rc-media").getBoundingClientRect();
		const check = document.querySelector(".rc-card .rc-check").getBoundingClientRect();
		const b = document.querySelector(".rc-card .rc-refuse").getBoundingClientRect();
		return check.top >= img.bottom - 1 && b.right <= 390 && b.height >= 40; })()`) {
		t.Error("at 390 px the check is not below the image, or a button is out of reach")
	}
	if got := reviewEval[string](t, ctx, `document.getElementById("nav-receipts").textContent`); got != "Belege" {
		t.Errorf("menu entry %q", got)
	}
	reviewShot(t, ctx, "receipts-queue-390-de")

	// The case page lists the case's four receipts with their state, and
	// those still waiting for a person lead to the queue.
	reviewDo(t, ctx, "the case page", chromedp.Navigate(d.url+"/console/#/case/"+caseID))
	reviewWait(t, ctx, "the case's receipts", `document.querySelectorAll("#case-receipts li").length === 4`)
	if n := reviewEval[int](t, ctx, `document.querySelectorAll('#case-receipts a[href="#/receipts"]').length`); n < 1 {
		t.Errorf("%d receipts of the case lead to the review queue", n)
	}
	if got := reviewEval[string](t, ctx, `document.getElementById("related-h").textContent`); got != "Belege und Schäden" {
		t.Errorf("the card is headed %q", got)
	}
	if w := reviewEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the case page is %v px wide at 390 px", w)
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(css("#case-related")))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("ROADCOVER_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "case-receipts-390-de.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
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

// TestReceiptLabels: every label of the receipt review exists in every
// language, and every label receipts.js asks for exists.
func TestReceiptLabels(t *testing.T) {
	en := console.LabelsOf(t, "receipts-i18n.js")
	js, err := os.ReadFile("assets/receipts.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexpAll(`\bt\("([a-z_.0-9]+)"\s*[,)]`, string(js)) {
		if _, ok := en[m]; !ok {
			t.Errorf("receipts.js asks for the label %q, which receipts-i18n.js lacks", m)
		}
	}
	reasons := regexpAll(`const REASONS = \[([^\]]*)\]`, string(js))
	if len(reasons) != 1 {
		t.Fatal("no REASONS in receipts.js")
	}
	for _, code := range regexpAll(`"([a-z_]+)"`, reasons[0]) {
		for _, k := range []string{"rc.reason." + code} {
			if _, ok := en[k]; !ok {
				t.Errorf("no label %s", k)
			}
		}
	}
	for _, action := range []string{"approve", "cut", "refuse"} {
		if _, ok := en["rc.done."+action]; !ok {
			t.Errorf("no label rc.done.%s", action)
		}
	}
	for _, fam := range []string{"rc.reason", "rc.cat", "rc.status", "rc.why"} {
		n := 0
		for k := range en {
			if strings.HasPrefix(k, fam+".") {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no labels of %s", fam)
		}
	}
}

// regexpAll is the first group of every match of expr in s.
func regexpAll(expr, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
