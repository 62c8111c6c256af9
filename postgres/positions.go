package postgres

import (
	"context"
	"fmt"
	"time"

	"roadcover/store"
)

// orNone is l, or an empty list for a text[] column that may not be NULL.
func orNone(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

const positionCols = "job_id, lat, lon, heading_deg, speed_kmh, accuracy_m, truck, plate, at, received_at"

func (t *txn) PutJobPosition(ctx context.Context, p store.JobPosition) error {
	_, err := t.q.Exec(ctx, `INSERT INTO job_positions (`+positionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (job_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, heading_deg = excluded.heading_deg,
		speed_kmh = excluded.speed_kmh, accuracy_m = excluded.accuracy_m, truck = excluded.truck, plate = excluded.plate,
		at = excluded.at, received_at = excluded.received_at`,
		p.JobID, p.Lat, p.Lon, p.HeadingDeg, p.SpeedKmh, p.AccuracyM, p.Truck, p.Plate, ts(p.At), ts(p.ReceivedAt))
	if err != nil {
		return fmt.Errorf("postgres: put position of job %s: %w", p.JobID, classify(err))
	}
	return nil
}

func scanPosition(sc interface{ Scan(...any) error }) (store.JobPosition, error) {
	var p store.JobPosition
	var at, received time.Time
	if err := sc.Scan(&p.JobID, &p.Lat, &p.Lon, &p.HeadingDeg, &p.SpeedKmh, &p.AccuracyM, &p.Truck, &p.Plate, &at, &received); err != nil {
		return store.JobPosition{}, err
	}
	p.At, p.ReceivedAt = fromTS(at), fromTS(received)
	return p, nil
}

func (t *txn) JobPosition(ctx context.Context, jobID string) (store.JobPosition, error) {
	p, err := scanPosition(t.q.QueryRow(ctx, `SELECT `+positionCols+` FROM job_positions WHERE job_id = $1`, jobID))
	if err != nil {
		return store.JobPosition{}, fmt.Errorf("postgres: position of job %s: %w", jobID, classify(err))
	}
	return p, nil
}

func (t *txn) CasePositions(ctx context.Context, caseID string) ([]store.JobPosition, error) {
	rows, err := t.q.Query(ctx, `SELECT p.job_id, p.lat, p.lon, p.heading_deg, p.speed_kmh, p.accuracy_m, p.truck, p.plate,
		p.at, p.received_at FROM jobs j JOIN job_positions p ON p.job_id = j.id WHERE j.case_id = $1 ORDER BY j.created_at, j.id`, caseID)
	return collect(rows, err, "positions of case "+caseID, scanPosition)
}
