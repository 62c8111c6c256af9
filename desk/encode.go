package desk

import (
	"encoding/json"
	"strconv"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/jsonout"
	"roadcover/store"
)

// The desk's answers, each encoded once on the way out. The stored facts
// are copied as they are (written by their encoder when stored); the
// decision is written from the stored one, in the language asked for,
// never decided again.

// AppendCase appends the case document: id, status, version, terms_id,
// covered, facts, intake, decision (in lang; "" for the stored language),
// missing_information, choices, jobs, owner, the numbers of the current
// facts and decision, created_at, updated_at.
func (c *Case) AppendCase(b []byte, lang roadcover.Language) []byte {
	dec := c.Decision
	if lang != "" && lang != dec.Language {
		dec = dec.In(lang)
	}
	b = append(b, `{"id":`...)
	b = jsonout.String(b, c.ID)
	b = append(b, `,"status":`...)
	b = jsonout.String(b, c.Status)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, c.Version, 10)
	b = append(b, `,"terms_id":`...)
	b = jsonout.String(b, dec.Terms.ID)
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, dec.Covered)
	b = append(b, `,"facts":`...)
	b = appendRaw(b, c.factsDoc)
	if c.Intake != nil {
		b = append(b, `,"intake":`...)
		b = appendRaw(b, c.Intake.raw)
	}
	b = append(b, `,"decision":`...)
	b = dec.AppendJSON(b)
	b = append(b, `,"facts_no":`...)
	b = strconv.AppendInt(b, c.FactsNo, 10)
	b = append(b, `,"decision_no":`...)
	b = strconv.AppendInt(b, c.DecisionNo, 10)
	b = append(b, `,"missing_information":`...)
	b = jsonout.Strings(b, dec.MissingInformation)
	b = append(b, `,"choices":`...)
	b = appendJSON(b, orEmpty(c.Choices))
	b = append(b, `,"jobs":`...)
	b = appendJSON(b, orEmpty(c.Jobs))
	b = append(b, `,"owner":`...)
	b = jsonout.String(b, c.Owner)
	b = append(b, `,"created_at":`...)
	b = appendTime(b, c.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendTime(b, c.UpdatedAt)
	return append(b, '}')
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func appendRaw(b, raw []byte) []byte {
	if raw == nil {
		return append(b, "null"...)
	}
	return append(b, raw...)
}

func appendJSON(b []byte, v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...) // only typed values of this package come here
	}
	return append(b, out...)
}

// appendTime appends t as time.Time's MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// Summary is a case as a list shows it, from the columns the store keeps.
type Summary struct {
	ID                 string    `json:"id"`
	Status             string    `json:"status"`
	Version            int64     `json:"version"`
	TermsID            string    `json:"terms_id"`
	Covered            bool      `json:"covered"`
	Market             string    `json:"market"`
	Language           string    `json:"language"`
	EventKind          string    `json:"event_kind"`
	Country            string    `json:"country"`
	VIN                string    `json:"vin,omitempty"`
	Registration       string    `json:"registration,omitempty"`
	Place              string    `json:"place,omitempty"`
	MissingInformation []string  `json:"missing_information"`
	OccurredAt         time.Time `json:"occurred_at,omitzero"`
	Owner              string    `json:"owner,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// SummaryOf is the list entry of a stored case row.
func SummaryOf(rec store.Case) Summary {
	m := rec.Summary
	return Summary{ID: rec.ID, Status: rec.Status, Version: rec.Version, TermsID: rec.TermsID, Covered: m.Covered,
		Market: m.Market, Language: m.Language, EventKind: m.EventKind, Country: m.Country, VIN: m.VIN,
		Registration: m.Registration, Place: m.Place, MissingInformation: orEmpty(m.MissingInformation),
		OccurredAt: m.OccurredAt, Owner: m.Owner, CreatedAt: rec.CreatedAt, UpdatedAt: rec.UpdatedAt}
}

// AppendJSON appends the driver's view.
func (v *DriverView) AppendJSON(b []byte) []byte {
	type position struct {
		Lat        float64   `json:"lat"`
		Lon        float64   `json:"lon"`
		HeadingDeg *float64  `json:"heading_deg,omitempty"`
		SpeedKmh   *float64  `json:"speed_kmh,omitempty"`
		At         time.Time `json:"at"`
	}
	type job struct {
		Kind         string     `json:"kind"`
		Status       string     `json:"status"`
		Failure      string     `json:"failure,omitempty"`
		ETA          *time.Time `json:"eta,omitempty"`
		UpdatedAt    time.Time  `json:"updated_at"`
		Partner      string     `json:"partner,omitempty"`
		Phone        string     `json:"phone,omitempty"`
		Truck        string     `json:"truck,omitempty"`
		Plate        string     `json:"plate,omitempty"`
		BookedAt     time.Time  `json:"booked_at"`
		EnRouteAt    *time.Time `json:"en_route_at,omitempty"`
		ArrivedAt    *time.Time `json:"arrived_at,omitempty"`
		DoneAt       *time.Time `json:"done_at,omitempty"`
		ETAUpdatedAt *time.Time `json:"eta_updated_at,omitempty"`
		Position     *position  `json:"position,omitempty"`
	}
	type choice struct {
		Group string `json:"group"`
		Code  string `json:"code"`
	}
	jobs := make([]job, len(v.Jobs))
	for i, j := range v.Jobs {
		jobs[i] = job{Kind: j.Kind, Status: j.Status, Failure: j.Failure, ETA: j.ETA, UpdatedAt: j.UpdatedAt, Partner: j.Partner,
			Phone: j.Phone, Truck: j.Truck, Plate: j.Plate, BookedAt: j.BookedAt, EnRouteAt: j.EnRouteAt, ArrivedAt: j.ArrivedAt,
			DoneAt: j.DoneAt, ETAUpdatedAt: j.ETAUpdatedAt}
		if p := j.Position; p != nil {
			jobs[i].Position = &position{Lat: p.Lat, Lon: p.Lon, HeadingDeg: p.HeadingDeg, SpeedKmh: p.SpeedKmh, At: p.At}
		}
	}
	choices := make([]choice, len(v.Choices))
	for i, c := range v.Choices {
		choices[i] = choice{Group: c.Group, Code: c.Code}
	}
	b = append(b, `{"status":`...)
	b = jsonout.String(b, v.Status)
	b = append(b, `,"language":`...)
	b = jsonout.String(b, string(v.Language))
	b = append(b, `,"covered":`...)
	b = strconv.AppendBool(b, v.Covered)
	if v.ETA != nil {
		b = append(b, `,"eta":`...)
		b = appendTime(b, *v.ETA)
	}
	b = append(b, `,"jobs":`...)
	b = appendJSON(b, jobs)
	b = append(b, `,"entitlements":`...)
	b = appendEntitlements(b, v.Entitlements)
	b = append(b, `,"choices":`...)
	b = appendJSON(b, choices)
	b = append(b, `,"offers":{`...)
	n := 0
	for _, g := range ChoiceGroups {
		offers, ok := v.Offers[g]
		if !ok {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = jsonout.String(b, g)
		b = append(b, ':')
		b = appendEntitlements(b, offers)
	}
	b = append(b, `},"receipts":`...)
	b = AppendDriverReceipts(b, v.Receipts)
	b = append(b, `,"expires_at":`...)
	b = appendTime(b, v.ExpiresAt)
	b = append(b, `,"reported_at":`...)
	b = appendTime(b, v.ReportedAt)
	if v.Car != nil {
		b = append(b, `,"car":`...)
		b = appendJSON(b, v.Car)
	}
	if v.Place != "" {
		b = append(b, `,"place":`...)
		b = jsonout.String(b, v.Place)
	}
	if c := v.Corrected; c != nil {
		b = append(b, `,"position_reported":{"lat":`...)
		b = strconv.AppendFloat(b, c.Point.Lat, 'f', -1, 64)
		b = append(b, `,"lon":`...)
		b = strconv.AppendFloat(b, c.Point.Lon, 'f', -1, 64)
		b = append(b, `,"at":`...)
		b = appendTime(b, c.At)
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendEntitlements writes entitlements as the decision document does.
func appendEntitlements(b []byte, es []assistance.EntitlementDetail) []byte {
	b = append(b, '[')
	for i := range es {
		if i > 0 {
			b = append(b, ',')
		}
		b = es[i].AppendJSON(b)
	}
	return append(b, ']')
}
