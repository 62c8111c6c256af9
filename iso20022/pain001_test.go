package iso20022

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
)

var update = flag.Bool("update", false, "rewrite the golden pain.001 files in testdata")

// golden compares a document with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, doc []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once to write it)", err)
	}
	if !bytes.Equal(doc, want) {
		t.Fatalf("%s differs from the document written:\n%s", path, doc)
	}
}

func TestSEPABatch(t *testing.T) {
	_, r, payees := releasedBatch(t, "B-2026-12-001", sepaLines)
	doc, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	// The German banks' SEPA profile of the same namespace is stricter (EUR
	// only, 70-character names, restricted ids); a SEPA file passes it too.
	mustValid(t, "dk/pain.001.001.03.xsd", doc)
	golden(t, "sepa.pain.001.xml", doc)
	s, err := Check(doc)
	if err != nil {
		t.Fatal(err)
	}
	if s.MessageID != "B-2026-12-001" || s.Count != 4 || s.Total != eur(220_345) || len(s.Blocks) != 1 || s.Blocks[0].ID != "B-2026-12-001/1" {
		t.Fatalf("summary %+v", s)
	}
	for _, want := range []string{
		"<SvcLvl>\n          <Cd>SEPA</Cd>", "<ChrgBr>SLEV</ChrgBr>", `<InstdAmt Ccy="EUR">0.01</InstdAmt>`,
		`<InstdAmt Ccy="EUR">1999.99</InstdAmt>`, "<CtrlSum>2203.45</CtrlSum>", "<NbOfTxs>4</NbOfTxs>",
		"<EndToEndId>R-1003/B-2026-12-001</EndToEndId>", "<Nm>Jurgen Muller + Sohne</Nm>", "<Nm>Asa Odegard-Strom</Nm>",
		"<ReqdExctnDt>2026-12-09</ReqdExctnDt>", "<CreDtTm>2026-12-07T14:30:05Z</CreDtTm>", "<BIC>COBADEFFXXX</BIC>",
		"<IBAN>SE3550000000054910000003</IBAN>", "<Ccy>EUR</Ccy>",
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("document lacks %q", want)
		}
	}
	if strings.Count(string(doc), "<CdtrAgt>") != 2 {
		t.Errorf("CdtrAgt is written only where the payee gave a BIC")
	}
}

func TestSwedishBatch(t *testing.T) {
	_, r, payees := releasedBatch(t, "K-2026-12-001", swedishLines)
	doc, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	golden(t, "se.pain.001.xml", doc)
	if _, err := Check(doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<Cd>NURG</Cd>", "<Cd>SESBA</Cd>", "<MmbId>9900</MmbId>", "<Id>50501055</Id>", "<Prtry>BGNR</Prtry>",
		"<MmbId>8327</MmbId>", "<Id>83279141234567</Id>", "<Cd>BBAN</Cd>", "<IBAN>SE3550000000054910000003</IBAN>",
		`<InstdAmt Ccy="SEK">24500.00</InstdAmt>`, `<InstdAmt Ccy="SEK">0.99</InstdAmt>`, "<Nm>Bilverkstan i Årsta AB</Nm>",
		"<Ustrd>Skada 2026-0042, hyrbil</Ustrd>", "<CtrlSum>26000.99</CtrlSum>",
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("document lacks %q", want)
		}
	}
	if strings.Contains(string(doc), "SLEV") || strings.Contains(string(doc), "<Ustrd></Ustrd>") {
		t.Error("domestic payments carry no SLEV and no empty remittance")
	}
	// A SEK file is outside the German SEPA profile: the check is real.
	if msg := validate(t, "dk/pain.001.001.03.xsd", doc); msg == "" {
		t.Error("the SEPA profile accepted a SEK file")
	}
}

// The same batch exported twice, or from a ledger rebuilt from its journal,
// is byte for byte the same file.
func TestExportIsStable(t *testing.T) {
	_, r, payees := releasedBatch(t, "B-7", sepaLines)
	a, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	_, r2, payees2 := releasedBatch(t, "B-7", sepaLines)
	b, err := Pain001(r2, payees2, debtor)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same batch differ")
	}
}

func TestLongIDsStayWithin35Characters(t *testing.T) {
	long := strings.Repeat("x", 40)
	lines := []line{
		{"P-" + long, eur(100), ibanPayee("p1", "A", "DE89370400440532013000", ""), ""},
		{"P-" + long + "2", eur(200), ibanPayee("p2", "B", "DE89370400440532013000", ""), ""},
		{"short", eur(300), ibanPayee("p3", "C", "DE89370400440532013000", ""), ""},
	}
	batch := "BATCH-" + long
	_, r, payees := releasedBatch(t, batch, lines)
	doc, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "dk/pain.001.001.03.xsd", doc)
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	in, _ := Initiate(r, payees, debtor)
	var ids []string
	ids = append(ids, in.MessageID, in.Blocks[0].ID)
	for _, tr := range in.Blocks[0].Transfers {
		ids = append(ids, tr.EndToEndID)
	}
	for _, id := range ids {
		if len(id) > 35 || id == "" {
			t.Errorf("id %q", id)
		}
	}
	if !strings.HasPrefix(in.MessageID, "M") || !strings.HasPrefix(in.Blocks[0].ID, "P") || in.Blocks[0].Transfers[2].EndToEndID[0] != 'E' {
		t.Errorf("long ids are hashed: %v", ids)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Errorf("ids repeat: %v", ids)
	}
	if EndToEndID("B", "P") != "P/B" || MessageID("B-1") != "B-1" || PaymentInfoID("B-1", 2) != "B-1/2" {
		t.Error("short ids are readable")
	}
	if EndToEndID(ledger.BatchID(batch), "short") != EndToEndID(ledger.BatchID(batch), "short") ||
		EndToEndID(ledger.BatchID(batch), "short") == EndToEndID(ledger.BatchID(batch+"2"), "short") {
		t.Error("hashed ids are stable and differ between batches")
	}
}

func fieldsOf(err error) []string {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return nil
	}
	var out []string
	for _, f := range ie.Errors {
		out = append(out, f.Field)
	}
	return out
}

func TestRefusedPayments(t *testing.T) {
	bg := payee.Payee{ID: "bg", Name: "Firma", Account: payee.Account{Method: payee.MethodBankgiro, Bankgiro: "5050-1055"}}
	cases := []struct {
		name   string
		lines  []line
		change func(map[ledger.PayeeID]payee.Payee, *Debtor)
		fields []string
	}{
		{"EUR to a bankgiro", []line{{"P1", eur(100), bg, ""}}, nil, []string{"payees.bg.account"}},
		{"EUR outside SEPA", []line{{"P1", eur(100), ibanPayee("tr", "X", "TR330006100519786457841326", ""), ""}}, nil, []string{"payees.tr.account"}},
		{"SEK to a German IBAN", []line{{"P1", sek(100), ibanPayee("de", "X", "DE89370400440532013000", ""), ""}}, nil, []string{"payees.de.account"}},
		{"GBP has no route", []line{{"P1", roadcover.Money{Minor: 100, Currency: "GBP"}, ibanPayee("gb", "X", "GB82WEST12345698765432", ""), ""}}, nil, []string{"debtor.accounts.GBP", "payees.gb.account"}},
		{"payee details missing", []line{{"P1", eur(100), ibanPayee("p", "X", "DE89370400440532013000", ""), ""}},
			func(m map[ledger.PayeeID]payee.Payee, _ *Debtor) { delete(m, "p") }, []string{"payees.p"}},
		{"payee details bad", []line{{"P1", eur(100), ibanPayee("p", "X", "DE89370400440532013000", ""), ""}},
			func(m map[ledger.PayeeID]payee.Payee, _ *Debtor) {
				m["p"] = ibanPayee("p", "", "DE00370400440532013000", "X")
			},
			[]string{"payees.p.account.bic", "payees.p.account.iban", "payees.p.name"}},
		{"payee id differs", []line{{"P1", eur(100), ibanPayee("p", "X", "DE89370400440532013000", ""), ""}},
			func(m map[ledger.PayeeID]payee.Payee, _ *Debtor) {
				m["p"] = ibanPayee("q", "X", "DE89370400440532013000", "")
			}, []string{"payees.p.id"}},
		{"debtor incomplete", []line{{"P1", eur(100), ibanPayee("p", "X", "DE89370400440532013000", ""), ""}},
			func(_ map[ledger.PayeeID]payee.Payee, d *Debtor) {
				d.Name = ""
				d.Accounts = []DebtorAccount{{Currency: "EUR", IBAN: "SE35", BIC: "ESSESESS"}}
			},
			[]string{"debtor.accounts.EUR.iban", "debtor.name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, r, payees := releasedBatch(t, "B1", c.lines)
			d := debtor
			d.Accounts = slices.Clone(debtor.Accounts)
			if c.change != nil {
				c.change(payees, &d)
			}
			_, err := Pain001(r, payees, d)
			if err == nil {
				t.Fatal("exported")
			}
			if got := fieldsOf(err); c.fields != nil && strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Fatalf("fields %v; want %v (%v)", got, c.fields, err)
			}
		})
	}
	// A name made only of signs has nothing a SEPA file can carry: "???"
	// stays, since '?' is in the SEPA set; "★" does not.
	_, r, payees := releasedBatch(t, "B1", []line{{"P1", eur(100), ibanPayee("p", "★", "DE89370400440532013000", ""), ""}})
	if _, err := Pain001(r, payees, debtor); strings.Join(fieldsOf(err), ",") != "payees.p.name" {
		t.Fatalf("sign-only name: %v", err)
	}
	// An unreleased batch cannot be written.
	if _, err := Initiate(ledger.Released{Batch: ledger.Batch{ID: "B2", Currency: "EUR"}}, nil, debtor); !slices.Contains(fieldsOf(err), "batch") {
		t.Fatalf("unreleased batch: %v", err)
	}
}

// The schema accepts a wrong control sum and amounts with three decimals;
// Check refuses both, and every other count and id it looks at.
func TestCheckCatchesWhatTheSchemaLetsThrough(t *testing.T) {
	_, r, payees := releasedBatch(t, "B-2026-12-001", sepaLines)
	doc, err := Pain001(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, old, new string
		schemaPasses   bool
	}{
		{"group control sum", "<CtrlSum>2203.45</CtrlSum>\n      <InitgPty>", "<CtrlSum>2203.46</CtrlSum>\n      <InitgPty>", true},
		{"block control sum", "<CtrlSum>2203.45</CtrlSum>\n      <PmtTpInf>", "<CtrlSum>2203.44</CtrlSum>\n      <PmtTpInf>", true},
		{"three decimals", `<InstdAmt Ccy="EUR">80.00</InstdAmt>`, `<InstdAmt Ccy="EUR">80.001</InstdAmt>`, true},
		{"one decimal", `<InstdAmt Ccy="EUR">80.00</InstdAmt>`, `<InstdAmt Ccy="EUR">80.0</InstdAmt>`, true},
		{"control sum without decimals", "<CtrlSum>2203.45</CtrlSum>\n      <InitgPty>", "<CtrlSum>2203</CtrlSum>\n      <InitgPty>", true},
		{"count", "<NbOfTxs>4</NbOfTxs>\n      <CtrlSum>", "<NbOfTxs>5</NbOfTxs>\n      <CtrlSum>", true},
		{"end-to-end id twice", "<EndToEndId>R-1002/B-2026-12-001</EndToEndId>", "<EndToEndId>R-1001/B-2026-12-001</EndToEndId>", true},
		{"two currencies", `<InstdAmt Ccy="EUR">0.01</InstdAmt>`, `<InstdAmt Ccy="SEK">0.01</InstdAmt>`, true},
		{"zero amount", `<InstdAmt Ccy="EUR">0.01</InstdAmt>`, `<InstdAmt Ccy="EUR">0.00</InstdAmt>`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(doc, []byte(c.old)) {
				t.Fatalf("document lacks %q", c.old)
			}
			bad := bytes.Replace(doc, []byte(c.old), []byte(c.new), 1)
			if msg := validate(t, "iso/pain.001.001.03.xsd", bad); (msg == "") != c.schemaPasses {
				t.Fatalf("schema verdict %q", msg)
			}
			if _, err := Check(bad); err == nil {
				t.Fatal("Check passed it")
			}
		})
	}
	if _, err := Check([]byte("<Document/>")); err == nil {
		t.Fatal("Check passed an empty document")
	}
}

func TestSEPAText(t *testing.T) {
	for in, want := range map[string]string{
		"Jürgen Müller & Söhne":  "Jurgen Muller + Sohne",
		"Straße  Æbeltoft\tØst":  "Strasse AEbeltoft Ost",
		"Łódź — «Centrum» №5":    "Lodz - Centrum No5",
		"Crème brûlée, s.a.r.l.": "Creme brulee, s.a.r.l.",
		"  ":                     "",
		strings.Repeat("ab", 50): strings.Repeat("ab", 35),
	} {
		if got := sepaText(in, 70); got != want {
			t.Errorf("sepaText(%q) = %q; want %q", in, got, want)
		}
	}
	if got := plainText("Åsa\x00Ek\n", 140); got != "Åsa Ek" {
		t.Errorf("plainText = %q", got)
	}
	if got := cut("åäöåäö", 4); got != "åäöå" {
		t.Errorf("cut = %q", got)
	}
}

// Blocks are made per execution date, debtor account and service level, in
// that order, and numbered from 1.
func TestBlocksPerDateAndAccount(t *testing.T) {
	_, r, payees := releasedBatch(t, "B-9", sepaLines)
	in, err := Initiate(r, payees, debtor)
	if err != nil {
		t.Fatal(err)
	}
	// Move two transfers to a later date and re-group by hand as another
	// caller of Encode might.
	later := in.Blocks[0]
	later.ID, later.ExecutionDate = PaymentInfoID("B-9", 2), roadcover.Date{Year: 2026, Month: 12, Day: 10}
	later.Transfers = slices.Clone(in.Blocks[0].Transfers[2:])
	later.Total = eur(200_000)
	first := in.Blocks[0]
	first.Transfers = first.Transfers[:2]
	first.Total = eur(20_345)
	in.Blocks = []Block{first, later}
	doc, err := in.Encode()
	if err != nil {
		t.Fatal(err)
	}
	mustValid(t, "iso/pain.001.001.03.xsd", doc)
	s, err := Check(doc)
	if err != nil || len(s.Blocks) != 2 || s.Blocks[1].Total != eur(200_000) || s.Blocks[1].Count != 2 {
		t.Fatalf("%+v %v", s, err)
	}
	// A block whose total disagrees with its transfers is not written.
	first.Total = eur(1)
	in.Blocks = []Block{first, later}
	if _, err := in.Encode(); err == nil {
		t.Fatal("a wrong block total was written")
	}
}
