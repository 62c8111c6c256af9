package cli

import (
	"strings"
	"testing"
)

// TestExitCodes: usage mistakes and bad input are 2, asking for help is 0,
// and nothing goes to standard output on an error.
func TestExitCodes(t *testing.T) {
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"no command", "", nil, 0},
		{"unknown command", "", []string{"frobnicate"}, 2},
		{"unknown flag", "", []string{"assist", "decide", "--bogus"}, 2},
		{"bad flag value", "", []string{"sites", "nearest", "-n", "many"}, 2},
		{"help", "", []string{"assist", "decide", "-h"}, 0},
		{"not JSON", "not json", []string{"assist", "decide"}, 2},
		{"not JSON, claim", "[1]", []string{"claim", "settle"}, 2},
		{"missing file", "", []string{"assist", "decide", "/nonexistent/case.json"}, 1},
	} {
		code, stdout, stderr := run(t, c.stdin, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d (%s)", c.name, code, c.code, stderr)
		}
		if c.code != 0 && stdout != "" {
			t.Errorf("%s: standard output must stay empty, got %q", c.name, stdout)
		}
	}
}

// TestBodyThatIsNotAnObject names only the body, not every field it lacks.
func TestBodyThatIsNotAnObject(t *testing.T) {
	for _, cmd := range [][]string{{"assist", "decide"}, {"claim", "settle"}} {
		_, _, stderr := run(t, "not json", cmd...)
		if !strings.Contains(stderr, `"field": "body"`) || strings.Contains(stderr, `"field": "market"`) {
			t.Errorf("%v: %s", cmd, stderr)
		}
	}
}
