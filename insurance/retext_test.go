package insurance

import (
	"bytes"
	"testing"

	"roadcover"
)

// TestRetextIsTheSettlementInAnotherLanguage: every settlement of the rule
// cases, made in one language and given again in each other, is byte for
// byte the settlement made in that language.
func TestRetextIsTheSettlementInAnotherLanguage(t *testing.T) {
	langs := []roadcover.Language{roadcover.Swedish, roadcover.English, roadcover.German, roadcover.Portuguese, roadcover.Danish}
	n := 0
	for _, c := range loadCases(t) {
		docs := map[roadcover.Language][]byte{}
		for _, l := range langs {
			out, err := SettleJSON(c.Input, string(l))
			if err != nil {
				break
			}
			docs[l] = out
		}
		if len(docs) != len(langs) {
			continue // an input error: no settlement
		}
		for _, from := range langs {
			for _, to := range langs {
				got, err := Retext(docs[from], to)
				if err != nil {
					t.Fatalf("%s: %s → %s: %v", c.ID, from, to, err)
				}
				if !bytes.Equal(got, docs[to]) {
					t.Fatalf("%s: %s → %s:\n got %s\nwant %s", c.ID, from, to, got, docs[to])
				}
			}
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d settlements compared", n)
	}
	if _, err := Retext([]byte(`{"terms": {}, "surprise": 1}`), roadcover.English); err == nil {
		t.Fatal("a document that is not a settlement was given back")
	}
}
