package places

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxKeyLen bounds the folded query: no name is longer, so a longer query
// matches nothing and is not looked at further.
const maxKeyLen = 128

// letters that do not decompose into a base letter and marks.
var plainLetter = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'ħ': "h", 'Ħ': "h", 'ŀ': "l", 'Ŀ': "l", 'ə': "e", 'Ə': "e",
}

// spelledLetter is how German, Danish, Norwegian and Swedish write a letter
// without its diacritic ("Muenchen", "Koebenhavn", "Aarhus").
var spelledLetter = map[rune]string{
	'ä': "ae", 'Ä': "ae", 'ö': "oe", 'Ö': "oe", 'ü': "ue", 'Ü': "ue",
	'å': "aa", 'Å': "aa", 'ø': "oe", 'Ø': "oe",
}

// fold returns the search key of s: lower case, without diacritics, every
// run of spaces, hyphens and punctuation one space, trimmed. With spelled,
// the letters of spelledLetter are written out ("München" gives "muenchen";
// without spelled, "munchen"). Folding stops once the key is longer than
// maxKeyLen. ok reports whether s has any of them (so the
// spelled key differs from the plain one).
func fold(s string, spelled bool) (key string, ok bool) {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	put := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	for i := 0; i < len(s) && b.Len() <= maxKeyLen; {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r < utf8.RuneSelf:
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				put(r)
			case 'A' <= r && r <= 'Z':
				put(r + 'a' - 'A')
			default:
				space = true
			}
			continue
		}
		if t, found := spelledLetter[r]; found {
			ok = true
			if spelled {
				for _, c := range t {
					put(c)
				}
				continue
			}
		}
		if t, found := plainLetter[r]; found {
			for _, c := range t {
				put(c)
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark typed on its own
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			space = true
			continue
		}
		// Decompose (é = e + ´) and keep the base letters.
		for _, d := range norm.NFD.String(string(r)) {
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if t, found := plainLetter[d]; found {
				for _, c := range t {
					put(c)
				}
				continue
			}
			put(unicode.ToLower(d))
		}
	}
	return b.String(), ok
}
