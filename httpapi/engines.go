package httpapi

// The one place where the service calls the decision and settlement
// engines; the command line calls the same functions.

import (
	"encoding/json"
	"fmt"

	"roadcover/assistance"
	"roadcover/insurance"
)

func decideJSON(facts []byte, lang string, env assistance.Env) ([]byte, error) {
	return assistance.DecideJSON(facts, lang, env)
}

// decideViews is decideJSON that also returns what readDecisionViews
// reads back from a document, taken from the engine's decision itself: the
// case paths need both, and reading the kilobytes just written back took a
// sixth of their time.
func decideViews(facts []byte, lang string, env assistance.Env) ([]byte, decisionView, []entitlementView, error) {
	out, dec, err := assistance.DecideJSONWith(facts, lang, env)
	if err != nil {
		return nil, decisionView{}, nil, err
	}
	var d decisionView
	d.Terms.ID = dec.Terms.ID
	d.Language = string(dec.Language)
	d.Covered = dec.Covered
	d.MissingInformation = dec.MissingInformation
	if d.MissingInformation == nil {
		d.MissingInformation = []string{}
	}
	ents := make([]entitlementView, len(dec.Entitlements))
	for i, e := range dec.Entitlements {
		ents[i] = entitlementView{Code: e.Code(), Clause: e.Clause(), ChooseOne: e.ChooseOne()}
	}
	return out, d, ents, nil
}

func settleJSON(claim []byte, lang string) ([]byte, error) {
	return insurance.SettleJSON(claim, lang)
}

// decisionView is what the service reads back from a decision document.
type decisionView struct {
	Terms struct {
		ID string `json:"id"`
	} `json:"terms"`
	Language           string            `json:"language"`
	Covered            bool              `json:"covered"`
	Entitlements       []json.RawMessage `json:"entitlements"`
	MissingInformation []string          `json:"missing_information"`
}

type entitlementView struct {
	Code      string `json:"code"`
	Clause    string `json:"clause"`
	ChooseOne string `json:"choose_one"`
}

// readDecision reads the decision with each entitlement both as it is
// (decisionView.Entitlements) and as an entitlementView.
func readDecision(doc []byte) (decisionView, []entitlementView, error) {
	var d decisionView
	if err := json.Unmarshal(doc, &d); err != nil {
		return d, nil, fmt.Errorf("httpapi: read decision: %w", err)
	}
	ents := make([]entitlementView, 0, len(d.Entitlements))
	for _, raw := range d.Entitlements {
		var e entitlementView
		if err := json.Unmarshal(raw, &e); err != nil {
			return d, nil, fmt.Errorf("httpapi: read entitlement: %w", err)
		}
		ents = append(ents, e)
	}
	if d.MissingInformation == nil {
		d.MissingInformation = []string{}
	}
	return d, ents, nil
}

// readDecisionViews is readDecision without the entitlements as they are
// (decisionView.Entitlements stays nil), in one pass over the document: it
// is the largest thing a case request handles.
func readDecisionViews(doc []byte) (decisionView, []entitlementView, error) {
	// One pass over the document (it is the largest thing a case request
	// handles): the entitlements are read as they are met.
	var d struct {
		decisionView
		Entitlements []entitlementView `json:"entitlements"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return d.decisionView, nil, fmt.Errorf("httpapi: read decision: %w", err)
	}
	if d.MissingInformation == nil {
		d.MissingInformation = []string{}
	}
	ents := d.Entitlements
	if ents == nil {
		ents = []entitlementView{}
	}
	return d.decisionView, ents, nil
}

// readDecisionHead reads the decision without its entitlements.
func readDecisionHead(doc []byte) (decisionView, error) {
	var d struct {
		decisionView
		Entitlements json.RawMessage `json:"entitlements"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return d.decisionView, fmt.Errorf("httpapi: read decision: %w", err)
	}
	if d.MissingInformation == nil {
		d.MissingInformation = []string{}
	}
	return d.decisionView, nil
}
