package jsonin

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"roadcover"
)

// readAll reads every member of o, and of the objects and arrays in it,
// with the reader that fits its type, as a caller that knows the schema
// would; it returns nothing, the errors are in o.Errs.
func readAll(o *Obj) {
	if o.Null {
		return
	}
	for _, m := range o.members {
		name := o.doc.name(m.node)
		switch o.doc.nodes[m.node].kind {
		case kindObject:
			readAll(o.Object(name))
		case kindArray:
			l := o.List(name)
			for i := 0; i < l.Len(); i++ {
				readElem(l, i)
			}
		case kindString:
			o.String(name)
		case kindNumber:
			o.Float(name)
		case kindTrue, kindFalse:
			o.Bool(name)
		default:
			o.Skip(name)
		}
	}
	o.Done()
}

func readElem(l *List, i int) {
	switch l.doc.nodes[l.elems[i]].kind {
	case kindObject:
		readAll(l.Object(i))
	case kindArray:
		c := l.List(i)
		for j := 0; j < c.Len(); j++ {
			readElem(c, j)
		}
	case kindString:
		l.String(i)
	case kindNumber:
		l.Float(i)
	case kindTrue, kindFalse:
		l.Bool(i)
	}
}

// TestStrictness names, for each rule, a body and the field it must name
// (with a word of the detail); "" means the body is accepted.
func TestStrictness(t *testing.T) {
	deep := func(n int) string { return strings.Repeat(`{"a":`, n-1) + `{}` + strings.Repeat(`}`, n-1) }
	many := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":%d`, i, i)
		}
		return b.String()
	}
	cases := []struct {
		rule, body, field, word string
	}{
		{"plain object", `{"a":1,"b":"x","c":[1,{"d":null}],"e":true}`, "", ""},
		{"white space after the body", "{\"a\":1}\n\t \r", "", ""},
		{"a second closing brace", `{"a":1}}`, "body", "bytes follow"},
		{"a second value", `{"a":1} {"b":2}`, "body", "bytes follow"},
		{"garbage after the body", `{"a":1}x`, "body", "bytes follow"},
		{"an array body", `[1]`, "body", "not one JSON object"},
		{"a null body", `null`, "body", "not one JSON object"},
		{"an empty body", ` `, "body", "empty"},
		{"a byte order mark", "\xef\xbb\xbf{}", "body", "not one JSON object"},
		{"an unclosed object", `{"a":1`, "body", "ends too early"},
		{"a trailing comma", `{"a":1,}`, "body", "member name"},
		{"a single-quoted name", `{'a':1}`, "body", "member name"},
		{"a bare word", `{"a":yes}`, "body", "unexpected"},
		{"a plus sign", `{"a":+1}`, "body", "unexpected"},
		{"a leading zero", `{"n":01}`, "n", "leading zero"},
		{"a negative leading zero", `{"n":-007.5}`, "n", "leading zero"},
		{"zero and a fraction", `{"n":0.5,"m":-0,"e":1e-3}`, "", ""},
		{"a point without digits", `{"n":1.}`, "n", "not a JSON number"},
		{"an exponent without digits", `{"n":1e+}`, "n", "not a JSON number"},
		{"a minus alone", `{"n":-}`, "n", "not a JSON number"},
		{"two points", `{"n":1.2.3}`, "n", "not a JSON number"},
		{"a number too large", `{"n":1e400}`, "n", "out of range"},
		{"a negative number too large", `{"n":-2e308}`, "n", "out of range"},
		{"a number too small to tell from zero", `{"n":1e-400}`, "", ""},
		{"invalid UTF-8", "{\"s\":\"a\xffb\"}", "s", "UTF-8"},
		{"a cut UTF-8 sequence", "{\"s\":\"\xc3\"}", "s", "UTF-8"},
		{"an encoded surrogate", "{\"s\":\"\xed\xa0\x80\"}", "s", "UTF-8"},
		{"a raw NUL", "{\"s\":\"a\x00b\"}", "s", "NUL"},
		{"an escaped NUL", `{"s":"a\u0000b"}`, "s", "NUL"},
		{"a raw control character", "{\"s\":\"a\tb\"}", "s", "control character"},
		{"escaped control characters", `{"s":"a\tb\n\u0001"}`, "", ""},
		{"a lone high surrogate", `{"s":"\ud800x"}`, "s", "surrogate"},
		{"a lone low surrogate", `{"s":"\udc00"}`, "s", "surrogate"},
		{"a surrogate pair", `{"s":"\ud83d\ude97"}`, "", ""},
		{"an unknown escape", `{"s":"\x41"}`, "s", "escape"},
		{"a short \\u escape", `{"s":"\u12"}`, "s", "\\u escape"},
		{"an unclosed string", `{"s":"abc}`, "body", "not closed"},
		{"a name given twice", `{"a":1,"b":2,"a":3}`, "a", "more than once"},
		{"a name given twice, once escaped", `{"a":1,"\u0061":2}`, "a", "more than once"},
		{"a name given twice in a nested object", `{"o":{"x":1,"x":1}}`, "o.x", "more than once"},
		{"a name given twice in an object in an array", `{"l":[{},{"x":1,"x":1}]}`, "l.1.x", "more than once"},
		{"a name given twice in a large object", many(40) + `,"k3":1}`, "k3", "more than once"},
		{"the same name in two objects", `{"a":{"x":1},"b":{"x":1}}`, "", ""},
		{"a name that is not UTF-8", "{\"a\xff\":1}", "a\xff", "member name"},
		{"a name with a NUL", `{"a\u0000":1}`, `a\u0000`, "member name"},
		{"64 levels", deep(64), "", ""},
		{"65 levels", deep(65), "body", "deeper than 64"},
		{"100 000 members", many(100000) + "}", "", ""},
		{"100 001 members", many(100001) + "}", "body", "more than 100000"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			var errs roadcover.InputError
			readAll(Parse([]byte(c.body), &errs))
			if c.field == "" {
				if err := errs.Err(); err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if len(errs.Errors) != 1 || errs.Errors[0].Field != c.field || !strings.Contains(errs.Errors[0].Detail, c.word) {
				t.Fatalf("want one error on %q with %q, got %v", c.field, c.word, errs.Errors)
			}
		})
	}
}

func TestEmptyEnumIsRefused(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"kind":"","cause":"hail"}`), &errs)
	if _, ok := o.Enum("kind", "breakdown", "accident"); ok {
		t.Fatal("empty enum accepted")
	}
	if _, ok := o.Enum("cause", "none"); ok {
		t.Fatal("unknown enum accepted")
	}
	o.Done()
	errs.Err()
	if fields(&errs) != "cause,kind" || !strings.Contains(errs.Errors[1].Detail, "may not be empty") ||
		!strings.Contains(errs.Errors[0].Detail, `"hail"`) {
		t.Fatalf("%v", errs.Errors)
	}
}

func TestMoneyIsStrict(t *testing.T) {
	good := map[string]int64{`"1500"`: 150000, `"1500.5"`: 150050, `"0.05"`: 5, `1500.25`: 150025, `0`: 0, `"0"`: 0}
	for raw, want := range good {
		var errs roadcover.InputError
		if v, ok := Parse([]byte(`{"m":`+raw+`}`), &errs).Money("m"); !ok || v != want || errs.Err() != nil {
			t.Errorf("%s: %d %v %v", raw, v, ok, errs.Errors)
		}
	}
	for _, raw := range []string{`"0100"`, `"00.50"`, `" 15"`, `"1.234"`, `"1e3"`, `1e3`, `"+5"`, `"-1"`, `-1`, `"12."`,
		`".5"`, `""`, `true`, `{}`, `"1234567890123456"`} {
		var errs roadcover.InputError
		if v, ok := Parse([]byte(`{"m":`+raw+`}`), &errs).Money("m"); ok || len(errs.Errors) != 1 || errs.Errors[0].Field != "m" {
			t.Errorf("%s: accepted as %d or not named: %v", raw, v, errs.Errors)
		}
	}
}

func TestNumbersInRange(t *testing.T) {
	body := `{"lat":91,"lon":-180,"h":360,"n":5,"big":9007199254740993,"max":9007199254740992,
		"e":1e2,"half":2.5,"huge":1.8e305}`
	var errs roadcover.InputError
	o := Parse([]byte(body), &errs)
	if _, ok := o.FloatIn("lat", -90, 90); ok {
		t.Error("lat 91 accepted")
	}
	if v, ok := o.FloatIn("lon", -180, 180); !ok || v != -180 {
		t.Error("lon -180 refused")
	}
	if _, ok := o.IntIn("h", 0, 359); ok {
		t.Error("h 360 accepted")
	}
	if v, ok := o.IntIn("n", 1, 720); !ok || v != 5 {
		t.Error("n 5 refused")
	}
	if _, ok := o.Int("big"); ok {
		t.Error("2^53+1 accepted")
	}
	if v, ok := o.Int("max"); !ok || v != 1<<53 {
		t.Error("2^53 refused")
	}
	if v, ok := o.Int("e"); !ok || v != 100 {
		t.Error("1e2 refused")
	}
	if _, ok := o.Int("half"); ok {
		t.Error("2.5 accepted as a whole number")
	}
	if _, ok := o.FloatIn("huge", -1e9, 1e9); ok {
		t.Error("1.8e305 accepted within ±1e9")
	}
	o.Done()
	errs.Err()
	want := map[string]string{"lat": "from -90 to 90", "h": "from 0 to 359", "big": "9007199254740992",
		"half": "whole number", "huge": "from -1e+09 to 1e+09"}
	if len(errs.Errors) != len(want) {
		t.Fatalf("%v", errs.Errors)
	}
	for _, e := range errs.Errors {
		if !strings.Contains(e.Detail, want[e.Field]) {
			t.Errorf("%s: %q lacks %q", e.Field, e.Detail, want[e.Field])
		}
	}
}

// TestIndexErrorsTakeThePath: a field refused while indexing is named with
// the Path given to the root right after Parse, as a reader of a sub-document does.
func TestIndexErrorsTakeThePath(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"caller":{"name":"a\u0000"},"n":01}`), &errs)
	o.Path = "intake"
	c := o.Object("caller")
	if _, ok := c.String("name"); ok {
		t.Fatal("a refused string read as a value")
	}
	c.Done()
	o.Float("n")
	o.Done()
	if fields(&errs) != "intake.caller.name,intake.n" {
		t.Fatalf("%v", errs.Errors)
	}
}

func TestLimits(t *testing.T) {
	var errs roadcover.InputError
	o := ParseContext(context.Background(), []byte(`{"a":[1,2,3,4]}`), &errs, Limits{MaxMembers: 3})
	if !o.Null || fields(&errs) != "body" || !strings.Contains(errs.Errors[0].Detail, "a holds more than 3") {
		t.Fatalf("members: %v", errs.Errors)
	}
	errs = roadcover.InputError{}
	o = ParseContext(context.Background(), []byte(`{"a":{"b":[{}]}}`), &errs, Limits{MaxDepth: 3})
	if !o.Null || !strings.Contains(errs.Errors[0].Detail, "a.b.0 nests") {
		t.Fatalf("depth: %v", errs.Errors)
	}
	errs = roadcover.InputError{}
	o = ParseContext(context.Background(), []byte(`{"a":"0123456789"}`), &errs, Limits{MaxBytes: 10})
	if !o.Null || errs.Code != roadcover.CodeTooLarge || roadcover.ProblemFor(&errs).Status != 413 {
		t.Fatalf("bytes: %v %s", errs.Errors, errs.Code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs = roadcover.InputError{}
	o = ParseContext(ctx, []byte(`{"a":1}`), &errs, Limits{})
	if !o.Null || !strings.Contains(errs.Errors[0].Detail, "canceled") {
		t.Fatalf("context: %v", errs.Errors)
	}
}

func TestReadersOfLists(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"l":["a",1,"2.50",{"x":true},null,[1]],"raw":{"k" : [1, 2]}}`), &errs)
	l := o.List("l")
	if l.Len() != 6 {
		t.Fatalf("len %d", l.Len())
	}
	if s, ok := l.String(0); !ok || s != "a" {
		t.Error("string")
	}
	if v, ok := l.Int(1); !ok || v != 1 {
		t.Error("int")
	}
	if v, ok := l.Money(2); !ok || v != 250 {
		t.Error("money")
	}
	if b, ok := l.Object(3).Bool("x"); !ok || !b {
		t.Error("object")
	}
	if _, ok := l.String(4); ok {
		t.Error("null read as a string")
	}
	if v, ok := l.List(5).Float(0); !ok || v != 1 {
		t.Error("list")
	}
	if b, ok := o.Raw("raw"); !ok || string(b) != `{"k" : [1, 2]}` {
		t.Errorf("raw %q", b)
	}
	o.Done()
	if fields(&errs) != "l.4" {
		t.Fatalf("%v", errs.Errors)
	}
}

func TestObjectAtFromArray(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"l":[{"a":1},{"a":"x"},3]}`), &errs)
	items, _ := o.Array("l")
	for i, it := range items {
		c := o.ObjectAt("l", i, it)
		c.Int("a")
		c.Done()
	}
	// An element that did not come from Array is read on its own.
	c := o.ObjectAt("m", 0, []byte(`{"b":01}`))
	c.Float("b")
	c.Done()
	o.Done()
	if fields(&errs) != "l.1.a,l.2,m.0.b" {
		t.Fatalf("%v", errs.Errors)
	}
}

// TestQuotedValuesAreShort: a detail quoting a long value quotes at most
// MaxQuoteLen bytes of it, and a long name is cut in its path.
func TestQuotedValuesAreShort(t *testing.T) {
	long := strings.Repeat("é", 100000)
	var errs roadcover.InputError
	o := Parse([]byte(`{"kind":"`+long+`","`+long+`":1}`), &errs)
	o.Enum("kind", "breakdown")
	o.Done()
	for _, e := range errs.Errors {
		if len(e.Field) > roadcover.MaxQuoteLen || len(e.Detail) > 2*roadcover.MaxQuoteLen+40 {
			t.Fatalf("long: %d %d", len(e.Field), len(e.Detail))
		}
	}
}

// TestIndexErrorsWithoutReads: a caller that only asks Has and skips the
// field still gets the field's error.
func TestIndexErrorsWithoutReads(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"a":"\u0000","b":1}`), &errs)
	if !o.Has("a") {
		t.Fatal("a is present")
	}
	o.Skip("a", "b")
	if fields(&errs) != "a" {
		t.Fatalf("%v", errs.Errors)
	}
}
