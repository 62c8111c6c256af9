package payee

import (
	"errors"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"roadcover"
)

// Published example IBANs of the ISO 13616 registry and of national banks.
var validIBANs = []string{
	"DE89370400440532013000", "GB82WEST12345698765432", "SE4550000000058398257466",
	"DK5000400440116243", "FR1420041010050500013M02606", "NO9386011117947",
	"PT50000201231234567890154", "FI2112345600000785", "NL91ABNA0417164300",
	"BE68539007547034", "AT611904300234573201", "CH9300762011623852957",
	"ES9121000418450200051332", "IE29AIBK93115212345678", "IT60X0542811101000000123456",
	"MT84MALT011000012345MTLCAST001S", "LC55HEMM000100010012001200023015",
}

func TestNormalizeIBAN(t *testing.T) {
	for _, iban := range validIBANs {
		got, err := NormalizeIBAN(iban)
		if err != nil || got != iban {
			t.Errorf("NormalizeIBAN(%s) = %q, %v", iban, got, err)
		}
	}
	cases := []struct {
		in, want, err string
	}{
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", ""},
		{"gb82 west 1234 5698 7654 32", "GB82WEST12345698765432", ""},
		{"", "", "is required"},
		{"DE89-3704-0044-0532-0130-00", "", "only letters, digits and spaces"},
		{"DE88370400440532013000", "", "check digits do not match"},
		{"DE8937040044053201300", "", "has 22 characters, not 21"},
		{"DE893704004405320130000", "", "has 22 characters, not 23"},
		{"US64SVBKUS6S3300958879", "", "country US issues no IBANs"},
		{"8937040044053201300000", "", "must start with a country code"},
		{"DEX9370400440532013000", "", "must start with a country code"},
		{"SE4550000000058398257467", "", "check digits do not match"},
		{"NO9386011117948", "", "check digits do not match"},
	}
	for _, c := range cases {
		got, err := NormalizeIBAN(c.in)
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("NormalizeIBAN(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("NormalizeIBAN(%q) error = %v; want one containing %q", c.in, err, c.err)
		}
	}
}

// Mod 97 catches every change of one character and every swap of two
// neighbouring different characters.
func TestIBANSingleErrorsAreCaught(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		iban := rapid.SampledFrom(validIBANs).Draw(t, "iban")
		b := []byte(iban)
		i := rapid.IntRange(2, len(b)-1).Draw(t, "position")
		if rapid.Bool().Draw(t, "swap") && i+1 < len(b) && b[i] != b[i+1] && isDigit(b[i]) == isDigit(b[i+1]) {
			b[i], b[i+1] = b[i+1], b[i]
		} else if isDigit(b[i]) {
			b[i] = '0' + (b[i]-'0'+byte(rapid.IntRange(1, 9).Draw(t, "shift")))%10
		} else {
			b[i] = 'A' + (b[i]-'A'+byte(rapid.IntRange(1, 25).Draw(t, "shift")))%26
		}
		if _, err := NormalizeIBAN(string(b)); err == nil {
			t.Fatalf("%s (from %s) passed", b, iban)
		}
	})
}

func TestIBANLengthAndSEPA(t *testing.T) {
	for c, n := range map[string]int{"SE": 24, "DK": 18, "GB": 22, "DE": 22, "PT": 25, "NO": 15, "FR": 27} {
		if got, ok := IBANLength(c); !ok || got != n {
			t.Errorf("IBANLength(%s) = %d, %v; want %d", c, got, ok, n)
		}
	}
	if _, ok := IBANLength("US"); ok {
		t.Error("IBANLength(US) is known")
	}
	for _, c := range []string{"SE", "DE", "PT", "DK", "GB", "CH", "NO", "MC"} {
		if !SEPACountry(c) {
			t.Errorf("%s is not a SEPA country", c)
		}
	}
	for _, c := range []string{"TR", "US", "BR", "SA", "UA"} {
		if SEPACountry(c) {
			t.Errorf("%s is a SEPA country", c)
		}
	}
}

func TestNormalizeBIC(t *testing.T) {
	for in, want := range map[string]string{
		"DEUTDEFF": "DEUTDEFF", "deutdeff500": "DEUTDEFF500", "NDEASESS": "NDEASESS", "HANDSESSXXX": "HANDSESSXXX",
	} {
		if got, err := NormalizeBIC(in); err != nil || got != want {
			t.Errorf("NormalizeBIC(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "DEUTDEF", "DEUTDEFF5", "DEU1DEFF", "DEUTDE1F", "DEUTDEFO", "DEUTDEFF50!"} {
		if _, err := NormalizeBIC(bad); err == nil {
			t.Errorf("NormalizeBIC(%q) passed", bad)
		}
	}
}

func TestNormalizeBankgiro(t *testing.T) {
	for in, want := range map[string]string{"5050-1055": "50501055", "123-4566": "1234566", "5402 9673": "54029673"} {
		if got, err := NormalizeBankgiro(in); err != nil || got != want {
			t.Errorf("NormalizeBankgiro(%q) = %q, %v", in, got, err)
		}
	}
	for in, msg := range map[string]string{
		"":           "is required",
		"5050-1056":  "check digit",
		"123-4567":   "check digit",
		"12345":      "7 or 8 digits",
		"505010551":  "7 or 8 digits",
		"0123-4566":  "does not start with 0",
		"5050/1055":  "only digits",
		"5050-105 5": "",
	} {
		got, err := NormalizeBankgiro(in)
		if msg == "" {
			if err != nil {
				t.Errorf("NormalizeBankgiro(%q) = %v", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("NormalizeBankgiro(%q) = %q, %v; want error containing %q", in, got, err, msg)
		}
	}
}

// Luhn catches every change of one digit of a bankgiro number.
func TestBankgiroSingleDigitErrorsAreCaught(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bg := []byte(rapid.SampledFrom([]string{"50501055", "1234566", "54029673"}).Draw(t, "bankgiro"))
		i := rapid.IntRange(1, len(bg)-1).Draw(t, "position")
		bg[i] = '0' + (bg[i]-'0'+byte(rapid.IntRange(1, 9).Draw(t, "shift")))%10
		if _, err := NormalizeBankgiro(string(bg)); err == nil {
			t.Fatalf("%s passed", bg)
		}
	})
}

func TestNormalizeSwedishAccount(t *testing.T) {
	good := []struct{ clearing, number, c, n string }{
		{"6789", "123 456 789", "6789", "123456789"},
		{"8327-9", "914 123 456-7", "83279", "9141234567"},
		{"5000", "1234567", "5000", "1234567"},
		{"3300", "8001011234", "3300", "8001011234"},
	}
	for _, g := range good {
		c, n, errs := NormalizeSwedishAccount(g.clearing, g.number)
		if errs != (SwedishAccountErrors{}) || c != g.c || n != g.n {
			t.Errorf("NormalizeSwedishAccount(%q, %q) = %q, %q, %+v", g.clearing, g.number, c, n, errs)
		}
	}
	bad := []struct{ clearing, number, clearingErr, numberErr string }{
		{"", "", "is required", "is required"},
		{"0999", "1234567", "from 1000 to 9999", ""},
		{"123", "1234567", "must have 4 digits", ""},
		{"93279", "1234567", "starts with 8", ""},
		{"8327-8", "1234567", "check digit", ""},
		{"6789", "12345", "", "6 to 10 digits"},
		{"6789", "12345678901", "", "6 to 10 digits"},
		{"67a9", "12/345678", "only digits", "only digits"},
	}
	for _, b := range bad {
		_, _, errs := NormalizeSwedishAccount(b.clearing, b.number)
		if (b.clearingErr == "") != (errs.Clearing == "") || !strings.Contains(errs.Clearing, b.clearingErr) {
			t.Errorf("clearing %q: error %q; want %q", b.clearing, errs.Clearing, b.clearingErr)
		}
		if (b.numberErr == "") != (errs.Number == "") || !strings.Contains(errs.Number, b.numberErr) {
			t.Errorf("number %q: error %q; want %q", b.number, errs.Number, b.numberErr)
		}
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
	return out
}

func TestNormalizeNamesEveryBadField(t *testing.T) {
	cases := []struct {
		name   string
		p      Payee
		fields []string
	}{
		{"good iban", Payee{ID: "p-1", Name: " Anna Svensson ", Account: Account{Method: MethodIBAN, IBAN: "se45 5000 0000 0583 9825 7466", BIC: "essesess"}}, nil},
		{"good bankgiro", Payee{ID: "ws:42", Name: "Bilverkstan AB", Account: Account{Method: MethodBankgiro, Bankgiro: "5050-1055"}}, nil},
		{"good account", Payee{ID: "p.2", Name: "Per Olsson", Account: Account{Method: MethodSwedishAccount, Clearing: "8327-9", Number: "914 123 456-7"}}, nil},
		{"nothing", Payee{}, []string{"account.method", "id", "name"}},
		{"bad iban and bic", Payee{ID: "p", Name: "X", Account: Account{Method: MethodIBAN, IBAN: "DE88370400440532013000", BIC: "DEUT"}}, []string{"account.bic", "account.iban"}},
		{"missing iban", Payee{ID: "p", Name: "X", Account: Account{Method: MethodIBAN}}, []string{"account.iban"}},
		{"bankgiro with iban", Payee{ID: "p", Name: "X", Account: Account{Method: MethodBankgiro, Bankgiro: "5050-1056", IBAN: "DE89370400440532013000"}}, []string{"account.bankgiro", "account.iban"}},
		{"account both bad", Payee{ID: "p", Name: "X", Account: Account{Method: MethodSwedishAccount, Clearing: "12", Number: "1"}}, []string{"account.clearing", "account.number"}},
		{"unknown method", Payee{ID: "bad id", Name: strings.Repeat("n", 141), Account: Account{Method: "cheque"}}, []string{"account.method", "id", "name"}},
		{"control character", Payee{ID: "p", Name: "A\x07B", Account: Account{Method: MethodBankgiro, Bankgiro: "50501055"}}, []string{"name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q, err := Normalize(c.p)
			got := fields(err)
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Fatalf("fields %v, want %v (err %v)", got, c.fields, err)
			}
			if c.fields == nil && (q.Name != strings.TrimSpace(c.p.Name) || strings.ContainsAny(q.Account.IBAN+q.Account.Bankgiro+q.Account.Number, " -")) {
				t.Fatalf("not normalized: %+v", q)
			}
		})
	}
	q, _ := Normalize(cases[0].p)
	if q.Account.IBAN != "SE4550000000058398257466" || q.Account.BIC != "ESSESESS" || q.Account.Country() != "SE" {
		t.Fatalf("normalized %+v", q.Account)
	}
}

func TestCheckPrefixesFields(t *testing.T) {
	e := &roadcover.InputError{}
	Check(Payee{ID: "p", Name: "X", Account: Account{Method: MethodIBAN, IBAN: "X"}}, "payees.7.", e)
	if got := fields(e.Err()); len(got) != 1 || got[0] != "payees.7.account.iban" {
		t.Fatalf("fields %v", got)
	}
}
