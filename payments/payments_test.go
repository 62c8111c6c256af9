package payments_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roadcover"
	"roadcover/iso20022"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/payments"
	"roadcover/sqlite"
	"roadcover/store"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var (
	t0     = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	config = payments.Config{
		Policy: ledger.Policy{SecondApprovalAbove: map[string]int64{"EUR": 1_000_000, "SEK": 10_000_000}},
		Debtor: iso20022.Debtor{Name: "Roadcover Assistans AB", Accounts: []iso20022.DebtorAccount{
			{Currency: "EUR", IBAN: "SE3550000000054910000003", BIC: "ESSESESS"},
			{Currency: "SEK", IBAN: "SE4550000000058398257466", BIC: "ESSESESS"},
		}},
	}
	maker    = store.Actor{TokenID: "tok-maria", Role: "payments"}
	approver = store.Actor{TokenID: "tok-anna", Role: "payments"}
	releaser = store.Actor{TokenID: "tok-bo", Role: "admin"}
	handler  = store.Actor{TokenID: "tok-claims", Role: "claims_handler"}
)

func openStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type env struct {
	t   testing.TB
	st  store.Store
	svc *payments.Service
	clk *clock
}

func newEnv(t testing.TB) *env {
	clk := &clock{now: t0}
	return &env{t: t, st: openStore(t, filepath.Join(t.TempDir(), "pay.db")), svc: payments.New(config, clk.Now), clk: clk}
}

func (e *env) update(fn func(ctx context.Context, tx store.Tx) error) error {
	ctx := context.Background()
	return e.st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) })
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func ibanPayee(id, name, iban string) payee.Payee {
	return payee.Payee{ID: id, Name: name, Account: payee.Account{Method: payee.MethodIBAN, IBAN: iban}}
}

var (
	drvDE = ibanPayee("drv-de", "Jürgen Müller", "DE89 3704 0044 0532 0130 00")
	drvPT = ibanPayee("drv-pt", "João Gonçalves", "PT50000201231234567890154")
	wsSE  = payee.Payee{ID: "ws-se", Name: "Bilverkstan i Årsta AB", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}}
)

func receipt(caseID, line string, p payee.Payee, minor int64) payments.PayableRequest {
	return payments.PayableRequest{
		Source: ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: caseID, Line: line},
		Payee:  p, Amount: roadcover.Money{Minor: minor, Currency: "EUR"},
		Terms: "assistance-de-2023-05", Clause: "1.3.2", Reference: "Roadcover " + caseID + " receipt " + line,
	}
}

func claimLine(claimID, line string, p payee.Payee, minor int64) payments.PayableRequest {
	return payments.PayableRequest{
		Source: ledger.Source{Kind: ledger.SourceInsuranceClaim, ID: claimID, Line: line},
		Payee:  p, Amount: roadcover.Money{Minor: minor, Currency: "SEK"},
		Terms: "insurance-se-2021-10", Clause: "2.8", Reference: "Skada " + claimID,
	}
}

func (e *env) record(a store.Actor, rs ...payments.PayableRequest) []payments.Recorded {
	e.t.Helper()
	var out []payments.Recorded
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		out, err = e.svc.RecordPayables(ctx, tx, a, rs)
		return err
	}))
	return out
}

func wantCode(t testing.TB, err error, code roadcover.Code) {
	t.Helper()
	if p := roadcover.ProblemFor(err); err == nil || p.Code != code {
		t.Fatalf("error %v (%s); want %s", err, p.Code, code)
	}
}

func fields(err error) []string {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return nil
	}
	var out []string
	for _, f := range ie.Errors {
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

// xmllint validates doc against the ISO schema of pain.001.001.03; without
// xmllint the check is skipped, unless CI=true.
func xmllint(t testing.TB, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed and CI=true: install Debian's libxml2-utils")
		}
		t.Log("xmllint is not installed: the file is not validated against the schema (apt-get install libxml2-utils)")
		return
	}
	f := filepath.Join(t.TempDir(), "pain001.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("..", "iso20022", "testdata", "xsd", "iso", "pain.001.001.03.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("the file is not valid pain.001.001.03: %v\n%s", err, out)
	}
}

func TestRecordPayableNamesBadFields(t *testing.T) {
	e := newEnv(t)
	bad := payments.PayableRequest{
		Source: ledger.Source{Kind: "receipt"},
		Payee:  payee.Payee{ID: "bad id", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "DE00"}},
		Amount: roadcover.Money{Minor: 0, Currency: "eur"}, Terms: "assistance-xx", Reference: strings.Repeat("x", 141),
	}
	err := e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.RecordPayable(ctx, tx, handler, bad)
		return err
	})
	want := []string{"amount", "currency", "payee.account.iban", "payee.id", "payee.name", "reference", "source.id", "source.kind", "source.line", "terms"}
	if got := fields(err); !slices.Equal(got, want) {
		t.Fatalf("fields %v; want %v (%v)", got, want, err)
	}
	r := receipt("C-1", "1", drvDE, 100)
	r.Clause = "9.9.9"
	err = e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.RecordPayables(ctx, tx, handler, []payments.PayableRequest{receipt("C-1", "2", drvDE, 5), r})
		return err
	})
	if got := fields(err); !slices.Equal(got, []string{"1.clause"}) {
		t.Fatalf("fields %v (%v)", got, err)
	}
}

func TestRecordPayableOncePerSourceLine(t *testing.T) {
	e := newEnv(t)
	first := e.record(handler, receipt("C-1", "1", drvDE, 12_345))[0]
	if !first.Created || first.Payable.ID != "P-1" || first.Payable.Status != ledger.StatusOpen || first.Payable.Clause != "1.3.2" {
		t.Fatalf("first %+v", first)
	}
	again := e.record(handler, receipt("C-1", "1", drvDE, 12_345))[0]
	if again.Created || again.Payable.ID != "P-1" {
		t.Fatalf("again %+v", again)
	}
	err := e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.RecordPayable(ctx, tx, handler, receipt("C-1", "1", drvDE, 12_346))
		return err
	})
	wantCode(t, err, roadcover.CodeConflict)
	// Withdrawn, the line may be owed again.
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.Withdraw(ctx, tx, handler, "P-1")
		return err
	}))
	third := e.record(handler, receipt("C-1", "1", drvDE, 12_346))[0]
	if !third.Created || third.Payable.ID != "P-3" {
		t.Fatalf("after withdrawal %+v", third)
	}
	// The payee's details are kept in canonical form.
	e.must(e.st.View(context.Background(), func(tx store.Tx) error {
		p, err := tx.GetPayee(context.Background(), "drv-de")
		if err != nil || p.Account.IBAN != "DE89370400440532013000" {
			t.Errorf("payee %+v %v", p, err)
		}
		return err
	}))
}

// TestPaymentRun is a whole run: payables, a batch that needs two
// approvers, its release and bank file, a status report rejecting one
// payment, and the rejected payable paid in the next batch.
func TestPaymentRun(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.record(handler,
		receipt("C-1", "1", drvDE, 600_000), receipt("C-1", "2", drvDE, 8_000), receipt("C-2", "1", drvPT, 400_001),
		claimLine("K-1", "1", wsSE, 2_450_000))
	// A payee EUR cannot reach by SEPA is left out of a batch that gathers
	// all, and refused in one that lists it.
	e.record(handler, receipt("C-3", "1", payee.Payee{ID: "ws-bg", Name: "Verkstad", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}}, 999))

	var created payments.Created
	err := e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.CreateBatch(ctx, tx, maker, payments.BatchRequest{Currency: "EUR", Payables: []ledger.PayableID{"P-1", "P-5"}})
		return err
	})
	if got := fields(err); !slices.Equal(got, []string{"payees.ws-bg.account"}) {
		t.Fatalf("listed unpayable: %v %v", got, err)
	}
	err = e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.CreateBatch(ctx, tx, maker, payments.BatchRequest{Currency: "GBP"})
		return err
	})
	if got := fields(err); !slices.Equal(got, []string{"currency"}) {
		t.Fatalf("GBP: %v %v", got, err)
	}
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		created, err = e.svc.CreateBatch(ctx, tx, maker, payments.BatchRequest{Currency: "EUR"})
		return err
	}))
	b := created.Batch
	if b.ID != "B-6" || !slices.Equal(b.Members, []ledger.PayableID{"P-1", "P-2", "P-3"}) || b.ApprovalsRequired != 2 ||
		b.Total.Minor != 1_008_001 || len(created.LeftOut) != 1 || created.LeftOut[0].Payable != "P-5" {
		t.Fatalf("batch %+v left out %+v", b, created.LeftOut)
	}
	// A payable in a draft batch is in no other.
	err = e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.CreateBatch(ctx, tx, approver, payments.BatchRequest{Currency: "EUR", Payables: []ledger.PayableID{"P-2"}})
		return err
	})
	wantCode(t, err, roadcover.CodeConflict)

	step := func(a store.Actor, f func(ctx context.Context, tx store.Tx) error) error {
		return e.update(f)
	}
	approve := func(a store.Actor) error {
		return step(a, func(ctx context.Context, tx store.Tx) error { _, err := e.svc.Approve(ctx, tx, a, b.ID); return err })
	}
	var rel payments.Released
	release := func(a store.Actor) error {
		return step(a, func(ctx context.Context, tx store.Tx) error {
			var err error
			rel, err = e.svc.Release(ctx, tx, a, b.ID, roadcover.Date{})
			return err
		})
	}
	wantCode(t, approve(maker), roadcover.CodeConflict)    // the maker
	wantCode(t, release(approver), roadcover.CodeConflict) // needs a second approver first
	e.must(approve(approver))
	wantCode(t, approve(approver), roadcover.CodeConflict) // twice
	wantCode(t, release(approver), roadcover.CodeConflict) // the same person again
	wantCode(t, release(maker), roadcover.CodeConflict)
	e.clk.advance(time.Hour)
	e.must(release(releaser))
	if rel.Batch.Status != ledger.BatchReleased || rel.File.Count != 3 || rel.File.MessageID != "B-6" || rel.Batch.ExecutionDate != roadcover.DateOf(t0) {
		t.Fatalf("released %+v file %+v", rel.Batch, rel.File)
	}
	xmllint(t, rel.File.Data)
	if _, err := iso20022.Check(rel.File.Data); err != nil {
		t.Fatal(err)
	}
	var again store.PaymentFile
	e.must(e.st.View(ctx, func(tx store.Tx) error {
		var err error
		again, err = e.svc.PaymentFile(ctx, tx, b.ID)
		return err
	}))
	if string(again.Data) != string(rel.File.Data) {
		t.Fatal("the file downloads otherwise than it was released")
	}

	// The bank rejects the payment of P-3 and settles the others.
	report := pain002("PSR-1", "B-6", map[string]string{"P-1/B-6": "ACSC", "P-2/B-6": "ACSC", "P-3/B-6": "RJCT"})
	var rep payments.Report
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		rep, err = e.svc.ImportStatusReport(ctx, tx, releaser, b.ID, report)
		return err
	}))
	if rep.Replayed || rep.Report.FirstSeq == 0 || rep.Batch.Outcomes["P-3"].Result != ledger.ResultRejected || rep.Batch.Outcomes["P-3"].Code != "AC04" {
		t.Fatalf("report %+v", rep)
	}
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		rep, err = e.svc.ImportStatusReport(ctx, tx, releaser, b.ID, report)
		return err
	}))
	if !rep.Replayed {
		t.Fatal("the same report imported twice changed something")
	}
	err = e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.ImportStatusReport(ctx, tx, releaser, b.ID, pain002("PSR-1", "B-6", map[string]string{"P-3/B-6": "ACSC"}))
		return err
	})
	wantCode(t, err, roadcover.CodeConflict) // another report under the same message id
	err = e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.ImportStatusReport(ctx, tx, releaser, b.ID, pain002("PSR-2", "B-6", map[string]string{"P-1/B-6": "RJCT"}))
		return err
	})
	wantCode(t, err, roadcover.CodeConflict) // a rejection after the bank settled it

	var open []ledger.PayableState
	e.must(e.st.View(ctx, func(tx store.Tx) error {
		var err error
		open, err = e.svc.Payables(ctx, tx, payments.PayableFilter{Status: ledger.StatusOpen, SourceKind: ledger.SourceAssistanceReceipt})
		return err
	}))
	if len(open) != 2 || open[0].ID != "P-3" || len(open[0].Rejections) != 1 || open[1].ID != "P-5" {
		t.Fatalf("open after the report: %+v", open)
	}
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		created, err = e.svc.CreateBatch(ctx, tx, maker, payments.BatchRequest{Currency: "EUR", Payables: []ledger.PayableID{"P-3"}})
		return err
	}))
	if created.Batch.ApprovalsRequired != 1 {
		t.Fatalf("second batch %+v", created.Batch)
	}
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		rel, err = e.svc.Release(ctx, tx, approver, created.Batch.ID, roadcover.DateOf(t0).AddDays(2))
		return err
	}))
	if !strings.Contains(string(rel.File.Data), "<EndToEndId>P-3/"+string(created.Batch.ID)+"</EndToEndId>") {
		t.Fatalf("second file:\n%s", rel.File.Data)
	}
	xmllint(t, rel.File.Data)

	// Everything the service did replays from the store to the same ledger.
	fresh := payments.New(config, e.clk.Now)
	e.must(e.st.View(ctx, func(tx store.Tx) error {
		a, err := e.svc.Ledger(ctx, tx)
		if err != nil {
			return err
		}
		b, err := fresh.Ledger(ctx, tx)
		if err != nil {
			return err
		}
		if a.NextSeq() != b.NextSeq() || a.Balance(ledger.AccountBank, "EUR") != b.Balance(ledger.AccountBank, "EUR") ||
			b.Balance(ledger.AccountBank, "EUR") != -1_008_001 || b.PaymentsBooked("P-3") != 1 {
			t.Errorf("replayed: next %d/%d bank %d/%d", a.NextSeq(), b.NextSeq(), a.Balance(ledger.AccountBank, "EUR"), b.Balance(ledger.AccountBank, "EUR"))
		}
		return b.TrialBalance()
	}))
}

// pain002 writes a status report on message msg with a status per
// end-to-end id (rejections give AC04).
func pain002(id, msg string, status map[string]string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-12-08T10:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>%s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>%s/1</OrgnlPmtInfId>`, id, msg, msg)
	keys := make([]string, 0, len(status))
	for k := range status {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "<TxInfAndSts><OrgnlEndToEndId>%s</OrgnlEndToEndId><TxSts>%s</TxSts>", k, status[k])
		if status[k] == "RJCT" {
			b.WriteString("<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>")
		}
		b.WriteString("</TxInfAndSts>")
	}
	b.WriteString("</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>\n")
	return []byte(b.String())
}

func TestStatusReportRefusals(t *testing.T) {
	e := newEnv(t)
	e.record(handler, receipt("C-1", "1", drvDE, 100))
	var b ledger.Batch
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		c, err := e.svc.CreateBatch(ctx, tx, maker, payments.BatchRequest{Currency: "EUR"})
		b = c.Batch
		return err
	}))
	imp := func(id ledger.BatchID, doc []byte) error {
		return e.update(func(ctx context.Context, tx store.Tx) error {
			_, err := e.svc.ImportStatusReport(ctx, tx, releaser, id, doc)
			return err
		})
	}
	ok := pain002("R1", string(b.ID), map[string]string{"P-1/" + string(b.ID): "ACSC"})
	wantCode(t, imp(b.ID, ok), roadcover.CodeConflict) // not released
	wantCode(t, imp("B-99", ok), roadcover.CodeNotFound)
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		_, err := e.svc.Release(ctx, tx, approver, b.ID, roadcover.Date{})
		return err
	}))
	for name, doc := range map[string][]byte{
		"doctype":         []byte(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">&x;</Document>`),
		"namespace":       []byte(strings.Replace(string(ok), "pain.002.001.03\"", "pain.002.001.10\"", 1)),
		"not xml":         []byte("{}"),
		"empty":           nil,
		"too large":       append(append([]byte{}, ok...), make([]byte, payments.MaxReport)...),
		"another message": pain002("R2", "B-77", map[string]string{"P-1/B-77": "ACSC"}),
		"unknown payment": pain002("R3", string(b.ID), map[string]string{"P-9/" + string(b.ID): "ACSC"}),
	} {
		if got := fields(imp(b.ID, doc)); !slices.Equal(got, []string{"body"}) {
			t.Errorf("%s: fields %v", name, got)
		}
	}
	e.must(imp(b.ID, ok))
}

// TestRolledBackStepIsForgotten: a step whose transaction rolls back leaves
// nothing behind, in the store or in what the service remembers.
func TestRolledBackStepIsForgotten(t *testing.T) {
	e := newEnv(t)
	e.record(handler, receipt("C-1", "1", drvDE, 100))
	boom := errors.New("rolled back")
	err := e.update(func(ctx context.Context, tx store.Tx) error {
		if _, err := e.svc.RecordPayable(ctx, tx, handler, receipt("C-2", "1", drvPT, 200)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	r := e.record(handler, receipt("C-3", "1", drvPT, 300))[0]
	if r.Payable.ID != "P-2" || r.Payable.Source.ID != "C-3" {
		t.Fatalf("after a rollback: %+v", r)
	}
	e.must(e.st.View(context.Background(), func(tx store.Tx) error {
		ps, err := e.svc.Payables(context.Background(), tx, payments.PayableFilter{})
		if err != nil {
			return err
		}
		if len(ps) != 2 || ps[1].Amount.Minor != 300 {
			t.Errorf("payables %+v", ps)
		}
		return nil
	}))
}

// TestEditedJournalIsNoticed: an entry whose chain does not follow is an
// error, not a ledger.
func TestEditedJournalIsNoticed(t *testing.T) {
	e := newEnv(t)
	e.record(handler, receipt("C-1", "1", drvDE, 100))
	e.must(e.update(func(ctx context.Context, tx store.Tx) error {
		l := ledger.New()
		es, err := tx.LedgerEntries(ctx, 0)
		if err != nil {
			return err
		}
		for _, x := range es {
			if err := l.Apply(x.Entry); err != nil {
				return err
			}
		}
		p := ledger.Payable{ID: "P-forged", Source: ledger.Source{Kind: ledger.SourceAssistanceReceipt, ID: "C-9", Line: "1"}, Payee: "drv-de",
			Amount: roadcover.Money{Minor: 999_999, Currency: "EUR"}}
		x, err := l.RecordPayable(p, t0, "intruder")
		if err != nil {
			return err
		}
		return tx.AppendLedger(ctx, []store.LedgerEntry{{Entry: x, Chain: []byte("not the chain")}})
	}))
	err := e.st.View(context.Background(), func(tx store.Tx) error {
		_, err := payments.New(config, e.clk.Now).Ledger(context.Background(), tx)
		return err
	})
	if !errors.Is(err, payments.ErrJournal) {
		t.Fatalf("an edited journal read as %v", err)
	}
}

// TestConcurrentMakers: makers working through services of their own (as
// on several servers) race for the same open payables; each payable goes
// into exactly one batch.
func TestConcurrentMakers(t *testing.T) {
	e := newEnv(t)
	var rs []payments.PayableRequest
	for i := 0; i < 20; i++ {
		rs = append(rs, receipt(fmt.Sprintf("C-%d", i), "1", drvDE, int64(100+i)))
	}
	e.record(handler, rs...)
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[ledger.PayableID]int{}
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			svc := payments.New(config, e.clk.Now)
			a := store.Actor{TokenID: fmt.Sprintf("maker-%d", i), Role: "payments"}
			err := e.update(func(ctx context.Context, tx store.Tx) error {
				c, err := svc.CreateBatch(ctx, tx, a, payments.BatchRequest{Currency: "EUR"})
				if err != nil {
					return err
				}
				mu.Lock()
				for _, m := range c.Batch.Members {
					got[m]++
				}
				mu.Unlock()
				return nil
			})
			if err != nil && roadcover.ProblemFor(err).Status != http.StatusUnprocessableEntity {
				t.Errorf("maker %d: %v", i, err) // only "no open payables" may refuse
			}
		}()
	}
	wg.Wait()
	if len(got) != 20 {
		t.Fatalf("%d payables in batches", len(got))
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s is in %d batches", id, n)
		}
	}
}
