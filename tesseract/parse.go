package tesseract

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"roadcover"
)

// Suggestion is what the text of a receipt seems to say. Every field may be
// missing or wrong: a person confirms it before it becomes a receipt.
type Suggestion struct {
	// Text is the text as read.
	Text string
	// Amount is the total; HasAmount is false when none was found.
	// Amount.Currency is "" when no currency was read.
	Amount    roadcover.Money
	HasAmount bool
	// Date is the first valid date read; zero when none.
	Date roadcover.Date
	// Merchant is the first line that reads as a name.
	Merchant string
}

var (
	// an amount: 2400,00 2.400,00 2,400.00 2 400,00 12.50
	reAmount = regexp.MustCompile(`(?:^|[^\d.,])(\d{1,3}(?:[ .,']\d{3})+|\d+)\s?[.,]\s?(\d{2})`)
	reYMD    = regexp.MustCompile(`\b(\d{4})\s?[-./]\s?(\d{1,2})\s?[-./]\s?(\d{1,2})\b`)
	reDMY    = regexp.MustCompile(`\b(\d{1,2})\s?[-./,]\s?(\d{1,2})\s?[-./,]\s?(\d{4}|\d{2})\b`)
	// O read for 0 and l or I for 1 between digits and separators
	reDigitO = regexp.MustCompile(`(^|[\d.,/\- ])[Oo]([\d.,/\-])`)
)

// totalWords mark the line of the total in the languages of the covered
// countries' receipts.
var totalWords = []string{"TOTAL", "TOTAAL", "TOTALT", "SUMME", "SUMMA", "SUM", "GESAMT", "BETRAG", "I ALT", "IALT",
	"AT BETALE", "ATT BETALA", "A PAGAR", "AMOUNT DUE", "BALANCE", "ZU ZAHLEN", "ENDBETRAG"}

// notMerchant are words that start lines that are not a name.
var notMerchant = []string{"DATO", "DATE", "DATUM", "DATA", "KVITTERING", "KVITTO", "RECEIPT", "RECHNUNG", "QUITTUNG",
	"FACTURA", "FATURA", "RECIBO", "TOTAL", "MOMS", "MWST", "VAT", "IVA", "TEL", "CVR", "ORG"}

// currencies are the currency marks read, by what they look like.
var currencies = []struct{ mark, code string }{
	{"€", "EUR"}, {"EUR", "EUR"}, {"£", "GBP"}, {"GBP", "GBP"}, {"DKK", "DKK"}, {"SEK", "SEK"}, {"NOK", "NOK"},
	{"CHF", "CHF"}, {"PLN", "PLN"}, {"CZK", "CZK"}, {"HUF", "HUF"}, {"ISK", "ISK"}, {"USD", "USD"},
}

// Parse reads amount, date and merchant from the text of a receipt. The
// amount is the last one on the last line naming a total, else the largest
// one; the date the first valid one (year-month-day, or day-month-year as
// written in Europe); the merchant the first line of at least three letters
// that is not a date, a total or a heading.
func Parse(text string) Suggestion {
	s := Suggestion{Text: text}
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		if d, ok := findDate(l); ok {
			s.Date = d
			break
		}
	}
	s.Amount, s.HasAmount = findTotal(lines)
	for _, l := range lines {
		if isName(l) {
			s.Merchant = l
			break
		}
	}
	return s
}

// findDate returns the first valid date on a line.
func findDate(l string) (roadcover.Date, bool) {
	l = reDigitO.ReplaceAllString(l, "${1}0${2}")
	if m := reYMD.FindStringSubmatch(l); m != nil {
		if d, ok := civil(m[1], m[2], m[3]); ok {
			return d, true
		}
	}
	for _, m := range reDMY.FindAllStringSubmatch(l, -1) {
		y := m[3]
		if len(y) == 2 {
			y = "20" + y
		}
		if d, ok := civil(y, m[2], m[1]); ok {
			return d, true
		}
	}
	return roadcover.Date{}, false
}

func civil(y, m, d string) (roadcover.Date, bool) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	if yy < 2000 || yy > 2099 || mm < 1 || mm > 12 || dd < 1 {
		return roadcover.Date{}, false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return roadcover.Date{}, false
	}
	return roadcover.DateOf(t), true
}

// findTotal returns the total of the receipt.
func findTotal(lines []string) (roadcover.Money, bool) {
	var best roadcover.Money
	found := false
	for _, l := range lines {
		up := strings.ToUpper(l)
		amounts := amountsIn(up)
		if len(amounts) == 0 || !startsWord(up, totalWords) {
			continue
		}
		best, found = roadcover.Money{Minor: amounts[len(amounts)-1], Currency: currencyIn(up)}, true
	}
	if found {
		if best.Currency == "" {
			best.Currency = currencyIn(strings.ToUpper(strings.Join(lines, "\n")))
		}
		return best, true
	}
	for _, l := range lines {
		up := strings.ToUpper(l)
		for _, a := range amountsIn(up) {
			if !found || a > best.Minor {
				best, found = roadcover.Money{Minor: a, Currency: currencyIn(up)}, true
			}
		}
	}
	return best, found
}

// amountsIn lists the amounts on a line, in minor units, dates left out.
func amountsIn(l string) []int64 {
	l = reYMD.ReplaceAllString(l, " ")
	l = reDMY.ReplaceAllString(l, " ")
	var out []int64
	for _, ix := range reAmount.FindAllStringSubmatchIndex(l, -1) {
		if end := ix[1]; end < len(l) && l[end] >= '0' && l[end] <= '9' {
			continue // three or more decimals: not an amount
		}
		whole := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, l[ix[2]:ix[3]])
		cents := l[ix[4]:ix[5]]
		if len(whole) > 12 {
			continue
		}
		v, err := strconv.ParseInt(whole+cents, 10, 64)
		if err == nil {
			out = append(out, v)
		}
	}
	return out
}

func currencyIn(l string) string {
	for _, c := range currencies {
		if strings.Contains(l, c.mark) {
			return c.code
		}
	}
	return ""
}

// startsWord reports whether one of words starts a word of l ("GESAMT" in
// "GESAMTBETRAG", not "TOTAL" in "SUBTOTAL").
func startsWord(l string, words []string) bool {
	for _, w := range words {
		for i := 0; ; {
			j := strings.Index(l[i:], w)
			if j < 0 {
				break
			}
			if i+j == 0 || !unicode.IsLetter(rune(l[i+j-1])) {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// boundary reports whether l[i:i+n] is a whole word.
func boundary(l string, i, n int) bool {
	before := i == 0 || !unicode.IsLetter(rune(l[i-1]))
	after := i+n == len(l) || !unicode.IsLetter(rune(l[i+n]))
	return before && after
}

// isName reports whether a line reads as a merchant's name.
func isName(l string) bool {
	letters := 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if letters < 3 {
		return false
	}
	up := strings.ToUpper(l)
	for _, w := range notMerchant {
		if strings.HasPrefix(up, w) && boundary(up, 0, len(w)) {
			return false
		}
	}
	if _, ok := findDate(l); ok && letters < 6 {
		return false
	}
	return len(amountsIn(up)) == 0
}
