package httpapi

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"roadcover"
	"roadcover/internal/pgtest"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/postgres"
	"roadcover/store"
)

func init() {
	// The bank file is XML: the responses are checked as text.
	openapi3filter.RegisterBodyDecoder("application/xml", openapi3filter.FileBodyDecoder)
}

// receiptN numbers the test's receipts.
var receiptN atomic.Int64

// owe records payables of assistance receipts in EUR through the payments
// service, as the receipt checks do, and returns their ids.
func (e *env) owe(amounts ...int64) []string {
	e.t.Helper()
	payees := []payee.Payee{
		{ID: "drv-de", Name: "Jürgen Müller", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}},
		{ID: "drv-pt", Name: "João Gonçalves", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "PT50000201231234567890154"}},
		{ID: "drv-se", Name: "Åsa Ödegård", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "SE4550000000058398257466"}},
	}
	var rs []payments.PayableRequest
	for i, m := range amounts {
		rs = append(rs, payments.PayableRequest{
			Source: ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: fmt.Sprintf("case-%d", receiptN.Add(1)), Line: fmt.Sprint(i + 1)},
			Payee:  payees[i%len(payees)], Amount: roadcover.Money{Minor: m, Currency: "EUR"},
			Terms: "assistance-de-2023-05", Clause: "1.3.2", Reference: fmt.Sprintf("Roadcover receipt %d", i+1),
		})
	}
	var ids []string
	err := e.st.Update(context.Background(), func(tx store.Tx) error {
		out, err := e.srv.Payments().RecordPayables(context.Background(), tx, store.Actor{TokenID: "receipt-check", Role: RoleOperator}, rs)
		for _, r := range out {
			ids = append(ids, string(r.Payable.ID))
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// claim records one payable of an insurance claim in SEK.
func (e *env) claim(id string, minor int64) string {
	e.t.Helper()
	var pid string
	err := e.st.Update(context.Background(), func(tx store.Tx) error {
		r, err := e.srv.Payments().RecordPayable(context.Background(), tx, store.Actor{TokenID: "claims", Role: RoleClaims}, payments.PayableRequest{
			Source: ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: id, Line: "1"},
			Payee:  payee.Payee{ID: "ws-" + id, Name: "Bilverkstan AB", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}},
			Amount: roadcover.Money{Minor: minor, Currency: "SEK"}, Terms: "insurance-se-2021-10", Clause: "2.8", Reference: "Skada " + id,
		})
		pid = string(r.Payable.ID)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return pid
}

// pain002 is a bank's status report on batch id's file with a status per
// payable (rejections give AC04).
func pain002(msgID, batch string, status map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-12-08T10:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>%s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>%s/1</OrgnlPmtInfId>`, msgID, batch, batch)
	keys := make([]string, 0, len(status))
	for k := range status {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, p := range keys {
		fmt.Fprintf(&b, "<TxInfAndSts><OrgnlEndToEndId>%s/%s</OrgnlEndToEndId><TxSts>%s</TxSts>", p, batch, status[p])
		if status[p] == "RJCT" {
			b.WriteString("<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>")
		}
		b.WriteString("</TxInfAndSts>")
	}
	b.WriteString("</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n")
	return b.String()
}

// xmllint validates a pain.001 file against the ISO schema; without
// xmllint the test skips that check, or fails under CI=true.
func xmllint(t *testing.T, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed and CI=true: install Debian's libxml2-utils")
		}
		t.Skip("skipped: xmllint is not installed (apt-get install libxml2-utils); set CI=true to make this a failure")
	}
	f := filepath.Join(t.TempDir(), "batch.pain.001.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("..", "iso20022", "testdata", "xsd", "iso", "pain.001.001.03.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("the downloaded file is not valid pain.001.001.03: %v\n%s", err, out)
	}
}

// TestPaymentBatchesEndToEnd: payables recorded by the receipt checks are
// batched by one person, approved and released by two others, downloaded
// as a valid pain.001 file (the same bytes every time), and a status report
// rejecting one payment opens its payable again for the next batch.
func TestPaymentBatchesEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { paymentRun(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) { paymentRun(t, newEnvOn(t, openPostgres(t))) })
}

// openPostgres is a PostgreSQL store in a new database of the throwaway
// cluster.
func openPostgres(t *testing.T) store.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func paymentRun(t *testing.T, e *env) {
	ids := e.owe(600_000, 8_000, 400_001) // 10 080.01 EUR: above the sample threshold, two approvers
	other := e.do("POST", "/v1/tokens", RoleAdmin, `{"role": "payments", "label": "second approver"}`)
	e.wantStatus(other, http.StatusCreated, "second payments token")
	e.tokens["payments2"] = other.json(t)["token"].(string)

	r := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR"}`, "Idempotency-Key", "batch-1")
	e.wantStatus(r, http.StatusCreated, "create batch")
	b := r.json(t)
	id := b["id"].(string)
	if r.header.Get("Location") != "/v1/payment-batches/"+id || b["status"] != "draft" || b["total"] != "10080.01" ||
		b["approvals_required"].(float64) != 2 || len(b["payables"].([]any)) != 3 {
		t.Fatalf("batch: %s", r.body)
	}
	again := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR"}`, "Idempotency-Key", "batch-1")
	if again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || string(again.body) != string(r.body) {
		t.Fatalf("repeat: %d %s", again.status, again.body)
	}
	lst := e.do("GET", "/v1/payment-batches", RoleAdmin, "")
	if n := len(lst.json(t)["batches"].([]any)); n != 1 {
		t.Fatalf("%d batches after a repeated create", n)
	}
	e.wantStatus(e.do("POST", "/v1/payment-batches", RoleAdmin, `{"currency": "EUR", "payables": ["`+ids[1]+`"]}`), http.StatusConflict, "payable already in a batch")

	path := "/v1/payment-batches/" + id
	e.wantStatus(e.do("POST", path+"/approve", RolePayments, ""), http.StatusConflict, "the maker approves")
	e.wantStatus(e.do("POST", path+"/release", RoleAdmin, ""), http.StatusConflict, "release before the first approval")
	e.wantStatus(e.do("POST", path+"/approve", RoleAdmin, "{}"), http.StatusOK, "first approval")
	e.wantStatus(e.do("POST", path+"/approve", RoleAdmin, ""), http.StatusConflict, "approves twice")
	e.wantStatus(e.do("POST", path+"/release", RoleAdmin, ""), http.StatusConflict, "the approver releases too")
	e.wantStatus(e.do("GET", path+"/pain.001", RolePayments, ""), http.StatusConflict, "file of a draft")
	rel := e.do("POST", path+"/release", "payments2", `{"execution_date": "`+roadcover.DateOf(e.clock()).AddDays(1).String()+`"}`)
	e.wantStatus(rel, http.StatusOK, "release")
	rb := rel.json(t)
	file := rb["file"].(map[string]any)
	if rb["status"] != "released" || len(rb["approvers"].([]any)) != 2 || file["href"] != path+"/pain.001" || file["count"].(float64) != 3 {
		t.Fatalf("released: %s", rel.body)
	}

	dl := e.do("GET", path+"/pain.001", RolePayments, "")
	e.wantStatus(dl, http.StatusOK, "download")
	if ct := dl.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") ||
		dl.header.Get("Content-Disposition") != `attachment; filename="`+id+`.pain.001.xml"` {
		t.Fatalf("download headers %v", dl.header)
	}
	if sum := fmt.Sprintf("%x", sha256.Sum256(dl.body)); sum != file["sha256"] || fmt.Sprint(len(dl.body)) != fmt.Sprint(file["size"]) {
		t.Fatalf("the download (%s) is not the file released (%v)", sum, file)
	}
	if dl2 := e.do("GET", path+"/pain.001", RoleAdmin, ""); string(dl2.body) != string(dl.body) {
		t.Fatal("two downloads differ")
	}
	for _, want := range []string{"<MsgId>" + id + "</MsgId>", "<NbOfTxs>3</NbOfTxs>", "<CtrlSum>10080.01</CtrlSum>", "SAMPLE DEBTOR"} {
		if !strings.Contains(string(dl.body), want) {
			t.Errorf("file lacks %q", want)
		}
	}
	xmllint(t, dl.body)

	// The bank rejects one payment.
	report := pain002("PSR-1", id, map[string]string{ids[0]: "ACSC", ids[1]: "RJCT", ids[2]: "ACCP"})
	imp := e.do("POST", path+"/status-report", RolePayments, report, "Content-Type", "application/xml")
	e.wantStatus(imp, http.StatusOK, "import")
	ib := imp.json(t)
	if ib["replayed"] != false || len(ib["outcomes"].([]any)) != 3 || len(ib["entries"].([]any)) != 2 {
		t.Fatalf("import: %s", imp.body)
	}
	rep := e.do("POST", path+"/status-report", RolePayments, report, "Content-Type", "application/xml")
	if rep.status != http.StatusOK || rep.json(t)["replayed"] != true {
		t.Fatalf("import again: %d %s", rep.status, rep.body)
	}
	e.wantStatus(e.do("POST", path+"/status-report", RolePayments, `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><Document/>`,
		"Content-Type", "application/xml"), http.StatusUnprocessableEntity, "DOCTYPE")

	open := e.do("GET", "/v1/payables?status=open", RoleOperator, "")
	e.wantStatus(open, http.StatusOK, "open payables")
	ps := open.json(t)["payables"].([]any)
	if len(ps) != 1 || ps[0].(map[string]any)["id"] != ids[1] || len(ps[0].(map[string]any)["rejections"].([]any)) != 1 {
		t.Fatalf("open after the report: %s", open.body)
	}

	// The next batch pays it again.
	next := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR"}`)
	e.wantStatus(next, http.StatusCreated, "next batch")
	nid := next.json(t)["id"].(string)
	if p := next.json(t)["payables"].([]any); len(p) != 1 || p[0] != ids[1] {
		t.Fatalf("next batch: %s", next.body)
	}
	e.wantStatus(e.do("POST", "/v1/payment-batches/"+nid+"/release", RoleAdmin, ""), http.StatusOK, "release the next batch")
	dl = e.do("GET", "/v1/payment-batches/"+nid+"/pain.001", RoleAdmin, "")
	if !strings.Contains(string(dl.body), "<EndToEndId>"+ids[1]+"/"+nid+"</EndToEndId>") {
		t.Fatalf("next file:\n%s", dl.body)
	}
	xmllint(t, dl.body)
	got := e.do("GET", "/v1/payment-batches/"+id, RoleAdmin, "").json(t)
	if len(got["outcomes"].([]any)) != 3 {
		t.Fatalf("outcomes of the first batch: %v", got["outcomes"])
	}
}

// TestPayablesByArea: operators read assistance receipts' payables, claims
// handlers insurance claims'; neither reads the other's.
func TestPayablesByArea(t *testing.T) {
	e := newEnv(t)
	receipt := e.owe(1_000)[0]
	claim := e.claim("K-7", 500_000)
	for role, want := range map[string]string{RoleOperator: receipt, RoleClaims: claim} {
		r := e.do("GET", "/v1/payables", role, "")
		e.wantStatus(r, http.StatusOK, role)
		ps := r.json(t)["payables"].([]any)
		if len(ps) != 1 || ps[0].(map[string]any)["id"] != want {
			t.Errorf("%s reads %s", role, r.body)
		}
	}
	e.wantStatus(e.do("GET", "/v1/payables?source=insurance_claim", RoleOperator, ""), http.StatusForbidden, "operator, claims")
	e.wantStatus(e.do("GET", "/v1/payables?source=assistance_receipt", RoleClaims, ""), http.StatusForbidden, "claims handler, receipts")
	all := e.do("GET", "/v1/payables?source=insurance_claim:K-7", RolePayments, "")
	if ps := all.json(t)["payables"].([]any); len(ps) != 1 || ps[0].(map[string]any)["currency"] != "SEK" || ps[0].(map[string]any)["amount"] != "5000.00" {
		t.Fatalf("payments reads %s", all.body)
	}
	if fs := problemFields(t, e.do("GET", "/v1/payables?source=receipt&status=lost", RoleAdmin, "")); !slices.Equal(fs, []string{"source", "status"}) {
		t.Fatalf("fields %v", fs)
	}
}

// paymentProblems provokes the errors the payment operations document, for
// TestOpenAPIProblemsAreTheRealOnes.
func paymentProblems(e *env, check func(env *env, key, path, role, body string, want int, hdr ...string) resp) {
	ids := e.owe(100, 200)
	made := e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR", "payables": ["`+ids[0]+`"]}`)
	e.wantStatus(made, http.StatusCreated, "draft batch")
	draft := made.json(e.t)["id"].(string)
	made = e.do("POST", "/v1/payment-batches", RolePayments, `{"currency": "EUR", "payables": ["`+ids[1]+`"]}`)
	e.wantStatus(made, http.StatusCreated, "batch")
	released := made.json(e.t)["id"].(string)
	e.wantStatus(e.do("POST", "/v1/payment-batches/"+released+"/release", RoleAdmin, ""), http.StatusOK, "release")
	report := pain002("R-1", "nothing", map[string]string{ids[1]: "ACSC"})
	xml := []string{"Content-Type", "application/xml"}
	const pay = RolePayments
	for _, x := range []struct {
		key, path, role, body string
		want                  int
		hdr                   []string
	}{
		{"POST /v1/payment-batches", "/v1/payment-batches", pay, `{}`, 422, nil},
		{"POST /v1/payment-batches", "/v1/payment-batches", pay, `{"currency": "EUR", "payables": ["P-0"]}`, 404, nil},
		{"POST /v1/payment-batches", "/v1/payment-batches", pay, `{"currency": "EUR", "payables": ["` + ids[0] + `"]}`, 409, nil},
		{"GET /v1/payment-batches", "/v1/payment-batches?status=lost", pay, "", 422, nil},
		{"GET /v1/payment-batches/{id}", "/v1/payment-batches/nothing", pay, "", 404, nil},
		{"POST /v1/payment-batches/{id}/approve", "/v1/payment-batches/nothing/approve", pay, "", 404, nil},
		{"POST /v1/payment-batches/{id}/approve", "/v1/payment-batches/" + draft + "/approve", pay, "", 409, nil},
		{"POST /v1/payment-batches/{id}/approve", "/v1/payment-batches/" + draft + "/approve", RoleAdmin, `{"reason": 1}`, 422, nil},
		{"POST /v1/payment-batches/{id}/release", "/v1/payment-batches/nothing/release", pay, "", 404, nil},
		{"POST /v1/payment-batches/{id}/release", "/v1/payment-batches/" + draft + "/release", pay, "", 409, nil},
		{"POST /v1/payment-batches/{id}/release", "/v1/payment-batches/" + draft + "/release", RoleAdmin, `{"execution_date": "soon"}`, 422, nil},
		{"POST /v1/payment-batches/{id}/cancel", "/v1/payment-batches/nothing/cancel", pay, "", 404, nil},
		{"POST /v1/payment-batches/{id}/cancel", "/v1/payment-batches/" + released + "/cancel", pay, "", 409, nil},
		{"POST /v1/payment-batches/{id}/cancel", "/v1/payment-batches/" + draft + "/cancel", pay, `[]`, 422, nil},
		{"GET /v1/payment-batches/{id}/pain.001", "/v1/payment-batches/nothing/pain.001", pay, "", 404, nil},
		{"GET /v1/payment-batches/{id}/pain.001", "/v1/payment-batches/" + draft + "/pain.001", pay, "", 409, nil},
		{"POST /v1/payment-batches/{id}/status-report", "/v1/payment-batches/nothing/status-report", pay, report, 404, xml},
		{"POST /v1/payment-batches/{id}/status-report", "/v1/payment-batches/" + draft + "/status-report", pay, report, 409, xml},
		{"POST /v1/payment-batches/{id}/status-report", "/v1/payment-batches/" + released + "/status-report", pay, "<nope/>", 422, xml},
		{"GET /v1/payables", "/v1/payables?status=lost", RoleOperator, "", 422, nil},
	} {
		check(e, x.key, x.path, x.role, x.body, x.want, x.hdr...)
	}
}

// TestPayablesNameTheirPayee: the payables list names each payee and the
// account paid into, so that the clerk who releases a batch sees who is
// paid where before the file is written.
func TestPayablesNameTheirPayee(t *testing.T) {
	e := newEnv(t)
	e.owe(1_000, 2_000)
	e.claim("K-8", 500_000)
	r := e.do("GET", "/v1/payables", RolePayments, "")
	e.wantStatus(r, http.StatusOK, "payables")
	want := map[string][2]string{
		"drv-de": {"Jürgen Müller", "IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX"},
		"drv-pt": {"João Gonçalves", "IBAN PT50 0002 0123 1234 5678 9015 4"},
		"ws-K-8": {"Bilverkstan AB", "bankgiro 5050-1055"},
	}
	ps := r.json(t)["payables"].([]any)
	if len(ps) != 3 {
		t.Fatalf("payables: %s", r.body)
	}
	for _, x := range ps {
		p := x.(map[string]any)
		w, ok := want[p["payee"].(string)]
		if !ok {
			t.Errorf("payee %v", p["payee"])
			continue
		}
		if (w[0] != "" && p["payee_name"] != w[0]) || p["payee_name"] == nil || p["payee_account"] != w[1] {
			t.Errorf("payee %v: name %v, account %v; want %q", p["payee"], p["payee_name"], p["payee_account"], w)
		}
	}
}
