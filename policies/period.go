package policies

import (
	"fmt"
	"time"

	"roadcover"
)

// MonthDay is a yearly due date (årsförfallodag).
type MonthDay struct {
	Month time.Month
	Day   int
}

func (m MonthDay) String() string { return fmt.Sprintf("%02d-%02d", m.Month, m.Day) }

// ParseMonthDay reads "MM-DD"; 02-29 is allowed.
func ParseMonthDay(s string) (MonthDay, error) {
	var m, d int
	if len(s) != 5 || s[2] != '-' {
		return MonthDay{}, fmt.Errorf("%q is not a month and day in the form MM-DD", s)
	}
	if _, err := fmt.Sscanf(s, "%02d-%02d", &m, &d); err != nil || m < 1 || m > 12 || d < 1 || d > daysIn(2024, time.Month(m)) {
		return MonthDay{}, fmt.Errorf("%q is not a month and day in the form MM-DD", s)
	}
	return MonthDay{time.Month(m), d}, nil
}

// In is the due date in year y. A 29 February due date falls on 1 March in
// a common year (Reading period_leap_day).
func (m MonthDay) In(y int) roadcover.Date {
	return roadcover.DateOf(time.Date(y, m.Month, m.Day, 0, 0, 0, 0, time.UTC))
}

// After is the first due date strictly after d.
func (m MonthDay) After(d roadcover.Date) roadcover.Date {
	if c := m.In(d.Year); d.Before(c) {
		return c
	}
	return m.In(d.Year + 1)
}

// Period is one insurance period (5.1): from From (at the start of the day,
// or at FromTime on that day) to the end of Until, the day before the yearly
// due date Due.
type Period struct {
	From     roadcover.Date
	FromTime time.Time // zero: from the start of From; else the hour of signing on From (Swedish time)
	Until    roadcover.Date
	Due      roadcover.Date
	Basis    Note // how the start was fixed (5.1)
}

// Covers reports whether day lies in the period.
func (p Period) Covers(day roadcover.Date) bool { return !day.Before(p.From) && !p.Until.Before(day) }

// Signing is how the policy was signed: on a day, and at an instant when
// the hour can be shown.
type Signing struct {
	LetterDate roadcover.Date // the date on the insurance letter
	SignedAt   time.Time      // the instant of signing; zero when the hour cannot be shown
	SignedOn   roadcover.Date // the day of signing (Swedish time); set from SignedAt when that is given
}

// FirstPeriod implements 5.1: the insurance runs from the date on the
// insurance letter for one year, or to the next yearly due date when one is
// agreed (due; the letter date's month and day otherwise). Signed on that
// same day, it runs from the hour of signing, and from the next day when
// the hour cannot be shown. A letter dated before the day of signing is
// refused: cover never begins before the insurance is signed.
func FirstPeriod(s Signing, due MonthDay) (Period, error) {
	signed := s.SignedOn
	if !s.SignedAt.IsZero() {
		signed = SwedishDay(s.SignedAt)
	}
	var p Period
	switch c := signed.Compare(s.LetterDate); {
	case c < 0:
		p.From, p.Basis = s.LetterDate, Note{"period_from_letter_date", "5.1"}
	case c > 0:
		return Period{}, fmt.Errorf("the letter date %s is before the day of signing %s", s.LetterDate, signed)
	case !s.SignedAt.IsZero():
		p.From, p.FromTime, p.Basis = s.LetterDate, SwedishTime(s.SignedAt), Note{"period_from_signing_hour", "5.1"}
	default:
		p.From, p.Basis = s.LetterDate.AddDays(1), Note{"period_from_next_day", "5.1"}
	}
	p.Due = due.After(s.LetterDate)
	if !p.From.Before(p.Due) { // the start moved onto the due date: run to the next one
		p.Due = due.After(p.From)
	}
	p.Until = p.Due.AddDays(-1)
	return p, nil
}

// next is the renewed period (5.1): from the due date to the next one.
func (p Period) next(due MonthDay) Period {
	n := Period{From: p.Due, Due: due.After(p.Due), Basis: Note{"renewed", "5.1"}}
	n.Until = n.Due.AddDays(-1)
	return n
}
