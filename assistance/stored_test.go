package assistance

import (
	"bytes"
	"testing"

	"roadcover"
)

// TestReadDecisionRoundTrip holds ReadDecision and In to the engine: for
// every case file, the stored document read back writes the same bytes, and
// shown in any other language it is exactly what deciding in that language
// gives. A field the engine writes but ReadDecision drops fails here.
func TestReadDecisionRoundTrip(t *testing.T) {
	n := 0
	for _, tc := range loadCases(t) {
		env := Env{}
		if tc.Env != nil {
			env = tc.Env.env()
		}
		c, err := Decode(tc.Input, env)
		if err != nil {
			continue
		}
		for _, stored := range roadcover.Languages {
			d, err := Decide(c, env, stored)
			if err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			doc := d.AppendJSON(nil)
			back, err := ReadDecision(doc)
			if err != nil {
				t.Fatalf("%s (%s): %v", tc.path, stored, err)
			}
			if got := back.AppendJSON(nil); !bytes.Equal(got, doc) {
				t.Fatalf("%s (%s): read back differs:\n got %s\nwant %s", tc.path, stored, got, doc)
			}
			rec := d.AppendRecord(nil)
			fromRec, err := ReadDecision(rec)
			if err != nil {
				t.Fatalf("%s (%s): record: %v", tc.path, stored, err)
			}
			if got := fromRec.AppendJSON(nil); !bytes.Equal(got, doc) {
				t.Fatalf("%s (%s): the record read back differs:\n got %s\nwant %s", tc.path, stored, got, doc)
			}
			if bytes.Contains(rec, []byte(`"text"`)) || len(rec) > len(doc) {
				t.Fatalf("%s (%s): the record keeps texts or is not smaller", tc.path, stored)
			}
			for _, lang := range roadcover.Languages {
				want, _ := Decide(c, env, lang)
				shown := back.In(lang)
				if got := shown.AppendJSON(nil); !bytes.Equal(got, want.AppendJSON(nil)) {
					t.Fatalf("%s: stored in %s, shown in %s:\n got %s\nwant %s", tc.path, stored, lang, got, want.AppendJSON(nil))
				}
			}
			n++
		}
	}
	if n < 1000 {
		t.Fatalf("only %d decisions read back", n)
	}
}

// TestReadDecisionRefuses checks that a document ReadDecision cannot
// account for is an error, not a decision with something left out.
func TestReadDecisionRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":        `{"terms":`,
		"trailing":        `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":true} {}`,
		"unknown terms":   `{"terms":{"id":"assistance-xx-1999"},"language":"de","covered":true}`,
		"no language":     `{"terms":{"id":"assistance-de-2023-05"},"covered":true}`,
		"unknown code":    `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":true,"entitlements":[{"code":"yacht","clause":"1.1"}]}`,
		"unknown refusal": `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":false,"refusals":[{"code":"moon","clause":"general"}]}`,
		"unknown reading": `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":true,"readings":["astrology"]}`,
		"bad amount":      `{"terms":{"id":"assistance-de-2023-05"},"language":"de","covered":true,"entitlements":[{"code":"hotel","clause":"1.3.2","limit":{"amount":"1.234","currency":"EUR","per":"person_night"}}]}`,
	} {
		if _, err := ReadDecision([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func BenchmarkReadDecision(b *testing.B) {
	c, err := Decode(typicalCase(b), Env{})
	if err != nil {
		b.Fatal(err)
	}
	d, _ := Decide(c, Env{}, "")
	doc := d.AppendJSON(nil)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDecision(doc); err != nil {
			b.Fatal(err)
		}
	}
}
