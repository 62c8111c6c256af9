package cli

import (
	"path/filepath"
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

// TestListsRefuseStrayArguments: a listing command given a flag it does not
// know or an argument it does not read says so and exits 2, rather than
// listing as if it had been asked right.
func TestListsRefuseStrayArguments(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lists.db")
	for _, args := range [][]string{
		{"terms", "list", "--nope"},
		{"terms", "list", "extra"},
		{"tokens", "list", "--db", db, "extra"},
		{"partners", "list", "--db", db, "extra"},
	} {
		code, out, stderr := mainOut(t, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, "nope") && !strings.Contains(stderr, "extra") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
	if code, out, _ := mainOut(t, "terms", "list"); code != 0 || !strings.Contains(out, "assistance-gb-2022") {
		t.Errorf("terms list: exit %d\n%s", code, out)
	}
}
