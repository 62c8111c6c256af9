package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/calendar"
)

func init() {
	Register(Command{Name: "calendar workdays", Summary: "count working days in a country and list the days off", Run: calendarWorkdays})
	Register(Command{Name: "calendar holidays", Summary: "list a country's public holidays of a year", Run: calendarHolidays})
	Register(Command{Name: "calendar countries", Summary: "list the countries whose working days are known", Run: calendarCountries})
}

// calendarWorkdays: roadcover calendar workdays --country DE --from 2026-12-23 --to 2027-01-04
func calendarWorkdays(_ context.Context, env Env) error {
	fs := NewFlags("calendar workdays", env)
	country := fs.String("country", "", "ISO 3166-1 country code, or ISO 3166-2 region (DE-BY)")
	fromS := fs.String("from", "", "first day, YYYY-MM-DD (not counted)")
	toS := fs.String("to", "", "last day, YYYY-MM-DD (counted)")
	if err := flagsOnly(fs, env.Args); err != nil {
		return err
	}
	c := calendar.New()
	var ie roadcover.InputError
	calendarCountry(&ie, c, *country)
	from := requiredDate(&ie, "from", *fromS)
	to := requiredDate(&ie, "to", *toS)
	if !ie.Has("from") && !ie.Has("to") && to.Before(from) {
		ie.Add("to", "", fmt.Sprintf("%s is before --from %s", to, from))
	}
	if err := ie.Err(); err != nil {
		return err
	}
	n, ok := c.Workdays(*country, from, to)
	days, optional, ok2 := c.NonWorkingDays(*country, from, to)
	if !ok || !ok2 {
		ie.Add("from", "", fmt.Sprintf("working days are known for the years %d to %d only", calendar.FirstYear, calendar.LastYear))
		return ie.Err()
	}
	code := strings.ToUpper(*country)
	w := env.Stdout
	fmt.Fprintf(w, "%s: %d working days after %s up to and including %s\n", code, n, from, to)
	if len(days) == 0 {
		fmt.Fprintln(w, "no non-working days")
	} else {
		fmt.Fprintln(w, "non-working days:")
		for _, d := range days {
			fmt.Fprintf(w, "  %s %s  %s\n", d.Date, d.Date.Time().Weekday().String()[:3], d.Reason())
		}
	}
	if len(optional) > 0 {
		fmt.Fprintln(w, "optional holidays, counted as working days:")
		for _, h := range optional {
			fmt.Fprintf(w, "  %s %s  %s\n", h.Date, h.Date.Time().Weekday().String()[:3], h.Name)
		}
	}
	return nil
}

// calendarHolidays: roadcover calendar holidays --country PT --year 2026
func calendarHolidays(_ context.Context, env Env) error {
	fs := NewFlags("calendar holidays", env)
	country := fs.String("country", "", "ISO 3166-1 country code, or ISO 3166-2 region (DE-BY)")
	year := fs.Int("year", 0, "year")
	if err := flagsOnly(fs, env.Args); err != nil {
		return err
	}
	c := calendar.New()
	var ie roadcover.InputError
	calendarCountry(&ie, c, *country)
	if *year < calendar.FirstYear || *year > calendar.LastYear {
		ie.Add("year", "", fmt.Sprintf("give a year from %d to %d", calendar.FirstYear, calendar.LastYear))
	}
	if err := ie.Err(); err != nil {
		return err
	}
	hs, _ := c.Holidays(*country, *year)
	for _, h := range hs {
		note := ""
		switch {
		case h.Optional:
			note = "  (optional, counted as a working day)"
		case h.Substitute:
			note = "  (substitute day)"
		}
		fmt.Fprintf(env.Stdout, "%s %s  %s%s\n", h.Date, h.Date.Time().Weekday().String()[:3], h.Name, note)
	}
	return nil
}

func calendarCountries(_ context.Context, env Env) error {
	fs := NewFlags("calendar countries", env)
	if err := flagsOnly(fs, env.Args); err != nil {
		return err
	}
	for _, k := range calendar.New().Countries() {
		fmt.Fprintf(env.Stdout, "%-6s %s\n", k.Code, k.Source)
	}
	return nil
}

func calendarCountry(ie *roadcover.InputError, c *calendar.Calendar, country string) {
	if country == "" {
		ie.Add("country", "", "give --country, e.g. DE or DE-BY")
	} else if why := c.NotKnown(country); why != "" {
		ie.Add("country", "", why)
	}
}

// requiredDate parses a required YYYY-MM-DD flag value, recording a bad one.
func requiredDate(ie *roadcover.InputError, name, v string) roadcover.Date {
	if v == "" {
		ie.Add(name, "", "give --"+name+" as YYYY-MM-DD")
		return roadcover.Date{}
	}
	d, err := roadcover.ParseDate(v)
	if err != nil {
		ie.Add(name, "", err.Error())
	}
	return d
}

// flagsOnly parses flags and refuses positional arguments.
func flagsOnly(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}
