package assistance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"roadcover"
)

// A decision, once made, is the truth: it is stored as the document
// AppendJSON writes and shown again in any language from what that document
// holds (codes, clauses, amounts, the terms version and the ids of the
// readings and parameters), never decided again to be shown. ReadDecision
// reads such a document back; Decision.In gives it in another language.

// In returns the decision with every text in lang: the refusals', the
// entitlements' and the readings'. Nothing is decided again.
func (d Decision) In(lang roadcover.Language) Decision {
	if _, ok := roadcover.ParseLanguage(string(lang)); !ok || d.vi == nil {
		return d
	}
	li := langIndex(lang)
	d.Language, d.li = lang, uint8(li)
	if d.Refusals != nil {
		rs := make([]Outcome, len(d.Refusals))
		for i, o := range d.Refusals {
			o.Text = d.vi.texts[li][o.t]
			rs[i] = o
		}
		d.Refusals = rs
	}
	if d.extras != nil {
		xs := make([]EntitlementDetail, len(d.extras))
		for i, e := range d.extras {
			e.Text = d.vi.texts[li][e.t]
			xs[i] = e
		}
		d.extras = xs
	}
	return d
}

// storedDecision mirrors the document AppendJSON writes. Texts are not read:
// they come from the codes in whatever language is asked.
type storedDecision struct {
	Terms struct {
		ID string `json:"id"`
	} `json:"terms"`
	Language     string              `json:"language"`
	Covered      *bool               `json:"covered"`
	Refusals     []storedOutcome     `json:"refusals"`
	Entitlements []storedEntitlement `json:"entitlements"`
	NotCovered   []string            `json:"not_covered"`
	Missing      []string            `json:"missing_information"`
	Readings     []string            `json:"readings"`
	Place        struct {
		Country string `json:"country"`
		Zone    string `json:"zone"`
		From    string `json:"from"`
		Abroad  bool   `json:"abroad"`
		Trip    string `json:"trip"`
	} `json:"place"`
	Distances  map[string]storedDistance `json:"distances"`
	Parameters []storedParam             `json:"parameters"`
}

// storedParam is a parameter the decision read: its name, alone (a record)
// or with its value, unit and clause (a document).
type storedParam struct{ Name string }

func (p *storedParam) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &p.Name)
	}
	var full struct {
		Name string `json:"name"`
	}
	err := json.Unmarshal(b, &full)
	p.Name = full.Name
	return err
}

type storedOutcome struct {
	Code    string `json:"code"`
	Clause  string `json:"clause"`
	Variant string `json:"variant"`
}

type storedDistance struct {
	Km     float64 `json:"km"`
	Method string  `json:"method"`
}

type storedMoney struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Per      string `json:"per"`
}

type storedSite struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Km     float64 `json:"distance_km"`
	Method string  `json:"distance_method"`
}

type storedEntitlement struct {
	Code                string       `json:"code"`
	Clause              string       `json:"clause"`
	Variant             string       `json:"variant"`
	ChooseOne           string       `json:"choose_one"`
	Destination         string       `json:"destination"`
	Limit               *storedMoney `json:"limit"`
	Total               *storedMoney `json:"total_limit"`
	Persons             int          `json:"persons"`
	MaxNights           int          `json:"max_nights"`
	MaxDays             int          `json:"max_days"`
	DayKind             string       `json:"day_kind"`
	Until               string       `json:"until"`
	AppliesTo           []string     `json:"applies_to"`
	IncludesLocalRental *bool        `json:"includes_local_rental"`
	Site                *storedSite  `json:"site"`
	Regular             *storedSite  `json:"regular_workshop"`
	Local               *struct {
		Currency  string  `json:"currency"`
		Known     bool    `json:"rate_known"`
		Amount    string  `json:"amount"`
		Total     string  `json:"total_amount"`
		Rate      float64 `json:"rate"`
		Published string  `json:"rate_published"`
	} `json:"local_equivalent"`
}

// ReadDecision reads a decision written by AppendRecord or AppendJSON (a
// stored decision) back into a Decision, in the document's language. It refuses a
// document it cannot account for whole: an unknown terms version, outcome,
// reading or parameter is an error, never skipped.
func ReadDecision(doc []byte) (Decision, error) {
	var s storedDecision
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&s); err != nil {
		return Decision{}, fmt.Errorf("assistance: read decision: %w", err)
	}
	if dec.More() {
		return Decision{}, fmt.Errorf("assistance: read decision: data after the document")
	}
	vi := vinfos[s.Terms.ID]
	if vi == nil {
		return Decision{}, fmt.Errorf("assistance: read decision: unknown terms version %q", s.Terms.ID)
	}
	lang, ok := roadcover.ParseLanguage(s.Language)
	if !ok || s.Covered == nil {
		return Decision{}, fmt.Errorf("assistance: read decision: no language or no covered")
	}
	li := langIndex(lang)
	d := Decision{Terms: vi.ref, Language: lang, vi: vi, li: uint8(li), Covered: *s.Covered,
		NotCovered: s.NotCovered, MissingInformation: s.Missing}
	for _, o := range s.Refusals {
		t, ok := textOf(o.Code, o.Variant)
		if !ok {
			return Decision{}, fmt.Errorf("assistance: read decision: unknown refusal %q (variant %q)", o.Code, o.Variant)
		}
		d.Refusals = append(d.Refusals, Outcome{Code: o.Code, Clause: o.Clause, Text: vi.texts[li][t], t: t})
	}
	for i, se := range s.Entitlements {
		e, err := se.detail()
		if err != nil {
			return Decision{}, fmt.Errorf("assistance: read decision: entitlement %d: %w", i, err)
		}
		e.Text = vi.texts[li][e.t]
		c, ok := compact(&e)
		if !ok {
			d.extras = append(d.extras, e)
			c = ent{t: e.t, extra: uint8(len(d.extras))}
			c.clause, _ = clauseIndex(e.Clause)
			c.choose, _ = smallIndex(chooseNames, e.ChooseOne)
		}
		d.Entitlements = append(d.Entitlements, Entitlement{c: c})
	}
	for _, name := range s.Readings {
		id, ok := readingID(name)
		if !ok || vi.readings[id] == nil {
			return Decision{}, fmt.Errorf("assistance: read decision: unknown reading %q", name)
		}
		if int(d.nr) == len(d.rOrder) {
			return Decision{}, fmt.Errorf("assistance: read decision: too many readings")
		}
		d.rOrder[d.nr] = id
		d.nr++
	}
	for _, p := range s.Parameters {
		id, ok := paramID(p.Name)
		if !ok || vi.params[id] == nil {
			return Decision{}, fmt.Errorf("assistance: read decision: unknown parameter %q", p.Name)
		}
		if int(d.np) == len(d.pOrder) {
			return Decision{}, fmt.Errorf("assistance: read decision: too many parameters")
		}
		d.pOrder[d.np] = id
		d.np++
	}
	d.Place = PlaceUse{Country: s.Place.Country, Zone: s.Place.Zone, From: s.Place.From, Abroad: s.Place.Abroad, Trip: s.Place.Trip}
	for name, sd := range s.Distances {
		x := Distance{Km: sd.Km, Method: sd.Method}
		switch name {
		case "home":
			d.Distances.Home = x
		case "regular_workshop":
			d.Distances.RegularWorkshop = x
		case "workshop_to_customer":
			d.Distances.WorkshopToCustomer = x
		default:
			return Decision{}, fmt.Errorf("assistance: read decision: unknown distance %q", name)
		}
	}
	return d, nil
}

// textOf finds the outcome of a code and its text variant ("" for the
// plain one).
func textOf(code, variant string) (tid, bool) {
	key := code
	if variant != "" {
		key = code + ":" + variant
	}
	for t, k := range textKeys {
		if k == key {
			return tid(t), true
		}
	}
	return 0, false
}

func readingID(name string) (rid, bool) {
	for id, n := range readingNames {
		if n == name {
			return rid(id), true
		}
	}
	return 0, false
}

func paramID(name string) (pid, bool) {
	for id, n := range paramNames {
		if n == name {
			return pid(id), true
		}
	}
	return 0, false
}

func (se *storedEntitlement) detail() (EntitlementDetail, error) {
	t, ok := textOf(se.Code, se.Variant)
	if !ok {
		return EntitlementDetail{}, fmt.Errorf("unknown entitlement %q (variant %q)", se.Code, se.Variant)
	}
	e := EntitlementDetail{t: t, Code: se.Code, Clause: se.Clause, ChooseOne: se.ChooseOne, Destination: se.Destination,
		Persons: se.Persons, MaxNights: se.MaxNights, MaxDays: se.MaxDays, DayKind: se.DayKind,
		IncludesLocalRental: se.IncludesLocalRental}
	if se.AppliesTo != nil {
		// The lists are shared tables; a decision points into them.
		found := false
		for _, l := range appliesLists {
			if l != nil && strings.Join(l, ",") == strings.Join(se.AppliesTo, ",") {
				e.AppliesTo, found = l, true
				break
			}
		}
		if !found {
			e.AppliesTo = se.AppliesTo
		}
	}
	var err error
	if se.Limit != nil {
		if e.Limit, err = money(se.Limit); err != nil {
			return e, err
		}
		e.Per = se.Limit.Per
	}
	if se.Total != nil {
		if e.Total, err = money(se.Total); err != nil {
			return e, err
		}
	}
	if se.Until != "" {
		if e.Until, err = roadcover.ParseDate(se.Until); err != nil {
			return e, fmt.Errorf("until: %w", err)
		}
	}
	site := func(s *storedSite) *SiteRef {
		if s == nil {
			return nil
		}
		return &SiteRef{ID: s.ID, Name: s.Name, Km: s.Km, Method: s.Method}
	}
	e.Site, e.Regular = site(se.Site), site(se.Regular)
	if l := se.Local; l != nil {
		le := &LocalEquivalent{Currency: l.Currency, Known: l.Known, Rate: l.Rate}
		if l.Known {
			if le.Amount, err = roadcover.ParseMinor(l.Amount); err != nil {
				return e, err
			}
			if l.Total != "" {
				if le.Total, err = roadcover.ParseMinor(l.Total); err != nil {
					return e, err
				}
			}
			if le.Published, err = roadcover.ParseDate(l.Published); err != nil {
				return e, fmt.Errorf("rate_published: %w", err)
			}
		}
		e.Local = le
	}
	return e, nil
}

func money(m *storedMoney) (roadcover.Money, error) {
	v, err := roadcover.ParseMinor(m.Amount)
	if err != nil {
		return roadcover.Money{}, err
	}
	return roadcover.Money{Minor: v, Currency: m.Currency}, nil
}

// AppendJSON appends the entitlement as the decision document writes it.
func (e *EntitlementDetail) AppendJSON(b []byte) []byte { return e.appendJSON(b) }
