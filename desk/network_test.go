package desk_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/desk"
	"roadcover/sites"
	"roadcover/store"
)

// TestLoadNetworkAndNearestPartners: the network goes into the store, its
// tow partners become desk partners once (a second load creates none), and
// the partners near a case are listed nearest first, with trucks for the
// job, each dispatchable by its id.
func TestLoadNetworkAndNearestPartners(t *testing.T) {
	h := newHarness(t)
	list := []roadcover.Site{
		{ID: "ws-stuttgart", Kind: roadcover.SiteWorkshop, Name: "Werkstatt", Country: "DE", Point: roadcover.Point{Lat: 48.78, Lon: 9.18}},
		{ID: "tow-near", Kind: roadcover.SiteTow, Name: "Abschlepp Nah", Country: "DE", Point: roadcover.Point{Lat: 48.86, Lon: 9.06},
			Phone: "+49 711 000 0001", Tow: &roadcover.TowFleet{Trucks: []string{"flatbed"}, Plates: []string{"S-AN 1"}, RadiusKm: 50}},
		{ID: "tow-van", Kind: roadcover.SiteTow, Name: "Pannenhilfe", Country: "DE", Point: roadcover.Point{Lat: 48.85, Lon: 9.07},
			Tow: &roadcover.TowFleet{Trucks: []string{"service_van"}, RadiusKm: 50}},
		{ID: "tow-far", Kind: roadcover.SiteTow, Name: "Sample Towing Far", Country: "DE", Point: roadcover.Point{Lat: 49.2, Lon: 9.2}, Sample: true,
			Tow: &roadcover.TowFleet{Trucks: []string{"wheel_lift", "flatbed"}, RadiusKm: 80}},
		{ID: "tow-out-of-reach", Kind: roadcover.SiteTow, Name: "Too Far", Country: "DE", Point: roadcover.Point{Lat: 50.1, Lon: 8.7},
			Tow: &roadcover.TowFleet{Trucks: []string{"flatbed"}, RadiusKm: 30}},
		{ID: "Tow Upper", Kind: roadcover.SiteTow, Name: "Bad Id", Country: "DE", Point: roadcover.Point{Lat: 48.851, Lon: 9.051},
			Tow: &roadcover.TowFleet{Trucks: []string{"flatbed"}, RadiusKm: 50}},
		{ID: "tow-sample", Kind: roadcover.SiteTow, Name: "Abschlepp Beispiel", Country: "DE", Point: roadcover.Point{Lat: 48.9, Lon: 9.0}, Sample: true,
			Tow: &roadcover.TowFleet{Trucks: []string{"flatbed"}, RadiusKm: 50}},
	}
	var load desk.NetworkLoad
	err := h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		load, err = h.d.LoadNetwork(ctx, tx, list)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if load.Sites != 7 || load.Partners != 5 || !slices.Equal(load.NotPartners, []string{"Tow Upper"}) {
		t.Fatalf("load %+v", load)
	}
	h.update(func(ctx context.Context, tx store.Tx) error {
		var err error
		load, err = h.d.LoadNetwork(ctx, tx, list)
		return err
	})
	if load.Partners != 0 {
		t.Fatalf("second load created %d partners", load.Partners)
	}
	var partners []store.Partner
	var stored []roadcover.Site
	h.st.View(context.Background(), func(tx store.Tx) error {
		partners, _ = tx.ListPartners(context.Background())
		stored, _ = tx.Sites(context.Background(), "")
		return nil
	})
	if len(stored) != 7 {
		t.Fatalf("%d sites stored", len(stored))
	}
	names := map[string]string{}
	for _, p := range partners {
		names[p.ID] = p.Name
		// What a driver is told of who is coming comes with the site.
		if p.ID == "tow-near" && (p.Phone != "+49 711 000 0001" || !slices.Equal(p.Trucks, []string{"flatbed"}) || !slices.Equal(p.Plates, []string{"S-AN 1"})) {
			t.Errorf("partner tow-near: phone %q, trucks %v, plates %v", p.Phone, p.Trucks, p.Plates)
		}
	}
	if names["tow-far"] != "Sample Towing Far" || names["tow-sample"] != "SAMPLE DATA – Abschlepp Beispiel" || names["tow-near"] != "Abschlepp Nah" {
		t.Fatalf("partners %v", names)
	}

	net, err := sites.New(stored)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"market":"DE","occurred_at":"2026-07-01T11:30:00+02:00","reported_at":"2026-07-01T11:35:00+02:00",
	  "contact":{"channel":"phone"},"location":{"lat":48.85,"lon":9.05},"home":{"country":"DE"},
	  "event":{"kind":"breakdown","immobilised":true,"cause":"none"}}`
	c := h.create([]byte(body))
	if p, ok := c.Position(); !ok || p.Lat != 48.85 {
		t.Fatalf("position %v %v of %s", p, ok, body)
	}
	near := func(kind string, k int) ([]desk.PartnerOffer, error) {
		var out []desk.PartnerOffer
		err := h.st.View(context.Background(), func(tx store.Tx) error {
			var err error
			out, err = h.d.NearestPartners(context.Background(), tx, net, c.ID, kind, k)
			return err
		})
		return out, err
	}
	tow, err := near("tow", 10)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, o := range tow {
		ids = append(ids, o.ID)
		if i > 0 && o.Km < tow[i-1].Km {
			t.Errorf("not nearest first: %v", tow)
		}
		if o.ID == "Tow Upper" && o.Partner != "" || o.ID != "Tow Upper" && o.Partner != o.ID {
			t.Errorf("%s dispatches to %q", o.ID, o.Partner)
		}
	}
	if !slices.Equal(ids, []string{"Tow Upper", "tow-near", "tow-sample", "tow-far"}) {
		t.Fatalf("tow partners %v", ids)
	}
	roadside, _ := near("roadside", 2)
	if len(roadside) != 2 || roadside[0].ID != "Tow Upper" && roadside[0].ID != "tow-van" && roadside[0].ID != "tow-near" {
		t.Fatalf("roadside partners %+v", roadside)
	}
	if _, err := near("helicopter", 3); !slices.Equal(fieldsOf(err), []string{"kind"}) {
		t.Fatalf("unknown kind: %v", err)
	}
	nowhere := h.create([]byte(strings.Replace(body, `"lat":48.85,"lon":9.05`, `"country":"DE"`, 1)))
	err = h.st.View(context.Background(), func(tx store.Tx) error {
		_, err := h.d.NearestPartners(context.Background(), tx, net, nowhere.ID, "tow", 3)
		return err
	})
	if codeOf(err) != roadcover.CodeConflict {
		t.Fatalf("a case without a position: %v", err)
	}
}

// TestQueue: open cases, the longest waiting first, with the job that
// matters and the overdue mark once the response time passed without help
// at the car.
func TestQueue(t *testing.T) {
	h := newHarness(t)
	h.update(func(ctx context.Context, tx store.Tx) error {
		_, _, err := h.d.CreatePartner(ctx, tx, desk.PartnerRequest{ID: "p1", Name: "P1"})
		return err
	})
	first := h.create(example(t, "breakdown-de.json"))
	h.now = h.now.Add(10 * time.Minute)
	second := h.create(example(t, "breakdown-de.json"))
	h.now = h.now.Add(10 * time.Minute)
	closed := h.create(example(t, "breakdown-de.json"))
	var job store.Job
	h.update(func(ctx context.Context, tx store.Tx) error {
		if _, err := h.d.Close(ctx, tx, operator, closed.ID, "test"); err != nil {
			return err
		}
		var err error
		job, err = h.d.Dispatch(ctx, tx, operator, second.ID, desk.JobRequest{Kind: "tow", Partner: "p1"})
		return err
	})
	queue := func(rt time.Duration) []desk.QueueEntry {
		var q []desk.QueueEntry
		if err := h.st.View(context.Background(), func(tx store.Tx) error {
			var err error
			q, err = h.d.Queue(context.Background(), tx, rt, 0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return q
	}
	q := queue(15 * time.Minute)
	if len(q) != 2 || q[0].ID != first.ID || q[1].ID != second.ID {
		t.Fatalf("queue %+v", q)
	}
	if q[0].WaitingSeconds != 20*60 || !q[0].Overdue || q[0].Job != nil {
		t.Fatalf("first: %+v", q[0])
	}
	if q[1].WaitingSeconds != 10*60 || q[1].Overdue || q[1].Job == nil || q[1].Job.ID != job.ID {
		t.Fatalf("second: %+v", q[1])
	}
	h.now = h.now.Add(10 * time.Minute)
	if q := queue(15 * time.Minute); !q[1].Overdue {
		t.Fatal("a booked tow does not stop the clock")
	}
	h.update(func(ctx context.Context, tx store.Tx) error {
		for _, st := range []string{desk.JobEnRoute, desk.JobArrived} {
			if _, err := h.d.MoveJob(ctx, tx, operator, job.ID, 0, desk.JobMove{Status: st}); err != nil {
				return err
			}
		}
		return nil
	})
	if q := queue(15 * time.Minute); q[1].Overdue || q[1].Job.Status != desk.JobArrived {
		t.Fatalf("help arrived: %+v", q[1])
	}
	if q := queue(time.Hour); q[0].Overdue {
		t.Fatal("overdue within a response time of an hour")
	}
}
