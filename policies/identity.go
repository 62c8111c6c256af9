package policies

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// HolderKind says whether the policyholder is a natural person or an
// organisation; a person is a private person for the cap of 2.1.
type HolderKind string

// The kinds of policyholder.
const (
	Person       HolderKind = "person"
	Organisation HolderKind = "organisation"
)

// ParseIDNumber reads a Swedish personal identity number (personnummer or
// samordningsnummer) with its century, "YYYYMMDD-NNNN" or "YYYYMMDDNNNN",
// or an organisation number, "NNNNNN-NNNN" (also with the prefix 16). It
// checks the date of birth and the Luhn check digit, and returns the
// normalised form and the kind. A ten-digit personal number is refused:
// its century cannot be known without a clock.
func ParseIDNumber(s string) (string, HolderKind, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	digits := strings.ReplaceAll(t, "-", "")
	if strings.Count(t, "-") > 1 || strings.ContainsAny(digits, "+") {
		return "", "", fmt.Errorf("%q is not a personal or organisation number", s)
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", "", fmt.Errorf("%q may hold only digits and one hyphen", s)
		}
	}
	switch len(digits) {
	case 12:
		if strings.HasPrefix(digits, "16") {
			return organisation(digits[2:], s)
		}
		if !luhn(digits[2:]) {
			return "", "", fmt.Errorf("%q: the check digit is wrong", s)
		}
		day := int(digits[6]-'0')*10 + int(digits[7]-'0')
		if day > 60 { // samordningsnummer: day of birth + 60
			day -= 60
		}
		y := atoi(digits[:4])
		m := time.Month(atoi(digits[4:6]))
		if y < 1850 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
			return "", "", fmt.Errorf("%q does not begin with a date of birth", s)
		}
		return digits[:8] + "-" + digits[8:], Person, nil
	case 10:
		if digits[2] < '2' {
			return "", "", fmt.Errorf("%q: give a personal number with its century (YYYYMMDD-NNNN)", s)
		}
		return organisation(digits, s)
	}
	return "", "", fmt.Errorf("%q is neither a personal number (12 digits) nor an organisation number (10 digits)", s)
}

func organisation(d, s string) (string, HolderKind, error) {
	if d[2] < '2' {
		return "", "", fmt.Errorf("%q is not an organisation number", s)
	}
	if !luhn(d) {
		return "", "", fmt.Errorf("%q: the check digit is wrong", s)
	}
	return d[:6] + "-" + d[6:], Organisation, nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// luhn checks the mod-10 check digit of a string of digits (the last one).
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// Luhn reports whether the last digit of d is its mod-10 check digit (used
// by personal numbers and bankgiro numbers).
func Luhn(d string) bool {
	if d == "" {
		return false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return false
		}
	}
	return luhn(d)
}

// vinValue is the transliteration of ISO 3779 for the check digit.
func vinValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'H':
		return int(c-'A') + 1
	case c >= 'J' && c <= 'N':
		return int(c-'J') + 1
	case c == 'P':
		return 7
	case c == 'R':
		return 9
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2
	}
	return -1
}

var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// ParseVIN checks a vehicle identification number (ISO 3779): 17
// characters of digits and capital letters other than I, O and Q. The check
// digit in position 9 is verified where it is mandatory: for makers in North
// America (first character 1 to 5) and China (L), which is where Polestar
// cars are built. Lower case is accepted and upper-cased.
func ParseVIN(s string) (string, error) {
	v := strings.ToUpper(strings.TrimSpace(s))
	if len(v) != 17 {
		return "", fmt.Errorf("%q has %d characters; a VIN has 17", s, utf8.RuneCountInString(v))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		x := vinValue(v[i])
		if x < 0 {
			return "", fmt.Errorf("%q: character %d (%q) is not allowed in a VIN (no I, O or Q)", s, i+1, v[i])
		}
		sum += x * vinWeights[i]
	}
	if c := v[0]; (c >= '1' && c <= '5') || c == 'L' {
		want := byte('0' + sum%11)
		if sum%11 == 10 {
			want = 'X'
		}
		if v[8] != want {
			return "", fmt.Errorf("%q: the check digit (position 9) is %c, expected %c", s, v[8], want)
		}
	}
	return v, nil
}

// ParseRegistration checks a Swedish registration number: three letters
// (not I, Q, V or Å, Ä, Ö), two digits and a digit or a letter (not O), as
// issued since 2019; or a personalised plate of 2 to 7 letters and digits.
// Spaces are removed and letters upper-cased. personalised says which.
func ParseRegistration(s string) (reg string, personalised bool, err error) {
	r := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if isStandardPlate(r) {
		return r, false, nil
	}
	n := utf8.RuneCountInString(r)
	letters := 0
	for _, c := range r {
		switch {
		case c >= 'A' && c <= 'Z', c == 'Å', c == 'Ä', c == 'Ö':
			letters++
		case c >= '0' && c <= '9':
		default:
			return "", false, fmt.Errorf("%q is not a Swedish registration number", s)
		}
	}
	if n < 2 || n > 7 || letters == 0 {
		return "", false, fmt.Errorf("%q is not a Swedish registration number", s)
	}
	return r, true, nil
}

func isStandardPlate(r string) bool {
	if len(r) != 6 {
		return false
	}
	for i := 0; i < 3; i++ {
		c := r[i]
		if c < 'A' || c > 'Z' || c == 'I' || c == 'Q' || c == 'V' {
			return false
		}
	}
	if r[3] < '0' || r[3] > '9' || r[4] < '0' || r[4] > '9' {
		return false
	}
	c := r[5]
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'Q' && c != 'V' && c != 'O')
}
