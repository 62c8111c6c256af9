package store

import (
	"context"
	"encoding/json"
	"time"
)

// Policy is the row of one motor policy: what a search by car and the daily
// automatic change of 5.10 need, kept in columns. The policy itself is its
// versions (PolicyVersion), each a document stored once and never changed.
type Policy struct {
	ID       string `json:"id"`
	DueDate  string `json:"due_date"`  // the yearly due date, MM-DD
	VIN      string `json:"vin"`       // the car of the latest version
	HolderID string `json:"holder_id"` // the policyholder's personal or organisation number
	// Versions counts the stored versions; it is the row's version (a
	// change is stored only over the count it was made from).
	Versions int64 `json:"versions"`
	// AutoCollisionOn is the day (YYYY-MM-DD) from which the automatic
	// collision cover of 5.10 is due and not yet made; "" when none is.
	AutoCollisionOn string    `json:"auto_collision_on"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// PolicyVersion is one version of a policy, numbered from 1: the insurance
// letter in force from ValidFrom (policies.AppendVersionJSON's document).
type PolicyVersion struct {
	PolicyID  string          `json:"policy_id"`
	No        int64           `json:"no"`
	Kind      string          `json:"kind"`       // issue, change, renewal, auto_collision, cancellation
	ValidFrom string          `json:"valid_from"` // YYYY-MM-DD
	At        time.Time       `json:"at"`         // when it was made
	Doc       json.RawMessage `json:"doc"`
}

// Claim is the row of one insurance claim. Its truth is its timeline
// (ClaimEvent, append-only); the row keeps what lists, the overlap check of
// a new claim and the claims register read (the summary document and a few
// columns), the current settlement (a versioned document like a case's
// decision: each version stored once, the row naming the current one) and
// the version (the number of events, the ETag).
type Claim struct {
	ID         string `json:"id"`
	PolicyID   string `json:"policy_id"`
	VIN        string `json:"vin"`
	OccurredAt string `json:"occurred_at"` // the day of the loss, YYYY-MM-DD
	ReportedAt string `json:"reported_at"` // YYYY-MM-DD
	Status     string `json:"status"`      // open, closed
	DeskCaseID string `json:"desk_case_id"`
	HolderID   string `json:"holder_id"`
	HolderName string `json:"holder_name"`
	// Summary is the claim's summary document (claims.AppendSummaryJSON).
	Summary json.RawMessage `json:"summary"`
	// Settlement is settlement version SettlementNo (the engine's document).
	// On UpdateClaim a non-nil Settlement is stored as version SettlementNo,
	// one above the stored one; nil keeps the stored version.
	Settlement   json.RawMessage `json:"settlement"`
	SettlementNo int64           `json:"settlement_no"`
	Version      int64           `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// ClaimEvent is one entry of a claim's timeline; Seq counts from 1 per
// claim. Events are never edited or deleted.
type ClaimEvent struct {
	ClaimID string          `json:"claim_id"`
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	Actor   json.RawMessage `json:"actor"` // claims.AppendActorJSON
	Kind    string          `json:"kind"`
	Data    json.RawMessage `json:"data"` // claims.AppendEventDataJSON
}

// ClaimFilter selects claims, oldest first. Empty fields select all.
type ClaimFilter struct {
	PolicyID   string
	VIN        string
	OccurredAt string // with VIN: claims of that car on that day
	DeskCaseID string
	// ReportedFrom and ReportedUntil bound the day of the report
	// (YYYY-MM-DD, both included).
	ReportedFrom, ReportedUntil string
	After                       string // the id of the last claim of the previous page
	Limit                       int    // 0: the store's default page
}

// InsuranceLink gives read or report access to one claim or policy to the
// holder of a token in a URL, of which only the hash is kept, until it
// expires.
type InsuranceLink struct {
	Hash      []byte    `json:"-"`
	Kind      string    `json:"kind"`   // "claim" or "policy"
	Target    string    `json:"target"` // the claim or policy id
	ExpiresAt time.Time `json:"expires_at"`
	CreatedAt time.Time `json:"created_at"`
}

// Kinds of InsuranceLink.
const (
	LinkClaim  = "claim"
	LinkPolicy = "policy"
)

// InsuranceTx is what a transaction offers of insurance policies (versions from a date) and claims with their timeline.
type InsuranceTx interface {
	// InsertPolicy stores a new policy row and its first versions (numbered
	// from 1; p.Versions is their count). ErrConflict when the id is taken.
	InsertPolicy(ctx context.Context, p Policy, versions []PolicyVersion) error
	// AppendPolicyVersions stores versions after the stored ones and the
	// row p: p.Versions is the count after them, and the stored count must
	// be p.Versions-len(versions) (ErrStale otherwise; ErrNotFound when
	// there is no such policy).
	AppendPolicyVersions(ctx context.Context, p Policy, versions []PolicyVersion) error
	// GetPolicy reads a policy row and every version, oldest first. Inside
	// Update it holds the policy until the transaction ends, so that the
	// changes and new claims of one policy queue.
	GetPolicy(ctx context.Context, id string) (Policy, []PolicyVersion, error)
	// FirstNotice reads what a first notice of a loss on day (YYYY-MM-DD)
	// under a policy needs, in one go: what GetPolicy reads (and holds),
	// and the rows of the claims of the policy's car on that day, oldest
	// first, without their settlements.
	FirstNotice(ctx context.Context, policyID, day string) (Policy, []PolicyVersion, []Claim, error)
	// PoliciesByVIN lists the rows of the policies of a car, oldest first.
	PoliciesByVIN(ctx context.Context, vin string) ([]Policy, error)
	// DueAutoCollision lists the ids of policies whose 5.10 change is due
	// on or before the day through (YYYY-MM-DD), at most limit.
	DueAutoCollision(ctx context.Context, through string, limit int) ([]string, error)

	// InsertClaim stores a new claim row, its settlement (version
	// c.SettlementNo, 1) and its first events (c.Version of them, seqs 1,
	// 2, …). ErrConflict when the id is taken; ErrNotFound when its policy
	// is not stored.
	InsertClaim(ctx context.Context, c Claim, events []ClaimEvent) error
	// UpdateClaim stores the row c and appends events: the stored version
	// must be c.Version-len(events) (ErrStale otherwise, also for a writer
	// that lost the race for the same seqs; ErrNotFound when there is no
	// such claim). A non-nil c.Settlement is stored as a new version.
	UpdateClaim(ctx context.Context, c Claim, events []ClaimEvent) error
	// GetClaim reads a claim row with its current settlement.
	GetClaim(ctx context.Context, id string) (Claim, error)
	// ClaimEvents reads a claim's timeline, oldest first (ErrNotFound when
	// there is no such claim).
	ClaimEvents(ctx context.Context, claimID string) ([]ClaimEvent, error)
	// ClaimSettlement reads settlement version no of a claim.
	ClaimSettlement(ctx context.Context, claimID string, no int64) (json.RawMessage, error)
	// ListClaims lists claim rows oldest first, without their settlement.
	ListClaims(ctx context.Context, f ClaimFilter) ([]Claim, error)

	// InsertInsuranceLink stores a link (ErrConflict for a hash in use,
	// ErrNotFound when its claim or policy is not stored).
	InsertInsuranceLink(ctx context.Context, l InsuranceLink) error
	// InsuranceLinkByHash returns a link whether or not it has expired.
	InsuranceLinkByHash(ctx context.Context, hash []byte) (InsuranceLink, error)
}
