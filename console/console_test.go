package console

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"roadcover"
)

func get(t *testing.T, h http.Handler, path, token string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPagesAndAssets(t *testing.T) {
	h := Handler(Options{TileURL: "https://{s}.tiles.example/{z}/{x}/{y}.png", APIBase: "https://api.example/"})
	res := get(t, h, "/console/", "")
	page := body(t, res)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /console/: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "img-src 'self' data: https://*.tiles.example", "connect-src 'self' https://api.example", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	m := regexp.MustCompile(`data-config="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no data-config in the page:\n%s", page)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &cfg); err != nil {
		t.Fatalf("data-config %q: %v", m[1], err)
	}
	if cfg.TileURL != "https://{s}.tiles.example/{z}/{x}/{y}.png" || cfg.APIBase != "https://api.example" || cfg.ResponseMinutes != 45 || cfg.Sites {
		t.Errorf("config = %+v", cfg)
	}
	// Every asset the page names is served with its type.
	srcs := regexp.MustCompile(`(?:src|href)="(/console/assets/[^"?]+)\?v=([0-9a-f]+)"`).FindAllStringSubmatch(page, -1)
	if len(srcs) != 16 { // the console, Leaflet, and the receipts', claims', payments' and accounts' pages
		t.Fatalf("page names %d assets, want 16", len(srcs))
	}
	for _, s := range srcs {
		res := get(t, h, s[1]+"?v="+s[2], "")
		ct := res.Header.Get("Content-Type")
		if res.StatusCode != 200 || !(strings.HasSuffix(s[1], ".js") && strings.Contains(ct, "javascript") || strings.HasSuffix(s[1], ".css") && strings.HasPrefix(ct, "text/css")) {
			t.Errorf("GET %s: %d %s", s[1], res.StatusCode, ct)
		}
		if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s: Cache-Control %q", s[1], res.Header.Get("Cache-Control"))
		}
	}
	if res := get(t, h, "/console/nothing-here", ""); res.StatusCode != 404 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown page: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res := get(t, h, "/console", ""); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/console/" {
		t.Errorf("/console: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

func TestTileURLFromEnvironment(t *testing.T) {
	t.Setenv(TileEnv, "https://tiles.example/{z}/{x}/{y}.png")
	res := get(t, Handler(Options{}), "/console/", "")
	if page := body(t, res); !strings.Contains(page, "tiles.example") {
		t.Errorf("the page does not carry %s", TileEnv)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data: https://tiles.example") {
		t.Errorf("CSP = %q", csp)
	}
}

type sites map[string]roadcover.Site

func (s sites) Site(id string) (roadcover.Site, bool) { v, ok := s[id]; return v, ok }

func TestSitePositions(t *testing.T) {
	h := Handler(Options{Sites: sites{"ws-1": {ID: "ws-1", Kind: roadcover.SiteWorkshop, Name: "Workshop One", Country: "AT", Point: roadcover.Point{Lat: 47.2, Lon: 11.4}}}})
	res := get(t, h, "/console/sites/ws-1", "")
	var got struct {
		Name     string          `json:"name"`
		Position roadcover.Point `json:"position"`
	}
	if err := json.Unmarshal([]byte(body(t, res)), &got); err != nil || got.Name != "Workshop One" || got.Position.Lat != 47.2 {
		t.Errorf("site: %d %+v %v", res.StatusCode, got, err)
	}
	if res := get(t, h, "/console/sites/none", ""); res.StatusCode != 404 {
		t.Errorf("unknown site: %d", res.StatusCode)
	}
}

// TestLabels checks that every label exists in all five languages and that
// every label the pages ask for by a literal key exists.
func TestLabels(t *testing.T) {
	en := LabelsOf(t, "i18n.js")
	app, err := os.ReadFile("assets/app.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`\bt\("([a-z_.0-9]+)"\s*[,)]`).FindAllStringSubmatch(string(app), -1) {
		if _, ok := en[m[1]]; !ok {
			t.Errorf("app.js asks for the label %q, which i18n.js lacks", m[1])
		}
	}
	// Form fields are labelled f.<path>; sections and groups by key.
	form := string(app)
	form = form[strings.Index(form, "const FORM = ["):]
	form = form[:strings.Index(form, "\n  ];\n")]
	for _, m := range regexp.MustCompile(`\{ (?:name|section): "([a-z_.0-9]+)"`).FindAllStringSubmatch(form, -1) {
		k := m[1]
		if !strings.HasPrefix(k, "sec.") {
			k = "f." + k
		}
		if _, ok := en[k]; !ok {
			t.Errorf("no label %q", k)
		}
	}
	for _, m := range regexp.MustCompile(`\{ key: "([a-z]+)"`).FindAllStringSubmatch(string(app), -1) {
		if _, ok := en["group."+m[1]]; !ok {
			t.Errorf("no label group.%s", m[1])
		}
	}
}
