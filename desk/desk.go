package desk

import (
	"fmt"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/store"
)

// Desk holds what the desk's operations are given: the facts providers of
// the assistance engine, the clock, and the sources of ids and secrets.
// None of them is read from the environment here.
type Desk struct {
	Env assistance.Env
	// Clock tells the time.
	Clock func() time.Time
	// NewID returns a new unique, time-ordered id with the prefix.
	NewID func(prefix string) string
	// NewSecret returns a new secret with the prefix (tokens, links, webhook
	// keys) and the hash a store keeps of it.
	NewSecret func(prefix string) (secret string, hash []byte)
	// FutureSlack is how far ahead of the clock an occurred_at or
	// reported_at may lie (a car's or phone's clock running fast); later is
	// refused. Zero means DefaultFutureSlack.
	FutureSlack time.Duration
	// AllowPrivateWebhooks lets a partner's webhook URL name a loopback or
	// private address.
	AllowPrivateWebhooks bool
	// Lockout is how long MaxFailedSignIns wrong passwords lock an account;
	// SessionIdle and SessionMax end sign-in sessions. Zero means the
	// defaults (DefaultLockout, DefaultSessionIdle, DefaultSessionMax).
	Lockout, SessionIdle, SessionMax time.Duration
	// Receipts are what the receipts of cases need besides Env: the rates
	// and calendar of their check, and the ledger (receipts.go).
	Receipts ReceiptSetup
}

// DefaultFutureSlack is the tolerance for a clock that runs fast.
const DefaultFutureSlack = 5 * time.Minute

// Sources are the clock and the id and secret sources a Desk needs.
type Sources struct {
	Clock     func() time.Time
	NewID     func(prefix string) string
	NewSecret func(prefix string) (string, []byte)
}

// New returns a desk over the facts providers env.
func New(env assistance.Env, src Sources) *Desk {
	return &Desk{Env: env, Clock: src.Clock, NewID: src.NewID, NewSecret: src.NewSecret}
}

func (d *Desk) now() time.Time {
	return d.Clock().UTC().Truncate(time.Microsecond)
}

// Actor is who makes a change (the acting token's id, role and partner).
type Actor = store.Actor

// Case statuses.
const (
	StatusOpen   = "open"
	StatusClosed = "closed"
)

// Roles a token has (spec/service.md "Who may do what").
const (
	RoleAdmin    = "admin"
	RoleOperator = "operator"
	RoleClaims   = "claims_handler"
	RoleIntake   = "intake"
	RolePartner  = "partner"
	// RolePayments is for the people who pay: they make payment batches,
	// approve and release them, and import the bank's status reports.
	RolePayments = "payments"
)

// Roles lists the token roles.
var Roles = []string{RoleAdmin, RoleOperator, RoleClaims, RoleIntake, RolePartner, RolePayments}

// System is the actor of what the desk does by itself (sample data).
var System = Actor{TokenID: "system", Role: "system"}

func conflict(detail string) error { return roadcover.Errorf(roadcover.CodeConflict, detail) }
func notFound(detail string) error { return roadcover.Errorf(roadcover.CodeNotFound, detail) }
func precondition(detail string) error {
	return roadcover.Errorf(roadcover.CodePrecondition, detail)
}

// invalid is an input error naming one field.
func invalid(field, detail string) error {
	e := &roadcover.InputError{}
	e.Add(field, roadcover.CodeInvalidInput, detail)
	return e
}

func errClosed() error { return conflict("the case is closed; reopen it first") }

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("desk: %s: %w", op, err)
}
