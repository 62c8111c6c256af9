package roadcover

import "strings"

// Language is one of the five languages the product explains itself in.
type Language string

// The languages of the product's own texts.
const (
	English    Language = "en"
	German     Language = "de"
	Portuguese Language = "pt"
	Danish     Language = "da"
	Swedish    Language = "sv"
)

// Languages lists every supported language in a fixed order.
var Languages = []Language{English, German, Portuguese, Danish, Swedish}

// ParseLanguage accepts a supported language tag, ignoring case and a region
// subtag ("pt-PT", "de-AT", "en_GB"). ok is false for anything else.
func ParseLanguage(s string) (Language, bool) {
	base := strings.ToLower(s)
	if i := strings.IndexAny(base, "-_"); i >= 0 {
		base = base[:i]
	}
	switch Language(base) {
	case English, German, Portuguese, Danish, Swedish:
		return Language(base), true
	}
	return "", false
}

// Texts holds one short text per language.
type Texts map[Language]string

// In returns the text in l, falling back to English, then to any text.
func (t Texts) In(l Language) string {
	if s, ok := t[l]; ok {
		return s
	}
	if s, ok := t[English]; ok {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}
