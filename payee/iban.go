package payee

import (
	"errors"
	"fmt"
	"strings"
)

// ibanLengths is the length of an IBAN for each country of the ISO 13616
// IBAN registry (release of 2025). Territories that use another country's
// IBAN (the French overseas departments use FR, Jersey, Guernsey and the Isle
// of Man use GB, Åland uses FI) are covered by that country.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24,
	"DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
	"FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27,
	"GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
	"SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
	"YE": 30,
}

// sepaCountries are the IBAN countries of the SEPA credit transfer scheme:
// the EU, Iceland, Liechtenstein and Norway, and Andorra, Gibraltar, Monaco,
// San Marino, Switzerland, the United Kingdom and the Vatican. Countries that
// joined the scheme after this list was made are refused until they are
// added here, rather than assumed.
var sepaCountries = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true,
	"EE": true, "ES": true, "FI": true, "FR": true, "GR": true, "HR": true, "HU": true,
	"IE": true, "IT": true, "LT": true, "LU": true, "LV": true, "MT": true, "NL": true,
	"PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
	"IS": true, "LI": true, "NO": true,
	"AD": true, "CH": true, "GB": true, "GI": true, "MC": true, "SM": true, "VA": true,
}

// IBANLength is the length of an IBAN of the country, and whether the
// country issues IBANs at all.
func IBANLength(country string) (int, bool) {
	n, ok := ibanLengths[country]
	return n, ok
}

// SEPACountry reports whether accounts of the country (an IBAN's first two
// letters) can be paid by a SEPA credit transfer.
func SEPACountry(country string) bool { return sepaCountries[country] }

// NormalizeIBAN checks an IBAN and returns its electronic form (upper case,
// no spaces). It accepts the printed form with spaces between groups and
// lower-case letters. It checks: only letters and digits; a country that
// issues IBANs; that country's length; the check digits by ISO 13616 mod 97.
func NormalizeIBAN(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return "", errors.New("may hold only letters, digits and spaces")
		}
		b.WriteByte(c)
	}
	iban := b.String()
	if iban == "" {
		return "", errors.New("is required")
	}
	if len(iban) < 4 || !isUpper(iban[0]) || !isUpper(iban[1]) || !isDigit(iban[2]) || !isDigit(iban[3]) {
		return "", errors.New("must start with a country code and two check digits")
	}
	want, ok := ibanLengths[iban[:2]]
	if !ok {
		return "", fmt.Errorf("country %s issues no IBANs", iban[:2])
	}
	if len(iban) != want {
		return "", fmt.Errorf("an IBAN of %s has %d characters, not %d", iban[:2], want, len(iban))
	}
	if ibanMod97(iban) != 1 {
		return "", errors.New("check digits do not match (ISO 13616 mod 97)")
	}
	return iban, nil
}

// ibanMod97 is the remainder of the IBAN, rearranged (first four characters
// moved to the end) and with letters replaced by 10..35, divided by 97.
func ibanMod97(iban string) int {
	r := 0
	add := func(c byte) {
		if isDigit(c) {
			r = (r*10 + int(c-'0')) % 97
			return
		}
		v := int(c-'A') + 10
		r = (r*100 + v) % 97
	}
	for i := 4; i < len(iban); i++ {
		add(iban[i])
	}
	for i := 0; i < 4; i++ {
		add(iban[i])
	}
	return r
}

// NormalizeBIC checks a business identifier code (ISO 9362) and returns it
// in upper case: 4 letters of institution, 2 letters of country, 2 letters
// or digits of location (the second not 'O'), and optionally 3 letters or
// digits of branch, as the ISO 20022 schema's BIC pattern allows.
func NormalizeBIC(s string) (string, error) {
	bic := strings.ToUpper(strings.TrimSpace(s))
	if len(bic) != 8 && len(bic) != 11 {
		return "", errors.New("must have 8 or 11 characters")
	}
	for i := 0; i < 6; i++ {
		if !isUpper(bic[i]) {
			return "", errors.New("must start with six letters (institution and country)")
		}
	}
	if c := bic[6]; !(isUpper(c) || (c >= '2' && c <= '9')) {
		return "", errors.New("location code is not valid")
	}
	if c := bic[7]; !(isUpper(c) && c != 'O' || isDigit(c)) {
		return "", errors.New("location code is not valid")
	}
	for i := 8; i < len(bic); i++ {
		if !isUpper(bic[i]) && !isDigit(bic[i]) {
			return "", errors.New("branch code must be letters or digits")
		}
	}
	return bic, nil
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
