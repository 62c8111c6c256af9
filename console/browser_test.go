package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"roadcover/assistance"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/store"
	"roadcover/world"
)

// service is the real service as `roadcover serve` runs it: the HTTP API over
// a SQLite file holding the sample network, with the console it mounts under
// /console/.
type service struct {
	st    store.Store
	srv   *httpapi.Server
	url   string
	token string // an operator's API token, for setting up cases
}

func startDesk(t *testing.T) *service {
	t.Helper()
	ctx := context.Background()
	st, err := database.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, _, err := httpapi.EnsureNetwork(ctx, st, httpapi.NewDesk(assistance.Env{}, time.Now), ""); err != nil {
		t.Fatal(err)
	}
	env, err := world.Env(ctx, world.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: st, Env: env, ResponseTime: 3 * time.Second, Payments: httpapi.SamplePayments()})
	d := &service{st: st, srv: api}
	err = st.Update(ctx, func(tx store.Tx) error {
		_, secret, err := api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleOperator, Label: "console test set-up"})
		d.token = secret
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The console is mounted by the HTTP server itself (httpapi routes).
	ts := httptest.NewServer(api.Handler()) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	d.url = ts.URL
	return d
}

// account creates a named account; without a password it gets a one-time
// password, which is returned.
func (d *service) account(t *testing.T, role, email, name, password string) string {
	t.Helper()
	_, oneTime, err := httpapi.NewAccount(context.Background(), d.st, d.srv.Desk(), desk.AccountRequest{Email: email, Name: name, Role: role, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if oneTime != "" {
		return oneTime
	}
	return password
}

// post sends a JSON body with the set-up token and decodes the answer.
func (d *service) post(t *testing.T, path, body string, want int) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("POST", d.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	if res.StatusCode != want {
		t.Fatalf("POST %s: %d, want %d: %v", path, res.StatusCode, want, m)
	}
	return m
}

// breakdown is a case body of a breakdown now at lat, lon.
func breakdown(lat, lon float64, vin, extra string) string {
	now := time.Now().Format(time.RFC3339)
	s := fmt.Sprintf(`{"market": "DE", "occurred_at": %q, "reported_at": %q, "contact": {"channel": "phone", "name": "Set-up Caller"},
	  "location": {"lat": %g, "lon": %g}, "home": {"country": "DE"},
	  "vehicle": {"vin": %q, "registration": "S-XX 1"}, "event": {"kind": "breakdown", "immobilised": true, "cause": "none"}%s}`,
		now, now, lat, lon, vin, extra)
	return s
}

// chromiumPath finds the browser; without one the test is skipped, except in
// CI where a missing browser is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("ROADCOVER_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium binary found and CI=true: install Debian's chromium (apt-get install chromium)")
	}
	t.Skip("skipped: no chromium binary is installed (apt-get install chromium); set CI=true to make this a failure")
	return ""
}

func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// Desktop and phone are the two widths the console is checked at.
var (
	desktop = chromedp.EmulateViewport(1366, 900)
	phone   = chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)
)

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("ROADCOVER_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot saves a full-page PNG into ROADCOVER_SCREENSHOTS (or the test's
// temporary directory) and logs where.
func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.scrollTo(0, 0), true`)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// screenshotOf saves a PNG of one element (a part of a long page).
func screenshotOf(t *testing.T, ctx context.Context, dir, name, sel string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS waits until a JavaScript expression is true in the page.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + " " + JSON.stringify((document.querySelector("#place-q")||{}).value) + "\n" + document.querySelector("#view").innerText.slice(0, 600)`))
		t.Fatalf("waiting for %s (%s): %v\npage: %s", what, expr, err, page)
	}
}

// press sends keys to the element that has the focus, as a keyboard does.
func press(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	do(t, ctx, "keys "+strconv.Quote(keys), chromedp.KeyEvent(keys))
}

// shortcut presses a one-letter shortcut whose keydown the page takes
// (and prevents): the key's character is not typed anywhere, as in a
// browser; KeyEvent would send the character event regardless.
func shortcut(t *testing.T, ctx context.Context, key rune) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, k := range kb.Encode(key) {
			if k.Type == kb.KeyChar {
				continue
			}
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *k); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("shortcut %q: %v", key, err)
	}
}

// tabTo presses Tab until the focus is on an element matching sel, as a
// person at the keyboard would; it fails when sel is not reached within
// 80 presses.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	q := `(document.activeElement && document.activeElement.matches(` + strconv.Quote(sel) + `))`
	for i := 0; i < 80; i++ {
		if eval[bool](t, ctx, q) {
			return
		}
		press(t, ctx, kb.Tab)
	}
	t.Fatalf("Tab never reached %s (last focus: %s)", sel, eval[string](t, ctx, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`))
}

// axe runs axe-core (npm axe-core, console/testdata/axe-core) on the page
// and fails on any serious or critical violation.
func axe(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === "object"`) {
		src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+"\n;true")); err != nil {
			t.Fatalf("inject axe-core: %v", err)
		}
	}
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => ({target: n.target, html: n.html.slice(0, 160)}))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	for _, v := range vs {
		msg := fmt.Sprintf("axe on %s: %s (%s): %s", page, v.ID, v.Impact, v.Help)
		for _, n := range v.Nodes {
			msg += fmt.Sprintf("\n    %v %s", n.Target, n.HTML)
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// noSideways checks that the page fits the viewport's width (no zooming
// out or scrolling sideways on a phone).
func noSideways(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	w := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, window.innerWidth]`)
	if w[0] > w[1] {
		t.Errorf("%s is %d px wide in a %d px viewport", page, w[0], w[1])
	}
}

// fitsInside checks that nothing within the elements sel matches reaches
// past their right edge (text that would be cut off where a parent clips
// it, which noSideways does not see).
func fitsInside(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	over := eval[[]string](t, ctx, `(() => { const out = [];
		for (const box of document.querySelectorAll(`+strconv.Quote(sel)+`)) {
			const right = box.getBoundingClientRect().right;
			for (const el of box.querySelectorAll("*")) {
				const r = el.getBoundingClientRect();
				if (r.width > 0 && r.right > right + 0.5) out.push(el.tagName.toLowerCase() + " " + (el.textContent || "").slice(0, 40) + " ends at " + Math.round(r.right) + " past " + Math.round(right));
			}
		}
		return out; })()`)
	if len(over) > 0 {
		t.Errorf("%s: %d elements stick out of %s: %v", what, len(over), sel, over)
	}
}

// TestOperatorDeskByKeyboard drives the desk at desktop width with the
// keyboard alone, against the real API, SQLite store and sample network:
// the first sign-in with a one-time password and the choice of an own
// password, the queue, a breakdown taken on the phone (place search, the
// position in words, a few fields), the decision with a tow to a German
// workshop, the nearest tow partners and a dispatch; axe-core on every
// page, screenshots of each.
func TestOperatorDeskByKeyboard(t *testing.T) {
	d := startDesk(t)
	oneTime := d.account(t, desk.RoleOperator, "olga@desk.example", "Olga Operator", "")
	// Another open case of the same car, to be warned about.
	d.post(t, "/v1/cases", breakdown(48.78, 9.18, "LPSVSEDEEML000777", ""), http.StatusCreated)
	ctx := browser(t)
	dir := screenshotDir(t)

	do(t, ctx, "open the service's root", desktop, chromedp.Navigate(d.url+"/"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/console/" {
		t.Fatalf("/ led to %s", loc)
	}
	axe(t, ctx, "sign-in")
	screenshot(t, ctx, dir, "desk-signin-desktop")

	// A wrong password is named at the password field.
	press(t, ctx, "olga@desk.example")
	press(t, ctx, kb.Tab)
	press(t, ctx, "not the password")
	press(t, ctx, kb.Enter)
	waitJS(t, ctx, "the refusal at the password", `!!document.querySelector('.problem[data-status="401"]') && !!document.querySelector('.field-error[data-field="password"]')`)
	eval[bool](t, ctx, `(() => { const p = document.querySelector("#password"); p.value = ""; return document.activeElement === p; })()`)
	press(t, ctx, oneTime)
	press(t, ctx, kb.Enter)

	// The one-time password is replaced by the operator's own.
	waitJS(t, ctx, "the password page", `document.activeElement && document.activeElement.id === "new-password"`)
	axe(t, ctx, "password")
	press(t, ctx, "my own long passphrase")
	press(t, ctx, kb.Tab)
	press(t, ctx, "my own long passphrase")
	press(t, ctx, kb.Enter)
	waitJS(t, ctx, "the queue", `!!document.querySelector("#queue-table")`)
	if got := text(t, ctx, "#who-name"); got != "Olga Operator" {
		t.Errorf("signed in as %q", got)
	}
	axe(t, ctx, "queue")

	// n: a new case. The place is searched by name and said back in words.
	eval[bool](t, ctx, `document.activeElement.blur(), true`)
	shortcut(t, ctx, 'n')
	waitJS(t, ctx, "the place search has the focus", `document.activeElement && document.activeElement.id === "place-q"`)
	press(t, ctx, "Leonb")
	waitJS(t, ctx, "places found", `!!document.querySelector('#place-list li[aria-selected="true"][data-place="Leonberg"]')`)
	press(t, ctx, kb.Enter)
	waitJS(t, ctx, "the position in words", `!!document.querySelector("#position-text")`)
	words := text(t, ctx, "#position-words")
	if !strings.Contains(words, "Leonberg") || !strings.Contains(words, "DE") {
		t.Errorf("position in words %q, want it at Leonberg in Germany", words)
	}
	tabTo(t, ctx, "#f-event-kind")
	if v := eval[string](t, ctx, `document.activeElement.value`); v != "breakdown" {
		t.Errorf("event kind %q by default", v)
	}
	tabTo(t, ctx, "#f-repair-roadside_possible")
	press(t, ctx, kb.ArrowDown)
	press(t, ctx, kb.ArrowDown)
	if v := eval[string](t, ctx, `document.activeElement.value`); v != "false" {
		t.Fatalf("roadside repair possible: %q after two arrows, want false", v)
	}
	tabTo(t, ctx, "#f-vehicle-registration")
	press(t, ctx, "BB-RC 2026")
	press(t, ctx, kb.Tab)
	press(t, ctx, "LPSVSEDEEML000777")
	waitJS(t, ctx, "the warning of the car's open case", `!!document.querySelector("#open-cases-warning")`)
	press(t, ctx, kb.Tab)
	press(t, ctx, "Erika Musterfrau")
	press(t, ctx, kb.Tab)
	press(t, ctx, "+49 7152 000000")
	if n := eval[int](t, ctx, `[...document.querySelectorAll("#new-case input:not([type=hidden]), #new-case select")].filter(e => e.offsetParent && !e.closest("details:not([open])")).length`); n > 8 {
		t.Errorf("the new case shows %d fields, want a few", n)
	}
	axe(t, ctx, "new case")
	screenshot(t, ctx, dir, "desk-new-case-desktop")
	tabTo(t, ctx, "#create-case")
	press(t, ctx, kb.Enter)

	// The case: covered, towed to a German workshop, the operator's own.
	waitJS(t, ctx, "the case page", `!!document.querySelector("#verdict") && location.hash.startsWith("#/case/")`)
	caseID := strings.TrimPrefix(eval[string](t, ctx, `location.hash`), "#/case/")
	if got := text(t, ctx, "#verdict .verdict-word"); !strings.Contains(got, "Covered") {
		t.Fatalf("verdict %q", got)
	}
	site := text(t, ctx, `.ent[data-code="tow"] .site-name`)
	if !strings.Contains(site, "Stuttgart") && !strings.Contains(site, "Leonberg") && !strings.Contains(site, "Böblingen") && !strings.Contains(site, "Sindelfingen") {
		t.Errorf("tow to %q, want a workshop near Stuttgart", site)
	}
	waitJS(t, ctx, "the owner", `(document.querySelector("#owner-name")||{}).textContent === "me"`)
	waitJS(t, ctx, "the car's other open case", `!!document.querySelector("#case-vin-warning #open-cases-warning")`)
	waitJS(t, ctx, "the position in words on the case", `/Leonberg/.test((document.querySelector("#case-words")||{}).textContent||"")`)

	// The nearest tow partners, with their distance; the first dispatched.
	waitJS(t, ctx, "the nearest partners", `document.querySelectorAll("#partners button[data-dispatch]").length >= 2`)
	first := eval[string](t, ctx, `document.querySelector("#partners li.partner").dataset.partner`)
	if !strings.HasPrefix(first, "sample-tow-de-") || !strings.Contains(text(t, ctx, "#partners li.partner"), "km") {
		t.Errorf("nearest partner %q: %s", first, text(t, ctx, "#partners li.partner"))
	}
	axe(t, ctx, "case")
	tabTo(t, ctx, `#partners button[data-dispatch]`)
	press(t, ctx, kb.Enter)
	waitJS(t, ctx, "the booked tow", `!!document.querySelector("#jobs li[data-job]")`)
	if got := text(t, ctx, "#jobs li[data-job]"); !strings.Contains(got, "booked") || !strings.Contains(got, "Tow") {
		t.Errorf("job %q", got)
	}
	var jobs []store.Job
	d.st.View(context.Background(), func(tx store.Tx) error {
		jobs, _ = tx.ListJobs(context.Background(), store.JobFilter{CaseID: caseID})
		return nil
	})
	if len(jobs) != 1 || jobs[0].Partner != first || jobs[0].Kind != "tow" || !strings.Contains(string(jobs[0].Destination), "sample-ws-de") {
		t.Fatalf("stored jobs %+v, want a tow by %s to a German workshop", jobs, first)
	}
	axe(t, ctx, "case with a job")
	screenshot(t, ctx, dir, "desk-case-desktop")

	// The queue shows the case with its job, owner and time since the call.
	shortcut(t, ctx, 'q')
	waitJS(t, ctx, "the queue with the case", `!!document.querySelector('#queue-table tr[data-case="`+caseID+`"]')`)
	row := text(t, ctx, `#queue-table tr[data-case="`+caseID+`"]`)
	if !strings.Contains(row, "booked") || !strings.Contains(row, "me") || !strings.Contains(row, "min") {
		t.Errorf("queue row %q", row)
	}
	screenshot(t, ctx, dir, "desk-queue-desktop")
}

// TestOperatorDeskOnPhone takes a breakdown from the call to a dispatched
// tow at 390 px wide, by touch, with axe-core on every page and no page
// wider than the phone; then, back at desktop width, the facts change
// during the call and the case is decided again visibly, a tow is
// cancelled and reassigned, a note is added, a case is taken from the
// queue and a case past the response time is marked, and a time in the
// future is refused at its field.
func TestOperatorDeskOnPhone(t *testing.T) {
	d := startDesk(t)
	d.account(t, desk.RoleOperator, "pia@desk.example", "Pia Phone", "Pia's long passphrase")
	created := time.Now()
	other := d.post(t, "/v1/cases", breakdown(48.14, 11.58, "LPSVSEDEEML000888", ""), http.StatusCreated)["id"].(string)
	ctx := browser(t)
	dir := screenshotDir(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do(t, ctx, "sign in on a phone", phone, chromedp.Navigate(d.url+"/console/"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "pia@desk.example"), chromedp.SendKeys(css("#password"), "Pia's long passphrase"))
	noSideways(t, ctx, "sign-in")
	axe(t, ctx, "sign-in (phone)")
	screenshot(t, ctx, dir, "desk-signin-phone")
	time.Sleep(time.Until(created.Add(3*time.Second + 100*time.Millisecond))) // the set-up's response time has passed
	do(t, ctx, "sign in", chromedp.Click(css("#signin-submit")), chromedp.WaitVisible(css("#queue-table")))
	waitJS(t, ctx, "the case past the response time", `!!document.querySelector('#queue-table tr.overdue[data-case="`+other+`"] .overdue-badge')`)
	noSideways(t, ctx, "queue")
	axe(t, ctx, "queue (phone)")
	screenshot(t, ctx, dir, "desk-queue-phone")

	do(t, ctx, "new case", chromedp.Click(css("#queue-new")), chromedp.WaitVisible(css("#place-q")),
		chromedp.SendKeys(css("#place-q"), "Leonb"),
		chromedp.WaitVisible(css(`#place-list li[data-place="Leonberg"]`)))
	do(t, ctx, "pick Leonberg", chromedp.Click(css(`#place-list li[data-place="Leonberg"]`)))
	waitJS(t, ctx, "the position in words", `!!document.querySelector("#position-text")`)
	do(t, ctx, "the car and the caller",
		chromedp.SetValue(css("#f-repair-roadside_possible"), "false"),
		chromedp.SendKeys(css("#f-vehicle-registration"), "BB-P 1"),
		chromedp.SendKeys(css("#f-contact-name"), "Paul Phone"))
	noSideways(t, ctx, "new case")
	axe(t, ctx, "new case (phone)")
	screenshot(t, ctx, dir, "desk-new-case-phone")
	do(t, ctx, "create", chromedp.Click(css("#create-case")), chromedp.WaitVisible(css("#verdict")))
	waitJS(t, ctx, "the nearest partners", `document.querySelectorAll("#partners button[data-dispatch]").length >= 2`)
	caseID := strings.TrimPrefix(eval[string](t, ctx, `location.hash`), "#/case/")
	do(t, ctx, "dispatch the nearest", chromedp.Click(css(`#partners li.partner:first-child button[data-dispatch]`)))
	waitJS(t, ctx, "the booked tow", `!!document.querySelector("#jobs li[data-job]")`)
	noSideways(t, ctx, "case")
	axe(t, ctx, "case (phone)")
	screenshot(t, ctx, dir, "desk-case-phone")
	screenshotOf(t, ctx, dir, "desk-case-phone-top", ".case-head")
	screenshotOf(t, ctx, dir, "desk-case-phone-dispatch", "#dispatch")
	if y := eval[[]float64](t, ctx, `[document.querySelector("#dispatch").getBoundingClientRect().top, document.querySelector("#entitlements").getBoundingClientRect().top]`); y[0] > y[1] {
		t.Errorf("on a phone the dispatch (at %v px) comes after the entitlements (%v px)", y[0], y[1])
	}

	// Reassign: the tow is cancelled, another partner booked.
	do(t, ctx, "desktop", desktop)
	firstPartner := eval[string](t, ctx, `document.querySelector("#partners li.partner").dataset.partner`)
	do(t, ctx, "reassign", chromedp.Click(css("#jobs button[data-reassign]")))
	waitJS(t, ctx, "the cancelled tow", `/cancelled/.test(document.querySelector("#jobs").textContent) && !!document.querySelector("#dispatch-problem .note")`)
	do(t, ctx, "dispatch the second", chromedp.Click(css(`#partners li.partner:nth-child(2) button[data-dispatch]`)))
	waitJS(t, ctx, "two jobs", `document.querySelectorAll("#jobs li[data-job]").length === 2`)
	var jobs []store.Job
	d.st.View(context.Background(), func(tx store.Tx) error {
		jobs, _ = tx.ListJobs(context.Background(), store.JobFilter{CaseID: caseID})
		return nil
	})
	if len(jobs) != 2 || jobs[0].Partner != firstPartner || jobs[0].Status != desk.JobFailed || jobs[0].Failure != "cancelled" ||
		jobs[1].Partner == firstPartner || jobs[1].Status != desk.JobBooked {
		t.Fatalf("jobs after the reassignment: %+v", jobs)
	}

	// A note.
	do(t, ctx, "a note", chromedp.SendKeys(css("#note-text"), "Caller waits at the petrol station."), chromedp.Click(css("#add-note")))
	waitJS(t, ctx, "the note in the timeline", `/Caller waits at the petrol station/.test((document.querySelector('#timeline li[data-kind="note_added"]')||{}).textContent||"")`)

	// The facts change during the call: the roadside repair failed.
	roadside := d.post(t, "/v1/cases", breakdown(48.80, 9.02, "LPSVSEDEEML000999", ""), http.StatusCreated)["id"].(string)
	do(t, ctx, "open the roadside case", chromedp.Navigate(d.url+"/console/#/case/"+roadside), chromedp.WaitVisible(css(`.ent[data-code="roadside_repair"]`)))
	do(t, ctx, "the roadside repair failed", chromedp.Click(css("#roadside-failed")))
	waitJS(t, ctx, "decided again", `!!document.querySelector('.ent[data-code="tow"]') && !document.querySelector('.ent[data-code="roadside_repair"]')`)
	tl := text(t, ctx, `#timeline li[data-kind="decided"]:first-child`)
	if !strings.Contains(tl, "+ Tow") || !strings.Contains(tl, "− Roadside repair") {
		t.Errorf("the new decision in the timeline: %q", tl)
	}
	do(t, ctx, "the first decision", chromedp.Click(css(`#timeline button[data-decision="1"]`)))
	waitJS(t, ctx, "decision #1 shown", `/Roadside repair/.test((document.querySelector("#timeline .decision-version")||{}).textContent||"")`)
	screenshot(t, ctx, dir, "desk-case-decided-again-desktop")

	// The queue: take the other case.
	do(t, ctx, "the queue", chromedp.Navigate(d.url+"/console/#/queue"), chromedp.WaitVisible(css(`button[data-take="`+other+`"]`)),
		chromedp.Click(css(`button[data-take="`+other+`"]`)))
	waitJS(t, ctx, "the taken case", `location.hash === "#/case/`+other+`" && (document.querySelector("#owner-name")||{}).textContent === "me"`)

	// A time in the future is refused at its field; on a phone the
	// problem fits the screen.
	do(t, ctx, "new case", phone, chromedp.Navigate(d.url+"/console/#/new"), chromedp.WaitVisible(css("#place-q")))
	eval[bool](t, ctx, `(() => { const d = new Date(Date.now() + 86400000), p = (n) => String(n).padStart(2, "0");
		const el = document.querySelector("#f-occurred_at"); el.value = d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes()); return true; })()`)
	do(t, ctx, "create a case in the future", chromedp.Click(css("#create-case")))
	waitJS(t, ctx, "the refusal at the field", `!!document.querySelector('#form-problem .problem[data-status="422"]') && !!document.querySelector('#more[open] .field-error[data-field="occurred_at"]')`)
	noSideways(t, ctx, "new case refused")
	fitsInside(t, ctx, "new case refused", "#form-problem .problem")
	screenshot(t, ctx, dir, "desk-new-case-refused-phone")

	// Sign-out ends the session.
	do(t, ctx, "sign out", chromedp.Click(css("#sign-out")), chromedp.WaitVisible(css("#email")))
	req, _ := http.NewRequest("GET", d.url+"/v1/session", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /v1/session without a cookie: %d", res.StatusCode)
	}
}

// TestMapOutlines checks the map of a console without a tile URL: the
// embedded country borders around a car near Innsbruck (Austria, Germany
// to the north, Italy beyond the Brenner) are drawn in their own pane
// under the markers, the boundary data's attribution is shown, and the
// note says so.
func TestMapOutlines(t *testing.T) {
	d := startDesk(t)
	d.account(t, desk.RoleOperator, "map@desk.example", "Mia Map", "a long passphrase")
	id := d.post(t, "/v1/cases", strings.Replace(breakdown(47.26, 11.39, "LPSVSEDEEML000111", ""), `"market": "DE"`, `"market": "DE", "trip": "outbound"`, 1), http.StatusCreated)["id"].(string)
	ctx := browser(t)
	do(t, ctx, "sign in", desktop, chromedp.Navigate(d.url+"/console/"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "map@desk.example"), chromedp.SendKeys(chromedp.CSS("#password"), "a long passphrase"),
		chromedp.Click(chromedp.CSS("#signin-submit")), chromedp.WaitVisible(chromedp.CSS("#queue-table")),
		chromedp.Navigate(d.url+"/console/#/case/"+id), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	waitJS(t, ctx, "the map with the car", `document.querySelector("#map.leaflet-container") !== null && [...document.querySelectorAll(".map-label")].some(e => e.textContent === "Car")`)
	checkOutlines(t, ctx, screenshotDir(t))
}

// checkOutlines checks the borders drawn around the car near Innsbruck.
func checkOutlines(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	waitJS(t, ctx, "country outlines", `document.querySelectorAll(".leaflet-outlines-pane path.outline").length > 0`)
	// Zoom out twice so that the borders are in view: the layer asks for the
	// new, wider box (the moveend is debounced) and redraws.
	time.Sleep(time.Second) // the view settles once the sites are fitted in
	first := eval[string](t, ctx, `document.querySelector("#map").dataset.outlines`)
	do(t, ctx, "zoom out", chromedp.Click(chromedp.CSS("#map .leaflet-control-zoom-out")))
	time.Sleep(400 * time.Millisecond) // the zoom animation
	do(t, ctx, "zoom out again", chromedp.Click(chromedp.CSS("#map .leaflet-control-zoom-out")))
	waitJS(t, ctx, "outlines of the wider view", `((u) => {
		const b = u.slice(u.indexOf("=") + 1).split(",").map(Number), a = `+strconv.Quote(first)+`.split("=")[1].split(",").map(Number);
		return u !== "" && b[2] - b[0] >= 2 * (a[2] - a[0]);
	})(document.querySelector("#map").dataset.outlines || "")`)
	for prev := ""; ; time.Sleep(500 * time.Millisecond) { // until the box no longer changes
		u := eval[string](t, ctx, `document.querySelector("#map").dataset.outlines`)
		if u == prev {
			break
		}
		prev = u
	}
	type mapState struct {
		Countries   []string `json:"countries"`
		Paths       int      `json:"paths"`
		Attribution string   `json:"attribution"`
		OutlinesZ   int      `json:"outlines_z"`
		MarkersZ    int      `json:"markers_z"`
		Markers     int      `json:"markers_in_outlines_pane"`
		Note        string   `json:"note"`
		URL         string   `json:"url"`
	}
	st := eval[mapState](t, ctx, `(() => {
		const pane = document.querySelector(".leaflet-outlines-pane");
		const paths = [...pane.querySelectorAll("path.outline")];
		const countries = [...new Set(paths.flatMap(p => [...p.classList].filter(c => /^outline-[A-Z]{2}$/.test(c)).map(c => c.slice(8))))].sort();
		return {
			countries, paths: paths.length,
			attribution: document.querySelector("#map .leaflet-control-attribution").textContent,
			outlines_z: +getComputedStyle(pane).zIndex,
			markers_z: +getComputedStyle(document.querySelector(".leaflet-overlay-pane")).zIndex,
			markers_in_outlines_pane: pane.querySelectorAll('path[fill="#dc2626"]').length,
			note: document.querySelector("#map-note").textContent,
			url: document.querySelector("#map").dataset.outlines || "",
		};
	})()`)
	t.Logf("map: %d outline paths of %v from %s (first %s)", st.Paths, st.Countries, st.URL, first)
	var box [4]float64
	if _, err := fmt.Sscanf(st.URL, "/console/outlines?bbox=%g,%g,%g,%g", &box[0], &box[1], &box[2], &box[3]); err != nil ||
		!(box[0] < 11.39 && 11.39 < box[2] && box[1] < 47.26 && 47.26 < box[3]) {
		t.Errorf("outlines box %q (%v) does not hold the car", st.URL, err)
	}
	for _, want := range []string{"AT", "DE", "IT"} {
		if !strings.Contains(strings.Join(st.Countries, " "), want) {
			t.Errorf("outlines drawn for %v, want %s among them", st.Countries, want)
		}
	}
	if !strings.Contains(st.Attribution, "OpenStreetMap") || !strings.Contains(st.Attribution, "ODbL") || !strings.Contains(st.Attribution, "Natural Earth") {
		t.Errorf("attribution %q does not credit the boundary data", st.Attribution)
	}
	if st.OutlinesZ >= st.MarkersZ || st.Markers != 0 {
		t.Errorf("outlines pane z-index %d, markers %d (%d markers in the outlines pane): the borders must lie under the markers", st.OutlinesZ, st.MarkersZ, st.Markers)
	}
	if !strings.Contains(st.Note, "country borders") {
		t.Errorf("map note %q does not say the borders are drawn", st.Note)
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#map")))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "desk-map-outlines.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}
