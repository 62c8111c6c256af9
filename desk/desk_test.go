package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/desk"
	"roadcover/sqlite"
	"roadcover/store"
)

// The desk's operations against a real SQLite store, with a clock and id
// and secret sources of the test's own.

type harness struct {
	t   *testing.T
	d   *desk.Desk
	st  store.Store
	now time.Time
	n   atomic.Int64
}

var operator = desk.Actor{TokenID: "tok_op", Role: desk.RoleOperator}

func newHarness(t *testing.T) *harness {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	h := &harness{t: t, st: st, now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)}
	h.d = desk.New(assistance.Env{}, desk.Sources{
		Clock: func() time.Time { return h.now },
		NewID: func(prefix string) string { return fmt.Sprintf("%s%06d", prefix, h.n.Add(1)) },
		NewSecret: func(prefix string) (string, []byte) {
			s := fmt.Sprintf("%ssecret-%d", prefix, h.n.Add(1))
			return s, []byte("hash:" + s)
		},
	})
	return h
}

func (h *harness) update(fn func(ctx context.Context, tx store.Tx) error) error {
	ctx := context.Background()
	return h.st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) })
}

func (h *harness) load(id string) desk.Case {
	h.t.Helper()
	var c desk.Case
	err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		c, err = h.d.Load(context.Background(), tx, id)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) events(id string) []store.Event {
	h.t.Helper()
	var evs []store.Event
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		evs, err = desk.Timeline(context.Background(), tx, id)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	return evs
}

func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "assistance", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (h *harness) create(body []byte) desk.Case {
	h.t.Helper()
	nc, err := h.d.ReadNewCase(body, "", operator)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.update(func(ctx context.Context, tx store.Tx) error { return h.d.Create(ctx, tx, nc) }); err != nil {
		h.t.Fatal(err)
	}
	return nc.Case
}

func fieldsOf(err error) []string {
	var ie *roadcover.InputError
	if !errors.As(err, &ie) {
		return nil
	}
	var out []string
	for _, f := range ie.Errors {
		out = append(out, f.Field)
	}
	return out
}

func codeOf(err error) roadcover.Code { return roadcover.ProblemFor(err).Code }

// TestCreateStoresWhatWasDecided: a new case is stored with its facts and
// the decision made once; reading it back gives the same decision, and its
// first events refer to them by number instead of copying them.
func TestCreateStoresWhatWasDecided(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	got := h.load(c.ID)
	want := c.Decision.AppendJSON(nil)
	if b := got.Decision.AppendJSON(nil); !bytes.Equal(b, want) {
		t.Fatalf("stored decision differs:\n got %s\nwant %s", b, want)
	}
	if got.FactsNo != 1 || got.DecisionNo != 1 || got.Version != 1 || got.Status != desk.StatusOpen {
		t.Fatalf("case %+v", got)
	}
	evs := h.events(c.ID)
	if len(evs) != 2 || evs[0].Kind != desk.EventCreated || evs[1].Kind != desk.EventDecided {
		t.Fatalf("events %+v", evs)
	}
	var dd desk.DecidedData
	json.Unmarshal(evs[1].Data, &dd)
	if dd.DecisionNo != 1 || dd.FactsNo != 1 || dd.TermsID != c.Decision.Terms.ID || len(dd.Entitlements) != len(c.Decision.Entitlements) {
		t.Fatalf("decided event %s", evs[1].Data)
	}
	if bytes.Contains(evs[1].Data, []byte(`"text"`)) || len(evs[1].Data) > 1024 {
		t.Fatalf("the decided event copies the decision (%d bytes)", len(evs[1].Data))
	}
}

// TestStoredDecisionIsShownNotRemade: the case in any language is the
// stored decision in that language, also after the engine's environment
// has changed (a decision made again would differ).
func TestStoredDecisionIsShownNotRemade(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	stored := h.load(c.ID)
	for _, lang := range roadcover.Languages {
		var doc struct {
			Decision json.RawMessage `json:"decision"`
		}
		if err := json.Unmarshal(stored.AppendCase(nil, lang), &doc); err != nil {
			t.Fatal(err)
		}
		want := c.Decision.In(lang)
		if !bytes.Equal(doc.Decision, want.AppendJSON(nil)) {
			t.Fatalf("%s: shown decision differs from the stored one", lang)
		}
		var d struct {
			Language string `json:"language"`
		}
		json.Unmarshal(doc.Decision, &d)
		if d.Language != string(lang) {
			t.Fatalf("%s: decision shown in %s", lang, d.Language)
		}
	}
}

// TestPatchDecidesAgainOnlyWhenFactsChange covers the facts changing during
// a call (the roadside repair failed, so tow): a new facts version, a new
// decision and both as events naming what was gained and lost; a patch that
// changes nothing changes nothing; a stale version and a closed case are
// refused.
func TestPatchDecidesAgainOnlyWhenFactsChange(t *testing.T) {
	h := newHarness(t)
	body := []byte(`{"market":"DE","language":"de","occurred_at":"2026-07-01T09:30:00+02:00","reported_at":"2026-07-01T09:35:00+02:00",
	  "vehicle":{"first_registered":"2024-03-01","use":"private"},"location":{"country":"DE"},"home":{"country":"DE"},
	  "distances_km":{"home":20},"event":{"kind":"breakdown","immobilised":true,"cause":"none"},
	  "repair":{"roadside_possible":true}}`)
	c := h.create(body)
	patch := func(version int64, p string) (desk.Case, error) {
		var out desk.Case
		err := h.update(func(ctx context.Context, tx store.Tx) error {
			var err error
			out, err = h.d.Patch(ctx, tx, operator, c.ID, version, []byte(p), "")
			return err
		})
		return out, err
	}
	h.now = h.now.Add(10 * time.Minute)
	after, err := patch(1, `{"repair":{"roadside_possible":false}}`)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != 2 || after.FactsNo != 2 || after.DecisionNo != 2 {
		t.Fatalf("after the patch: version %d, facts %d, decision %d", after.Version, after.FactsNo, after.DecisionNo)
	}
	evs := h.events(c.ID)
	last := evs[len(evs)-1]
	var dd desk.DecidedData
	json.Unmarshal(last.Data, &dd)
	if last.Kind != desk.EventDecided || evs[len(evs)-2].Kind != desk.EventFactsPatched || dd.DecisionNo != 2 ||
		!strings.Contains(strings.Join(dd.Gained, ","), "tow") || !strings.Contains(strings.Join(dd.Lost, ","), "roadside_repair") {
		t.Fatalf("events after the patch: %s / %s", evs[len(evs)-2].Data, last.Data)
	}
	// The first decision stays readable.
	if err := h.st.View(context.Background(), func(tx store.Tx) error {
		doc, err := desk.Document(context.Background(), tx, c.ID, store.DocDecision, 1, roadcover.English)
		if err == nil && !bytes.Contains(doc, []byte(`"roadside_repair"`)) {
			err = fmt.Errorf("decision 1 is not the first one: %s", doc)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The same patch again changes nothing.
	same, err := patch(2, `{"repair":{"roadside_possible":false}}`)
	if err != nil || same.Version != 2 || len(h.events(c.ID)) != len(evs) {
		t.Fatalf("a patch that changes nothing: version %d, err %v", same.Version, err)
	}
	if _, err := patch(1, `{"people":{"passengers":1}}`); codeOf(err) != roadcover.CodePrecondition {
		t.Fatalf("stale version: %v", err)
	}
	if _, err := patch(2, `[1]`); !strings.Contains(strings.Join(fieldsOf(err), ","), "body") {
		t.Fatalf("a patch that is not an object: %v", err)
	}
	if _, err := patch(2, `{"occurred_at":"2027-01-01T00:00:00Z"}`); !strings.Contains(strings.Join(fieldsOf(err), ","), "occurred_at") {
		t.Fatalf("a patch into the future: %v", err)
	}
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Close(ctx, tx, operator, c.ID, "done")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := patch(3, `{"people":{"passengers":1}}`); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("patch of a closed case: %v", err)
	}
}

// TestChoiceRules: one option per group, only what the stored decision
// offers, only on an open case.
func TestChoiceRules(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	offers := c.Offers("further_assistance")
	if len(offers) < 2 {
		t.Fatalf("the example offers %d options in further_assistance", len(offers))
	}
	choose := func(group, code string) error {
		return h.update(func(ctx context.Context, tx store.Tx) error {
			_, err := h.d.Choose(ctx, tx, operator, c.ID, desk.ChoiceRequest{Group: group, Code: code})
			return err
		})
	}
	if err := choose("further_assistance", "yacht"); !strings.Contains(strings.Join(fieldsOf(err), ","), "code") {
		t.Fatalf("an option not offered: %v", err)
	}
	if err := choose("further_assistance", offers[0].Code); err != nil {
		t.Fatal(err)
	}
	if err := choose("further_assistance", offers[1].Code); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("a second option in the group: %v", err)
	}
	got := h.load(c.ID)
	if ch, ok := got.Choice("further_assistance"); !ok || ch.Code != offers[0].Code || got.Version != 2 {
		t.Fatalf("choices %+v, version %d", got.Choices, got.Version)
	}
	for _, body := range []string{`{}`, `{"group":"lunch","code":"x"}`, `{"group":"collection"}`, `[]`} {
		if _, err := desk.ReadChoice([]byte(body)); err == nil {
			t.Errorf("ReadChoice(%s) accepted", body)
		}
	}
}

// TestJobMoves holds the status machine to its table.
func TestJobMoves(t *testing.T) {
	b, err := os.ReadFile("testdata/job-moves.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct {
		Moves []struct {
			From, To string
			Allowed  bool
		}
	}
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	seen := map[[2]string]bool{}
	for _, m := range table.Moves {
		seen[[2]string{m.From, m.To}] = true
		if got := desk.JobMoveAllowed(m.From, m.To); got != m.Allowed {
			t.Errorf("%s → %s: allowed %v, want %v", m.From, m.To, got, m.Allowed)
		}
	}
	for _, from := range desk.JobStatuses {
		for _, to := range desk.JobStatuses {
			if !seen[[2]string{from, to}] && desk.JobMoveAllowed(from, to) {
				t.Errorf("%s → %s is allowed but not in the table", from, to)
			}
		}
	}
}

// TestDispatchAndPartnerView: a job on an open case, its partner's notice
// queued in the same transaction with the car's position and nothing of
// the cover; another partner cannot tell the job exists.
func TestDispatchAndPartnerView(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	var j store.Job
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		if _, _, err := h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "tow-a", Name: "Tow A", WebhookURL: "https://tow-a.example/hook"}); err != nil {
			return err
		}
		if _, _, err := h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "tow-b", Name: "Tow B"}); err != nil {
			return err
		}
		var err error
		j, err = h.d.Dispatch(ctx, tx, operator, c.ID, desk.JobRequest{Kind: "tow", Partner: "tow-a"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = h.st.View(context.Background(), func(tx store.Tx) error {
		ds, err := tx.ListDeliveries(context.Background(), j.ID)
		if err != nil {
			return err
		}
		if len(ds) != 1 || !bytes.Contains(ds[0].Payload, []byte(`"location"`)) || bytes.Contains(ds[0].Payload, []byte(`"entitlements"`)) {
			return fmt.Errorf("deliveries %+v", ds)
		}
		_, errMine := desk.VisibleJob(context.Background(), tx, desk.Actor{Role: desk.RolePartner, Partner: "tow-b"}, j.ID)
		_, errNone := desk.VisibleJob(context.Background(), tx, desk.Actor{Role: desk.RolePartner, Partner: "tow-b"}, "job_none")
		if errMine == nil || errMine.Error() != errNone.Error() {
			return fmt.Errorf("another partner's job answers %v, a missing one %v", errMine, errNone)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	move := func(m desk.JobMove) error {
		return h.update(func(ctx context.Context, tx store.Tx) error {
			_, err := h.d.MoveJob(ctx, tx, desk.Actor{Role: desk.RolePartner, Partner: "tow-a"}, j.ID, 0, m)
			return err
		})
	}
	if err := move(desk.JobMove{Status: desk.JobArrived}); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("BOOKED → ARRIVED: %v", err)
	}
	eta := h.now.Add(40 * time.Minute)
	if err := move(desk.JobMove{Status: desk.JobEnRoute, ETA: &eta}); err != nil {
		t.Fatal(err)
	}
}

// TestDriverView: the link shows the stored decision in the driver's
// language with the earliest ETA and the open choices, nothing of another
// case, no internal id; it ends when the case is closed or the link
// expires.
func TestDriverView(t *testing.T) {
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	var link desk.Link
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		link, err = h.d.CreateLink(ctx, tx, operator, c.ID, 2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	view := func(lang roadcover.Language) (desk.DriverView, error) {
		var v desk.DriverView
		err := h.st.View(context.Background(), func(tx store.Tx) error {
			var err error
			v, err = h.d.ViewByLink(context.Background(), tx, []byte("hash:"+link.Token), lang)
			return err
		})
		return v, err
	}
	for _, lang := range roadcover.Languages {
		v, err := view(lang)
		if err != nil {
			t.Fatal(err)
		}
		want := c.Decision.In(lang)
		if v.Language != lang || len(v.Entitlements) != len(want.Entitlements) || v.Entitlements[0].Text != want.Detail(0).Text {
			t.Fatalf("%s: view %+v", lang, v)
		}
		if len(v.Offers["further_assistance"]) == 0 {
			t.Fatalf("%s: no open choice shown", lang)
		}
		if b := v.AppendJSON(nil); bytes.Contains(b, []byte(c.ID)) || !json.Valid(b) {
			t.Fatalf("%s: the view shows the case id or is not JSON: %s", lang, b)
		}
	}
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Close(ctx, tx, operator, c.ID, "done")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := view(""); codeOf(err) != roadcover.CodeNotFound {
		t.Fatalf("link of a closed case: %v", err)
	}
}

// TestNewCaseRefusals: every bad field of the body and the intake named at
// once; a case from the future refused; the intake fills what the body
// lacks and says so.
func TestNewCaseRefusals(t *testing.T) {
	h := newHarness(t)
	_, err := h.d.ReadNewCase([]byte(`{"market":"XX","occurred_at":"x","event":{"kind":"breakdown"},
		"intake":{"vin":"short","position":{"lat":91,"lon":0}}}`), "", operator)
	got := strings.Join(fieldsOf(err), ",")
	for _, f := range []string{"market", "occurred_at", "intake.vin", "intake.position.lat"} {
		if !strings.Contains(got, f) {
			t.Errorf("%s not named in %s", f, got)
		}
	}
	future := strings.Replace(string(example(t, "breakdown-de.json")), `"occurred_at": "2026-`, `"occurred_at": "2027-`, 1)
	if _, err := h.d.ReadNewCase([]byte(future), "", operator); !strings.Contains(strings.Join(fieldsOf(err), ","), "occurred_at") {
		t.Errorf("a case from the future: %v", err)
	}
	body := `{"market":"DE","occurred_at":"2026-07-01T09:30:00+02:00","reported_at":"2026-07-01T09:35:00+02:00",
	  "event":{"kind":"battery_12v_flat","immobilised":true},
	  "intake":{"activation":"button","vin":"lpsvsedeeml000001","position":{"lat":48.78,"lon":9.18,"trusted":true},
	            "caller":{"name":"Jana","language":"de"}}}`
	nc, err := h.d.ReadNewCase([]byte(body), "", operator)
	if err != nil {
		t.Fatal(err)
	}
	f := nc.Case.Facts
	if f.Vehicle.VIN != "LPSVSEDEEML000001" || f.Contact.Channel != "on_call" || f.Location.Lat == nil || f.Contact.Name != "Jana" || f.Language != "de" {
		t.Fatalf("filled facts %+v", f)
	}
	if strings.Join(nc.Filled, ",") != "location.lat,location.lon,vehicle.vin,contact.channel,contact.name,language" {
		t.Fatalf("filled %v", nc.Filled)
	}
}
