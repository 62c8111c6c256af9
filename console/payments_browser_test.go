package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"roadcover"
	"roadcover/desk"
	"roadcover/httpapi"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/store"
)

// The money-out page in headless Chromium against the real service on
// SQLite: a payments clerk lands on the payables owed, makes a batch of one
// currency and may not release it herself; a second clerk releases it, the
// bank file downloads as valid pain.001, and the bank's status report read
// back from a file marks one payment paid and one rejected (owed again).
// At desktop and phone width, with axe-core.
func TestPaymentsPageInChromium(t *testing.T) {
	d := startDesk(t)
	d.account(t, desk.RolePayments, "mia@pay.example", "Mia Maker", "Mia's long passphrase")
	d.account(t, desk.RolePayments, "otto@pay.example", "Otto Checker", "Otto's long passphrase")

	// What checked receipts and a released claim payment owe.
	owed := []payments.PayableRequest{
		{Source: ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: "case-pay-1", Line: "1"},
			Payee:  payee.Payee{ID: "drv-de", Name: "Jürgen Müller", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}},
			Amount: roadcover.Money{Minor: 12950, Currency: "EUR"}, Terms: "assistance-de-2023-05", Clause: "1.3.2", Reference: "Hotel night, case-pay-1"},
		{Source: ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: "case-pay-2", Line: "1"},
			Payee:  payee.Payee{ID: "drv-pt", Name: "João Gonçalves", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "PT50000201231234567890154"}},
			Amount: roadcover.Money{Minor: 4480, Currency: "EUR"}, Terms: "assistance-pt-2023-05", Clause: "1.3.1", Reference: "Taxi, case-pay-2"},
		{Source: ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: "claim-pay-3", Line: "1"},
			Payee:  payee.Payee{ID: "ws-3", Name: "Bilverkstan AB", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}},
			Amount: roadcover.Money{Minor: 3600000, Currency: "SEK"}, Terms: "insurance-se-2021-10", Clause: "2.8", Reference: "Skada claim-pay-3"},
	}
	var ids []string
	if err := d.st.Update(context.Background(), func(tx store.Tx) error {
		out, err := d.srv.Payments().RecordPayables(context.Background(), tx, store.Actor{TokenID: "receipt-check", Role: httpapi.RoleOperator}, owed)
		for _, r := range out {
			ids = append(ids, string(r.Payable.ID))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	ctx := browser(t)
	dir := screenshotDir(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	signIn := func(email, password string) {
		t.Helper()
		do(t, ctx, "sign in as "+email, chromedp.Navigate(d.url+"/console/"), chromedp.WaitVisible(css("#email")),
			chromedp.SendKeys(css("#email"), email), chromedp.SendKeys(css("#password"), password),
			chromedp.Click(css("#signin-submit")), chromedp.WaitVisible(css(".pay-owed, #pay-none-owed")))
	}

	// The maker lands on the payments page, not the operators' queue.
	signIn("mia@pay.example", "Mia's long passphrase")
	if h := eval[string](t, ctx, `location.hash`); h != "#/payments" {
		t.Errorf("a payments clerk lands on %q, want #/payments", h)
	}
	if eval[bool](t, ctx, `!document.getElementById("nav-queue").hidden`) {
		t.Error("the queue is offered to a payments clerk, who may not read it")
	}
	if got := eval[[]string](t, ctx, `[...document.querySelectorAll(".pay-owed")].map(e => e.dataset.currency)`); strings.Join(got, ",") != "EUR,SEK" {
		t.Fatalf("owed currencies %v", got)
	}
	digits := regexp.MustCompile(`[^0-9]`)
	if got := digits.ReplaceAllString(text(t, ctx, `.pay-owed[data-currency="EUR"] .bar strong`), ""); got != "17430" {
		t.Errorf("EUR owed %q, want 174.30", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.pay-owed[data-currency="EUR"] tbody tr').length`); n != 2 {
		t.Errorf("%d EUR payables listed, want 2", n)
	}
	if got := text(t, ctx, `.pay-owed[data-currency="EUR"] tbody tr .pay-payee`); !strings.Contains(got, "Jürgen Müller") ||
		!strings.Contains(got, "IBAN DE89 3704 0044 0532 0130 00") {
		t.Errorf("the payee of an owed payable is not named with the account: %q", got)
	}
	axe(t, ctx, "payments (desktop)")
	screenshot(t, ctx, dir, "payments-owed-desktop")

	do(t, ctx, "make the EUR batch", chromedp.Click(css(`.pay-owed[data-currency="EUR"] .pay-make`)),
		chromedp.WaitVisible(css(`.pay-batch[data-status="draft"] .pay-waiting`)))
	batch := eval[string](t, ctx, `document.querySelector(".pay-batch").id.slice(6)`)
	if eval[bool](t, ctx, `!!document.querySelector(".pay-batch .pay-release, .pay-batch .pay-approve")`) {
		t.Error("the maker is offered to release her own batch")
	}
	if eval[bool](t, ctx, `!!document.querySelector('.pay-owed[data-currency="EUR"]')`) {
		t.Error("the batched EUR payables are still listed as owed outside a batch")
	}
	if !strings.Contains(text(t, ctx, "#batch-"+batch), "made by me") {
		t.Errorf("the batch does not name its maker: %s", text(t, ctx, "#batch-"+batch))
	}
	screenshot(t, ctx, dir, "payments-draft-desktop")
	do(t, ctx, "sign out", chromedp.Click(css("#sign-out")), chromedp.WaitVisible(css("#email")))

	// The second clerk releases it, on a phone, in Danish.
	do(t, ctx, "phone", phone)
	eval[bool](t, ctx, `localStorage.setItem("rc.lang", "da"), true`)
	signIn("otto@pay.example", "Otto's long passphrase")
	do(t, ctx, "the draft", chromedp.WaitVisible(css("#batch-"+batch+" .pay-release")))
	if got := text(t, ctx, "#batch-"+batch+" tbody"); !strings.Contains(got, "Jürgen Müller") || !strings.Contains(got, "João Gonçalves") ||
		!strings.Contains(got, "IBAN PT50 0002 0123 1234 5678 9015 4") {
		t.Errorf("the releaser does not see whom the draft pays and where: %q", got)
	}
	do(t, ctx, "release", chromedp.Click(css("#batch-"+batch+" .pay-release")),
		chromedp.WaitVisible(css(`#batch-`+batch+`[data-status="released"] .pay-file`)))
	if got := text(t, ctx, "#batch-"+batch+" .badge"); got != "sendt" {
		t.Errorf("status not in Danish: %q", got)
	}
	noSideways(t, ctx, "payments (phone)")
	axe(t, ctx, "payments (phone)")
	screenshot(t, ctx, dir, "payments-released-phone")

	// The bank file the link downloads is the batch's pain.001.
	file, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#batch-`+batch+` .pay-file").href, {credentials: "same-origin"}).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(file, "pain.001.001.03") || strings.Count(file, "<CdtTrfTxInf>") != 2 || !strings.Contains(file, "<InstdAmt Ccy=\"EUR\">129.50</InstdAmt>") {
		t.Fatalf("the bank file is not the batch's pain.001:\n%.600s", file)
	}

	// The bank's report, chosen as a file: one paid, one rejected.
	report := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>BANK-1</MsgId><CreDtTm>2026-12-08T10:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>%[1]s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>%[1]s/1</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>%[2]s/%[1]s</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>
<TxInfAndSts><OrgnlEndToEndId>%[3]s/%[1]s</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`, batch, ids[0], ids[1])
	f := filepath.Join(t.TempDir(), "pain.002.xml")
	if err := os.WriteFile(f, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "read the bank's report", chromedp.SetUploadFiles(css("#report-"+batch), []string{f}),
		chromedp.WaitVisible(css("#batch-"+batch+" .pay-outcomes")))
	outcomes := text(t, ctx, "#batch-"+batch+" .pay-outcomes")
	if !strings.Contains(outcomes, ids[0]) || !strings.Contains(outcomes, ids[1]) || !strings.Contains(outcomes, "AC04") {
		t.Errorf("outcomes %q", outcomes)
	}
	// The rejected payment is owed again, outside any batch.
	waitJS(t, ctx, "the rejected payable owed again", `!!document.querySelector('.pay-owed[data-currency="EUR"] tr[data-payable="`+ids[1]+`"]')`)
	noSideways(t, ctx, "payments after the report (phone)")
	screenshot(t, ctx, dir, "payments-report-phone")
}
