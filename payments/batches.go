package payments

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"

	"roadcover"
	"roadcover/iso20022"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/store"
)

// FileFormat is the format of the bank files released batches are kept in.
const FileFormat = "pain.001.001.03"

// BatchRequest is a maker's request for a batch: the open payables of one
// currency, all of them or those listed.
type BatchRequest struct {
	Currency string
	Payables []ledger.PayableID // empty: every open payable of the currency
}

// LeftOut is an open payable a batch that gathered all of them left out,
// because the bank file could not pay it as it stands (its payee's details,
// or no route for its account in the currency): the fields at fault, named
// as in a problem document.
type LeftOut struct {
	Payable ledger.PayableID       `json:"payable"`
	Errors  []roadcover.FieldError `json:"errors"`
}

// Created is a new batch and what it left out.
type Created struct {
	Batch   ledger.Batch
	LeftOut []LeftOut
}

// CreateBatch gathers open payables of one currency into a new draft batch
// whose maker is the caller. Its id is "B-" and the number of its journal
// entry. How many approvers it needs is fixed now from the policy. Every
// payable must be payable by the bank file: listed payables that are not
// are refused (naming the payee's fields), and when the batch gathers all
// open payables they are left out and listed in the answer.
func (s *Service) CreateBatch(ctx context.Context, tx store.Tx, a store.Actor, r BatchRequest) (Created, error) {
	ie := &roadcover.InputError{}
	if len(r.Currency) != 3 || strings.ToUpper(r.Currency) != r.Currency {
		ie.Add("currency", roadcover.CodeInvalidInput, "must be an ISO 4217 code such as EUR or SEK")
	} else if !s.paysIn(r.Currency) {
		ie.Add("currency", roadcover.CodeInvalidInput, "no account of ours pays in "+r.Currency+": payments leave in "+strings.Join(s.currencies(), ", "))
	}
	seen := map[ledger.PayableID]bool{}
	for i, id := range r.Payables {
		if seen[id] {
			ie.Add(fmt.Sprintf("payables.%d", i), roadcover.CodeInvalidInput, "lists "+string(id)+" twice")
		}
		seen[id] = true
	}
	if err := ie.Err(); err != nil {
		return Created{}, err
	}
	st, err := s.writable(ctx, tx)
	if err != nil {
		return Created{}, err
	}
	now := s.now()
	id := ledger.BatchID(fmt.Sprintf("B-%d", st.l.NextSeq()))
	members := slices.Clone(r.Payables)
	gather := len(members) == 0
	if gather {
		members = st.l.Open(r.Currency)
	}
	var out Created
	var ps []ledger.Payable
	for _, pid := range members {
		p, ok := st.l.Payable(pid)
		if !ok {
			return Created{}, roadcover.Errorf(roadcover.CodeNotFound, "no payable "+string(pid))
		}
		ps = append(ps, p.Payable)
	}
	payees, err := s.payees(ctx, tx, ps)
	if err != nil {
		return Created{}, err
	}
	trial := ledger.Released{Batch: ledger.Batch{ID: id, Currency: r.Currency, ExecutionDate: roadcover.DateOf(now), ReleasedAt: now}}
	if gather {
		// Try each payee's payables alone; leave out those the file refuses.
		var keep []ledger.PayableID
		byPayee := map[ledger.PayeeID][]ledger.Payable{}
		for _, p := range ps {
			byPayee[p.Payee] = append(byPayee[p.Payee], p)
		}
		refused := map[ledger.PayeeID][]roadcover.FieldError{}
		for pe, group := range byPayee {
			trial.Payments = group
			if _, err := iso20022.Initiate(trial, payees, s.cfg.Debtor); err != nil {
				var fe *roadcover.InputError
				if !errors.As(err, &fe) {
					return Created{}, err
				}
				refused[pe] = fe.Errors
			}
		}
		for _, p := range ps {
			if errs, bad := refused[p.Payee]; bad {
				out.LeftOut = append(out.LeftOut, LeftOut{Payable: p.ID, Errors: errs})
				continue
			}
			keep = append(keep, p.ID)
		}
		members = keep
		if len(members) == 0 && len(out.LeftOut) > 0 {
			e := &roadcover.InputError{}
			for _, lo := range out.LeftOut {
				for _, fe := range lo.Errors {
					e.Add(fe.Field, fe.Code, fe.Detail)
				}
			}
			return Created{}, e
		}
	} else {
		trial.Payments = ps
		if _, err := iso20022.Initiate(trial, payees, s.cfg.Debtor); err != nil {
			return Created{}, err
		}
	}
	e, err := st.l.CreateBatch(ledger.BatchRequest{ID: id, Currency: r.Currency, Payables: members, Maker: actorOf(a)}, s.cfg.Policy, now)
	if err != nil {
		return Created{}, err
	}
	if err := s.commit(ctx, tx, st, []ledger.Entry{e}); err != nil {
		return Created{}, err
	}
	out.Batch, _ = st.l.Batch(id)
	return out, nil
}

func (s *Service) paysIn(currency string) bool {
	for _, a := range s.cfg.Debtor.Accounts {
		if a.Currency == currency {
			return true
		}
	}
	return false
}

func (s *Service) currencies() []string {
	var out []string
	for _, a := range s.cfg.Debtor.Accounts {
		out = append(out, a.Currency)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Payees reads the payees of ps from the store, by id.
func (s *Service) Payees(ctx context.Context, tx store.Tx, ps []ledger.PayableState) (map[ledger.PayeeID]payee.Payee, error) {
	list := make([]ledger.Payable, len(ps))
	for i := range ps {
		list[i] = ps[i].Payable
	}
	return s.payees(ctx, tx, list)
}

// payees reads the payees of ps from the store.
func (s *Service) payees(ctx context.Context, tx store.Tx, ps []ledger.Payable) (map[ledger.PayeeID]payee.Payee, error) {
	var ids []string
	seen := map[ledger.PayeeID]bool{}
	for _, p := range ps {
		if !seen[p.Payee] {
			seen[p.Payee] = true
			ids = append(ids, string(p.Payee))
		}
	}
	list, err := tx.ListPayees(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[ledger.PayeeID]payee.Payee, len(list))
	for _, p := range list {
		out[ledger.PayeeID(p.ID)] = p.Payee
	}
	return out, nil
}

// Approve records the first approval of a draft batch that needs two. The
// maker may not approve, nor may anyone approve twice; a batch that needs
// no further approval is released instead (Release).
func (s *Service) Approve(ctx context.Context, tx store.Tx, a store.Actor, id ledger.BatchID) (ledger.Batch, error) {
	st, err := s.writable(ctx, tx)
	if err != nil {
		return ledger.Batch{}, err
	}
	e, err := st.l.Approve(id, actorOf(a), s.now())
	if err != nil {
		return ledger.Batch{}, err
	}
	if err := s.commit(ctx, tx, st, []ledger.Entry{e}); err != nil {
		return ledger.Batch{}, err
	}
	b, _ := st.l.Batch(id)
	return b, nil
}

// Released is a released batch and its bank file.
type Released struct {
	Batch ledger.Batch
	File  store.PaymentFile
}

// Release is the last approval of a draft batch, by someone who is neither
// its maker nor an earlier approver: it books one payment per payable,
// writes the batch's pain.001 file with our debtor account for its
// currency and keeps the file with the batch (the same bytes on every
// download). The execution date is the day the bank is asked to pay: the
// day of release when zero, else that day or later. A payee whose details
// the file cannot carry refuses the release, naming the fields, and
// nothing changes.
func (s *Service) Release(ctx context.Context, tx store.Tx, a store.Actor, id ledger.BatchID, execution roadcover.Date) (Released, error) {
	st, err := s.writable(ctx, tx)
	if err != nil {
		return Released{}, err
	}
	now := s.now()
	if execution.IsZero() {
		execution = roadcover.DateOf(now)
	}
	es, err := st.l.Release(id, actorOf(a), execution, now)
	if err != nil {
		return Released{}, err
	}
	for _, e := range es {
		if err := st.l.Apply(e); err != nil {
			return Released{}, fmt.Errorf("payments: an entry the ledger built was refused: %w", err)
		}
	}
	r, err := st.l.ReleasedBatch(id)
	if err != nil {
		return Released{}, err
	}
	payees, err := s.payees(ctx, tx, r.Payments)
	if err != nil {
		return Released{}, err
	}
	doc, err := iso20022.Pain001(r, payees, s.cfg.Debtor)
	if err != nil {
		return Released{}, err
	}
	sum := sha256.Sum256(doc)
	f := store.PaymentFile{Batch: string(id), MessageID: iso20022.MessageID(id), Format: FileFormat, Data: doc,
		SHA256: sum[:], Count: len(r.Payments), CreatedAt: now}
	if err := s.append(ctx, tx, st, es); err != nil {
		return Released{}, err
	}
	if err := tx.InsertPaymentFile(ctx, f); err != nil {
		return Released{}, err
	}
	return Released{Batch: r.Batch, File: f}, nil
}

// Cancel cancels a draft batch; its payables are open again.
func (s *Service) Cancel(ctx context.Context, tx store.Tx, a store.Actor, id ledger.BatchID) (ledger.Batch, error) {
	st, err := s.writable(ctx, tx)
	if err != nil {
		return ledger.Batch{}, err
	}
	e, err := st.l.Cancel(id, actorOf(a), s.now())
	if err != nil {
		return ledger.Batch{}, err
	}
	if err := s.commit(ctx, tx, st, []ledger.Entry{e}); err != nil {
		return ledger.Batch{}, err
	}
	b, _ := st.l.Batch(id)
	return b, nil
}

// Batch returns a batch.
func (s *Service) Batch(ctx context.Context, tx store.Tx, id ledger.BatchID) (ledger.Batch, error) {
	st, err := s.state(ctx, tx, false)
	if err != nil {
		return ledger.Batch{}, err
	}
	b, ok := st.l.Batch(id)
	if !ok {
		return ledger.Batch{}, roadcover.Errorf(roadcover.CodeNotFound, "no batch "+string(id))
	}
	return b, nil
}

// Batches lists the batches of a status ("" for all), newest first.
func (s *Service) Batches(ctx context.Context, tx store.Tx, status ledger.BatchStatus) ([]ledger.Batch, error) {
	st, err := s.state(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	var out []ledger.Batch
	for _, b := range st.l.Batches() {
		if status == "" || b.Status == status {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b ledger.Batch) int { return compareIDs(string(b.ID), string(a.ID)) })
	return out, nil
}

// BatchStatuses are the states a batch filter may name.
var BatchStatuses = []ledger.BatchStatus{ledger.BatchDraft, ledger.BatchReleased, ledger.BatchCancelled}

// PaymentFile returns the bank file of a released batch, as it was written
// at release.
func (s *Service) PaymentFile(ctx context.Context, tx store.Tx, id ledger.BatchID) (store.PaymentFile, error) {
	f, err := tx.GetPaymentFile(ctx, string(id))
	if errors.Is(err, store.ErrNotFound) {
		b, err := s.Batch(ctx, tx, id)
		if err != nil {
			return store.PaymentFile{}, err
		}
		return store.PaymentFile{}, roadcover.Errorf(roadcover.CodeConflict, fmt.Sprintf("batch %s is %s: only a released batch has a bank file", id, b.Status))
	}
	return f, err
}
