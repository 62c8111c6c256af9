package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"roadcover/store"
)

// DefaultListLimit is the page size of ListCases when the filter gives none.
const DefaultListLimit = 100

// MaxListLimit caps the page size of ListCases.
const MaxListLimit = 1000

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txn struct {
	q    querier
	jobs *river.Client[*sql.Tx] // nil in a read-only transaction
}

var _ store.Tx = (*txn)(nil)

func ts(t time.Time) int64 { return t.UnixMicro() }

func fromTS(v int64) time.Time { return time.UnixMicro(v).UTC() }

func jsonArg(raw json.RawMessage) any {
	if raw == nil {
		return nil
	}
	return string(raw)
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
	missing, _ := json.Marshal(orEmpty(m.MissingInformation))
	return []any{c.ID, c.Status, jsonArg(c.Intake), c.TermsID, c.Version, ts(c.CreatedAt), ts(c.UpdatedAt), c.FactsNo,
		c.DecisionNo, m.Covered, m.Market, m.Language, m.EventKind, m.Country, m.VIN, m.Registration, m.Place,
		string(missing), ts(m.OccurredAt), m.Owner}
}

func orEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// scanCaseRow reads the columns of caseCols, then extra destinations.
func scanCaseRow(sc interface{ Scan(...any) error }, extra ...any) (store.Case, error) {
	var c store.Case
	var intake []byte
	var missing string
	var created, updated, occurred int64
	m := &c.Summary
	dest := append([]any{&c.ID, &c.Status, &intake, &c.TermsID, &c.Version, &created, &updated, &c.FactsNo,
		&c.DecisionNo, &m.Covered, &m.Market, &m.Language, &m.EventKind, &m.Country, &m.VIN, &m.Registration, &m.Place,
		&missing, &occurred, &m.Owner}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return store.Case{}, err
	}
	if err := json.Unmarshal([]byte(missing), &m.MissingInformation); err != nil {
		return store.Case{}, fmt.Errorf("missing_information of case %s: %w", c.ID, err)
	}
	c.Intake = rawJSON(intake)
	c.CreatedAt, c.UpdatedAt = fromTS(created), fromTS(updated)
	if occurred != 0 {
		m.OccurredAt = fromTS(occurred)
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
	if err := t.insertCaseRow(ctx, c, 0); err != nil {
		return err
	}
	return t.insertDocuments(ctx, c, 0, 0)
}

func (t *txn) insertCaseRow(ctx context.Context, c store.Case, lastSeq int) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO cases (`+caseCols+`, last_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(caseRowArgs(c), lastSeq)...)
	if err != nil {
		return fmt.Errorf("sqlite: insert case %s: %w", c.ID, classify(err))
	}
	return nil
}

// insertDocuments stores c's facts and decision when their numbers are
// above the stored ones (factsNo, decisionNo).
func (t *txn) insertDocuments(ctx context.Context, c store.Case, factsNo, decisionNo int64) error {
	if c.FactsNo > factsNo {
		if c.Facts == nil || c.FactsNo != factsNo+1 {
			return fmt.Errorf("sqlite: case %s: facts %d follow %d and must be given", c.ID, c.FactsNo, factsNo)
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO facts (case_id, no, at, doc) VALUES (?, ?, ?, ?)`,
			c.ID, c.FactsNo, ts(c.UpdatedAt), string(c.Facts)); err != nil {
			return fmt.Errorf("sqlite: insert facts %d of case %s: %w", c.FactsNo, c.ID, classify(err))
		}
	}
	if c.DecisionNo > decisionNo {
		if c.Decision == nil || c.DecisionNo != decisionNo+1 {
			return fmt.Errorf("sqlite: case %s: decision %d follows %d and must be given", c.ID, c.DecisionNo, decisionNo)
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO decisions (case_id, no, at, terms_id, doc) VALUES (?, ?, ?, ?, ?)`,
			c.ID, c.DecisionNo, ts(c.UpdatedAt), c.TermsID, string(c.Decision)); err != nil {
			return fmt.Errorf("sqlite: insert decision %d of case %s: %w", c.DecisionNo, c.ID, classify(err))
		}
	}
	return nil
}

func (t *txn) GetCase(ctx context.Context, id string) (store.Case, error) {
	c, err := scanCase(t.q.QueryRowContext(ctx, caseSelect+` WHERE c.id = ?`, id))
	if err != nil {
		return store.Case{}, fmt.Errorf("sqlite: get case %s: %w", id, classify(err))
	}
	return c, nil
}

func (t *txn) UpdateCase(ctx context.Context, c store.Case) error {
	var factsNo, decisionNo int64
	err := t.q.QueryRowContext(ctx, `UPDATE cases SET status = ?, intake = ?, terms_id = ?, version = ?, created_at = ?, updated_at = ?,
		facts_no = ?, decision_no = ?, covered = ?, market = ?, language = ?, event_kind = ?, country = ?, vin = ?,
		registration = ?, place = ?, missing = ?, occurred_at = ?, owner = ?
		WHERE id = ? AND version = ? AND facts_no <= ? AND decision_no <= ?
		RETURNING (SELECT max(no) FROM facts WHERE case_id = cases.id), (SELECT max(no) FROM decisions WHERE case_id = cases.id)`,
		append(caseRowArgs(c)[1:], c.ID, c.Version-1, c.FactsNo, c.DecisionNo)...).Scan(&nullInt{&factsNo}, &nullInt{&decisionNo})
	if errors.Is(err, sql.ErrNoRows) {
		return t.caseNotUpdated(ctx, c)
	}
	if err != nil {
		return fmt.Errorf("sqlite: update case %s: %w", c.ID, classify(err))
	}
	return t.insertDocuments(ctx, c, factsNo, decisionNo)
}

// caseNotUpdated says why no case row was updated: not found, stale, or a
// document number going back.
func (t *txn) caseNotUpdated(ctx context.Context, c store.Case) error {
	var version, factsNo, decisionNo int64
	err := t.q.QueryRowContext(ctx, `SELECT version, facts_no, decision_no FROM cases WHERE id = ?`, c.ID).
		Scan(&version, &factsNo, &decisionNo)
	if err != nil {
		return fmt.Errorf("sqlite: update case %s: %w", c.ID, classify(err))
	}
	if version != c.Version-1 {
		return fmt.Errorf("sqlite: update case %s: stored version %d, given %d: %w", c.ID, version, c.Version, store.ErrStale)
	}
	return fmt.Errorf("sqlite: update case %s: documents go back (facts %d→%d, decision %d→%d)",
		c.ID, factsNo, c.FactsNo, decisionNo, c.DecisionNo)
}

// nullInt scans an integer that may be NULL (as 0).
type nullInt struct{ v *int64 }

func (n *nullInt) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		*n.v = 0
	case int64:
		*n.v = x
	default:
		return fmt.Errorf("not an integer: %T", src)
	}
	return nil
}

func (t *txn) Document(ctx context.Context, caseID, kind string, no int64) (json.RawMessage, error) {
	var q string
	switch kind {
	case store.DocFacts:
		q = `SELECT doc FROM facts WHERE case_id = ? AND no = ?`
	case store.DocDecision:
		q = `SELECT doc FROM decisions WHERE case_id = ? AND no = ?`
	default:
		return nil, fmt.Errorf("sqlite: no document kind %q", kind)
	}
	var doc []byte
	if err := t.q.QueryRowContext(ctx, q, caseID, no).Scan(&doc); err != nil {
		return nil, fmt.Errorf("sqlite: %s %d of case %s: %w", kind, no, caseID, classify(err))
	}
	return doc, nil
}

// checkVersioned turns "no row updated" into ErrNotFound or ErrStale.
func (t *txn) checkVersioned(ctx context.Context, res sql.Result, table, what, id string, version int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: update %s %s: %w", what, id, err)
	}
	if n == 1 {
		return nil
	}
	var stored int64
	err = t.q.QueryRowContext(ctx, `SELECT version FROM `+table+` WHERE id = ?`, id).Scan(&stored)
	if err != nil {
		return fmt.Errorf("sqlite: update %s %s: %w", what, id, classify(err))
	}
	return fmt.Errorf("sqlite: update %s %s: stored version %d, given %d: %w", what, id, stored, version, store.ErrStale)
}

func (t *txn) ListCases(ctx context.Context, f store.CaseFilter) ([]store.Case, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultListLimit
	}
	limit = min(limit, MaxListLimit)
	var where []string
	var args []any
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	if f.VIN != "" {
		where = append(where, "vin = ?")
		args = append(args, f.VIN)
	}
	if f.After != "" {
		var created int64
		err := t.q.QueryRowContext(ctx, `SELECT created_at FROM cases WHERE id = ?`, f.After).Scan(&created)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list cases after %s: %w", f.After, classify(err))
		}
		where = append(where, "(created_at < ? OR (created_at = ? AND id < ?))")
		args = append(args, created, created, f.After)
	}
	q := `SELECT ` + caseCols + ` FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := t.q.QueryContext(ctx, q, args...)
	return collect(rows, err, "list cases", func(sc interface{ Scan(...any) error }) (store.Case, error) {
		return scanCaseRow(sc)
	})
}

// ---- events ----

func (t *txn) AppendEvent(ctx context.Context, e store.Event) (int64, error) {
	var seq int64
	err := t.q.QueryRowContext(ctx, `UPDATE cases SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq`, e.CaseID).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("sqlite: append event to case %s: %w", e.CaseID, classify(err))
	}
	_, err = t.q.ExecContext(ctx, `INSERT INTO events (case_id, seq, at, actor_token, actor_role, actor_partner, kind, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CaseID, seq, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Actor.Partner, e.Kind, jsonArg(e.Data))
	if err != nil {
		return 0, fmt.Errorf("sqlite: append event %d to case %s: %w", seq, e.CaseID, classify(err))
	}
	return seq, nil
}

func (t *txn) Events(ctx context.Context, caseID string) ([]store.Event, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("sqlite: events of case %s: %w", caseID, err)
	}
	rows, err := t.q.QueryContext(ctx, `SELECT case_id, seq, at, actor_token, actor_role, actor_partner, kind, data
		FROM events WHERE case_id = ? ORDER BY seq`, caseID)
	return collect(rows, err, "events of case "+caseID, scanEvent)
}

func scanEvent(sc interface{ Scan(...any) error }) (store.Event, error) {
	var e store.Event
	var at int64
	var data []byte
	if err := sc.Scan(&e.CaseID, &e.Seq, &at, &e.Actor.TokenID, &e.Actor.Role, &e.Actor.Partner, &e.Kind, &data); err != nil {
		return e, err
	}
	e.At, e.Data = fromTS(at), rawJSON(data)
	return e, nil
}

func (t *txn) caseExists(ctx context.Context, id string) error {
	var one int
	err := t.q.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = ?`, id).Scan(&one)
	return classify(err)
}

// ---- choices ----

func (t *txn) InsertChoice(ctx context.Context, ch store.Choice) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO choices (case_id, grp, code, at, actor_token, actor_role, actor_partner)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ch.CaseID, ch.Group, ch.Code, ts(ch.At), ch.Actor.TokenID, ch.Actor.Role, ch.Actor.Partner)
	if err != nil {
		return fmt.Errorf("sqlite: insert choice %s of case %s: %w", ch.Group, ch.CaseID, classify(err))
	}
	return nil
}

func scanChoice(sc interface{ Scan(...any) error }) (store.Choice, error) {
	var ch store.Choice
	var at int64
	if err := sc.Scan(&ch.CaseID, &ch.Group, &ch.Code, &at, &ch.Actor.TokenID, &ch.Actor.Role, &ch.Actor.Partner); err != nil {
		return ch, err
	}
	ch.At = fromTS(at)
	return ch, nil
}

func (t *txn) Choices(ctx context.Context, caseID string) ([]store.Choice, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT case_id, grp, code, at, actor_token, actor_role, actor_partner
		FROM choices WHERE case_id = ? ORDER BY at, grp`, caseID)
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
	var eta sql.NullInt64
	var dest []byte
	var created, updated int64
	if err := sc.Scan(&j.ID, &j.CaseID, &j.Kind, &j.Partner, &j.Status, &j.Failure, &eta, &dest, &j.Version, &created, &updated); err != nil {
		return store.Job{}, err
	}
	if eta.Valid {
		e := fromTS(eta.Int64)
		j.ETA = &e
	}
	j.Destination = rawJSON(dest)
	j.CreatedAt, j.UpdatedAt = fromTS(created), fromTS(updated)
	return j, nil
}

func (t *txn) InsertJob(ctx context.Context, j store.Job) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO jobs (`+jobCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.CaseID, j.Kind, j.Partner, j.Status, j.Failure, etaArg(j.ETA), jsonArg(j.Destination), j.Version,
		ts(j.CreatedAt), ts(j.UpdatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert job %s: %w", j.ID, classify(err))
	}
	return nil
}

func (t *txn) GetJob(ctx context.Context, id string) (store.Job, error) {
	j, err := scanJob(t.q.QueryRowContext(ctx, `SELECT `+jobCols+` FROM jobs WHERE id = ?`, id))
	if err != nil {
		return store.Job{}, fmt.Errorf("sqlite: get job %s: %w", id, classify(err))
	}
	return j, nil
}

func (t *txn) UpdateJob(ctx context.Context, j store.Job) error {
	res, err := t.q.ExecContext(ctx, `UPDATE jobs SET kind = ?, partner = ?, status = ?, failure = ?, eta = ?,
		destination = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		j.Kind, j.Partner, j.Status, j.Failure, etaArg(j.ETA), jsonArg(j.Destination), j.Version,
		ts(j.UpdatedAt), j.ID, j.Version-1)
	if err != nil {
		return fmt.Errorf("sqlite: update job %s: %w", j.ID, classify(err))
	}
	return t.checkVersioned(ctx, res, "jobs", "job", j.ID, j.Version)
}

func (t *txn) ListJobs(ctx context.Context, f store.JobFilter) ([]store.Job, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = -1 // all
	}
	q := `SELECT ` + jobCols + ` FROM jobs WHERE (?1 = '' OR partner = ?1) AND (?2 = '' OR case_id = ?2) AND (?3 = '' OR status = ?3)
	  AND (?4 = '' OR (created_at, id) > (SELECT created_at, id FROM jobs WHERE id = ?4)) ORDER BY created_at, id LIMIT ?5`
	rows, err := t.q.QueryContext(ctx, q, f.Partner, f.CaseID, f.Status, f.After, limit)
	return collect(rows, err, "list jobs", scanJob)
}

func (t *txn) JobsOfCases(ctx context.Context, caseIDs []string) ([]store.Job, error) {
	if len(caseIDs) == 0 {
		return nil, nil
	}
	ids, err := json.Marshal(caseIDs)
	if err != nil {
		return nil, fmt.Errorf("sqlite: jobs of cases: %w", err)
	}
	q := `SELECT ` + jobCols + ` FROM jobs WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`
	rows, err := t.q.QueryContext(ctx, q, string(ids))
	return collect(rows, err, "jobs of cases", scanJob)
}

// ---- partners ----

const partnerCols = "id, name, webhook_url, secret, created_at, phone, trucks, plates"

func (t *txn) InsertPartner(ctx context.Context, p store.Partner) error {
	secret := p.Secret
	if secret == nil {
		secret = []byte{}
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO partners (`+partnerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Name, p.WebhookURL, secret, ts(p.CreatedAt), p.Phone, stringList(p.Trucks), stringList(p.Plates))
	if err != nil {
		return fmt.Errorf("sqlite: insert partner %s: %w", p.ID, classify(err))
	}
	return nil
}

func scanPartner(sc interface{ Scan(...any) error }) (store.Partner, error) {
	var p store.Partner
	var created int64
	var trucks, plates string
	if err := sc.Scan(&p.ID, &p.Name, &p.WebhookURL, &p.Secret, &created, &p.Phone, &trucks, &plates); err != nil {
		return store.Partner{}, err
	}
	p.CreatedAt = fromTS(created)
	if err := json.Unmarshal([]byte(trucks), &p.Trucks); err != nil {
		return store.Partner{}, err
	}
	if err := json.Unmarshal([]byte(plates), &p.Plates); err != nil {
		return store.Partner{}, err
	}
	if len(p.Trucks) == 0 {
		p.Trucks = nil
	}
	if len(p.Plates) == 0 {
		p.Plates = nil
	}
	return p, nil
}

func (t *txn) GetPartner(ctx context.Context, id string) (store.Partner, error) {
	p, err := scanPartner(t.q.QueryRowContext(ctx, `SELECT `+partnerCols+` FROM partners WHERE id = ?`, id))
	if err != nil {
		return store.Partner{}, fmt.Errorf("sqlite: get partner %s: %w", id, classify(err))
	}
	return p, nil
}

func (t *txn) ListPartners(ctx context.Context) ([]store.Partner, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+partnerCols+` FROM partners ORDER BY id`)
	return collect(rows, err, "list partners", scanPartner)
}

// ---- tokens ----

const tokenCols = "id, hash, role, partner, label, created_at, revoked, payment_limit"

func scanToken(sc interface{ Scan(...any) error }) (store.Token, error) {
	var tk store.Token
	var partner sql.NullString
	var created int64
	var revoked int64
	if err := sc.Scan(&tk.ID, &tk.Hash, &tk.Role, &partner, &tk.Label, &created, &revoked, &tk.PaymentLimit); err != nil {
		return store.Token{}, err
	}
	tk.Partner, tk.CreatedAt, tk.Revoked = partner.String, fromTS(created), revoked != 0
	return tk, nil
}

func (t *txn) InsertToken(ctx context.Context, tk store.Token) error {
	if len(tk.Hash) == 0 {
		return fmt.Errorf("sqlite: insert token %s: empty hash", tk.ID)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		tk.ID, tk.Hash, tk.Role, nullString(tk.Partner), tk.Label, ts(tk.CreatedAt), tk.Revoked, tk.PaymentLimit)
	if err != nil {
		return fmt.Errorf("sqlite: insert token %s: %w", tk.ID, classify(err))
	}
	return nil
}

// TokenByHash finds a token that is not revoked: a revoked token is
// ErrNotFound, as an unknown one.
func (t *txn) TokenByHash(ctx context.Context, hash []byte) (store.Token, error) {
	tk, err := scanToken(t.q.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM tokens WHERE hash = ? AND revoked = 0`, hash))
	if err != nil {
		return store.Token{}, fmt.Errorf("sqlite: token by hash: %w", classify(err))
	}
	return tk, nil
}

func (t *txn) ListTokens(ctx context.Context) ([]store.Token, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT `+tokenCols+` FROM tokens ORDER BY created_at, id`)
	return collect(rows, err, "list tokens", scanToken)
}

func (t *txn) RevokeToken(ctx context.Context, id string) error {
	res, err := t.q.ExecContext(ctx, `UPDATE tokens SET revoked = 1 WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: revoke token %s: %w", id, classify(err))
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err == nil {
			err = store.ErrNotFound
		}
		return fmt.Errorf("sqlite: revoke token %s: %w", id, err)
	}
	return nil
}

// ---- tracking links ----

func (t *txn) InsertTrackingLink(ctx context.Context, l store.TrackingLink) error {
	if len(l.Hash) == 0 {
		return fmt.Errorf("sqlite: insert tracking link for case %s: empty hash", l.CaseID)
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO tracking_links (hash, case_id, expires_at, created_at) VALUES (?, ?, ?, ?)`,
		l.Hash, l.CaseID, ts(l.ExpiresAt), ts(l.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert tracking link for case %s: %w", l.CaseID, classify(err))
	}
	return nil
}

// TrackingLinkByHash returns the link whether or not it has expired; the
// caller compares ExpiresAt with its clock.
func (t *txn) TrackingLinkByHash(ctx context.Context, hash []byte) (store.TrackingLink, error) {
	var l store.TrackingLink
	var exp, created int64
	err := t.q.QueryRowContext(ctx, `SELECT hash, case_id, expires_at, created_at FROM tracking_links WHERE hash = ?`, hash).
		Scan(&l.Hash, &l.CaseID, &exp, &created)
	if err != nil {
		return store.TrackingLink{}, fmt.Errorf("sqlite: tracking link by hash: %w", classify(err))
	}
	l.ExpiresAt, l.CreatedAt = fromTS(exp), fromTS(created)
	return l, nil
}

// ---- idempotency ----

func (t *txn) InsertIdempotency(ctx context.Context, r store.Idempotency) error {
	_, err := t.q.ExecContext(ctx, `INSERT INTO idempotency (token_id, key, method, path, body_hash, status, header, response, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.TokenID, r.Key, r.Method, r.Path, r.BodyHash, r.Status, r.Header, r.Response, ts(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("sqlite: insert idempotency key %q of token %s: %w", r.Key, r.TokenID, classify(err))
	}
	return nil
}

func (t *txn) GetIdempotency(ctx context.Context, tokenID, key string) (store.Idempotency, error) {
	var r store.Idempotency
	var created int64
	err := t.q.QueryRowContext(ctx, `SELECT token_id, key, method, path, body_hash, status, header, response, created_at
		FROM idempotency WHERE token_id = ? AND key = ?`, tokenID, key).
		Scan(&r.TokenID, &r.Key, &r.Method, &r.Path, &r.BodyHash, &r.Status, &r.Header, &r.Response, &created)
	if err != nil {
		return store.Idempotency{}, fmt.Errorf("sqlite: get idempotency key %q of token %s: %w", key, tokenID, classify(err))
	}
	r.CreatedAt = fromTS(created)
	return r, nil
}

func (t *txn) PruneIdempotency(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := t.q.ExecContext(ctx, `DELETE FROM idempotency WHERE created_at < ?`, ts(cutoff))
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune idempotency: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune idempotency: %w", err)
	}
	return n, nil
}

// ---- deliveries ----

const deliveryCols = "id, partner, job_id, event, payload, status, attempts, next_at, last_error, created_at, updated_at"

func scanDelivery(sc interface{ Scan(...any) error }) (store.Delivery, error) {
	var d store.Delivery
	var job sql.NullString
	var next, created, updated int64
	if err := sc.Scan(&d.ID, &d.Partner, &job, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next, &d.LastError, &created, &updated); err != nil {
		return store.Delivery{}, err
	}
	d.JobID = job.String
	d.NextAt, d.CreatedAt, d.UpdatedAt = fromTS(next), fromTS(created), fromTS(updated)
	return d, nil
}

func (t *txn) InsertDelivery(ctx context.Context, d store.Delivery) (int64, error) {
	var id int64
	err := t.q.QueryRowContext(ctx, `INSERT INTO deliveries (partner, job_id, event, payload, status, attempts, next_at, last_error, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.Partner, nullString(d.JobID), d.Event, d.Payload, d.Status, d.Attempts, ts(d.NextAt), d.LastError,
		ts(d.CreatedAt), ts(d.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("sqlite: insert delivery for job %s: %w", d.JobID, classify(err))
	}
	return id, nil
}

func (t *txn) queryDeliveries(ctx context.Context, what, q string, args ...any) ([]store.Delivery, error) {
	rows, err := t.q.QueryContext(ctx, q, args...)
	return collect(rows, err, what, scanDelivery)
}

func (t *txn) GetDelivery(ctx context.Context, id int64) (store.Delivery, error) {
	d, err := scanDelivery(t.q.QueryRowContext(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = ?`, id))
	if err != nil {
		return store.Delivery{}, fmt.Errorf("sqlite: get delivery %d: %w", id, classify(err))
	}
	return d, nil
}

func (t *txn) UpdateDelivery(ctx context.Context, d store.Delivery) error {
	res, err := t.q.ExecContext(ctx, `UPDATE deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?, updated_at = ?
		WHERE id = ?`, d.Status, d.Attempts, ts(d.NextAt), d.LastError, ts(d.UpdatedAt), d.ID)
	if err != nil {
		return fmt.Errorf("sqlite: update delivery %d: %w", d.ID, classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: update delivery %d: %w", d.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: update delivery %d: %w", d.ID, store.ErrNotFound)
	}
	return nil
}

func (t *txn) ListDeliveries(ctx context.Context, jobID string) ([]store.Delivery, error) {
	return t.queryDeliveries(ctx, "list deliveries of job "+jobID, `SELECT `+deliveryCols+` FROM deliveries
		WHERE job_id = ? ORDER BY id`, jobID)
}

// InsertCaseWithEvents inserts a new case and its first timeline events
// (seqs 1, 2, …) in two statements: what InsertCase and then AppendEvent
// for each event do, without updating the new row once per event.
// ErrConflict when the id is taken (and nothing is written).
func (t *txn) InsertCaseWithEvents(ctx context.Context, c store.Case, events []store.Event) error {
	if err := t.insertCaseRow(ctx, c, len(events)); err != nil {
		return err
	}
	if err := t.insertDocuments(ctx, c, 0, 0); err != nil {
		return err
	}
	if len(events) == 0 {
		return nil
	}
	q := `INSERT INTO events (case_id, seq, at, actor_token, actor_role, actor_partner, kind, data) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", len(events)), ", ")
	args := make([]any, 0, 8*len(events))
	for i, e := range events {
		if e.CaseID != c.ID {
			return fmt.Errorf("sqlite: insert case %s: event %d is of case %s", c.ID, i+1, e.CaseID)
		}
		args = append(args, c.ID, i+1, ts(e.At), e.Actor.TokenID, e.Actor.Role, e.Actor.Partner, e.Kind, jsonArg(e.Data))
	}
	if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("sqlite: insert events of case %s: %w", c.ID, classify(err))
	}
	return nil
}

// collect reads every row of a query with scan; what names the query in
// errors.
func collect[T any](rows *sql.Rows, err error, what string, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}
