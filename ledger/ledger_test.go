package ledger

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

var policy = Policy{SecondApprovalAbove: map[string]int64{"EUR": 1_000_000, "SEK": 10_000_000, "GBP": 1_000_000, "DKK": 7_500_000}}

func eur(minor int64) roadcover.Money { return roadcover.Money{Minor: minor, Currency: "EUR"} }
func sek(minor int64) roadcover.Money { return roadcover.Money{Minor: minor, Currency: "SEK"} }

func receipt(id string, m roadcover.Money) Payable {
	return Payable{
		ID:        PayableID(id),
		Source:    Source{Kind: SourceAssistanceReceipt, ID: "case-" + id, Line: "1"},
		Payee:     PayeeID("payee-" + id),
		Amount:    m,
		Reference: "Reimbursement " + id,
	}
}

// must applies the entries a step returned and fails the test on an error.
func must(t *testing.T, l *Ledger) func(es ...Entry) {
	return func(es ...Entry) {
		t.Helper()
		for _, e := range es {
			if err := l.Apply(e); err != nil {
				t.Fatalf("apply %s %d: %v", e.Kind, e.Seq, err)
			}
		}
	}
}

func one(e Entry, err error) func(*testing.T) Entry {
	return func(t *testing.T) Entry {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
}

func many(es []Entry, err error) func(*testing.T) []Entry {
	return func(t *testing.T) []Entry {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
}

func wantReason(t *testing.T, err error, r Reason) {
	t.Helper()
	if !IsReason(err, r) {
		t.Fatalf("error %v; want reason %s", err, r)
	}
}

// book records payables and returns the ledger.
func book(t *testing.T, ps ...Payable) *Ledger {
	t.Helper()
	l := New()
	for _, p := range ps {
		must(t, l)(one(l.RecordPayable(p, t0, "handler"))(t))
	}
	return l
}

func TestPayableEntryBalances(t *testing.T) {
	l := book(t, receipt("P1", eur(12_345)), receipt("P2", sek(50_000)))
	if got := l.Balance(AccountExpense, "EUR"); got != 12_345 {
		t.Fatalf("expense EUR %d", got)
	}
	if got := l.Balance(AccountPayable, "EUR"); got != -12_345 {
		t.Fatalf("payable EUR %d", got)
	}
	if got := l.SourceBalance(SourceAssistanceReceipt, "case-P2", AccountPayable, "SEK"); got != -50_000 {
		t.Fatalf("source payable SEK %d", got)
	}
	if got := l.PayeeBalance("payee-P1", AccountExpense, "EUR"); got != 12_345 {
		t.Fatalf("payee expense EUR %d", got)
	}
	if err := l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
	if got := l.Currencies(); !slices.Equal(got, []string{"EUR", "SEK"}) {
		t.Fatalf("currencies %v", got)
	}
	p, _ := l.Payable("P1")
	if p.Status != StatusOpen || l.NextSeq() != 3 {
		t.Fatalf("status %s next %d", p.Status, l.NextSeq())
	}
}

func TestRecordPayableNamesBadFields(t *testing.T) {
	l := New()
	_, err := l.RecordPayable(Payable{ID: "bad id", Source: Source{Kind: "receipt"}, Payee: "", Amount: roadcover.Money{Minor: 0, Currency: "eur"}, Reference: strings.Repeat("x", 141)}, t0, "h")
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v", err)
	}
	var got []string
	for _, f := range ie.Errors {
		got = append(got, f.Field)
	}
	want := []string{"amount", "amount.currency", "id", "payee", "reference", "source.id", "source.kind", "source.line"}
	if !slices.Equal(got, want) {
		t.Fatalf("fields %v; want %v", got, want)
	}
	_, err = l.RecordPayable(receipt("P1", eur(-5)), t0, "h")
	if !errors.As(err, &ie) || ie.Errors[0].Field != "amount" {
		t.Fatalf("negative amount: %v", err)
	}
	_, err = l.RecordPayable(receipt("P1", eur(5)), time.Time{}, "")
	if !errors.As(err, &ie) || len(ie.Errors) != 2 {
		t.Fatalf("no time or actor: %v", err)
	}
	must(t, l)(one(l.RecordPayable(receipt("P1", eur(5)), t0, "h"))(t))
	_, err = l.RecordPayable(receipt("P1", eur(7)), t0, "h")
	wantReason(t, err, ReasonDuplicate)
}

func TestBatchWithOneApprover(t *testing.T) {
	l := book(t, receipt("P1", eur(10_000)), receipt("P2", eur(25_050)), receipt("P3", sek(99_900)))
	apply := must(t, l)
	e := one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "maria"}, policy, t0))(t)
	if !slices.Equal(e.Members, []PayableID{"P1", "P2"}) || e.Amount != eur(35_050) || e.ApprovalsRequired != 1 {
		t.Fatalf("batch entry %+v", e)
	}
	apply(e)
	p, _ := l.Payable("P1")
	if p.Status != StatusInBatch || p.Batch != "B1" {
		t.Fatalf("P1 %s %s", p.Status, p.Batch)
	}
	_, err := l.Release("B1", "maria", roadcover.Date{Year: 2026, Month: 12, Day: 8}, t0)
	wantReason(t, err, ReasonMakerApproves)
	_, err = l.Approve("B1", "anna", t0)
	wantReason(t, err, ReasonBatchState)
	for _, day := range []roadcover.Date{{}, {Year: 2026, Month: 12, Day: 6}} {
		var ie *roadcover.InputError
		if _, err := l.Release("B1", "anna", day, t0); !errors.As(err, &ie) || ie.Errors[0].Field != "execution_date" {
			t.Fatalf("execution date %v: %v", day, err)
		}
	}
	es := many(l.Release("B1", "anna", roadcover.Date{Year: 2026, Month: 12, Day: 8}, t0))(t)
	if len(es) != 3 || es[0].Kind != KindBatchReleased || es[1].Kind != KindPayment || es[2].Payable != "P2" {
		t.Fatalf("release entries %+v", es)
	}
	apply(es...)
	if l.Balance(AccountPayable, "EUR") != 0 || l.Balance(AccountBank, "EUR") != -35_050 {
		t.Fatalf("payable %d bank %d", l.Balance(AccountPayable, "EUR"), l.Balance(AccountBank, "EUR"))
	}
	p, _ = l.Payable("P2")
	if p.Status != StatusSent || l.PaymentsBooked("P2") != 1 {
		t.Fatalf("P2 %s booked %d", p.Status, l.PaymentsBooked("P2"))
	}
	if got := l.Outstanding("EUR"); len(got) != 2 {
		t.Fatalf("outstanding %v", got)
	}
	apply(many(l.ApplyOutcomes("B1", []Outcome{{"P1", ResultPaid, "ACSC"}, {"P2", ResultPending, "ACTC"}}, t0, "bank"))(t)...)
	p, _ = l.Payable("P1")
	if p.Status != StatusPaid {
		t.Fatalf("P1 %s", p.Status)
	}
	if got := l.Outstanding("EUR"); len(got) != 1 || got[0].ID != "P2" {
		t.Fatalf("outstanding %v", got)
	}
	b, _ := l.Batch("B1")
	if b.Status != BatchReleased || !slices.Equal(b.Approvers, []string{"anna"}) || b.Outcomes["P1"].Result != ResultPaid {
		t.Fatalf("batch %+v", b)
	}
	if err := l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
}

func TestSecondApproverAboveThreshold(t *testing.T) {
	l := book(t, receipt("P1", eur(600_000)), receipt("P2", eur(400_001)))
	apply := must(t, l)
	e := one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "maria"}, policy, t0))(t)
	if e.ApprovalsRequired != 2 {
		t.Fatalf("approvals %d", e.ApprovalsRequired)
	}
	apply(e)
	day := roadcover.Date{Year: 2026, Month: 12, Day: 9}
	_, err := l.Release("B1", "anna", day, t0)
	wantReason(t, err, ReasonSecondApprover)
	_, err = l.Approve("B1", "maria", t0)
	wantReason(t, err, ReasonMakerApproves)
	apply(one(l.Approve("B1", "anna", t0))(t))
	_, err = l.Approve("B1", "bo", t0)
	wantReason(t, err, ReasonBatchState)
	_, err = l.Release("B1", "anna", day, t0)
	wantReason(t, err, ReasonSameApprover)
	_, err = l.Release("B1", "maria", day, t0)
	wantReason(t, err, ReasonMakerApproves)
	// The same checks hold for entries built by hand.
	err = l.Apply(Entry{Seq: l.NextSeq(), Kind: KindBatchReleased, At: t0, Actor: "anna", Batch: "B1", ExecutionDate: day})
	wantReason(t, err, ReasonSameApprover)
	apply(many(l.Release("B1", "bo", day, t0))(t)...)
	b, _ := l.Batch("B1")
	if !slices.Equal(b.Approvers, []string{"anna", "bo"}) || b.ExecutionDate != day {
		t.Fatalf("batch %+v", b)
	}
	// Exactly at the threshold one approver is enough.
	l2 := book(t, receipt("P1", eur(1_000_000)))
	if e := one(l2.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t); e.ApprovalsRequired != 1 {
		t.Fatalf("at threshold: %d approvals", e.ApprovalsRequired)
	}
	_, err = l2.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, Policy{}, t0)
	wantReason(t, err, ReasonNoThreshold)
}

func TestNoPayableInTwoBatches(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", eur(200)))
	apply := must(t, l)
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Payables: []PayableID{"P1"}, Maker: "m"}, policy, t0))(t))
	_, err := l.CreateBatch(BatchRequest{ID: "B2", Currency: "EUR", Payables: []PayableID{"P2", "P1"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonInTwoBatches)
	err = l.Apply(Entry{Seq: l.NextSeq(), Kind: KindBatchCreated, At: t0, Actor: "m", Batch: "B2", Amount: eur(300), Members: []PayableID{"P1", "P2"}, ApprovalsRequired: 1})
	wantReason(t, err, ReasonInTwoBatches)
	// Gathering all open payables leaves out the one already in a batch.
	e := one(l.CreateBatch(BatchRequest{ID: "B2", Currency: "EUR", Maker: "m"}, policy, t0))(t)
	if !slices.Equal(e.Members, []PayableID{"P2"}) {
		t.Fatalf("members %v", e.Members)
	}
	_, err = l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Payables: []PayableID{"P2"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonDuplicate)
	_, err = l.CreateBatch(BatchRequest{ID: "B3", Currency: "EUR", Payables: []PayableID{"P2", "P2"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonInvalid)
	_, err = l.CreateBatch(BatchRequest{ID: "B3", Currency: "SEK", Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonEmptyBatch)
	_, err = l.CreateBatch(BatchRequest{ID: "B3", Currency: "EUR", Payables: []PayableID{"P9"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonUnknownPayable)
}

func TestOneCurrencyPerBatch(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", sek(200)))
	_, err := l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Payables: []PayableID{"P1", "P2"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonCurrency)
	err = l.Apply(Entry{Seq: l.NextSeq(), Kind: KindBatchCreated, At: t0, Actor: "m", Batch: "B1", Amount: eur(300), Members: []PayableID{"P1", "P2"}, ApprovalsRequired: 1})
	wantReason(t, err, ReasonCurrency)
	err = l.Apply(Entry{Seq: l.NextSeq(), Kind: KindBatchCreated, At: t0, Actor: "m", Batch: "B1", Amount: eur(99), Members: []PayableID{"P1"}, ApprovalsRequired: 1})
	wantReason(t, err, ReasonAmountMismatch)
}

func TestCancelBeforeRelease(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", eur(200)))
	apply := must(t, l)
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	apply(one(l.Cancel("B1", "m", t0))(t))
	for _, id := range []PayableID{"P1", "P2"} {
		if p, _ := l.Payable(id); p.Status != StatusOpen || p.Batch != "" {
			t.Fatalf("%s %s %s", id, p.Status, p.Batch)
		}
	}
	_, err := l.Cancel("B1", "m", t0)
	wantReason(t, err, ReasonBatchState)
	_, err = l.Release("B1", "a", roadcover.Date{Year: 2026, Month: 12, Day: 8}, t0)
	wantReason(t, err, ReasonBatchState)
	apply(one(l.CreateBatch(BatchRequest{ID: "B2", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	apply(many(l.Release("B2", "a", roadcover.Date{Year: 2026, Month: 12, Day: 8}, t0))(t)...)
	_, err = l.Cancel("B2", "m", t0)
	wantReason(t, err, ReasonBatchState)
	_, err = l.Cancel("B9", "m", t0)
	wantReason(t, err, ReasonUnknownBatch)
}

func TestRejectedPaymentOpensPayableAgain(t *testing.T) {
	l := book(t, receipt("P1", sek(150_000)), receipt("P2", sek(20_000)))
	apply := must(t, l)
	day := roadcover.Date{Year: 2026, Month: 12, Day: 8}
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "SEK", Maker: "m"}, policy, t0))(t))
	apply(many(l.Release("B1", "a", day, t0))(t)...)
	es := many(l.ApplyOutcomes("B1", []Outcome{{"P1", ResultRejected, "AC04"}, {"P2", ResultPaid, "ACSC"}}, t0, "bank"))(t)
	if len(es) != 2 || es[0].Kind != KindReversal || es[0].Cause != CauseRejected || es[0].Reason != "AC04" || es[1].Kind != KindPaymentConfirmed {
		t.Fatalf("outcome entries %+v", es)
	}
	apply(es...)
	p, _ := l.Payable("P1")
	if p.Status != StatusOpen || len(p.Rejections) != 1 || p.Rejections[0].Batch != "B1" || l.PaymentsBooked("P1") != 0 {
		t.Fatalf("P1 %+v", p)
	}
	if l.Balance(AccountPayable, "SEK") != -150_000 || l.Balance(AccountBank, "SEK") != -20_000 {
		t.Fatalf("payable %d bank %d", l.Balance(AccountPayable, "SEK"), l.Balance(AccountBank, "SEK"))
	}
	// The same report again changes nothing.
	if es := many(l.ApplyOutcomes("B1", []Outcome{{"P1", ResultRejected, "AC04"}, {"P2", ResultPaid, "ACSC"}}, t0, "bank"))(t); len(es) != 0 {
		t.Fatalf("repeated report gave %d entries", len(es))
	}
	// A rejection after the bank confirmed a payment needs a handler.
	_, err := l.ApplyOutcomes("B1", []Outcome{{"P2", ResultRejected, "AC04"}}, t0, "bank")
	wantReason(t, err, ReasonConfirmedPaid)
	_, err = l.ApplyOutcomes("B1", []Outcome{{"P1", ResultPaid, "ACSC"}}, t0, "bank")
	wantReason(t, err, ReasonOutcomeConflict)
	// The rejected payable goes into a later batch and is paid there.
	apply(one(l.CreateBatch(BatchRequest{ID: "B2", Currency: "SEK", Maker: "m"}, policy, t0))(t))
	apply(many(l.Release("B2", "a", day, t0))(t)...)
	apply(many(l.ApplyOutcomes("B2", []Outcome{{"P1", ResultPaid, ""}}, t0, "bank"))(t)...)
	p, _ = l.Payable("P1")
	if p.Status != StatusPaid || p.Batch != "B2" || l.Balance(AccountBank, "SEK") != -170_000 || l.Balance(AccountPayable, "SEK") != 0 {
		t.Fatalf("P1 %+v bank %d", p, l.Balance(AccountBank, "SEK"))
	}
	// A stale report on the first batch still says rejected: nothing to do.
	if es := many(l.ApplyOutcomes("B1", []Outcome{{"P1", ResultRejected, "AC04"}}, t0, "bank"))(t); len(es) != 0 {
		t.Fatalf("stale report gave %d entries", len(es))
	}
	_, err = l.ApplyOutcomes("B2", []Outcome{{"P2", ResultPaid, ""}}, t0, "bank")
	wantReason(t, err, ReasonNotInBatch)
	_, err = l.ApplyOutcomes("B2", []Outcome{{"P1", ResultPaid, ""}, {"P1", ResultRejected, "AC04"}}, t0, "bank")
	wantReason(t, err, ReasonOutcomeConflict)
	_, err = l.ApplyOutcomes("B2", []Outcome{{"P1", "lost", ""}}, t0, "bank")
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("unknown result: %v", err)
	}
	if err := l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
}

func TestNothingIsPaidTwice(t *testing.T) {
	l := book(t, receipt("P1", eur(100)))
	apply := must(t, l)
	day := roadcover.Date{Year: 2026, Month: 12, Day: 8}
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	es := many(l.Release("B1", "a", day, t0))(t)
	apply(es...)
	// The same payment entry again, with the next number.
	again := es[1]
	again.Seq = l.NextSeq()
	wantReason(t, l.Apply(again), ReasonPaidTwice)
	// A second batch cannot take it.
	_, err := l.CreateBatch(BatchRequest{ID: "B2", Currency: "EUR", Payables: []PayableID{"P1"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonPaidTwice)
	// Nor can it be withdrawn once sent.
	_, err = l.Withdraw("P1", t0, "h")
	wantReason(t, err, ReasonPaidTwice)
	apply(many(l.ApplyOutcomes("B1", []Outcome{{"P1", ResultPaid, "ACSC"}}, t0, "bank"))(t)...)
	again.Seq = l.NextSeq()
	wantReason(t, l.Apply(again), ReasonPaidTwice)
	confirm := Entry{Seq: l.NextSeq(), Kind: KindPaymentConfirmed, At: t0, Actor: "bank", Payable: "P1", Batch: "B1"}
	wantReason(t, l.Apply(confirm), ReasonConfirmedPaid)
}

func TestPaymentNeedsAReleasedBatch(t *testing.T) {
	l := book(t, receipt("P1", eur(100)))
	apply := must(t, l)
	pay := func(batch BatchID) Entry {
		p, _ := l.Payable("P1")
		return Entry{Seq: l.NextSeq(), Kind: KindPayment, At: t0, Actor: "x", Payable: "P1", Batch: batch, Amount: p.Amount,
			Postings: []Posting{{AccountPayable, eur(100), p.Source, p.Payee}, {AccountBank, eur(-100), p.Source, p.Payee}}}
	}
	wantReason(t, l.Apply(pay("B1")), ReasonUnknownBatch)
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	wantReason(t, l.Apply(pay("B1")), ReasonBatchState)
}

func TestWithdraw(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", eur(200)))
	apply := must(t, l)
	apply(one(l.Withdraw("P1", t0, "h"))(t))
	if p, _ := l.Payable("P1"); p.Status != StatusWithdrawn {
		t.Fatalf("P1 %s", p.Status)
	}
	if l.Balance(AccountExpense, "EUR") != 200 || l.Balance(AccountPayable, "EUR") != -200 {
		t.Fatalf("expense %d payable %d", l.Balance(AccountExpense, "EUR"), l.Balance(AccountPayable, "EUR"))
	}
	_, err := l.Withdraw("P1", t0, "h")
	wantReason(t, err, ReasonNotOpen)
	_, err = l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Payables: []PayableID{"P1"}, Maker: "m"}, policy, t0)
	wantReason(t, err, ReasonNotOpen)
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	_, err = l.Withdraw("P2", t0, "h")
	wantReason(t, err, ReasonInTwoBatches)
	_, err = l.Withdraw("P9", t0, "h")
	wantReason(t, err, ReasonUnknownPayable)
}

func TestUnbalancedAndForeignPostingsAreRefused(t *testing.T) {
	l := New()
	e := one(l.RecordPayable(receipt("P1", eur(100)), t0, "h"))(t)
	cases := []struct {
		name   string
		change func(e *Entry)
		reason Reason
	}{
		{"credit short", func(e *Entry) { e.Postings[1].Amount.Minor = -99 }, ReasonUnbalanced},
		{"one side", func(e *Entry) { e.Postings = e.Postings[:1] }, ReasonUnbalanced},
		{"other currency", func(e *Entry) { e.Postings[1].Amount.Currency = "SEK" }, ReasonUnbalanced},
		{"other payee", func(e *Entry) { e.Postings[1].Payee = "someone" }, ReasonUnbalanced},
		{"other source", func(e *Entry) { e.Postings[1].Source.ID = "case-X" }, ReasonUnbalanced},
		{"wrong accounts", func(e *Entry) { e.Postings[0].Account = AccountBank }, ReasonPostings},
		{"swapped sides", func(e *Entry) { e.Postings[0], e.Postings[1] = e.Postings[1], e.Postings[0] }, ReasonPostings},
		{"none", func(e *Entry) { e.Postings = nil }, ReasonPostings},
		{"bad currency", func(e *Entry) { e.Postings[0].Amount.Currency = "E" }, ReasonInvalid},
		{"sequence", func(e *Entry) { e.Seq = 2 }, ReasonSequence},
		{"no actor", func(e *Entry) { e.Actor = " " }, ReasonInvalid},
		{"no time", func(e *Entry) { e.At = time.Time{} }, ReasonInvalid},
		{"unknown kind", func(e *Entry) { e.Kind = "gift" }, ReasonInvalid},
		{"payable with batch", func(e *Entry) { e.Batch = "B1" }, ReasonInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := e
			bad.Postings = slices.Clone(e.Postings)
			c.change(&bad)
			wantReason(t, l.Apply(bad), c.reason)
			if l.NextSeq() != 1 || len(l.Payables()) != 0 || l.Balance(AccountExpense, "EUR") != 0 {
				t.Fatal("a refused entry changed the ledger")
			}
		})
	}
	wf := Entry{Seq: 1, Kind: KindBatchCancelled, At: t0, Actor: "m", Batch: "B1", Postings: e.Postings}
	wantReason(t, l.Apply(wf), ReasonPostings)
}

func TestOverflowIsRefused(t *testing.T) {
	half := int64(math.MaxInt64/2 + 1)
	l := book(t, receipt("P1", eur(half)))
	e := one(l.RecordPayable(receipt("P2", eur(half)), t0, "h"))(t)
	wantReason(t, l.Apply(e), ReasonOverflow)
	if l.NextSeq() != 2 || l.Balance(AccountExpense, "EUR") != half {
		t.Fatal("a refused entry changed the ledger")
	}
	// Two payees keep each balance in range but the ledger total overflows.
	p := receipt("P3", eur(half))
	p.Payee = "other"
	p.Source.ID = "other-case"
	e = one(l.RecordPayable(p, t0, "h"))(t)
	wantReason(t, l.Apply(e), ReasonOverflow)
	if _, ok := l.Payable("P3"); ok || l.PayeeBalance("other", AccountExpense, "EUR") != 0 {
		t.Fatal("a refused entry left a trace")
	}
	// Every balance stays in range, so a batch total (at most the payable
	// balance of its currency) cannot overflow either.
	if err := l.TrialBalance(); err != nil {
		t.Fatal(err)
	}
}

func TestReplayRebuildsTheSameLedger(t *testing.T) {
	l := New()
	var journal []Entry
	do := func(es ...Entry) {
		t.Helper()
		for _, e := range es {
			if err := l.Apply(e); err != nil {
				t.Fatal(err)
			}
			journal = append(journal, e)
		}
	}
	for i, m := range []int64{100, 2_000, 30_000, 400_000} {
		do(one(l.RecordPayable(receipt(string(rune('A'+i)), eur(m)), t0, "h"))(t))
	}
	day := roadcover.Date{Year: 2026, Month: 12, Day: 8}
	do(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Payables: []PayableID{"A", "B"}, Maker: "m"}, policy, t0))(t))
	do(one(l.Cancel("B1", "m", t0))(t))
	do(one(l.CreateBatch(BatchRequest{ID: "B2", Currency: "EUR", Payables: []PayableID{"A", "B", "C"}, Maker: "m"}, policy, t0))(t))
	do(many(l.Release("B2", "a", day, t0))(t)...)
	do(many(l.ApplyOutcomes("B2", []Outcome{{"A", ResultPaid, "ACSC"}, {"B", ResultRejected, "AM04"}}, t0, "bank"))(t)...)
	do(one(l.Withdraw("D", t0, "h"))(t))
	r, err := Replay(journal)
	if err != nil {
		t.Fatal(err)
	}
	if !sameState(l, r) {
		t.Fatal("replayed ledger differs")
	}
	// A journal with a gap or out of order does not replay.
	_, err = Replay(append(slices.Clone(journal[:3]), journal[4:]...))
	wantReason(t, err, ReasonSequence)
}

func sameState(a, b *Ledger) bool {
	pa, pb := a.Payables(), b.Payables()
	if len(pa) != len(pb) || a.NextSeq() != b.NextSeq() {
		return false
	}
	for i := range pa {
		if pa[i].ID != pb[i].ID || pa[i].Status != pb[i].Status || pa[i].Batch != pb[i].Batch || len(pa[i].Rejections) != len(pb[i].Rejections) {
			return false
		}
	}
	for _, c := range a.Currencies() {
		for _, acct := range []Account{AccountExpense, AccountPayable, AccountBank} {
			if a.Balance(acct, c) != b.Balance(acct, c) {
				return false
			}
		}
	}
	return true
}

func TestRefusalsCarryCodes(t *testing.T) {
	for r, status := range map[Reason]int{ReasonPaidTwice: 409, ReasonMakerApproves: 409, ReasonSameApprover: 409, ReasonUnknownBatch: 404, ReasonUnbalanced: 422} {
		p := roadcover.ProblemFor(refuse(r, "x"))
		if p.Status != status {
			t.Errorf("%s: status %d; want %d", r, p.Status, status)
		}
	}
	if ReasonOf(errors.New("x")) != "" || ReasonOf(refuse(ReasonDuplicate, "x")) != ReasonDuplicate {
		t.Error("ReasonOf")
	}
}

func TestBatchesInIDOrder(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", sek(200)))
	apply := must(t, l)
	apply(one(l.CreateBatch(BatchRequest{ID: "B2", Currency: "SEK", Maker: "m"}, policy, t0))(t))
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	bs := l.Batches()
	if len(bs) != 2 || bs[0].ID != "B1" || bs[1].ID != "B2" || bs[1].Members[0] != "P2" {
		t.Fatalf("batches %+v", bs)
	}
	bs[0].Members[0] = "X"
	if b, _ := l.Batch("B1"); b.Members[0] != "P1" {
		t.Fatal("a listed batch shares its members with the ledger")
	}
}

func TestReleasedBatch(t *testing.T) {
	l := book(t, receipt("P1", eur(100)), receipt("P2", eur(200)))
	apply := must(t, l)
	apply(one(l.CreateBatch(BatchRequest{ID: "B1", Currency: "EUR", Maker: "m"}, policy, t0))(t))
	_, err := l.ReleasedBatch("B1")
	wantReason(t, err, ReasonBatchState)
	apply(many(l.Release("B1", "a", roadcover.Date{Year: 2026, Month: 12, Day: 8}, t0.Add(time.Hour)))(t)...)
	r, err := l.ReleasedBatch("B1")
	if err != nil || len(r.Payments) != 2 || r.Payments[1].ID != "P2" || r.Batch.ReleasedAt != t0.Add(time.Hour) {
		t.Fatalf("%+v %v", r, err)
	}
	_, err = l.ReleasedBatch("B9")
	wantReason(t, err, ReasonUnknownBatch)
	_, err = l.ApplyOutcomes("B9", nil, t0, "bank")
	wantReason(t, err, ReasonUnknownBatch)
}
