package console_test

import (
	"context"
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

	"github.com/chromedp/chromedp"

	"roadcover/database"
	"roadcover/desk"
	"roadcover/facts"
	"roadcover/httpapi"
	"roadcover/store"
)

// service is the real service as `roadcover serve` runs it: the HTTP API over a
// SQLite file, with the console it mounts under /console/.
type service struct {
	st    store.Store
	url   string
	token string // an operator's API token
}

func startDesk(t *testing.T) *service {
	t.Helper()
	ctx := context.Background()
	st, err := database.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env, err := facts.Env(ctx, facts.Config{})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: st, Env: env})
	d := &service{st: st}
	err = st.Update(ctx, func(tx store.Tx) error {
		if _, _, err := api.Desk().CreatePartner(ctx, tx, desk.PartnerRequest{ID: "tow-1", Name: "Test Towing", WebhookURL: ""}); err != nil {
			return err
		}
		_, secret, err := api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleOperator, Partner: "", Label: "console test operator"})
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
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1000),
	)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// screenshot saves a full-page PNG into ROADCOVER_SCREENSHOTS (or the test's
// temporary directory) and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
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

// waitJS waits until a JavaScript expression is true in the page.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// TestConsoleInChromium drives the console in headless Chromium against the
// real API and SQLite store: sign in, a refused form with the problem's field
// shown at its input, a new case decided and shown, a choice recorded and a
// second choice in the same group refused with 409, missing information
// filled through PATCH with If-Match, a tracking link, the case list and the
// labels in another language.
func TestConsoleInChromium(t *testing.T) {
	d := startDesk(t)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Sign in: a wrong token is refused at the token field, then the real one.
	do(t, ctx, "open the console",
		chromedp.Navigate(d.url+"/console/"),
		chromedp.WaitVisible(css("#token")),
		chromedp.SendKeys(css("#token"), "rc_not-a-token"),
		chromedp.Click(css("#signin-submit")),
		chromedp.WaitVisible(css(`.problem[data-status="401"]`)),
		chromedp.WaitVisible(css(`.field-error[data-field="token"]`)))
	do(t, ctx, "sign in",
		chromedp.SetValue(css("#token"), d.token),
		chromedp.Click(css("#signin-submit")),
		chromedp.WaitVisible(css("#role")))
	if got := text(t, ctx, "#role"); got != "operator" {
		t.Errorf("role shown = %q, want operator", got)
	}

	// The phone form: a negative distance comes back as a 422 problem whose
	// field is shown next to its input.
	do(t, ctx, "open the form", chromedp.Click(css("#nav-new")), chromedp.WaitVisible(css("#new-case")))
	fields := map[string]string{
		"market": "DE", "language": "en", "contact.channel": "phone",
		"contact.name": "Erika Musterfrau", "contact.phone": "+49 89 1234567",
		"event.kind": "breakdown", "event.description": "warning light, car stopped",
		"location.lat": "47.26", "location.lon": "11.39", "location.country": "AT", "location.description": "A12 near Innsbruck",
		"home.country": "DE", "trip": "outbound",
		"distances_km.home": "-140", "distances_km.regular_workshop": "150", "distances_km.workshop_to_customer": "140",
		"vehicle.registration": "M-RC 2026", "vehicle.model": "Polestar 2", "vehicle.first_registered": "2024-03-01", "vehicle.use": "private",
		"people.passengers": "2", "repair.roadside_possible": "false", "repair.same_day_within_4h": "false",
		"repair.working_days_needed": "4", "repair.hours_needed": "60",
	}
	var steps []chromedp.Action[chromedp.Void]
	for name, v := range fields {
		steps = append(steps, chromedp.SetValue(css(`#new-case [name="`+name+`"]`), v))
	}
	do(t, ctx, "fill the form", steps...)
	do(t, ctx, "submit an invalid case",
		chromedp.Click(css("#create-case")),
		chromedp.WaitVisible(css(`#form-problem .problem[data-status="422"]`)),
		chromedp.WaitVisible(css(`#new-case .field-error[data-field="distances_km.home"]`)))
	if got := text(t, ctx, `#form-problem .problem-errors`); !strings.Contains(got, "distances_km.home") {
		t.Errorf("problem box does not name distances_km.home: %q", got)
	}
	screenshot(t, ctx, "console-form-problem")

	do(t, ctx, "create the case",
		chromedp.SetValue(css(`#new-case [name="distances_km.home"]`), "140"),
		chromedp.Click(css("#create-case")),
		chromedp.WaitVisible(css("#verdict")))
	if got := text(t, ctx, "#verdict .verdict-word"); !strings.Contains(got, "Covered") {
		t.Fatalf("verdict = %q, want Covered", got)
	}
	for _, code := range []string{"tow", "onward_travel", "hotel", "rental_car", "repatriation"} {
		do(t, ctx, "entitlement "+code, chromedp.WaitVisible(css(`#entitlements .ent[data-code="`+code+`"]`)))
	}
	if got := text(t, ctx, `.ent[data-code="hotel"] .ent-facts`); !strings.Contains(got, "200.00 EUR") || !strings.Contains(got, "person and night") {
		t.Errorf("hotel limit shown as %q, want 200.00 EUR per person and night", got)
	}
	if got := text(t, ctx, `.ent[data-code="hotel"] .clause`); got != "§ 1.3.2" {
		t.Errorf("hotel clause shown as %q", got)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseID := loc[strings.Index(loc, "#/case/")+len("#/case/"):]

	// One option of 1.3: the first choice is recorded, a second one is refused.
	do(t, ctx, "choose the hotel",
		chromedp.Click(css(`button[data-choose="hotel"]`)),
		chromedp.WaitVisible(css(`.ent.chosen[data-code="hotel"]`)))
	do(t, ctx, "choose a rental car as well",
		chromedp.Click(css(`button[data-choose="rental_car"]`)),
		chromedp.WaitVisible(css(`.group[data-group="further"] .problem[data-status="409"]`)))
	if got := text(t, ctx, `.group[data-group="further"] .problem`); !strings.Contains(got, "Conflict") || !strings.Contains(got, "hotel") {
		t.Errorf("409 problem shown as %q", got)
	}
	var choices []store.Choice
	if err := d.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		choices, err = tx.Choices(context.Background(), caseID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(choices) != 1 || choices[0].Code != "hotel" || choices[0].Group != "further_assistance" {
		t.Errorf("stored choices = %+v, want one hotel in further_assistance", choices)
	}
	waitJS(t, ctx, "the map with the car", `document.querySelector("#map.leaflet-container") !== null && [...document.querySelectorAll(".map-label")].some(e => e.textContent === "Car")`)
	checkOutlines(t, ctx)
	screenshot(t, ctx, "console-case")

	// Missing information: the colour, filled in the checklist, re-decides.
	do(t, ctx, "fill the colour",
		chromedp.WaitVisible(css(`[data-missing="colour"]`)),
		chromedp.SetValue(css(`#missing-form [name="vehicle.colour"]`), "Thunder grey"),
		chromedp.Click(css("#save-missing")))
	waitJS(t, ctx, "the colour no longer missing", `document.querySelector('[data-missing="colour"]') === null && document.querySelector("#verdict") !== null`)
	if got := text(t, ctx, "#timeline"); !strings.Contains(got, "facts added") || !strings.Contains(got, "choice recorded") {
		t.Errorf("timeline = %q, want the patch and the choice", got)
	}

	// A tracking link for the driver.
	do(t, ctx, "tracking link", chromedp.Click(css("#make-link")), chromedp.WaitVisible(css("#tracking-url")))
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#tracking-url").value`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(link, "/v1/track/") {
		t.Errorf("tracking URL = %q", link)
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", link, res.StatusCode)
	}

	// Dispatch: an unknown partner is named at its field, then a tow is booked.
	do(t, ctx, "dispatch to an unknown partner",
		chromedp.SetValue(css(`#job-form [name="partner"]`), "nobody"),
		chromedp.Click(css(`#job-form button[type="submit"]`)),
		chromedp.WaitVisible(css(`#job-form .field-error[data-field="partner"]`)))
	do(t, ctx, "dispatch a tow",
		chromedp.SetValue(css(`#job-form [name="partner"]`), "tow-1"),
		chromedp.Click(css(`#job-form button[type="submit"]`)),
		chromedp.WaitVisible(css(`#jobs tr[data-job]`)))
	if got := text(t, ctx, "#jobs tr[data-job]"); !strings.Contains(got, "tow-1") || !strings.Contains(got, "booked") {
		t.Errorf("job row = %q, want a booked tow by tow-1", got)
	}

	// The labels in German, the decision's texts explained in German by the API.
	do(t, ctx, "switch to German", chromedp.SetValue(css("#lang-select"), "de"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#lang-select").dispatchEvent(new Event("change"))`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "German labels", `(document.querySelector("#verdict .verdict-word")||{}).textContent === "✓ Gedeckt"`)
	waitJS(t, ctx, "German group heading", `(document.querySelector('.group[data-group="further"] h2')||{textContent:""}).textContent.startsWith("Weitere Hilfe")`)
	screenshot(t, ctx, "console-case-de")

	// The case list shows the new case at the top.
	do(t, ctx, "case list", chromedp.Click(css("#nav-cases")), chromedp.WaitVisible(css("#cases-table")))
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#cases-table tbody tr").dataset.case`))
	if err != nil {
		t.Fatal(err)
	}
	if first != caseID {
		t.Errorf("first case in the list = %q, want %q", first, caseID)
	}
	screenshot(t, ctx, "console-list")

	// A refused case: the refusal's code and clause are shown, no options.
	refused := `{"market": "DE", "occurred_at": "` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `",
	  "reported_at": "` + time.Now().Format(time.RFC3339) + `", "contact": {"channel": "none"},
	  "location": {"country": "DE"}, "home": {"country": "DE"}, "event": {"kind": "breakdown"}}`
	req, _ := http.NewRequest("POST", d.url+"/v1/cases", strings.NewReader(refused))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST refused case: %d", res.StatusCode)
	}
	do(t, ctx, "refresh the list", chromedp.Click(css("#refresh")))
	waitJS(t, ctx, "the refused case on top", `(document.querySelector("#cases-table tbody tr")||{dataset:{}}).dataset.case !== "`+caseID+`"`)
	do(t, ctx, "open the refused case",
		chromedp.Click(css("#cases-table tbody tr:first-child a.row-link")),
		chromedp.WaitVisible(css(`#refusals li[data-code="not_arranged_by_assistance"]`)))
	if got := text(t, ctx, "#verdict .verdict-word"); !strings.Contains(got, "Nicht gedeckt") {
		t.Errorf("verdict of the refused case = %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("button[data-choose]").length`)); err != nil || n != 0 {
		t.Errorf("refused case offers %d choices (%v)", n, err)
	}
	screenshot(t, ctx, "console-refused")
}

// checkOutlines checks the map of a console without a tile URL: the embedded
// country borders around the car near Innsbruck (Austria, Germany to the
// north, Italy beyond the Brenner) are drawn in their own pane under the
// markers, the boundary data's attribution is shown, and the note says so.
func checkOutlines(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, "country outlines", `document.querySelectorAll(".leaflet-outlines-pane path.outline").length > 0`)
	// Zoom out twice so that the borders are in view: the layer asks for the
	// new, wider box (the moveend is debounced) and redraws.
	time.Sleep(time.Second) // the view settles once the sites are fitted in
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#map").dataset.outlines`))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "zoom out", chromedp.Click(chromedp.CSS("#map .leaflet-control-zoom-out")))
	time.Sleep(400 * time.Millisecond) // the zoom animation
	do(t, ctx, "zoom out again", chromedp.Click(chromedp.CSS("#map .leaflet-control-zoom-out")))
	waitJS(t, ctx, "outlines of the wider view", `((u) => {
		const b = u.slice(u.indexOf("=") + 1).split(",").map(Number), a = `+strconv.Quote(first)+`.split("=")[1].split(",").map(Number);
		return u !== "" && b[2] - b[0] >= 2 * (a[2] - a[0]);
	})(document.querySelector("#map").dataset.outlines || "")`)
	for prev := ""; ; time.Sleep(500 * time.Millisecond) { // until the box no longer changes
		u, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#map").dataset.outlines`))
		if err != nil {
			t.Fatal(err)
		}
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
	st, err := chromedp.Run(ctx, chromedp.Evaluate[mapState](`(() => {
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
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("map: %d outline paths of %v from %s (first %s)", st.Paths, st.Countries, st.URL, first)
	// The box asked for holds the car (47.26 N, 11.39 E).
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
	dir := os.Getenv("ROADCOVER_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, "console-map-outlines.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", filepath.Join(dir, "console-map-outlines.png"))
}
