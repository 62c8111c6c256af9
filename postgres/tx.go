package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"roadcover/store"
)

// DefaultListLimit is the page size of ListCases when the filter gives none.
const DefaultListLimit = 100

// MaxListLimit caps the page size of ListCases.
const MaxListLimit = 1000

type txn struct {
	q     querier
	write bool
	jobs  *river.Client[pgx.Tx] // inserts jobs (Enqueue)
}

var _ store.Tx = (*txn)(nil)

// ts truncates to the microsecond PostgreSQL keeps.
func ts(t time.Time) time.Time { return t.Truncate(time.Microsecond) }

func fromTS(t time.Time) time.Time { return t.UTC() }

// jsonArg passes a JSON document as its bytes (no copy into a string first);
// nil is SQL NULL.
func jsonArg(raw json.RawMessage) any {
	if raw == nil {
		return nil
	}
	return []byte(raw)
}

func rawJSON(b []byte) json.RawMessage {
	if b == nil {
		return nil
	}
	return json.RawMessage(b)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ---- cases ----

// caseCols are the columns of the case row; caseSelect reads them with the
// current facts and decision.
const caseCols = "id, status, intake, terms_id, version, created_at, updated_at, facts_no, decision_no, " +
	"covered, market, language, event_kind, country, vin, registration, place, missing, occurred_at, owner"

const caseSelect = `SELECT c.id, c.status, c.intake, c.terms_id, c.version, c.created_at, c.updated_at, c.facts_no,
	c.decision_no, c.covered, c.market, c.language, c.event_kind, c.country, c.vin, c.registration, c.place, c.missing,
	c.occurred_at, c.owner, f.doc, d.doc
	FROM cases c
	LEFT JOIN facts f ON f.case_id = c.id AND f.no = c.facts_no
	LEFT JOIN decisions d ON d.case_id = c.id AND d.no = c.decision_no`

// caseRowArgs are the values of caseCols for c.
func caseRowArgs(c store.Case) []any {
	m := c.Summary
	missing := m.MissingInformation
	if missing == nil {
		missing = []string{}
	}
	var occurred any
	if !m.OccurredAt.IsZero() {
		occurred = ts(m.OccurredAt)
	}
	return []any{c.ID, c.Status, jsonArg(c.Intake), c.TermsID, c.Version, ts(c.CreatedAt), ts(c.UpdatedAt), c.FactsNo,
		c.DecisionNo, m.Covered, m.Market, m.Language, m.EventKind, m.Country, m.VIN, m.Registration, m.Place,
		missing, occurred, m.Owner}
}

// scanCaseRow reads the columns of caseCols, then extra destinations.
func scanCaseRow(sc interface{ Scan(...any) error }, extra ...any) (store.Case, error) {
	var c store.Case
	var intake []byte
	var created, updated time.Time
	var occurred *time.Time
	m := &c.Summary
	dest := append([]any{&c.ID, &c.Status, &intake, &c.TermsID, &c.Version, &created, &updated, &c.FactsNo,
		&c.DecisionNo, &m.Covered, &m.Market, &m.Language, &m.EventKind, &m.Country, &m.VIN, &m.Registration, &m.Place,
		&m.MissingInformation, &occurred, &m.Owner}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.Case{}, err
	}
	if m.MissingInformation == nil {
		m.MissingInformation = []string{}
	}
	c.Intake = rawJSON(intake)
	c.CreatedAt, c.UpdatedAt = fromTS(created), fromTS(updated)
	if occurred != nil {
		m.OccurredAt = fromTS(*occurred)
	}
	return c, nil
}

func scanCase(sc interface{ Scan(...any) error }) (store.Case, error) {
	var facts, decision []byte
	c, err := scanCaseRow(sc, &facts, &decision)
	if err != nil {
		return c, err
	}
	c.Facts, c.Decision = rawJSON(facts), rawJSON(decision)
	return c, nil
}

func (t *txn) InsertCase(ctx context.Context, c store.Case) error {
	return t.InsertCaseWithEvents(ctx, c, nil)
}

// GetCase reads a case; in a write transaction it locks the case row until
// the transaction ends, so that writers of one case take turns and each
// sees the version the one before it left (no spurious ErrStale).
func (t *txn) GetCase(ctx context.Context, id string) (store.Case, error) {
	q := caseSelect + ` WHERE c.id = $1`
	if t.write {
		q += ` FOR UPDATE OF c`
	}
	c, err := scanCase(t.q.QueryRow(ctx, q, id))
	if err != nil {
		return store.Case{}, fmt.Errorf("postgres: get case %s: %w", id, classify(err))
	}
	return c, nil
}

// UpdateCase updates the row and stores the facts and decision whose
// numbers are new, in one statement.
func (t *txn) UpdateCase(ctx context.Context, c store.Case) error {
	args := append(caseRowArgs(c)[1:], c.ID, c.Version-1, jsonArg(c.Facts), jsonArg(c.Decision))
	var updated int64
	err := t.q.QueryRow(ctx, `WITH old AS (
			SELECT facts_no, decision_no FROM cases WHERE id = $20 AND version = $21 FOR UPDATE
		), u AS (
			UPDATE cases SET status = $1, intake = $2, terms_id = $3, version = $4, created_at = $5, updated_at = $6,
				facts_no = $7, decision_no = $8, covered = $9, market = $10, language = $11, event_kind = $12,
				country = $13, vin = $14, registration = $15, place = $16, missing = $17, occurred_at = $18, owner = $19
			FROM old WHERE cases.id = $20 AND $7 >= old.facts_no AND $8 >= old.decision_no
			  AND ($7 = old.facts_no OR ($7 = old.facts_no + 1 AND $22::json IS NOT NULL))
			  AND ($8 = old.decision_no OR ($8 = old.decision_no + 1 AND $23::json IS NOT NULL))
			RETURNING old.facts_no AS fno, old.decision_no AS dno
		), f AS (
			INSERT INTO facts (case_id, no, at, doc) SELECT $20, $7, $6, $22 FROM u WHERE $7 > u.fno
		), d AS (
			INSERT INTO decisions (case_id, no, at, terms_id, doc) SELECT $20, $8, $6, $3, $23 FROM u WHERE $8 > u.dno
		)
		SELECT count(*) FROM u`, args...).Scan(&updated)
	if err != nil {
		return fmt.Errorf("postgres: update case %s: %w", c.ID, classify(err))
	}
	if updated == 1 {
		return nil
	}
	var version, factsNo, decisionNo int64
	err = t.q.QueryRow(ctx, `SELECT version, facts_no, decision_no FROM cases WHERE id = $1`, c.ID).
		Scan(&version, &factsNo, &decisionNo)
	if err != nil {
		return fmt.Errorf("postgres: update case %s: %w", c.ID, classify(err))
	}
	if version != c.Version-1 {
		return fmt.Errorf("postgres: update case %s: stored version %d, given %d: %w", c.ID, version, c.Version, store.ErrStale)
	}
	return fmt.Errorf("postgres: update case %s: documents do not follow (facts %d→%d, decision %d→%d)",
		c.ID, factsNo, c.FactsNo, decisionNo, c.DecisionNo)
}

func (t *txn) Document(ctx context.Context, caseID, kind string, no int64) (json.RawMessage, error) {
	var q string
	switch kind {
	case store.DocFacts:
		q = `SELECT doc FROM facts WHERE case_id = $1 AND no = $2`
	case store.DocDecision:
		q = `SELECT doc FROM decisions WHERE case_id = $1 AND no = $2`
	default:
		return nil, fmt.Errorf("postgres: no document kind %q", kind)
	}
	var doc []byte
	if err := t.q.QueryRow(ctx, q, caseID, no).Scan(&doc); err != nil {
		return nil, fmt.Errorf("postgres: %s %d of case %s: %w", kind, no, caseID, classify(err))
	}
	return doc, nil
}

// checkVersioned turns "no row updated" into ErrNotFound or ErrStale.
func (t *txn) checkVersioned(ctx context.Context, res pgconn.CommandTag, table, what, id string, version int64) error {
	if res.RowsAffected() == 1 {
		return nil
	}
	var stored int64
	err := t.q.QueryRow(ctx, `SELECT version FROM `+table+` WHERE id = $1`, id).Scan(&stored)
	if err != nil {
		return fmt.Errorf("postgres: update %s %s: %w", what, id, classify(err))
	}
	return fmt.Errorf("postgres: update %s %s: stored version %d, given %d: %w", what, id, stored, version, store.ErrStale)
}

func (t *txn) ListCases(ctx context.Context, f store.CaseFilter) ([]store.Case, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		where = append(where, "status = "+arg(f.Status))
	}
	if f.VIN != "" {
		where = append(where, "vin = "+arg(f.VIN))
	}
	if f.After != "" {
		var created time.Time
		err := t.q.QueryRow(ctx, `SELECT created_at FROM cases WHERE id = $1`, f.After).Scan(&created)
		if err != nil {
			return nil, fmt.Errorf("postgres: list cases after %s: %w", f.After, classify(err))
		}
		c, a := arg(created), arg(f.After)
		where = append(where, "(created_at < "+c+" OR (created_at = "+c+" AND id < "+a+"))")
	}
	q := `SELECT ` + caseCols + ` FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT " + arg(limit)
	rows, err := t.q.Query(ctx, q, args...)
	return collect(rows, err, "list cases", func(sc interface{ Scan(...any) error }) (store.Case, error) {
		return scanCaseRow(sc)
	})
}

// ---- events ----

// AppendEvent takes the next seq from the case row (locking it until the
// transaction ends, so appends to one case queue) and inserts the event, in
// one statement and one round trip.
func (t *txn) AppendEvent(ctx context.Context, e store.Event) (int64, error) {
	var seq int64
	err := t.q.QueryRow(ctx, `WITH next AS (
			UPDATE cases SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq
		)
		INSERT INTO events (case_id, seq, at, actor_token, actor_role, actor_partner, kind, data)
		SELECT $1, last_seq, $2, $3, $4, $5, $6, $7 FROM next
		RETURNING seq`,
		e.CaseID, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Actor.Partner, e.Kind, jsonArg(e.Data)).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("postgres: append event to case %s: %w", e.CaseID, classify(err))
	}
	return seq, nil
}

func (t *txn) Events(ctx context.Context, caseID string) ([]store.Event, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("postgres: events of case %s: %w", caseID, err)
	}
	rows, err := t.q.Query(ctx, `SELECT case_id, seq, at, actor_token, actor_role, actor_partner, kind, data
		FROM events WHERE case_id = $1 ORDER BY seq`, caseID)
	return collect(rows, err, "events of case "+caseID, scanEvent)
}

func scanEvent(sc interface{ Scan(...any) error }) (store.Event, error) {
	var e store.Event
	var at time.Time
	var data []byte
	if err := sc.Scan(&e.CaseID, &e.Seq, &at, &e.Actor.TokenID, &e.Actor.Role, &e.Actor.Partner, &e.Kind, &data); err != nil {
		return e, err
	}
	e.At, e.Data = fromTS(at), rawJSON(data)
	return e, nil
}

func (t *txn) caseExists(ctx context.Context, id string) error {
	var one int
	err := t.q.QueryRow(ctx, `SELECT 1 FROM cases WHERE id = $1`, id).Scan(&one)
	return classify(err)
}

// ---- choices ----

func (t *txn) InsertChoice(ctx context.Context, ch store.Choice) error {
	res, err := t.q.Exec(ctx, `INSERT INTO choices (case_id, grp, code, at, actor_token, actor_role, actor_partner)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		ch.CaseID, ch.Group, ch.Code, ts(ch.At), ch.Actor.TokenID, ch.Actor.Role, ch.Actor.Partner)
	if err != nil {
		return fmt.Errorf("postgres: insert choice %s of case %s: %w", ch.Group, ch.CaseID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert choice %s of case %s: %w", ch.Group, ch.CaseID, store.ErrConflict)
	}
	return nil
}

func scanChoice(sc interface{ Scan(...any) error }) (store.Choice, error) {
	var ch store.Choice
	var at time.Time
	if err := sc.Scan(&ch.CaseID, &ch.Group, &ch.Code, &at, &ch.Actor.TokenID, &ch.Actor.Role, &ch.Actor.Partner); err != nil {
		return ch, err
	}
	ch.At = fromTS(at)
	return ch, nil
}

func (t *txn) Choices(ctx context.Context, caseID string) ([]store.Choice, error) {
	rows, err := t.q.Query(ctx, `SELECT case_id, grp, code, at, actor_token, actor_role, actor_partner
		FROM choices WHERE case_id = $1 ORDER BY at, grp`, caseID)
	return collect(rows, err, "choices of case "+caseID, scanChoice)
}

// ---- jobs ----

const jobCols = "id, case_id, kind, partner, status, failure, eta, destination, version, created_at, updated_at"

func etaArg(eta *time.Time) any {
	if eta == nil {
		return nil
	}
	return ts(*eta)
}

func scanJob(sc interface{ Scan(...any) error }) (store.Job, error) {
	var j store.Job
	var eta *time.Time
	var dest []byte
	var created, updated time.Time
	if err := sc.Scan(&j.ID, &j.CaseID, &j.Kind, &j.Partner, &j.Status, &j.Failure, &eta, &dest, &j.Version, &created, &updated); err != nil {
		return store.Job{}, err
	}
	if eta != nil {
		e := fromTS(*eta)
		j.ETA = &e
	}
	j.Destination = rawJSON(dest)
	j.CreatedAt, j.UpdatedAt = fromTS(created), fromTS(updated)
	return j, nil
}

func (t *txn) InsertJob(ctx context.Context, j store.Job) error {
	res, err := t.q.Exec(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
		j.ID, j.CaseID, j.Kind, j.Partner, j.Status, j.Failure, etaArg(j.ETA), jsonArg(j.Destination), j.Version,
		ts(j.CreatedAt), ts(j.UpdatedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert job %s: %w", j.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert job %s: %w", j.ID, store.ErrConflict)
	}
	return nil
}

// GetJob reads a job; in a write transaction it locks the row (as GetCase).
func (t *txn) GetJob(ctx context.Context, id string) (store.Job, error) {
	q := `SELECT ` + jobCols + ` FROM jobs WHERE id = $1`
	if t.write {
		q += ` FOR UPDATE`
	}
	j, err := scanJob(t.q.QueryRow(ctx, q, id))
	if err != nil {
		return store.Job{}, fmt.Errorf("postgres: get job %s: %w", id, classify(err))
	}
	return j, nil
}

func (t *txn) UpdateJob(ctx context.Context, j store.Job) error {
	res, err := t.q.Exec(ctx, `UPDATE jobs SET kind = $1, partner = $2, status = $3, failure = $4, eta = $5,
		destination = $6, version = $7, updated_at = $8 WHERE id = $9 AND version = $10`,
		j.Kind, j.Partner, j.Status, j.Failure, etaArg(j.ETA), jsonArg(j.Destination), j.Version,
		ts(j.UpdatedAt), j.ID, j.Version-1)
	if err != nil {
		return fmt.Errorf("postgres: update job %s: %w", j.ID, classify(err))
	}
	return t.checkVersioned(ctx, res, "jobs", "job", j.ID, j.Version)
}

func (t *txn) ListJobs(ctx context.Context, f store.JobFilter) ([]store.Job, error) {
	var limit *int // NULL: all
	if f.Limit > 0 {
		limit = &f.Limit
	}
	q := `SELECT ` + jobCols + ` FROM jobs WHERE ($1 = '' OR partner = $1) AND ($2 = '' OR case_id = $2) AND ($3 = '' OR status = $3)
	  AND ($4 = '' OR (created_at, id) > (SELECT created_at, id FROM jobs WHERE id = $4)) ORDER BY created_at, id LIMIT $5`
	rows, err := t.q.Query(ctx, q, f.Partner, f.CaseID, f.Status, f.After, limit)
	return collect(rows, err, "list jobs", scanJob)
}

func (t *txn) JobsOfCases(ctx context.Context, caseIDs []string) ([]store.Job, error) {
	if len(caseIDs) == 0 {
		return nil, nil
	}
	rows, err := t.q.Query(ctx, `SELECT `+jobCols+` FROM jobs WHERE case_id = ANY($1::text[]) ORDER BY created_at, id`, caseIDs)
	return collect(rows, err, "jobs of cases", scanJob)
}

// ---- partners ----

const partnerCols = "id, name, webhook_url, secret, created_at, phone, trucks, plates"

func (t *txn) InsertPartner(ctx context.Context, p store.Partner) error {
	secret := p.Secret
	if secret == nil {
		secret = []byte{}
	}
	res, err := t.q.Exec(ctx, `INSERT INTO partners (`+partnerCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		p.ID, p.Name, p.WebhookURL, secret, ts(p.CreatedAt), p.Phone, orNone(p.Trucks), orNone(p.Plates))
	if err != nil {
		return fmt.Errorf("postgres: insert partner %s: %w", p.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert partner %s: %w", p.ID, store.ErrConflict)
	}
	return nil
}

func scanPartner(sc interface{ Scan(...any) error }) (store.Partner, error) {
	var p store.Partner
	var created time.Time
	if err := sc.Scan(&p.ID, &p.Name, &p.WebhookURL, &p.Secret, &created, &p.Phone, &p.Trucks, &p.Plates); err != nil {
		return store.Partner{}, err
	}
	p.CreatedAt = fromTS(created)
	if len(p.Trucks) == 0 {
		p.Trucks = nil
	}
	if len(p.Plates) == 0 {
		p.Plates = nil
	}
	return p, nil
}

func (t *txn) GetPartner(ctx context.Context, id string) (store.Partner, error) {
	p, err := scanPartner(t.q.QueryRow(ctx, `SELECT `+partnerCols+` FROM partners WHERE id = $1`, id))
	if err != nil {
		return store.Partner{}, fmt.Errorf("postgres: get partner %s: %w", id, classify(err))
	}
	return p, nil
}

func (t *txn) ListPartners(ctx context.Context) ([]store.Partner, error) {
	rows, err := t.q.Query(ctx, `SELECT `+partnerCols+` FROM partners ORDER BY id`)
	return collect(rows, err, "list partners", scanPartner)
}

// ---- tokens ----

const tokenCols = "id, hash, role, partner, label, created_at, revoked, payment_limit"

func scanToken(sc interface{ Scan(...any) error }) (store.Token, error) {
	var tk store.Token
	var partner *string
	var created time.Time
	var revoked bool
	if err := sc.Scan(&tk.ID, &tk.Hash, &tk.Role, &partner, &tk.Label, &created, &revoked, &tk.PaymentLimit); err != nil {
		return store.Token{}, err
	}
	if partner != nil {
		tk.Partner = *partner
	}
	tk.CreatedAt, tk.Revoked = fromTS(created), revoked
	return tk, nil
}

func (t *txn) InsertToken(ctx context.Context, tk store.Token) error {
	if len(tk.Hash) == 0 {
		return fmt.Errorf("postgres: insert token %s: empty hash", tk.ID)
	}
	res, err := t.q.Exec(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		tk.ID, tk.Hash, tk.Role, nullString(tk.Partner), tk.Label, ts(tk.CreatedAt), tk.Revoked, tk.PaymentLimit)
	if err != nil {
		return fmt.Errorf("postgres: insert token %s: %w", tk.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert token %s: %w", tk.ID, store.ErrConflict)
	}
	return nil
}

// TokenByHash finds a token that is not revoked: a revoked token is
// ErrNotFound, as an unknown one.
func (t *txn) TokenByHash(ctx context.Context, hash []byte) (store.Token, error) {
	tk, err := scanToken(t.q.QueryRow(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = $1 AND NOT revoked`, hash))
	if err != nil {
		return store.Token{}, fmt.Errorf("postgres: token by hash: %w", classify(err))
	}
	return tk, nil
}

func (t *txn) ListTokens(ctx context.Context) ([]store.Token, error) {
	rows, err := t.q.Query(ctx, `SELECT `+tokenCols+` FROM tokens ORDER BY created_at, id`)
	return collect(rows, err, "list tokens", scanToken)
}

func (t *txn) RevokeToken(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, `UPDATE tokens SET revoked = true WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("postgres: revoke token %s: %w", id, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: revoke token %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// ---- tracking links ----

func (t *txn) InsertTrackingLink(ctx context.Context, l store.TrackingLink) error {
	if len(l.Hash) == 0 {
		return fmt.Errorf("postgres: insert tracking link for case %s: empty hash", l.CaseID)
	}
	res, err := t.q.Exec(ctx, `INSERT INTO tracking_links (hash, case_id, expires_at, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		l.Hash, l.CaseID, ts(l.ExpiresAt), ts(l.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert tracking link for case %s: %w", l.CaseID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert tracking link for case %s: %w", l.CaseID, store.ErrConflict)
	}
	return nil
}

// TrackingLinkByHash returns the link whether or not it has expired; the
// caller compares ExpiresAt with its clock.
func (t *txn) TrackingLinkByHash(ctx context.Context, hash []byte) (store.TrackingLink, error) {
	var l store.TrackingLink
	var exp, created time.Time
	err := t.q.QueryRow(ctx, `SELECT hash, case_id, expires_at, created_at FROM tracking_links WHERE hash = $1`, hash).
		Scan(&l.Hash, &l.CaseID, &exp, &created)
	if err != nil {
		return store.TrackingLink{}, fmt.Errorf("postgres: tracking link by hash: %w", classify(err))
	}
	l.ExpiresAt, l.CreatedAt = fromTS(exp), fromTS(created)
	return l, nil
}

// ---- idempotency ----

func (t *txn) InsertIdempotency(ctx context.Context, r store.Idempotency) error {
	res, err := t.q.Exec(ctx, `INSERT INTO idempotency (token_id, key, method, path, body_hash, status, header, response, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
		r.TokenID, r.Key, r.Method, r.Path, r.BodyHash, r.Status, r.Header, r.Response, ts(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("postgres: insert idempotency key %q of token %s: %w", r.Key, r.TokenID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert idempotency key %q of token %s: %w", r.Key, r.TokenID, store.ErrConflict)
	}
	return nil
}

func (t *txn) GetIdempotency(ctx context.Context, tokenID, key string) (store.Idempotency, error) {
	var r store.Idempotency
	var created time.Time
	err := t.q.QueryRow(ctx, `SELECT token_id, key, method, path, body_hash, status, header, response, created_at
		FROM idempotency WHERE token_id = $1 AND key = $2`, tokenID, key).
		Scan(&r.TokenID, &r.Key, &r.Method, &r.Path, &r.BodyHash, &r.Status, &r.Header, &r.Response, &created)
	if err != nil {
		return store.Idempotency{}, fmt.Errorf("postgres: get idempotency key %q of token %s: %w", key, tokenID, classify(err))
	}
	r.CreatedAt = fromTS(created)
	return r, nil
}

func (t *txn) PruneIdempotency(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := t.q.Exec(ctx, `DELETE FROM idempotency WHERE created_at < $1`, ts(cutoff))
	if err != nil {
		return 0, fmt.Errorf("postgres: prune idempotency: %w", err)
	}
	return res.RowsAffected(), nil
}

// ---- deliveries ----

const deliveryCols = "id, partner, job_id, event, payload, status, attempts, next_at, last_error, created_at, updated_at"

func scanDelivery(sc interface{ Scan(...any) error }) (store.Delivery, error) {
	var d store.Delivery
	var job *string
	var next, created, updated time.Time
	if err := sc.Scan(&d.ID, &d.Partner, &job, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next, &d.LastError, &created, &updated); err != nil {
		return store.Delivery{}, err
	}
	if job != nil {
		d.JobID = *job
	}
	d.NextAt, d.CreatedAt, d.UpdatedAt = fromTS(next), fromTS(created), fromTS(updated)
	return d, nil
}

func (t *txn) InsertDelivery(ctx context.Context, d store.Delivery) (int64, error) {
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO deliveries (partner, job_id, event, payload, status, attempts, next_at, last_error, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		d.Partner, nullString(d.JobID), d.Event, d.Payload, d.Status, d.Attempts, ts(d.NextAt), d.LastError,
		ts(d.CreatedAt), ts(d.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("postgres: insert delivery for job %s: %w", d.JobID, classify(err))
	}
	return id, nil
}

func (t *txn) queryDeliveries(ctx context.Context, what, q string, args ...any) ([]store.Delivery, error) {
	rows, err := t.q.Query(ctx, q, args...)
	return collect(rows, err, what, scanDelivery)
}

func (t *txn) GetDelivery(ctx context.Context, id int64) (store.Delivery, error) {
	d, err := scanDelivery(t.q.QueryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = $1`, id))
	if err != nil {
		return store.Delivery{}, fmt.Errorf("postgres: get delivery %d: %w", id, classify(err))
	}
	return d, nil
}

func (t *txn) UpdateDelivery(ctx context.Context, d store.Delivery) error {
	res, err := t.q.Exec(ctx, `UPDATE deliveries SET status = $1, attempts = $2, next_at = $3, last_error = $4, updated_at = $5
		WHERE id = $6`, d.Status, d.Attempts, ts(d.NextAt), d.LastError, ts(d.UpdatedAt), d.ID)
	if err != nil {
		return fmt.Errorf("postgres: update delivery %d: %w", d.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: update delivery %d: %w", d.ID, store.ErrNotFound)
	}
	return nil
}

func (t *txn) ListDeliveries(ctx context.Context, jobID string) ([]store.Delivery, error) {
	return t.queryDeliveries(ctx, "list deliveries of job "+jobID, `SELECT `+deliveryCols+` FROM deliveries
		WHERE job_id = $1 ORDER BY id`, jobID)
}

// InsertCaseWithEvents inserts a new case, its first facts and decision and
// its first timeline events (seqs 1, 2, …) in one statement and one round
// trip. ErrConflict when the id is taken (and nothing is written).
func (t *txn) InsertCaseWithEvents(ctx context.Context, c store.Case, events []store.Event) error {
	if c.FactsNo > 1 || c.DecisionNo > 1 || (c.FactsNo == 1) != (c.Facts != nil) || (c.DecisionNo == 1) != (c.Decision != nil) {
		return fmt.Errorf("postgres: insert case %s: a new case has facts 1 and decision 1 with their documents, or none", c.ID)
	}
	args := append(caseRowArgs(c), int64(len(events)), jsonArg(c.Facts), jsonArg(c.Decision))
	var q strings.Builder
	q.WriteString(`WITH c AS (
		INSERT INTO cases (` + caseCols + `, last_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
		ON CONFLICT DO NOTHING RETURNING id
	), f AS (
		INSERT INTO facts (case_id, no, at, doc) SELECT c.id, 1, $7, $22 FROM c WHERE $22::json IS NOT NULL
	), d AS (
		INSERT INTO decisions (case_id, no, at, terms_id, doc) SELECT c.id, 1, $7, $4, $23 FROM c WHERE $23::json IS NOT NULL
	)`)
	if len(events) == 0 {
		q.WriteString(` SELECT count(*) FROM c`)
		var n int64
		if err := t.q.QueryRow(ctx, q.String(), args...).Scan(&n); err != nil {
			return fmt.Errorf("postgres: insert case %s: %w", c.ID, classify(err))
		}
		if n == 0 {
			return fmt.Errorf("postgres: insert case %s: %w", c.ID, store.ErrConflict)
		}
		return nil
	}
	q.WriteString(`
	INSERT INTO events (case_id, seq, at, actor_token, actor_role, actor_partner, kind, data)
	SELECT c.id, v.seq, v.at, v.actor_token, v.actor_role, v.actor_partner, v.kind, v.data FROM c CROSS JOIN (VALUES `)
	for i, e := range events {
		if e.CaseID != c.ID {
			return fmt.Errorf("postgres: insert case %s: event %d is of case %s", c.ID, i+1, e.CaseID)
		}
		n := len(args)
		if i == 0 {
			fmt.Fprintf(&q, "(%d::bigint, $%d::timestamptz, $%d::text, $%d::text, $%d::text, $%d::text, $%d::json)",
				i+1, n+1, n+2, n+3, n+4, n+5, n+6)
		} else {
			fmt.Fprintf(&q, ", (%d, $%d, $%d, $%d, $%d, $%d, $%d)", i+1, n+1, n+2, n+3, n+4, n+5, n+6)
		}
		args = append(args, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Actor.Partner, e.Kind, jsonArg(e.Data))
	}
	q.WriteString(`) AS v (seq, at, actor_token, actor_role, actor_partner, kind, data)`)
	res, err := t.q.Exec(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("postgres: insert case %s: %w", c.ID, classify(err))
	}
	if res.RowsAffected() == 0 {
		return fmt.Errorf("postgres: insert case %s: %w", c.ID, store.ErrConflict)
	}
	return nil
}

// collect reads every row of a query with scan; what names the query in
// errors.
func collect[T any](rows pgx.Rows, err error, what string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}
