package desk

import (
	"context"
	"encoding/json"

	"roadcover"
	"roadcover/store"
)

// MaxListLimit is the largest page of a case list.
const MaxListLimit = 200

// List lists cases newest first from the columns the store keeps (no
// document is read); next is the id to continue after, "" on the last page.
func List(ctx context.Context, tx store.Tx, f store.CaseFilter) (cases []Summary, next string, err error) {
	want := f.Limit
	if want <= 0 || want > MaxListLimit {
		want = 50
	}
	f.Limit = want + 1
	recs, err := tx.ListCases(ctx, f)
	if err != nil {
		return nil, "", err
	}
	cases = make([]Summary, 0, min(len(recs), want))
	for i, rec := range recs {
		if i == want {
			next = recs[i-1].ID
			break
		}
		cases = append(cases, SummaryOf(rec))
	}
	return cases, next, nil
}

// OpenCasesOfCar lists the other open cases of the same car (by VIN): the
// desk warns of a second case for one car.
func OpenCasesOfCar(ctx context.Context, tx store.Tx, vin, except string) ([]Summary, error) {
	if vin == "" {
		return nil, nil
	}
	recs, err := tx.ListCases(ctx, store.CaseFilter{Status: StatusOpen, VIN: vin, Limit: 20})
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, r := range recs {
		if r.ID != except {
			out = append(out, SummaryOf(r))
		}
	}
	return out, nil
}

// Timeline is a case's events, oldest first.
func Timeline(ctx context.Context, tx store.Tx, id string) ([]store.Event, error) {
	evs, err := tx.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	return orEmpty(evs), nil
}

// Document is an earlier (or the current) version of a case's facts, as
// stored, or decision, written whole from its record in its language or
// lang.
func Document(ctx context.Context, tx store.Tx, id, kind string, no int64, lang roadcover.Language) (json.RawMessage, error) {
	doc, err := tx.Document(ctx, id, kind, no)
	if err != nil || kind != store.DocDecision {
		return doc, err
	}
	dec, err := readDecision(doc)
	if err != nil {
		return nil, err
	}
	if lang != "" {
		dec = dec.In(lang)
	}
	return dec.AppendJSON(nil), nil
}
