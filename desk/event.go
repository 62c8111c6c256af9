package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"roadcover/assistance"
	"roadcover/store"
)

// Event kinds of a case's timeline. An event records what happened and
// refers to what it decided (a facts or decision version by number); it
// does not copy documents.
const (
	EventCreated             = "created"
	EventFactsPatched        = "facts_patched"
	EventDecided             = "decided"
	EventChoiceMade          = "choice_made"
	EventClosed              = "closed"
	EventReopened            = "reopened"
	EventJobCreated          = "job_created"
	EventJobUpdated          = "job_updated"
	EventTrackingLinkCreated = "tracking_link_created"
	EventNoteAdded           = "note_added"
	EventOwnerChanged        = "owner_changed"
)

// CreatedData is the data of a "created" event.
type CreatedData struct {
	FactsNo          int64           `json:"facts_no"`
	Intake           json.RawMessage `json:"intake,omitempty"`
	FilledFromIntake []string        `json:"filled_from_intake,omitempty"`
}

// FactsPatchedData is the data of a "facts_patched" event: the patch as
// given and the facts version it made.
type FactsPatchedData struct {
	FactsNo int64           `json:"facts_no"`
	Patch   json.RawMessage `json:"patch"`
}

// DecidedData is the data of a "decided" event: which decision, made on
// which facts, and its outcome at a glance.
type DecidedData struct {
	DecisionNo         int64    `json:"decision_no"`
	FactsNo            int64    `json:"facts_no"`
	TermsID            string   `json:"terms_id"`
	Covered            bool     `json:"covered"`
	Refusals           []string `json:"refusals,omitempty"`
	Entitlements       []string `json:"entitlements"`
	MissingInformation []string `json:"missing_information"`
	// Gained and Lost name the entitlements a new decision added or took
	// away against the one before.
	Gained []string `json:"gained,omitempty"`
	Lost   []string `json:"lost,omitempty"`
}

func decidedData(c *Case) DecidedData {
	d := &c.Decision
	out := DecidedData{DecisionNo: c.DecisionNo, FactsNo: c.FactsNo, TermsID: d.Terms.ID, Covered: d.Covered,
		Entitlements: make([]string, len(d.Entitlements)), MissingInformation: d.MissingInformation}
	for i, e := range d.Entitlements {
		out.Entitlements[i] = e.Code()
	}
	for _, r := range d.Refusals {
		out.Refusals = append(out.Refusals, r.Code)
	}
	if out.MissingInformation == nil {
		out.MissingInformation = []string{}
	}
	return out
}

// ChoiceData is the data of a "choice_made" event.
type ChoiceData struct {
	Group  string `json:"group"`
	Code   string `json:"code"`
	Clause string `json:"clause"`
	Note   string `json:"note,omitempty"`
}

// ReasonData is the data of a "closed" or "reopened" event.
type ReasonData struct {
	Reason string `json:"reason"`
}

// JobData is the data of a "job_created" or "job_updated" event.
type JobData struct {
	JobID   string     `json:"job_id"`
	Kind    string     `json:"kind,omitempty"`
	Partner string     `json:"partner,omitempty"`
	Status  string     `json:"status,omitempty"`
	From    string     `json:"from,omitempty"`
	To      string     `json:"to,omitempty"`
	Failure string     `json:"failure,omitempty"`
	ETA     *time.Time `json:"eta,omitempty"`
	Note    string     `json:"note,omitempty"`
}

// LinkData is the data of a "tracking_link_created" event.
type LinkData struct {
	ExpiresAt time.Time `json:"expires_at"`
}

// NoteData is the data of a "note_added" event.
type NoteData struct {
	Text string `json:"text"`
}

// OwnerData is the data of an "owner_changed" event.
type OwnerData struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// event builds one timeline entry; its data is encoded here, once.
func event(caseID string, at time.Time, a Actor, kind string, data any) (store.Event, error) {
	b, err := json.Marshal(data)
	if err != nil {
		return store.Event{}, fmt.Errorf("desk: encode %s event: %w", kind, err)
	}
	return store.Event{CaseID: caseID, At: at, Actor: a, Kind: kind, Data: b}, nil
}

// appendEvents appends timeline entries in order.
func appendEvents(ctx context.Context, tx store.Tx, evs ...store.Event) error {
	for _, e := range evs {
		if _, err := tx.AppendEvent(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// decisionDiff says how a new decision differs from the one before, for
// the console to show the case decided again.
type decisionDiff struct {
	Gained, Lost []string
}

func diffDecisions(before, after *assistance.Decision) decisionDiff {
	has := func(d *assistance.Decision, code string) bool {
		for _, e := range d.Entitlements {
			if e.Code() == code {
				return true
			}
		}
		return false
	}
	var df decisionDiff
	for _, e := range after.Entitlements {
		if !has(before, e.Code()) {
			df.Gained = append(df.Gained, e.Code())
		}
	}
	for _, e := range before.Entitlements {
		if !has(after, e.Code()) {
			df.Lost = append(df.Lost, e.Code())
		}
	}
	return df
}
