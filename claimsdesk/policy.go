package claimsdesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"roadcover"
	"roadcover/claims"
	"roadcover/policies"
	"roadcover/store"
)

// lastDay is a day after every pending change (5.10 is looked for up to it).
var lastDay = roadcover.Date{Year: 9999, Month: time.December, Day: 31}

// policyRow is what the store keeps of a policy in its row.
func policyRow(p *policies.Policy, created, updated time.Time) store.Policy {
	l := p.Latest()
	row := store.Policy{ID: p.ID, DueDate: p.DueDate.String(), VIN: l.Letter.Car.VIN, HolderID: l.Letter.Policyholder.IDNumber,
		Versions: int64(len(p.Versions)), CreatedAt: created, UpdatedAt: updated}
	if ch, ok := p.AutoCollisionChange(lastDay, nil); ok {
		row.AutoCollisionOn = ch.ValidFrom.String()
	}
	return row
}

func versionRecords(vs []*policies.Version) []store.PolicyVersion {
	out := make([]store.PolicyVersion, len(vs))
	for i, v := range vs {
		out[i] = store.PolicyVersion{PolicyID: v.PolicyID, No: int64(v.Number), Kind: string(v.Kind), ValidFrom: v.ValidFrom.String(),
			At: v.IssuedAt, Doc: policies.AppendVersionJSON(make([]byte, 0, 2048), v, roadcover.English)}
	}
	return out
}

// loadPolicy reads a policy from the store (ErrNotFound wrapped when there
// is none).
func (d *Desk) loadPolicy(ctx context.Context, tx store.Tx, id string) (*policies.Policy, store.Policy, error) {
	row, recs, err := tx.GetPolicy(ctx, id)
	if err != nil {
		return nil, store.Policy{}, err
	}
	return d.policyOf(id, row, recs)
}

// policyOf puts a policy together from its stored row and versions.
func (d *Desk) policyOf(id string, row store.Policy, recs []store.PolicyVersion) (*policies.Policy, store.Policy, error) {
	due, err := policies.ParseMonthDay(row.DueDate)
	if err != nil {
		return nil, store.Policy{}, fmt.Errorf("claimsdesk: policy %s: due date: %w", id, err)
	}
	vs := make([]*policies.Version, len(recs))
	for i, r := range recs {
		v, err := d.decoded.decode(fmt.Sprintf("%s/%d", id, r.No), r.Doc)
		if err != nil {
			return nil, store.Policy{}, fmt.Errorf("claimsdesk: stored version %d of policy %s: %w", r.No, id, err)
		}
		vs[i] = v
	}
	p, err := policies.Load(id, due, vs)
	if err != nil {
		return nil, store.Policy{}, err
	}
	return p, row, nil
}

// Policy reads a policy with every version.
func (d *Desk) Policy(ctx context.Context, tx store.Tx, id string) (*policies.Policy, error) {
	p, _, err := d.loadPolicy(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound("no policy " + id)
	}
	return p, err
}

// PoliciesByVIN reads the policies of a car, oldest first.
func (d *Desk) PoliciesByVIN(ctx context.Context, tx store.Tx, vin string) ([]*policies.Policy, error) {
	rows, err := tx.PoliciesByVIN(ctx, vin)
	if err != nil {
		return nil, err
	}
	out := make([]*policies.Policy, 0, len(rows))
	for _, r := range rows {
		p, _, err := d.loadPolicy(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// RegisterPolicy issues a policy (5.1) from a signed request: version 1
// with its insurance letter, made by the actor now. A car already insured
// by a policy in force (or about to be) on the first day is refused.
func (d *Desk) RegisterPolicy(ctx context.Context, tx store.Tx, a claims.Actor, np *policies.NewPolicy) (*policies.Policy, error) {
	now := d.now()
	p, err := policies.New(d.NewID(PolicyPrefix), np, a.ID, now)
	if err != nil {
		return nil, err
	}
	first := p.Versions[0].ValidFrom
	others, err := d.PoliciesByVIN(ctx, tx, p.Latest().Letter.Car.VIN)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if st := o.Status(first); st == policies.InForce || st == policies.NotYet {
			return nil, conflict(fmt.Sprintf("the car %s is insured by policy %s (%s on %s)", p.Latest().Letter.Car.VIN, o.ID, st, first))
		}
	}
	if err := tx.InsertPolicy(ctx, policyRow(p, now, now), versionRecords(p.Versions)); err != nil {
		return nil, wrap("register policy", err)
	}
	return p, nil
}

// ChangePolicy makes a change of a policy from its day: new versions (a
// due change of 5.10 first, when the change is dated on or after it),
// made by the actor now, stored after the versions it was made from.
func (d *Desk) ChangePolicy(ctx context.Context, tx store.Tx, a claims.Actor, id string, ch *policies.Change) (*policies.Policy, []*policies.Version, error) {
	p, row, err := d.loadPolicy(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, notFound("no policy " + id)
	}
	if err != nil {
		return nil, nil, err
	}
	now := d.now()
	added, err := p.Apply(ch, a.ID, now)
	if err != nil {
		return nil, nil, err
	}
	if err := tx.AppendPolicyVersions(ctx, policyRow(p, row.CreatedAt, now), versionRecords(added)); err != nil {
		return nil, nil, wrap("change policy "+id, err)
	}
	return p, added, nil
}

// Invoices gives the invoices of the insurance period of a policy that
// begins on from (5.2); a zero from is the period in force on today.
func (d *Desk) Invoices(ctx context.Context, tx store.Tx, id string, from roadcover.Date) (*policies.Invoicing, error) {
	p, err := d.Policy(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if from.IsZero() {
		v, err := p.VersionOn(policies.SwedishDay(d.now()))
		if err != nil {
			v = p.Latest()
		}
		from = v.Period.From
	}
	inv, err := p.Invoices(from)
	if err != nil {
		return nil, invalid("from", err.Error())
	}
	return inv, nil
}

// AutoCollision implements 5.10 for one policy: when the automatic
// collision cover is due on or before through and not yet made, it is
// added as a new version from the day the damage warranty ends, made by
// the system (premiums are not rated here: the letter keeps its premium).
// A policy with nothing due has its row's marker brought up to date. It
// returns the version made, or nil.
func (d *Desk) AutoCollision(ctx context.Context, tx store.Tx, id string, through roadcover.Date) (*policies.Version, error) {
	p, row, err := d.loadPolicy(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	now := d.now()
	ch, ok := p.AutoCollisionChange(through, nil)
	if !ok {
		next := policyRow(p, row.CreatedAt, row.UpdatedAt)
		if next.AutoCollisionOn != row.AutoCollisionOn {
			next.UpdatedAt = now
			return nil, tx.AppendPolicyVersions(ctx, next, nil)
		}
		return nil, nil
	}
	added, err := p.Apply(ch, policies.System, now)
	if err != nil {
		return nil, err
	}
	if err := tx.AppendPolicyVersions(ctx, policyRow(p, row.CreatedAt, now), versionRecords(added)); err != nil {
		return nil, wrap("5.10 for policy "+id, err)
	}
	return added[len(added)-1], nil
}

// AutoChange is what the daily run of 5.10 did for one policy.
type AutoChange struct {
	PolicyID  string
	Version   int            // 0 when nothing was due after all
	ValidFrom roadcover.Date // the day the collision cover begins
	Err       error          // the policy could not be changed
}

// RenewWarranties runs 5.10 for every policy whose automatic collision
// cover is due on or before through, each in a transaction of its own (one
// policy's failure does not stop the others). The server runs it daily;
// `roadcover policies renew-warranty --through DATE` runs it by hand.
func (d *Desk) RenewWarranties(ctx context.Context, st store.Store, through roadcover.Date) ([]AutoChange, error) {
	var out []AutoChange
	done := map[string]bool{}
	for {
		var ids []string
		if err := st.View(ctx, func(tx store.Tx) error {
			var err error
			ids, err = tx.DueAutoCollision(ctx, through.String(), 200)
			return err
		}); err != nil {
			return out, err
		}
		progress := false
		for _, id := range ids {
			if done[id] {
				continue
			}
			done[id], progress = true, true
			ac := AutoChange{PolicyID: id}
			ac.Err = st.Update(ctx, func(tx store.Tx) error {
				v, err := d.AutoCollision(ctx, tx, id, through)
				if v != nil {
					ac.Version, ac.ValidFrom = v.Number, v.ValidFrom
				}
				return err
			})
			out = append(out, ac)
		}
		if !progress {
			return out, nil
		}
	}
}
