package desk

import (
	"context"
	"errors"
	"slices"
	"strings"

	"roadcover"
	"roadcover/store"
)

// The service network lives in the store: workshops and chargers (where
// a tow goes) and the bases of tow partners (who tows). A tow partner of
// the network is also a desk partner with the site's id, so that the desk
// dispatches to the partner the network names. The engine decides on the
// same network, loaded from the store.

// NetworkLoad says what LoadNetwork wrote.
type NetworkLoad struct {
	Sites    int `json:"sites"`
	Partners int `json:"partners_created"`
	// NotPartners are tow sites whose id cannot be a partner's id (see
	// PartnerRequest.Check): they are in the network but not dispatched to.
	NotPartners []string `json:"not_partners,omitempty"`
}

// LoadNetwork writes sites into the store's network (replacing those with
// the same id) and makes each tow partner's base a desk partner, with the
// site's phone, trucks and plates, unless one with its id exists. A sample
// site's partner is named as sample data.
func (d *Desk) LoadNetwork(ctx context.Context, tx store.Tx, sites []roadcover.Site) (NetworkLoad, error) {
	var out NetworkLoad
	if err := tx.PutSites(ctx, sites, d.now()); err != nil {
		return out, wrap("load network", err)
	}
	out.Sites = len(sites)
	for _, s := range sites {
		if s.Kind != roadcover.SiteTow {
			continue
		}
		if !partnerID.MatchString(s.ID) {
			out.NotPartners = append(out.NotPartners, s.ID)
			continue
		}
		if _, err := tx.GetPartner(ctx, s.ID); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return out, err
		}
		name := s.Name
		if s.Sample && !strings.HasPrefix(strings.ToLower(name), "sample") {
			name = "SAMPLE DATA – " + name
		}
		if len(name) > 200 {
			name = name[:200]
		}
		// Who is coming, as a driver is told: the site's number, trucks
		// and plates.
		r := PartnerRequest{ID: s.ID, Name: name, Phone: s.Phone}
		if s.Tow != nil {
			r.Trucks, r.Plates = s.Tow.Trucks, s.Tow.Plates
		}
		if _, _, err := d.CreatePartner(ctx, tx, r); err != nil {
			return out, err
		}
		out.Partners++
	}
	return out, nil
}

// TowNetwork finds the tow partners whose trucks reach a point (package
// sites' Network).
type TowNetwork interface {
	TowPartners(p roadcover.Point, k int) []roadcover.SiteDistance
}

// PartnerOffer is a tow partner near a case, as the operator picks one.
type PartnerOffer struct {
	roadcover.SiteDistance
	// Partner is the desk partner to dispatch to ("" when the site is not
	// one: its id cannot be a partner's).
	Partner string `json:"partner"`
}

// JobTrucks are the trucks that can do a kind of job: a tow needs a truck
// that carries a car; help on the spot any truck with a crew.
var JobTrucks = map[string][]string{
	"tow":       {roadcover.TruckFlatbed, roadcover.TruckWheelLift, roadcover.TruckHeavy},
	"roadside":  roadcover.TruckKinds,
	"transport": {roadcover.TruckFlatbed, roadcover.TruckHeavy},
}

// Position is where the case's car is: the location's coordinates, else
// the position the car or app sent.
func (c *Case) Position() (roadcover.Point, bool) {
	if p, ok := c.Facts.Location.Point(); ok {
		return p, true
	}
	if c.Intake != nil && c.Intake.Position != nil && c.Intake.Position.Point.Valid() {
		return c.Intake.Position.Point, true
	}
	return roadcover.Point{}, false
}

// NearestPartners lists up to k tow partners that reach the case's car
// and have a truck for the kind of job, nearest first.
func (d *Desk) NearestPartners(ctx context.Context, tx store.Tx, net TowNetwork, caseID, kind string, k int) ([]PartnerOffer, error) {
	trucks, ok := JobTrucks[kind]
	if !ok {
		return nil, invalid("kind", "must be one of tow, roadside, transport")
	}
	c, err := d.Load(ctx, tx, caseID)
	if err != nil {
		return nil, err
	}
	p, ok := c.Position()
	if !ok {
		return nil, conflict("the case has no position yet: set the location's coordinates first")
	}
	out := []PartnerOffer{}
	if net == nil {
		return out, nil
	}
	for _, s := range net.TowPartners(p, 4*k) {
		if s.Tow == nil || !slices.ContainsFunc(s.Tow.Trucks, func(t string) bool { return slices.Contains(trucks, t) }) {
			continue
		}
		o := PartnerOffer{SiteDistance: s}
		if _, err := tx.GetPartner(ctx, s.ID); err == nil {
			o.Partner = s.ID
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, o)
		if len(out) == k {
			break
		}
	}
	return out, nil
}
