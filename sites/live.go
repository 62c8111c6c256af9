package sites

import (
	"sync/atomic"

	"roadcover"
)

// Live is the network a running service decides on: one Network at a
// time, replaced whole when the stored network changes, so that a lookup
// never sees half of an import. It implements assistance.Sites and finds
// tow partners as Network does.
type Live struct {
	p atomic.Pointer[Network]
}

// NewLive starts with n.
func NewLive(n *Network) *Live {
	l := &Live{}
	l.Set(n)
	return l
}

// Set replaces the network.
func (l *Live) Set(n *Network) { l.p.Store(n) }

// Network is the network in use (nil before the first Set).
func (l *Live) Network() *Network { return l.p.Load() }

// Nearest: see Network.Nearest.
func (l *Live) Nearest(p roadcover.Point, kind string, k int) []roadcover.SiteDistance {
	if n := l.p.Load(); n != nil {
		return n.Nearest(p, kind, k)
	}
	return nil
}

// Site: see Network.Site.
func (l *Live) Site(id string) (roadcover.Site, bool) {
	if n := l.p.Load(); n != nil {
		return n.Site(id)
	}
	return roadcover.Site{}, false
}

// TowPartners: see Network.TowPartners.
func (l *Live) TowPartners(p roadcover.Point, k int) []roadcover.SiteDistance {
	if n := l.p.Load(); n != nil {
		return n.TowPartners(p, k)
	}
	return nil
}

// Len is the number of sites of the network in use.
func (l *Live) Len() int {
	if n := l.p.Load(); n != nil {
		return n.Len()
	}
	return 0
}
