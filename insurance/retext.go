package insurance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/terms"
)

// Retext gives a stored settlement document (AppendJSON's) in another
// language: every text made again from the codes it stores (a line's from
// its cover; valuation steps, deductible parts, reductions and refusals
// from their codes; readings from their ids in the terms version the
// settlement names) and nothing else changed. A settlement is shown again
// this way, never settled again to be shown; Retext of a settlement in
// language A equals the settlement of the same claim made in language B.
func Retext(doc []byte, lang roadcover.Language) ([]byte, error) {
	var s storedSettlement
	d := json.NewDecoder(bytes.NewReader(doc))
	d.DisallowUnknownFields()
	d.UseNumber()
	if err := d.Decode(&s); err != nil {
		return nil, fmt.Errorf("insurance: retext: %w", err)
	}
	from := roadcover.Language(s.Language)
	if from == lang {
		return doc, nil
	}
	v, ok := terms.ByID(s.Terms.ID)
	if !ok {
		return nil, fmt.Errorf("insurance: retext: unknown terms %q", s.Terms.ID)
	}
	for i := range s.Lines {
		ln := &s.Lines[i]
		ln.Text = text(tkLine, ln.Cover, lang)
		for j := range ln.Valuation {
			ln.Valuation[j].Text = text(tkStep, ln.Valuation[j].Code, lang)
		}
		for j := range ln.Parts {
			ln.Parts[j].Text = text(tkPart, ln.Parts[j].Code, lang)
		}
		for j := range ln.Reductions {
			ln.Reductions[j].Text = text(tkReduction, ln.Reductions[j].Code, lang)
		}
	}
	for i := range s.Refusals {
		s.Refusals[i].Text = text(tkRefusal, s.Refusals[i].Code, lang)
	}
	if len(s.Interpretations) != len(s.Readings) {
		return nil, fmt.Errorf("insurance: retext: %d interpretations for %d readings", len(s.Interpretations), len(s.Readings))
	}
	for i, id := range s.Readings {
		rd, ok := v.Reading(id)
		if !ok {
			return nil, fmt.Errorf("insurance: retext: %s has no reading %q", v.ID, id)
		}
		// A reading's text may carry what it was read on, after its own
		// words (the green card list: country and day).
		rest := strings.TrimPrefix(s.Interpretations[i], rd.Text.In(from))
		s.Interpretations[i] = rd.Text.In(lang) + rest
	}
	s.Language = string(lang)
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(&s); err != nil {
		return nil, fmt.Errorf("insurance: retext: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// storedSettlement mirrors AppendJSON's document field by field, in its
// order, so that it is written back as it was.
type storedSettlement struct {
	Terms struct {
		ID          string `json:"id"`
		Market      string `json:"market"`
		Language    string `json:"language"`
		InForceFrom string `json:"in_force_from"`
	} `json:"terms"`
	PriceBaseAmount  json.RawMessage   `json:"price_base_amount"`
	Lines            []storedLine      `json:"lines"`
	Refusals         []storedRefusal   `json:"refusals"`
	PayableTotal     json.RawMessage   `json:"payable_total"`
	DeductibleTotal  json.RawMessage   `json:"deductible_total"`
	Currency         string            `json:"currency"`
	PremiumAffecting bool              `json:"premium_affecting"`
	NewCar           bool              `json:"new_car_replacement"`
	Requirements     []string          `json:"requirements"`
	Interpretations  []string          `json:"interpretations"`
	Readings         []string          `json:"readings"`
	Parameters       []json.RawMessage `json:"parameters"`
	Language         string            `json:"language"`
}

type storedLine struct {
	Cover      string          `json:"cover"`
	Clause     string          `json:"clause"`
	Covered    bool            `json:"covered"`
	Status     string          `json:"status"`
	NewCar     bool            `json:"new_car"`
	Person     json.RawMessage `json:"person,omitempty"`
	CareUntil  json.RawMessage `json:"care_until,omitempty"`
	DisputeID  string          `json:"dispute_id,omitempty"`
	Valuation  []storedItem    `json:"valuation"`
	Assessed   json.RawMessage `json:"assessed"`
	Deductible json.RawMessage `json:"deductible"`
	Parts      []storedItem    `json:"deductible_parts"`
	Net        json.RawMessage `json:"net"`
	Reductions []storedItem    `json:"reductions"`
	Payable    json.RawMessage `json:"payable"`
	Text       string          `json:"text"`
}

type storedItem struct {
	Code    string          `json:"code"`
	Clause  string          `json:"clause"`
	Percent json.RawMessage `json:"percent,omitempty"`
	Amount  json.RawMessage `json:"amount"`
	Text    string          `json:"text"`
}

type storedRefusal struct {
	Code   string `json:"code"`
	Clause string `json:"clause"`
	Cover  string `json:"cover"`
	Text   string `json:"text"`
}
