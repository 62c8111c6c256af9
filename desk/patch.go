package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/assistance"
	"roadcover/store"
)

// Patch applies a JSON merge patch (RFC 7386) to the case's facts and, when
// the facts change, decides the case again: a new facts version, a new
// decision and both as events in the timeline. A patch that changes
// nothing changes nothing. ifVersion is the version the caller read (the
// ETag it sends as If-Match); another stored version is a precondition
// failure. lang "" decides in the language of the decision before.
func (d *Desk) Patch(ctx context.Context, tx store.Tx, a Actor, id string, ifVersion int64, patch []byte, lang string) (Case, error) {
	l, err := parseLang(lang)
	if err != nil {
		return Case{}, err
	}
	c, err := d.Load(ctx, tx, id)
	if err != nil {
		return Case{}, err
	}
	if c.Version != ifVersion {
		return Case{}, precondition(fmt.Sprintf("the case is at version %d; fetch it again and reapply the change", c.Version))
	}
	if c.Status != StatusOpen {
		return Case{}, errClosed()
	}
	if !isObject(patch) {
		return Case{}, invalid("body", "must be a JSON merge patch object of the case's facts")
	}
	merged, err := mergePatch(c.factsDoc, patch)
	if err != nil {
		return Case{}, invalid("body", "could not be applied: "+err.Error())
	}
	errs := &roadcover.InputError{}
	facts, _ := assistance.DecodeFacts(merged, "", errs)
	if !errs.Has("body") {
		facts.Vehicle.VIN = strings.ToUpper(strings.TrimSpace(facts.Vehicle.VIN))
		assistance.Check(&facts, d.Env, errs)
		d.notInFuture(&facts, errs)
	}
	if err := errs.Err(); err != nil {
		return Case{}, err
	}
	if l == "" {
		l = c.Decision.Language
	}
	before := c.Decision
	next := c
	if err := next.setFacts(facts); err != nil {
		return Case{}, err
	}
	if bytes.Equal(next.factsDoc, c.factsDoc) {
		return c, nil // the patch changed nothing
	}
	dec, err := assistance.Decide(facts, d.Env, l)
	if err != nil {
		return Case{}, err
	}
	next.setDecision(dec)
	next.Version++
	next.UpdatedAt = d.now()
	if err := tx.UpdateCase(ctx, next.record()); err != nil {
		return Case{}, err
	}
	patched, err := event(id, next.UpdatedAt, a, EventFactsPatched, FactsPatchedData{FactsNo: next.FactsNo, Patch: compact(patch)})
	if err != nil {
		return Case{}, err
	}
	dd := decidedData(&next)
	diff := diffDecisions(&before, &next.Decision)
	dd.Gained, dd.Lost = diff.Gained, diff.Lost
	decided, err := event(id, next.UpdatedAt, a, EventDecided, dd)
	if err != nil {
		return Case{}, err
	}
	return next, appendEvents(ctx, tx, patched, decided)
}

func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}

func compact(b []byte) json.RawMessage {
	var out bytes.Buffer
	if json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

// mergePatch applies an RFC 7386 JSON merge patch to target: members of the
// patch replace those of the target, null removes them, objects merge
// recursively, anything else replaces the whole target.
func mergePatch(target, patch []byte) ([]byte, error) {
	var t, p any
	if len(bytes.TrimSpace(target)) > 0 {
		if err := unmarshalNumbers(target, &t); err != nil {
			return nil, err
		}
	}
	if err := unmarshalNumbers(patch, &p); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(mergeValue(t, p)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}

func unmarshalNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
