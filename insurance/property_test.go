package insurance

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"roadcover"
)

type outLine struct {
	Cover      string
	Covered    bool
	Status     string
	Assessed   string
	Deductible string
	Net        string
	Payable    string
	Parts      []struct{ Amount string } `json:"deductible_parts"`
	Reductions []struct{ Amount string }
}

type outSettlement struct {
	Lines           []outLine
	PayableTotal    string `json:"payable_total"`
	DeductibleTotal string `json:"deductible_total"`
}

func minor(t interface{ Fatalf(string, ...any) }, s string) int64 {
	v, err := roadcover.ParseMinor(s)
	if err != nil {
		t.Fatalf("not money: %q", s)
	}
	return v
}

func amountGen(max int) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		n := rapid.IntRange(0, max).Draw(t, "whole")
		c := rapid.IntRange(0, 99).Draw(t, "cents")
		return fmt.Sprintf("%d.%02d", n, c)
	})
}

// claimGen draws claims over the whole input space: every peril, any set of
// covers, ages, odometers, driver facts and costs.
func claimGen() *rapid.Generator[map[string]any] {
	return rapid.Custom(func(t *rapid.T) map[string]any {
		var covers []string
		for _, c := range coverNames {
			if rapid.Bool().Draw(t, "cover_"+c) {
				covers = append(covers, c)
			}
		}
		b := rapid.Bool()
		amt := amountGen(600000)
		year := rapid.IntRange(2021, 2026).Draw(t, "year")
		occurred := fmt.Sprintf("%d-%02d-%02d", year, rapid.IntRange(1, 12).Draw(t, "month"), rapid.IntRange(1, 28).Draw(t, "day"))
		if occurred < "2021-10-15" {
			occurred = "2021-10-15"
		}
		regYear := rapid.IntRange(2008, year).Draw(t, "reg")
		reg := fmt.Sprintf("%d-01-01", regYear)
		costs := map[string]any{
			"repair_sek": amt.Draw(t, "repair"), "market_value_sek": amt.Draw(t, "mv"),
			"warranty_deductible_sek": amountGen(10000).Draw(t, "wd"),
			"third_party_sek":         amt.Draw(t, "tp"), "clothes_sek": amountGen(5000).Draw(t, "clothes"),
			"new_car_price_sek": amt.Draw(t, "newcar"), "value_after_damage_sek": amt.Draw(t, "va"),
			"wheels": map[string]any{"tyres_sek": amountGen(30000).Draw(t, "tyres"), "tyres_age_years": rapid.IntRange(0, 12).Draw(t, "ta"),
				"rims_sek": amountGen(30000).Draw(t, "rims"), "rims_age_years": rapid.IntRange(0, 12).Draw(t, "ra")},
			"rescue": map[string]any{"car_transport_sek": amountGen(20000).Draw(t, "ct"), "person_transport_sek": amountGen(20000).Draw(t, "pt"),
				"saved_fuel_sek": amountGen(3000).Draw(t, "sf"), "covered_elsewhere_sek": amountGen(20000).Draw(t, "ce")},
			"legal": map[string]any{"lawyer_hours": rapid.IntRange(0, 300).Draw(t, "hours"), "hourly_rate_sek": amountGen(4000).Draw(t, "rate"),
				"investigation_sek": amountGen(50000).Draw(t, "inv"), "witness_sek": amountGen(50000).Draw(t, "wit"), "other_sek": amountGen(300000).Draw(t, "oth")},
			"rental": map[string]any{"days": rapid.IntRange(0, 90).Draw(t, "days"), "days_in_sweden": rapid.IntRange(0, 10).Draw(t, "dse"),
				"daily_sek": amountGen(2000).Draw(t, "daily"), "km_sek": amountGen(5000).Draw(t, "km"), "cash_instead": b.Draw(t, "cash")},
			"therapy_sessions_sek": rapid.SliceOfN(amountGen(3000), 0, 14).Draw(t, "sessions"),
			"care_persons":         []any{map[string]any{"age": rapid.IntRange(0, 90).Draw(t, "cage")}},
		}
		return map[string]any{
			"market": "SE", "occurred_at": occurred,
			"policy": map[string]any{"covers": covers,
				"deductibles": map[string]any{"fire": amountGen(5000).Draw(t, "dfire"), "glass": amountGen(3000).Draw(t, "dglass"),
					"theft": amountGen(5000).Draw(t, "dtheft"), "rescue": amountGen(3000).Draw(t, "drescue"),
					"collision": amountGen(10000).Draw(t, "dcoll"), "detached_part": amountGen(10000).Draw(t, "ddp")},
				"lowest_collision_deductible": amountGen(5000).Draw(t, "lowest"),
				"private_person":              b.Draw(t, "private"), "vat_registered": b.Draw(t, "vat"),
				"bonus_class": rapid.IntRange(0, 9).Draw(t, "bonus"), "claim_free_years": rapid.IntRange(0, 10).Draw(t, "cfy"),
				"declined_auto_collision": b.Draw(t, "declined")},
			"vehicle": map[string]any{"first_registered": reg, "model_year": regYear, "odometer_km": rapid.IntRange(0, 250000).Draw(t, "odo"),
				"alarm": rapid.SampledFrom(alarms).Draw(t, "alarm"), "alloy_wheels": b.Draw(t, "alloy"), "locking_wheel_nuts": b.Draw(t, "nuts"),
				"missed_services": rapid.IntRange(0, 3).Draw(t, "missed"), "pv_warranty_at_start": b.Draw(t, "pv"), "laid_up": b.Draw(t, "laid"),
				"owned_since_first_registration": b.Draw(t, "owned"), "in_locked_garage": b.Draw(t, "garage")},
			"driver": map[string]any{"age": rapid.IntRange(16, 90).Draw(t, "age"), "is_policyholder": b.Draw(t, "holder"),
				"licence": b.Draw(t, "licence"), "intoxicated": b.Draw(t, "intox"), "gross_negligence": b.Draw(t, "gross"), "intent": b.Draw(t, "intent")},
			"incident": map[string]any{"peril": rapid.SampledFrom(perils).Draw(t, "peril"),
				"country":       rapid.SampledFrom([]string{"SE", "DE", "NO", "US", "RU"}).Draw(t, "country"),
				"police_report": b.Draw(t, "police"), "animal": rapid.SampledFrom(animals).Draw(t, "animal"),
				"component": rapid.SampledFrom(components).Draw(t, "component"), "forum": rapid.SampledFrom(forums).Draw(t, "forum"),
				"dispute": rapid.SampledFrom(disputes).Draw(t, "dispute"), "other_vehicle": rapid.SampledFrom(otherVehs).Draw(t, "other"),
				"glass_repaired": b.Draw(t, "grep"), "in_collision": b.Draw(t, "incoll"), "detached_part": b.Draw(t, "dp"),
				"detached_part_unlocked": b.Draw(t, "dpu"), "car_unlocked": b.Draw(t, "unlocked"), "key_in_or_near_car": b.Draw(t, "key"),
				"recovered_within_30_days": b.Draw(t, "rec"), "tyre_defect": b.Draw(t, "tyre"), "ice_not_checked": b.Draw(t, "ice"),
				"false_information": b.Draw(t, "false"), "repair_days": rapid.IntRange(0, 10).Draw(t, "rdays"),
				"track_or_competition": b.Draw(t, "track")},
			"costs": costs,
		}
	})
}

// TestSettlementProperties: payable_total is the sum of the lines, no
// deductible is negative, no line pays more than it assessed or less than 0,
// deductible parts add up, and deductible_total is the sum charged.
func TestSettlementProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		claim := claimGen().Draw(t, "claim")
		in, _ := json.Marshal(claim)
		out, err := SettleJSON(in, "")
		if err != nil {
			var ie *roadcover.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		var s outSettlement
		if err := json.Unmarshal(out, &s); err != nil {
			t.Fatalf("bad JSON: %v", err)
		}
		var sum, dsum int64
		for _, l := range s.Lines {
			a, d, n, p := minor(t, l.Assessed), minor(t, l.Deductible), minor(t, l.Net), minor(t, l.Payable)
			if d < 0 {
				t.Fatalf("%s: negative deductible %d", l.Cover, d)
			}
			if p < 0 || p > a {
				t.Fatalf("%s: payable %d outside 0..assessed %d", l.Cover, p, a)
			}
			if l.Status == "settled" && n != max(0, a-d) {
				t.Fatalf("%s: net %d is not max(0, %d-%d)", l.Cover, n, a, d)
			}
			var parts int64
			for _, pt := range l.Parts {
				parts += minor(t, pt.Amount)
			}
			if max(0, parts) != d {
				t.Fatalf("%s: parts add up to %d, deductible %d", l.Cover, parts, d)
			}
			left := n
			for _, r := range l.Reductions {
				left -= minor(t, r.Amount)
			}
			if l.Status == "settled" && left != p {
				t.Fatalf("%s: net %d less reductions is %d, payable %d", l.Cover, n, left, p)
			}
			sum += p
			if l.Covered && l.Status == "settled" {
				dsum += d
			}
		}
		if minor(t, s.PayableTotal) != sum {
			t.Fatalf("payable_total %s, lines sum to %d", s.PayableTotal, sum)
		}
		if minor(t, s.DeductibleTotal) != dsum {
			t.Fatalf("deductible_total %s, lines sum to %d", s.DeductibleTotal, dsum)
		}
	})
}

// FuzzSettleJSON: any body either settles to JSON or is refused with an
// input error; nothing panics.
func FuzzSettleJSON(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add([]byte(c.Input))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := SettleJSON(data, "")
		if err != nil {
			var ie *roadcover.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON: %s", out)
		}
	})
}
