// Package world is the world the assistance engine looks at: the country
// at a position, the service network, road distances, working days and euro
// reference rates, each wired from its adapter into the engine's Env. The command line
// and the HTTP service both build their Env here, so a decision is made the
// same way on either path.
//
// Each adapter registers a Provider from its own file of this package.
package world

import (
	"context"
	"fmt"
	"os"
	"sort"

	"roadcover/assistance"
	"roadcover/store"
)

// Config says where the imported data lives and which services to use.
// Empty fields mean the embedded defaults (or none).
type Config struct {
	NetworkFile string // service network imported with `roadcover sites import`
	RatesFile   string // euro reference rates imported with `roadcover rates import`
	OSRMURL     string // road-distance service; "" for great-circle distances only
	// Store, when set, holds the service network (it then takes the place
	// of NetworkFile): see StoreNetwork.
	Store store.Store
}

// FromEnv reads the configuration from ROADCOVER_NETWORK, ROADCOVER_RATES and
// ROADCOVER_OSRM_URL.
func FromEnv(getenv func(string) string) Config {
	if getenv == nil {
		getenv = os.Getenv
	}
	return Config{
		NetworkFile: getenv("ROADCOVER_NETWORK"),
		RatesFile:   getenv("ROADCOVER_RATES"),
		OSRMURL:     getenv("ROADCOVER_OSRM_URL"),
	}
}

// Provider fills its part of env from cfg.
type Provider func(ctx context.Context, cfg Config, env *assistance.Env) error

type named struct {
	name string
	p    Provider
}

var providers []named

// Register adds a provider; adapters call it from init.
func Register(name string, p Provider) { providers = append(providers, named{name, p}) }

// Env builds the assistance environment from every registered provider.
func Env(ctx context.Context, cfg Config) (assistance.Env, error) {
	sort.SliceStable(providers, func(i, j int) bool { return providers[i].name < providers[j].name })
	var env assistance.Env
	for _, n := range providers {
		if err := n.p(ctx, cfg, &env); err != nil {
			return env, fmt.Errorf("world: %s: %w", n.name, err)
		}
	}
	return env, nil
}
