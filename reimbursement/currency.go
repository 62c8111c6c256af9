package reimbursement

import (
	"sort"

	"golang.org/x/text/currency"
)

// maxUnits is the largest amount a receipt may give, in whole units of each
// currency it may be in: the currencies of the covered area (ISO 4217) and
// a few majors a ticket may be priced in. The bounds are plausibility
// bounds of roughly 100 000 EUR (no receipt of a roadside case comes near
// it), not rates; a currency not listed is refused.
var maxUnits = map[string]int64{
	// euro and currencies within a factor of a few of it
	"EUR": 100_000, "GBP": 100_000, "GIP": 100_000, "CHF": 100_000,
	"USD": 100_000, "CAD": 200_000, "AUD": 200_000, "BAM": 200_000,
	"BGN": 200_000, "BYN": 400_000, "PLN": 500_000, "RON": 500_000,
	"HRK": 1_000_000, "CNY": 1_000_000,
	// tens of units per euro
	"DKK": 1_000_000, "SEK": 2_000_000, "NOK": 2_000_000, "MDL": 2_000_000,
	"CZK": 3_000_000, "UAH": 5_000_000, "TRY": 5_000_000, "MKD": 7_000_000,
	// a hundred or more per euro
	"RUB": 15_000_000, "RSD": 15_000_000, "ALL": 15_000_000, "ISK": 20_000_000,
	"JPY": 20_000_000, "HUF": 50_000_000,
}

// Currencies lists the currencies a receipt may be in.
func Currencies() []string {
	out := make([]string, 0, len(maxUnits))
	for c := range maxUnits {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// minorDigits is the number of decimals of the currency (ISO 4217, from
// CLDR), at most 2: ISK and JPY have none.
func minorDigits(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return min(scale, 2)
}
