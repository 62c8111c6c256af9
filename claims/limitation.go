package claims

import (
	"time"

	"roadcover"
	"roadcover/policies"
)

// addYears moves d by n years as the insurance engine does for the time
// bar (29 February + 1 year = 1 March), so that the claim and its
// settlement never disagree on the last day.
func addYears(d roadcover.Date, n int) roadcover.Date {
	return roadcover.DateOf(time.Date(d.Year+n, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}

// Limitation is the time bar of a claim (5.4).
type Limitation struct {
	TenYears       roadcover.Date // the last day of the ten years from the loss
	ReportedInTime bool           // reported on or before TenYears
	FinalDecision  roadcover.Date // the day of the latest decision (zero when none)
	SixMonths      roadcover.Date // the last day of six months from it
	LastDay        roadcover.Date // the last day action can be brought
	Outcome        Outcome
}

// Limitation implements 5.4: a claim must be brought within ten years of the
// loss; when it was reported within them, there are always six months
// from the insurer's final decision (Reading time_bar_report_dates: judged
// on the days of the report and the decision).
func (c *Claim) Limitation() (Limitation, error) {
	prm, err := ParamsOn(c.Loss.OccurredAt)
	if err != nil {
		return Limitation{}, err
	}
	return limitation(prm, c.Loss.OccurredAt, c.Loss.ReportedAt, c.lastDecision()), nil
}

func limitation(prm *Params, occurred, reported roadcover.Date, dec *Decision) Limitation {
	l := Limitation{Outcome: Outcome{"limitation", prm.TimeBarYears.Clause}}
	l.TenYears = addYears(occurred, int(prm.TimeBarYears.Value))
	l.ReportedInTime = !l.TenYears.Before(reported)
	l.LastDay = l.TenYears
	if dec != nil {
		l.FinalDecision = dec.Day
		l.SixMonths = policies.AddMonths(dec.Day, int(prm.ActionMonths.Value))
		if l.ReportedInTime && l.LastDay.Before(l.SixMonths) {
			l.LastDay = l.SixMonths
		}
	}
	return l
}
