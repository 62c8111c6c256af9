package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"roadcover"
	"roadcover/jsonin"
	"roadcover/store"
)

// ReadOwner decodes {"owner": "acc_…"} (an account's id; "" gives the case
// back to the queue).
func ReadOwner(body []byte) (string, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	owner, ok := o.String("owner")
	o.Done()
	if !ok && !errs.Has("owner") && !errs.Has("body") {
		errs.Add("owner", roadcover.CodeInvalidInput, `required: the id of an operator's account, or "" for nobody`)
	}
	return owner, errs.Err()
}

// SetOwner gives an open case to an operator or administrator at the desk
// (taking it when the owner is the actor's own account, assigning it
// otherwise), or back to the queue with owner "". ifVersion, when not 0,
// is the version the caller read. The change is an owner_changed event.
func (d *Desk) SetOwner(ctx context.Context, tx store.Tx, a Actor, caseID, owner string, ifVersion int64) (Case, error) {
	rec, err := tx.GetCase(ctx, caseID)
	if err != nil {
		return Case{}, err
	}
	if ifVersion != 0 && ifVersion != rec.Version {
		return Case{}, precondition(fmt.Sprintf("the case is at version %d; fetch it again", rec.Version))
	}
	if rec.Status != StatusOpen {
		return Case{}, errClosed()
	}
	if owner != "" {
		acc, err := tx.GetAccount(ctx, owner)
		if errors.Is(err, store.ErrNotFound) {
			return Case{}, invalid("owner", fmt.Sprintf("no account %q", owner))
		}
		if err != nil {
			return Case{}, err
		}
		if acc.Disabled || (acc.Role != RoleOperator && acc.Role != RoleAdmin) {
			return Case{}, invalid("owner", "the account "+acc.Name+" does not take cases (an enabled operator or administrator does)")
		}
	}
	from := rec.Summary.Owner
	if from == owner {
		return d.Load(ctx, tx, caseID)
	}
	rec.Summary.Owner = owner
	rec.Version++
	rec.UpdatedAt = d.now()
	if err := tx.UpdateCase(ctx, rec); err != nil {
		return Case{}, err
	}
	ev, err := event(caseID, rec.UpdatedAt, a, EventOwnerChanged, OwnerData{From: from, To: owner})
	if err != nil {
		return Case{}, err
	}
	if err := appendEvents(ctx, tx, ev); err != nil {
		return Case{}, err
	}
	return d.Load(ctx, tx, caseID)
}

// MaxNote is the longest note on a case, in characters.
const MaxNote = 4000

// ReadNote decodes {"text": "…"}.
func ReadNote(body []byte) (string, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(body, errs)
	text, _ := o.String("text")
	o.Done()
	text = strings.TrimSpace(text)
	if !errs.Has("body") && !errs.Has("text") {
		if text == "" {
			errs.Add("text", roadcover.CodeInvalidInput, "required: what to note on the case")
		} else if utf8.RuneCountInString(text) > MaxNote {
			errs.Add("text", roadcover.CodeInvalidInput, fmt.Sprintf("at most %d characters", MaxNote))
		}
	}
	return text, errs.Err()
}

// AddNote adds a note to a case's timeline (open or closed): a note_added
// event; the case itself does not change.
func (d *Desk) AddNote(ctx context.Context, tx store.Tx, a Actor, caseID, text string) (store.Event, error) {
	if _, err := tx.GetCase(ctx, caseID); err != nil {
		return store.Event{}, err
	}
	ev, err := event(caseID, d.now(), a, EventNoteAdded, NoteData{Text: text})
	if err != nil {
		return store.Event{}, err
	}
	seq, err := tx.AppendEvent(ctx, ev)
	if err != nil {
		return store.Event{}, err
	}
	ev.Seq = seq
	return ev, nil
}
