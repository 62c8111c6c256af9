package policies

import (
	"time"

	"roadcover"
)

var (
	cet  = time.FixedZone("CET", 3600)
	cest = time.FixedZone("CEST", 7200)
)

// SwedishTime returns t in Swedish civil time: CET (UTC+1), and CEST
// (UTC+2) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
// last Sunday of October, the rule Sweden has followed since 1996. No time
// zone database is read.
func SwedishTime(t time.Time) time.Time {
	u := t.UTC()
	y := u.Year()
	start := time.Date(y, time.March, lastSunday(y, time.March), 1, 0, 0, 0, time.UTC)
	end := time.Date(y, time.October, lastSunday(y, time.October), 1, 0, 0, 0, time.UTC)
	if !u.Before(start) && u.Before(end) {
		return u.In(cest)
	}
	return u.In(cet)
}

// SwedishDay is the Swedish calendar day of the instant t.
func SwedishDay(t time.Time) roadcover.Date { return roadcover.DateOf(SwedishTime(t)) }

func lastSunday(y int, m time.Month) int {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return last.Day() - int(last.Weekday())
}

// addMonths moves d by n calendar months; a day the target month lacks
// becomes its last day (31 January + 1 month = 28 or 29 February).
func addMonths(d roadcover.Date, n int) roadcover.Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	mon := time.Month(m + 1)
	day := min(d.Day, daysIn(y, mon))
	return roadcover.Date{Year: y, Month: mon, Day: day}
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// AddMonths moves d by n calendar months; a day the target month lacks
// becomes its last day. Deadlines counted in months (5.4's six months, 5.9's
// twelve) end on that day.
func AddMonths(d roadcover.Date, n int) roadcover.Date { return addMonths(d, n) }
