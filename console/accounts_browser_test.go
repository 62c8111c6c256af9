package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"roadcover/desk"
)

// signInOverHTTP signs in at POST /v1/session as a program would and
// returns the status, the answer's problem code (if any) and the session
// cookie (if one was set).
func (d *service) signInOverHTTP(t *testing.T, email, password string) (int, string, *http.Cookie) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := http.Post(d.url+"/v1/session", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct {
		Code string `json:"code"`
	}
	json.NewDecoder(res.Body).Decode(&m)
	for _, c := range res.Cookies() {
		if strings.HasSuffix(c.Name, "roadcover_session") && c.Value != "" {
			return res.StatusCode, m.Code, c
		}
	}
	return res.StatusCode, m.Code, nil
}

// sessionStatus is the status of GET /v1/session with a session cookie.
func (d *service) sessionStatus(t *testing.T, c *http.Cookie) int {
	t.Helper()
	req, _ := http.NewRequest("GET", d.url+"/v1/session", nil)
	req.AddCookie(c)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// The accounts page in headless Chromium against the real service on
// SQLite: an administrator finds the accounts page in the bar (an operator
// does not), creates an account (a refused one first, its problems at the
// fields) and sees its one-time password once, makes it a claims
// handler with a payment limit (a malformed limit refused at the field),
// disables it (its session ends and its sign-in over HTTP is answered as
// an unknown email's), enables it again and resets its password (the old
// one-time password no longer signs in, the new one does); the record of
// the account's changes lists each. At desktop and phone width (in
// German), with axe-core.
func TestAccountsPageInChromium(t *testing.T) {
	d := startDesk(t)
	d.account(t, desk.RoleAdmin, "ada@desk.example", "Ada Admin", "Ada's long passphrase")
	d.account(t, desk.RoleOperator, "olle@desk.example", "Olle Operator", "Olle's long passphrase")

	ctx := browser(t)
	dir := screenshotDir(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(email, password string) {
		t.Helper()
		do(t, ctx, "sign in as "+email, chromedp.Navigate(d.url+"/console/"), chromedp.WaitVisible(css("#email")),
			chromedp.SendKeys(css("#email"), email), chromedp.SendKeys(css("#password"), password),
			chromedp.Click(css("#signin-submit")), chromedp.WaitVisible(css("#who-name")))
	}
	choose := func(sel, value string) {
		t.Helper()
		eval[bool](t, ctx, `(e => (e.value = `+strconv.Quote(value)+`, e.dispatchEvent(new Event("change", {bubbles: true})), true))(document.querySelector(`+strconv.Quote(sel)+`))`)
	}
	fill := func(sel, value string) chromedp.Action[chromedp.Void] {
		clear := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`(document.querySelector(`+strconv.Quote(sel)+`).value = "", true)`)(ctx, tg)
			return err
		})
		return chromedp.Steps(clear, chromedp.SendKeys(css(sel), value))
	}
	history := func() []string {
		return eval[[]string](t, ctx, `[...document.querySelectorAll("#history li")].map(e => e.dataset.kind)`)
	}

	// An operator is not offered the page, and is sent away from it.
	signIn("olle@desk.example", "Olle's long passphrase")
	if eval[bool](t, ctx, `!!document.getElementById("nav-accounts") && !document.getElementById("nav-accounts").hidden`) {
		t.Error("the accounts page is offered to an operator")
	}
	do(t, ctx, "an operator at #/accounts", chromedp.Navigate(d.url+"/console/#/accounts"), chromedp.WaitVisible(css("#who-name")))
	waitJS(t, ctx, "the operator sent away", `location.hash !== "#/accounts" && !document.querySelector("#accounts")`)
	do(t, ctx, "sign out", chromedp.Click(css("#sign-out")), chromedp.WaitVisible(css("#email")))

	// The administrator's list.
	signIn("ada@desk.example", "Ada's long passphrase")
	do(t, ctx, "the accounts page", chromedp.WaitVisible(css("#nav-accounts")), chromedp.Click(css("#nav-accounts")),
		chromedp.WaitVisible(css("#accounts tbody tr")))
	if got := eval[[]string](t, ctx, `[...document.querySelectorAll("#accounts tbody tr")].map(r => r.dataset.email)`); strings.Join(got, ",") != "ada@desk.example,olle@desk.example" {
		t.Errorf("accounts listed %v", got)
	}
	if got := text(t, ctx, `tr[data-email="olle@desk.example"] .acc-last`); got == "never" || got == "" {
		t.Errorf("Olle's last sign-in %q: he signed in a moment ago", got)
	}
	if eval[bool](t, ctx, `document.querySelector("#acc-limit").offsetParent !== null`) {
		t.Error("the payment limit is offered for an operator's account")
	}
	axe(t, ctx, "accounts (desktop)")
	screenshot(t, ctx, dir, "accounts-list-desktop")

	// A refused account: its problems at the fields.
	do(t, ctx, "a refused account", fill("#acc-email", "kim at desk"), chromedp.Click(css("#create-submit")),
		chromedp.WaitVisible(css(`#create-form .field-error[data-field="email"]`)))
	if !eval[bool](t, ctx, `!!document.querySelector('#create-form .field-error[data-field="name"]') && document.querySelector("#acc-email").getAttribute("aria-invalid") === "true"`) {
		t.Errorf("the refusal is not shown at both fields: %s", text(t, ctx, "#create-problem"))
	}
	if got := eval[string](t, ctx, `document.querySelector("#create-problem .problem").dataset.status`); got != "422" {
		t.Errorf("the refusal's status %q, want 422", got)
	}
	screenshot(t, ctx, dir, "accounts-create-refused-desktop")

	// The account, with its one-time password shown once.
	do(t, ctx, "create an account", fill("#acc-email", "kim@desk.example"), fill("#acc-name", "Kim Keller"),
		chromedp.Click(css("#create-submit")), chromedp.WaitVisible(css("#acc-otp")))
	id := eval[string](t, ctx, `document.querySelector("#account").dataset.account`)
	if h := eval[string](t, ctx, `location.hash`); h != "#/accounts/"+id {
		t.Errorf("after creating, the page is %q", h)
	}
	oneTime := eval[string](t, ctx, `document.querySelector("#acc-otp").value`)
	if len(oneTime) < 12 {
		t.Fatalf("one-time password %q", oneTime)
	}
	if got := text(t, ctx, `[data-fact="f.role"] dd`); got != "operator" {
		t.Errorf("new account's role %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#view").innerText`); strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the account's page shows a value that is not there:\n%s", got)
	}
	axe(t, ctx, "new account (desktop)")
	screenshot(t, ctx, dir, "accounts-created-desktop")
	status, _, kimSession := d.signInOverHTTP(t, "kim@desk.example", oneTime)
	if status != http.StatusCreated || kimSession == nil {
		t.Fatalf("the new account's sign-in with its one-time password: %d", status)
	}

	// Shown once: drawn again, the page no longer holds it.
	do(t, ctx, "the account again", chromedp.Click(css("#acc-back")), chromedp.WaitVisible(css(`tr[data-email="kim@desk.example"] .acc-link`)),
		chromedp.Click(css(`tr[data-email="kim@desk.example"] .acc-link`)), chromedp.WaitVisible(css("#change-form")))
	if eval[bool](t, ctx, `!!document.querySelector("#acc-otp") || document.body.innerText.includes(`+strconv.Quote(oneTime)+`)`) {
		t.Error("the one-time password is shown a second time")
	}

	// A claims handler with a payment limit; a malformed limit first.
	choose("#chg-role", "claims_handler")
	do(t, ctx, "a malformed limit", chromedp.WaitVisible(css("#chg-limit")), fill("#chg-limit", "12,5"), chromedp.Click(css("#change-submit")),
		chromedp.WaitVisible(css(`#change-form .field-error[data-field="payment_limit"]`)))
	if got := eval[string](t, ctx, `document.querySelector("#account").dataset.version`); got != "1" {
		t.Errorf("a refused change changed the account: version %s", got)
	}
	do(t, ctx, "role and limit", fill("#chg-limit", "25000"), chromedp.Click(css("#change-submit")), chromedp.WaitVisible(css(".acc-saved")))
	if got := text(t, ctx, `[data-fact="f.role"] dd`); got != "claims handler" {
		t.Errorf("role after the change %q", got)
	}
	if got := text(t, ctx, `[data-fact="col.limit"] dd`); got != "25,000.00 SEK" {
		t.Errorf("limit after the change %q", got)
	}
	if got := text(t, ctx, `#history li[data-kind="account_changed"] .what`); !strings.Contains(got, "operator → claims handler") || !strings.Contains(got, "25,000.00 SEK") {
		t.Errorf("the change's record says %q", got)
	}

	// Disabled: its session ends and its sign-in is an unknown email's.
	// The first press only asks; the second disables.
	do(t, ctx, "disable, first press", chromedp.Click(css("#acc-disable")), chromedp.WaitVisible(css(`#acc-disable[data-confirm="1"]`)))
	if got := text(t, ctx, "#acc-disable"); !strings.Contains(got, "Kim") || !strings.Contains(got, "again") {
		t.Errorf("the disable button after one press says %q", got)
	}
	screenshot(t, ctx, dir, "accounts-disable-asks-desktop")
	if s := d.sessionStatus(t, kimSession); s == http.StatusUnauthorized || eval[string](t, ctx, `document.querySelector("#account").dataset.access`) != "enabled" {
		t.Errorf("one press disabled the account (session %d)", s)
	}
	do(t, ctx, "disable, confirmed", chromedp.Click(css("#acc-disable")), chromedp.WaitVisible(css(`#account[data-access="disabled"]`)))
	if s := d.sessionStatus(t, kimSession); s != http.StatusUnauthorized {
		t.Errorf("the disabled account's session answers %d, want 401", s)
	}
	status, code, _ := d.signInOverHTTP(t, "kim@desk.example", oneTime)
	unknownStatus, unknownCode, _ := d.signInOverHTTP(t, "nobody@desk.example", oneTime)
	if status != http.StatusUnauthorized || status != unknownStatus || code != unknownCode {
		t.Errorf("the disabled account's sign-in: %d %q; an unknown email's: %d %q", status, code, unknownStatus, unknownCode)
	}
	if got := history(); len(got) < 3 || got[0] != "account_disabled" {
		t.Errorf("changes recorded %v", got)
	}
	screenshot(t, ctx, dir, "accounts-disabled-desktop")

	// Enabled again, then a new one-time password.
	do(t, ctx, "enable", chromedp.Click(css("#acc-enable")), chromedp.WaitVisible(css(`#account[data-access="enabled"]`)))
	if status, _, _ := d.signInOverHTTP(t, "kim@desk.example", oneTime); status != http.StatusCreated {
		t.Errorf("the account enabled again signs in: %d", status)
	}
	do(t, ctx, "reset the password", chromedp.Click(css("#acc-reset")), chromedp.WaitVisible(css(`#acc-reset[data-confirm="1"]`)),
		chromedp.Click(css("#acc-reset")), chromedp.WaitVisible(css("#acc-otp")))
	second := eval[string](t, ctx, `document.querySelector("#acc-otp").value`)
	if second == "" || second == oneTime {
		t.Fatalf("the reset's one-time password %q (the first was %q)", second, oneTime)
	}
	if status, _, _ := d.signInOverHTTP(t, "kim@desk.example", oneTime); status != http.StatusUnauthorized {
		t.Errorf("the old one-time password still signs in: %d", status)
	}
	if status, _, _ := d.signInOverHTTP(t, "kim@desk.example", second); status != http.StatusCreated {
		t.Errorf("the new one-time password does not sign in: %d", status)
	}
	want := "password_reset,account_enabled,account_disabled,account_changed,account_created"
	if got := strings.Join(history(), ","); got != want {
		t.Errorf("changes recorded %s, want %s", got, want)
	}
	if got := text(t, ctx, `#history li[data-kind="account_created"] .when`); !strings.Contains(got, "Ada Admin") {
		t.Errorf("the creation's record names %q, not the administrator", got)
	}
	axe(t, ctx, "account (desktop)")
	screenshot(t, ctx, dir, "accounts-reset-desktop")

	// On a phone, in German: rows as cards, nothing wider than the screen.
	do(t, ctx, "phone", phone)
	eval[bool](t, ctx, `localStorage.setItem("rc.lang", "de"), true`)
	do(t, ctx, "the list on a phone", chromedp.Navigate(d.url+"/console/#/accounts"), chromedp.Reload(),
		chromedp.WaitVisible(css(`tr[data-email="kim@desk.example"]`)))
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector("#accounts tbody tr")).display`); got != "block" {
		t.Errorf("a row on a phone is displayed %q, not as a card", got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector('tr[data-email="kim@desk.example"] .acc-limit'), "::before").content`); got != `"Zahlungsgrenze"` {
		t.Errorf("the limit's label on a phone %s", got)
	}
	if got := text(t, ctx, `tr[data-email="kim@desk.example"] .acc-role`); got != "Schadenbearbeiter" {
		t.Errorf("role in German %q", got)
	}
	// Each card's labels (their longest word) end before its values begin.
	if bad := eval[[]string](t, ctx, `(() => {
		const pen = document.createElement("canvas").getContext("2d");
		return [...document.querySelectorAll("#accounts td")].filter(td => {
			const v = td.querySelector(".v"), b = getComputedStyle(td, "::before");
			pen.font = b.fontWeight + " " + b.fontSize + " " + b.fontFamily;
			const label = Math.max(...td.dataset.label.toUpperCase().split(" ").map(w => pen.measureText(w).width));
			const r = v.getBoundingClientRect(), c = td.getBoundingClientRect();
			return r.top < c.top + 8 && r.left < c.left + parseFloat(getComputedStyle(td).paddingLeft) + label;
		}).map(td => td.dataset.label + ": " + td.innerText);
	})()`); len(bad) > 0 {
		t.Errorf("values over their labels on a phone: %v", bad)
	}
	noSideways(t, ctx, "accounts (phone)")
	axe(t, ctx, "accounts (phone)")
	screenshot(t, ctx, dir, "accounts-list-phone")
	do(t, ctx, "the account on a phone", chromedp.Click(css(`tr[data-email="kim@desk.example"] .acc-link`)), chromedp.WaitVisible(css("#history")))
	noSideways(t, ctx, "account (phone)")
	axe(t, ctx, "account (phone)")
	screenshot(t, ctx, dir, "accounts-account-phone")

	// The administrator's own account: not to be disabled from here.
	do(t, ctx, "own account", chromedp.Click(css("#acc-back")), chromedp.WaitVisible(css(`tr[data-email="ada@desk.example"] .acc-link`)),
		chromedp.Click(css(`tr[data-email="ada@desk.example"] .acc-link`)), chromedp.WaitVisible(css("#acc-self")))
	if eval[bool](t, ctx, `!!document.querySelector("#acc-disable, #acc-reset")`) {
		t.Error("an administrator is offered to disable or reset her own account")
	}
	noSideways(t, ctx, "own account (phone)")
	screenshot(t, ctx, dir, "accounts-own-phone")
}
