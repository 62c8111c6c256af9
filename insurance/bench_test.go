package insurance

import (
	"os"
	"testing"

	"roadcover"
)

// typicalClaim is a moose collision with a young borrower at the wheel:
// collision, animal-collision refund and rental lines.
func typicalClaim(b *testing.B) []byte {
	data, err := os.ReadFile("../examples/insurance/moose-collision.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkSettle(b *testing.B) {
	c, err := Decode(typicalClaim(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Settle(c, roadcover.Swedish); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSettleJSON(b *testing.B) {
	data := typicalClaim(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SettleJSON(data, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data := typicalClaim(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
