package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/sites"
	"roadcover/store"
)

// driverSetup is a German case abroad with a tracking link and a tow job of
// partner tow-a (phone, trucks and plates on record).
func driverSetup(t *testing.T) (*harness, desk.Case, desk.Link, store.Job) {
	t.Helper()
	h := newHarness(t)
	c := h.create(example(t, "breakdown-de.json"))
	var link desk.Link
	var j store.Job
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		if _, _, err := h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "tow-a", Name: "Tow A", Phone: "+43 000 000 4158",
			Trucks: []string{"flatbed", "wheel_lift"}, Plates: []string{"SAMPLE-AT-158", "SAMPLE-AT-165"}}); err != nil {
			return err
		}
		if _, _, err := h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "tow-b", Name: "Tow B"}); err != nil {
			return err
		}
		var err error
		if link, err = h.d.CreateLink(ctx, tx, operator, c.ID, 2); err != nil {
			return err
		}
		j, err = h.d.Dispatch(ctx, tx, operator, c.ID, desk.JobRequest{Kind: "tow", Partner: "tow-a"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, c, link, j
}

func (h *harness) view(link desk.Link, lang roadcover.Language) (desk.DriverView, error) {
	var v desk.DriverView
	err := h.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		v, err = h.d.ViewByLink(context.Background(), tx, []byte("hash:"+link.Token), lang)
		return err
	})
	return v, err
}

var partnerA = desk.Actor{TokenID: "tok_a", Role: desk.RolePartner, Partner: "tow-a"}

func (h *harness) report(a desk.Actor, jobID, body string) (store.JobPosition, error) {
	r, err := desk.ReadPositionReport([]byte(body))
	if err != nil {
		return store.JobPosition{}, err
	}
	var p store.JobPosition
	err = h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		p, err = h.d.ReportPosition(ctx, tx, a, jobID, r)
		return err
	})
	return p, err
}

func (h *harness) move(jobID string, m desk.JobMove) {
	h.t.Helper()
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.MoveJob(ctx, tx, partnerA, jobID, 0, m)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// TestReadPositionReport: every bad field named at once.
func TestReadPositionReport(t *testing.T) {
	_, err := desk.ReadPositionReport([]byte(`{"lat": 91, "heading_deg": 360, "speed_kmh": -1, "truck": "bicycle", "plate": "", "at": "soon", "x": 1}`))
	got := strings.Join(fieldsOf(err), ",")
	for _, f := range []string{"lat", "lon", "heading_deg", "speed_kmh", "truck", "plate", "at", "x"} {
		if !slices.Contains(fieldsOf(err), f) {
			t.Errorf("%s not named in %s", f, got)
		}
	}
	r, err := desk.ReadPositionReport([]byte(`{"lat": 47.1, "lon": 11.2, "heading_deg": 0, "speed_kmh": 400, "plate": " SAMPLE-AT-158 "}`))
	if err != nil || r.Point != (roadcover.Point{Lat: 47.1, Lon: 11.2}) || *r.HeadingDeg != 0 || *r.SpeedKmh != 400 || r.Plate != "SAMPLE-AT-158" {
		t.Fatalf("report %+v, %v", r, err)
	}
}

// TestReportPosition: a partner reports on its own job only, while it is
// under way, not faster than the interval, never an older position than
// the kept one, only its own trucks; truck and plate carry over.
func TestReportPosition(t *testing.T) {
	h, _, _, j := driverSetup(t)
	if _, err := h.report(desk.Actor{Role: desk.RolePartner, Partner: "tow-b"}, j.ID, `{"lat": 47, "lon": 11}`); codeOf(err) != roadcover.CodeNotFound {
		t.Fatalf("another partner's job: %v", err)
	}
	if _, err := h.report(partnerA, j.ID, `{"lat": 47, "lon": 11, "truck": "heavy"}`); !slices.Contains(fieldsOf(err), "truck") {
		t.Fatalf("a truck the partner has not: %v", err)
	}
	if _, err := h.report(partnerA, j.ID, `{"lat": 47, "lon": 11, "plate": "B-XY 1"}`); !slices.Contains(fieldsOf(err), "plate") {
		t.Fatalf("a plate the partner has not: %v", err)
	}
	future := h.now.Add(time.Hour).Format(time.RFC3339)
	if _, err := h.report(partnerA, j.ID, `{"lat": 47, "lon": 11, "at": "`+future+`"}`); !slices.Contains(fieldsOf(err), "at") {
		t.Fatalf("a position from the future: %v", err)
	}
	p, err := h.report(partnerA, j.ID, `{"lat": 47.30, "lon": 11.50, "truck": "flatbed", "plate": "SAMPLE-AT-158", "heading_deg": 250}`)
	if err != nil || p.Truck != "flatbed" || !p.At.Equal(h.now) {
		t.Fatalf("first position %+v, %v", p, err)
	}
	h.now = h.now.Add(time.Second)
	if _, err := h.report(partnerA, j.ID, `{"lat": 47.29, "lon": 11.48}`); codeOf(err) != roadcover.CodeTooManyRequests {
		t.Fatalf("a second position within %s: %v", desk.MinPositionInterval, err)
	}
	h.now = h.now.Add(desk.MinPositionInterval)
	old := h.now.Add(-time.Hour).Format(time.RFC3339)
	if _, err := h.report(partnerA, j.ID, `{"lat": 47.29, "lon": 11.48, "at": "`+old+`"}`); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("an older position than the kept one: %v", err)
	}
	p, err = h.report(partnerA, j.ID, `{"lat": 47.28, "lon": 11.45}`)
	if err != nil || p.Truck != "flatbed" || p.Plate != "SAMPLE-AT-158" || p.HeadingDeg != nil {
		t.Fatalf("second position %+v, %v", p, err)
	}
	h.move(j.ID, desk.JobMove{Status: desk.JobFailed, Failure: "cancelled"})
	h.now = h.now.Add(time.Minute)
	if _, err := h.report(partnerA, j.ID, `{"lat": 47.27, "lon": 11.42}`); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("a position of a failed job: %v", err)
	}
}

// TestDriverViewSteps: the view says when the job reached each step and
// when the ETA was last given, who is coming (name, phone, truck, plate),
// the truck's position only while it is on its way, and no internal id.
func TestDriverViewSteps(t *testing.T) {
	h, c, link, j := driverSetup(t)
	v, err := h.view(link, "en")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Jobs) != 1 || v.Jobs[0].Phone != "+43 000 000 4158" || !v.Jobs[0].BookedAt.Equal(j.CreatedAt) ||
		v.Jobs[0].EnRouteAt != nil || v.Car == nil || !v.ReportedAt.Equal(c.CreatedAt) {
		t.Fatalf("booked view %+v", v)
	}
	if !slices.Contains(v.Keys(), c.ID) || !slices.Contains(v.Keys(), j.ID) {
		t.Fatalf("keys %v", v.Keys())
	}
	h.now = h.now.Add(5 * time.Minute)
	eta := h.now.Add(40 * time.Minute)
	h.move(j.ID, desk.JobMove{Status: desk.JobEnRoute, ETA: &eta})
	enRoute := h.now
	h.now = h.now.Add(time.Minute)
	if _, err := h.report(partnerA, j.ID, `{"lat": 47.30, "lon": 11.50, "plate": "SAMPLE-AT-165", "truck": "wheel_lift"}`); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(10 * time.Minute)
	eta2 := h.now.Add(20 * time.Minute)
	h.move(j.ID, desk.JobMove{ETA: &eta2})
	v, err = h.view(link, "en")
	if err != nil {
		t.Fatal(err)
	}
	got := v.Jobs[0]
	if got.EnRouteAt == nil || !got.EnRouteAt.Equal(enRoute) || got.ETAUpdatedAt == nil || !got.ETAUpdatedAt.Equal(h.now) ||
		!v.ETA.Equal(eta2) || got.Truck != "wheel_lift" || got.Plate != "SAMPLE-AT-165" || got.Position == nil || got.Position.Lat != 47.30 {
		t.Fatalf("en route view %+v", got)
	}
	b := v.AppendJSON(nil)
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("view JSON: %v: %s", err, b)
	}
	for _, id := range []string{c.ID, j.ID, "tow-a", "tok_"} {
		if bytes.Contains(b, []byte(id)) {
			t.Errorf("the view shows %q: %s", id, b)
		}
	}
	for _, f := range []string{`"en_route_at"`, `"eta_updated_at"`, `"position"`, `"plate":"SAMPLE-AT-165"`, `"phone":"+43 000 000 4158"`, `"reported_at"`, `"car"`} {
		if !bytes.Contains(b, []byte(f)) {
			t.Errorf("the view lacks %s: %s", f, b)
		}
	}
	h.now = h.now.Add(20 * time.Minute)
	h.move(j.ID, desk.JobMove{Status: desk.JobArrived})
	v, _ = h.view(link, "en")
	if got := v.Jobs[0]; got.ArrivedAt == nil || !got.ArrivedAt.Equal(h.now) || got.Position != nil || got.Plate != "SAMPLE-AT-165" {
		t.Fatalf("arrived: %+v (the position is shown only on the way)", got)
	}
	h.now = h.now.Add(30 * time.Minute)
	h.move(j.ID, desk.JobMove{Status: desk.JobCompleted})
	v, _ = h.view(link, "en")
	if got := v.Jobs[0]; got.DoneAt == nil || !got.DoneAt.Equal(h.now) || v.ETA != nil {
		t.Fatalf("done: %+v, eta %v", got, v.ETA)
	}
}

// TestCorrectPosition: the driver's pin is an event on the case, the facts
// stay; corrections are spaced; the view shows the last one.
func TestCorrectPosition(t *testing.T) {
	h, c, link, _ := driverSetup(t)
	correct := func(body string) error {
		r, err := desk.ReadPositionCorrection([]byte(body))
		if err != nil {
			return err
		}
		return h.update(func(ctx context.Context, tx store.Tx) error {
			_, err := h.d.CorrectPosition(ctx, tx, []byte("hash:"+link.Token), r)
			return err
		})
	}
	if err := correct(`{"lat": 95}`); !slices.Contains(fieldsOf(err), "lat") || !slices.Contains(fieldsOf(err), "lon") {
		t.Fatalf("bad pin: %v", err)
	}
	if err := correct(`{"lat": 47.2612, "lon": 11.3951, "note": "behind the petrol station"}`); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(time.Second)
	if err := correct(`{"lat": 47.2613, "lon": 11.3952}`); codeOf(err) != roadcover.CodeTooManyRequests {
		t.Fatalf("a second correction at once: %v", err)
	}
	evs := h.events(c.ID)
	last := evs[len(evs)-1]
	var d desk.PositionCorrectionData
	if err := json.Unmarshal(last.Data, &d); err != nil || last.Kind != desk.EventDriverPosition || last.Actor.Role != desk.RoleDriver ||
		d.Lat != 47.2612 || d.Facts == nil || d.Facts.Lat != *c.Facts.Location.Lat || d.Note != "behind the petrol station" {
		t.Fatalf("event %+v %+v", last, d)
	}
	got := h.load(c.ID)
	if *got.Facts.Location.Lat != *c.Facts.Location.Lat || got.FactsNo != c.FactsNo {
		t.Fatalf("the facts changed: %+v", got.Facts.Location)
	}
	v, err := h.view(link, "")
	if err != nil || v.Corrected == nil || v.Corrected.Point.Lon != 11.3951 {
		t.Fatalf("view's correction %+v, %v", v.Corrected, err)
	}
	if !bytes.Contains(v.AppendJSON(nil), []byte(`"position_reported":{"lat":47.2612,"lon":11.3951`)) {
		t.Fatalf("JSON: %s", v.AppendJSON(nil))
	}
}

// TestChooseByLink: the driver takes one offered further-assistance option
// at the link; a second is 409, another group or a closed case refused.
func TestChooseByLink(t *testing.T) {
	h, c, link, _ := driverSetup(t)
	choose := func(group, code string) error {
		return h.update(func(ctx context.Context, tx store.Tx) error {
			_, err := h.d.ChooseByLink(ctx, tx, []byte("hash:"+link.Token), desk.ChoiceRequest{Group: group, Code: code})
			return err
		})
	}
	offers := c.Offers("further_assistance")
	if len(offers) < 2 {
		t.Fatalf("the example offers %d further-assistance options", len(offers))
	}
	if err := choose("collection", offers[0].Code); !slices.Contains(fieldsOf(err), "group") {
		t.Fatalf("another group at the link: %v", err)
	}
	if err := choose("further_assistance", "yacht"); !slices.Contains(fieldsOf(err), "code") {
		t.Fatalf("an option not offered: %v", err)
	}
	if err := choose("further_assistance", offers[0].Code); err != nil {
		t.Fatal(err)
	}
	if err := choose("further_assistance", offers[1].Code); codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("a second choice: %v", err)
	}
	got := h.load(c.ID)
	ch, ok := got.Choice("further_assistance")
	if !ok || ch.Code != offers[0].Code || ch.Actor.Role != desk.RoleDriver {
		t.Fatalf("choice %+v", ch)
	}
	v, _ := h.view(link, "")
	if _, open := v.Offers["further_assistance"]; open {
		t.Fatal("the choice is still offered after it was made")
	}
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		_, err := h.d.Close(ctx, tx, operator, c.ID, "done")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := choose("further_assistance", offers[1].Code); codeOf(err) != roadcover.CodeNotFound {
		t.Fatalf("a choice at the link of a closed case: %v", err)
	}
}

// network is a service network of one tow partner.
type network struct{ tow roadcover.Site }

func (n network) Nearest(roadcover.Point, string, int) []roadcover.SiteDistance { return nil }
func (n network) Site(id string) (roadcover.Site, bool)                         { return n.tow, id == n.tow.ID }

// TestPartnerFromNetwork: a partner registered with the id of a tow partner
// of the service network takes its phone, trucks and plates; given ones win.
func TestPartnerFromNetwork(t *testing.T) {
	h := newHarness(t)
	h.d.Env.Sites = network{roadcover.Site{ID: "sample-tow-at-innsbruck", Kind: roadcover.SiteTow, Name: "Sample Towing Innsbruck",
		Phone: "+43 000 000 1234", Tow: &roadcover.TowFleet{Trucks: []string{"flatbed"}, Plates: []string{"SAMPLE-AT-001"}, RadiusKm: 100}}}
	var a, b store.Partner
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		if a, _, err = h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "sample-tow-at-innsbruck", Name: "Innsbruck"}); err != nil {
			return err
		}
		b, _, err = h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "other", Name: "Other", Phone: "+43 1 234 5678"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.Phone != "+43 000 000 1234" || !slices.Equal(a.Trucks, []string{"flatbed"}) || !slices.Equal(a.Plates, []string{"SAMPLE-AT-001"}) {
		t.Errorf("partner from the network: %+v", a)
	}
	if b.Phone != "+43 1 234 5678" || b.Trucks != nil {
		t.Errorf("partner with its own phone: %+v", b)
	}
}

// TestPartnerContactChecked: a bad phone, truck kind or plate is named.
func TestPartnerContactChecked(t *testing.T) {
	_, err := desk.ReadPartnerRequest([]byte(`{"id": "p", "name": "P", "phone": "0711", "trucks": ["flatbed", "crane"], "plates": [""]}`), false)
	for _, f := range []string{"phone", "trucks.1", "plates.0"} {
		if !slices.Contains(fieldsOf(err), f) {
			t.Errorf("%s not named: %v", f, err)
		}
	}
}

// TestDriverViewNamesSitesWithoutIDs: the workshop a tow goes to is named
// to the driver, with its distance, but not by the network's id.
func TestDriverViewNamesSitesWithoutIDs(t *testing.T) {
	h := newHarness(t)
	net, err := sites.New([]roadcover.Site{{ID: "ws-bolzano-7", Kind: roadcover.SiteWorkshop, Name: "Werkstatt Bozen",
		Country: "IT", Point: roadcover.Point{Lat: 46.49, Lon: 11.33}}})
	if err != nil {
		t.Fatal(err)
	}
	h.d.Env.Sites = net
	c := h.create(example(t, "breakdown-de.json"))
	if b := c.Decision.AppendJSON(nil); !bytes.Contains(b, []byte(`"id":"ws-bolzano-7"`)) {
		t.Fatalf("the decision names no site: %s", b)
	}
	var link desk.Link
	if err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		link, err = h.d.CreateLink(ctx, tx, operator, c.ID, 2)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	v, err := h.view(link, "de")
	if err != nil {
		t.Fatal(err)
	}
	b := v.AppendJSON(nil)
	if bytes.Contains(b, []byte("ws-bolzano-7")) || !bytes.Contains(b, []byte(`"site":{"name":"Werkstatt Bozen"`)) {
		t.Fatalf("the driver's view: %s", b)
	}
	stored := h.load(c.ID)
	if again := stored.Decision.AppendJSON(nil); !bytes.Contains(again, []byte(`"id":"ws-bolzano-7"`)) {
		t.Fatalf("the stored decision lost its site: %s", again)
	}
}

// TestPartnerWebhookURLChecked: a webhook URL with a user name or password
// in it (a secret that would be kept and shown in the clear) or a port
// outside 1 to 65535 is named; a public URL with a port is taken.
func TestPartnerWebhookURLChecked(t *testing.T) {
	for _, u := range []string{"https://user:pw@tow.example/hook", "https://user@tow.example/hook",
		"https://tow.example:99999/hook", "https://tow.example:0/hook"} {
		_, err := desk.ReadPartnerRequest([]byte(`{"id": "p", "name": "P", "webhook_url": "`+u+`"}`), false)
		if !slices.Contains(fieldsOf(err), "webhook_url") {
			t.Errorf("%s: webhook_url not named: %v", u, err)
		}
	}
	if _, err := desk.ReadPartnerRequest([]byte(`{"id": "p", "name": "P", "webhook_url": "https://tow.example:8443/hook"}`), false); err != nil {
		t.Errorf("a public URL with a port: %v", err)
	}
}
