package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"roadcover/store"
)

// ---- policies ----

const policyCols = "id, due_date, vin, holder_id, versions, auto_collision_on, created_at, updated_at"

func scanPolicy(sc interface{ Scan(...any) error }, extra ...any) (store.Policy, error) {
	var p store.Policy
	var created, updated time.Time
	dest := append([]any{&p.ID, &p.DueDate, &p.VIN, &p.HolderID, &p.Versions, &p.AutoCollisionOn, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.Policy{}, err
	}
	p.CreatedAt, p.UpdatedAt = fromTS(created), fromTS(updated)
	return p, nil
}

// versionsSQL inserts the versions given as arrays ($n: numbers, kinds,
// days, times, documents) for the policy id $id, each row only when the
// CTE named from returned one.
func versionValues(args *[]any, versions []store.PolicyVersion) string {
	n := len(*args)
	nos := make([]int64, len(versions))
	kinds := make([]string, len(versions))
	days := make([]string, len(versions))
	ats := make([]time.Time, len(versions))
	docs := make([]string, len(versions))
	for i, v := range versions {
		nos[i], kinds[i], days[i], ats[i], docs[i] = v.No, v.Kind, v.ValidFrom, ts(v.At), string(v.Doc)
	}
	*args = append(*args, nos, kinds, days, ats, docs)
	return fmt.Sprintf(`unnest($%d::bigint[], $%d::text[], $%d::text[], $%d::timestamptz[], $%d::text[]) AS v (no, kind, valid_from, at, doc)`,
		n+1, n+2, n+3, n+4, n+5)
}

func checkVersions(id string, stored int64, versions []store.PolicyVersion) error {
	for i, v := range versions {
		if v.PolicyID != id || v.No != stored+int64(i)+1 {
			return fmt.Errorf("postgres: policy %s: version %d of %s does not follow %d", id, v.No, v.PolicyID, stored+int64(i))
		}
	}
	return nil
}

// InsertPolicy stores the row and its versions in one statement.
func (t *txn) InsertPolicy(ctx context.Context, p store.Policy, versions []store.PolicyVersion) error {
	if int64(len(versions)) != p.Versions || len(versions) == 0 {
		return fmt.Errorf("postgres: insert policy %s: %d versions given for a count of %d", p.ID, len(versions), p.Versions)
	}
	if err := checkVersions(p.ID, 0, versions); err != nil {
		return err
	}
	args := []any{p.ID, p.DueDate, p.VIN, p.HolderID, p.Versions, p.AutoCollisionOn, ts(p.CreatedAt), ts(p.UpdatedAt)}
	q := `WITH p AS (
		INSERT INTO policies (` + policyCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT DO NOTHING RETURNING id
	) INSERT INTO policy_versions (policy_id, no, kind, valid_from, at, doc)
	SELECT p.id, v.no, v.kind, v.valid_from, v.at, v.doc::json FROM p CROSS JOIN ` + versionValues(&args, versions)
	res, err := t.q.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgres: insert policy %s: %w", p.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert policy %s: %w", p.ID, store.ErrConflict)
	}
	return nil
}

// AppendPolicyVersions updates the row over the stored count and inserts
// the versions, in one statement: a second writer of the same policy waits
// for the first, then finds the count changed (ErrStale).
func (t *txn) AppendPolicyVersions(ctx context.Context, p store.Policy, versions []store.PolicyVersion) error {
	stored := p.Versions - int64(len(versions))
	if err := checkVersions(p.ID, stored, versions); err != nil {
		return err
	}
	args := []any{p.ID, p.DueDate, p.VIN, p.HolderID, p.Versions, p.AutoCollisionOn, ts(p.UpdatedAt), stored}
	q := `WITH p AS (
		UPDATE policies SET due_date = $2, vin = $3, holder_id = $4, versions = $5, auto_collision_on = $6, updated_at = $7
		WHERE id = $1 AND versions = $8 RETURNING id
	), i AS (
		INSERT INTO policy_versions (policy_id, no, kind, valid_from, at, doc)
		SELECT p.id, v.no, v.kind, v.valid_from, v.at, v.doc::json FROM p CROSS JOIN ` + versionValues(&args, versions) + `
	) SELECT count(*) FROM p`
	var n int64
	if err := t.q.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return fmt.Errorf("postgres: update policy %s: %w", p.ID, classify(err))
	}
	if n == 1 {
		return nil
	}
	var have int64
	if err := t.q.QueryRow(ctx, `SELECT versions FROM policies WHERE id = $1`, p.ID).Scan(&have); err != nil {
		return fmt.Errorf("postgres: update policy %s: %w", p.ID, classify(err))
	}
	return fmt.Errorf("postgres: update policy %s: %d versions stored, %d given: %w", p.ID, have, stored, store.ErrStale)
}

// GetPolicy reads the row and its versions in one statement (sent with
// BEGIN). Inside Update it first takes a transaction-level advisory lock
// on the policy id: changes and new claims of one policy queue, without
// the write (and WAL record) a row lock costs.
func (t *txn) GetPolicy(ctx context.Context, id string) (store.Policy, []store.PolicyVersion, error) {
	p, vs, _, err := t.policy(ctx, id, "")
	return p, vs, err
}

// FirstNotice is GetPolicy and the claims of the policy's car on the day
// in one statement.
func (t *txn) FirstNotice(ctx context.Context, policyID, day string) (store.Policy, []store.PolicyVersion, []store.Claim, error) {
	return t.policy(ctx, policyID, day)
}

// policy reads a policy, its versions and, when day is given, the claims
// of its car on that day.
func (t *txn) policy(ctx context.Context, id, day string) (store.Policy, []store.PolicyVersion, []store.Claim, error) {
	lock := ""
	if t.write {
		lock = ", (SELECT pg_advisory_xact_lock(hashtextextended('policy:' || $1, 0))) AS lk"
	}
	var nos []int64
	var kinds, froms, docs []string
	var ats []time.Time
	var c claimArrays
	q := `WITH p AS (SELECT ` + policyCols + ` FROM policies` + lock + ` WHERE id = $1)
		SELECT p.*, v.nos, v.kinds, v.froms, v.ats, v.docs`
	dest := []any{&nos, &kinds, &froms, &ats, &docs}
	args := []any{id}
	if day != "" {
		q += `, c.*`
		dest = append(dest, c.dest()...)
		args = append(args, day)
	}
	q += ` FROM p, LATERAL (
			SELECT array_agg(no) AS nos, array_agg(kind) AS kinds, array_agg(valid_from) AS froms,
				array_agg(at) AS ats, array_agg(doc::text) AS docs
			FROM policy_versions WHERE policy_id = p.id) v`
	if day != "" {
		q += `, LATERAL (` + claimArraysSQL + ` WHERE vin = p.vin AND occurred_at = $2) c`
	}
	p, err := scanPolicy(t.q.QueryRow(ctx, q, args...), dest...)
	if err != nil {
		return store.Policy{}, nil, nil, fmt.Errorf("postgres: get policy %s: %w", id, classify(err))
	}
	// The aggregates of one scan hold the rows in one order (which one is
	// not said): the versions are put in order here.
	vs := make([]store.PolicyVersion, len(nos))
	for i := range vs {
		vs[i] = store.PolicyVersion{PolicyID: id, No: nos[i], Kind: kinds[i], ValidFrom: froms[i], At: fromTS(ats[i]),
			Doc: json.RawMessage(docs[i])}
	}
	slices.SortFunc(vs, func(a, b store.PolicyVersion) int { return cmp.Compare(a.No, b.No) })
	return p, vs, c.rows(), nil
}

// claimArraysSQL selects claim rows (without settlements) as one array per
// column, in one order; claimArrays puts them oldest first.
const claimArraysSQL = `SELECT array_agg(id), array_agg(policy_id), array_agg(vin), array_agg(occurred_at),
	array_agg(reported_at), array_agg(status), array_agg(desk_case_id), array_agg(holder_id), array_agg(holder_name),
	array_agg(summary::text), array_agg(settlement_no), array_agg(version), array_agg(created_at), array_agg(updated_at)
	FROM claims`

type claimArrays struct {
	id, policy, vin, occurred, reported, status, desk, holderID, holderName, summary []string
	settlementNo, version                                                            []int64
	created, updated                                                                 []time.Time
}

func (a *claimArrays) dest() []any {
	return []any{&a.id, &a.policy, &a.vin, &a.occurred, &a.reported, &a.status, &a.desk, &a.holderID, &a.holderName,
		&a.summary, &a.settlementNo, &a.version, &a.created, &a.updated}
}

func (a *claimArrays) rows() []store.Claim {
	out := make([]store.Claim, len(a.id))
	for i := range out {
		out[i] = store.Claim{ID: a.id[i], PolicyID: a.policy[i], VIN: a.vin[i], OccurredAt: a.occurred[i], ReportedAt: a.reported[i],
			Status: a.status[i], DeskCaseID: a.desk[i], HolderID: a.holderID[i], HolderName: a.holderName[i],
			Summary: json.RawMessage(a.summary[i]), SettlementNo: a.settlementNo[i], Version: a.version[i],
			CreatedAt: fromTS(a.created[i]), UpdatedAt: fromTS(a.updated[i])}
	}
	slices.SortFunc(out, func(x, y store.Claim) int {
		if c := x.CreatedAt.Compare(y.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out
}

func (t *txn) PoliciesByVIN(ctx context.Context, vin string) ([]store.Policy, error) {
	rows, err := t.q.Query(ctx, `SELECT `+policyCols+` FROM policies WHERE vin = $1 ORDER BY created_at, id`, vin)
	return collect(rows, err, "policies of car "+vin, func(sc interface{ Scan(...any) error }) (store.Policy, error) {
		return scanPolicy(sc)
	})
}

func (t *txn) DueAutoCollision(ctx context.Context, through string, limit int) ([]string, error) {
	if limit <= 0 {
		limit = DefaultListLimit
	}
	rows, err := t.q.Query(ctx, `SELECT id FROM policies WHERE auto_collision_on <> '' AND auto_collision_on <= $1
		ORDER BY auto_collision_on, id LIMIT $2`, through, limit)
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
		jsonArg(c.Summary), c.SettlementNo, c.Version, ts(c.CreatedAt), ts(c.UpdatedAt)}
}

func scanClaimRow(sc interface{ Scan(...any) error }, extra ...any) (store.Claim, error) {
	var c store.Claim
	var summary []byte
	var created, updated time.Time
	dest := append([]any{&c.ID, &c.PolicyID, &c.VIN, &c.OccurredAt, &c.ReportedAt, &c.Status, &c.DeskCaseID, &c.HolderID,
		&c.HolderName, &summary, &c.SettlementNo, &c.Version, &created, &updated}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.Claim{}, err
	}
	c.Summary, c.CreatedAt, c.UpdatedAt = json.RawMessage(summary), fromTS(created), fromTS(updated)
	return c, nil
}

// eventValues appends the events' columns and returns the rows they make:
// one event as plain parameters, more as arrays read back by unnest.
func eventValues(args *[]any, id string, stored int64, events []store.ClaimEvent) (string, error) {
	n := len(*args)
	if len(events) == 1 {
		e := events[0]
		if e.ClaimID != id || e.Seq != stored+1 {
			return "", fmt.Errorf("postgres: claim %s: event %d of %s does not follow %d", id, e.Seq, e.ClaimID, stored)
		}
		*args = append(*args, e.Seq, ts(e.At), jsonArg(e.Actor), e.Kind, jsonArg(e.Data))
		return fmt.Sprintf(`(VALUES ($%d::bigint, $%d::timestamptz, $%d::json, $%d::text, $%d::json)) AS e (seq, at, actor, kind, data)`,
			n+1, n+2, n+3, n+4, n+5), nil
	}
	seqs := make([]int64, len(events))
	ats := make([]time.Time, len(events))
	actors := make([]string, len(events))
	kinds := make([]string, len(events))
	datas := make([]string, len(events))
	for i, e := range events {
		if e.ClaimID != id || e.Seq != stored+int64(i)+1 {
			return "", fmt.Errorf("postgres: claim %s: event %d of %s does not follow %d", id, e.Seq, e.ClaimID, stored+int64(i))
		}
		seqs[i], ats[i], actors[i], kinds[i], datas[i] = e.Seq, ts(e.At), string(e.Actor), e.Kind, string(e.Data)
	}
	*args = append(*args, seqs, ats, actors, kinds, datas)
	return fmt.Sprintf(`unnest($%d::bigint[], $%d::timestamptz[], $%d::text[], $%d::text[], $%d::text[]) AS e (seq, at, actor, kind, data)`,
		n+1, n+2, n+3, n+4, n+5), nil
}

// InsertClaim stores the row, its first settlement and its first events in
// one statement and one round trip.
func (t *txn) InsertClaim(ctx context.Context, c store.Claim, events []store.ClaimEvent) error {
	if c.Settlement == nil || c.SettlementNo != 1 || c.Version != int64(len(events)) {
		return fmt.Errorf("postgres: insert claim %s: a new claim has settlement 1 and its %d events", c.ID, c.Version)
	}
	args := append(claimArgs(c), jsonArg(c.Settlement))
	ev, err := eventValues(&args, c.ID, 0, events)
	if err != nil {
		return err
	}
	q := `WITH c AS (
		INSERT INTO claims (` + claimCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT DO NOTHING RETURNING id
	), s AS (
		INSERT INTO claim_settlements (claim_id, no, at, doc) SELECT c.id, 1, $14, $15 FROM c
	) INSERT INTO claim_events (claim_id, seq, at, actor, kind, data)
	SELECT c.id, e.seq, e.at, e.actor::json, e.kind, e.data::json FROM c CROSS JOIN ` + ev
	res, err := t.q.Exec(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("postgres: insert claim %s: %w", c.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert claim %s: %w", c.ID, store.ErrConflict)
	}
	return nil
}

// UpdateClaim updates the row over the stored version and appends the
// settlement and the events in one statement: a second writer of the same
// claim waits for the first, then finds the version changed (ErrStale).
func (t *txn) UpdateClaim(ctx context.Context, c store.Claim, events []store.ClaimEvent) error {
	stored := c.Version - int64(len(events))
	storedNo := c.SettlementNo
	if c.Settlement != nil {
		storedNo--
	}
	args := append(claimArgs(c), stored, storedNo, jsonArg(c.Settlement))
	ev, err := eventValues(&args, c.ID, stored, events)
	if err != nil {
		return err
	}
	q := `WITH c AS (
		UPDATE claims SET policy_id = $2, vin = $3, occurred_at = $4, reported_at = $5, status = $6, desk_case_id = $7,
			holder_id = $8, holder_name = $9, summary = $10, settlement_no = $11, version = $12, created_at = $13, updated_at = $14
		WHERE id = $1 AND version = $15 AND settlement_no = $16 RETURNING id
	), s AS (
		INSERT INTO claim_settlements (claim_id, no, at, doc) SELECT c.id, $11, $14, $17 FROM c WHERE $17::json IS NOT NULL
	), e AS (
		INSERT INTO claim_events (claim_id, seq, at, actor, kind, data)
		SELECT c.id, e.seq, e.at, e.actor::json, e.kind, e.data::json FROM c CROSS JOIN ` + ev + `
	) SELECT count(*) FROM c`
	var n int64
	if err := t.q.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return fmt.Errorf("postgres: update claim %s: %w", c.ID, classify(err))
	}
	if n == 1 {
		return nil
	}
	var version, no int64
	if err := t.q.QueryRow(ctx, `SELECT version, settlement_no FROM claims WHERE id = $1`, c.ID).Scan(&version, &no); err != nil {
		return fmt.Errorf("postgres: update claim %s: %w", c.ID, classify(err))
	}
	if version != stored {
		return fmt.Errorf("postgres: update claim %s: stored version %d, given %d: %w", c.ID, version, stored, store.ErrStale)
	}
	return fmt.Errorf("postgres: update claim %s: settlement %d does not follow the stored %d", c.ID, c.SettlementNo, no)
}

func (t *txn) GetClaim(ctx context.Context, id string) (store.Claim, error) {
	var doc []byte
	c, err := scanClaimRow(t.q.QueryRow(ctx, `SELECT c.id, c.policy_id, c.vin, c.occurred_at, c.reported_at, c.status,
		c.desk_case_id, c.holder_id, c.holder_name, c.summary, c.settlement_no, c.version, c.created_at, c.updated_at, s.doc
		FROM claims c LEFT JOIN claim_settlements s ON s.claim_id = c.id AND s.no = c.settlement_no
		WHERE c.id = $1`, id), &doc)
	if err != nil {
		return store.Claim{}, fmt.Errorf("postgres: get claim %s: %w", id, classify(err))
	}
	c.Settlement = rawJSON(doc)
	return c, nil
}

func (t *txn) ClaimEvents(ctx context.Context, claimID string) ([]store.ClaimEvent, error) {
	rows, err := t.q.Query(ctx, `SELECT claim_id, seq, at, actor, kind, data FROM claim_events WHERE claim_id = $1 ORDER BY seq`, claimID)
	evs, err := collect(rows, err, "events of claim "+claimID, func(sc interface{ Scan(...any) error }) (store.ClaimEvent, error) {
		var e store.ClaimEvent
		var at time.Time
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
		if err := t.q.QueryRow(ctx, `SELECT 1 FROM claims WHERE id = $1`, claimID).Scan(&one); err != nil {
			return nil, fmt.Errorf("postgres: events of claim %s: %w", claimID, classify(err))
		}
	}
	return evs, nil
}

func (t *txn) ClaimSettlement(ctx context.Context, claimID string, no int64) (json.RawMessage, error) {
	var doc []byte
	err := t.q.QueryRow(ctx, `SELECT doc FROM claim_settlements WHERE claim_id = $1 AND no = $2`, claimID, no).Scan(&doc)
	if err != nil {
		return nil, fmt.Errorf("postgres: settlement %d of claim %s: %w", no, claimID, classify(err))
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
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.PolicyID != "" {
		add("policy_id = $%d", f.PolicyID)
	}
	if f.VIN != "" {
		add("vin = $%d", f.VIN)
	}
	if f.OccurredAt != "" {
		add("occurred_at = $%d", f.OccurredAt)
	}
	if f.DeskCaseID != "" {
		add("desk_case_id = $%d", f.DeskCaseID)
	}
	if f.ReportedFrom != "" {
		add("reported_at >= $%d", f.ReportedFrom)
	}
	if f.ReportedUntil != "" {
		add("reported_at <= $%d", f.ReportedUntil)
	}
	if f.After != "" {
		var created time.Time
		if err := t.q.QueryRow(ctx, `SELECT created_at FROM claims WHERE id = $1`, f.After).Scan(&created); err != nil {
			return nil, fmt.Errorf("postgres: list claims after %s: %w", f.After, classify(err))
		}
		args = append(args, created, f.After)
		where = append(where, fmt.Sprintf("(created_at, id) > ($%d, $%d)", len(args)-1, len(args)))
	}
	q := `SELECT ` + claimCols + ` FROM claims`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY created_at, id LIMIT $%d", len(args))
	rows, err := t.q.Query(ctx, q, args...)
	return collect(rows, err, "list claims", func(sc interface{ Scan(...any) error }) (store.Claim, error) {
		return scanClaimRow(sc)
	})
}

// ---- links ----

func (t *txn) InsertInsuranceLink(ctx context.Context, l store.InsuranceLink) error {
	if len(l.Hash) == 0 {
		return fmt.Errorf("postgres: insert %s link for %s: empty hash", l.Kind, l.Target)
	}
	var table string
	switch l.Kind {
	case store.LinkClaim:
		table = "claims"
	case store.LinkPolicy:
		table = "policies"
	default:
		return fmt.Errorf("postgres: insert link: unknown kind %q", l.Kind)
	}
	var target, inserted int64
	err := t.q.QueryRow(ctx, `WITH t AS (SELECT id FROM `+table+` WHERE id = $3), i AS (
		INSERT INTO insurance_links (hash, kind, target, expires_at, created_at)
		SELECT $1, $2, t.id, $4, $5 FROM t ON CONFLICT DO NOTHING RETURNING hash
	) SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM i)`,
		l.Hash, l.Kind, l.Target, ts(l.ExpiresAt), ts(l.CreatedAt)).Scan(&target, &inserted)
	switch {
	case err != nil:
		return fmt.Errorf("postgres: insert %s link for %s: %w", l.Kind, l.Target, classify(err))
	case target == 0:
		return fmt.Errorf("postgres: insert %s link for %s: %w", l.Kind, l.Target, store.ErrNotFound)
	case inserted == 0:
		return fmt.Errorf("postgres: insert %s link for %s: %w", l.Kind, l.Target, store.ErrConflict)
	}
	return nil
}

func (t *txn) InsuranceLinkByHash(ctx context.Context, hash []byte) (store.InsuranceLink, error) {
	var l store.InsuranceLink
	var exp, created time.Time
	err := t.q.QueryRow(ctx, `SELECT hash, kind, target, expires_at, created_at FROM insurance_links WHERE hash = $1`, hash).
		Scan(&l.Hash, &l.Kind, &l.Target, &exp, &created)
	if err != nil {
		return store.InsuranceLink{}, fmt.Errorf("postgres: insurance link by hash: %w", classify(err))
	}
	l.ExpiresAt, l.CreatedAt = fromTS(exp), fromTS(created)
	return l, nil
}
