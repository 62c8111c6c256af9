package calendar

import (
	"sort"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"

	"roadcover"
)

const calSource = "github.com/rickar/cal/v2 v2.1.13"

// country is the holiday rules of one country or region. A rule whose Type
// is cal.ObservanceOther is optional: listed, but counted as a working day.
type country struct {
	code   string
	source string
	rules  []*cal.Holiday
}

// unknownWhy says why a covered country has no calendar here.
var unknownWhy = map[string]string{
	"HU": "days off are moved by a yearly government decree (bridge days and working Saturdays)",
	"RU": "the New Year holidays and the days off moved each year by government decree are not in the source",
	"BY": "days off are moved each year by government decree",
	"UA": "public holidays are not days off under martial law since 2022-02-24",
	"TR": "its religious holidays follow the lunar calendar as announced each year",
	"AL": "its religious holidays follow the lunar calendar as announced each year",
	"MK": "its religious holidays follow the lunar calendar as announced each year",
	"BA": "holidays differ by entity and include lunar religious holidays",
}

// optional turns the named holidays of a cal/v2 list into optional ones:
// customary days off that no statute makes one.
func optional(list []*cal.Holiday, names ...string) []*cal.Holiday {
	out := make([]*cal.Holiday, 0, len(list))
	for _, h := range list {
		for _, n := range names {
			if h.Name == n {
				h = h.Clone(&cal.Holiday{Type: cal.ObservanceOther})
			}
		}
		out = append(out, h)
	}
	return out
}

func registry() map[string]*country {
	m := map[string]*country{}
	add := func(code, source string, rules []*cal.Holiday) {
		m[code] = &country{code: code, source: source, rules: rules}
	}
	lib := func(code, pkg string, rules []*cal.Holiday) { add(code, calSource+" ("+pkg+")", rules) }

	lib("AT", "at", at.Holidays)
	lib("BE", "be", be.Holidays)
	lib("BG", "bg", bg.Holidays)
	lib("CZ", "cz", cz.Holidays)
	lib("DK", "dk", optional(dk.Holidays, dk.Grundlovsdag.Name))
	lib("ES", "es", es.Holidays)
	lib("FR", "fr", fr.Holidays)
	lib("GB", "gb, England and Wales bank holidays", gb.Holidays)
	lib("GR", "gr", gr.Holidays)
	lib("HR", "hr", hr.Holidays)
	lib("IE", "ie", ie.Holidays)
	lib("IT", "it", it.Holidays)
	lib("LT", "lt", lt.Holidays)
	lib("LV", "lv", lv.Holidays)
	lib("NL", "nl", optional(nl.Holidays, nl.GoedeVrijdag.Name, nl.BevrijdingsDag.Name))
	lib("NO", "no", no.Holidays)
	lib("PL", "pl", pl.Holidays)
	lib("RO", "ro", ro.Holidays)
	lib("SE", "se", se.Holidays)
	lib("SI", "si", si.Holidays)
	lib("SK", "sk", sk.Holidays)

	// Germany: national holidays, and each state's own list.
	lib("DE", "de", de.Holidays)
	for code, list := range map[string][]*cal.Holiday{
		"BW": de.HolidaysBW, "BY": de.HolidaysBY, "BE": de.HolidaysBE, "BB": de.HolidaysBB,
		"HB": de.HolidaysHB, "HH": de.HolidaysHH, "HE": de.HolidaysHE, "MV": de.HolidaysMV,
		"NI": de.HolidaysNI, "NW": de.HolidaysNW, "RP": de.HolidaysRP, "SL": de.HolidaysSL,
		"SN": de.HolidaysSN, "ST": de.HolidaysST, "SH": de.HolidaysSH, "TH": de.HolidaysTH,
	} {
		lib("DE-"+code, "de, state "+code, list)
	}

	// Switzerland has one federal holiday (1 August); the cantons add the
	// rest. cal/v2's ch.Holidays is the union of cantonal days, so the
	// national list here is the days every canton observes, and a canton
	// ("CH-ZH") has its own list.
	add("CH", calSource+" (ch, days observed in every canton)",
		[]*cal.Holiday{ch.Neujahr, ch.Auffahrt, ch.Bundesfeiertag, ch.Weihnachtstag})
	for code, list := range map[string][]*cal.Holiday{
		"ZH": ch.HolidaysZH, "BE": ch.HolidaysBE, "LU": ch.HolidaysLU, "UR": ch.HolidaysUR,
		"SZ": ch.HolidaysSZ, "OW": ch.HolidaysOW, "NW": ch.HolidaysNW, "GL": ch.HolidaysGL,
		"ZG": ch.HolidaysZG, "FR": ch.HolidaysFR, "SO": ch.HolidaysSO, "BS": ch.HolidaysBS,
		"BL": ch.HolidaysBL, "SH": ch.HolidaysSH, "AR": ch.HolidaysAR, "AI": ch.HolidaysAI,
		"SG": ch.HolidaysSG, "GR": ch.HolidaysGR, "AG": ch.HolidaysAG, "TG": ch.HolidaysTG,
		"VD": ch.HolidaysVD, "TI": ch.HolidaysTI, "VS": ch.HolidaysVS, "NE": ch.HolidaysNE,
		"GE": ch.HolidaysGE, "JU": ch.HolidaysJU,
	} {
		lib("CH-"+code, "ch, canton "+code, list)
	}

	const own = "roadcover"
	add("PT", own+" (Código do Trabalho art. 234 and 235)", portugal)
	add("FI", own+" (Finnish public holidays)", finland)
	ax := append(append([]*cal.Holiday(nil), finland...), alandAutonomyDay)
	add("AX", own+" (Finnish public holidays and Åland Autonomy Day)", ax)
	add("FI-01", own+" (Finnish public holidays and Åland Autonomy Day)", ax)
	add("EE", own+" (Pühade ja tähtpäevade seadus)", estonia)
	add("LU", own+" (Luxembourg public holidays)", luxembourg)
	add("IS", own+" (Icelandic public holidays)", iceland)
	add("MT", own+" (Maltese national and public holidays)", malta)
	add("CY", own+" (Republic of Cyprus public holidays)", cyprus)
	return m
}

// build lists the holidays of year y. Substitute days (a holiday on a
// weekend observed on a weekday) count as days off too.
func (k *country) build(y int) *yearInfo {
	yi := &yearInfo{off: map[roadcover.Date][]Holiday{}, opt: map[roadcover.Date][]Holiday{}}
	addDay := func(h Holiday) {
		yi.list = append(yi.list, h)
		if h.Optional {
			yi.opt[h.Date] = append(yi.opt[h.Date], h)
		} else {
			yi.off[h.Date] = append(yi.off[h.Date], h)
		}
	}
	for _, r := range k.rules {
		// A holiday of the year before or after may be observed in y.
		for yy := y - 1; yy <= y+1; yy++ {
			act, obs := r.Calc(yy)
			if act.IsZero() {
				continue
			}
			opt := r.Type == cal.ObservanceOther
			a, o := roadcover.DateOf(act), roadcover.DateOf(obs)
			if a.Year == y {
				addDay(Holiday{Date: a, Name: r.Name, Optional: opt})
			}
			if o != a && o.Year == y {
				addDay(Holiday{Date: o, Name: r.Name, Optional: opt, Substitute: true})
			}
		}
	}
	sort.SliceStable(yi.list, func(i, j int) bool { return yi.list[i].Date.Before(yi.list[j].Date) })
	return yi
}

// Rule constructors for this package's own definitions.

func fixed(name string, m time.Month, d int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth}
}

// easter is a day offset from Western (Gregorian) Easter Sunday.
func easter(name string, offset int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Offset: offset, Func: cal.CalcEasterOffset}
}

// orthodox is a day offset from Orthodox Easter Sunday (Gregorian date).
func orthodox(name string, offset int) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Offset: offset, Julian: true, Func: cal.CalcEasterOffset}
}

// onOrAfter is the first wd on or after month/day.
func onOrAfter(name string, m time.Month, d int, wd time.Weekday) *cal.Holiday {
	return &cal.Holiday{Name: name, Type: cal.ObservancePublic, Month: m, Day: d, Weekday: wd, Offset: 1, Func: cal.CalcWeekdayFrom}
}

// opt marks a rule optional (customary, not statutory).
func opt(h *cal.Holiday) *cal.Holiday { h.Type = cal.ObservanceOther; return h }

// years limits a rule to the years it was in force (0 for open).
func years(h *cal.Holiday, from, to int, except ...int) *cal.Holiday {
	h.StartYear, h.EndYear, h.Except = from, to, except
	return h
}
