package httpapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/authtoken"
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

// sampleAccounts are the accounts of the sample data, one for each role
// whose page shows it: the claims handler's limit lets it approve the
// sample payment that waits for a second handler.
var sampleAccounts = []desk.AccountRequest{
	{Email: "operator@localhost", Name: SampleMark + " – Operator", Role: desk.RoleOperator},
	{Email: "claims@localhost", Name: SampleMark + " – Claims handler", Role: desk.RoleClaims, PaymentLimit: 100_000_00},
	{Email: "payments@localhost", Name: SampleMark + " – Payments clerk", Role: desk.RolePayments},
}

// SampleAccount is the first sign-in of a sample account: its one-time
// password is shown once and changed at the first sign-in.
type SampleAccount struct {
	Role, Email, Password string
}

// Samples is what SeedSamples wrote.
type Samples struct {
	// Seeded is false when the store was not empty and nothing was
	// written.
	Seeded bool
	// Accounts are the sample accounts made (an email the store already
	// has is left out).
	Accounts []SampleAccount
}

// SeedSamples gives an empty store sample data that lets every role try
// its page at once, made by the real desks inside one store transaction,
// exactly as the API would make it, with dates a few minutes to a few
// months before the server's clock:
//
//   - the sample partner and three assistance cases decided by the real
//     engine (seed_cases.go): one with a tow job done, the customer's
//     choice of hotel nights and three hotel receipts (one checked and
//     owed, one cut to the limit per night and owed, one that may
//     duplicate the first, waiting in the review queue), one fresh, one
//     closed;
//   - two Swedish motor policies, each in two versions (one changed, one
//     given collision cover by 5.10 when the car's damage warranty ended),
//     and four claims under them (seed_claims.go): one just reported, one
//     settled with a payment owed and a reserve, one paid, decided and
//     closed, one whose payment waits for a second handler's approval;
//   - when payments leave from the SAMPLE debtor's account, a released
//     batch that pays the closed claim and a batch that pays the owed one,
//     waiting for a second payments clerk to release it;
//   - an account with a one-time password for the operator, the claims
//     handler and the payments clerk (sampleAccounts).
//
// It does nothing (Seeded false) when the store holds any case, claim or
// ledger entry, so that it runs once, into an empty store.
func (s *Server) SeedSamples(ctx context.Context) (Samples, error) {
	var out Samples
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
		return out, err
	}
	// Passwords are hashed before the transaction, as NewAccount does.
	passwords := make([]string, len(sampleAccounts))
	hashes := make([]string, len(sampleAccounts))
	for i := range sampleAccounts {
		passwords[i] = authtoken.NewPassword()
		hashes[i] = authtoken.HashPassword(passwords[i])
	}
	err = s.st.Update(ctx, func(tx store.Tx) error {
		out = Samples{}
		// Checked again where it is written, so that two servers starting
		// on one fresh store seed it once.
		if empty, err := storeEmpty(ctx, tx); err != nil || !empty {
			return err
		}
		now := s.now().UTC().Truncate(time.Minute)
		if err := s.seedCases(ctx, tx, now, hasPartner); err != nil {
			return err
		}
		if err := s.seedClaims(ctx, tx, now); err != nil {
			return err
		}
		for i, r := range sampleAccounts {
			_, err := tx.AccountByEmail(ctx, r.Email)
			if err == nil {
				continue
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if _, err := s.desk.CreateAccount(ctx, tx, r, hashes[i], true); err != nil {
				return fmt.Errorf("httpapi: sample account %s: %w", r.Email, err)
			}
			out.Accounts = append(out.Accounts, SampleAccount{Role: r.Role, Email: r.Email, Password: passwords[i]})
		}
		out.Seeded = true
		return nil
	})
	if err != nil {
		return Samples{}, fmt.Errorf("httpapi: seed samples: %w", err)
	}
	return out, nil
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
