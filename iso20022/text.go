package iso20022

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// sepaLetters spells letters that do not decompose into a basic Latin
// letter and a mark.
var sepaLetters = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "OE",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH",
	'&': "+", '–': "-", '—': "-", '’': "'", '‘': "'",
}

// sepaText writes s in the SEPA basic Latin character set (letters, digits
// and / - ? : ( ) . , ' + and space): accents and compatibility forms are dropped (ä to a, é to e, № to No),
// a few letters are spelled out (ß to ss, æ to ae, ø to o, & to +), anything
// else becomes a space; runs of spaces become one. The result is cut to max
// characters.
func sepaText(s string, max int) string {
	var b strings.Builder
	space := false
	put := func(r rune) {
		if r == ' ' {
			if space || b.Len() == 0 {
				return
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r < utf8.RuneSelf && sepaAllowed(byte(r)):
			put(r)
		case unicode.Is(unicode.Mn, r):
		default:
			if t, ok := sepaLetters[r]; ok {
				for _, c := range t {
					put(c)
				}
			} else {
				put(' ')
			}
		}
	}
	return cut(strings.TrimSpace(b.String()), max)
}

func sepaAllowed(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("/-?:().,'+ ", c) >= 0
}

// plainText is s with control characters replaced by spaces, trimmed and cut
// to max characters: for domestic payments, whose banks take UTF-8 (å, ä, ö).
func plainText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return cut(strings.TrimSpace(s), max)
}

// cut keeps the first max characters of s.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}
