package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// ChoiceGroups are the groups of which the customer takes one option only
// (1.3 further assistance, 1.4 collection, 1.5 repatriation or its
// alternative).
var ChoiceGroups = []string{"further_assistance", "repatriation_alternative", "collection"}

// ChoiceRequest is the customer's choice of one offered option.
type ChoiceRequest struct {
	Group, Code, Note string
}

// ReadChoice decodes a choice: {"group", "code", "note"}.
func ReadChoice(body []byte) (ChoiceRequest, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	var r ChoiceRequest
	var okG, okC bool
	r.Group, okG = o.Enum("group", ChoiceGroups...)
	r.Code, okC = o.String("code")
	r.Note = note(o, errs)
	o.Done()
	if !okG && !errs.Has("group") && !errs.Has("body") {
		errs.Add("group", roadcover.CodeInvalidInput, "required: one of "+strings.Join(ChoiceGroups, ", "))
	}
	if (!okC || r.Code == "") && !errs.Has("code") && !errs.Has("body") {
		errs.Add("code", roadcover.CodeInvalidInput, "required: the code of an offered entitlement")
	}
	return r, errs.Err()
}

// Chosen is a recorded choice and the case version it made.
type Chosen struct {
	Choice      store.Choice
	Clause      string
	CaseVersion int64
}

// Choose records the customer's choice of an option the stored decision
// offers in its group: one option per group (409 for a second), only what
// is offered (422 otherwise), only on an open case.
func (d *Desk) Choose(ctx context.Context, tx store.Tx, a Actor, id string, r ChoiceRequest) (Chosen, error) {
	rec, err := tx.GetCase(ctx, id)
	if err != nil {
		return Chosen{}, err
	}
	c, err := fromRecord(rec)
	if err != nil {
		return Chosen{}, err
	}
	if c.Status != StatusOpen {
		return Chosen{}, errClosed()
	}
	offers := c.Offers(r.Group)
	clause := ""
	var codes []string
	for _, e := range offers {
		codes = append(codes, e.Code)
		if e.Code == r.Code {
			clause = e.Clause
		}
	}
	if clause == "" {
		detail := fmt.Sprintf("%q is not offered in the group %s by the case's decision", r.Code, r.Group)
		if len(codes) > 0 {
			detail += "; offered: " + strings.Join(codes, ", ")
		}
		return Chosen{}, invalid("code", detail)
	}
	if c.Choices, err = tx.Choices(ctx, id); err != nil {
		return Chosen{}, err
	}
	if ch, ok := c.Choice(r.Group); ok {
		return Chosen{}, conflict(fmt.Sprintf("the group %s already has the choice %q (one option only)", r.Group, ch.Code))
	}
	now := d.now()
	ch := store.Choice{CaseID: id, Group: r.Group, Code: r.Code, At: now, Actor: a}
	if err := tx.InsertChoice(ctx, ch); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Chosen{}, conflict(fmt.Sprintf("the group %s already has a choice (one option only)", r.Group))
		}
		return Chosen{}, err
	}
	rec.Version++
	rec.UpdatedAt = now
	if err := tx.UpdateCase(ctx, rec); err != nil {
		return Chosen{}, err
	}
	ev, err := event(id, now, a, EventChoiceMade, ChoiceData{Group: r.Group, Code: r.Code, Clause: clause, Note: r.Note})
	if err != nil {
		return Chosen{}, err
	}
	return Chosen{Choice: ch, Clause: clause, CaseVersion: rec.Version}, appendEvents(ctx, tx, ev)
}
