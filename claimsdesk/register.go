package claimsdesk

import (
	"context"
	"fmt"

	"roadcover"
	"roadcover/claims"
	"roadcover/store"
)

// Register implements 5.5: the claims reported in a span of days (f's
// ReportedFrom and ReportedUntil; empty for all), as the claims register
// shared by the insurers records them, oldest first, read from the claims'
// rows (nothing is replayed). f.After and f.Limit page through them.
func (d *Desk) Register(ctx context.Context, tx store.Tx, f store.ClaimFilter) ([]claims.RegisterRecord, error) {
	rows, err := tx.ListClaims(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]claims.RegisterRecord, 0, len(rows))
	for _, r := range rows {
		s, err := claims.DecodeSummary(r.Summary)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: summary of claim %s: %w", r.ID, err)
		}
		prm, err := claims.ParamsOn(s.OccurredAt)
		if err != nil {
			return nil, fmt.Errorf("claimsdesk: claim %s: %w", r.ID, err)
		}
		paid := s.PaidTotal
		if paid.Currency == "" {
			paid = roadcover.Money{Currency: "SEK"}
		}
		out = append(out, claims.RegisterRecord{InsurerOrgNumber: prm.InsurerOrgNumber, ClaimID: r.ID, PolicyID: r.PolicyID,
			ClaimantIDNumber: r.HolderID, ClaimantName: r.HolderName, VIN: s.VIN, Registration: s.Registration,
			OccurredAt: s.OccurredAt, ReportedAt: s.ReportedAt, Peril: s.Peril, Country: s.Country, Covers: s.Covers,
			Status: s.Status, Paid: paid, Clause: "5.5"})
	}
	return out, nil
}
