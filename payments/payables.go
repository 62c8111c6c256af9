package payments

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"roadcover"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
	"roadcover/terms"
)

// PayableRequest is an amount roadcover owes: a receipt line of an
// assistance case or a line of an insurance claim's settlement, approved
// by whoever checked it, with the payee and the clause it rests on.
type PayableRequest struct {
	Source ledger.Source
	Payee  payee.Payee // id, name and account: stored (or updated) with the payable
	Amount roadcover.Money
	// Terms and Clause name what the amount rests on: a terms version id
	// (terms.ByID) and a clause number of its index.
	Terms, Clause string
	// Reference is the text the payee sees with the payment (at most 140
	// characters; a bank file may shorten or transliterate it).
	Reference string
}

// check adds every bad field of r to e, each path prefixed with prefix, and
// returns r with its payee in canonical form.
func (r PayableRequest) check(prefix string, e *roadcover.InputError) PayableRequest {
	switch r.Source.Kind {
	case ledger.SourceAssistanceReceipt, ledger.SourceInsuranceClaim:
	default:
		e.Add(prefix+"source.kind", roadcover.CodeInvalidInput, "must be assistance_receipt or insurance_claim")
	}
	if strings.TrimSpace(r.Source.ID) == "" || len(r.Source.ID) > 200 {
		e.Add(prefix+"source.id", roadcover.CodeInvalidInput, "is required: the case or claim id (at most 200 bytes)")
	}
	if strings.TrimSpace(r.Source.Line) == "" || len(r.Source.Line) > 64 {
		e.Add(prefix+"source.line", roadcover.CodeInvalidInput, "is required: the receipt or settlement line (at most 64 bytes)")
	}
	r.Payee = payee.Check(r.Payee, prefix+"payee.", e)
	if len(r.Amount.Currency) != 3 || strings.ToUpper(r.Amount.Currency) != r.Amount.Currency {
		e.Add(prefix+"currency", roadcover.CodeInvalidInput, "must be an ISO 4217 code such as EUR or SEK")
	}
	if r.Amount.Minor <= 0 {
		e.Add(prefix+"amount", roadcover.CodeInvalidInput, "must be more than zero")
	}
	v, ok := terms.ByID(r.Terms)
	switch {
	case r.Terms == "":
		e.Add(prefix+"terms", roadcover.CodeInvalidInput, "is required: the terms version the amount rests on")
	case !ok:
		e.Add(prefix+"terms", roadcover.CodeInvalidInput, fmt.Sprintf("no terms version %q", r.Terms))
	case r.Clause == "":
		e.Add(prefix+"clause", roadcover.CodeInvalidInput, "is required: the clause the amount rests on")
	case !v.HasClause(r.Clause):
		e.Add(prefix+"clause", roadcover.CodeInvalidInput, fmt.Sprintf("%s has no clause %q", r.Terms, r.Clause))
	}
	if !utf8.ValidString(r.Reference) || utf8.RuneCountInString(r.Reference) > 140 {
		e.Add(prefix+"reference", roadcover.CodeInvalidInput, "must be valid text of at most 140 characters")
	}
	return r
}

// Recorded is what recording a payable did.
type Recorded struct {
	Payable ledger.PayableState
	// Created is false when the source line already had this payable (the
	// same payee and amount): nothing new was recorded.
	Created bool
}

// RecordPayable records one payable; see RecordPayables.
func (s *Service) RecordPayable(ctx context.Context, tx store.Tx, a store.Actor, r PayableRequest) (Recorded, error) {
	out, err := s.RecordPayables(ctx, tx, a, []PayableRequest{r})
	if err != nil {
		var ie *roadcover.InputError
		if errors.As(err, &ie) {
			for i := range ie.Errors {
				ie.Errors[i].Field = strings.TrimPrefix(ie.Errors[i].Field, "0.")
			}
		}
		return Recorded{}, err
	}
	return out[0], nil
}

// RecordPayables records payables (a settlement's lines, a case's
// receipts) in one go, with their payees' details. Each source line holds
// at most one payable that is not withdrawn: recording it again with the
// same payee and amount gives the payable recorded before (so a retried
// call is harmless); with another payee or amount it is a conflict. A
// payable's id is "P-" and the number of its journal entry. Bad fields are
// named "<i>.source.id", "<i>.payee.account.iban", … for the i-th request.
func (s *Service) RecordPayables(ctx context.Context, tx store.Tx, a store.Actor, rs []PayableRequest) ([]Recorded, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	ie := &roadcover.InputError{}
	for i := range rs {
		rs[i] = rs[i].check(fmt.Sprintf("%d.", i), ie)
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	st, err := s.writable(ctx, tx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	bySource := map[ledger.Source]ledger.PayableState{}
	for _, p := range st.l.Payables() {
		if p.Status != ledger.StatusWithdrawn {
			bySource[p.Source] = p
		}
	}
	out := make([]Recorded, len(rs))
	var es []ledger.Entry
	next := st.l // entries of this call are applied in turn
	stored := map[string]payee.Payee{}
	for i, r := range rs {
		if prev, ok := bySource[r.Source]; ok {
			if prev.Payee != ledger.PayeeID(r.Payee.ID) || prev.Amount != r.Amount {
				return nil, roadcover.Errorf(roadcover.CodeConflict, fmt.Sprintf("%s %s line %s already has payable %s (%s to %s)",
					r.Source.Kind, r.Source.ID, r.Source.Line, prev.ID, prev.Amount, prev.Payee))
			}
			out[i] = Recorded{Payable: prev}
			continue
		}
		if err := s.putPayee(ctx, tx, r.Payee, stored, now); err != nil {
			return nil, err
		}
		p := ledger.Payable{
			ID:     ledger.PayableID(fmt.Sprintf("P-%d", next.NextSeq())),
			Source: r.Source, Payee: ledger.PayeeID(r.Payee.ID), Amount: r.Amount,
			Reference: r.Reference, Terms: r.Terms, Clause: r.Clause,
		}
		e, err := next.RecordPayable(p, now, actorOf(a))
		if err != nil {
			return nil, err
		}
		if err := next.Apply(e); err != nil {
			return nil, err
		}
		es = append(es, e)
		ps, _ := next.Payable(p.ID)
		bySource[r.Source] = ps
		out[i] = Recorded{Payable: ps, Created: true}
	}
	if err := s.append(ctx, tx, st, es); err != nil {
		return nil, err
	}
	return out, nil
}

// putPayee stores a payee's details unless they are stored as they are.
func (s *Service) putPayee(ctx context.Context, tx store.Tx, p payee.Payee, done map[string]payee.Payee, now time.Time) error {
	if prev, ok := done[p.ID]; ok && prev == p {
		return nil
	}
	old, err := tx.GetPayee(ctx, p.ID)
	switch {
	case err == nil && old.Payee == p:
		done[p.ID] = p
		return nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	if err := tx.PutPayee(ctx, store.Payee{Payee: p, CreatedAt: now, UpdatedAt: now}); err != nil {
		return err
	}
	done[p.ID] = p
	return nil
}

// Withdraw withdraws an open payable (one in no batch and not paid): the
// amount is no longer owed.
func (s *Service) Withdraw(ctx context.Context, tx store.Tx, a store.Actor, id ledger.PayableID) (ledger.PayableState, error) {
	st, err := s.writable(ctx, tx)
	if err != nil {
		return ledger.PayableState{}, err
	}
	e, err := st.l.Withdraw(id, s.now(), actorOf(a))
	if err != nil {
		return ledger.PayableState{}, err
	}
	if err := s.commit(ctx, tx, st, []ledger.Entry{e}); err != nil {
		return ledger.PayableState{}, err
	}
	p, _ := st.l.Payable(id)
	return p, nil
}

// PayableFilter selects payables; the zero value selects all.
type PayableFilter struct {
	SourceKind ledger.SourceKind // "" for any
	SourceID   string            // "" for any
	Status     ledger.Status     // "" for any
}

// Statuses are the states a payable filter may name.
var Statuses = []ledger.Status{ledger.StatusOpen, ledger.StatusInBatch, ledger.StatusSent, ledger.StatusPaid, ledger.StatusWithdrawn}

// Payables lists the payables f selects, in the order they were recorded.
func (s *Service) Payables(ctx context.Context, tx store.Tx, f PayableFilter) ([]ledger.PayableState, error) {
	st, err := s.state(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	var out []ledger.PayableState
	for _, p := range st.l.Payables() {
		if (f.SourceKind == "" || p.Source.Kind == f.SourceKind) && (f.SourceID == "" || p.Source.ID == f.SourceID) &&
			(f.Status == "" || p.Status == f.Status) {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b ledger.PayableState) int { return compareIDs(string(a.ID), string(b.ID)) })
	return out, nil
}

// Payable returns one payable.
func (s *Service) Payable(ctx context.Context, tx store.Tx, id ledger.PayableID) (ledger.PayableState, error) {
	st, err := s.state(ctx, tx, false)
	if err != nil {
		return ledger.PayableState{}, err
	}
	p, ok := st.l.Payable(id)
	if !ok {
		return ledger.PayableState{}, roadcover.Errorf(roadcover.CodeNotFound, "no payable "+string(id))
	}
	return p, nil
}

// compareIDs orders "P-9" before "P-10": ids of the form prefix-number by
// their number, others as text.
func compareIDs(a, b string) int {
	na, oka := idNumber(a)
	nb, okb := idNumber(b)
	if oka && okb && a[:2] == b[:2] {
		switch {
		case na < nb:
			return -1
		case na > nb:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}

func idNumber(s string) (int64, bool) {
	if len(s) < 3 || s[1] != '-' {
		return 0, false
	}
	var n int64
	for _, c := range s[2:] {
		if c < '0' || c > '9' || n > (1<<62)/10 {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
