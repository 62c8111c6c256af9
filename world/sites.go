package world

import (
	"context"
	"fmt"
	"sync"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/sites"
	"roadcover/store"
)

// The service network: with a store (cfg.Store), the network the store
// holds, followed as it changes (StoreNetwork); else the file imported
// with `roadcover sites import --into` (cfg.NetworkFile), else the
// embedded sample network.
func init() {
	Register("sites", func(ctx context.Context, cfg Config, env *assistance.Env) error {
		if cfg.Store != nil {
			n, err := NewStoreNetwork(ctx, cfg.Store)
			if err != nil {
				return err
			}
			env.Sites = n
			return nil
		}
		n, err := sites.Open(cfg.NetworkFile)
		if err != nil {
			return err
		}
		env.Sites = n
		return nil
	})
}

// StoreNetwork is the service network of a store, loaded into memory and
// loaded again when the store's network changes (Refresh, Follow): the
// engine's nearest workshop and the desk's nearest tow partners come from
// the same sites the store holds.
type StoreNetwork struct {
	*sites.Live
	st    store.Store
	mu    sync.Mutex
	stamp store.NetworkStamp
}

// NewStoreNetwork loads the network st holds.
func NewStoreNetwork(ctx context.Context, st store.Store) (*StoreNetwork, error) {
	n := &StoreNetwork{Live: &sites.Live{}, st: st}
	if _, err := n.Refresh(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

// Refresh loads the stored network again when it changed since the last
// load; it reports whether it did.
func (n *StoreNetwork) Refresh(ctx context.Context) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var stamp store.NetworkStamp
	var list []roadcover.Site
	err := n.st.View(ctx, func(tx store.Tx) error {
		var err error
		if stamp, err = tx.NetworkStamp(ctx); err != nil || (stamp == n.stamp && n.Live.Network() != nil) {
			return err
		}
		list, err = tx.Sites(ctx, "")
		return err
	})
	if err != nil {
		return false, fmt.Errorf("world: stored network: %w", err)
	}
	if stamp == n.stamp && n.Live.Network() != nil {
		return false, nil
	}
	net, err := sites.New(list)
	if err != nil {
		return false, fmt.Errorf("world: stored network: %w", err)
	}
	n.Live.Set(net)
	n.stamp = stamp
	return true, nil
}

// Follow refreshes the network every interval until ctx ends; failures
// are passed to onErr.
func (n *StoreNetwork) Follow(ctx context.Context, every time.Duration, onErr func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := n.Refresh(ctx); err != nil && ctx.Err() == nil && onErr != nil {
				onErr(err)
			}
		}
	}
}
