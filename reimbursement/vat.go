package reimbursement

import (
	"strings"
	"time"

	"roadcover"
)

// VATTable names the table of standard VAT rates below and when it was last
// checked. A line that takes VAT out at a standard rate names the country,
// the rate, the day the rate applies from and this table.
const (
	VATTableSource = "European Commission, VAT rates applied in the Member States of the European Union " +
		"(taxation-customs.ec.europa.eu, situation at 1 July 2025), for the EU member states; HMRC (GB), " +
		"Skatteetaten (NO), ESTV (CH, also applied in LI), Skatturinn (IS), the tax administrations of " +
		"TR, RS, ME, MK, AL, BA, MD, UA, BY and RU, the Andorran IGI and the French code général des " +
		"impôts (MC)"
	VATTableChecked = "2025-08-01"
)

// vatRow is a standard VAT rate in force from a day, in basis points
// (hundredths of a percent: 2550 is 25.5 %).
type vatRow struct {
	from roadcover.Date
	bp   int64
}

func day(y, m, d int) roadcover.Date { return roadcover.Date{Year: y, Month: time.Month(m), Day: d} }

// vatFrom is the first day the table answers for: the earliest terms in
// force (GB 2022) start later.
var vatFrom = day(2021, 1, 1)

// standardVAT is the standard VAT rate of each covered country, with every
// change since vatFrom. A country missing here, or a day before its first
// row, has no known rate: the receipt's own VAT amount is then required.
// Not known: San Marino (a single-stage import tax, no VAT); Russia from
// 2026 (a change of rate was under way when the table was checked).
// Gibraltar levies no VAT (0). Åland is outside the EU VAT area but Finnish
// VAT is charged there. Portugal's rate is the mainland's (Madeira and the
// Azores have lower regional rates).
var standardVAT = map[string][]vatRow{
	"AD": {{vatFrom, 450}},
	"AL": {{vatFrom, 2000}},
	"AT": {{vatFrom, 2000}},
	"AX": {{vatFrom, 2400}, {day(2024, 9, 1), 2550}},
	"BA": {{vatFrom, 1700}},
	"BE": {{vatFrom, 2100}},
	"BG": {{vatFrom, 2000}},
	"BY": {{vatFrom, 2000}},
	"CH": {{vatFrom, 770}, {day(2024, 1, 1), 810}},
	"CY": {{vatFrom, 1900}},
	"CZ": {{vatFrom, 2100}},
	"DE": {{vatFrom, 1900}},
	"DK": {{vatFrom, 2500}},
	"EE": {{vatFrom, 2000}, {day(2024, 1, 1), 2200}, {day(2025, 7, 1), 2400}},
	"ES": {{vatFrom, 2100}},
	"FI": {{vatFrom, 2400}, {day(2024, 9, 1), 2550}},
	"FR": {{vatFrom, 2000}},
	"GB": {{vatFrom, 2000}},
	"GI": {{vatFrom, 0}},
	"GR": {{vatFrom, 2400}},
	"HR": {{vatFrom, 2500}},
	"HU": {{vatFrom, 2700}},
	"IE": {{vatFrom, 2100}, {day(2021, 3, 1), 2300}},
	"IS": {{vatFrom, 2400}},
	"IT": {{vatFrom, 2200}},
	"LI": {{vatFrom, 770}, {day(2024, 1, 1), 810}},
	"LT": {{vatFrom, 2100}},
	"LU": {{vatFrom, 1700}, {day(2023, 1, 1), 1600}, {day(2024, 1, 1), 1700}},
	"LV": {{vatFrom, 2100}},
	"MC": {{vatFrom, 2000}},
	"MD": {{vatFrom, 2000}},
	"ME": {{vatFrom, 2100}},
	"MK": {{vatFrom, 1800}},
	"MT": {{vatFrom, 1800}},
	"NL": {{vatFrom, 2100}},
	"NO": {{vatFrom, 2500}},
	"PL": {{vatFrom, 2300}},
	"PT": {{vatFrom, 2300}},
	"RO": {{vatFrom, 1900}, {day(2025, 8, 1), 2100}},
	"RS": {{vatFrom, 2000}},
	"RU": {{vatFrom, 2000}, {day(2026, 1, 1), -1}},
	"SE": {{vatFrom, 2500}},
	"SI": {{vatFrom, 2200}},
	"SK": {{vatFrom, 2000}, {day(2025, 1, 1), 2300}},
	"TR": {{vatFrom, 1800}, {day(2023, 7, 10), 2000}},
	"UA": {{vatFrom, 2000}},
}

// StandardVAT returns the standard VAT rate of country on day in basis
// points and the day that rate applies from; ok is false when the table
// does not know it.
func StandardVAT(country string, on roadcover.Date) (bp int64, from roadcover.Date, ok bool) {
	rows := standardVAT[strings.ToUpper(country)]
	for i := len(rows) - 1; i >= 0; i-- {
		if !on.Before(rows[i].from) {
			if rows[i].bp < 0 {
				return 0, roadcover.Date{}, false
			}
			return rows[i].bp, rows[i].from, true
		}
	}
	return 0, roadcover.Date{}, false
}

// vatIn is the VAT contained in a gross amount at a rate in basis points:
// gross − gross × 10 000 / (10 000 + bp), the net rounded half away from
// zero to the minor unit.
func vatIn(gross, bp int64) int64 {
	return gross - roadcover.DivRound(gross*10000, 10000+bp)
}
