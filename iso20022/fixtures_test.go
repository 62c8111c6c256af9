package iso20022

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
)

var (
	released = time.Date(2026, 12, 7, 14, 30, 5, 0, time.UTC)
	execDay  = roadcover.Date{Year: 2026, Month: 12, Day: 9}
	policy   = ledger.Policy{SecondApprovalAbove: map[string]int64{"EUR": 1_000_000_000_000, "SEK": 1_000_000_000_000, "GBP": 1_000_000}}
	debtor   = Debtor{
		Name: "Roadcover Assistans AB", InitiatorID: "5566778899", InitiatorScheme: "BANK",
		Accounts: []DebtorAccount{
			{Currency: "EUR", IBAN: "SE35 5000 0000 0549 1000 0003", BIC: "ESSESESS"},
			{Currency: "SEK", IBAN: "SE4550000000058398257466", BIC: "ESSESESS"},
		},
	}
)

// line is one payable of a test batch and the payee it pays.
type line struct {
	id     string
	amount roadcover.Money
	payee  payee.Payee
	ref    string
}

// releasedBatch records the lines as payables, puts them in batch id and
// releases it; it returns the ledger, the released batch and the payees.
func releasedBatch(t testing.TB, id string, lines []line) (*ledger.Ledger, ledger.Released, map[ledger.PayeeID]payee.Payee) {
	t.Helper()
	l := ledger.New()
	apply := func(es ...ledger.Entry) {
		t.Helper()
		for _, e := range es {
			if err := l.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	payees := map[ledger.PayeeID]payee.Payee{}
	for i, ln := range lines {
		kind := ledger.SourceAssistanceReceipt
		if ln.amount.Currency == "SEK" {
			kind = ledger.SourceInsuranceClaim
		}
		e, err := l.RecordPayable(ledger.Payable{
			ID: ledger.PayableID(ln.id), Source: ledger.Source{Kind: kind, ID: fmt.Sprintf("C-%d", i/3), Line: fmt.Sprint(i%3 + 1)},
			Payee: ledger.PayeeID(ln.payee.ID), Amount: ln.amount, Reference: ln.ref,
		}, released.Add(-time.Hour), "handler")
		if err != nil {
			t.Fatal(err)
		}
		apply(e)
		payees[ledger.PayeeID(ln.payee.ID)] = ln.payee
	}
	e, err := l.CreateBatch(ledger.BatchRequest{ID: ledger.BatchID(id), Currency: lines[0].amount.Currency, Maker: "maria"}, policy, released.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	apply(e)
	es, err := l.Release(ledger.BatchID(id), "anna", execDay, released)
	if err != nil {
		t.Fatal(err)
	}
	apply(es...)
	r, err := l.ReleasedBatch(ledger.BatchID(id))
	if err != nil {
		t.Fatal(err)
	}
	return l, r, payees
}

func ibanPayee(id, name, iban, bic string) payee.Payee {
	return payee.Payee{ID: id, Name: name, Account: payee.Account{Method: payee.MethodIBAN, IBAN: iban, BIC: bic}}
}

func eur(minor int64) roadcover.Money { return roadcover.Money{Minor: minor, Currency: "EUR"} }
func sek(minor int64) roadcover.Money { return roadcover.Money{Minor: minor, Currency: "SEK"} }

// sepaLines pays drivers in Germany, Portugal and Sweden in EUR.
var sepaLines = []line{
	{"R-1001", eur(12_345), ibanPayee("drv-17", "Jürgen Müller & Söhne", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX"), "Roadcover case C-0 receipt 1: towing"},
	{"R-1002", eur(8_000), ibanPayee("drv-17", "Jürgen Müller & Söhne", "DE89370400440532013000", "COBADEFFXXX"), "Roadcover case C-0 receipt 2: taxi"},
	{"R-1003", eur(199_999), ibanPayee("drv-23", "João Gonçalves", "PT50000201231234567890154", ""), "Hotel Lisboa, 2 nights"},
	{"R-1004", eur(1), ibanPayee("drv-31", "Åsa Ødegård-Ström", "SE4550000000058398257466", ""), "Parking"},
}

// swedishLines pays an insurance claim in SEK to a bankgiro number, a bank
// account and an IBAN.
var swedishLines = []line{
	{"K-2001", sek(2_450_000), payee.Payee{ID: "ws-4", Name: "Bilverkstan i Årsta AB", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}}, "Skada 2026-0042, reparation"},
	{"K-2002", sek(150_000), payee.Payee{ID: "ph-9", Name: "Örjan Åkesson", Account: payee.Account{Method: payee.MethodSwedishAccount, Clearing: "8327-9", Number: "914 123 456-7"}}, "Skada 2026-0042, hyrbil"},
	{"K-2003", sek(99), payee.Payee{ID: "ph-10", Name: "Lisa Ek", Account: payee.Account{Method: payee.MethodIBAN, IBAN: "SE3550000000054910000003"}}, ""},
}

// xmllint returns the path of xmllint, failing under CI=true when it is
// missing and skipping otherwise.
func xmllint(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("xmllint is not installed and CI=true: install Debian's libxml2-utils (apt-get install libxml2-utils)")
	}
	t.Skip("skipped: xmllint is not installed (apt-get install libxml2-utils); set CI=true to make this a failure")
	return ""
}

// validate runs xmllint --schema on the document and returns its complaint,
// or "" when the document is valid.
func validate(t testing.TB, schema string, doc []byte) string {
	t.Helper()
	bin := xmllint(t)
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", filepath.Join("testdata", "xsd", schema), f).CombinedOutput()
	if err != nil {
		if len(out) == 0 {
			t.Fatalf("xmllint: %v", err)
		}
		return strings.TrimSpace(string(out))
	}
	return ""
}

func mustValid(t testing.TB, schema string, doc []byte) {
	t.Helper()
	if msg := validate(t, schema, doc); msg != "" {
		t.Fatalf("not valid against %s:\n%s", schema, msg)
	}
}
