package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"roadcover/store"
)

// ---- policies ----

const policyCols = "id, due_date, vin, holder_id, versions, auto_collision_on, created_at, updated_at"

func scanPolicy(sc interface{ Scan(...any) error }) (store.Policy, error) {
	var p store.Policy
	var created, updated int64
	if err := sc.Scan(&p.ID, &p.DueDate, &p.VIN, &p.HolderID, &p.Versions, &p.AutoCollisionOn, &created, &updated); err != nil {
		return store.Policy{}, err
	}
	p.CreatedAt, p.UpdatedAt = fromTS(created), fromTS(updated)
	return p, nil
}

func (t *txn) InsertPolicy(ctx context.Context, p store.Policy, versions []store.PolicyVersion) error {
	if int64(len(versions)) != p.Versions || len(versions) == 0 {
		return fmt.Errorf("sqlite: insert policy %s: %d versions given for a count of %d", p.ID, len(versions), p.Versions)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO policies (`+policyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.DueDate, p.VIN, p.HolderID, p.Versions, p.AutoCollisionOn, ts(p.CreatedAt), ts(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert policy %s: %w", p.ID, classify(err))
	}
	return t.insertPolicyVersions(ctx, p.ID, 0, versions)
}

func (t *txn) insertPolicyVersions(ctx context.Context, id string, stored int64, versions []store.PolicyVersion) error {
	for i, v := range versions {
		if v.PolicyID != id || v.No != stored+int64(i)+1 {
			return fmt.Errorf("sqlite: policy %s: version %d of %s does not follow %d", id, v.No, v.PolicyID, stored+int64(i))
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO policy_versions (policy_id, no, kind, valid_from, at, doc) VALUES (?, ?, ?, ?, ?, ?)`,
			id, v.No, v.Kind, v.ValidFrom, ts(v.At), string(v.Doc)); err != nil {
			err = classify(err)
			if errors.Is(err, store.ErrConflict) {
				err = fmt.Errorf("%w: %w", store.ErrStale, err)
			}
			return fmt.Errorf("sqlite: insert version %d of policy %s: %w", v.No, id, err)
		}
	}
	return nil
}

func (t *txn) AppendPolicyVersions(ctx context.Context, p store.Policy, versions []store.PolicyVersion) error {
	stored := p.Versions - int64(len(versions))
	res, err := t.q.ExecContext(ctx, `UPDATE policies SET due_date = ?, vin = ?, holder_id = ?, versions = ?,
		auto_collision_on = ?, updated_at = ? WHERE id = ? AND versions = ?`,
		p.DueDate, p.VIN, p.HolderID, p.Versions, p.AutoCollisionOn, ts(p.UpdatedAt), p.ID, stored)
	if err != nil {
		return fmt.Errorf("sqlite: update policy %s: %w", p.ID, classify(err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		var have int64
		err := t.q.QueryRowContext(ctx, `SELECT versions FROM policies WHERE id = ?`, p.ID).Scan(&have)
		if err != nil {
			return fmt.Errorf("sqlite: update policy %s: %w", p.ID, classify(err))
		}
		return fmt.Errorf("sqlite: update policy %s: %d versions stored, %d given: %w", p.ID, have, stored, store.ErrStale)
	}
	return t.insertPolicyVersions(ctx, p.ID, stored, versions)
}

func (t *txn) GetPolicy(ctx context.Context, id string) (store.Policy, []store.PolicyVersion, error) {
	p, err := scanPolicy(t.q.QueryRowContext(ctx, `SELECT `+policyCols+` FROM policies WHERE id = ?`, id))
	if err != nil {
		return store.Policy{}, nil, fmt.Errorf("sqlite: get policy %s: %w", id, classify(err))
	}
	rows, err := t.q.QueryContext(ctx, `SELECT policy_id, no, kind, valid_from, at, doc FROM policy_versions
		WHERE policy_id = ? ORDER BY no`, id)
	vs, err := collect(rows, err, "versions of policy "+id, func(sc interface{ Scan(...any) error }) (store.PolicyVersion, error) {
		var v store.PolicyVersion
		var at int64
		var doc []byte
		if err := sc.Scan(&v.PolicyID, &v.No, &v.Kind, &v.ValidFrom, &at, &doc); err != nil {
			return v, err
		}
		v.At, v.Doc = fromTS(at), json.RawMessage(doc)
		return v, nil
	})
	if err != nil {
		return store.Policy{}, nil, err
	}
	return p, vs, nil
}

func (t *txn) FirstNotice(ctx context.Context, policyID, day string) (store.Policy, []store.PolicyVersion, []store.Claim, error) {
	p, vs, err := t.GetPolicy(ctx, policyID)
	if err != nil {
		return p, nil, nil, err
	}
	cs, err := t.ListClaims(ctx, store.ClaimFilter{VIN: p.VIN, OccurredAt: day, Limit: MaxListLimit})
	if err != nil {
		return store.Policy{}, nil, nil, err
	}
	return p, vs, cs, nil
}

func (t *txn) PoliciesByVIN(ctx context.Context, vin string) ([]store.Policy, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+policyCols+` FROM policies WHERE vin = ? ORDER BY created_at, id`, vin)
	return collect(rows, err, "policies of car "+vin, scanPolicy)
}

func (t *txn) DueAutoCollision(ctx context.Context, through string, limit int) ([]string, error) {
	if limit <= 0 {
		limit = DefaultListLimit
	}
	rows, err := t.q.QueryContext(ctx, `SELECT id FROM policies WHERE auto_collision_on <> '' AND auto_collision_on <= ?
		ORDER BY auto_collision_on, id LIMIT ?`, through, limit)
	return collect(rows, err, "policies due for 5.10", func(sc interface{ Scan(...any) error }) (string, error) {
		var id string
		return id, sc.Scan(&id)
	})
}

// ---- claims ----

const claimCols = "id, policy_id, vin, occurred_at, reported_at, status, desk_case_id, holder_id, holder_name, summary, " +
	"settlement_no, version, created_at, updated_at"

func claimArgs(c store.Claim) []any {
	return []any{c.ID, c.PolicyID, c.VIN, c.OccurredAt, c.ReportedAt, c.Status, c.DeskCaseID, c.HolderID, c.HolderName,
		string(c.Summary), c.SettlementNo, c.Version, ts(c.CreatedAt), ts(c.UpdatedAt)}
}

func scanClaimRow(sc interface{ Scan(...any) error }, extra ...any) (store.Claim, error) {
	var c store.Claim
	var summary []byte
	var created, updated int64
	dest := append([]any{&c.ID, &c.PolicyID, &c.VIN, &c.OccurredAt, &c.ReportedAt, &c.Status, &c.DeskCaseID, &c.HolderID,
		&c.HolderName, &summary, &c.SettlementNo, &c.Version, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.Claim{}, err
	}
	c.Summary, c.CreatedAt, c.UpdatedAt = json.RawMessage(summary), fromTS(created), fromTS(updated)
	return c, nil
}

func (t *txn) InsertClaim(ctx context.Context, c store.Claim, events []store.ClaimEvent) error {
	if c.Settlement == nil || c.SettlementNo != 1 || c.Version != int64(len(events)) {
		return fmt.Errorf("sqlite: insert claim %s: a new claim has settlement 1 and its %d events", c.ID, c.Version)
	}
	if _, err := t.q.ExecContext(ctx, `INSERT INTO claims (`+claimCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		claimArgs(c)...); err != nil {
		return fmt.Errorf("sqlite: insert claim %s: %w", c.ID, classify(err))
	}
	if err := t.insertSettlement(ctx, c); err != nil {
		return err
	}
	return t.insertClaimEvents(ctx, c.ID, 0, events)
}

func (t *txn) insertSettlement(ctx context.Context, c store.Claim) error {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO claim_settlements (claim_id, no, at, doc) VALUES (?, ?, ?, ?)`,
		c.ID, c.SettlementNo, ts(c.UpdatedAt), string(c.Settlement)); err != nil {
		return fmt.Errorf("sqlite: insert settlement %d of claim %s: %w", c.SettlementNo, c.ID, classify(err))
	}
	return nil
}

func (t *txn) insertClaimEvents(ctx context.Context, id string, stored int64, events []store.ClaimEvent) error {
	if len(events) == 0 {
		return nil
	}
	q := `INSERT INTO claim_events (claim_id, seq, at, actor, kind, data) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(events)), ", ")
	args := make([]any, 0, 6*len(events))
	for i, e := range events {
		if e.ClaimID != id || e.Seq != stored+int64(i)+1 {
			return fmt.Errorf("sqlite: claim %s: event %d of %s does not follow %d", id, e.Seq, e.ClaimID, stored+int64(i))
		}
		args = append(args, id, e.Seq, ts(e.At), string(e.Actor), e.Kind, string(e.Data))
	}
	if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
		err = classify(err)
		if errors.Is(err, store.ErrConflict) {
			err = fmt.Errorf("%w: %w", store.ErrStale, err)
		}
		return fmt.Errorf("sqlite: append events to claim %s: %w", id, err)
	}
	return nil
}

func (t *txn) UpdateClaim(ctx context.Context, c store.Claim, events []store.ClaimEvent) error {
	stored := c.Version - int64(len(events))
	storedNo := c.SettlementNo
	if c.Settlement != nil {
		storedNo--
	}
	a := claimArgs(c)
	res, err := t.q.ExecContext(ctx, `UPDATE claims SET policy_id = ?, vin = ?, occurred_at = ?, reported_at = ?, status = ?,
		desk_case_id = ?, holder_id = ?, holder_name = ?, summary = ?, settlement_no = ?, version = ?, created_at = ?, updated_at = ?
		WHERE id = ? AND version = ? AND settlement_no = ?`, append(a[1:], c.ID, stored, storedNo)...)
	if err != nil {
		return fmt.Errorf("sqlite: update claim %s: %w", c.ID, classify(err))
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		var version, no int64
		err := t.q.QueryRowContext(ctx, `SELECT version, settlement_no FROM claims WHERE id = ?`, c.ID).Scan(&version, &no)
		if err != nil {
			return fmt.Errorf("sqlite: update claim %s: %w", c.ID, classify(err))
		}
		if version != stored {
			return fmt.Errorf("sqlite: update claim %s: stored version %d, given %d: %w", c.ID, version, stored, store.ErrStale)
		}
		return fmt.Errorf("sqlite: update claim %s: settlement %d does not follow the stored %d", c.ID, c.SettlementNo, no)
	}
	if c.Settlement != nil {
		if err := t.insertSettlement(ctx, c); err != nil {
			return err
		}
	}
	return t.insertClaimEvents(ctx, c.ID, stored, events)
}

func (t *txn) GetClaim(ctx context.Context, id string) (store.Claim, error) {
	var doc []byte
	c, err := scanClaimRow(t.q.QueryRowContext(ctx, `SELECT c.id, c.policy_id, c.vin, c.occurred_at, c.reported_at, c.status,
		c.desk_case_id, c.holder_id, c.holder_name, c.summary, c.settlement_no, c.version, c.created_at, c.updated_at, s.doc
		FROM claims c LEFT JOIN claim_settlements s ON s.claim_id = c.id AND s.no = c.settlement_no
		WHERE c.id = ?`, id), &doc)
	if err != nil {
		return store.Claim{}, fmt.Errorf("sqlite: get claim %s: %w", id, classify(err))
	}
	c.Settlement = rawJSON(doc)
	return c, nil
}

func (t *txn) ClaimEvents(ctx context.Context, claimID string) ([]store.ClaimEvent, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT claim_id, seq, at, actor, kind, data FROM claim_events WHERE claim_id = ? ORDER BY seq`, claimID)
	evs, err := collect(rows, err, "events of claim "+claimID, func(sc interface{ Scan(...any) error }) (store.ClaimEvent, error) {
		var e store.ClaimEvent
		var at int64
		var actor, data []byte
		if err := sc.Scan(&e.ClaimID, &e.Seq, &at, &actor, &e.Kind, &data); err != nil {
			return e, err
		}
		e.At, e.Actor, e.Data = fromTS(at), json.RawMessage(actor), json.RawMessage(data)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	if len(evs) == 0 {
		var one int
		if err := t.q.QueryRowContext(ctx, `SELECT 1 FROM claims WHERE id = ?`, claimID).Scan(&one); err != nil {
			return nil, fmt.Errorf("sqlite: events of claim %s: %w", claimID, classify(err))
		}
	}
	return evs, nil
}

func (t *txn) ClaimSettlement(ctx context.Context, claimID string, no int64) (json.RawMessage, error) {
	var doc []byte
	err := t.q.QueryRowContext(ctx, `SELECT doc FROM claim_settlements WHERE claim_id = ? AND no = ?`, claimID, no).Scan(&doc)
	if err != nil {
		return nil, fmt.Errorf("sqlite: settlement %d of claim %s: %w", no, claimID, classify(err))
	}
	return doc, nil
}

func (t *txn) ListClaims(ctx context.Context, f store.ClaimFilter) ([]store.Claim, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.PolicyID != "" {
		add("policy_id = ?", f.PolicyID)
	}
	if f.VIN != "" {
		add("vin = ?", f.VIN)
	}
	if f.OccurredAt != "" {
		add("occurred_at = ?", f.OccurredAt)
	}
	if f.DeskCaseID != "" {
		add("desk_case_id = ?", f.DeskCaseID)
	}
	if f.ReportedFrom != "" {
		add("reported_at >= ?", f.ReportedFrom)
	}
	if f.ReportedUntil != "" {
		add("reported_at <= ?", f.ReportedUntil)
	}
	if f.After != "" {
		var created int64
		err := t.q.QueryRowContext(ctx, `SELECT created_at FROM claims WHERE id = ?`, f.After).Scan(&created)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list claims after %s: %w", f.After, classify(err))
		}
		where = append(where, "(created_at > ? OR (created_at = ? AND id > ?))")
		args = append(args, created, created, f.After)
	}
	q := `SELECT ` + claimCols + ` FROM claims`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at, id LIMIT ?"
	args = append(args, limit)
	rows, err := t.q.QueryContext(ctx, q, args...)
	return collect(rows, err, "list claims", func(sc interface{ Scan(...any) error }) (store.Claim, error) {
		return scanClaimRow(sc)
	})
}

// ---- links ----

func (t *txn) InsertInsuranceLink(ctx context.Context, l store.InsuranceLink) error {
	if len(l.Hash) == 0 {
		return fmt.Errorf("sqlite: insert %s link for %s: empty hash", l.Kind, l.Target)
	}
	var one int
	var err error
	switch l.Kind {
	case store.LinkClaim:
		err = t.q.QueryRowContext(ctx, `SELECT 1 FROM claims WHERE id = ?`, l.Target).Scan(&one)
	case store.LinkPolicy:
		err = t.q.QueryRowContext(ctx, `SELECT 1 FROM policies WHERE id = ?`, l.Target).Scan(&one)
	default:
		return fmt.Errorf("sqlite: insert link: unknown kind %q", l.Kind)
	}
	if err != nil {
		return fmt.Errorf("sqlite: insert %s link for %s: %w", l.Kind, l.Target, classify(err))
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO insurance_links (hash, kind, target, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		l.Hash, l.Kind, l.Target, ts(l.ExpiresAt), ts(l.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert %s link for %s: %w", l.Kind, l.Target, classify(err))
	}
	return nil
}

func (t *txn) InsuranceLinkByHash(ctx context.Context, hash []byte) (store.InsuranceLink, error) {
	var l store.InsuranceLink
	var exp, created int64
	err := t.q.QueryRowContext(ctx, `SELECT hash, kind, target, expires_at, created_at FROM insurance_links WHERE hash = ?`, hash).
		Scan(&l.Hash, &l.Kind, &l.Target, &exp, &created)
	if err != nil {
		return store.InsuranceLink{}, fmt.Errorf("sqlite: insurance link by hash: %w", classify(err))
	}
	l.ExpiresAt, l.CreatedAt = fromTS(exp), fromTS(created)
	return l, nil
}
