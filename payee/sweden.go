package payee

import "errors"

// NormalizeBankgiro checks a Swedish bankgiro number and returns its digits.
// It accepts the printed forms "123-4567" and "1234-5678" (hyphens and
// spaces are dropped) and checks: 7 or 8 digits, the first not 0, and the
// last digit the mod-10 (Luhn) check digit of the others.
func NormalizeBankgiro(s string) (string, error) {
	if s == "" {
		return "", errors.New("is required")
	}
	d, ok := digitsOf(s)
	if !ok {
		return "", errors.New("may hold only digits, spaces and a hyphen")
	}
	if len(d) < 7 || len(d) > 8 {
		return "", errors.New("must have 7 or 8 digits")
	}
	if d[0] == '0' {
		return "", errors.New("does not start with 0")
	}
	if !luhnValid(d) {
		return "", errors.New("check digit does not match (mod 10)")
	}
	return d, nil
}

// SwedishAccountErrors names what is wrong with each part of a Swedish
// account; an empty string means that part is well formed.
type SwedishAccountErrors struct{ Clearing, Number string }

// NormalizeSwedishAccount checks a Swedish bank account given as clearing
// number and account number and returns both as digits.
//
// What is checked (formats only):
//   - the clearing number is 4 digits from 1000 to 9999, or 5 digits starting
//     with 8 (Swedbank's form 8xxx-x, whose fifth digit is the mod-10 check
//     digit of the first four, which is checked);
//   - the account number is 6 to 10 digits (spaces and hyphens dropped).
//
// What is not checked: that the clearing number belongs to a bank, and the
// account number's own check digit, whose rule (mod 10 or mod 11, over the
// account alone or with the clearing number) depends on the bank's entry in
// Bankgirot's table of account number formats. A wrong account that passes
// these checks is rejected by the bank in its status report, and the payable
// opens again.
func NormalizeSwedishAccount(clearing, number string) (string, string, SwedishAccountErrors) {
	var errs SwedishAccountErrors
	c, ok := digitsOf(clearing)
	switch {
	case clearing == "":
		errs.Clearing = "is required"
	case !ok:
		errs.Clearing = "may hold only digits, spaces and a hyphen"
	case len(c) == swedishClearingPlainDigits:
		if c[0] == '0' {
			errs.Clearing = "must be from 1000 to 9999"
		}
	case len(c) == swedishClearingSwedbankDigit:
		if c[0] != '8' {
			errs.Clearing = "a five-digit clearing number starts with 8 (Swedbank)"
		} else if !luhnValid(c) {
			errs.Clearing = "check digit of the five-digit clearing number does not match (mod 10)"
		}
	default:
		errs.Clearing = "must have 4 digits, or 5 for a Swedbank clearing number 8xxx-x"
	}
	n, ok := digitsOf(number)
	switch {
	case number == "":
		errs.Number = "is required"
	case !ok:
		errs.Number = "may hold only digits, spaces and hyphens"
	case len(n) < swedishAccountMinDigits || len(n) > swedishAccountMaxDigits:
		errs.Number = "must have 6 to 10 digits"
	}
	if errs.Clearing != "" {
		c = ""
	}
	if errs.Number != "" {
		n = ""
	}
	return c, n, errs
}
