package ledger

import (
	"fmt"
	"testing"

	"roadcover"
)

// journal10k is a journal of 10 000 entries: 4 999 payables over 500 cases
// and 200 payees, one batch gathering them, its release and 4 999 payments.
func journal10k(tb testing.TB) []Entry {
	tb.Helper()
	l := New()
	var out []Entry
	add := func(es ...Entry) {
		for _, e := range es {
			if err := l.Apply(e); err != nil {
				tb.Fatal(err)
			}
			out = append(out, e)
		}
	}
	for i := 0; i < 4_999; i++ {
		p := Payable{
			ID:     PayableID(fmt.Sprintf("P%05d", i)),
			Source: Source{Kind: SourceInsuranceClaim, ID: fmt.Sprintf("C%04d", i%500), Line: fmt.Sprint(i % 7)},
			Payee:  PayeeID(fmt.Sprintf("payee%03d", i%200)), Amount: sek(int64(1_000 + i*37)), Reference: "claim",
		}
		e, err := l.RecordPayable(p, t0, "handler")
		if err != nil {
			tb.Fatal(err)
		}
		add(e)
	}
	e, err := l.CreateBatch(BatchRequest{ID: "B1", Currency: "SEK", Maker: "maria"}, Policy{SecondApprovalAbove: map[string]int64{"SEK": 1 << 62}}, t0)
	if err != nil {
		tb.Fatal(err)
	}
	add(e)
	es, err := l.Release("B1", "anna", roadcover.Date{Year: 2026, Month: 12, Day: 9}, t0)
	if err != nil {
		tb.Fatal(err)
	}
	add(es...)
	if len(out) != 10_000 {
		tb.Fatalf("%d entries", len(out))
	}
	return out
}

// BenchmarkApply10000 replays a journal of 10 000 entries into a new ledger.
func BenchmarkApply10000(b *testing.B) {
	journal := journal10k(b)
	b.ReportAllocs()
	for b.Loop() {
		l, err := Replay(journal)
		if err != nil {
			b.Fatal(err)
		}
		if l.NextSeq() != 10_001 {
			b.Fatal("not all applied")
		}
	}
}
