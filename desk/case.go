package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/store"
)

// Case is one assistance case at the desk.
type Case struct {
	ID      string
	Status  string // StatusOpen or StatusClosed
	Version int64  // increases with every change; the ETag
	// Facts are the case as reported (the assistance case body), version
	// FactsNo; Decision is the decision made on them, version DecisionNo,
	// the truth until the facts change.
	Facts      assistance.Case
	FactsNo    int64
	Decision   assistance.Decision
	DecisionNo int64
	Intake     *Intake
	Owner      string
	Choices    []store.Choice
	Jobs       []store.Job
	CreatedAt  time.Time
	UpdatedAt  time.Time

	// factsDoc is the facts as stored, copied into answers as they are;
	// decisionDoc the decision's record (its codes without texts).
	factsDoc, decisionDoc []byte
}

// Offers are the entitlements of group the customer may choose among: the
// options of the stored decision, never of a decision made again.
func (c *Case) Offers(group string) []assistance.EntitlementDetail {
	var out []assistance.EntitlementDetail
	for i, e := range c.Decision.Entitlements {
		if e.ChooseOne() == group {
			out = append(out, c.Decision.Detail(i))
		}
	}
	return out
}

// Choice returns the customer's choice in group, if any.
func (c *Case) Choice(group string) (store.Choice, bool) {
	for _, ch := range c.Choices {
		if ch.Group == group {
			return ch, true
		}
	}
	return store.Choice{}, false
}

// Load reads a case with its choices and jobs. Its documents are decoded
// once here, on the way in from the store.
func (d *Desk) Load(ctx context.Context, tx store.Tx, id string) (Case, error) {
	rec, err := tx.GetCase(ctx, id)
	if err != nil {
		return Case{}, err
	}
	c, err := fromRecord(rec)
	if err != nil {
		return Case{}, err
	}
	if c.Choices, err = tx.Choices(ctx, id); err != nil {
		return Case{}, err
	}
	if c.Jobs, err = tx.ListJobs(ctx, store.JobFilter{CaseID: id}); err != nil {
		return Case{}, err
	}
	return c, nil
}

// fromRecord decodes a stored case.
func fromRecord(rec store.Case) (Case, error) {
	c := Case{ID: rec.ID, Status: rec.Status, Version: rec.Version, FactsNo: rec.FactsNo, DecisionNo: rec.DecisionNo,
		Owner: rec.Summary.Owner, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt,
		factsDoc: rec.Facts, decisionDoc: rec.Decision}
	if rec.Facts != nil {
		errs := &roadcover.InputError{}
		c.Facts, _ = assistance.DecodeFacts(rec.Facts, "", errs)
		if err := errs.Err(); err != nil {
			return Case{}, fmt.Errorf("desk: stored facts %d of case %s: %w", rec.FactsNo, rec.ID, err)
		}
	}
	if rec.Decision != nil {
		dec, err := readDecision(rec.Decision)
		if err != nil {
			return Case{}, fmt.Errorf("desk: stored decision %d of case %s: %w", rec.DecisionNo, rec.ID, err)
		}
		c.Decision = dec
	}
	if rec.Intake != nil {
		errs := &roadcover.InputError{}
		in := readIntake(rec.Intake, errs)
		if err := errs.Err(); err != nil {
			return Case{}, fmt.Errorf("desk: stored intake of case %s: %w", rec.ID, err)
		}
		c.Intake = &in
	}
	return c, nil
}

// record is the case as the store keeps it. Documents whose numbers are
// new are encoded here, once.
func (c *Case) record() store.Case {
	return store.Case{ID: c.ID, Status: c.Status, Facts: c.factsDoc, FactsNo: c.FactsNo, Intake: c.intakeDoc(),
		Decision: c.decisionDoc, DecisionNo: c.DecisionNo, TermsID: c.Decision.Terms.ID, Summary: c.summary(),
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func (c *Case) intakeDoc() []byte {
	if c.Intake == nil {
		return nil
	}
	return c.Intake.raw
}

// summary is what a list shows of the case.
func (c *Case) summary() store.CaseSummary {
	f := &c.Facts
	s := store.CaseSummary{Covered: c.Decision.Covered, Market: f.Market, Language: string(c.Decision.Language),
		EventKind: f.Event.Kind, Country: c.Decision.Place.Country, VIN: f.Vehicle.VIN,
		Registration: f.Vehicle.Registration, Place: f.Location.Description,
		MissingInformation: c.Decision.MissingInformation, Owner: c.Owner}
	if s.Country == "" {
		s.Country = f.Location.Country
	}
	if s.MissingInformation == nil {
		s.MissingInformation = []string{}
	}
	if t, err := time.Parse(time.RFC3339, f.OccurredAt); err == nil {
		s.OccurredAt = t.UTC().Truncate(time.Microsecond)
	}
	return s
}

// setFacts makes facts (checked) the case's next facts version.
func (c *Case) setFacts(facts assistance.Case) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&facts); err != nil {
		return fmt.Errorf("desk: encode facts: %w", err)
	}
	c.Facts, c.factsDoc = facts, bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	c.FactsNo++
	return nil
}

// setDecision makes dec the case's next decision.
func (c *Case) setDecision(dec assistance.Decision) {
	c.Decision = dec
	c.decisionDoc = dec.AppendRecord(make([]byte, 0, 4096))
	c.DecisionNo++
}

func readDecision(doc []byte) (assistance.Decision, error) { return assistance.ReadDecision(doc) }
