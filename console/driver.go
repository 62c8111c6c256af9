package console

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"roadcover"
	"roadcover/assistance"
	"roadcover/desk"
)

// The driver's page: what a driver sees at a tracking link, phone first.
// The API serves it at GET /v1/track/{token} to a browser that asks for
// HTML (Driver.Serve); the page is complete as the server writes it, and
// its script (assets/driver.js) keeps it live from the link's event
// stream, draws the map and sends the driver's choice, position and
// receipts to the API. Its texts are ours, in the five languages
// (driver-i18n.json); the decision's texts come from the stored decision.

//go:embed driver.html
var driverHTML string

//go:embed driver-i18n.json
var driverTextsJSON []byte

// DeskPhoneEnv names the environment variable of the desk's phone number.
const DeskPhoneEnv = "ROADCOVER_DESK_PHONE"

// SampleDeskPhone is the desk's number when none is configured: a sample
// in a range no country allocates, so that nobody is called by mistake.
const SampleDeskPhone = "+44 000 000 0000"

// DriverTexts are the page's own texts by language and key.
var DriverTexts = func() map[string]map[string]string {
	var m map[string]map[string]string
	if err := json.Unmarshal(driverTextsJSON, &m); err != nil {
		panic("console: driver-i18n.json: " + err.Error()) // embedded; a test reads it too
	}
	return m
}()

// DriverLanguages are the page's languages in the switch's order, with the
// tag each is written in.
var DriverLanguages = []struct{ Code, Tag, Name string }{
	{"en", "en", "English"}, {"de", "de", "Deutsch"}, {"pt", "pt-PT", "Português"}, {"da", "da", "Dansk"}, {"sv", "sv", "Svenska"},
}

// Driver renders the driver's page.
type Driver struct {
	tmpl      *template.Template
	csp       string
	deskPhone string
	tileURL   string
	tileAttr  string
}

// DriverOptions configure the driver's page.
type DriverOptions struct {
	// DeskPhone is the desk's number the page offers to call; empty means
	// the environment's ROADCOVER_DESK_PHONE, else SampleDeskPhone.
	DeskPhone string
	// TileURL and TileAttribution as in Options (empty: the environment's
	// ROADCOVER_TILE_URL, else the embedded country borders).
	TileURL, TileAttribution string
}

// NewDriver prepares the driver's page.
func NewDriver(o DriverOptions) *Driver {
	if o.DeskPhone == "" {
		o.DeskPhone = os.Getenv(DeskPhoneEnv)
	}
	if o.DeskPhone == "" {
		o.DeskPhone = SampleDeskPhone
	}
	if o.TileURL == "" {
		o.TileURL = os.Getenv(TileEnv)
	}
	if o.TileAttribution == "" && o.TileURL != "" {
		o.TileAttribution = "Map tiles: " + hostOf(o.TileURL)
	}
	d := &Driver{deskPhone: o.DeskPhone, tileURL: o.TileURL, tileAttr: o.TileAttribution}
	d.csp = contentSecurityPolicy(Options{TileURL: o.TileURL})
	d.tmpl = template.Must(template.New("driver").Funcs(template.FuncMap{
		"tel": func(s string) template.URL { return template.URL("tel:" + telDigits(s)) },
		"tf":  fillText,
	}).Parse(driverHTML))
	return d
}

// DeskPhone is the number the page offers to call.
func (d *Driver) DeskPhone() string { return d.deskPhone }

// telDigits is a phone number as a tel: URI wants it: "+" and digits.
func telDigits(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DriverPage is one rendering of the page: the view of the link in its
// language at a moment, or nil for a link that no longer works.
type DriverPage struct {
	View *desk.DriverView
	// Lang is the page's language when View is nil (else the view's).
	Lang roadcover.Language
	Now  time.Time
}

var assetTag = sync.OnceValue(func() string {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return ""
	}
	return assetVersion(sub)
})

// Serve writes the page with status (200, or 404 for a link that no longer
// works).
func (d *Driver) Serve(w http.ResponseWriter, status int, p DriverPage) {
	data, err := d.data(p)
	var b bytes.Buffer
	if err == nil {
		err = d.tmpl.Execute(&b, data)
	}
	if err != nil {
		http.Error(w, "console: driver page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", d.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// pageData is what driver.html reads.
type pageData struct {
	Lang, HTMLLang string
	T              map[string]string
	Languages      []langLink
	V              string // asset version
	Gone           bool
	DeskPhone      string
	Config         string // JSON for the script
	Expires        timeText
	Steps          []step
	Failure        string
	ETA            etaBlock
	Who            []who
	Covered        bool
	Entitlements   []entitlement
	Offers         []offer
	Chosen         string
	Categories     []option
	Currencies     []string
	Today          string
}

type langLink struct {
	Code, Tag, Name string
	Current         bool
}

// timeText is an instant as the page writes it: the script shows it in the
// phone's own time zone; without the script it reads in UTC.
type timeText struct {
	ISO, Text string
}

func timeOf(t *time.Time) timeText {
	if t == nil || t.IsZero() {
		return timeText{}
	}
	u := t.UTC()
	return timeText{ISO: u.Format(time.RFC3339), Text: u.Format("15:04") + " UTC"}
}

type step struct {
	Key, Label string
	At         timeText
	State      string // done, current, todo, failed
}

type etaBlock struct {
	At, Updated timeText
	Minutes     int
	Due         bool
	Arrived     bool
}

type who struct {
	Job, Partner, Phone, Truck, Plate string
}

// entitlement is a line of what the driver is entitled to; Site names the
// workshop it goes to, with its distance in whole kilometres.
type entitlement struct{ Text, Site, Clause string }

type offer struct{ Code, Label, Text string }

type option struct{ Code, Label string }

// MainJob is the job the page's steps follow: the first still under way,
// else the last one; -1 when there is none.
func MainJob(v *desk.DriverView) int {
	for i, j := range v.Jobs {
		if desk.JobOpen(j.Status) {
			return i
		}
	}
	return len(v.Jobs) - 1
}

func (d *Driver) data(p DriverPage) (pageData, error) {
	lang := string(p.Lang)
	if p.View != nil {
		lang = string(p.View.Language)
	}
	texts, ok := DriverTexts[lang]
	if !ok {
		lang, texts = "en", DriverTexts["en"]
	}
	pd := pageData{Lang: lang, T: texts, V: assetTag(), DeskPhone: d.deskPhone, Gone: p.View == nil,
		Currencies: []string{"EUR", "GBP", "DKK", "SEK", "NOK", "CHF", "PLN", "CZK"}, Today: p.Now.UTC().Format("2006-01-02")}
	for _, l := range DriverLanguages {
		pd.Languages = append(pd.Languages, langLink{Code: l.Code, Tag: l.Tag, Name: l.Name, Current: l.Code == lang})
		if l.Code == lang {
			pd.HTMLLang = l.Tag
		}
	}
	for _, c := range []string{"hotel", "onward_travel", "rental_car", "taxi", "expenses_abroad", "local_rental"} {
		pd.Categories = append(pd.Categories, option{Code: c, Label: texts["category."+c]})
	}
	cfg := map[string]any{"lang": pd.HTMLLang, "texts": texts, "desk_phone": d.deskPhone,
		"tile_url": d.tileURL, "tile_attribution": d.tileAttr, "leaflet_css": "/console/assets/vendor/leaflet/leaflet.css?v=" + pd.V}
	if v := p.View; v != nil {
		cfg["view"] = json.RawMessage(v.AppendJSON(nil))
		d.fill(&pd, v, p.Now)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		return pd, fmt.Errorf("console: driver page config: %w", err)
	}
	pd.Config = string(b)
	return pd, nil
}

func (d *Driver) fill(pd *pageData, v *desk.DriverView, now time.Time) {
	t := pd.T
	pd.Expires = timeOf(&v.ExpiresAt)
	reported := v.ReportedAt
	pd.Steps = []step{{Key: "reported", Label: t["step.reported"], At: timeOf(&reported), State: "done"}}
	m := MainJob(v)
	keys := []string{"booked", "en_route", "arrived", "done"}
	if m >= 0 {
		j := v.Jobs[m]
		booked := j.BookedAt
		ats := []*time.Time{&booked, j.EnRouteAt, j.ArrivedAt, j.DoneAt}
		for i, k := range keys {
			s := step{Key: k, Label: t["step."+k], At: timeOf(ats[i]), State: "todo"}
			if ats[i] != nil {
				s.State = "done"
			}
			pd.Steps = append(pd.Steps, s)
		}
		if j.Status == desk.JobFailed {
			last := &pd.Steps[len(pd.Steps)-1]
			last.Label, last.State = t["step.failed"], "failed"
			pd.Failure = t["failure."+j.Failure]
		}
		switch {
		case j.Status == desk.JobArrived:
			pd.ETA.Arrived = true
		case v.ETA != nil:
			pd.ETA.At = timeOf(v.ETA)
			pd.ETA.Updated = timeOf(j.ETAUpdatedAt)
			mins := int(v.ETA.Sub(now).Round(time.Minute) / time.Minute)
			pd.ETA.Minutes, pd.ETA.Due = mins, mins <= 1
		}
	} else {
		for _, k := range keys {
			pd.Steps = append(pd.Steps, step{Key: k, Label: t["step."+k], State: "todo"})
		}
	}
	for i := len(pd.Steps) - 1; i >= 0; i-- {
		if pd.Steps[i].State == "done" {
			if i < len(pd.Steps)-1 {
				pd.Steps[i].State = "current"
			}
			break
		}
	}
	for i, j := range v.Jobs {
		if desk.JobOpen(j.Status) || i == m {
			w := who{Job: t["job."+j.Kind], Partner: j.Partner, Phone: j.Phone, Plate: j.Plate}
			if j.Truck != "" {
				w.Truck = t["truck."+j.Truck]
			}
			pd.Who = append(pd.Who, w)
		}
	}
	pd.Covered = v.Covered
	for _, e := range v.Entitlements {
		pd.Entitlements = append(pd.Entitlements, entitlement{Text: e.Text, Site: siteOf(e.Site, e.Regular), Clause: e.Clause})
	}
	for _, e := range v.Offers["further_assistance"] {
		pd.Offers = append(pd.Offers, offer{Code: e.Code, Label: optionLabel(t, e.Code), Text: e.Text})
	}
	for _, c := range v.Choices {
		if c.Group == "further_assistance" {
			pd.Chosen = optionLabel(t, c.Code)
		}
	}
}

func optionLabel(t map[string]string, code string) string {
	if s, ok := t["option."+code]; ok {
		return s
	}
	return code
}

// fillText is one of our texts with its {name} placeholder filled: a time
// as a <time> element, anything else as escaped text.
func fillText(text, name string, v any) template.HTML {
	var val string
	switch x := v.(type) {
	case timeText:
		val = `<time datetime="` + template.HTMLEscapeString(x.ISO) + `">` + template.HTMLEscapeString(x.Text) + `</time>`
	default:
		val = template.HTMLEscapeString(fmt.Sprint(x))
	}
	return template.HTML(strings.Replace(template.HTMLEscapeString(text), "{"+name+"}", val, 1))
}

// siteOf names the site of an entitlement (the tow's workshop, else the
// regular workshop) with its distance in whole kilometres.
func siteOf(sites ...*assistance.SiteRef) string {
	for _, s := range sites {
		if s == nil {
			continue
		}
		if s.Method == "" {
			return s.Name
		}
		return s.Name + ", " + strconv.FormatFloat(math.Round(s.Km), 'f', 0, 64) + "\u00a0km"
	}
	return ""
}
