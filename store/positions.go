package store

import (
	"context"
	"time"
)

// PositionTx is what a transaction offers of the positions tow trucks
// report on their jobs: the last one per job, replaced by the next.
type PositionTx interface {
	// PutJobPosition keeps p as the last position of its job, replacing the
	// one before; ErrNotFound when the job does not exist.
	PutJobPosition(ctx context.Context, p JobPosition) error
	// JobPosition returns the last position of a job; ErrNotFound when it
	// reported none.
	JobPosition(ctx context.Context, jobID string) (JobPosition, error)
	// CasePositions returns the last position of each job of a case that
	// reported one, in the jobs' order.
	CasePositions(ctx context.Context, caseID string) ([]JobPosition, error)
}

// JobPosition is where a partner's truck was on a job, as it reported.
type JobPosition struct {
	JobID string  `json:"job_id"`
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	// HeadingDeg (0–360, clockwise from north), SpeedKmh and AccuracyM
	// are what the device knew; nil when it did not say.
	HeadingDeg *float64 `json:"heading_deg,omitempty"`
	SpeedKmh   *float64 `json:"speed_kmh,omitempty"`
	AccuracyM  *float64 `json:"accuracy_m,omitempty"`
	// Truck (a truck kind) and Plate name the truck on the way, when the
	// partner said.
	Truck string `json:"truck,omitempty"`
	Plate string `json:"plate,omitempty"`
	// At is when the device took the position; ReceivedAt when the desk
	// got it.
	At         time.Time `json:"at"`
	ReceivedAt time.Time `json:"received_at"`
}
