package claims

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"roadcover"
	"roadcover/terms"
)

func TestPayeeAccounts(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"5050-1055", "5050-1055", true},
		{"50501055", "5050-1055", true},
		{"5050-1056", "", false},
		{"123-4567", "", false},
	} {
		got, err := ParseBankgiro(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("bankgiro %s: %q %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466", true},
		{"se4550000000058398257466", "SE4550000000058398257466", true},
		{"SE4550000000058398257467", "", false}, // check digits
		{"SE455000000005839825746", "", false},  // a Swedish IBAN has 24 characters
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", true},
		{"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", true},
		{"XX00", "", false},
	} {
		got, err := ParseIBAN(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("IBAN %s: %q %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		clearing, account string
		ok                bool
	}{
		{"8327-9", "123456789", true},
		{"6000", "123456789", true},
		{"0999", "1", false},
		{"7000", "12345678901", false},
		{"83279", "12a", false},
	} {
		if _, _, err := ParseSwedishAccount(tc.clearing, tc.account); (err == nil) != tc.ok {
			t.Errorf("account %s %s: %v", tc.clearing, tc.account, err)
		}
	}
}

func TestPayeeDecodingNamesEveryField(t *testing.T) {
	_, err := DecodePaymentRequest([]byte(`{"line": "collision", "amount": "-1", "payee": {"bankgiro": "1", "iban": "SE00", "bic": "??"}, "extra": 1}`))
	fs := fieldsOfErr(err)
	for _, f := range []string{"amount", "payee.name", "payee.bankgiro", "payee.iban", "payee.bic", "extra"} {
		if !fs[f] {
			t.Errorf("%s not named: %v", f, err)
		}
	}
}

// TestRecoveryDecodingNamesEveryField: an unknown kind does not hide a
// malformed amount or a blank party.
func TestRecoveryDecodingNamesEveryField(t *testing.T) {
	_, err := DecodeRecoveryRequest([]byte(`{"kind": "bogus", "from": "", "line": "collision", "amount": "x"}`))
	fs := fieldsOfErr(err)
	for _, f := range []string{"kind", "amount", "from"} {
		if !fs[f] {
			t.Errorf("%s not named: %v", f, err)
		}
	}
	if _, err := DecodeRecoveryRequest([]byte(`{"kind": "bogus", "from": "If", "line": "collision", "amount": "100"}`)); len(fieldsOfErr(err)) != 1 {
		t.Errorf("only the kind is bad: %v", err)
	}
}

func fieldsOfErr(err error) map[string]bool {
	out := map[string]bool{}
	if ie, ok := err.(*roadcover.InputError); ok {
		for _, f := range ie.Errors {
			out[f.Field] = true
		}
	}
	return out
}

// TestTextsAndClauses: every outcome has our text in all five languages,
// and every clause the package cites is in the terms' index.
func TestTextsAndClauses(t *testing.T) {
	v, ok := terms.ByID("insurance-se-2021-10")
	if !ok {
		t.Fatal("no insurance terms")
	}
	for code, tx := range texts {
		for _, l := range roadcover.Languages {
			if tx[l] == "" {
				t.Errorf("%s: no text in %s", code, l)
			}
		}
	}
	prm, err := ParamsOn(v.From())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prm.All() {
		if !v.HasClause(p.Clause) {
			t.Errorf("parameter %s cites %s, not in the index", p.Name, p.Clause)
		}
	}
	// Every Outcome{"code", "clause"} written in the package's source.
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src := string(mustRead(t, f))
		for _, lit := range outcomeLiterals(src) {
			if _, ok := texts[lit[0]]; !ok {
				t.Errorf("%s: outcome %q has no text", f, lit[0])
			}
			if lit[1] != "" && !v.HasClause(lit[1]) {
				t.Errorf("%s: outcome %q cites %s, not in the index", f, lit[0], lit[1])
			}
		}
	}
}

// outcomeLiterals finds Outcome{"code", "clause"} in source text.
func outcomeLiterals(src string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(src, `Outcome{"`)[1:] {
		code, rest, ok := strings.Cut(part, `"`)
		if !ok {
			continue
		}
		clause := ""
		if r := strings.TrimLeft(rest, ", "); strings.HasPrefix(r, `"`) {
			clause, _, _ = strings.Cut(r[1:], `"`)
		}
		out = append(out, [2]string{code, clause})
	}
	return out
}

func mustRead(t *testing.T, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDomainIsPure: claims and policies read no clock and import no
// adapter, network or database package, directly or through others.
func TestDomainIsPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-json", "roadcover/claims", "roadcover/policies").Output()
	if err != nil {
		t.Skipf("go list is not available here: %v", err)
	}
	forbidden := []string{"net", "net/http", "database/sql", "os/exec", "roadcover/store", "roadcover/sqlite", "roadcover/postgres",
		"roadcover/httpapi", "roadcover/cli", "roadcover/console", "roadcover/ledger"}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct{ ImportPath string }
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for _, f := range forbidden {
			if p.ImportPath == f || strings.HasPrefix(p.ImportPath, "github.com/jackc/") || strings.HasPrefix(p.ImportPath, "modernc.org/sqlite") {
				t.Errorf("the domain depends on %s", p.ImportPath)
			}
		}
	}
	for _, dir := range []string{".", "../policies", "../internal/jsondoc"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src := string(mustRead(t, f))
			for _, bad := range []string{"time.Now(", "os.Getenv(", "os.ReadFile(", "time.LoadLocation("} {
				if strings.Contains(src, bad) {
					t.Errorf("%s calls %s", f, bad)
				}
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				if p, _ := strconv.Unquote(im.Path.Value); p == "os" {
					t.Errorf("%s imports os", f)
				}
			}
		}
	}
}

func TestSummaryReadsBack(t *testing.T) {
	s := Summary{ID: "C1", PolicyID: "P1", VIN: "LPSED3KA4NL012345", Registration: "ABC123",
		OccurredAt: roadcover.Date{Year: 2026, Month: 3, Day: 10}, ReportedAt: roadcover.Date{Year: 2026, Month: 3, Day: 11},
		Peril: "collision", Country: "SE", Covers: []string{"collision", "traffic"}, Status: StatusOpen,
		PayableTotal: sek(3600000), PaidTotal: sek(100)}
	b := AppendSummaryJSON(nil, s)
	back, err := DecodeSummary(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendSummaryJSON(nil, back); string(got) != string(b) || !Overlaps(Summary{ID: "C2", VIN: s.VIN, OccurredAt: s.OccurredAt, Peril: "vandalism", Covers: []string{"collision"}}, back) {
		t.Errorf("summary reads back as %s", got)
	}
	if Overlaps(Summary{ID: "C2", VIN: s.VIN, OccurredAt: s.OccurredAt, Peril: "windscreen", Covers: []string{"glass"}}, back) {
		t.Error("glass and collision do not overlap")
	}
}
