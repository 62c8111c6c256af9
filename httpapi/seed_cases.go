package httpapi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/internal/receiptimage"
	"roadcover/store"
)

// The sample assistance cases (SeedSamples): their bodies with the times
// left open, filled in from the server's clock.

// sampleCaseDE is a covered German breakdown abroad that offers hotel
// nights (1.3); %[1]s is when it happened, %[2]s when it was reported.
const sampleCaseDE = `{"market": "DE", "language": "de",
  "occurred_at": %[1]q, "reported_at": %[2]q,
  "contact": {"channel": "on_call", "name": "SAMPLE DATA – Erika Muster", "phone": "+49 000 0000000"},
  "vehicle": {"vin": "SAMPLE00000000001", "registration": "SAMPLE-1", "model": "Polestar 2", "colour": "Snow",
              "first_registered": "2024-03-01", "powertrain": "bev", "use": "private"},
  "location": {"country": "AT", "lat": 47.26, "lon": 11.39, "description": "SAMPLE DATA – A12 near Innsbruck"},
  "home": {"country": "DE", "lat": 48.14, "lon": 11.58},
  "distances_km": {"home": 140, "regular_workshop": 150, "workshop_to_customer": 140},
  "trip": "outbound",
  "event": {"kind": "breakdown", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – warning light, car stopped"},
  "people": {"passengers": 2},
  "repair": {"roadside_possible": false, "same_day_within_4h": false, "working_days_needed": 4, "hours_needed": 60}}`

// sampleCaseGB is a puncture in London, just reported.
const sampleCaseGB = `{"market": "GB", "language": "en",
  "occurred_at": %[1]q, "reported_at": %[2]q,
  "contact": {"channel": "app", "name": "SAMPLE DATA – Sam Example", "email": "sample@example.invalid"},
  "vehicle": {"registration": "SAMPLE 2", "model": "Polestar 3", "first_registered": "2025-01-10", "use": "private"},
  "location": {"country": "GB", "lat": 51.50, "lon": -0.12, "description": "SAMPLE DATA – central London"},
  "home": {"country": "GB", "lat": 51.45, "lon": -0.30},
  "event": {"kind": "puncture", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – flat tyre"}}`

// sampleCaseDK is a flat 12 V battery in Copenhagen, helped and closed.
const sampleCaseDK = `{"market": "DK", "language": "da",
  "occurred_at": %[1]q, "reported_at": %[2]q,
  "contact": {"channel": "phone", "name": "SAMPLE DATA – Kim Eksempel", "phone": "+45 00 00 00 00"},
  "vehicle": {"registration": "SAMPLE 3", "model": "Polestar 2", "first_registered": "2023-09-01", "use": "private"},
  "location": {"country": "DK", "lat": 55.68, "lon": 12.57, "description": "SAMPLE DATA – Copenhagen"},
  "home": {"country": "DK", "lat": 56.15, "lon": 10.20},
  "distances_km": {"home": 190},
  "event": {"kind": "battery_12v_flat", "immobilised": true, "cause": "none", "description": "SAMPLE DATA – car will not start"}}`

// sampleHotel is the JSON part of a hotel receipt of the German case: two
// nights for the three travellers from %[1]s, dated %[2]s, of %[3]s euros
// at the hotel %[4]s, paid to the customer's account (the example IBAN of
// German bank documentation).
const sampleHotel = `{"category": "hotel", "amount": %[3]q, "currency": "EUR", "date": %[2]q,
  "merchant": %[4]q, "persons": 3, "nights": 2, "service_from": %[1]q,
  "arranged_by_assistance": true,
  "payee": {"name": "SAMPLE DATA – Erika Muster", "account": {"method": "iban", "iban": "DE89 3704 0044 0532 0130 00"}}}`

// rfc3339 is t as a case body gives it.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// seedCases writes the sample partner (unless the store has it) and the
// sample cases, now being the server's clock.
func (s *Server) seedCases(ctx context.Context, tx store.Tx, now time.Time, hasPartner bool) error {
	if !hasPartner {
		if _, _, err := s.desk.CreatePartner(ctx, tx, desk.PartnerRequest{ID: SamplePartner,
			Name: "SAMPLE DATA – Sample Towing (not a real partner)", Phone: "+49 000 000 0001",
			Trucks: []string{"flatbed", "wheel_lift"}, Plates: []string{"SAMPLE-DE-001", "SAMPLE-DE-002"}}); err != nil {
			return err
		}
	}
	deAt := now.Add(-6*24*time.Hour - 3*time.Hour)
	de, err := s.seedCase(ctx, tx, "DE", sampleCaseDE, deAt, deAt.Add(35*time.Minute))
	if err != nil {
		return err
	}
	if _, err := s.seedCase(ctx, tx, "GB", sampleCaseGB, now.Add(-25*time.Minute), now.Add(-15*time.Minute)); err != nil {
		return err
	}
	dk, err := s.seedCase(ctx, tx, "DK", sampleCaseDK, now.Add(-3*time.Hour), now.Add(-170*time.Minute))
	if err != nil {
		return err
	}

	// The German car was towed to a workshop; the customer chose hotel
	// nights while it is repaired and sent the hotel's receipt twice.
	job, err := s.desk.Dispatch(ctx, tx, sampleDesk, de, desk.JobRequest{Kind: "tow", Partner: SamplePartner})
	if err != nil {
		return fmt.Errorf("httpapi: sample job: %w", err)
	}
	for _, st := range []string{desk.JobEnRoute, desk.JobArrived, desk.JobCompleted} {
		if job, err = s.desk.MoveJob(ctx, tx, sampleDesk, job.ID, job.Version, desk.JobMove{Status: st}); err != nil {
			return fmt.Errorf("httpapi: sample job %s: %w", st, err)
		}
	}
	if _, err := s.desk.Choose(ctx, tx, sampleDesk, de, desk.ChoiceRequest{Group: "further_assistance", Code: "hotel"}); err != nil {
		return fmt.Errorf("httpapi: sample choice: %w", err)
	}
	if err := s.seedReceipts(ctx, tx, de, roadcover.DateOf(deAt)); err != nil {
		return err
	}

	if _, err := s.desk.Close(ctx, tx, sampleDesk, dk, "SAMPLE DATA – started after a jump start at the roadside"); err != nil {
		return fmt.Errorf("httpapi: close sample case: %w", err)
	}
	return nil
}

// seedCase decides and writes one sample case from its body template.
func (s *Server) seedCase(ctx context.Context, tx store.Tx, name, body string, occurred, reported time.Time) (string, error) {
	nc, err := s.desk.ReadNewCase([]byte(fmt.Sprintf(body, rfc3339(occurred), rfc3339(reported))), "", desk.System)
	if err != nil {
		return "", fmt.Errorf("httpapi: sample case %s: %w", name, err)
	}
	if err := s.desk.Create(ctx, tx, nc); err != nil {
		return "", err
	}
	return nc.Case.ID, nil
}

// seedReceipts adds the hotel receipts of the German case, whose car
// waits four working days for its repair (from the day of the breakdown,
// from): the first two nights, checked and owed to the customer; the next
// two, above the limit per person and night and cut to it (1.3.2); and
// another photograph of the first, which may duplicate it and waits in the
// review queue.
func (s *Server) seedReceipts(ctx context.Context, tx store.Tx, caseID string, from roadcover.Date) error {
	type hotel struct {
		from         roadcover.Date
		amount, name string
	}
	first := hotel{from, "540.00", "Hotel Beispiel"}
	second := hotel{from.AddDays(2), "1350.00", "Grandhotel Beispiel"}
	for i, r := range []struct {
		hotel
		deg     float64
		seed    uint64
		quality int
	}{{first, 1, 1, 80}, {second, 1, 3, 80}, {first, -2, 2, 75}} {
		dated := r.from.AddDays(2)
		lines := []string{SampleMark, strings.ToUpper(r.name), "INNSBRUCK", fmt.Sprintf("%02d.%02d.%d", dated.Day, dated.Month, dated.Year),
			"2 NIGHTS 3 PERSONS", "TOTAL EUR " + r.amount}
		photo := receiptimage.Photograph(receiptimage.Receipt(lines, 3), r.deg, 6, r.seed, r.quality)
		part := fmt.Sprintf(sampleHotel, r.from, dated, r.amount, SampleMark+" – "+r.name)
		up, err := desk.ReadReceiptUpload(photo, []byte(part))
		if err != nil {
			return fmt.Errorf("httpapi: sample receipt %d: %w", i+1, err)
		}
		if _, err := s.desk.AddReceipt(ctx, tx, sampleDesk, store.ViaOperator, caseID, &up); err != nil {
			return fmt.Errorf("httpapi: sample receipt %d: %w", i+1, err)
		}
	}
	return nil
}
