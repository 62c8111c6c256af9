package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"roadcover/store"
)

// stringList is a list kept as a JSON array ("[]" for none).
func stringList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // strings always encode
	return string(b)
}

func floatArg(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func floatOf(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	f := n.Float64
	return &f
}

const positionCols = "job_id, lat, lon, heading_deg, speed_kmh, accuracy_m, truck, plate, at, received_at"

func (t *txn) PutJobPosition(ctx context.Context, p store.JobPosition) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO job_positions (`+positionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job_id) DO UPDATE SET lat = excluded.lat, lon = excluded.lon, heading_deg = excluded.heading_deg,
		speed_kmh = excluded.speed_kmh, accuracy_m = excluded.accuracy_m, truck = excluded.truck, plate = excluded.plate,
		at = excluded.at, received_at = excluded.received_at`,
		p.JobID, p.Lat, p.Lon, floatArg(p.HeadingDeg), floatArg(p.SpeedKmh), floatArg(p.AccuracyM), p.Truck, p.Plate,
		ts(p.At), ts(p.ReceivedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put position of job %s: %w", p.JobID, classify(err))
	}
	return nil
}

func scanPosition(sc interface{ Scan(...any) error }) (store.JobPosition, error) {
	var p store.JobPosition
	var heading, speed, accuracy sql.NullFloat64
	var at, received int64
	if err := sc.Scan(&p.JobID, &p.Lat, &p.Lon, &heading, &speed, &accuracy, &p.Truck, &p.Plate, &at, &received); err != nil {
		return store.JobPosition{}, err
	}
	p.HeadingDeg, p.SpeedKmh, p.AccuracyM = floatOf(heading), floatOf(speed), floatOf(accuracy)
	p.At, p.ReceivedAt = fromTS(at), fromTS(received)
	return p, nil
}

func (t *txn) JobPosition(ctx context.Context, jobID string) (store.JobPosition, error) {
	p, err := scanPosition(t.q.QueryRowContext(ctx, `SELECT `+positionCols+` FROM job_positions WHERE job_id = ?`, jobID))
	if err != nil {
		return store.JobPosition{}, fmt.Errorf("sqlite: position of job %s: %w", jobID, classify(err))
	}
	return p, nil
}

func (t *txn) CasePositions(ctx context.Context, caseID string) ([]store.JobPosition, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT p.job_id, p.lat, p.lon, p.heading_deg, p.speed_kmh, p.accuracy_m, p.truck, p.plate,
		p.at, p.received_at FROM jobs j JOIN job_positions p ON p.job_id = j.id WHERE j.case_id = ? ORDER BY j.created_at, j.id`, caseID)
	return collect(rows, err, "positions of case "+caseID, scanPosition)
}
