package assistance

import (
	"os"
	"testing"

	"roadcover"
)

func typicalCase(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile("../examples/assistance/breakdown-de.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecide is the in-process decision on a typical case (a breakdown
// abroad with towing, further assistance, collection and repatriation),
// explained in one language.
func BenchmarkDecide(b *testing.B) {
	c, err := Decode(typicalCase(b), Env{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decide(c, Env{}, roadcover.German); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideJSON is the JSON-in to JSON-out path.
func BenchmarkDecideJSON(b *testing.B) {
	data := typicalCase(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecideJSON(data, "", Env{}); err != nil {
			b.Fatal(err)
		}
	}
}
