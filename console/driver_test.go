package console

import (
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"roadcover"
)

// TestDriverTexts: every text of the driver's page is in each of the five
// languages, with the same placeholders as the English one.
func TestDriverTexts(t *testing.T) {
	placeholders := regexp.MustCompile(`\{[a-z]+\}`)
	en := DriverTexts["en"]
	if len(en) < 50 {
		t.Fatalf("only %d English texts", len(en))
	}
	var langs []string
	for _, l := range DriverLanguages {
		langs = append(langs, l.Code)
	}
	for _, l := range roadcover.Languages {
		if !slices.Contains(langs, string(l)) {
			t.Errorf("the page's switch lacks %s", l)
		}
	}
	for _, lang := range langs {
		texts, ok := DriverTexts[lang]
		if !ok {
			t.Errorf("no texts in %s", lang)
			continue
		}
		for k, v := range en {
			got, ok := texts[k]
			if !ok || strings.TrimSpace(got) == "" {
				t.Errorf("%s: no text %q", lang, k)
				continue
			}
			if a, b := placeholders.FindAllString(v, -1), placeholders.FindAllString(got, -1); !slices.Equal(a, b) {
				t.Errorf("%s %q: placeholders %v, English has %v", lang, k, b, a)
			}
		}
		for k := range texts {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: text %q has no English one", lang, k)
			}
		}
	}
}

// TestDriverGonePage: a link that no longer works is a page in the asked
// language with the desk's number, no script and the given status.
func TestDriverGonePage(t *testing.T) {
	d := NewDriver(DriverOptions{DeskPhone: "+45 00 00 00 01"})
	w := httptest.NewRecorder()
	d.Serve(w, 404, DriverPage{Lang: "da", Now: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)})
	body := w.Body.String()
	if w.Code != 404 || !strings.Contains(body, `<html lang="da">`) || !strings.Contains(body, "Dette link virker ikke længere") ||
		!strings.Contains(body, "tel:&#43;4500000001") || strings.Contains(body, "driver.js") {
		t.Fatalf("%d %s", w.Code, body)
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
}

// TestFillText: a placeholder is filled with escaped text or a time
// element; the text around it is escaped.
func TestFillText(t *testing.T) {
	if got := fillText("a < {name}", "name", "<b>"); got != "a &lt; &lt;b&gt;" {
		t.Errorf("text: %s", got)
	}
	if got := fillText("at {time}", "time", timeText{ISO: "2026-07-01T10:00:00Z", Text: "10:00 UTC"}); got != `at <time datetime="2026-07-01T10:00:00Z">10:00 UTC</time>` {
		t.Errorf("time: %s", got)
	}
	if got := telDigits("+49 (0) 711-123"); got != "+490711123" {
		t.Errorf("tel: %s", got)
	}
}
