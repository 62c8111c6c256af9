package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"roadcover"
	"roadcover/fx"
)

func init() {
	Register(Command{Name: "rates import", Summary: "merge ECB euro reference rate files (daily or history CSV) into the rates file", Run: ratesImport})
	Register(Command{Name: "rates show", Summary: "show the euro reference rate used for a currency on a day", Run: ratesShow})
}

// ratesImport: roadcover rates import [--into FILE] FILE...
func ratesImport(_ context.Context, env Env) error {
	flags := NewFlags("rates import", env)
	into := flags.String("into", "", "rates file to merge into (default $ROADCOVER_RATES or ./"+fx.DefaultFile+")")
	files, err := ParseInterspersed(flags, env.Args)
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	if len(files) == 0 {
		return &UsageError{Msg: "rates import: name at least one file (eurofxref.csv or eurofxref-hist.csv)"}
	}
	path := *into
	if path == "" {
		path = fx.FileFrom(env.Getenv)
	}
	r, imported, err := fx.Import(path, files...)
	if err != nil {
		return err
	}
	for _, f := range imported {
		unit := "days"
		if f.Days() == 1 {
			unit = "day"
		}
		fmt.Fprintf(env.Stdout, "%s: %d %s (%s layout)\n", f.Name, f.Days(), unit, f.Layout)
	}
	first, last, ok := r.Span()
	if !ok {
		fmt.Fprintf(env.Stdout, "%s: no rates\n", path)
		return nil
	}
	cs := r.Currencies()
	fmt.Fprintf(env.Stdout, "%s: %d currencies (%s), %s to %s\n", path, len(cs), strings.Join(cs, " "), first, last)
	return nil
}

// ratesShow: roadcover rates show --currency DKK --date 2026-11-21
func ratesShow(_ context.Context, env Env) error {
	flags := NewFlags("rates show", env)
	cur := flags.String("currency", "", "ISO 4217 currency code, e.g. DKK")
	country := flags.String("country", "", "country whose local currency to show, instead of --currency")
	dateS := flags.String("date", "", "day, YYYY-MM-DD")
	file := flags.String("rates", "", "rates file (default $ROADCOVER_RATES or ./"+fx.DefaultFile+")")
	if err := flagsOnly(flags, env.Args); err != nil {
		return err
	}
	var ie roadcover.InputError
	day := requiredDate(&ie, "date", *dateS)
	code := strings.ToUpper(strings.TrimSpace(*cur))
	switch {
	case code != "" && *country != "":
		ie.Add("currency", "", "give --currency or --country, not both")
	case *country != "":
		if !ie.Has("date") {
			c, ok := fx.LocalCurrency(*country, day)
			if !ok {
				ie.Add("country", "", fmt.Sprintf("the currency of %q on %s is not known", *country, day))
			}
			code = c
		}
	case code == "":
		ie.Add("currency", "", "give --currency (e.g. DKK) or --country")
	case len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		ie.Add("currency", "", fmt.Sprintf("%q is not an ISO 4217 currency code", *cur))
	}
	if err := ie.Err(); err != nil {
		return err
	}
	path := *file
	if path == "" {
		path = fx.FileFrom(env.Getenv)
	}
	var r *fx.Rates
	if code != "EUR" {
		var err error
		r, err = fx.Load(path)
		if errors.Is(err, fs.ErrNotExist) {
			return roadcover.Errorf(roadcover.CodeUnknownRate,
				fmt.Sprintf("no euro reference rates have been imported (%s does not exist), so no %s rate is known", path, code))
		}
		if err != nil {
			return err
		}
	}
	q, err := r.Quote(code, day)
	if err != nil {
		return err
	}
	how := "published that day"
	if q.Published != day {
		how = fmt.Sprintf("published %s, the last publication before %s", q.Published, day)
	}
	if code == "EUR" {
		how = "the euro itself"
	}
	fmt.Fprintf(env.Stdout, "%s %s per EUR on %s (%s)\n", code, q.Text, day, how)
	if code != "EUR" {
		fmt.Fprintf(env.Stdout, "source: %s (rates older than %d days are not used)\n", path, fx.MaxStaleDays)
	}
	return nil
}
