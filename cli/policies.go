package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"roadcover"
	"roadcover/database"
	"roadcover/httpapi"
	"roadcover/policies"
)

func init() {
	Register(Command{Name: "policies renew-warranty", Summary: "add the collision cover of 5.10 to policies whose damage warranty ends by a day", Run: policiesRenewWarranty})
}

// policiesRenewWarranty runs `roadcover policies renew-warranty [--through
// DATE] [--db …]`: what the server does daily, for the days up to DATE
// (today in Sweden when not given). It prints one line per policy changed
// and fails when one could not be.
func policiesRenewWarranty(ctx context.Context, env Env) error {
	fs := NewFlags("policies renew-warranty", env)
	dsn := storeDSNFlag(fs, env)
	through := fs.String("through", "", "the last day (YYYY-MM-DD) whose 5.10 changes are made; default today in Sweden")
	rest, err := ParseInterspersed(fs, env.Args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return &UsageError{Msg: "policies renew-warranty: unexpected arguments " + strings.Join(rest, " ")}
	}
	day := policies.SwedishDay(time.Now())
	if *through != "" {
		d, err := roadcover.ParseDate(*through)
		if err != nil {
			ie := &roadcover.InputError{}
			ie.Add("through", roadcover.CodeInvalidInput, "must be a day YYYY-MM-DD")
			return ie
		}
		day = d
	}
	s, err := database.Open(ctx, dsn())
	if err != nil {
		return err
	}
	defer s.Close()
	out, err := httpapi.NewClaimsDesk(time.Now, nil).RenewWarranties(ctx, s, day)
	var failed []error
	changed := 0
	for _, ac := range out {
		switch {
		case ac.Err != nil:
			failed = append(failed, fmt.Errorf("policy %s: %w", ac.PolicyID, ac.Err))
		case ac.Version != 0:
			changed++
			fmt.Fprintf(env.Stdout, "%s\tversion %d\tcollision cover from %s (5.10)\n", ac.PolicyID, ac.Version, ac.ValidFrom)
		}
	}
	fmt.Fprintf(env.Stdout, "%d policies changed through %s\n", changed, day)
	if err != nil {
		return fmt.Errorf("policies renew-warranty: %w", err)
	}
	if len(failed) > 0 {
		return fmt.Errorf("policies renew-warranty: %w", errors.Join(failed...))
	}
	return nil
}
