package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"roadcover/console"
	"roadcover/database"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
	"roadcover/world"
)

// TestClaimLabels checks that every label of the claim pages exists in all
// five languages and that every label claims.js asks for by a literal key
// exists.
func TestClaimLabels(t *testing.T) {
	en := console.LabelsOf(t, "claims-i18n.js")
	js, err := os.ReadFile("assets/claims.js")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range regexp.MustCompile(`[^c]c\("([a-z_.0-9]+)"\s*[,)]`).FindAllStringSubmatch(string(js), -1) {
		n++
		if _, ok := en[m[1]]; !ok {
			t.Errorf("claims.js asks for the label %q, which claims-i18n.js lacks", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`\[((?:"[a-z]+", )+"[a-z]+")\]\.map\(\(k\) => h\("th", \{\}, c\("col\." \+ k\)\)\)`).FindAllStringSubmatch(string(js), -1) {
		for _, k := range strings.Split(m[1], ", ") {
			if _, ok := en["col."+strings.Trim(k, `"`)]; !ok {
				t.Errorf("claims.js heads a column col.%s, which claims-i18n.js lacks", strings.Trim(k, `"`))
			}
		}
	}
	if n < 40 {
		t.Fatalf("found only %d labels in claims.js", n)
	}
}

// payables takes released payment orders as the ledger would.
type payables struct{ got []ledger.Payable }

func (p *payables) RecordPayable(_ context.Context, _ store.Tx, pb ledger.Payable, _ payee.Payee) error {
	p.got = append(p.got, pb)
	return nil
}

// claimsDesk is the service with a claims handler's token (limit 20 000
// kr), a second handler and a ledger that takes payables.
type claimsDesk struct {
	url          string
	token, other string
}

func startClaimsDesk(t *testing.T) *claimsDesk {
	t.Helper()
	ctx := context.Background()
	st, err := database.Open(ctx, filepath.Join(t.TempDir(), "claims.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env, err := world.Env(ctx, world.Config{})
	if err != nil {
		t.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Store: st, Env: env, Payables: &payables{}})
	d := &claimsDesk{}
	err = st.Update(ctx, func(tx store.Tx) error {
		_, secret, err := api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleClaims, Label: "Anna", PaymentLimit: 2000000})
		d.token = secret
		if err != nil {
			return err
		}
		_, secret, err = api.Desk().CreateToken(ctx, tx, desk.TokenRequest{Role: httpapi.RoleClaims, Label: "Bertil", PaymentLimit: 10000000})
		d.other = secret
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := httpapi.NewAccount(ctx, st, api.Desk(), desk.AccountRequest{Email: "anna@claims.example", Name: "Anna Andersson",
		Role: desk.RoleClaims, Password: "Anna's long passphrase"}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(api.Handler())
	t.Cleanup(ts.Close)
	d.url = ts.URL
	return d
}

// call sends a JSON request as token and returns the decoded answer.
func (d *claimsDesk) call(t *testing.T, token, method, path, body string, want int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, d.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
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
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return m
}

func example(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "claims", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func evalTrue(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

// claimScreenshot saves a full-page PNG that stays after the test: into
// ROADCOVER_SCREENSHOTS, or roadcover-screenshots in the system's temporary
// directory; it logs where.
func claimScreenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("ROADCOVER_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "roadcover-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// TestClaimPageInChromium opens a claim's page in headless Chromium as a
// claims handler: the settlement's arithmetic line by line with its
// clauses, the reserves and payments, the documents and the timeline, in
// Swedish and in English, at desktop width and at a phone's 390 px.
func TestClaimPageInChromium(t *testing.T) {
	d := startClaimsDesk(t)
	ctx := browser(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	pol := d.call(t, d.token, "POST", "/v1/policies", example(t, "new-policy.json"), 201)["id"].(string)
	claim := d.call(t, d.token, "POST", "/v1/claims", strings.Replace(example(t, "report.json"), `"P1"`, `"`+pol+`"`, 1), 201)["id"].(string)
	d.call(t, d.token, "POST", "/v1/claims/"+claim+"/payments", example(t, "payment.json"), 200)
	late := d.call(t, d.token, "POST", "/v1/claims/"+claim+"/payments",
		`{"line": "rental_car", "payee": {"name": "Hyrbil i Göteborg AB", "iban": "SE4550000000058398257466"}, "amount": "5475"}`, 200)
	_ = late
	d.call(t, d.token, "POST", "/v1/claims/"+claim+"/decisions", `{"note": "as settled"}`, 200)

	do(t, ctx, "open the console", chromedp.Navigate(d.url+"/console/"), chromedp.WaitVisible(css("#email")))
	evalTrue(t, ctx, `localStorage.setItem("rc.lang", "sv"), true`)
	do(t, ctx, "sign in as a claims handler",
		chromedp.Reload(),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "anna@claims.example"),
		chromedp.SendKeys(css("#password"), "Anna's long passphrase"),
		chromedp.Click(css("#signin-submit")),
		chromedp.WaitVisible(css("#role")),
		chromedp.WaitVisible(css("#nav-claims")))
	do(t, ctx, "open the claims search",
		chromedp.Click(css("#nav-claims")),
		chromedp.WaitVisible(css("#claims-q")),
		chromedp.SendKeys(css("#claims-q"), pol),
		chromedp.Click(css("#claims-find")))
	do(t, ctx, "find the claims of the policy",
		chromedp.WaitVisible(css(`#claims-table a[href="#/claim/`+claim+`"]`)),
		chromedp.Click(css(`#claims-table a[href="#/claim/`+claim+`"]`)),
		chromedp.WaitVisible(css(`#settlement .cl-line[data-cover="collision"]`)))

	// The lines of the settlement, in Swedish: collision (2.8), rental car
	// (2.11.1), animal collision (2.11.2), each with its arithmetic.
	covers, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#settlement .cl-line")].map(e => e.dataset.cover)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(covers, ",") != "collision,rental_car,animal_collision" {
		t.Fatalf("lines %v", covers)
	}
	coll := text(t, ctx, `.cl-line[data-cover="collision"]`)
	digits := regexp.MustCompile(`[^0-9]`)
	for _, want := range []string{"Vagnskada", "2.8", "Värderad skada", "Grundsjälvrisk", "Efter självrisk", "Att betala"} {
		if !strings.Contains(coll, want) {
			t.Errorf("the collision line lacks %q: %s", want, coll)
		}
	}
	if d := digits.ReplaceAllString(coll, ""); !strings.Contains(d, "4000000") || !strings.Contains(d, "300000") || !strings.Contains(d, "3600000") {
		t.Errorf("the collision line lacks 40 000, 3 000 or 36 000: %s", coll)
	}
	if got := text(t, ctx, `.cl-line[data-cover="rental_car"] .cl-line-head .clause`); got != "2.11.1" {
		t.Errorf("rental car clause %q", got)
	}
	if got := digits.ReplaceAllString(text(t, ctx, "#payable-total"), ""); got != "4567500" {
		t.Errorf("payable total %q", got)
	}
	// Payments: one released (within the limit), one awaiting a second
	// handler; the documents and the timeline.
	if got := text(t, ctx, "#payment-list"); !strings.Contains(got, "frisläppt") || !strings.Contains(got, "väntar på attest") {
		t.Errorf("payments %q", got)
	}
	if got := text(t, ctx, "#documents"); !strings.Contains(got, "Försäkringsbrev") || !strings.Contains(got, "Beslut") || !strings.Contains(got, "5.4") {
		t.Errorf("documents %q", got)
	}
	kinds, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#timeline li")].map(e => e.dataset.kind)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(kinds, ",") != "reported,payment_ordered,payment_ordered,decided" {
		t.Errorf("timeline %v", kinds)
	}
	// Every act names who did it: the two handlers' acts are told apart.
	evs := d.call(t, d.token, "GET", "/v1/claims/"+claim+"/events", "", 200)["events"].([]any)
	whens, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#timeline li .when")].map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(whens) != len(evs) {
		t.Fatalf("timeline shows %d acts, the claim has %d", len(whens), len(evs))
	}
	for i, e := range evs {
		id := e.(map[string]any)["actor"].(map[string]any)["id"].(string)
		if !strings.Contains(whens[i], id[len(id)-8:]) {
			t.Errorf("timeline act %d %q does not name its actor %s", i, whens[i], id)
		}
	}
	claimScreenshot(t, ctx, "claim-desktop-sv")

	// The same page in English.
	do(t, ctx, "switch to English", chromedp.SetValue(css("#lang-select"), "en"))
	evalTrue(t, ctx, `document.getElementById("lang-select").dispatchEvent(new Event("change")), true`)
	waitJS(t, ctx, "English labels", `(document.querySelector('.cl-line[data-cover="collision"] .cl-cover') || {}).textContent === "Collision"`)
	if got := text(t, ctx, `.cl-line[data-cover="collision"]`); !strings.Contains(got, "Assessed loss") || !strings.Contains(got, "After the deductible") {
		t.Errorf("English collision line %q", got)
	}
	claimScreenshot(t, ctx, "claim-desktop-en")

	// A phone: 390 px wide, nothing wider than the screen.
	do(t, ctx, "a phone's width", chromedp.EmulateViewport(390, 844), chromedp.Reload(),
		chromedp.WaitVisible(css(`#settlement .cl-line[data-cover="animal_collision"]`)))
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if wide > 390 {
		t.Errorf("at 390 px the page is %d px wide", wide)
	}
	// On a phone the tables become cards: every cell says what it holds.
	unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#reserves td, #payment-list td")].filter(td => !td.dataset.label).map(td => td.closest("table").id + ": " + td.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(unlabelled) > 0 {
		t.Errorf("cells without a label on a phone: %q", unlabelled)
	}
	claimScreenshot(t, ctx, "claim-phone-en")
	do(t, ctx, "Swedish on the phone", chromedp.SetValue(css("#lang-select"), "sv"))
	evalTrue(t, ctx, `document.getElementById("lang-select").dispatchEvent(new Event("change")), true`)
	waitJS(t, ctx, "Swedish labels", `document.querySelector('.cl-line[data-cover="collision"] .cl-cover') && document.querySelector('.cl-line[data-cover="collision"] .cl-cover').textContent === "Vagnskada"`)
	claimScreenshot(t, ctx, "claim-phone-sv")
	if !bytes.Contains([]byte(text(t, ctx, "#claim-number")), []byte(claim)) {
		t.Errorf("claim number not shown")
	}
}
