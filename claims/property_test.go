package claims

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"roadcover"
	"roadcover/insurance"
	"roadcover/policies"
)

// genPolicy draws a policy document: covers that fit together, the
// deductibles they need, a person or an organisation, and a car.
func genPolicy(t *rapid.T) map[string]any {
	var own []string
	for _, c := range []string{"fire", "glass", "theft", "machinery", "rescue", "legal", "collision"} {
		if rapid.Bool().Draw(t, "cover_"+c) {
			own = append(own, c)
		}
	}
	addon := rapid.SampledFrom([]string{"", "bas", "plus", "animal_collision"}).Draw(t, "addon")
	warranty := rapid.Bool().Draw(t, "warranty") || addon == "plus"
	covers := append([]string{"traffic"}, own...)
	if addon != "" {
		covers = append(covers, addon)
	}
	if rapid.Bool().Draw(t, "care") {
		covers = append(covers, "care")
	}
	ded := map[string]any{}
	for _, n := range policies.DeductibleNames {
		ded[n] = fmt.Sprint(rapid.SampledFrom([]int{0, 500, 1000, 1500, 2000, 3000, 5000}).Draw(t, "ded_"+n))
	}
	first := roadcover.Date{Year: rapid.IntRange(2015, 2025).Draw(t, "fy"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "fm")), Day: rapid.IntRange(1, 28).Draw(t, "fd")}
	id := rapid.SampledFrom([]string{"19811218-9876", "556677-8899", "20040229-1231"}).Draw(t, "holder")
	return map[string]any{
		"policyholder": map[string]any{"name": "Holder", "id_number": id, "vat_registered": rapid.Bool().Draw(t, "vat"),
			"language": rapid.SampledFrom([]string{"sv", "en", "de", "pt", "da"}).Draw(t, "lang"), "contact": map[string]any{"phone": "+46 70 123 45 67"}},
		"car": map[string]any{"vin": "LPSED3KA4NL012345", "registration": "ABC123", "first_registered": first.String(), "model_year": first.Year,
			"damage_warranty": warranty, "owned_since_first_registration": rapid.Bool().Draw(t, "owned"),
			"alarm":              rapid.SampledFrom([]string{"none", "approved", "ssf_recommended"}).Draw(t, "alarm"),
			"alloy_wheels":       rapid.Bool().Draw(t, "alloy"),
			"locking_wheel_nuts": rapid.Bool().Draw(t, "nuts")},
		"covers": covers, "deductibles": ded, "lowest_collision_deductible": "1000",
		"declined_auto_collision": rapid.Bool().Draw(t, "declined"),
		"bonus_class":             rapid.IntRange(0, 9).Draw(t, "bonus"), "claim_free_years": rapid.IntRange(0, 8).Draw(t, "cfy"),
		"payment": map[string]any{"plan": "monthly"}, "premium": "7200",
		"letter_date": "2026-01-10", "signed_on": "2026-01-05",
	}
}

var genPerils = []string{"collision", "single_vehicle", "vandalism", "parking_damage", "animal_collision", "other_external",
	"fire", "arson", "lightning", "windscreen", "side_window", "vehicle_theft", "break_in", "parts_theft", "wheel_theft",
	"robbery", "machinery_failure", "legal_dispute", "interior_accident", "key_loss", "third_party_property", "third_party_injury"}

func amount(t *rapid.T, label string) string {
	return fmt.Sprint(rapid.IntRange(0, 400000).Draw(t, label))
}

// genLoss draws the facts of a loss in 2026 under the policy's first period.
func genLoss(t *rapid.T) map[string]any {
	day := roadcover.Date{Year: 2026, Month: time.Month(rapid.IntRange(1, 12).Draw(t, "lm")), Day: rapid.IntRange(1, 28).Draw(t, "ld")}
	if day.Before(roadcover.Date{Year: 2026, Month: 1, Day: 10}) {
		day = roadcover.Date{Year: 2026, Month: 1, Day: 10}
	}
	peril := rapid.SampledFrom(genPerils).Draw(t, "peril")
	inc := map[string]any{"peril": peril, "country": rapid.SampledFrom([]string{"SE", "SE", "NO", "DE", "US"}).Draw(t, "country"),
		"police_report": rapid.Bool().Draw(t, "police"), "false_information": rapid.IntRange(0, 9).Draw(t, "false") == 0,
		"car_unlocked": rapid.Bool().Draw(t, "unlocked"), "in_collision": rapid.Bool().Draw(t, "in_collision")}
	switch peril {
	case "animal_collision":
		inc["animal"] = rapid.SampledFrom([]string{"moose", "reindeer", "hare"}).Draw(t, "animal")
	case "machinery_failure":
		inc["component"] = rapid.SampledFrom([]string{"drive_motor", "inverter", "battery_12v"}).Draw(t, "component")
	case "legal_dispute":
		inc["forum"] = rapid.SampledFrom([]string{"district_court", "arbitration"}).Draw(t, "forum")
		inc["dispute"] = "contract"
	case "vehicle_theft", "robbery":
		inc["recovered_within_30_days"] = rapid.Bool().Draw(t, "recovered")
	}
	costs := map[string]any{"repair_sek": amount(t, "repair"), "market_value_sek": fmt.Sprint(rapid.IntRange(100000, 600000).Draw(t, "mv"))}
	if rapid.Bool().Draw(t, "third") {
		costs["third_party_sek"] = amount(t, "third_party")
	}
	switch peril {
	case "wheel_theft":
		costs["wheels"] = map[string]any{"tyres_sek": amount(t, "tyres"), "tyres_age_years": rapid.IntRange(0, 8).Draw(t, "ta"),
			"rims_sek": amount(t, "rims"), "rims_age_years": rapid.IntRange(0, 12).Draw(t, "ra")}
	case "legal_dispute":
		costs["legal"] = map[string]any{"lawyer_hours": rapid.IntRange(0, 150).Draw(t, "hours"), "hourly_rate_sek": "1500", "other_sek": amount(t, "other")}
	}
	if rapid.Bool().Draw(t, "rental") {
		costs["rental"] = map[string]any{"days": rapid.IntRange(1, 70).Draw(t, "days"), "daily_sek": "600", "km_sek": "200"}
	}
	return map[string]any{
		"occurred_at": day.String(),
		"vehicle":     map[string]any{"odometer_km": rapid.IntRange(0, 200000).Draw(t, "km"), "missed_services": rapid.IntRange(0, 2).Draw(t, "missed")},
		"driver":      map[string]any{"age": rapid.IntRange(18, 80).Draw(t, "age"), "is_policyholder": rapid.Bool().Draw(t, "is_holder"), "licence": rapid.IntRange(0, 19).Draw(t, "lic") > 0},
		"incident":    inc, "costs": costs,
	}
}

// lineOf is the line the last event paid on.
func lineOf(c *Claim, act int) string {
	switch d := c.Events[len(c.Events)-1].Data.(type) {
	case *PaymentOrdered:
		return d.Order.Line
	case *PaymentApproved:
		return c.payment(d.PaymentID).Line
	}
	return ""
}

// engineDocument writes the insurance engine's input for a loss under a
// policy version, field by field from the version: independent of
// InsuranceDocument, so that a mistake in either shows.
func engineDocument(v *policies.Version, loss map[string]any, reported roadcover.Date, lang roadcover.Language) []byte {
	l := &v.Letter
	covers := []string{}
	for _, c := range l.Covers {
		if c == "collision" && l.AutoCollision {
			continue // 5.10 is the engine's own
		}
		covers = append(covers, c)
	}
	ded := map[string]string{}
	for k, m := range l.Deductibles {
		ded[k] = m.Amount()
	}
	alarm := l.Car.Alarm
	if alarm == "approved" && l.Car.AlarmLevelSensor {
		alarm = "approved_level_sensor"
	}
	veh := map[string]any{"first_registered": l.Car.FirstRegistered.String(), "model_year": l.Car.ModelYear, "alarm": alarm,
		"alloy_wheels": l.Car.AlloyWheels, "locking_wheel_nuts": l.Car.LockingWheelNuts, "pv_warranty_at_start": l.Car.DamageWarranty,
		"laid_up": l.LaidUp, "owned_since_first_registration": l.Car.OwnedSinceFirstRegistration}
	for k, x := range loss["vehicle"].(map[string]any) {
		veh[k] = x
	}
	doc := map[string]any{
		"market": "SE", "occurred_at": loss["occurred_at"], "reported_at": reported.String(), "language": string(lang),
		"policy": map[string]any{"covers": covers, "deductibles": ded, "lowest_collision_deductible": l.LowestCollisionDeductible.Amount(),
			"private_person": l.Policyholder.Kind == policies.Person, "vat_registered": l.Policyholder.VATRegistered,
			"bonus_class": l.BonusClass, "claim_free_years": l.ClaimFreeYears, "declined_auto_collision": l.DeclinedAutoCollision},
		"vehicle": veh, "driver": loss["driver"], "incident": loss["incident"], "costs": loss["costs"],
	}
	b, _ := json.Marshal(doc)
	return b
}

// TestSettlementIsTheEngines: for random policies and losses, a claim's
// settlement is exactly what insurance.Settle gives for the same facts, and
// the claim refuses exactly what the engine refuses.
func TestSettlementIsTheEngines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pdoc, _ := json.Marshal(genPolicy(t))
		np, err := policies.DecodeNewPolicy(pdoc)
		if err != nil {
			t.Skipf("policy refused: %v", err) // covers that do not fit together
		}
		p, err := policies.New("P1", np, "h1", time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		loss := genLoss(t)
		at := time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)
		body, _ := json.Marshal(map[string]any{"policy_id": "P1", "loss": loss})
		r, err := DecodeReport(body)
		if err != nil {
			t.Fatalf("report refused: %v\n%s", err, body)
		}
		c, cerr := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, at, nil)
		day, _ := roadcover.ParseDate(loss["occurred_at"].(string))
		v, err := p.VersionOn(day)
		if err != nil {
			t.Fatal(err)
		}
		lang := v.Letter.Policyholder.Language
		want, werr := insurance.SettleJSON(engineDocument(v, loss, policies.SwedishDay(at), lang), string(lang))
		if (cerr == nil) != (werr == nil) {
			t.Fatalf("the claim says %v, the engine %v", cerr, werr)
		}
		if cerr != nil {
			return
		}
		if !bytes.Equal(c.Settlement, want) {
			t.Fatalf("settlements differ:\nclaim:  %s\nengine: %s", c.Settlement, want)
		}
		s, _, err := c.Settle()
		if err != nil {
			t.Fatal(err)
		}
		if got := s.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("Settle differs from the engine")
		}
	})
}

// TestPaymentsNeverExceedPayable: whatever handlers order, approve, cancel
// and record, no order or approval takes a line's payments (released and
// awaiting) past its ceiling, and the claim never pays more than is
// payable. Only a later fact can lower a ceiling below what was paid (here
// another insurer's payment, 4.11): the excess is then shown as overpaid.
// The timeline replays to the same claim.
func TestPaymentsNeverExceedPayable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pdoc, _ := json.Marshal(genPolicy(t))
		np, err := policies.DecodeNewPolicy(pdoc)
		if err != nil {
			t.Skipf("policy refused: %v", err)
		}
		p, _ := policies.New("P1", np, "h1", time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
		body, _ := json.Marshal(map[string]any{"policy_id": "P1", "loss": genLoss(t)})
		r, err := DecodeReport(body)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)
		c, err := Open("C1", p, r, Actor{ID: "anna", Role: Policyholder}, at, nil)
		if err != nil {
			return // the engine refused the facts
		}
		handlers := []Actor{
			{ID: "h1", Role: ClaimsHandler, PaymentLimit: sek(1000000)},
			{ID: "h2", Role: ClaimsHandler, PaymentLimit: sek(5000000)},
			{ID: "h3", Role: ClaimsHandler, PaymentLimit: sek(100000000)},
		}
		payee := Payee{Name: "X", Kind: Bankgiro, Bankgiro: "5050-1055"}
		steps := rapid.IntRange(1, 25).Draw(t, "steps")
		for i := 0; i < steps; i++ {
			at = at.Add(time.Hour)
			h := rapid.SampledFrom(handlers).Draw(t, "handler")
			if len(c.Lines) == 0 {
				break
			}
			ln := c.Lines[rapid.IntRange(0, len(c.Lines)-1).Draw(t, "line")]
			before := len(c.Events)
			act := rapid.IntRange(0, 5).Draw(t, "act")
			switch act {
			case 0, 1:
				kind := rapid.SampledFrom([]PaymentKind{Indemnity, Advance}).Draw(t, "kind")
				amt := rapid.Int64Range(1, max(1, ln.Ceiling.Minor+ln.Ceiling.Minor/4+100)).Draw(t, "amount")
				c.OrderPayment(&PaymentRequest{Line: ln.Key, Kind: kind, Payee: payee, Amount: sek(amt)}, h, at)
			case 2:
				if n := len(c.Payments); n > 0 {
					c.ApprovePayment(c.Payments[rapid.IntRange(0, n-1).Draw(t, "pay")].ID, h, at)
				}
			case 3:
				if n := len(c.Payments); n > 0 {
					c.CancelPayment(c.Payments[rapid.IntRange(0, n-1).Draw(t, "pay")].ID, "x", h, at)
				}
			case 4:
				c.RecordOtherInsurance(&OtherInsuranceRequest{Insurer: "O", Line: ln.Key, Paid: sek(rapid.Int64Range(0, 50000000).Draw(t, "other"))}, h, at)
			case 5:
				c.Decide("", h, at)
			}
			paying := len(c.Events) > before && act <= 2
			for _, l := range c.Lines {
				over := l.Paid.Minor + l.Awaiting.Minor - l.Ceiling.Minor
				if over > 0 && (paying && l.Key == lineOf(c, act)) {
					t.Fatalf("line %s: paid %s and awaiting %s above its ceiling %s", l.Key, l.Paid, l.Awaiting, l.Ceiling)
				}
				if max(over, 0) != l.Overpaid.Minor {
					t.Fatalf("line %s: overpaid %s, but %d is above the ceiling", l.Key, l.Overpaid, over)
				}
				if l.Paid.Minor > 0 && (l.Status == "eligible") {
					t.Fatalf("line %s pays money", l.Key)
				}
			}
			if c.Totals.Paid.Minor > c.Totals.Payable.Minor+c.Totals.Overpaid.Minor {
				t.Fatalf("paid %s above payable %s", c.Totals.Paid, c.Totals.Payable)
			}
			var sum int64
			for _, o := range c.Released() {
				sum += o.Amount.Minor
			}
			if sum != c.Totals.Paid.Minor {
				t.Fatalf("released orders sum %d, totals paid %s", sum, c.Totals.Paid)
			}
		}
		back, err := Replay(c.ID, p, c.Events, c.Settlement)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := AppendClaimJSON(nil, c, roadcover.English), AppendClaimJSON(nil, back, roadcover.English); !bytes.Equal(a, b) {
			t.Fatalf("replay differs:\n%s\n%s", a, b)
		}
	})
}
