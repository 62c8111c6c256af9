package reimbursement

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"roadcover"
)

// propFacts decides a base case for the property tests.
func propFacts(t testing.TB, base string, choices map[string]string, vat bool) (*Facts, Env) {
	c := caseFile{Terms: "", Base: base, Choices: choices, Today: "2026-07-31", path: base}
	if vat {
		c.Patch = json.RawMessage(`{"customer": {"vat_registered": true}}`)
	}
	f, env := c.facts(t)
	return f, env
}

func july(n int) roadcover.Date { return roadcover.Date{Year: 2026, Month: 7, Day: n} }

// genReceipt draws a receipt of one of the categories.
func genReceipt(t *rapid.T, cats ...string) Receipt {
	cat := rapid.SampledFrom(cats).Draw(t, "category")
	cur := rapid.SampledFrom([]string{"EUR", "DKK", "GBP", "SEK"}).Draw(t, "currency")
	r := Receipt{
		Category:             cat,
		Amount:               roadcover.Money{Minor: rapid.Int64Range(1, 1_000_000).Draw(t, "amount"), Currency: cur},
		Date:                 july(rapid.IntRange(1, 10).Draw(t, "date")),
		Merchant:             "m",
		Persons:              rapid.IntRange(1, 5).Draw(t, "persons"),
		ArrangedByAssistance: rapid.Float64().Draw(t, "arranged") < 0.9,
	}
	if rapid.Bool().Draw(t, "has_vat") {
		v := rapid.Int64Range(0, r.Amount.Minor-1).Draw(t, "vat")
		r.VAT = &roadcover.Money{Minor: v, Currency: cur}
	}
	switch cat {
	case Hotel:
		r.Nights = rapid.IntRange(1, 4).Draw(t, "nights")
		r.ServiceFrom = july(rapid.IntRange(1, 8).Draw(t, "from"))
	case RentalCar, LocalRental:
		r.Days = rapid.IntRange(1, 8).Draw(t, "days")
		r.ServiceFrom = july(rapid.IntRange(1, 12).Draw(t, "from"))
	case Collection:
		r.Mode = rapid.SampledFrom(collectionModes).Draw(t, "mode")
	case Taxi:
		if rapid.Bool().Draw(t, "has_km") {
			km := rapid.Float64Range(0, 200).Draw(t, "km")
			r.DistanceKm = &km
		}
	}
	return r
}

// TestLimitsHoldAcrossReceipts checks, over random sequences of receipts of
// a Danish case, that no limit is passed however the receipts come: per
// case, per night (five distinct nights, each for at most the persons of
// the decision), the taxi rides' 50 EUR, the rental days up to until and
// never twice; that every line is consistent; and that it survives its JSON.
func TestLimitsHoldAcrossReceipts(t *testing.T) {
	for _, choice := range []string{"hotel", "onward_travel", "rental_car"} {
		for _, vat := range []bool{false, true} {
			f, env := propFacts(t, "dk-far", map[string]string{"further_assistance": choice}, vat)
			t.Run(fmt.Sprintf("%s/vat=%v", choice, vat), func(t *testing.T) {
				rapid.Check(t, func(t *rapid.T) {
					facts := *f
					var lines []Line
					n := rapid.IntRange(1, 12).Draw(t, "receipts")
					for i := range n {
						r := genReceipt(t, Hotel, OnwardTravel, RentalCar, Taxi, Collection, Fuel)
						r.ID = fmt.Sprint("r", i)
						facts.Earlier = lines
						l, err := Check(r, &facts, env)
						if err != nil {
							t.Fatalf("receipt %d: %v", i, err)
						}
						if err := lineInvariants(&l); err != "" {
							t.Fatalf("receipt %d: %s", i, err)
						}
						lines = append(lines, l)
					}
					if err := caseInvariants(&facts, lines); err != "" {
						t.Fatal(err)
					}
				})
			})
		}
	}
}

func lineInvariants(l *Line) string {
	switch l.Status {
	case Approved:
		if l.Amount != l.Converted {
			return fmt.Sprintf("approved %s of %s", l.Amount, l.Converted)
		}
	case Cut:
		if l.Amount.Minor <= 0 || l.Amount.Minor >= l.Converted.Minor {
			return fmt.Sprintf("cut to %s of %s", l.Amount, l.Converted)
		}
	case Refused:
		if l.Amount.Minor != 0 || len(l.Steps) == 0 {
			return fmt.Sprintf("refused with %s and %d steps", l.Amount, len(l.Steps))
		}
	default:
		return "status " + string(l.Status)
	}
	if l.Amount.Currency != "EUR" {
		return "amount in " + l.Amount.Currency
	}
	if l.VAT != nil && l.Status != Refused && l.Amount.Minor > l.Converted.Minor-l.VAT.InLimit.Minor {
		return fmt.Sprintf("paid %s with VAT %s of %s", l.Amount, l.VAT.InLimit, l.Converted)
	}
	out, _ := json.Marshal(l)
	back, err := DecodeLine(out)
	if err != nil {
		return "decode: " + err.Error()
	}
	if !reflect.DeepEqual(normal(back), normal(*l)) {
		return fmt.Sprintf("round trip:\n%+v\n%+v", back, *l)
	}
	return ""
}

// normal makes nil and empty slices alike for comparison.
func normal(l Line) Line {
	if len(l.Steps) == 0 {
		l.Steps = nil
	}
	return l
}

func caseInvariants(f *Facts, lines []Line) string {
	sums := map[string]int64{}
	nights := map[roadcover.Date]int{}
	days := map[roadcover.Date]bool{}
	collections := 0
	for _, l := range lines {
		if l.Status == Refused || l.Amount.Minor == 0 {
			continue
		}
		sums[l.Entitlement] += l.Amount.Minor
		for _, n := range l.Uses.Nights {
			nights[n.Date] += n.Persons
		}
		for _, d := range l.Uses.Days {
			if days[d] {
				return fmt.Sprintf("rental day %s paid twice", d)
			}
			days[d] = true
			if l.Rental != nil && l.Rental.Until.Before(d) {
				return fmt.Sprintf("rental day %s after %s", d, l.Rental.Until)
			}
		}
		if l.Category == Collection {
			collections++
		}
		if l.Limit != nil && l.Limit.Amount.Currency != "" && l.Limit.Per == "person_night" {
			pn := 0
			for _, n := range l.Uses.Nights {
				pn += n.Persons
			}
			if l.Amount.Minor > l.Limit.Amount.Minor*int64(pn) {
				return fmt.Sprintf("hotel line %s pays %s for %d person-nights", l.Receipt, l.Amount, pn)
			}
		}
	}
	for _, d := range f.Decision.Entitlements {
		limit := d.Total.Minor
		if d.Total.Currency == "" {
			limit = d.Limit.Minor
		}
		if d.Limit.Currency != "" && sums[d.Code] > limit {
			return fmt.Sprintf("%s: paid %d of a limit of %d", d.Code, sums[d.Code], limit)
		}
		if d.Code == "hotel" {
			if len(nights) > d.MaxNights {
				return fmt.Sprintf("%d distinct nights paid", len(nights))
			}
			for n, p := range nights {
				if p > d.Persons {
					return fmt.Sprintf("night %s paid for %d persons", n, p)
				}
			}
		}
	}
	if collections > 1 {
		return fmt.Sprintf("%d collections paid", collections)
	}
	return ""
}

// TestAllowanceAcrossReceipts checks the 1.5 allowance: never more than the
// limit for the case, whatever mix of expenses and local rentals comes,
// except the German local rental paid besides it.
func TestAllowanceAcrossReceipts(t *testing.T) {
	for _, base := range []string{"gb-abroad", "de-abroad", "dk-abroad", "pt-abroad"} {
		f, env := propFacts(t, base, map[string]string{"repatriation_alternative": "local_repair_allowance"}, false)
		t.Run(base, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				facts := *f
				var lines []Line
				var paid int64
				var limit int64
				for i := range rapid.IntRange(1, 8).Draw(t, "receipts") {
					r := genReceipt(t, ExpensesAbroad, LocalRental)
					r.ID = fmt.Sprint("r", i)
					facts.Earlier = lines
					l, err := Check(r, &facts, env)
					if err != nil {
						t.Fatal(err)
					}
					if l.Status != Refused && l.Entitlement != entAllowance {
						t.Fatalf("paid on %s", l.Entitlement)
					}
					if l.Limit != nil {
						limit = l.Limit.Amount.Minor
					}
					if l.Reason != ReasonRentalWithAllowance && !(l.Category == LocalRental && base == "de-abroad") {
						paid += l.Amount.Minor
					}
					lines = append(lines, l)
				}
				if limit > 0 && paid > limit {
					t.Fatalf("allowance: paid %d of %d", paid, limit)
				}
			})
		})
	}
}
