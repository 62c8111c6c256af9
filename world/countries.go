package world

import (
	"context"

	"roadcover/assistance"
	"roadcover/geo"
)

// The country lookup from coordinates is always there: its boundaries are
// embedded in the binary (package geo), loaded on the first lookup.
func init() {
	Register("countries", func(_ context.Context, _ Config, env *assistance.Env) error {
		env.Countries = geo.Lazy{}
		return nil
	})
}
