package facts

import (
	"context"

	"roadcover/assistance"
	"roadcover/sites"
)

// The service network: the file imported with `roadcover sites import`
// (cfg.NetworkFile), else the embedded sample network.
func init() {
	Register("sites", func(_ context.Context, cfg Config, env *assistance.Env) error {
		n, err := sites.Open(cfg.NetworkFile)
		if err != nil {
			return err
		}
		env.Sites = n
		return nil
	})
}
