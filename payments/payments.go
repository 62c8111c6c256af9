// Package payments is money out: the ledger (package ledger) kept in a
// store, with the payees it pays; payables recorded for receipt lines and
// claim settlements; payment batches made, approved and released as
// ISO 20022 pain.001 bank files (package iso20022), kept byte for byte;
// and the bank's pain.002 status reports applied back (a rejected payment
// is owed again).
//
// Every operation takes a store.Tx and runs inside the caller's
// transaction. One that writes takes the journal's lock first
// (store.LedgerTx.LockLedger), builds the ledger from the stored entries,
// runs a ledger step, appends the entries it returned and applies them; so
// two batches racing for one payable cannot both get it, and nothing is
// paid twice. The ledger a Service built last is kept with the chain value
// of its last entry: the next operation reads only the entries after it,
// after checking that the stored chain at that point is the one it holds
// (an operation whose transaction rolled back leaves a state that no
// longer matches, and the journal is then read again from the start).
//
// The chain of an entry is the SHA-256 of the previous entry's chain and
// the entry's fields (Chain); every entry read from a store is checked
// against it, so a journal edited outside the service is noticed.
//
// The package does no I/O and reads no clock: the clock, the approval
// policy and our debtor accounts are passed in.
package payments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"roadcover"
	"roadcover/iso20022"
	"roadcover/ledger"
	"roadcover/store"
)

// Config is what a Service is configured with.
type Config struct {
	// Policy says above which batch total (per currency) a second approver
	// is needed.
	Policy ledger.Policy
	// Debtor is who pays: our name and our accounts, one per currency.
	Debtor iso20022.Debtor
}

// Service runs payments over a store. It is safe for concurrent use; a
// Service serves one store (over another it reads the whole journal on
// every operation, which is correct but slow).
type Service struct {
	cfg   Config
	clock func() time.Time

	mu   sync.Mutex
	last *snapshot // the ledger built last (nil: none yet)
}

// snapshot is a ledger built from the journal up to entry tip, whose chain
// value is chain. Its ledger is never changed: operations work on clones.
type snapshot struct {
	l     *ledger.Ledger
	tip   int64
	chain []byte
}

// New returns a Service with configuration cfg and clock.
func New(cfg Config, clock func() time.Time) *Service {
	return &Service{cfg: cfg, clock: clock}
}

// Config is the service's configuration.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// Chain is the chain value of entry e following an entry whose chain value
// is prev (nil for the first entry): the SHA-256 of prev and every field of
// e, each written with its length, so that no two different entries give
// the same bytes.
func Chain(prev []byte, e ledger.Entry) []byte {
	h := sha256.New()
	var n [8]byte
	num := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	str := func(s string) {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	str(string(prev))
	num(e.Seq)
	str(string(e.Kind))
	num(e.At.UnixMicro())
	str(e.Actor)
	str(string(e.Payable))
	str(string(e.Batch))
	str(string(e.Source.Kind))
	str(e.Source.ID)
	str(e.Source.Line)
	str(string(e.Payee))
	num(e.Amount.Minor)
	str(e.Amount.Currency)
	str(e.Reference)
	str(e.Terms)
	str(e.Clause)
	num(int64(e.ApprovalsRequired))
	if e.ExecutionDate.IsZero() {
		str("")
	} else {
		str(e.ExecutionDate.String())
	}
	str(string(e.Cause))
	str(e.Reason)
	num(int64(len(e.Postings)))
	for _, p := range e.Postings {
		str(string(p.Account))
		num(p.Amount.Minor)
		str(p.Amount.Currency)
		str(string(p.Source.Kind))
		str(p.Source.ID)
		str(p.Source.Line)
		str(string(p.Payee))
	}
	num(int64(len(e.Members)))
	for _, m := range e.Members {
		str(string(m))
	}
	return h.Sum(nil)
}

// ErrJournal is wrapped by errors about the stored journal itself: an entry
// that does not match its chain, or that the ledger refuses on replay.
var ErrJournal = errors.New("payments: the stored journal is not consistent")

// state is the ledger as the transaction sees it, with the chain value of
// its last entry. With mutable it is a copy the caller may apply entries
// to; otherwise it may be shared and must only be read.
func (s *Service) state(ctx context.Context, tx store.Tx, mutable bool) (*state, error) {
	s.mu.Lock()
	snap := s.last
	s.mu.Unlock()
	st := &state{}
	if snap != nil {
		c, err := tx.LedgerChain(ctx, snap.tip)
		switch {
		case err == nil && bytes.Equal(c, snap.chain):
			st.base, st.tip, st.chain = snap.l, snap.tip, snap.chain
		case err == nil || errors.Is(err, store.ErrNotFound) && mutable:
			// Another entry under that number, or none where a writer
			// sees every commit: the snapshot held entries of a rolled-back
			// transaction. Read all.
			s.forget(snap)
		case errors.Is(err, store.ErrNotFound):
			// A read-only snapshot older than what we hold: read all.
		default:
			return nil, err
		}
	}
	es, err := tx.LedgerEntries(ctx, st.tip)
	if err != nil {
		return nil, err
	}
	if st.base == nil {
		st.l = ledger.New()
	} else if mutable || len(es) > 0 {
		st.l = st.base.Clone()
	} else {
		st.l = st.base
	}
	for _, e := range es {
		want := Chain(st.chain, e.Entry)
		if !bytes.Equal(want, e.Chain) {
			return nil, fmt.Errorf("%w: entry %d does not match its chain", ErrJournal, e.Seq)
		}
		if err := st.l.Apply(e.Entry); err != nil {
			return nil, fmt.Errorf("%w: entry %d: %w", ErrJournal, e.Seq, err)
		}
		st.tip, st.chain = e.Seq, want
	}
	if !mutable && (len(es) > 0 || st.base == nil) {
		s.remember(st) // a writer's state is kept once its entries are appended
	}
	return st, nil
}

// state is a ledger being worked on and where its journal ends.
type state struct {
	l     *ledger.Ledger
	base  *ledger.Ledger // the snapshot it was cloned from (nil: none)
	tip   int64
	chain []byte
}

// remember keeps st as the last snapshot when it is at least as far along
// as the one kept. Its ledger must not change afterwards.
func (s *Service) remember(st *state) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last != nil && s.last.tip > st.tip {
		return
	}
	s.last = &snapshot{l: st.l, tip: st.tip, chain: st.chain}
}

// forget drops snap if it is still the one kept.
func (s *Service) forget(snap *snapshot) {
	s.mu.Lock()
	if s.last == snap {
		s.last = nil
	}
	s.mu.Unlock()
}

// commit applies entries the ledger returned for st (numbered from its
// next seq) to st and appends them to the journal.
func (s *Service) commit(ctx context.Context, tx store.Tx, st *state, es []ledger.Entry) error {
	for _, e := range es {
		if err := st.l.Apply(e); err != nil {
			return fmt.Errorf("payments: an entry the ledger built was refused: %w", err)
		}
	}
	return s.append(ctx, tx, st, es)
}

// append appends entries already applied to st to the journal, with their
// chain values.
func (s *Service) append(ctx context.Context, tx store.Tx, st *state, es []ledger.Entry) error {
	if len(es) == 0 {
		return nil
	}
	rows := make([]store.LedgerEntry, len(es))
	chain := st.chain
	for i, e := range es {
		chain = Chain(chain, e)
		rows[i] = store.LedgerEntry{Entry: e, Chain: chain}
	}
	if err := tx.AppendLedger(ctx, rows); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return roadcover.Errorf(roadcover.CodeConflict, "the journal moved on while this ran; try again")
		}
		return err
	}
	st.tip, st.chain = es[len(es)-1].Seq, chain
	s.remember(st) // the operation changes st no more
	return nil
}

// writable locks the journal and returns a state to apply entries to.
func (s *Service) writable(ctx context.Context, tx store.Tx) (*state, error) {
	if err := tx.LockLedger(ctx); err != nil {
		return nil, err
	}
	return s.state(ctx, tx, true)
}

// Ledger is the ledger as tx sees it: a copy the caller may keep.
func (s *Service) Ledger(ctx context.Context, tx store.Tx) (*ledger.Ledger, error) {
	st, err := s.state(ctx, tx, false)
	if err != nil {
		return nil, err
	}
	return st.l.Clone(), nil
}

// actorOf is how the journal names a caller: its token id. The maker and
// the approvers of a batch are told apart by it.
func actorOf(a store.Actor) string { return a.TokenID }
