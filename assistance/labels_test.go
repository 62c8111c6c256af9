package assistance

import (
	"bytes"
	"strings"
	"testing"

	"roadcover"
)

// TestTextLabels checks that the text summary names every entitlement,
// destination, choose-one group, kind of day, never-paid item and missing
// item of every case by a label in each of the five languages, not by its code.
func TestTextLabels(t *testing.T) {
	for _, c := range loadCases(t) {
		if _, isErr := c.Expect["error"]; isErr {
			continue
		}
		env := Env{}
		if c.Env != nil {
			env = c.Env.env()
		}
		cs, err := Decode(c.Input, env)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		for _, l := range roadcover.Languages {
			d, err := Decide(cs, env, l)
			if err != nil {
				t.Fatalf("%s: %v", c.path, err)
			}
			var codes []string
			for _, e := range d.Details() {
				codes = append(codes, e.Code)
				if e.Destination != "" {
					codes = append(codes, "tow:"+e.Destination)
				}
				if e.ChooseOne != "" {
					codes = append(codes, e.ChooseOne)
				}
				if e.DayKind != "" {
					codes = append(codes, e.DayKind, e.DayKind+"1")
				}
			}
			codes = append(codes, d.NotCovered...)
			codes = append(codes, d.MissingInformation...)
			var buf bytes.Buffer
			if err := d.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, code := range codes {
				lb, ok := codeLabels[code]
				if !ok || lb[l] == "" {
					t.Errorf("%s: no %s label for %s", c.path, l, code)
				}
				if strings.Contains(code, "_") && strings.Contains(out, code) {
					t.Errorf("%s: the %s text shows the code %s", c.path, l, code)
				}
			}
		}
	}
}
