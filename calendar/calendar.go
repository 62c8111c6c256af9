// Package calendar implements working days per country: weekends and public
// holidays, for the clauses of the Polestar Assistance terms that count in
// working days (1.3.3 rental car, 5 or abroad 10 working days; 1.5
// repatriation when repair takes more than three working days).
//
// Holidays come from github.com/rickar/cal/v2 where it has the country, and
// from this package's own definitions for the covered countries it lacks
// (Portugal, Finland with Åland, Estonia, Luxembourg, Iceland, Malta and the
// Republic of Cyprus). Countries(), and `roadcover calendar countries`, say
// which source each country uses.
//
// Choices:
//   - National holidays only: a bare country code ("DE") means the holidays
//     of the whole country. A region is given as ISO 3166-2 ("DE-BY",
//     "CH-ZH") and adds its own holidays; regions are known for Germany,
//     Switzerland and Åland (AX, also "FI-01"). Any other region is not known.
//   - Only statutory days off count as non-working. Days that are customarily
//     but not by law off (Portugal's Carnival, Sweden's Midsummer Eve,
//     Christmas Eve and New Year's Eve, Finland's Midsummer Eve and Christmas
//     Eve, Denmark's Constitution Day, Iceland's afternoons of Christmas Eve
//     and New Year's Eve, the Netherlands' Good Friday and Liberation Day) are
//     listed as optional and counted as working days.
//   - Saturday and Sunday are the weekend in every country known here.
//   - Countries whose days off are moved each year by decree (Hungary,
//     Russia, Belarus), Ukraine (holidays are not days off under martial law
//     since 2022-02-24), and countries with lunar holidays (Turkey, Albania,
//     North Macedonia, Bosnia and Herzegovina) are not known: their working
//     days are never guessed (ok false).
//   - Years outside FirstYear..LastYear are not known.
package calendar

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"roadcover"
)

// The years this package answers for. Outside them a country is not known.
const (
	FirstYear = 2000
	LastYear  = 2099
)

// maxDays bounds AddWorkdays so that no question runs unbounded.
const maxDays = 3660

// Holiday is one public holiday on one day.
type Holiday struct {
	Date roadcover.Date
	Name string
	// Optional marks a customary day off that no statute makes one; it is
	// counted as a working day.
	Optional bool
	// Substitute marks a day off that replaces a holiday falling on a
	// weekend (e.g. a UK bank holiday moved to Monday).
	Substitute bool
}

// Day is a day that is not a working day, with its reasons.
type Day struct {
	Date     roadcover.Date
	Weekend  bool
	Holidays []Holiday // statutory holidays on that day
}

// Reason says why the day is not a working day: "weekend" or the holiday's
// name, joined with "; " when several apply.
func (d Day) Reason() string {
	var parts []string
	if d.Weekend {
		parts = append(parts, "weekend")
	}
	for _, h := range d.Holidays {
		n := h.Name
		if h.Substitute {
			n += " (substitute day)"
		}
		parts = append(parts, n)
	}
	return strings.Join(parts, "; ")
}

// Calendar answers working-day questions for the countries it knows. The
// zero value is not usable; use New. It is safe for concurrent use.
type Calendar struct {
	countries map[string]*country
	years     sync.Map // yearKey -> *yearInfo
}

type yearKey struct {
	code string
	year int
}

type yearInfo struct {
	off  map[roadcover.Date][]Holiday // statutory days off
	opt  map[roadcover.Date][]Holiday // optional days
	list []Holiday                    // every holiday of the year, by date
}

// New returns a calendar of every country this package knows.
func New() *Calendar {
	return &Calendar{countries: registry()}
}

// Known reports whether country (ISO 3166-1 alpha-2, optionally with an ISO
// 3166-2 region, "DE-BY") has known holidays.
func (c *Calendar) Known(country string) bool {
	_, ok := c.lookup(country)
	return ok
}

func (c *Calendar) lookup(code string) (*country, bool) {
	k, ok := c.countries[strings.ToUpper(strings.TrimSpace(code))]
	return k, ok
}

func inRange(d roadcover.Date) bool { return d.Year >= FirstYear && d.Year <= LastYear }

func (c *Calendar) year(k *country, y int) *yearInfo {
	key := yearKey{k.code, y}
	if v, ok := c.years.Load(key); ok {
		return v.(*yearInfo)
	}
	yi := k.build(y)
	v, _ := c.years.LoadOrStore(key, yi)
	return v.(*yearInfo)
}

func weekend(d roadcover.Date) bool {
	wd := d.Time().Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// IsWorkday reports whether day is a working day in country; ok is false
// when the country's holidays (or that year's) are not known.
func (c *Calendar) IsWorkday(country string, day roadcover.Date) (work, ok bool) {
	k, ok := c.lookup(country)
	if !ok || !inRange(day) {
		return false, false
	}
	return c.isWork(k, day), true
}

func (c *Calendar) isWork(k *country, d roadcover.Date) bool {
	if weekend(d) {
		return false
	}
	_, off := c.year(k, d.Year).off[d]
	return !off
}

// AddWorkdays returns the day on which n working days counted from the day
// after from are complete: the n-th working day after from. For n ≤ 0 it is
// from itself. ok is false for a country whose holidays are not known or
// when the count would leave the known years.
func (c *Calendar) AddWorkdays(country string, from roadcover.Date, n int) (roadcover.Date, bool) {
	k, ok := c.lookup(country)
	if !ok || !inRange(from) {
		return roadcover.Date{}, false
	}
	if n <= 0 {
		return from, true
	}
	d := from
	for i := 0; i < maxDays; i++ {
		d = d.AddDays(1)
		if !inRange(d) {
			return roadcover.Date{}, false
		}
		if c.isWork(k, d) {
			n--
			if n == 0 {
				return d, true
			}
		}
	}
	return roadcover.Date{}, false
}

// Workdays counts the working days after from up to and including to, the
// same span AddWorkdays counts: Workdays(c, from, AddWorkdays(c, from, n)) is
// n. It is 0 when to is not after from; ok is false as for AddWorkdays.
func (c *Calendar) Workdays(country string, from, to roadcover.Date) (int, bool) {
	k, ok := c.lookup(country)
	if !ok || !inRange(from) || !inRange(to) {
		return 0, false
	}
	n := 0
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		if c.isWork(k, d) {
			n++
		}
	}
	return n, true
}

// NonWorkingDays lists the days after from up to and including to that are
// not working days, with their reasons, and the optional holidays that fall
// on working days in that span (counted as working days).
func (c *Calendar) NonWorkingDays(country string, from, to roadcover.Date) (days []Day, optional []Holiday, ok bool) {
	k, ok := c.lookup(country)
	if !ok || !inRange(from) || !inRange(to) {
		return nil, nil, false
	}
	for d := from.AddDays(1); !to.Before(d); d = d.AddDays(1) {
		yi := c.year(k, d.Year)
		hs := yi.off[d]
		if weekend(d) || len(hs) > 0 {
			days = append(days, Day{Date: d, Weekend: weekend(d), Holidays: hs})
		} else if o := yi.opt[d]; len(o) > 0 {
			optional = append(optional, o...)
		}
	}
	return days, optional, true
}

// Holidays lists every holiday (statutory and optional) of country in year,
// by date; ok is false when not known.
func (c *Calendar) Holidays(country string, year int) ([]Holiday, bool) {
	k, ok := c.lookup(country)
	if !ok || year < FirstYear || year > LastYear {
		return nil, false
	}
	return append([]Holiday(nil), c.year(k, year).list...), true
}

// CountryInfo describes one known country or region.
type CountryInfo struct {
	Code   string // "DE", "DE-BY", "PT"
	Source string // where its holidays come from
}

// Countries lists the known countries and regions, by code.
func (c *Calendar) Countries() []CountryInfo {
	out := make([]CountryInfo, 0, len(c.countries))
	for code, k := range c.countries {
		out = append(out, CountryInfo{Code: code, Source: k.source})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// NotKnown explains why a country has no calendar here, or "" when it has one.
func (c *Calendar) NotKnown(country string) string {
	code := strings.ToUpper(strings.TrimSpace(country))
	if _, ok := c.countries[code]; ok {
		return ""
	}
	base, region, _ := strings.Cut(code, "-")
	if why, ok := unknownWhy[base]; ok {
		return fmt.Sprintf("the working days of %s are not known: %s", code, why)
	}
	if _, ok := c.countries[base]; ok && region != "" {
		return fmt.Sprintf("the regional holidays of %s are not known (national holidays are known for %s)", code, base)
	}
	return fmt.Sprintf("no holiday calendar is known for %q", country)
}
