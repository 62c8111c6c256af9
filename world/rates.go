package world

import (
	"context"
	"errors"
	"io/fs"

	"roadcover/assistance"
	"roadcover/fx"
)

// The euro reference rates come from the rates file imported with
// `roadcover rates import`: cfg.RatesFile (ROADCOVER_RATES), or else
// fx.DefaultFile in the working directory. When there is no such file the
// environment still knows each country's currency, but no rate: every
// EuroRate answers not known, and the decision says so. A file that exists
// but cannot be read is an error.
func init() {
	Register("rates", func(_ context.Context, cfg Config, env *assistance.Env) error {
		path := cfg.RatesFile
		if path == "" {
			path = fx.DefaultFile
		}
		r, err := fx.Load(path)
		if errors.Is(err, fs.ErrNotExist) {
			env.Rates = &fx.Rates{}
			return nil
		}
		if err != nil {
			return err
		}
		env.Rates = r
		return nil
	})
}
