package world

import (
	"context"

	"roadcover/assistance"
	"roadcover/calendar"
)

// The working-day calendar needs no configuration: its holiday rules are
// compiled in.
func init() {
	Register("calendar", func(_ context.Context, _ Config, env *assistance.Env) error {
		env.Workdays = calendar.New()
		return nil
	})
}
