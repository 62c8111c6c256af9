package claims

import (
	"fmt"
	"math/big"
	"strings"

	"roadcover/policies"
)

// AccountKind is how a payee is paid.
type AccountKind string

// The kinds of account a payment order can go to.
const (
	Bankgiro       AccountKind = "bankgiro"
	SwedishAccount AccountKind = "se_account"
	IBAN           AccountKind = "iban"
)

// Payee is who a payment order pays, and where.
type Payee struct {
	Name     string
	Kind     AccountKind
	Bankgiro string // NNN-NNNN or NNNN-NNNN
	Clearing string // 4 digits, or 5 for Swedbank (8xxx-x)
	Account  string // the account number after the clearing number
	IBAN     string // without spaces, upper case
	BIC      string // optional with an IBAN
}

// ParseBankgiro checks a bankgiro number: 7 or 8 digits with a Luhn check
// digit, returned as NNN-NNNN or NNNN-NNNN.
func ParseBankgiro(s string) (string, error) {
	d := strings.NewReplacer("-", "", " ", "").Replace(s)
	if (len(d) != 7 && len(d) != 8) || !policies.Luhn(d) {
		return "", fmt.Errorf("%q is not a bankgiro number (7 or 8 digits with a check digit)", s)
	}
	return d[:len(d)-4] + "-" + d[len(d)-4:], nil
}

// ParseSwedishAccount checks the form of a Swedish bank account: a clearing
// number of 4 digits from 1000 to 9999 (5 digits for Swedbank's 8xxx-x) and
// an account number of 1 to 10 digits. The banks' own check digits of the
// account number are not verified here.
func ParseSwedishAccount(clearing, account string) (string, string, error) {
	c := strings.NewReplacer("-", "", " ", "").Replace(clearing)
	a := strings.NewReplacer("-", "", " ", "").Replace(account)
	if !digitsOnly(c) || !(len(c) == 4 && c[0] != '0' || len(c) == 5 && c[0] == '8') {
		return "", "", fmt.Errorf("%q is not a Swedish clearing number", clearing)
	}
	if !digitsOnly(a) || len(a) < 1 || len(a) > 10 {
		return "", "", fmt.Errorf("%q is not a Swedish account number (1 to 10 digits)", account)
	}
	return c, a, nil
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ibanLength is the IBAN length of the countries a Swedish claim is most
// often paid to; other countries are held to 15 to 34 characters.
var ibanLength = map[string]int{
	"SE": 24, "NO": 15, "DK": 18, "FI": 18, "DE": 22, "PT": 25, "GB": 22, "NL": 18, "BE": 16, "FR": 27,
	"ES": 24, "IT": 27, "AT": 20, "CH": 21, "PL": 28, "IE": 22, "LU": 20, "EE": 20, "LV": 21, "LT": 20, "IS": 26,
}

// ParseIBAN checks an IBAN (ISO 13616): country code, the mod-97 check and
// the country's length where known. Spaces are removed, letters upper-cased.
func ParseIBAN(s string) (string, error) {
	v := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(v) < 15 || len(v) > 34 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z' || !digitsOnly(v[2:4]) {
		return "", fmt.Errorf("%q is not an IBAN", s)
	}
	if n, ok := ibanLength[v[:2]]; ok && len(v) != n {
		return "", fmt.Errorf("%q: an IBAN of %s has %d characters", s, v[:2], n)
	}
	var num strings.Builder
	for _, r := range v[4:] + v[:4] {
		switch {
		case r >= '0' && r <= '9':
			num.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&num, "%d", r-'A'+10)
		default:
			return "", fmt.Errorf("%q is not an IBAN", s)
		}
	}
	n, _ := new(big.Int).SetString(num.String(), 10)
	if new(big.Int).Mod(n, big.NewInt(97)).Int64() != 1 {
		return "", fmt.Errorf("%q: the IBAN check digits are wrong", s)
	}
	return v, nil
}
