package httpapi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/claimsdesk"
	"roadcover/ledger"
	"roadcover/payments"
	"roadcover/policies"
	"roadcover/store"
)

// The sample insurance (SeedSamples): two Swedish motor policies in force,
// each in two versions, and four claims under them, made through the
// claims desk as the API makes them, with days counted back from the
// server's clock (Swedish days).

// sampleHandler is the claims handler of the sample claims: no person, with
// a payment limit of 50 000 kr, so that a larger payment waits for a second
// handler.
var sampleHandler = claims.Actor{ID: "sample-data-claims-handler", Role: claims.ClaimsHandler,
	PaymentLimit: roadcover.Money{Minor: 5_000_000, Currency: "SEK"}}

// samplePolicy is an insurance letter of the car v; %[1]s is the letter's
// date, %[2]s the instant of signing. The personal identity numbers are
// the examples of the Swedish Tax Agency's own leaflets, the telephone
// number is in the range the Swedish Post and Telecom Authority keeps for
// fiction.
const samplePolicy = `{
  "policyholder": {"name": %[3]q, "id_number": %[4]q, "language": "sv",
    "contact": {"email": "sample@example.invalid", "phone": "+46 70 174 06 05",
      "address": {"street": "SAMPLE DATA – Exempelgatan 1", "postal_code": "123 45", "city": "SAMPLE DATA – Exempelstad"}}},
  "car": {"vin": %[5]q, "registration": %[6]q, "first_registered": %[7]q, "model_year": %[8]d,
    "damage_warranty": %[9]t, "owned_since_first_registration": true, "alarm": "approved",
    "alloy_wheels": true, "locking_wheel_nuts": true},
  "covers": %[10]s,
  "deductibles": {"fire": "1500", "glass": "1500", "theft": "1500", "rescue": "1500", "collision": "3000", "detached_part": "3000"},
  "lowest_collision_deductible": "1000",
  "bonus_class": 7, "claim_free_years": 2,
  "payment": {"plan": "monthly", "invoice": "paper"},
  "premium": "6000",
  "letter_date": %[1]q, "signed_at": %[2]q}`

// sampleHolder is a sample policy's policyholder and car.
type sampleHolder struct {
	name, idNumber, vin, plate string
	registered                 roadcover.Date
	damageWarranty             bool
	covers                     string // a JSON array
}

// sampleMove is the change of the first policy: the policyholder moved;
// %[1]s is the day it is valid from.
const sampleMove = `{"kind": "change", "valid_from": %[1]q, "reason": "SAMPLE DATA – the policyholder moved",
  "patch": {"policyholder": {"contact": {"address": {"street": "SAMPLE DATA – Provgatan 2", "postal_code": "543 21", "city": "SAMPLE DATA – Provstad"}}}}}`

// The losses of the sample claims: %[1]s is the policy, %[2]s the day of
// the loss, %[3]s the day of the report.
const (
	// sampleWindscreen is a cracked windscreen, reported the day after.
	sampleWindscreen = `{"policy_id": %[1]q, "loss": {"occurred_at": %[2]q, "reported_at": %[3]q,
  "vehicle": {"odometer_km": 48200, "missed_services": 0},
  "driver": {"age": 45, "is_policyholder": true},
  "incident": {"peril": "windscreen", "country": "SE", "police_report": false},
  "costs": {"repair_sek": "9000", "market_value_sek": "420000"}}}`
	// sampleMoose is a collision with a moose: repair, clothes and a
	// rental car.
	sampleMoose = `{"policy_id": %[1]q, "loss": {"occurred_at": %[2]q, "reported_at": %[3]q,
  "vehicle": {"odometer_km": 47100, "missed_services": 0},
  "driver": {"age": 22, "is_policyholder": false},
  "incident": {"peril": "animal_collision", "country": "SE", "police_report": true, "animal": "moose"},
  "costs": {"repair_sek": "40000", "market_value_sek": "420000", "clothes_sek": "1200",
            "rental": {"days": 10, "daily_sek": "700", "km_sek": "300"}}}}`
	// sampleDitch is a car that left the road on ice: repaired by the
	// collision cover the end of the damage warranty brought (5.10).
	sampleDitch = `{"policy_id": %[1]q, "loss": {"occurred_at": %[2]q, "reported_at": %[3]q,
  "vehicle": {"odometer_km": 61800, "missed_services": 0},
  "driver": {"age": 38, "is_policyholder": true},
  "incident": {"peril": "collision", "country": "SE", "police_report": false},
  "costs": {"repair_sek": "85000", "market_value_sek": "360000"}}}`
	// sampleSideWindow is a side window broken while parked.
	sampleSideWindow = `{"policy_id": %[1]q, "loss": {"occurred_at": %[2]q, "reported_at": %[3]q,
  "vehicle": {"odometer_km": 44300, "missed_services": 0},
  "driver": {"age": 45, "is_policyholder": true},
  "incident": {"peril": "side_window", "country": "SE", "police_report": true},
  "costs": {"repair_sek": "5000", "market_value_sek": "420000"}}}`
)

// sampleWorkshop is the payee of the sample claims' payments: the example
// bankgiro number of Bankgirot's own documentation.
const sampleWorkshop = `{"name": "SAMPLE DATA – Exempelverkstaden AB", "bankgiro": "5050-1055"}`

// seedClaims writes the sample policies and claims, and the payment
// batches of the claims' payables; now is the server's clock.
func (s *Server) seedClaims(ctx context.Context, tx store.Tx, now time.Time) error {
	today := policies.SwedishDay(now)

	// A car two years old, insured five months ago with collision cover;
	// the policyholder moved six weeks ago (version 2).
	anna, err := s.seedPolicy(ctx, tx, today.AddDays(-150), sampleHolder{name: "SAMPLE DATA – Anna Exempel",
		idNumber: "19811218-9876", vin: "SAMPLE00000000004", plate: "SAMPLE4", registered: today.AddDays(-2*365 - 40),
		covers: `["traffic", "fire", "glass", "theft", "machinery", "rescue", "legal", "collision", "bas"]`})
	if err != nil {
		return err
	}
	ch, err := policies.DecodeChange([]byte(fmt.Sprintf(sampleMove, today.AddDays(-45))))
	if err == nil {
		_, _, err = s.claims.ChangePolicy(ctx, tx, sampleHandler, anna.ID, ch)
	}
	if err != nil {
		return fmt.Errorf("httpapi: sample policy change: %w", err)
	}

	// A car that came with the maker's three-year damage warranty, insured
	// ten months ago without collision cover; the warranty ended seven
	// weeks ago, and 5.10 added the cover from that day (version 2), as the
	// server's daily run does.
	lars, err := s.seedPolicy(ctx, tx, today.AddDays(-300), sampleHolder{name: "SAMPLE DATA – Lars Exempel",
		idNumber: "19121212-1212", vin: "SAMPLE00000000005", plate: "SAMPLE5", registered: today.AddDays(-3*365 - 50),
		damageWarranty: true, covers: `["traffic", "fire", "glass", "theft", "machinery", "rescue", "legal", "bas"]`})
	if err != nil {
		return err
	}
	if v, err := s.claims.AutoCollision(ctx, tx, lars.ID, today); err != nil || v == nil {
		return fmt.Errorf("httpapi: sample policy %s: 5.10 made %v: %w", lars.ID, v, err)
	}

	// Two months ago: a side window, repaired, paid, decided and closed.
	closed, err := s.seedClaim(ctx, tx, sampleSideWindow, anna.ID, today.AddDays(-61), today.AddDays(-60))
	if err != nil {
		return err
	}
	paid, err := s.samplePayment(ctx, tx, closed, "glass", "SAMPLE DATA – side window repaired")
	if err != nil {
		return err
	}
	for _, act := range []struct{ name, body string }{
		{"decisions", `{"note": "SAMPLE DATA – paid as settled"}`},
		{"close", `{"reason": "SAMPLE DATA – repaired and paid"}`},
	} {
		if _, err := s.sampleAct(ctx, tx, closed, act.name, act.body); err != nil {
			return err
		}
	}

	// Three weeks ago: a moose, settled; the repair is paid to the
	// workshop within the handler's limit and is owed; the rental car is
	// reserved until its invoice comes.
	moose, err := s.seedClaim(ctx, tx, sampleMoose, anna.ID, today.AddDays(-21), today.AddDays(-20))
	if err != nil {
		return err
	}
	owed, err := s.samplePayment(ctx, tx, moose, "collision", "SAMPLE DATA – moose collision repair")
	if err != nil {
		return err
	}

	// Yesterday: a cracked windscreen, reported today (the first notice,
	// its reserve the settlement's).
	if _, err := s.seedClaim(ctx, tx, sampleWindscreen, anna.ID, today.AddDays(-1), today); err != nil {
		return err
	}

	// Twelve days ago: off the road on ice; the repair is above the
	// handler's limit and waits for a second handler's approval.
	ditch, err := s.seedClaim(ctx, tx, sampleDitch, lars.ID, today.AddDays(-12), today.AddDays(-12))
	if err != nil {
		return err
	}
	if _, err := s.samplePayment(ctx, tx, ditch, "collision", "SAMPLE DATA – repair after leaving the road"); err != nil {
		return err
	}

	return s.seedBatches(ctx, tx, paid, owed)
}

// seedPolicy registers a sample policy with its letter of the day letter,
// signed three days before.
func (s *Server) seedPolicy(ctx context.Context, tx store.Tx, letter roadcover.Date, h sampleHolder) (*policies.Policy, error) {
	signed := time.Date(letter.Year, letter.Month, letter.Day, 9, 30, 0, 0, time.UTC).AddDate(0, 0, -3)
	body := fmt.Sprintf(samplePolicy, letter.String(), rfc3339(signed), h.name, h.idNumber, h.vin, h.plate,
		h.registered.String(), h.registered.Year, h.damageWarranty, h.covers)
	np, err := policies.DecodeNewPolicy([]byte(body))
	if err != nil {
		return nil, fmt.Errorf("httpapi: sample policy %s: %w", h.plate, err)
	}
	pol, err := s.claims.RegisterPolicy(ctx, tx, sampleHandler, np)
	if err != nil {
		return nil, fmt.Errorf("httpapi: sample policy %s: %w", h.plate, err)
	}
	return pol, nil
}

// seedClaim opens a sample claim (the first notice, settled).
func (s *Server) seedClaim(ctx context.Context, tx store.Tx, body, policy string, occurred, reported roadcover.Date) (*claimsdesk.Claim, error) {
	rep, err := claims.DecodeReport([]byte(fmt.Sprintf(body, policy, occurred.String(), reported.String())))
	if err != nil {
		return nil, fmt.Errorf("httpapi: sample claim: %w", err)
	}
	c, err := s.claims.OpenClaim(ctx, tx, sampleHandler, rep)
	if err != nil {
		return nil, fmt.Errorf("httpapi: sample claim: %w", err)
	}
	return c, nil
}

// sampleAct runs one act on a sample claim from its request body, as
// POST /v1/claims/{id}/{act} does.
func (s *Server) sampleAct(ctx context.Context, tx store.Tx, c *claimsdesk.Claim, name, body string) (*claimsdesk.Claim, error) {
	act, err := claimsdesk.ReadAct(name, []byte(body))
	if err == nil {
		c, err = s.claims.Do(ctx, tx, sampleHandler, c.ID, 0, act)
	}
	if err != nil {
		return nil, fmt.Errorf("httpapi: sample claim %s: %w", name, err)
	}
	return c, nil
}

// samplePayment orders the payment of what a settled line still pays to
// the sample workshop. A released order returns the payable the ledger
// recorded for it; one that waits for a second handler returns "".
func (s *Server) samplePayment(ctx context.Context, tx store.Tx, c *claimsdesk.Claim, line, reference string) (ledger.PayableID, error) {
	i := slices.IndexFunc(c.Lines, func(l claims.Line) bool { return l.Key == line })
	if i < 0 || c.Lines[i].Status != "settled" {
		return "", fmt.Errorf("httpapi: sample claim %s: no settled line %s in %+v", c.ID, line, c.Lines)
	}
	amount := roadcover.Money{Minor: c.Lines[i].Ceiling.Minor - c.Lines[i].Paid.Minor, Currency: "SEK"}
	body := fmt.Sprintf(`{"line": %q, "kind": "indemnity", "payee": %s, "amount": %q, "reference": %q}`,
		line, sampleWorkshop, amount.Amount(), reference)
	c, err := s.sampleAct(ctx, tx, c, "payments", body)
	if err != nil {
		return "", err
	}
	switch o := c.Payments[len(c.Payments)-1]; o.Status {
	case claims.AwaitingApproval:
		return "", nil
	case claims.Released:
	default:
		return "", fmt.Errorf("httpapi: sample claim %s: payment %s is %s", c.ID, o.ID, o.Status)
	}
	ps, err := s.pay.Payables(ctx, tx, payments.PayableFilter{SourceKind: ledger.SourceInsuranceClaim, SourceID: c.ID})
	if err != nil {
		return "", err
	}
	if len(ps) != 1 {
		return "", fmt.Errorf("httpapi: sample claim %s: the ledger holds %d payables of it, not 1", c.ID, len(ps))
	}
	return ps[0].ID, nil
}

// seedBatches makes two payment batches, when payments leave from the
// SAMPLE debtor's account in kronor (a sample bank file is never written
// from an account of ours): one that pays paid, released with its pain.001
// file, and one that pays owed, waiting for a second payments clerk to
// release it.
func (s *Server) seedBatches(ctx context.Context, tx store.Tx, paid, owed ledger.PayableID) error {
	cur := "SEK"
	sample := false
	for _, a := range payments.Sample().Debtor.Accounts {
		for _, b := range s.cfg.Payments.Debtor.Accounts {
			if a.Currency == cur && b.Currency == cur && a.IBAN == b.IBAN {
				sample = true
			}
		}
	}
	if !sample {
		return nil
	}
	c, err := s.pay.CreateBatch(ctx, tx, sampleMaker, payments.BatchRequest{Currency: cur, Payables: []ledger.PayableID{paid}})
	if err != nil {
		return fmt.Errorf("httpapi: sample batch: %w", err)
	}
	if _, err := s.pay.Release(ctx, tx, sampleReleaser, c.Batch.ID, roadcover.Date{}); err != nil {
		return fmt.Errorf("httpapi: release sample batch: %w", err)
	}
	if _, err := s.pay.CreateBatch(ctx, tx, sampleMaker, payments.BatchRequest{Currency: cur, Payables: []ledger.PayableID{owed}}); err != nil {
		return fmt.Errorf("httpapi: sample batch: %w", err)
	}
	return nil
}
