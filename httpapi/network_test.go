package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/sqlite"
	"roadcover/store"
	"roadcover/world"
)

// TestStoredNetworkDecidesAndDispatches: the sample network loaded into a
// fresh store is the engine's: a breakdown near Stuttgart (48.85, 9.05)
// created through POST /v1/cases is towed to a German workshop, and the
// tow partners offered for it are German ones nearby that the desk can
// dispatch to.
func TestStoredNetworkDecidesAndDispatches(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(t.TempDir() + "/desk.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	load, loaded, err := EnsureNetwork(ctx, st, NewDesk(assistance.Env{}, time.Now), "")
	if err != nil || !loaded || load.Sites < 1000 || load.Partners < 100 {
		t.Fatalf("sample network: %+v %v %v", load, loaded, err)
	}
	if _, again, err := EnsureNetwork(ctx, st, NewDesk(assistance.Env{}, time.Now), ""); err != nil || again {
		t.Fatalf("a store with a network got the sample again (%v, %v)", again, err)
	}
	env, err := world.Env(ctx, world.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := env.Sites.(*world.StoreNetwork); !ok {
		t.Fatalf("the engine's sites are %T, not the store's network", env.Sites)
	}
	e := newEnvWith(t, st, env)
	now := time.Now().UTC().Format(time.RFC3339)
	body := `{"market": "DE", "occurred_at": "` + now + `", "reported_at": "` + now + `",
	  "contact": {"channel": "phone"}, "location": {"lat": 48.85, "lon": 9.05}, "home": {"country": "DE"},
	  "event": {"kind": "breakdown", "immobilised": true, "cause": "none"}, "repair": {"roadside_possible": false}}`
	id, _, c := e.createCase(body)
	var site map[string]any
	for _, x := range c["decision"].(map[string]any)["entitlements"].([]any) {
		if m := x.(map[string]any); m["code"] == "tow" {
			site, _ = m["site"].(map[string]any)
		}
	}
	if site == nil {
		t.Fatalf("no tow site: %v", c["decision"])
	}
	s, ok := env.Sites.Site(site["id"].(string))
	if !ok || s.Country != "DE" || site["distance_km"].(float64) > 30 {
		t.Fatalf("tow to %v (%+v), want a German workshop near Stuttgart", site, s)
	}
	r := e.do("GET", "/v1/cases/"+id+"/partners?kind=tow&limit=5", RoleOperator, "")
	e.wantStatus(r, http.StatusOK, "partners")
	ps := r.json(t)["partners"].([]any)
	if len(ps) == 0 {
		t.Fatal("no tow partner near Stuttgart")
	}
	first := ps[0].(map[string]any)
	if first["country"] != "DE" || first["partner"] != first["id"] || !strings.HasPrefix(first["name"].(string), "Sample") {
		t.Fatalf("nearest partner %v", first)
	}
	job := e.do("POST", "/v1/cases/"+id+"/jobs", RoleOperator, `{"kind": "tow", "partner": "`+first["partner"].(string)+`"}`)
	e.wantStatus(job, http.StatusCreated, "dispatch to the nearest partner")

	// A site imported later is decided on once the network is refreshed.
	n := env.Sites.(*world.StoreNetwork)
	if changed, err := n.Refresh(ctx); err != nil || changed {
		t.Fatalf("refresh without a change: %v %v", changed, err)
	}
	near := roadcover.Site{ID: "ws-leonberg", Kind: roadcover.SiteWorkshop, Name: "Werkstatt Leonberg", Country: "DE",
		Point: roadcover.Point{Lat: 48.851, Lon: 9.051}}
	if err := st.Update(ctx, func(tx store.Tx) error {
		_, err := e.srv.Desk().LoadNetwork(ctx, tx, []roadcover.Site{near})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if changed, err := n.Refresh(ctx); err != nil || !changed {
		t.Fatalf("refresh after an import: %v %v", changed, err)
	}
	_, _, c = e.createCase(body)
	if !strings.Contains(string(mustJSON(t, c["decision"])), `"id":"ws-leonberg"`) {
		t.Fatalf("after the import the tow does not go to the new workshop: %v", c["decision"])
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
