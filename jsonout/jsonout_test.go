package jsonout

import (
	"encoding/json"
	"testing"

	"roadcover"
)

func TestStringAsEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ slash`, "tab\tnew\nline\r", "<b>&amp;</b>",
		"\x00\x1f", "Förmån på 510,00 GBP", "line\u2028sep\u2029", "bad \xff utf8", "emoji 🚗"} {
		want, _ := json.Marshal(s)
		if got := String(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("a<b>&\"\\\n\u2028\xff")
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := String(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestAmountAndDate(t *testing.T) {
	if got := string(Amount(nil, -305)); got != `"-3.05"` {
		t.Error(got)
	}
	if got := string(Strings(nil, nil)); got != "[]" {
		t.Error(got)
	}
	d, _ := roadcover.ParseDate("2026-07-15")
	if got := string(Date(nil, d)); got != "2026-07-15" {
		t.Error(got)
	}
}

func BenchmarkString(b *testing.B) {
	s := "Lejebil af tilsvarende størrelse med standardudstyr, mens bilen repareres, i op til 5 hverdage; brændstof eller strøm betales ikke."
	buf := make([]byte, 0, 512)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = String(buf[:0], s)
	}
}
