// Package store defines what the desk service keeps: cases with their
// append-only timeline, customer choices, dispatch jobs, partners, API
// tokens, tracking links, idempotency records and webhook deliveries. The
// sqlite and postgres packages implement it; storetest is the suite both
// must pass.
//
// Every write happens inside Update, one transaction: a nil return means the
// change is durable (committed and synced) before the caller answers 2xx.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors every store returns (wrapped) so callers can map them to HTTP.
var (
	ErrNotFound = errors.New("store: not found")
	ErrStale    = errors.New("store: version changed")         // optimistic concurrency (ETag / If-Match)
	ErrConflict = errors.New("store: conflicts with a record") // duplicate key, second choice in a group
	// ErrUnavailable is a store that cannot do the work now (a full disk,
	// a read-only or unreachable server, a lock held too long): try again
	// later; nothing was written.
	ErrUnavailable = errors.New("store: unavailable")
)

// Actor is who made a change: the token's id and role (and partner id).
type Actor struct {
	TokenID string `json:"token_id"`
	Role    string `json:"role"`
	Partner string `json:"partner,omitempty"`
}

// Case is one assistance case as the store keeps it. Facts (the assistance
// case body) and Decision (the decision document) are versioned documents:
// each version is stored once, numbered from 1, and never changed; the
// case row names the current ones (FactsNo, DecisionNo). A write whose
// FactsNo or DecisionNo is higher than the stored one stores that document
// as a new version; the older versions stay readable (Document).
type Case struct {
	ID         string          `json:"id"`
	Status     string          `json:"status"` // "open" or "closed"
	Facts      json.RawMessage `json:"facts"`
	FactsNo    int64           `json:"facts_no"`
	Intake     json.RawMessage `json:"intake,omitempty"`
	Decision   json.RawMessage `json:"decision"`
	DecisionNo int64           `json:"decision_no"`
	TermsID    string          `json:"terms_id"`
	// Summary is what a list of cases shows, kept in columns so that a
	// list reads no document.
	Summary   CaseSummary `json:"summary"`
	Version   int64       `json:"version"` // increases with every change; the ETag
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// CaseSummary holds the columns of a case that a list shows and a search
// filters on, taken from its current facts and decision.
type CaseSummary struct {
	Covered            bool      `json:"covered"`
	Market             string    `json:"market"`
	Language           string    `json:"language"`
	EventKind          string    `json:"event_kind"`
	Country            string    `json:"country"`
	VIN                string    `json:"vin"`
	Registration       string    `json:"registration"`
	Place              string    `json:"place"` // the location's description
	MissingInformation []string  `json:"missing_information"`
	OccurredAt         time.Time `json:"occurred_at"`
	Owner              string    `json:"owner"` // who at the desk has the case ("" = nobody)
}

// Document kinds of a case (Tx.Document).
const (
	DocFacts    = "facts"
	DocDecision = "decision"
)

// Event is one entry of a case's timeline. Seq counts from 1 per case.
// Events are never edited or deleted.
type Event struct {
	CaseID string          `json:"case_id"`
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Actor  Actor           `json:"actor"`
	Kind   string          `json:"kind"` // created, facts_patched, decided, choice_made, closed, reopened, job_created, job_updated, tracking_link_created, receipt_added, receipt_reviewed
	Data   json.RawMessage `json:"data"`
}

// Choice is the customer's choice of one offered option in a group
// ("further_assistance", "repatriation_alternative", "collection").
type Choice struct {
	CaseID string    `json:"case_id"`
	Group  string    `json:"group"`
	Code   string    `json:"code"`
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
}

// Job is a dispatch job for a tow or roadside partner.
type Job struct {
	ID          string          `json:"id"`
	CaseID      string          `json:"case_id"`
	Kind        string          `json:"kind"` // tow, roadside, ...
	Partner     string          `json:"partner"`
	Status      string          `json:"status"`            // BOOKED, EN_ROUTE, ARRIVED, COMPLETED, FAILED
	Failure     string          `json:"failure,omitempty"` // gone_on_arrival, destination_refused, cancelled, other
	ETA         *time.Time      `json:"eta,omitempty"`
	Destination json.RawMessage `json:"destination,omitempty"`
	Version     int64           `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Partner is a tow or repair partner that receives webhooks.
type Partner struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	WebhookURL string    `json:"webhook_url,omitempty"`
	Secret     []byte    `json:"-"` // HMAC key for webhook signatures
	CreatedAt  time.Time `json:"created_at"`

	// Phone is the number a driver may call (international format); Trucks
	// the kinds of truck it sends (roadcover.TruckKinds) and Plates their
	// registration plates, as the service network lists them.
	Phone  string   `json:"phone,omitempty"`
	Trucks []string `json:"trucks,omitempty"`
	Plates []string `json:"plates,omitempty"`
}

// Token is an API token; only the SHA-256 hash of the secret is kept.
type Token struct {
	ID        string    `json:"id"`
	Hash      []byte    `json:"-"`
	Role      string    `json:"role"` // admin, operator, claims_handler, intake, partner
	Partner   string    `json:"partner,omitempty"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Revoked   bool      `json:"revoked"`
	// PaymentLimit is a claims handler's payment limit in öre (SEK minor
	// units): the most one payment order may be without a second handler's
	// approval; 0 for every other role.
	PaymentLimit int64 `json:"-"`
}

// TrackingLink gives a driver read access to one case until it expires.
type TrackingLink struct {
	Hash      []byte    `json:"-"` // SHA-256 of the token in the URL
	CaseID    string    `json:"case_id"`
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

// Idempotency is the first answer given to a POST with an Idempotency-Key.
// Keys are scoped by token id and kept at least 24 hours.
type Idempotency struct {
	TokenID   string    `json:"token_id"`
	Key       string    `json:"key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	BodyHash  []byte    `json:"-"`
	Status    int       `json:"status"`
	Header    []byte    `json:"-"` // JSON object of the response headers that matter (Location, ETag)
	Response  []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery is one webhook message to a partner and its delivery log.
type Delivery struct {
	ID        int64     `json:"id"`
	Partner   string    `json:"partner"`
	JobID     string    `json:"job_id"`
	Event     string    `json:"event"`
	Payload   []byte    `json:"-"`
	Status    string    `json:"status"` // pending, delivered, failed (gave up)
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CaseFilter selects cases for listing, newest first.
type CaseFilter struct {
	Status string // "" for all
	VIN    string // "" for any car
	After  string // the id of the last case of the previous page
	Limit  int
}

// JobFilter narrows a list of jobs; "" is any. After is the id of the last
// job of the previous page (a job no longer there gives an empty page);
// Limit 0 lists all.
type JobFilter struct {
	Partner, CaseID, Status string
	After                   string
	Limit                   int
}

// Tx is one transaction. Methods return ErrNotFound, ErrStale or ErrConflict
// (wrapped) where those apply.
type Tx interface {
	// Cases and their timeline.
	InsertCase(ctx context.Context, c Case) error
	GetCase(ctx context.Context, id string) (Case, error)
	// UpdateCase stores c if the stored version is c.Version-1 (ErrStale otherwise).
	UpdateCase(ctx context.Context, c Case) error
	// ListCases lists cases newest first; Facts and Decision are left
	// empty (a list reads the summary columns only).
	ListCases(ctx context.Context, f CaseFilter) ([]Case, error)
	// Document returns version no of a case's facts or decision (DocFacts,
	// DocDecision); ErrNotFound when there is no such version.
	Document(ctx context.Context, caseID, kind string, no int64) (json.RawMessage, error)
	// AppendEvent assigns the next Seq of the case and returns it.
	AppendEvent(ctx context.Context, e Event) (int64, error)
	Events(ctx context.Context, caseID string) ([]Event, error)

	// Choices: at most one per case and group (ErrConflict for a second).
	InsertChoice(ctx context.Context, ch Choice) error
	Choices(ctx context.Context, caseID string) ([]Choice, error)

	// Jobs.
	InsertJob(ctx context.Context, j Job) error
	GetJob(ctx context.Context, id string) (Job, error)
	// UpdateJob stores j if the stored version is j.Version-1 (ErrStale otherwise).
	UpdateJob(ctx context.Context, j Job) error
	// ListJobs lists the jobs f asks for, oldest first.
	ListJobs(ctx context.Context, f JobFilter) ([]Job, error)
	// JobsOfCases lists the jobs of the given cases, oldest first (a queue
	// of cases reads their jobs in one go).
	JobsOfCases(ctx context.Context, caseIDs []string) ([]Job, error)

	// Partners and tokens.
	InsertPartner(ctx context.Context, p Partner) error
	GetPartner(ctx context.Context, id string) (Partner, error)
	ListPartners(ctx context.Context) ([]Partner, error)
	InsertToken(ctx context.Context, t Token) error
	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id string) error

	// Tracking links.
	InsertTrackingLink(ctx context.Context, l TrackingLink) error
	TrackingLinkByHash(ctx context.Context, hash []byte) (TrackingLink, error)

	// Idempotency records (ErrConflict when the key exists for that token).
	InsertIdempotency(ctx context.Context, r Idempotency) error
	GetIdempotency(ctx context.Context, tokenID, key string) (Idempotency, error)
	// PruneIdempotency deletes records created before cutoff.
	PruneIdempotency(ctx context.Context, cutoff time.Time) (int64, error)

	// Webhook deliveries: the log of what was sent to partners. Sending is
	// a background job (QueueTx) enqueued with the delivery.
	InsertDelivery(ctx context.Context, d Delivery) (int64, error)
	// GetDelivery returns one delivery; ErrNotFound when there is none.
	GetDelivery(ctx context.Context, id int64) (Delivery, error)
	UpdateDelivery(ctx context.Context, d Delivery) error
	ListDeliveries(ctx context.Context, jobID string) ([]Delivery, error)

	// What the other parts of the product keep (one file each).
	AccountTx
	NetworkTx
	ReceiptTx
	LedgerTx
	InsuranceTx
	QueueTx
	PositionTx
}

// CaseInserter is a Tx that writes a new case and its first timeline
// events in one go: what InsertCase and one AppendEvent per event do, in
// fewer statements. Both stores' transactions implement it.
type CaseInserter interface {
	InsertCaseWithEvents(ctx context.Context, c Case, events []Event) error
}

// CaseCreator is a Store that writes a new case and its first events in a
// durable transaction of their own (on PostgreSQL one autocommitted
// statement): what Update with InsertCaseWithEvents does. Both stores
// implement it. ErrConflict when the id is taken.
type CaseCreator interface {
	CreateCase(ctx context.Context, c Case, events []Event) error
}

// Store is a durable store.
type Store interface {
	// Update runs fn in a read-write transaction and commits durably when fn
	// returns nil; any error rolls everything back.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the store is reachable and can write (readiness):
	// ErrUnavailable when it cannot.
	Ping(ctx context.Context) error
	// Kind is "sqlite" or "postgres".
	Kind() string
	Close() error
}
