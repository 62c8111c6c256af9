package world

import (
	"context"

	"roadcover/assistance"
	"roadcover/osrm"
)

// Road distances come from an OSRM server when cfg.OSRMURL names one;
// without it (or when it fails) distances are great-circle.
func init() {
	Register("roads", func(_ context.Context, cfg Config, env *assistance.Env) error {
		if cfg.OSRMURL == "" {
			return nil
		}
		c, err := osrm.New(cfg.OSRMURL, nil)
		if err != nil {
			return err
		}
		env.Distances = c
		return nil
	})
}
