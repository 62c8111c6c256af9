package claimsdesk

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/ledger"
	"roadcover/payee"
	"roadcover/policies"
	"roadcover/store"
)

// Desk holds what the claims desk's operations are given.
type Desk struct {
	// Clock tells the time.
	Clock func() time.Time
	// NewID returns a new unique id with the prefix; claim and policy ids
	// are made of letters, digits and hyphens (the ledger's id alphabet).
	NewID func(prefix string) string
	// NewSecret returns a new secret with the prefix (links) and the hash a
	// store keeps of it.
	NewSecret func(prefix string) (secret string, hash []byte)
	// Payables takes the released payment orders; nil refuses every
	// release (ErrNoLedger) rather than let a payment bypass the ledger.
	Payables PayableRecorder

	decoded versionCache // policy versions decoded, by their stored bytes
}

// PayableRecorder is the ledger's side of a released payment order: it
// records the payable, owed to the payee, in the transaction that released
// the order (a failure rolls the release back).
type PayableRecorder interface {
	RecordPayable(ctx context.Context, tx store.Tx, p ledger.Payable, to payee.Payee) error
}

// ErrNoLedger is returned when a payment order would be released but no
// ledger takes payables.
var ErrNoLedger = roadcover.Errorf(roadcover.CodeUnavailable, "no ledger is connected to take released payments; the order was not made")

// Prefixes of the ids and secrets the desk makes.
const (
	ClaimPrefix      = "C-"
	PolicyPrefix     = "P-"
	ClaimLinkPrefix  = "rcc_"
	PolicyLinkPrefix = "rcp_"
)

func (d *Desk) now() time.Time { return d.Clock().UTC().Truncate(time.Microsecond) }

func conflict(detail string) error { return roadcover.Errorf(roadcover.CodeConflict, detail) }
func notFound(detail string) error { return roadcover.Errorf(roadcover.CodeNotFound, detail) }

func invalid(field, detail string) error {
	e := &roadcover.InputError{}
	e.Add(field, roadcover.CodeInvalidInput, detail)
	return e
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("claimsdesk: %s: %w", op, err)
}

// Handler is the actor of a claims handler's token: its id and payment
// limit (öre).
func Handler(tokenID string, limit int64) claims.Actor {
	return claims.Actor{ID: tokenID, Role: claims.ClaimsHandler, PaymentLimit: roadcover.Money{Minor: limit, Currency: "SEK"}}
}

// versionCache keeps decoded policy versions. A version is a document
// never changed once stored, so the same bytes always decode to the same
// version; an entry is used only for the very bytes it was decoded from
// (a version written and rolled back, then written again otherwise, is
// decoded anew). Decoded versions are only read, never changed.
type versionCache struct {
	mu sync.RWMutex
	m  map[string]cachedVersion
}

type cachedVersion struct {
	doc []byte
	v   *policies.Version
}

// maxCachedVersions bounds the cache; past it, it starts again empty.
const maxCachedVersions = 20000

func (c *versionCache) decode(key string, doc []byte) (*policies.Version, error) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if ok && bytes.Equal(e.doc, doc) {
		return e.v, nil
	}
	v, err := policies.DecodeVersion(doc)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedVersions {
		c.m = make(map[string]cachedVersion)
	}
	c.m[key] = cachedVersion{doc: bytes.Clone(doc), v: v}
	c.mu.Unlock()
	return v, nil
}
