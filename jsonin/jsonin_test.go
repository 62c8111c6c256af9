package jsonin

import (
	"strings"
	"testing"

	"roadcover"
)

func fields(e *roadcover.InputError) string {
	e.Err()
	var f []string
	for _, x := range e.Errors {
		f = append(f, x.Field)
	}
	return strings.Join(f, ",")
}

// TestEveryBadFieldIsNamed reads a body with several bad fields at several
// depths and expects each to be named once by its dotted path.
func TestEveryBadFieldIsNamed(t *testing.T) {
	body := `{"market":"XX","count":-1,"ratio":"high","flag":"yes","amount":"12.345",
		"nested":{"kind":"meteor","deep":{"n":1.5}},"list":[{"x":1},2],"extra":true}`
	var errs roadcover.InputError
	o := Parse([]byte(body), &errs)
	o.Enum("market", "DE", "GB")
	o.NonNegInt("count")
	o.Float("ratio")
	o.Bool("flag")
	o.Money("amount")
	n := o.Object("nested")
	n.Enum("kind", "breakdown")
	n.Object("deep").Int("n")
	n.Done()
	items, _ := o.Array("list")
	for i, raw := range items {
		o.ObjectAt("list", i, raw).Skip("x")
	}
	o.Done()
	want := "amount,count,extra,flag,list.1,market,nested.deep.n,nested.kind,ratio"
	if got := fields(&errs); got != want {
		t.Fatalf("fields\n got %s\nwant %s", got, want)
	}
}

func TestGoodValues(t *testing.T) {
	var errs roadcover.InputError
	o := Parse([]byte(`{"a":"1500.5","b":2,"c":true,"d":"x","e":null}`), &errs)
	if v, ok := o.Money("a"); !ok || v != 150050 {
		t.Errorf("money %d %v", v, ok)
	}
	if v, ok := o.Int("b"); !ok || v != 2 {
		t.Errorf("int %d %v", v, ok)
	}
	if v, ok := o.Bool("c"); !ok || !v {
		t.Errorf("bool %v %v", v, ok)
	}
	if v, ok := o.String("d"); !ok || v != "x" {
		t.Errorf("string %q %v", v, ok)
	}
	if o.Has("e") {
		t.Error("null is not present")
	}
	if _, ok := o.String("e"); ok {
		t.Error("null reads as absent")
	}
	o.Done()
	if errs.Err() != nil {
		t.Fatalf("unexpected errors: %v", errs.Err())
	}
}

func TestNotAnObject(t *testing.T) {
	for _, body := range []string{`[]`, `"x"`, `{"a":1} {"b":2}`, `{`} {
		var errs roadcover.InputError
		Parse([]byte(body), &errs)
		if fields(&errs) != "body" {
			t.Errorf("%s: %v", body, errs.Errors)
		}
	}
}
