package store

import (
	"context"
	"time"

	"roadcover"
)

// NetworkStamp says which state of the service network a store holds: a
// reader that saw the same stamp holds the same network.
type NetworkStamp struct {
	Sites     int       `json:"sites"`
	UpdatedAt time.Time `json:"updated_at"` // of the site changed last
}

// NetworkTx is what a transaction offers of the service network: workshops, chargers and tow partners with their positions.
type NetworkTx interface {
	// PutSites inserts sites, or replaces those whose id is stored, as of at.
	PutSites(ctx context.Context, sites []roadcover.Site, at time.Time) error
	// Sites lists the sites of kind ("" for every kind) by id.
	Sites(ctx context.Context, kind string) ([]roadcover.Site, error)
	// NetworkStamp is the count of sites and the time of the last change.
	NetworkStamp(ctx context.Context) (NetworkStamp, error)
}
