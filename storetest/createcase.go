package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"roadcover/store"
)

// insertCaseWithEvents: InsertCaseWithEvents leaves what InsertCase
// and one AppendEvent per event leave, and refuses a taken id.
func (r *runner) insertCaseWithEvents(t *testing.T) {
	s := r.s
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	actor := store.Actor{TokenID: "tok_1", Role: "operator"}
	mk := func(id string) (store.Case, []store.Event) {
		c := NewCase(id, now)
		c.Facts = json.RawMessage(`{"market":"SE"}`)
		c.Intake = json.RawMessage(`{"vin":"X"}`)
		return c, []store.Event{
			{CaseID: id, At: now, Actor: actor, Kind: "created", Data: json.RawMessage(`{"facts":{"market":"SE"}}`)},
			{CaseID: id, At: now.Add(time.Microsecond), Actor: actor, Kind: "decided", Data: json.RawMessage(`{"covered":true}`)},
		}
	}
	a, aev := mk(r.prefix + "-ice-a-" + now.Format("150405.000000"))
	b, bev := mk(r.prefix + "-ice-b-" + now.Format("150405.000000"))
	err := s.Update(ctx, func(tx store.Tx) error {
		if err := tx.(store.CaseInserter).InsertCaseWithEvents(ctx, a, aev); err != nil {
			return err
		}
		if err := tx.InsertCase(ctx, b); err != nil {
			return err
		}
		for _, e := range bev {
			if _, err := tx.AppendEvent(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(id string) (store.Case, []store.Event) {
		var c store.Case
		var evs []store.Event
		err := s.View(ctx, func(tx store.Tx) error {
			var err error
			if c, err = tx.GetCase(ctx, id); err != nil {
				return err
			}
			evs, err = tx.Events(ctx, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c.ID = ""
		for i := range evs {
			evs[i].CaseID = ""
		}
		return c, evs
	}
	ca, ea := read(a.ID)
	cb, eb := read(b.ID)
	if !reflect.DeepEqual(ca, cb) {
		t.Errorf("case:\n got %+v\nwant %+v", ca, cb)
	}
	if !reflect.DeepEqual(ea, eb) {
		t.Errorf("events:\n got %+v\nwant %+v", ea, eb)
	}
	if len(ea) != 2 || ea[0].Seq != 1 || ea[1].Seq != 2 {
		t.Errorf("seqs: %+v", ea)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		err := tx.(store.CaseInserter).InsertCaseWithEvents(ctx, a, aev)
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("taken id: %v, want ErrConflict", err)
		}
		seq, err := tx.AppendEvent(ctx, store.Event{CaseID: a.ID, At: now, Actor: actor, Kind: "note", Data: json.RawMessage(`{}`)})
		if err == nil && seq != 3 {
			t.Errorf("next seq %d, want 3", seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, evs := read(a.ID); len(evs) != 3 {
		t.Errorf("%d events after the refused insert and one append, want 3", len(evs))
	}
}

// createCase: CreateCase leaves what InsertCaseWithEvents in an Update
// leaves, and refuses a taken id.
func (r *runner) createCase(t *testing.T) {
	s := r.s.(store.CaseCreator)
	v := r.s
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Microsecond)
	actor := store.Actor{TokenID: "tok_1", Role: "operator"}
	id := r.prefix + "-cc-" + now.Format("150405.000000")
	c := NewCase(id, now)
	c.Facts = json.RawMessage(`{"market":"SE"}`)
	evs := []store.Event{
		{CaseID: id, At: now, Actor: actor, Kind: "created", Data: json.RawMessage(`{"facts":{"market":"SE"}}`)},
		{CaseID: id, At: now, Actor: actor, Kind: "decided", Data: json.RawMessage(`{"covered":true}`)},
	}
	if err := s.CreateCase(ctx, c, evs); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCase(ctx, c, evs); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("taken id: %v, want ErrConflict", err)
	}
	var got store.Case
	var gotEvs []store.Event
	err := v.View(ctx, func(tx store.Tx) error {
		var err error
		if got, err = tx.GetCase(ctx, id); err != nil {
			return err
		}
		gotEvs, err = tx.Events(ctx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("case:\n got %+v\nwant %+v", got, c)
	}
	for i := range evs {
		evs[i].Seq = int64(i + 1)
	}
	if !reflect.DeepEqual(gotEvs, evs) {
		t.Errorf("events:\n got %+v\nwant %+v", gotEvs, evs)
	}
}
