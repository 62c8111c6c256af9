package httpapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/sites"
	"roadcover/store"
)

// EnsureAdmin creates an admin token when the store has no usable one and
// returns its secret (to be shown once); "" when one exists.
func EnsureAdmin(ctx context.Context, st store.Store, d *desk.Desk) (string, error) {
	var secret string
	err := st.Update(ctx, func(tx store.Tx) error {
		var err error
		secret, err = d.EnsureAdmin(ctx, tx)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("httpapi: ensure admin token: %w", err)
	}
	return secret, nil
}

// SamplePartner is the id of the clearly labelled sample partner.
const SamplePartner = "sample-towing"

// SampleMark starts every free text of the sample data (names,
// descriptions, merchants, notes, reasons), so that nobody mistakes it for
// real customers.
const SampleMark = "SAMPLE DATA"

// The actors of the sample data: no person, each named for the part it
// stands in for. Tokens and accounts never have these ids.
var (
	// sampleDesk is the operator of the sample cases' choices, jobs and
	// receipts.
	sampleDesk = desk.Actor{TokenID: "sample-data-desk", Role: "system"}
	// sampleMaker makes the sample payment batch, sampleReleaser releases
	// it: two actors, as the ledger requires.
	sampleMaker    = store.Actor{TokenID: "sample-data-batch-maker", Role: "system"}
	sampleReleaser = store.Actor{TokenID: "sample-data-batch-releaser", Role: "system"}
)

// SeedSamples gives an empty store sample data that shows the whole
// product, made by the real desks inside one store transaction, exactly
// as the API would make it, with dates a few minutes to a few months
// before the server's clock:
//
//   - the sample partner and three assistance cases decided by the real
//     engine (seed_cases.go): one with a tow job done, the customer's
//     choice of hotel nights and two receipts (one checked and owed, one
//     that may duplicate it, waiting in the review queue), one fresh, one
//     closed;
//   - a Swedish motor policy and three claims under it (seed_claims.go):
//     one just reported, one settled with a payment released within the
//     handler's limit (owed), one paid, decided and closed;
//   - when payments leave from the SAMPLE debtor account, a released
//     batch with its pain.001 file that pays the closed claim.
//
// It does nothing (false) when the store holds any case, claim or ledger
// entry, so that it runs once, into an empty store.
func (s *Server) SeedSamples(ctx context.Context) (bool, error) {
	var empty, hasPartner bool
	err := s.st.View(ctx, func(tx store.Tx) error {
		var err error
		if empty, err = storeEmpty(ctx, tx); err != nil || !empty {
			return err
		}
		_, err = tx.GetPartner(ctx, SamplePartner)
		hasPartner = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil || !empty {
		return false, err
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		// Checked again where it is written, so that two servers starting
		// on one fresh store seed it once.
		if empty, err := storeEmpty(ctx, tx); err != nil || !empty {
			return err
		}
		now := s.now().UTC().Truncate(time.Minute)
		if err := s.seedCases(ctx, tx, now, hasPartner); err != nil {
			return err
		}
		return s.seedClaims(ctx, tx, now)
	})
	if err != nil {
		return false, fmt.Errorf("httpapi: seed samples: %w", err)
	}
	return true, nil
}

// storeEmpty reports whether the store holds no case, no claim and no
// ledger entry.
func storeEmpty(ctx context.Context, tx store.Tx) (bool, error) {
	cs, err := tx.ListCases(ctx, store.CaseFilter{Limit: 1})
	if err != nil || len(cs) > 0 {
		return false, err
	}
	cl, err := tx.ListClaims(ctx, store.ClaimFilter{Limit: 1})
	if err != nil || len(cl) > 0 {
		return false, err
	}
	_, err = tx.LedgerChain(ctx, 1)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// EnsureNetwork puts the service network into the store: the sites of
// file when one is named (merged into what the store holds), else, when
// the store holds no site, the embedded sample network (sites.Sample).
// Tow partners become desk partners. loaded is false when nothing was
// written.
func EnsureNetwork(ctx context.Context, st store.Store, d *desk.Desk, file string) (load desk.NetworkLoad, loaded bool, err error) {
	var list []roadcover.Site
	if file != "" {
		if list, err = sites.ReadFile(file); err != nil {
			return load, false, fmt.Errorf("httpapi: network file: %w", err)
		}
	} else {
		var stamp store.NetworkStamp
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			stamp, err = tx.NetworkStamp(ctx)
			return err
		}); err != nil {
			return load, false, fmt.Errorf("httpapi: network: %w", err)
		}
		if stamp.Sites > 0 {
			return load, false, nil
		}
		n, err := sites.Sample()
		if err != nil {
			return load, false, fmt.Errorf("httpapi: sample network: %w", err)
		}
		list = n.Sites()
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		var err error
		load, err = d.LoadNetwork(ctx, tx, list)
		return err
	})
	if err != nil {
		return load, false, fmt.Errorf("httpapi: load network: %w", err)
	}
	return load, true, nil
}
