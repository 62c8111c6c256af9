package ledger

import (
	"slices"
	"strings"
	"unicode/utf8"

	"roadcover"
	"roadcover/payee"
)

// Apply adds one entry to the ledger after checking it against the state:
// the next sequence number, the fields of its kind, postings that sum to
// zero and are those of its kind, and the rules of payables and batches.
// A refused entry leaves the ledger unchanged.
func (l *Ledger) Apply(e Entry) error {
	if e.Seq != l.next {
		return refuse(ReasonSequence, "entry %d applied where entry %d is next", e.Seq, l.next)
	}
	if e.At.IsZero() {
		return refuse(ReasonInvalid, "entry %d has no time", e.Seq)
	}
	if strings.TrimSpace(e.Actor) == "" {
		return refuse(ReasonInvalid, "entry %d has no actor", e.Seq)
	}
	var err error
	switch e.Kind {
	case KindPayable:
		err = l.applyPayable(e)
	case KindPayment:
		err = l.applyPayment(e)
	case KindReversal:
		err = l.applyReversal(e)
	case KindBatchCreated:
		err = l.applyBatchCreated(e)
	case KindBatchApproved:
		err = l.applyBatchApproved(e)
	case KindBatchReleased:
		err = l.applyBatchReleased(e)
	case KindBatchCancelled:
		err = l.applyBatchCancelled(e)
	case KindPaymentConfirmed:
		err = l.applyPaymentConfirmed(e)
	default:
		err = refuse(ReasonInvalid, "entry %d has unknown kind %q", e.Seq, e.Kind)
	}
	if err != nil {
		return err
	}
	l.next++
	return nil
}

// noPostings refuses postings on a workflow entry.
func noPostings(e Entry) error {
	if len(e.Postings) > 0 {
		return refuse(ReasonPostings, "a %s entry carries no postings", e.Kind)
	}
	return nil
}

// expectedPostings is the pair of postings an entry of kind must carry for a
// payable p of amount m: a debit of m and a credit of m.
func expectedPostings(debit, credit Account, p *PayableState) []Posting {
	neg := roadcover.Money{Minor: -p.Amount.Minor, Currency: p.Amount.Currency}
	return []Posting{
		{Account: debit, Amount: p.Amount, Source: p.Source, Payee: p.Payee},
		{Account: credit, Amount: neg, Source: p.Source, Payee: p.Payee},
	}
}

// checkPostings refuses postings that do not sum to zero per currency (and
// per source, payee and currency), then postings other than want.
func checkPostings(e Entry, want []Posting) error {
	type group struct {
		src   Source
		payee PayeeID
		cur   string
	}
	sums := map[group]int64{}
	for i, p := range e.Postings {
		if !validCurrency(p.Amount.Currency) {
			return refuse(ReasonInvalid, "entry %d posting %d: currency %q is not an ISO 4217 code", e.Seq, i+1, p.Amount.Currency)
		}
		g := group{p.Source, p.Payee, p.Amount.Currency}
		s, ok := roadcover.AddMinor(sums[g], p.Amount.Minor)
		if !ok {
			return refuse(ReasonOverflow, "entry %d: postings overflow", e.Seq)
		}
		sums[g] = s
	}
	for g, s := range sums {
		if s != 0 {
			return refuse(ReasonUnbalanced, "entry %d: %s postings for %s %s, payee %s sum to %d", e.Seq, g.cur, g.src.Kind, g.src.ID, g.payee, s)
		}
	}
	if !slices.Equal(e.Postings, want) {
		return refuse(ReasonPostings, "entry %d: a %s entry posts its amount from %s to %s", e.Seq, e.Kind, want[1].Account, want[0].Account)
	}
	return nil
}

// post adds postings to the balances, refusing (and changing nothing) when a
// balance would overflow. An entry has a handful of postings, so the new
// values are kept in a short list rather than a map.
func (l *Ledger) post(e Entry) error {
	type slot struct {
		where int // 0 ledger, 1 source, 2 payee
		src   sourceKey
		payee PayeeID
		k     balanceKey
		val   int64
	}
	var buf [8]slot
	next := buf[:0]
	for _, p := range e.Postings {
		k := balanceKey{p.Account, p.Amount.Currency}
		sk := sourceKey{p.Source.Kind, p.Source.ID}
		for where := 0; where < 3; where++ {
			s := slot{where: where, k: k}
			switch where {
			case 1:
				s.src = sk
			case 2:
				s.payee = p.Payee
			}
			i := 0
			for i < len(next) && (next[i].where != s.where || next[i].k != s.k || next[i].src != s.src || next[i].payee != s.payee) {
				i++
			}
			if i == len(next) {
				switch where {
				case 0:
					s.val = l.total[k]
				case 1:
					s.val = l.bySource[sk][k]
				case 2:
					s.val = l.byPayee[p.Payee][k]
				}
				next = append(next, s)
			}
			n, ok := roadcover.AddMinor(next[i].val, p.Amount.Minor)
			if !ok {
				return refuse(ReasonOverflow, "entry %d: the %s %s balance would overflow", e.Seq, k.Account, k.Currency)
			}
			next[i].val = n
		}
	}
	for _, s := range next {
		switch s.where {
		case 0:
			l.total[s.k] = s.val
		case 1:
			if l.bySource[s.src] == nil {
				l.bySource[s.src] = balances{}
			}
			l.bySource[s.src][s.k] = s.val
		case 2:
			if l.byPayee[s.payee] == nil {
				l.byPayee[s.payee] = balances{}
			}
			l.byPayee[s.payee][s.k] = s.val
		}
	}
	return nil
}

func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// checkPayable refuses a payable whose fields are missing or malformed.
func checkPayable(p Payable) *roadcover.InputError {
	e := &roadcover.InputError{}
	if !payee.ValidID(string(p.ID)) {
		e.Add("id", "", "must be 1 to 64 letters, digits, '.', ':' or '-'")
	}
	switch p.Source.Kind {
	case SourceAssistanceReceipt, SourceInsuranceClaim:
	default:
		e.Add("source.kind", "", "must be assistance_receipt or insurance_claim")
	}
	if strings.TrimSpace(p.Source.ID) == "" {
		e.Add("source.id", "", "is required: the case or claim id")
	}
	if strings.TrimSpace(p.Source.Line) == "" {
		e.Add("source.line", "", "is required: the receipt or settlement line")
	}
	if !payee.ValidID(string(p.Payee)) {
		e.Add("payee", "", "must be a payee id: 1 to 64 letters, digits, '.', ':' or '-'")
	}
	if !validCurrency(p.Amount.Currency) {
		e.Add("amount.currency", "", "must be an ISO 4217 code such as EUR or SEK")
	}
	if p.Amount.Minor <= 0 {
		e.Add("amount", "", "must be more than zero")
	}
	if !utf8.ValidString(p.Reference) || utf8.RuneCountInString(p.Reference) > 140 {
		e.Add("reference", "", "must be valid text of at most 140 characters")
	}
	if !utf8.ValidString(p.Terms) || len(p.Terms) > 64 {
		e.Add("terms", "", "must be valid text of at most 64 bytes")
	}
	if !utf8.ValidString(p.Clause) || len(p.Clause) > 64 {
		e.Add("clause", "", "must be valid text of at most 64 bytes")
	}
	if e.Err() == nil {
		return nil
	}
	return e
}

func (l *Ledger) applyPayable(e Entry) error {
	p := Payable{ID: e.Payable, Source: e.Source, Payee: e.Payee, Amount: e.Amount, Reference: e.Reference, Terms: e.Terms, Clause: e.Clause}
	if ie := checkPayable(p); ie != nil {
		return refuse(ReasonInvalid, "entry %d: %s", e.Seq, ie.Error())
	}
	if e.Batch != "" || len(e.Members) > 0 || e.Cause != "" {
		return refuse(ReasonInvalid, "entry %d: a payable entry names no batch, members or cause", e.Seq)
	}
	if _, dup := l.payables[p.ID]; dup {
		return refuse(ReasonDuplicate, "payable %s is already recorded", p.ID)
	}
	st := &PayableState{Payable: p, Status: StatusOpen, RecordedAt: e.At}
	if err := checkPostings(e, expectedPostings(AccountExpense, AccountPayable, st)); err != nil {
		return err
	}
	if err := l.post(e); err != nil {
		return err
	}
	l.payables[p.ID] = st
	return nil
}

func (l *Ledger) lookup(e Entry) (*PayableState, error) {
	p, ok := l.payables[e.Payable]
	if !ok {
		return nil, refuse(ReasonUnknownPayable, "entry %d: no payable %s", e.Seq, e.Payable)
	}
	if e.Amount != p.Amount {
		return nil, refuse(ReasonAmountMismatch, "entry %d: amount %s is not the payable's %s", e.Seq, e.Amount, p.Amount)
	}
	return p, nil
}

func (l *Ledger) applyPayment(e Entry) error {
	p, ok := l.payables[e.Payable]
	if !ok {
		return refuse(ReasonUnknownPayable, "entry %d: no payable %s", e.Seq, e.Payable)
	}
	if l.paid[p.ID] > 0 || p.Status == StatusSent || p.Status == StatusPaid {
		return refuse(ReasonPaidTwice, "payable %s is already paid or on its way in batch %s", p.ID, p.Batch)
	}
	if _, err := l.lookup(e); err != nil {
		return err
	}
	b, ok := l.batches[e.Batch]
	if !ok {
		return refuse(ReasonUnknownBatch, "entry %d: no batch %s", e.Seq, e.Batch)
	}
	if b.Status != BatchReleased {
		return refuse(ReasonBatchState, "batch %s is %s: payments are booked only on release", b.ID, b.Status)
	}
	if p.Status != StatusInBatch || p.Batch != b.ID {
		return refuse(ReasonNotInBatch, "payable %s is not in batch %s", p.ID, b.ID)
	}
	if err := checkPostings(e, expectedPostings(AccountPayable, AccountBank, p)); err != nil {
		return err
	}
	if err := l.post(e); err != nil {
		return err
	}
	p.Status = StatusSent
	l.paid[p.ID]++
	return nil
}

func (l *Ledger) applyReversal(e Entry) error {
	p, err := l.lookup(e)
	if err != nil {
		return err
	}
	switch e.Cause {
	case CauseWithdrawn:
		switch p.Status {
		case StatusOpen:
		case StatusWithdrawn:
			return refuse(ReasonNotOpen, "payable %s is already withdrawn", p.ID)
		case StatusInBatch:
			return refuse(ReasonInTwoBatches, "payable %s is in batch %s: cancel the batch first", p.ID, p.Batch)
		default:
			return refuse(ReasonPaidTwice, "payable %s is %s in batch %s and cannot be withdrawn", p.ID, p.Status, p.Batch)
		}
		if e.Batch != "" {
			return refuse(ReasonInvalid, "entry %d: a withdrawal names no batch", e.Seq)
		}
		if err := checkPostings(e, expectedPostings(AccountPayable, AccountExpense, p)); err != nil {
			return err
		}
		if err := l.post(e); err != nil {
			return err
		}
		p.Status = StatusWithdrawn
		return nil
	case CauseRejected:
		b, ok := l.batches[e.Batch]
		if !ok {
			return refuse(ReasonUnknownBatch, "entry %d: no batch %s", e.Seq, e.Batch)
		}
		if p.Batch != b.ID || (p.Status != StatusSent && p.Status != StatusPaid) {
			return refuse(ReasonNotInBatch, "payable %s has no payment in batch %s to reverse", p.ID, b.ID)
		}
		if p.Status == StatusPaid {
			return refuse(ReasonConfirmedPaid, "the bank confirmed payable %s paid in batch %s", p.ID, b.ID)
		}
		if strings.TrimSpace(e.Reason) == "" {
			return refuse(ReasonInvalid, "entry %d: a rejection names the bank's reason code", e.Seq)
		}
		if err := checkPostings(e, expectedPostings(AccountBank, AccountPayable, p)); err != nil {
			return err
		}
		if err := l.post(e); err != nil {
			return err
		}
		p.Status = StatusOpen
		p.Batch = ""
		p.Rejections = append(p.Rejections, Rejection{Batch: b.ID, Reason: e.Reason, At: e.At})
		l.paid[p.ID]--
		b.Outcomes[p.ID] = Outcome{Payable: p.ID, Result: ResultRejected, Code: e.Reason}
		return nil
	default:
		return refuse(ReasonInvalid, "entry %d: a reversal's cause is rejected or withdrawn, not %q", e.Seq, e.Cause)
	}
}

func (l *Ledger) applyPaymentConfirmed(e Entry) error {
	if err := noPostings(e); err != nil {
		return err
	}
	p, ok := l.payables[e.Payable]
	if !ok {
		return refuse(ReasonUnknownPayable, "entry %d: no payable %s", e.Seq, e.Payable)
	}
	b, ok := l.batches[e.Batch]
	if !ok {
		return refuse(ReasonUnknownBatch, "entry %d: no batch %s", e.Seq, e.Batch)
	}
	if p.Batch != b.ID {
		return refuse(ReasonNotInBatch, "payable %s has no payment in batch %s", p.ID, b.ID)
	}
	switch p.Status {
	case StatusSent:
	case StatusPaid:
		return refuse(ReasonConfirmedPaid, "payable %s is already confirmed paid in batch %s", p.ID, b.ID)
	default:
		return refuse(ReasonNotInBatch, "payable %s is %s, not sent in batch %s", p.ID, p.Status, b.ID)
	}
	p.Status = StatusPaid
	b.Outcomes[p.ID] = Outcome{Payable: p.ID, Result: ResultPaid, Code: e.Reason}
	return nil
}

func (l *Ledger) applyBatchCreated(e Entry) error {
	if err := noPostings(e); err != nil {
		return err
	}
	if !payee.ValidID(string(e.Batch)) {
		return refuse(ReasonInvalid, "entry %d: batch id %q is not 1 to 64 letters, digits, '.', ':' or '-'", e.Seq, e.Batch)
	}
	if _, dup := l.batches[e.Batch]; dup {
		return refuse(ReasonDuplicate, "batch %s already exists", e.Batch)
	}
	if len(e.Members) == 0 {
		return refuse(ReasonEmptyBatch, "batch %s has no payables", e.Batch)
	}
	if e.ApprovalsRequired != 1 && e.ApprovalsRequired != 2 {
		return refuse(ReasonInvalid, "batch %s: approvals required is 1 or 2, not %d", e.Batch, e.ApprovalsRequired)
	}
	if !slices.IsSorted(e.Members) || len(slices.Compact(slices.Clone(e.Members))) != len(e.Members) {
		return refuse(ReasonInvalid, "batch %s: members are listed once each in ascending order", e.Batch)
	}
	if !validCurrency(e.Amount.Currency) {
		return refuse(ReasonInvalid, "batch %s: total has no currency", e.Batch)
	}
	var total int64
	for _, id := range e.Members {
		p, ok := l.payables[id]
		if !ok {
			return refuse(ReasonUnknownPayable, "batch %s: no payable %s", e.Batch, id)
		}
		if err := gatherable(p); err != nil {
			return err
		}
		if p.Amount.Currency != e.Amount.Currency {
			return refuse(ReasonCurrency, "batch %s is in %s; payable %s is in %s", e.Batch, e.Amount.Currency, id, p.Amount.Currency)
		}
		t, ok := roadcover.AddMinor(total, p.Amount.Minor)
		if !ok {
			return refuse(ReasonOverflow, "batch %s: the total overflows", e.Batch)
		}
		total = t
	}
	if total != e.Amount.Minor {
		return refuse(ReasonAmountMismatch, "batch %s: total %s is not the sum of its payables %s", e.Batch, e.Amount, roadcover.Money{Minor: total, Currency: e.Amount.Currency})
	}
	b := &Batch{
		ID: e.Batch, Status: BatchDraft, Currency: e.Amount.Currency, Total: e.Amount,
		Members: slices.Clone(e.Members), Maker: e.Actor, ApprovalsRequired: e.ApprovalsRequired,
		CreatedAt: e.At, Outcomes: map[PayableID]Outcome{},
	}
	l.batches[b.ID] = b
	for _, id := range e.Members {
		p := l.payables[id]
		p.Status = StatusInBatch
		p.Batch = b.ID
	}
	return nil
}

// gatherable refuses a payable that cannot go into a new batch.
func gatherable(p *PayableState) error {
	switch p.Status {
	case StatusOpen:
		return nil
	case StatusInBatch:
		return refuse(ReasonInTwoBatches, "payable %s is already in batch %s", p.ID, p.Batch)
	case StatusSent, StatusPaid:
		return refuse(ReasonPaidTwice, "payable %s is already %s in batch %s", p.ID, p.Status, p.Batch)
	default:
		return refuse(ReasonNotOpen, "payable %s is %s", p.ID, p.Status)
	}
}

// draftBatch finds a batch that can still be approved, released or cancelled.
func (l *Ledger) draftBatch(e Entry) (*Batch, error) {
	if err := noPostings(e); err != nil {
		return nil, err
	}
	b, ok := l.batches[e.Batch]
	if !ok {
		return nil, refuse(ReasonUnknownBatch, "entry %d: no batch %s", e.Seq, e.Batch)
	}
	if b.Status != BatchDraft {
		return nil, refuse(ReasonBatchState, "batch %s is %s", b.ID, b.Status)
	}
	return b, nil
}

// checkApprover refuses the maker and anyone who already approved.
func checkApprover(b *Batch, actor string) error {
	if actor == b.Maker {
		return refuse(ReasonMakerApproves, "%s made batch %s and may not approve or release it", actor, b.ID)
	}
	if slices.Contains(b.Approvers, actor) {
		return refuse(ReasonSameApprover, "%s already approved batch %s", actor, b.ID)
	}
	return nil
}

func (l *Ledger) applyBatchApproved(e Entry) error {
	b, err := l.draftBatch(e)
	if err != nil {
		return err
	}
	if err := checkApprover(b, e.Actor); err != nil {
		return err
	}
	if len(b.Approvers)+1 >= b.ApprovalsRequired {
		return refuse(ReasonBatchState, "batch %s has the approvals it needs before release: release it", b.ID)
	}
	b.Approvers = append(b.Approvers, e.Actor)
	return nil
}

func (l *Ledger) applyBatchReleased(e Entry) error {
	b, err := l.draftBatch(e)
	if err != nil {
		return err
	}
	if err := checkApprover(b, e.Actor); err != nil {
		return err
	}
	if len(b.Approvers)+1 < b.ApprovalsRequired {
		return refuse(ReasonSecondApprover, "batch %s (%s) needs %d approvers: another approver first", b.ID, b.Total, b.ApprovalsRequired)
	}
	if e.ExecutionDate.IsZero() {
		return refuse(ReasonInvalid, "batch %s: a release names the execution date", b.ID)
	}
	b.Approvers = append(b.Approvers, e.Actor)
	b.Status = BatchReleased
	b.ReleasedAt = e.At
	b.ExecutionDate = e.ExecutionDate
	return nil
}

func (l *Ledger) applyBatchCancelled(e Entry) error {
	b, err := l.draftBatch(e)
	if err != nil {
		return err
	}
	b.Status = BatchCancelled
	b.CancelledAt = e.At
	for _, id := range b.Members {
		p := l.payables[id]
		p.Status = StatusOpen
		p.Batch = ""
	}
	return nil
}
