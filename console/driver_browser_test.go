package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"roadcover"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/sites"
	"roadcover/store"
	"roadcover/world"
)

// driverDesk is the real service with a tow partner that has a phone,
// trucks and plates, an operator and the partner's token, and a German
// customer's case abroad (near Bolzano) with a tracking link and a tow
// job.
type driverDesk struct {
	url, operator, partner string
	caseID, jobID, link    string
}

const deskPhone = "+49 000 000 0042"

func startDriverDesk(t *testing.T) *driverDesk {
	t.Helper()
	ctx := context.Background()
	st, err := database.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env, err := world.Env(ctx, world.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// One workshop in the network: the tow's destination, which the
	// driver is shown by its name and distance.
	if env.Sites, err = sites.New([]roadcover.Site{{ID: "ws-bozen-test", Kind: roadcover.SiteWorkshop, Name: "Werkstatt Bozen Süd",
		Country: "IT", Point: roadcover.Point{Lat: 46.47, Lon: 11.32}}}); err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: st, Env: env, DeskPhone: deskPhone, StreamPoll: 2 * time.Second})
	d := &driverDesk{}
	err = st.Update(ctx, func(tx store.Tx) error {
		if _, _, err := api.Desk().CreatePartner(ctx, tx, desk.PartnerRequest{ID: "sample-tow-it-bolzano",
			Name: "Sample Towing Bolzano", Phone: "+39 000 000 4710", Trucks: []string{"flatbed", "wheel_lift"},
			Plates: []string{"SAMPLE-IT-471", "SAMPLE-IT-478"}}); err != nil {
			return err
		}
		var err error
		if _, d.operator, err = api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleOperator}); err != nil {
			return err
		}
		_, d.partner, err = api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RolePartner, Partner: "sample-tow-it-bolzano"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.Handler())
	t.Cleanup(ts.Close)
	d.url = ts.URL
	body, err := os.ReadFile(filepath.Join("..", "examples", "assistance", "breakdown-de.json"))
	if err != nil {
		t.Fatal(err)
	}
	d.caseID = d.call(t, "POST", "/v1/cases", d.operator, string(body), 201)["id"].(string)
	d.link = d.call(t, "POST", "/v1/cases/"+d.caseID+"/tracking-links", d.operator, `{}`, 201)["token"].(string)
	d.jobID = d.call(t, "POST", "/v1/cases/"+d.caseID+"/jobs", d.operator, `{"kind": "tow", "partner": "sample-tow-it-bolzano"}`, 201)["id"].(string)
	return d
}

// call sends a JSON request with a bearer token and wants status.
func (d *driverDesk) call(t *testing.T, method, path, token, body string, status int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, d.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, res.StatusCode, status, b)
	}
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

// pageLoad is what one load of the page cost: the bytes transferred (as
// Chromium's network events count them, headers included) by URL, and the
// first contentful paint.
type pageLoad struct {
	mu    sync.Mutex
	urls  map[network.RequestID]string
	bytes map[string]float64
}

func (p *pageLoad) total() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0.0
	for _, b := range p.bytes {
		n += b
	}
	return n
}

func (p *pageLoad) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lines []string
	for u, b := range p.bytes {
		lines = append(lines, fmt.Sprintf("%8.0f %s", b, u))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func listenLoad(t *testing.T, ctx context.Context) *pageLoad {
	t.Helper()
	p := &pageLoad{urls: map[network.RequestID]string{}, bytes: map[string]float64{}}
	err := chromedp.Listen(ctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			p.urls[e.RequestID] = e.Request.URL
		case *network.EventLoadingFinished:
			u := p.urls[e.RequestID]
			if i := strings.Index(u, "?"); i >= 0 && !strings.Contains(u, "/outlines") {
				u = u[:i]
			}
			p.bytes[u] += e.EncodedDataLength
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func call[P any, R any](cmd cdp.Command[P, R], params P) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, cmd, params)
		return err
	})
}

// axeViolations injects axe-core (testdata/axe-core) and returns its serious
// and critical violations, one line each.
func axeViolations(t *testing.T, ctx context.Context) []string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		  .map(v => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.map(n => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return res
}

// TestDriverPageInChromium: a driver opens the tracking link on a phone
// (390 px wide): the page is small, paints fast with the CPU slowed four
// times, passes axe-core without serious or critical findings and needs no
// sideways scrolling; the driver sees the truck move and the ETA change as
// the partner reports them through the API, picks the hotel, finds the
// receipts not yet open (or sends one when the endpoint exists), moves the
// pin of the car, switches the language and reaches everything with the
// keyboard; when the case is closed the page says the link has ended.
func TestDriverPageInChromium(t *testing.T) {
	d := startDriverDesk(t)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	page := d.url + "/v1/track/" + d.link

	// First load: a phone's screen, a CPU four times slower, counted.
	load := listenLoad(t, ctx)
	do(t, ctx, "emulate a phone",
		call(network.Enable, network.EnableParams{}),
		call(network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}),
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulatePortrait),
		call(emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4}))
	do(t, ctx, "open the link", chromedp.Navigate(page), chromedp.WaitVisible(css("#steps")))
	waitJS(t, ctx, "the live stream and the country borders",
		`document.getElementById("live").classList.contains("on") && document.querySelector("#map path") !== null`)
	time.Sleep(500 * time.Millisecond) // the last responses' loadingFinished events
	total, table := load.total(), load.String()
	fcpNow := func() float64 {
		fcp, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`(performance.getEntriesByName("first-contentful-paint")[0] || {startTime: -1}).startTime`))
		nav, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(((n) => ({rs: Math.round(n.responseStart), re: Math.round(n.responseEnd), dcl: Math.round(n.domContentLoadedEventStart)}))(performance.getEntriesByType("navigation")[0]))`))
		t.Logf("navigation %s", nav)
		if err != nil {
			t.Fatal(err)
		}
		return fcp
	}
	fcps := []float64{fcpNow()}
	for range 4 {
		do(t, ctx, "open the link again", chromedp.Navigate(page), chromedp.WaitVisible(css("#steps")))
		fcps = append(fcps, fcpNow())
	}
	slices.Sort(fcps)
	fcp := fcps[len(fcps)/2]
	t.Logf("at 390 px, CPU slowed 4×: first contentful paint %.0f ms (median of %v), %.0f bytes transferred on the first load:\n%s",
		fcp, fcps, total, table)
	// With the race detector the server itself is several times slower:
	// then the best load must paint in time, else the median.
	if judged := map[bool]float64{false: fcp, true: fcps[0]}[raceDetector]; fcps[0] < 0 || judged > 1000 {
		t.Errorf("first contentful paint %.0f ms (of %v; race detector %v), want at most 1000 ms", judged, fcps, raceDetector)
	}
	if total > 300*1024 {
		t.Errorf("the page weighs %.0f bytes, want at most 300 KB", total)
	}
	do(t, ctx, "full speed", call(emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 1}))

	// What the booked job shows; nothing internal on the page.
	html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{d.caseID, d.jobID, "sample-tow-it-bolzano", "tok_"} {
		if strings.Contains(html, id) {
			t.Errorf("the page shows the internal id %q", id)
		}
	}
	for _, want := range []string{"Sample Towing Bolzano", "+39 000 000 4710", "tel:+490000000042", "tel:+390000004710", "Help booked", "Hotel"} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if err != nil || wide > 390 {
		t.Errorf("the page is %v px wide at 390 px (%v): it scrolls sideways", wide, err)
	}
	if v := axeViolations(t, ctx); len(v) > 0 {
		t.Errorf("axe-core, serious or critical:\n%s", strings.Join(v, "\n"))
	}
	phoneShot(t, ctx, "driver-1-booked-top", "body")
	phoneShot(t, ctx, "driver-1-booked-choice", "#choice-card")
	phoneShot(t, ctx, "driver-1-booked-cover", "#cover-card")
	// The box "booked by the desk" is a box beside its words, not a
	// field's width above them.
	if box := eval[[]float64](t, ctx, `(() => { const b = document.getElementById("r-arranged").getBoundingClientRect(),
		l = document.querySelector("label.check").getBoundingClientRect(); return [b.width, b.height, b.top - l.top, b.right - l.left]; })()`); box[0] > 32 || box[1] > 32 || box[2] > 8 || box[3] > 40 {
		t.Errorf("the checkbox is %.0f×%.0f px, %.0f px below and ending %.0f px right of its label's start", box[0], box[1], box[2], box[3])
	}
	// A date field is wide enough for its date (a row of three wraps).
	if w := eval[float64](t, ctx, `document.getElementById("r-from").getBoundingClientRect().width`); w < 150 {
		t.Errorf("the first night's date field is %.0f px wide", w)
	}
	phoneShot(t, ctx, "driver-1-booked-receipts", "#receipts-card")

	// The partner sets off and reports where the truck is.
	eta := time.Now().Add(35 * time.Minute).UTC().Format(time.RFC3339)
	d.call(t, "PATCH", "/v1/jobs/"+d.jobID, d.partner, `{"status": "EN_ROUTE", "eta": "`+eta+`"}`, 200)
	d.call(t, "POST", "/v1/jobs/"+d.jobID+"/positions", d.partner,
		`{"lat": 46.5710, "lon": 11.4230, "truck": "flatbed", "plate": "SAMPLE-IT-471", "heading_deg": 250}`, 201)
	waitJS(t, ctx, "the truck on the map", `document.getElementById("map").dataset.truck === "46.57100,11.42300"`)
	waitJS(t, ctx, "the ETA in minutes", `(m => m && +m.dataset.minutes >= 33 && +m.dataset.minutes <= 35)(document.querySelector("#eta .eta-min"))`)
	if got := text(t, ctx, "#who"); !strings.Contains(got, "Flatbed truck") || !strings.Contains(got, "SAMPLE-IT-471") {
		t.Errorf("who is coming: %q", got)
	}
	if got := text(t, ctx, `#steps [aria-current="step"]`); !strings.Contains(got, "On the way") {
		t.Errorf("current step: %q", got)
	}
	phoneShot(t, ctx, "driver-2-on-the-way-top", "body")
	phoneShot(t, ctx, "driver-2-on-the-way-map", "#who-card")
	time.Sleep(desk.MinPositionInterval + 100*time.Millisecond)
	eta = time.Now().Add(20 * time.Minute).UTC().Format(time.RFC3339)
	d.call(t, "POST", "/v1/jobs/"+d.jobID+"/positions", d.partner, `{"lat": 46.5230, "lon": 11.3710}`, 201)
	d.call(t, "PATCH", "/v1/jobs/"+d.jobID, d.partner, `{"eta": "`+eta+`"}`, 200)
	waitJS(t, ctx, "the truck moved", `document.getElementById("map").dataset.truck === "46.52300,11.37100"`)
	waitJS(t, ctx, "the ETA changed", `(m => m && +m.dataset.minutes >= 18 && +m.dataset.minutes <= 20)(document.querySelector("#eta .eta-min"))`)
	phoneShot(t, ctx, "driver-3-truck-moved-top", "body")
	phoneShot(t, ctx, "driver-3-truck-moved-map", "#map-card")

	// Keyboard: every control is reached with Tab.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.blur(), window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	var reached []string
	for range 60 {
		do(t, ctx, "tab", chromedp.KeyEvent(kb.Tab))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(e => e.id || e.getAttribute("hreflang") || e.name || e.className)(document.activeElement)`))
		if err != nil {
			t.Fatal(err)
		}
		reached = append(reached, id)
	}
	for _, want := range []string{"de", "fix-start", "code", "choice-submit", "call-desk"} {
		if !slices.Contains(reached, want) {
			t.Errorf("Tab never reaches %s: %v", want, reached)
		}
	}

	// The driver picks the hotel (an option of 1.3 the decision offers).
	do(t, ctx, "pick the hotel",
		scrollTo(`#choice-form input[value="hotel"]`),
		chromedp.Click(css(`#choice-form input[value="hotel"]`)),
		chromedp.Click(css("#choice-submit")),
		chromedp.WaitVisible(css("#choice .chosen")))
	if got := text(t, ctx, "#choice .chosen"); !strings.Contains(got, "Hotel") {
		t.Errorf("chosen: %q", got)
	}
	c := d.call(t, "GET", "/v1/cases/"+d.caseID, d.operator, "", 200)
	choices, _ := json.Marshal(c["choices"])
	if !strings.Contains(string(choices), `"code":"hotel"`) || !strings.Contains(string(choices), `"role":"driver"`) {
		t.Errorf("the case's choices: %s", choices)
	}
	d.call(t, "POST", "/v1/track/"+d.link+"/choices", "", `{"group": "further_assistance", "code": "rental_car"}`, 409)

	// Receipts: sent when the endpoint exists, else the page says not yet.
	res, err := http.Get(d.url + "/v1/track/" + d.link + "/receipts")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusNotFound {
		waitJS(t, ctx, "receipts not yet open", `document.getElementById("receipt-form").dataset.state === "notyet" &&
			!document.getElementById("receipts-notyet").hidden && document.getElementById("r-file").disabled`)
		if got := text(t, ctx, "#receipts-notyet"); !strings.Contains(got, "not available yet") {
			t.Errorf("receipts notice: %q", got)
		}
	} else {
		receipt := filepath.Join(t.TempDir(), "receipt.pdf")
		if err := os.WriteFile(receipt, []byte(samplePDF), 0o644); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, "send a receipt",
			scrollTo("#receipts-card"),
			chromedp.SetUploadFiles(css("#r-file"), []string{receipt}),
			chromedp.SetValue(css("#r-amount"), "89.50"),
			chromedp.SetValue(css("#r-category"), "hotel"),
			chromedp.SetValue(css("#r-merchant"), "Sample Hotel Bolzano"),
			chromedp.Click(css("#receipt-submit")))
		waitJS(t, ctx, "the receipt answered", `document.getElementById("receipt-msg").className !== ""`)
		if cls := text(t, ctx, "#receipt-msg"); !strings.Contains(cls, "") || eval[string](t, ctx, `document.getElementById("receipt-msg").className`) != "ok" {
			t.Fatalf("the receipt was not taken: %q", cls)
		}
		// The page lists it with what became of it; while no account is
		// known it asks for one, and the IBAN sent with the next receipt
		// is the one it is paid on.
		waitJS(t, ctx, "the receipt listed", `[...document.querySelectorAll("#my-receipts li")].some(e => e.textContent.includes("Sample Hotel Bolzano") && e.textContent.includes("89.50 EUR"))`)
		phoneShot(t, ctx, "driver-4-receipt-listed", "#receipts-card")
		if needs := eval[bool](t, ctx, `!!document.querySelector("#my-receipts .needs")`); needs {
			do(t, ctx, "send a receipt with the IBAN",
				scrollTo("#r-iban"),
				chromedp.SetUploadFiles(css("#r-file"), []string{receipt}),
				chromedp.SetValue(css("#r-amount"), "12.00"),
				chromedp.SetValue(css("#r-category"), "taxi"),
				chromedp.SetValue(css("#r-merchant"), "Taxi Bolzano"),
				chromedp.SetValue(css("#r-holder"), "Test Driver"),
				chromedp.SetValue(css("#r-iban"), "DE89 3704 0044 0532 0130 00"),
				chromedp.Click(css("#receipt-submit")))
			waitJS(t, ctx, "both receipts listed, no account asked for", `document.querySelectorAll("#my-receipts li").length === 2 && !document.querySelector("#my-receipts .needs")`)
			phoneShot(t, ctx, "driver-4-receipts-with-iban", "#receipts-card")
		}
	}
	phoneShot(t, ctx, "driver-4-chosen", "#choice-card")

	// The driver moves the pin with the keyboard and sends it: an event on
	// the case for the operator; the facts stay.
	do(t, ctx, "correct the position",
		scrollTo("#map-card"),
		chromedp.Click(css("#fix-start")),
		chromedp.WaitVisible(css("#fix-panel")))
	waitJS(t, ctx, "the map has the focus", `document.activeElement === document.getElementById("map")`)
	for range 3 {
		do(t, ctx, "pan", chromedp.KeyEvent(kb.ArrowRight))
	}
	phoneShot(t, ctx, "driver-5-moving-the-pin", "#map-card")
	do(t, ctx, "send the pin", scrollTo("#fix-send"), chromedp.Click(css("#fix-send")), chromedp.WaitVisible(css("#fix-msg.ok")))
	evs := d.call(t, "GET", "/v1/cases/"+d.caseID+"/events", d.operator, "", 200)
	raw, _ := json.Marshal(evs)
	if !strings.Contains(string(raw), `"kind":"driver_position_reported"`) {
		t.Errorf("no driver_position_reported event: %s", raw)
	}
	waitJS(t, ctx, "the pin shown as the driver's", `[...document.querySelectorAll(".map-label")].some(e => e.textContent === "Your pin")`)

	// Another language, by the switch.
	do(t, ctx, "switch to German", scrollTo(".langs"), chromedp.Click(css(`.langs a[hreflang="de"]`)), chromedp.WaitVisible(css("#steps")))
	waitJS(t, ctx, "German texts", `document.documentElement.lang === "de" && document.querySelector("h1").textContent === "Ihre Pannenhilfe"`)
	if got := text(t, ctx, "#cover"); !strings.Contains(got, "Abschleppen") || !strings.Contains(got, "(Werkstatt Bozen Süd, 4\u00a0km)") || strings.Contains(got, "ws-bozen-test") {
		t.Errorf("the decision in German: %q", got)
	}
	phoneShot(t, ctx, "driver-6-deutsch", "body")

	// The case is closed: the stream ends and the page says so.
	d.call(t, "POST", "/v1/cases/"+d.caseID+"/close", d.operator, `{"reason": "done"}`, 200)
	do(t, ctx, "the link ends", chromedp.WaitVisible(css("#ended")))
	phoneShot(t, ctx, "driver-7-ended", "body")
	res, err = http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the link of a closed case answers %d", res.StatusCode)
	}
}

// scrollTo brings the element into the middle of the screen, clear of the
// call bar at its foot.
func scrollTo(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: "center"}), true`)(ctx, t)
		return err
	})
}

// phoneShot saves what the phone's screen shows with the element at its
// top (the page's top for "body") as a PNG into ROADCOVER_SCREENSHOTS (or
// the test's temporary directory) and logs where.
func phoneShot(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	js := `window.scrollTo(0, 0), true`
	if sel != "body" {
		js = `(e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8))(document.querySelector(` + strconv.Quote(sel) + `)), true`
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
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
}

// samplePDF is a small well-formed PDF: one empty page, with its
// cross-reference table and trailer.
var samplePDF = func() string {
	objs := []string{"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.String()
}()
