package jsondoc

import (
	"encoding/json"
	"testing"
	"time"

	"roadcover"
	"roadcover/jsonin"
)

func TestWriterWritesWhatEncodingJSONReads(t *testing.T) {
	var w Writer
	w.Obj("").Str("s", "a\"<b>").Int("n", -3).Bool("b", true).Null("z").Money("m", roadcover.Money{Minor: 150050, Currency: "SEK"}).
		Date("d", roadcover.Date{Year: 2026, Month: 3, Day: 9}).Date("nd", roadcover.Date{}).
		Time("t", time.Date(2026, 3, 9, 14, 5, 0, 0, time.FixedZone("CET", 3600))).Strs("l", nil).StrOrNull("e", "").
		Raw("r", []byte(`{"x":[1,2]}`))
	w.Arr("a").Obj("").Int("i", 1).End().Obj("").End().Arr("").End().End()
	w.End()
	var got map[string]any
	if err := json.Unmarshal(w.B, &got); err != nil {
		t.Fatalf("%v: %s", err, w.B)
	}
	want := `{"s":"a\"\u003cb\u003e","n":-3,"b":true,"z":null,"m":"1500.50","d":"2026-03-09","nd":null,"t":"2026-03-09T14:05:00+01:00","l":[],"e":null,"r":{"x":[1,2]},"a":[{"i":1},{},[]]}`
	if string(w.B) != want {
		t.Errorf("got  %s\nwant %s", w.B, want)
	}
}

func TestReadersNameEveryBadField(t *testing.T) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse([]byte(`{"d": "2026-02-30", "t": "yesterday", "m": "1,5", "p": "0", "s": " "}`), errs)
	Date(o, "d", true)
	Time(o, "t", true)
	SEK(o, "m", true)
	PositiveSEK(o, "p", true)
	Str(o, "s", true)
	Str(o, "missing", true)
	for _, f := range []string{"d", "t", "m", "p", "s", "missing"} {
		if !errs.Has(f) {
			t.Errorf("%s not named: %v", f, errs)
		}
	}
	if m := Fields([]byte(`{"a": 1}`)); string(m["a"]) != "1" {
		t.Errorf("fields: %v", m)
	}
	if c := Compact([]byte("{ \"a\" : [ 1 ] }")); string(c) != `{"a":[1]}` {
		t.Errorf("compact: %s", c)
	}
}
