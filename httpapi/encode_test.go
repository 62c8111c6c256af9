package httpapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"roadcover/assistance"
	"roadcover/store"
)

// sameJSON fails unless a and b are equal JSON documents.
func sameJSON(t *testing.T, what string, a, b []byte) {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, b)
	}
	if !reflect.DeepEqual(va, vb) {
		t.Errorf("%s differs:\n got %s\nwant %s", what, a, b)
	}
}

// The hand-written encoders of the case-creation path say what
// encoding/json says.
func TestCaseEncodersMatchEncodingJSON(t *testing.T) {
	out, err := decideJSON([]byte(sampleCase), "", assistance.Env{})
	if err != nil {
		t.Fatal(err)
	}
	d, ents, err := readDecisionViews(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) == 0 {
		t.Fatal("the sample case has no entitlements")
	}
	want, err := json.Marshal(decisionSummary(d, ents, out))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "decided event", decidedEvent(d, ents, out), want)

	facts := []byte(`{"a":"x<&>\"\u00e9","b":[1,2]}`)
	for _, tc := range []struct {
		intake []byte
		filled []string
	}{{nil, nil}, {[]byte(`{"vin": "LPSVSEDEEML000001", "activation": "app"}`), []string{"vehicle.vin", "a\"b"}}} {
		m := map[string]any{"facts": json.RawMessage(facts)}
		if tc.intake != nil {
			m["intake"] = json.RawMessage(tc.intake)
		}
		if len(tc.filled) > 0 {
			m["filled_from_intake"] = tc.filled
		}
		want, _ := json.Marshal(m)
		sameJSON(t, "created event", createdEvent(facts, tc.intake, tc.filled), want)

		now := time.Date(2026, 7, 1, 8, 5, 0, 123456000, time.UTC)
		c := store.Case{ID: "c-1", Status: StatusOpen, Facts: facts, Intake: tc.intake, Decision: out,
			TermsID: d.Terms.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		doc := caseDocOf(c, d, nil, nil)
		rp, err := caseReply(201, doc, true)
		if err != nil {
			t.Fatal(err)
		}
		got := newCaseReply(doc)
		sameJSON(t, "new case", got.body, rp.body)
		if got.status != rp.status || !reflect.DeepEqual(got.header, rp.header) {
			t.Errorf("new case: %d %v, want %d %v", got.status, got.header, rp.status, rp.header)
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\t", "<&>", "é", "\u2028", "\xff"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}

// TestDecideViews holds decideViews to decideJSON and readDecisionViews
// over every assistance case file, in the case's language and in English.
func TestDecideViews(t *testing.T) {
	files, err := filepath.Glob("../assistance/testdata/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	decided := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tc struct {
			Input json.RawMessage `json:"input"`
		}
		if json.Unmarshal(b, &tc) != nil || tc.Input == nil {
			continue
		}
		for _, lang := range []string{"", "en", "xx"} {
			want, wantErr := decideJSON(tc.Input, lang, assistance.Env{})
			got, d, ents, err := decideViews(tc.Input, lang, assistance.Env{})
			if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
				t.Fatalf("%s %q: error %v, want %v", f, lang, err, wantErr)
			}
			if err != nil {
				continue
			}
			decided++
			if string(got) != string(want) {
				t.Fatalf("%s %q: document differs", f, lang)
			}
			wd, wents, err := readDecisionViews(want)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(d, wd) || !reflect.DeepEqual(ents, wents) {
				t.Fatalf("%s %q: views\n got %+v %+v\nwant %+v %+v", f, lang, d, ents, wd, wents)
			}
		}
	}
	if decided < len(files) {
		t.Errorf("only %d decisions from %d case files", decided, len(files))
	}
}

// scanDecision agrees with readDecisionViews on documents the engine does
// not write but JSON allows, and refuses what is not JSON.
func TestScanDecision(t *testing.T) {
	for _, doc := range []string{
		`{}`,
		` { "covered" : true , "terms" : { "market": "DE", "id" : "t\u0031" } } `,
		`{"terms": null, "language": null, "covered": null, "missing_information": null, "entitlements": null}`,
		`{"missing_information": ["a", "b\"c"], "entitlements": [{"code": "tow", "limit": {"amount": "1.00", "n": [1, -2.5e3, true, null, {}]}, "clause": "1.2", "choose_one": "x"}, {}, null]}`,
		`{"covered": false, "covered": true, "language": "de", "extra": [[[]]], "n": 0}`,
		`{"entitlements": [], "missing_information": []}`,
		`{"te\u0072ms": {"id": "escaped key"}}`,
	} {
		wd, wents, werr := readDecisionViews([]byte(doc))
		d, ents, err := scanDecision([]byte(doc))
		if werr != nil || err != nil {
			t.Fatalf("%s: %v / %v", doc, err, werr)
		}
		if !reflect.DeepEqual(d, wd) || !reflect.DeepEqual(ents, wents) {
			t.Errorf("%s:\n got %+v %+v\nwant %+v %+v", doc, d, ents, wd, wents)
		}
	}
	for _, doc := range []string{``, `[]`, `{`, `{"covered": tru}`, `{"covered": 1}`, `{"a": 01}`, `{"a": "x}`,
		`{"a": 1,}`, `{"a" 1}`, `{} {}`, `{"terms": {"id": 5}}`, `{"entitlements": [1]}`} {
		if _, _, err := scanDecision([]byte(doc)); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
}

func BenchmarkScanDecision(b *testing.B) {
	out, err := decideJSON([]byte(sampleCase), "", assistance.Env{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			scanDecision(out)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			readDecisionViews(out)
		}
	})
}
