// Package console serves the assistance desk's operator console: the web
// pages under /console/ with which an operator signs in with an email and a
// password, works the queue of open cases (time since the call, the job's
// state and ETA, who has the case, cases past the response time marked),
// takes a breakdown on the phone in a few fields (the place searched by
// name or clicked on the map and said back in words), sees at a glance what
// the driver is entitled to under the Polestar Assistance terms
// (spec/assistance.md), dispatches the nearest tow partner from a list,
// cancels and reassigns, records what changed during the call and sees the
// case decided again, notes, the customer's choices and tracking links. The
// pages call the JSON API of spec/service.md from the browser, signed in
// with the session cookie the API sets; this package only serves the pages,
// their embedded assets (console/ASSETS.md) and two small helpers the API
// does not offer: where a site named in a decision lies, and the country
// borders the map draws when no tile server is configured.
//
// Mount it next to the API on the same origin:
//
//	mux.Handle("/console/", console.Handler(console.Options{Sites: env.Sites}))
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"roadcover"
)

// Prefix is the path under which Handler serves the console.
const Prefix = "/console/"

// TileEnv names the environment variable read when Options.TileURL is empty.
const TileEnv = "ROADCOVER_TILE_URL"

//go:embed assets
var assetFS embed.FS

//go:embed index.html
var indexHTML string

var indexTmpl = template.Must(template.New("index").Parse(indexHTML))

// SiteFinder returns a site of the service network by id (assistance.Sites
// satisfies it).
type SiteFinder interface {
	Site(id string) (roadcover.Site, bool)
}

// Options configure the console.
type Options struct {
	// TileURL is a Leaflet tile URL template such as
	// "https://tile.example/{z}/{x}/{y}.png". Empty means the environment's
	// ROADCOVER_TILE_URL; when that is empty too the map is drawn without
	// tiles: the embedded country borders (GET /console/outlines), a
	// graticule and the known positions.
	TileURL string
	// TileAttribution is shown in the map's corner when tiles are drawn.
	TileAttribution string
	// APIBase is the origin of the JSON API when it is not the console's
	// own ("https://desk.example"); empty means the same origin.
	APIBase string
	// ResponseTime is how soon after the call help should be at the car;
	// the queue marks cases past it. Zero means 45 minutes.
	ResponseTime time.Duration
	// Sites, when set, gives the position of the workshops and chargers a
	// decision names, so that the map can show them (GET /console/sites/{id}).
	Sites SiteFinder
}

// Handler serves the console under /console/.
func Handler(opts Options) http.Handler {
	if opts.TileURL == "" {
		opts.TileURL = os.Getenv(TileEnv)
	}
	if opts.TileAttribution == "" && opts.TileURL != "" {
		opts.TileAttribution = "Map tiles: " + hostOf(opts.TileURL)
	}
	h := &handler{opts: opts, csp: contentSecurityPolicy(opts)}
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic("console: embedded assets: " + err.Error()) // the embed directive guarantees the directory
	}
	h.assetTag = assetVersion(sub)
	m := http.NewServeMux()
	m.HandleFunc("GET "+Prefix+"{$}", h.index)
	m.HandleFunc("GET /console", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
	})
	m.Handle("GET "+Prefix+"assets/", http.StripPrefix(Prefix+"assets/", cacheAssets(http.FileServerFS(sub))))
	m.HandleFunc("GET "+Prefix+"sites/{id}", h.site)
	m.HandleFunc("GET "+Prefix+"outlines", h.outlines)
	m.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, roadcover.Errorf(roadcover.CodeNotFound, "no such console page: "+r.URL.Path))
	})
	return secure(h.csp, m)
}

type handler struct {
	opts     Options
	csp      string
	assetTag string
}

// pageConfig is what the pages read from the document (data-config).
type pageConfig struct {
	APIBase         string   `json:"api_base"`
	TileURL         string   `json:"tile_url"`
	TileAttribution string   `json:"tile_attribution"`
	ResponseMinutes int      `json:"response_minutes"`
	Sites           bool     `json:"sites"`
	Languages       []string `json:"languages"`
}

// Languages are the console's own label languages, in the selector's order.
var Languages = []string{"en", "de", "pt", "da", "sv"}

func (h *handler) index(w http.ResponseWriter, r *http.Request) {
	cfg, err := json.Marshal(pageConfig{APIBase: strings.TrimRight(h.opts.APIBase, "/"), TileURL: h.opts.TileURL,
		TileAttribution: h.opts.TileAttribution, ResponseMinutes: h.responseMinutes(), Sites: h.opts.Sites != nil,
		Languages: Languages})
	if err != nil {
		problem(w, r, err)
		return
	}
	var b bytes.Buffer
	err = indexTmpl.Execute(&b, struct {
		Config string
		V      string
	}{string(cfg), h.assetTag})
	if err != nil {
		problem(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

func (h *handler) responseMinutes() int {
	if h.opts.ResponseTime > 0 {
		return int(h.opts.ResponseTime / time.Minute)
	}
	return 45
}

// site is GET /console/sites/{id}: the name and position of one site.
func (h *handler) site(w http.ResponseWriter, r *http.Request) {
	if h.opts.Sites == nil {
		problem(w, r, roadcover.Errorf(roadcover.CodeNotFound, "this console was started without a service network"))
		return
	}
	s, ok := h.opts.Sites.Site(r.PathValue("id"))
	if !ok {
		problem(w, r, roadcover.Errorf(roadcover.CodeNotFound, "no such site: "+r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": s.ID, "kind": s.Kind, "name": s.Name, "address": s.Address,
		"country": s.Country, "position": s.Point, "sample": s.Sample})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "console: encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// problem writes err as an RFC 9457 problem document.
func problem(w http.ResponseWriter, r *http.Request, err error) {
	p := roadcover.ProblemFor(err)
	p.Instance = r.URL.Path
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="roadcover"`)
	}
	b, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// secure adds the headers every console response carries.
func secure(csp string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows the console's own scripts, the API origin and
// the tile server's images, nothing else.
func contentSecurityPolicy(o Options) string {
	connect := "'self'"
	if o.APIBase != "" {
		connect += " " + originOf(o.APIBase)
	}
	img := "'self' data:"
	if o.TileURL != "" {
		img += " " + originOf(o.TileURL)
	}
	img += " blob:" // receipt images fetched with the token (receipts.js)
	return "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src " + img +
		"; connect-src " + connect + "; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// originOf returns scheme://host of a URL template, with a {s}-style
// subdomain placeholder turned into a wildcard.
func originOf(raw string) string {
	host := hostOf(raw)
	scheme := "https"
	if u, err := url.Parse(strings.NewReplacer("{", "", "}", "").Replace(raw)); err == nil && u.Scheme != "" {
		scheme = u.Scheme
	}
	return scheme + "://" + host
}

func hostOf(raw string) string {
	rest := raw
	if _, after, ok := strings.Cut(raw, "://"); ok {
		rest = after
	}
	host, _, _ := strings.Cut(rest, "/")
	for strings.Contains(host, "{") {
		i := strings.Index(host, "{")
		j := strings.Index(host[i:], "}")
		if j < 0 {
			break
		}
		host = host[:i] + "*" + host[i+j+1:]
	}
	return host
}

// cacheAssets lets browsers keep assets; index.html names them with a
// version query that changes with their content.
func cacheAssets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		next.ServeHTTP(w, r)
	})
}

// assetVersion is a short hash over every embedded asset.
func assetVersion(fsys fs.FS) string {
	h := sha256.New()
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
