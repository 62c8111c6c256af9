package insurance

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
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
// covers, ages, odometers, driver facts and costs. Costs beside the peril's
// own loss are present or absent at random; rare facts (intent, track
// driving, ...) are drawn rarely, so that most claims reach the rules.
func claimGen() *rapid.Generator[map[string]any] {
	return rapid.Custom(func(t *rapid.T) map[string]any {
		var covers []string
		for _, c := range coverNames {
			if rapid.Bool().Draw(t, "cover_"+c) {
				covers = append(covers, c)
			}
		}
		b := rapid.Bool()
		rare := func(name string) bool { return rapid.IntRange(0, 7).Draw(t, name) == 0 }
		amt := amountGen(600000)
		year := rapid.IntRange(2021, 2026).Draw(t, "year")
		occurred := fmt.Sprintf("%d-%02d-%02d", year, rapid.IntRange(1, 12).Draw(t, "month"), rapid.IntRange(1, 28).Draw(t, "day"))
		if occurred < "2021-10-15" {
			occurred = "2021-10-15"
		}
		regYear := rapid.IntRange(2008, year).Draw(t, "reg")
		reg := fmt.Sprintf("%d-%02d-%02d", regYear, rapid.IntRange(1, 12).Draw(t, "regmonth"), rapid.IntRange(1, 28).Draw(t, "regday"))
		if reg > occurred {
			reg = occurred
		}
		costs := map[string]any{
			"repair_sek": amt.Draw(t, "repair"), "market_value_sek": amt.Draw(t, "mv"),
			"new_car_price_sek": amt.Draw(t, "newcar"), "value_after_damage_sek": amt.Draw(t, "va"),
		}
		if b.Draw(t, "has_small_repair") {
			costs["repair_sek"] = amountGen(6000).Draw(t, "small_repair")
		}
		optional := map[string]func() any{
			"warranty_deductible_sek": func() any { return amountGen(10000).Draw(t, "wd") },
			"third_party_sek":         func() any { return amt.Draw(t, "tp") },
			"clothes_sek":             func() any { return amountGen(5000).Draw(t, "clothes") },
			"towing_sek":              func() any { return amountGen(8000).Draw(t, "towing") },
			"collection_sek":          func() any { return amountGen(3000).Draw(t, "collection") },
			"wheels": func() any {
				return map[string]any{"tyres_sek": amountGen(30000).Draw(t, "tyres"), "tyres_age_years": rapid.IntRange(0, 12).Draw(t, "ta"),
					"rims_sek": amountGen(30000).Draw(t, "rims"), "rims_age_years": rapid.IntRange(0, 12).Draw(t, "ra")}
			},
			"rescue": func() any {
				return map[string]any{"car_transport_sek": amountGen(20000).Draw(t, "ct"), "person_transport_sek": amountGen(20000).Draw(t, "pt"),
					"saved_fuel_sek": amountGen(3000).Draw(t, "sf"), "covered_elsewhere_sek": amountGen(20000).Draw(t, "ce")}
			},
			"legal": func() any {
				return map[string]any{"lawyer_hours": rapid.IntRange(0, 300).Draw(t, "hours"), "hourly_rate_sek": amountGen(4000).Draw(t, "rate"),
					"investigation_sek": amountGen(50000).Draw(t, "inv"), "witness_sek": amountGen(50000).Draw(t, "wit"), "other_sek": amountGen(300000).Draw(t, "oth")}
			},
			"rental": func() any {
				days := rapid.IntRange(0, 90).Draw(t, "days")
				out := rapid.IntRange(0, min(days, 4)).Draw(t, "out")
				home := rapid.IntRange(0, min(days-out, 4)).Draw(t, "home")
				return map[string]any{"days": days, "days_in_sweden_outbound": out, "days_in_sweden_homebound": home,
					"daily_sek": amountGen(2000).Draw(t, "daily"), "km_sek": amountGen(5000).Draw(t, "km"), "cash_instead": rare("cash")}
			},
			"therapy_sessions_sek": func() any { return rapid.SliceOfN(amountGen(3000), 1, 14).Draw(t, "sessions") },
			"care_persons":         func() any { return []any{map[string]any{"age": rapid.IntRange(0, 90).Draw(t, "cage")}} },
		}
		for _, name := range []string{"warranty_deductible_sek", "third_party_sek", "clothes_sek", "towing_sek", "collection_sek",
			"wheels", "rescue", "legal", "rental", "therapy_sessions_sek", "care_persons"} {
			if b.Draw(t, "has_"+name) {
				costs[name] = optional[name]()
			}
		}
		alarm := rapid.SampledFrom(alarms).Draw(t, "alarm")
		vehicle := map[string]any{"first_registered": reg, "model_year": regYear, "odometer_km": rapid.IntRange(0, 250000).Draw(t, "odo"),
			"alarm": alarm, "alloy_wheels": b.Draw(t, "alloy"), "locking_wheel_nuts": b.Draw(t, "nuts"),
			"missed_services": rapid.IntRange(0, 3).Draw(t, "missed"), "pv_warranty_at_start": b.Draw(t, "pv"), "laid_up": rare("laid"),
			"owned_since_first_registration": b.Draw(t, "owned"), "in_locked_garage": b.Draw(t, "garage")}
		if alarm != "approved_level_sensor" {
			vehicle["alarm_level_sensor"] = b.Draw(t, "sensor")
		}
		return map[string]any{
			"market": "SE", "occurred_at": occurred,
			"policy": map[string]any{"covers": covers,
				"deductibles": map[string]any{"fire": amountGen(5000).Draw(t, "dfire"), "glass": amountGen(3000).Draw(t, "dglass"),
					"theft": amountGen(5000).Draw(t, "dtheft"), "rescue": amountGen(3000).Draw(t, "drescue"),
					"collision": amountGen(10000).Draw(t, "dcoll"), "detached_part": amountGen(10000).Draw(t, "ddp")},
				"lowest_collision_deductible": amountGen(5000).Draw(t, "lowest"),
				"private_person":              b.Draw(t, "private"), "vat_registered": rare("vat"),
				"bonus_class": rapid.IntRange(0, 9).Draw(t, "bonus"), "claim_free_years": rapid.IntRange(0, 10).Draw(t, "cfy"),
				"declined_auto_collision": rare("declined")},
			"vehicle": vehicle,
			"driver": map[string]any{"age": rapid.IntRange(16, 90).Draw(t, "age"), "is_policyholder": b.Draw(t, "holder"),
				"licence": !rare("nolicence"), "intoxicated": rare("intox"), "gross_negligence": rare("gross"), "intent": rare("intent")},
			"incident": map[string]any{"peril": rapid.SampledFrom(perils).Draw(t, "peril"),
				"country":       rapid.SampledFrom([]string{"SE", "SE", "SE", "DE", "NO", "US", "RU"}).Draw(t, "country"),
				"police_report": !rare("nopolice"), "animal": rapid.SampledFrom(animals).Draw(t, "animal"),
				"reported_to_owner": b.Draw(t, "owner"),
				"component":         rapid.SampledFrom(components).Draw(t, "component"), "forum": rapid.SampledFrom(forums).Draw(t, "forum"),
				"dispute": rapid.SampledFrom(disputes).Draw(t, "dispute"), "other_vehicle": rapid.SampledFrom(otherVehs).Draw(t, "other"),
				"glass_repaired": b.Draw(t, "grep"), "in_collision": rare("incoll"), "detached_part": b.Draw(t, "dp"),
				"detached_part_unlocked": rare("dpu"), "car_unlocked": rare("unlocked"), "key_in_or_near_car": rare("key"),
				"recovered_within_30_days": b.Draw(t, "rec"), "recovered_within_1_day": b.Draw(t, "rec1"),
				"tyre_defect": rare("tyre"), "ice_not_checked": rare("ice"), "covered_by_warranty": rare("cbw"),
				"false_information": rare("false"), "repair_days": rapid.IntRange(0, 10).Draw(t, "rdays"),
				"track_or_competition": rare("track")},
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

// fullSettlement is the part of the contract the invariants read.
type fullSettlement struct {
	Lines []struct {
		Cover      string
		Status     string
		Assessed   string
		Deductible string
		Payable    string
		Valuation  []struct{ Code, Amount string }
		Parts      []struct{ Code, Amount string } `json:"deductible_parts"`
	}
	Refusals     []struct{ Code, Cover string }
	Requirements []string
	PayableTotal string `json:"payable_total"`
	NewCar       bool   `json:"new_car_replacement"`
}

// drawSettled draws a claim and settles it; ok is false when the claim is
// an input error (checked to be one).
func drawSettled(t *rapid.T) (claim map[string]any, s fullSettlement, ok bool) {
	claim = claimGen().Draw(t, "claim")
	in, _ := json.Marshal(claim)
	out, err := SettleJSON(in, "en")
	if err != nil {
		var ie *roadcover.InputError
		if !errors.As(err, &ie) {
			t.Fatalf("not an input error: %v", err)
		}
		return claim, s, false
	}
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	return claim, s, true
}

// money reads an amount of the drawn claim (0 when absent).
func money(t *rapid.T, m map[string]any, key string) int64 {
	v, ok := m[key].(string)
	if !ok {
		return 0
	}
	return minor(t, v)
}

// carCovers are the lines that pay the car's own damage or loss, or refund
// its deductible.
var carCovers = []string{"fire", "glass", "theft", "machinery", "collision", "layup", "animal_collision",
	"vandalism_deductible", "collision_abroad", "interior", "key", "plus"}

// TestPayableWithinLoss: no claim pays more than the loss of the event
// (4.1), whatever the combination of covers: the lines that pay the car
// (with Plus and the Bas refunds) at most the car's loss plus its transport
// and collection (and clothes, paid on the animal line); each other line at
// most its own costs; the total at most the sum.
func TestPayableWithinLoss(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		claim, s, ok := drawSettled(t)
		if !ok {
			return
		}
		costs := claim["costs"].(map[string]any)
		n := claim["incident"].(map[string]any)
		peril := n["peril"].(string)
		recovered, _ := n["recovered_within_30_days"].(bool)
		// the car's own loss
		car := money(t, costs, "repair_sek")
		switch {
		case s.NewCar:
			car = money(t, costs, "new_car_price_sek")
		case stolenCar(peril) && !recovered:
			car = money(t, costs, "market_value_sek")
		case peril == "wheel_theft":
			car = 0
			if w, ok := costs["wheels"].(map[string]any); ok {
				car = money(t, w, "tyres_sek") + money(t, w, "rims_sek")
			}
		case peril == "warranty_repair" && costs["repair_sek"] == nil:
			car = money(t, costs, "warranty_deductible_sek")
		}
		var carTransport, person int64
		if r, ok := costs["rescue"].(map[string]any); ok {
			carTransport, person = money(t, r, "car_transport_sek"), money(t, r, "person_transport_sek")
		}
		transport := money(t, costs, "towing_sek") + carTransport
		var rental int64
		if r, ok := costs["rental"].(map[string]any); ok {
			days := int64(r["days"].(int))
			rental = max(days*10000, days*money(t, r, "daily_sek")+money(t, r, "km_sek"))
		}
		var therapy int64
		if ss, ok := costs["therapy_sessions_sek"].([]string); ok {
			for _, x := range ss {
				therapy += minor(t, x)
			}
		}
		var legal int64
		if g, ok := costs["legal"].(map[string]any); ok {
			legal = int64(g["lawyer_hours"].(int))*money(t, g, "hourly_rate_sek") + money(t, g, "investigation_sek") +
				money(t, g, "witness_sek") + money(t, g, "other_sek")
		}
		bound := map[string]int64{
			"car":            car + transport + money(t, costs, "collection_sek") + money(t, costs, "clothes_sek"),
			"rescue":         person + transport,
			"rental_car":     rental,
			"traffic":        money(t, costs, "third_party_sek"),
			"crisis_therapy": therapy,
			"legal":          legal,
		}
		paid := map[string]int64{}
		for _, l := range s.Lines {
			group := l.Cover
			switch {
			case l.Cover == "layup" && peril == "legal_dispute":
				group = "legal"
			case in(l.Cover, carCovers):
				group = "car"
			}
			paid[group] += minor(t, l.Payable)
		}
		var all int64
		for g, b := range bound {
			all += b
			if paid[g] > b {
				t.Fatalf("%s lines pay %d, more than the loss %d (%s)", g, paid[g], b, peril)
			}
		}
		if minor(t, s.PayableTotal) > all {
			t.Fatalf("payable_total %s is more than the losses %d", s.PayableTotal, all)
		}
	})
}

// TestOneDeductiblePerIncident: under 2.9 the claim is charged one
// deductible: of the own-damage lines, the deductibles charged, youth parts
// apart, add up to the highest line's own (ordinary) deductible, or to what
// the lines can bear when that is less; a youth part is always charged in
// full. Traffic, legal protection, crisis therapy and care are exempt.
func TestOneDeductiblePerIncident(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		claim, s, ok := drawSettled(t)
		if !ok {
			return
		}
		peril := claim["incident"].(map[string]any)["peril"].(string)
		var highest, charged, bearable int64
		carriers := 0
		for _, l := range s.Lines {
			switch {
			case l.Cover == "traffic", l.Cover == "legal", l.Cover == "crisis_therapy", l.Cover == "care",
				l.Cover == "layup" && peril == "legal_dispute":
				continue
			}
			var own, youth int64
			for _, p := range l.Parts {
				switch p.Code {
				case "young_driver":
					youth += minor(t, p.Amount)
				case "single_deductible":
				default:
					own += minor(t, p.Amount)
				}
			}
			own = max(0, own)
			d := minor(t, l.Deductible)
			if d < youth {
				t.Fatalf("%s: deductible %d below its youth part %d", l.Cover, d, youth)
			}
			charged += d - youth
			if own > 0 {
				carriers++
				highest = max(highest, own)
				bearable += max(0, minor(t, l.Assessed)-youth)
			}
		}
		want := highest
		if carriers >= 2 {
			want = min(highest, bearable)
		}
		if charged != want {
			t.Fatalf("own-damage deductibles charged %d (youth apart), want %d (highest %d, bearable %d, %d lines)", charged, want, highest, bearable, carriers)
		}
	})
}

// damageCovers are the covers that pay damage of the collision kind.
var damageCovers = []string{"collision", "animal_collision", "vandalism_deductible", "collision_abroad", "plus"}

// TestEveryLossAccountedFor: no input makes a loss disappear silently: every
// loss the claim gives is met by a line or a refusal of a cover that pays
// such a loss; the car's transport joins a damage line only as a valuation
// step.
func TestEveryLossAccountedFor(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		claim, s, ok := drawSettled(t)
		if !ok {
			return
		}
		costs := claim["costs"].(map[string]any)
		n := claim["incident"].(map[string]any)
		peril := n["peril"].(string)
		laidUp := claim["vehicle"].(map[string]any)["laid_up"].(bool)
		named := map[string]bool{}
		for _, l := range s.Lines {
			named[l.Cover] = true
		}
		for _, r := range s.Refusals {
			named[r.Cover] = true
		}
		need := func(what string, given bool, covers ...string) {
			if !given {
				return
			}
			for _, c := range covers {
				if named[c] {
					return
				}
			}
			t.Fatalf("%s given (%s) but no line or refusal of %v: lines %v refusals %v", what, peril, covers, s.Lines, s.Refusals)
		}
		_, repair := costs["repair_sek"]
		_, wheels := costs["wheels"]
		_, legal := costs["legal"]
		recovered, _ := n["recovered_within_30_days"].(bool)
		own := []string{}
		given := false
		switch {
		case in(peril, firePerils):
			own, given = []string{"fire"}, repair
		case in(peril, glassPerils):
			own, given = append([]string{"glass"}, damageCovers...), repair
		case peril == "wheel_theft":
			own, given = []string{"theft"}, wheels
		case stolenCar(peril) && !recovered:
			own, given = []string{"theft"}, costs["market_value_sek"] != nil
		case in(peril, theftPerils):
			own, given = []string{"theft"}, repair
		case peril == "machinery_failure", peril == "breakdown":
			own, given = []string{"machinery"}, repair
		case peril == "legal_dispute":
			own, given = []string{"legal"}, legal
		case in(peril, collisionPerils), peril == "transport_damage":
			own, given = damageCovers, repair
		case peril == "interior_accident":
			own, given = []string{"interior"}, repair
		case peril == "key_loss":
			own, given = []string{"key"}, repair
		case peril == "warranty_repair":
			own, given = []string{"plus"}, repair
		}
		if laidUp {
			own = append(own, "layup")
		}
		need("the peril's own loss", given, own...)
		need("third-party damage", money(t, costs, "third_party_sek") > 0, "traffic")
		var person, carTransport int64
		if r, ok := costs["rescue"].(map[string]any); ok {
			person, carTransport = money(t, r, "person_transport_sek"), money(t, r, "car_transport_sek")
		}
		need("person transport", person > 0, "rescue")
		if money(t, costs, "towing_sek")+carTransport > 0 {
			joined := false
			for _, l := range s.Lines {
				for _, v := range l.Valuation {
					joined = joined || (v.Code == "towing" && in(l.Cover, []string{"fire", "theft", "machinery", "collision", "layup"}))
				}
			}
			if !joined {
				need("car transport", true, "rescue")
			}
		}
		if r, ok := costs["rental"].(map[string]any); ok {
			need("rental", r["days"].(int) > 0, "rental_car")
		}
		need("clothes", money(t, costs, "clothes_sek") > 0, "animal_collision")
		need("crisis therapy", costs["therapy_sessions_sek"] != nil, "crisis_therapy")
		need("collection", money(t, costs, "collection_sek") > 0, "theft", "layup")
		need("injured persons", costs["care_persons"] != nil, "care")
	})
}

// TestPercentOfExact: the one percentage of money rounds x × p / 100 half
// away from zero exactly, also where the product overflows int64.
func TestPercentOfExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := rapid.Int64().Draw(t, "x")
		p := rapid.Int64Range(0, 100).Draw(t, "p")
		got, ok := percentOf(x, p)
		if !ok {
			t.Fatalf("percentOf(%d, %d) refused", x, p)
		}
		prod := new(big.Int).Mul(big.NewInt(x), big.NewInt(p))
		abs := new(big.Int).Abs(prod)
		abs.Add(abs, big.NewInt(50)).Quo(abs, big.NewInt(100))
		if prod.Sign() < 0 {
			abs.Neg(abs)
		}
		if !abs.IsInt64() || abs.Int64() != got {
			t.Fatalf("percentOf(%d, %d) = %d, want %s", x, p, got, abs)
		}
	})
}
