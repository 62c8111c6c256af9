// Package payee holds the people and firms roadcover pays and the accounts
// it pays them on: an IBAN (SEPA and other IBAN countries, BIC optional), a
// Swedish bankgiro number, or a Swedish bank account (clearing number and
// account number).
//
// Every check is on the text alone: an IBAN's ISO 13616 length for its
// country and its mod-97 check digits, a bankgiro number's length and its
// mod-10 (Luhn) check digit, a Swedish account's clearing number and account
// number formats (see CheckSwedishAccount for what is and is not checked).
// Nothing is looked up and nothing is guessed: bad details are a
// *roadcover.InputError naming each bad field.
package payee

import (
	"strings"
	"unicode/utf8"

	"roadcover"
)

// Method says which kind of account a payee is paid on.
type Method string

// The account kinds a payee can be paid on.
const (
	MethodIBAN           Method = "iban"       // an IBAN; BIC optional
	MethodBankgiro       Method = "bankgiro"   // a Swedish bankgiro number
	MethodSwedishAccount Method = "se_account" // a Swedish clearing number and account number
)

const (
	maxNameLength                = 140 // ISO 20022 Max140Text
	maxIDLength                  = 64  // see ValidID
	idAlphabet                   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.:-"
	methodList                   = "iban, bankgiro, se_account"
	swedishAccountMaxDigits      = 10
	swedishAccountMinDigits      = 6
	swedishClearingPlainDigits   = 4
	swedishClearingSwedbankDigit = 5
)

// Payee is someone roadcover pays: a driver reimbursed for receipts, a
// policyholder, a workshop, a seller owed the rest of a credit.
type Payee struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Account Account `json:"account"`
}

// Account is where a payee is paid. Only the fields of its Method are set.
type Account struct {
	Method   Method `json:"method"`
	IBAN     string `json:"iban,omitempty"`     // MethodIBAN: electronic form, no spaces
	BIC      string `json:"bic,omitempty"`      // MethodIBAN: optional, 8 or 11 characters
	Bankgiro string `json:"bankgiro,omitempty"` // MethodBankgiro: 7 or 8 digits, no hyphen
	Clearing string `json:"clearing,omitempty"` // MethodSwedishAccount: 4 digits, or 5 for Swedbank's 8xxx-x
	Number   string `json:"number,omitempty"`   // MethodSwedishAccount: the account number's digits
}

// Country is the ISO 3166 country of the account: the IBAN's first two
// letters, or SE for a bankgiro number or a Swedish account.
func (a Account) Country() string {
	switch a.Method {
	case MethodIBAN:
		if len(a.IBAN) >= 2 {
			return a.IBAN[:2]
		}
		return ""
	case MethodBankgiro, MethodSwedishAccount:
		return "SE"
	}
	return ""
}

// Text is the account as a person reads it to check who is paid where: an
// IBAN in groups of four (and its BIC), a bankgiro number with its hyphen,
// a Swedish clearing and account number.
func (a Account) Text() string {
	switch a.Method {
	case MethodIBAN:
		var b strings.Builder
		b.WriteString("IBAN ")
		for i := 0; i < len(a.IBAN); i += 4 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(a.IBAN[i:min(i+4, len(a.IBAN))])
		}
		if a.BIC != "" {
			b.WriteString(" · BIC " + a.BIC)
		}
		return b.String()
	case MethodBankgiro:
		if n := len(a.Bankgiro); n > 4 {
			return "bankgiro " + a.Bankgiro[:n-4] + "-" + a.Bankgiro[n-4:]
		}
		return "bankgiro " + a.Bankgiro
	case MethodSwedishAccount:
		return "clearing " + a.Clearing + " · account " + a.Number
	}
	return ""
}

// Normalize checks p and returns it in canonical form: an IBAN and a BIC in
// upper case without spaces, a bankgiro number and a Swedish account as
// digits only. Bad fields are named relative to the payee ("name",
// "account.iban", …) in a *roadcover.InputError.
func Normalize(p Payee) (Payee, error) {
	e := &roadcover.InputError{}
	q := Check(p, "", e)
	if err := e.Err(); err != nil {
		return Payee{}, err
	}
	return q, nil
}

// Check adds every bad field of p to e, each path prefixed with prefix
// (for example "payees.3."), and returns p in canonical form as far as it
// could be read.
func Check(p Payee, prefix string, e *roadcover.InputError) Payee {
	q := p
	if !ValidID(p.ID) {
		e.Add(prefix+"id", "", "must be 1 to 64 letters, digits, '.', ':' or '-'")
	}
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		e.Add(prefix+"name", "", "is required")
	case !utf8.ValidString(name):
		e.Add(prefix+"name", "", "is not valid UTF-8")
	case utf8.RuneCountInString(name) > maxNameLength:
		e.Add(prefix+"name", "", "is longer than 140 characters")
	case strings.ContainsFunc(name, isControl):
		e.Add(prefix+"name", "", "contains a control character")
	}
	q.Name = name
	q.Account = checkAccount(p.Account, prefix+"account.", e)
	return q
}

func checkAccount(a Account, prefix string, e *roadcover.InputError) Account {
	q := Account{Method: a.Method}
	extra := func(field, value string) {
		if value != "" {
			e.Add(prefix+field, "", "is not used with method "+string(a.Method))
		}
	}
	switch a.Method {
	case MethodIBAN:
		iban, err := NormalizeIBAN(a.IBAN)
		if err != nil {
			e.Add(prefix+"iban", "", err.Error())
		}
		q.IBAN = iban
		if a.BIC != "" {
			bic, err := NormalizeBIC(a.BIC)
			if err != nil {
				e.Add(prefix+"bic", "", err.Error())
			}
			q.BIC = bic
		}
		extra("bankgiro", a.Bankgiro)
		extra("clearing", a.Clearing)
		extra("number", a.Number)
	case MethodBankgiro:
		bg, err := NormalizeBankgiro(a.Bankgiro)
		if err != nil {
			e.Add(prefix+"bankgiro", "", err.Error())
		}
		q.Bankgiro = bg
		extra("iban", a.IBAN)
		extra("bic", a.BIC)
		extra("clearing", a.Clearing)
		extra("number", a.Number)
	case MethodSwedishAccount:
		c, n, errs := NormalizeSwedishAccount(a.Clearing, a.Number)
		if errs.Clearing != "" {
			e.Add(prefix+"clearing", "", errs.Clearing)
		}
		if errs.Number != "" {
			e.Add(prefix+"number", "", errs.Number)
		}
		q.Clearing, q.Number = c, n
		extra("iban", a.IBAN)
		extra("bic", a.BIC)
		extra("bankgiro", a.Bankgiro)
	case "":
		e.Add(prefix+"method", "", "is required: one of "+methodList)
	default:
		e.Add(prefix+"method", "", "must be one of "+methodList)
	}
	return q
}

// ValidID reports whether s can identify a payee, a payable or a batch: 1 to
// 64 characters of letters, digits, '.', ':' and '-'. Such ids can be
// written into a bank file's references as they are.
func ValidID(s string) bool {
	if s == "" || len(s) > maxIDLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(idAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// digitsOf removes the spaces and hyphens people write in account numbers
// ("123-4567", "8327-9", "1234 56 78901") and reports whether only digits
// were left.
func digitsOf(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// luhnValid reports whether the last digit of s is the mod-10 (Luhn) check
// digit of the digits before it.
func luhnValid(s string) bool {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
