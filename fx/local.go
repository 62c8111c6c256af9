package fx

import (
	"strings"

	"roadcover"
)

// era is a currency in use in a country from a day on.
type era struct {
	from     roadcover.Date
	currency string
}

// TableFrom is the first day the table of local currencies answers for.
var TableFrom = roadcover.Date{Year: 2010, Month: 1, Day: 1}

// local is the currency in use in each country of the covered area (and a
// few neighbours a trip may end in), with the euro adoptions since
// TableFrom. Montenegro and Kosovo use the euro without being in the euro
// area; Liechtenstein uses the Swiss franc; Gibraltar its own pound (GIP,
// at par with GBP but not published by the ECB: not pegged here); the UK
// Sovereign Base Areas in Cyprus use the euro.
var local = map[string][]era{
	"AD": {{TableFrom, "EUR"}},
	"AL": {{TableFrom, "ALL"}},
	"AT": {{TableFrom, "EUR"}},
	"AX": {{TableFrom, "EUR"}},
	"BA": {{TableFrom, "BAM"}},
	"BE": {{TableFrom, "EUR"}},
	"BG": {{TableFrom, "BGN"}, {roadcover.Date{Year: 2026, Month: 1, Day: 1}, "EUR"}},
	"BY": {{roadcover.Date{Year: 2016, Month: 7, Day: 1}, "BYN"}},
	"CH": {{TableFrom, "CHF"}},
	"CY": {{TableFrom, "EUR"}},
	"CZ": {{TableFrom, "CZK"}},
	"DE": {{TableFrom, "EUR"}},
	"DK": {{TableFrom, "DKK"}},
	"EE": {{TableFrom, "EEK"}, {roadcover.Date{Year: 2011, Month: 1, Day: 1}, "EUR"}},
	"ES": {{TableFrom, "EUR"}},
	"FI": {{TableFrom, "EUR"}},
	"FO": {{TableFrom, "DKK"}},
	"FR": {{TableFrom, "EUR"}},
	"GB": {{TableFrom, "GBP"}},
	"GI": {{TableFrom, "GIP"}},
	"GR": {{TableFrom, "EUR"}},
	"HR": {{TableFrom, "HRK"}, {roadcover.Date{Year: 2023, Month: 1, Day: 1}, "EUR"}},
	"HU": {{TableFrom, "HUF"}},
	"IE": {{TableFrom, "EUR"}},
	"IS": {{TableFrom, "ISK"}},
	"IT": {{TableFrom, "EUR"}},
	"LI": {{TableFrom, "CHF"}},
	"LT": {{TableFrom, "LTL"}, {roadcover.Date{Year: 2015, Month: 1, Day: 1}, "EUR"}},
	"LU": {{TableFrom, "EUR"}},
	"LV": {{TableFrom, "LVL"}, {roadcover.Date{Year: 2014, Month: 1, Day: 1}, "EUR"}},
	"MC": {{TableFrom, "EUR"}},
	"MD": {{TableFrom, "MDL"}},
	"ME": {{TableFrom, "EUR"}},
	"MK": {{TableFrom, "MKD"}},
	"MT": {{TableFrom, "EUR"}},
	"NL": {{TableFrom, "EUR"}},
	"NO": {{TableFrom, "NOK"}},
	"PL": {{TableFrom, "PLN"}},
	"PT": {{TableFrom, "EUR"}},
	"RO": {{TableFrom, "RON"}},
	"RS": {{TableFrom, "RSD"}},
	"RU": {{TableFrom, "RUB"}},
	"SE": {{TableFrom, "SEK"}},
	"SI": {{TableFrom, "EUR"}},
	"SK": {{TableFrom, "EUR"}},
	"SM": {{TableFrom, "EUR"}},
	"TR": {{TableFrom, "TRY"}},
	"UA": {{TableFrom, "UAH"}},
	"VA": {{TableFrom, "EUR"}},
	"XK": {{TableFrom, "EUR"}},
}

// LocalCurrency is the ISO 4217 currency in use in country on day; ok is
// false for a country not in the table or a day before it.
func (*Rates) LocalCurrency(country string, day roadcover.Date) (string, bool) {
	return LocalCurrency(country, day)
}

// LocalCurrency is the ISO 4217 currency in use in country on day; ok is
// false for a country not in the table or a day before it.
func LocalCurrency(country string, day roadcover.Date) (string, bool) {
	eras := local[strings.ToUpper(strings.TrimSpace(country))]
	cur, ok := "", false
	for _, e := range eras {
		if !day.Before(e.from) {
			cur, ok = e.currency, true
		}
	}
	return cur, ok
}
