package iso20022

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roadcover/ledger"
)

func report(t *testing.T, name string) StatusReport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pain002", name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := DecodePain002(data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func outcomeList(os []ledger.Outcome) string {
	var b strings.Builder
	for _, o := range os {
		b.WriteString(string(o.Payable) + ":" + string(o.Result) + ":" + o.Code + " ")
	}
	return strings.TrimSpace(b.String())
}

// The rejection-only fixtures are valid against the German banks' SEPA
// profile of pain.002.001.03 (which allows no status but RJCT); the others
// follow the ISO structure.
func TestStatusReportFixturesAreValid(t *testing.T) {
	for _, name := range []string{"se-one-rejected.xml", "se-file-rejected.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "pain002", name))
		if err != nil {
			t.Fatal(err)
		}
		mustValid(t, "dk/pain.002.001.03.xsd", data)
	}
}

func TestDecodePain002(t *testing.T) {
	r := report(t, "se-one-rejected.xml")
	if r.MessageID != "STS-20261210-0001" || r.OriginalMessageID != "K-2026-12-001" || r.OriginalMessageName != "pain.001.001.03" ||
		!r.CreatedAt.Equal(time.Date(2026, 12, 10, 7, 12, 44, 0, time.UTC)) || r.GroupStatus != "" || len(r.Blocks) != 1 {
		t.Fatalf("%+v", r)
	}
	tx := r.Blocks[0].Transactions
	if r.Blocks[0].OriginalID != "K-2026-12-001/1" || len(tx) != 1 || tx[0].OriginalEndToEndID != "K-2002/K-2026-12-001" ||
		tx[0].Status != StatusRejected || tx[0].Reasons[0].Code != "AC04" {
		t.Fatalf("%+v", r.Blocks[0])
	}
	p := report(t, "sepa-partly-rejected.xml")
	rs := p.Blocks[0].Transactions[1].Reasons[0]
	if p.GroupStatus != StatusPartiallyAccepted || rs.Code != "X123" || !rs.Proprietary || rs.Text != "Beneficiary account closed" {
		t.Fatalf("%+v", p)
	}
	if f := report(t, "se-file-rejected.xml"); !f.CreatedAt.Equal(time.Date(2026, 12, 9, 5, 1, 0, 0, time.UTC)) || f.GroupReasons[0].Code != "FF01" {
		t.Fatalf("%+v", f)
	}
}

func TestDecodePain002Refuses(t *testing.T) {
	ok, err := os.ReadFile(filepath.Join("testdata", "pain002", "sepa-settled.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][2]string{
		"other version":   {"pain.002.001.03\">", "pain.002.001.10\">"},
		"unknown status":  {"<GrpSts>ACSC</GrpSts>", "<GrpSts>DONE</GrpSts>"},
		"no original":     {"<OrgnlMsgId>B-2026-12-001</OrgnlMsgId>", ""},
		"bad time":        {"2026-12-09T16:40:02.118Z", "9 Dec 2026"},
		"not a report":    {"CstmrPmtStsRpt", "CstmrCdtTrfInitn"},
		"not xml":         {"<?xml", "<<"},
		"part on a tx":    {"<GrpSts>ACSC</GrpSts>\n    </OrgnlGrpInfAndSts>", "</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>B-2026-12-001/1</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>x</OrgnlEndToEndId><TxSts>PART</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>"},
		"pending is fine": {"<GrpSts>ACSC</GrpSts>", "<GrpSts>PDNG</GrpSts>"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(string(ok), c[0]) {
				t.Fatalf("fixture lacks %q", c[0])
			}
			_, err := DecodePain002([]byte(strings.Replace(string(ok), c[0], c[1], 1)))
			if (err == nil) != (name == "pending is fine") {
				t.Fatalf("error %v", err)
			}
		})
	}
}

func TestOutcomesAppliedToTheLedger(t *testing.T) {
	l, r, payees := releasedBatch(t, "K-2026-12-001", swedishLines)
	in, err := Initiate(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Outcomes(report(t, "se-one-rejected.xml"), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomeList(outs); got != "K-2001:pending: K-2002:rejected:AC04 K-2003:pending:" {
		t.Fatalf("outcomes %s", got)
	}
	at := time.Date(2026, 12, 10, 8, 0, 0, 0, time.UTC)
	es, err := l.ApplyOutcomes("K-2026-12-001", outs, at, "bank-import")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := l.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := l.Payable("K-2002")
	if p.Status != ledger.StatusOpen || len(p.Rejections) != 1 || p.Rejections[0].Reason != "AC04" {
		t.Fatalf("K-2002 %+v", p)
	}
	// The rejected payable goes out again in the next batch, under a new
	// end-to-end id, once its payee's account is corrected.
	e, err := l.CreateBatch(ledger.BatchRequest{ID: "K-2026-12-002", Currency: "SEK", Maker: "maria"}, policy, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Apply(e); err != nil {
		t.Fatal(err)
	}
	rel, err := l.Release("K-2026-12-002", "anna", execDay.AddDays(2), at)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rel {
		if err := l.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	r2, _ := l.ReleasedBatch("K-2026-12-002")
	payees["ph-9"] = ibanPayee("ph-9", "Örjan Åkesson", "SE4550000000058398257466", "")
	doc, err := Pain001(r2, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	if !strings.Contains(string(doc), "<EndToEndId>K-2002/K-2026-12-002</EndToEndId>") || strings.Count(string(doc), "<CdtTrfTxInf>") != 1 {
		t.Fatalf("second batch:\n%s", doc)
	}
	// The settlement report of the first file confirms the other two.
	settled := strings.NewReplacer("B-2026-12-001", "K-2026-12-001").Replace(string(mustRead(t, "sepa-settled.xml")))
	rep, err := DecodePain002([]byte(settled))
	if err != nil {
		t.Fatal(err)
	}
	outs, err = Outcomes(rep, in)
	if err != nil {
		t.Fatal(err)
	}
	// The group status covers all three; K-2002 was rejected already, and the
	// ledger refuses to call it paid now.
	if got := outcomeList(outs); got != "K-2001:paid:ACSC K-2002:paid:ACSC K-2003:paid:ACSC" {
		t.Fatalf("outcomes %s", got)
	}
	if _, err := l.ApplyOutcomes("K-2026-12-001", outs, at, "bank-import"); !ledger.IsReason(err, ledger.ReasonOutcomeConflict) {
		t.Fatalf("settled after rejection: %v", err)
	}
	es, err = l.ApplyOutcomes("K-2026-12-001", []ledger.Outcome{outs[0], outs[2]}, at, "bank-import")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := l.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []ledger.PayableID{"K-2001", "K-2003"} {
		if p, _ := l.Payable(id); p.Status != ledger.StatusPaid {
			t.Fatalf("%s %s", id, p.Status)
		}
	}
	if err := l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pain002", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestOutcomesOfGroupAndBlockStatus(t *testing.T) {
	_, r, payees := releasedBatch(t, "B-2026-12-001", sepaLines)
	in, err := Initiate(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Outcomes(report(t, "sepa-partly-rejected.xml"), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomeList(outs); got != "R-1001:paid:ACSP R-1002:pending: R-1003:rejected:X123 R-1004:pending:ACTC" {
		t.Fatalf("partly rejected: %s", got)
	}
	outs, err = Outcomes(report(t, "sepa-settled.xml"), in)
	if err != nil || outcomeList(outs) != "R-1001:paid:ACSC R-1002:paid:ACSC R-1003:paid:ACSC R-1004:paid:ACSC" {
		t.Fatalf("settled: %s %v", outcomeList(outs), err)
	}
	_, r2, payees2 := releasedBatch(t, "K-2026-12-001", swedishLines)
	in2, err := Initiate(r2, payees2, debtor)
	if err != nil {
		t.Fatal(err)
	}
	outs, err = Outcomes(report(t, "se-file-rejected.xml"), in2)
	if err != nil || outcomeList(outs) != "K-2001:rejected:FF01 K-2002:rejected:FF01 K-2003:rejected:FF01" {
		t.Fatalf("file rejected: %s %v", outcomeList(outs), err)
	}
	// A report on another message, or naming what the message does not hold.
	if _, err := Outcomes(report(t, "se-file-rejected.xml"), in); err == nil {
		t.Fatal("report on another message")
	}
	bad := report(t, "sepa-partly-rejected.xml")
	bad.Blocks[0].Transactions[0].OriginalEndToEndID = "R-9999/B-2026-12-001"
	if _, err := Outcomes(bad, in); err == nil {
		t.Fatal("unknown end-to-end id")
	}
	bad = report(t, "sepa-partly-rejected.xml")
	bad.Blocks[0].OriginalID = "B-2026-12-001/7"
	if _, err := Outcomes(bad, in); err == nil {
		t.Fatal("unknown block")
	}
	bad = report(t, "sepa-settled.xml")
	bad.OriginalMessageName = "pain.008.001.02"
	if _, err := Outcomes(bad, in); err == nil {
		t.Fatal("report on a direct debit")
	}
	// A rejection without any reason code is NARR.
	bare := report(t, "se-file-rejected.xml")
	bare.GroupReasons = nil
	outs, _ = Outcomes(bare, in2)
	if outs[0].Code != "NARR" {
		t.Fatalf("no reason: %+v", outs[0])
	}
}

func TestStatusCodeResults(t *testing.T) {
	want := map[StatusCode]ledger.Result{
		"ACSC": ledger.ResultPaid, "ACCP": ledger.ResultPaid, "ACSP": ledger.ResultPaid, "ACWC": ledger.ResultPaid,
		"ACTC": ledger.ResultPending, "PDNG": ledger.ResultPending, "RCVD": ledger.ResultPending, "RJCT": ledger.ResultRejected,
	}
	for c, r := range want {
		if got, ok := c.Result(); !ok || got != r {
			t.Errorf("%s: %s", c, got)
		}
	}
	if _, ok := StatusCode("PART").Result(); ok {
		t.Error("PART has a result")
	}
}
