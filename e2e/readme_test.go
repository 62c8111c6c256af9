package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"roadcover/internal/receiptimage"
)

// readmeCommands are the shell commands of README.md's sh blocks, one per
// command (continuation lines joined), without their trailing comments.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	cur := ""
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "```sh"):
			in = true
			continue
		case strings.HasPrefix(line, "```"):
			in = false
			continue
		case !in:
			continue
		}
		line = strings.TrimSpace(line)
		if strings.HasSuffix(line, `\`) {
			cur += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		cur += line
		if quoteOpen(cur) { // a quoted string goes on on the next line
			cur += "\n"
			continue
		}
		if c := strings.TrimSpace(stripComment(cur)); c != "" {
			out = append(out, c)
		}
		cur = ""
	}
	return out
}

// quoteOpen reports whether s ends inside a quoted string.
func quoteOpen(s string) bool {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return false
		}
	}
	return q != 0
}

// stripComment cuts a shell comment (a # after a blank, outside quotes).
func stripComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

// TestReadmeExamples runs every command README.md shows, as written: the
// CLI examples against a fresh store, `serve` with the flags shown, and
// the curl examples against a running server with $TOKEN an operator's
// token and $CASE a case. Each must succeed (exit 0, HTTP 2xx).
func TestReadmeExamples(t *testing.T) {
	bin := binary(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(t)
	if len(cmds) < 20 {
		t.Fatalf("found only %d commands in README.md", len(cmds))
	}
	db := filepath.Join(t.TempDir(), "readme.db")
	env := append(os.Environ(), "ROADCOVER_DB="+db, "ROADCOVER_NETWORK=", "ROADCOVER_ADDR=")

	// The server the curl examples talk to, with the files they name.
	work := t.TempDir()
	if err := os.Symlink(filepath.Join(root, "examples"), filepath.Join(work, "examples")); err != nil {
		t.Fatal(err)
	}
	img := receiptimage.Receipt([]string{"HOTEL NORD", "2 NIGHTS 2 PERSONS", "TOTAL EUR 450.00", "2026-07-03"}, 3)
	if err := os.WriteFile(filepath.Join(work, "hotel.jpg"), receiptimage.JPEG(img, 85), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := start(t, work, nil)
	admin := srv.adminToken(t)
	var tok struct{ Token string }
	mustJSON(t, mustCall(t, srv.base, "POST", "/v1/tokens", admin, `{"role": "operator"}`, 201), &tok)
	caseDoc, err := os.ReadFile(filepath.Join(root, "examples", "assistance", "breakdown-de.json"))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ID string }
	mustJSON(t, mustCall(t, srv.base, "POST", "/v1/cases", tok.Token, string(caseDoc), 201), &created)

	ran := map[string]int{}
	for _, c := range cmds {
		fields := strings.Fields(c)
		switch {
		case c == "go run ./cmd/roadcover serve" || c == "go test ./..." || c == "go build -o roadcover ./cmd/roadcover":
			ran["go"]++ // the set-up itself: what this test and CI run
		case strings.HasPrefix(c, "./roadcover serve"):
			// serve with the flags shown starts and becomes ready.
			args := shellWords(t, strings.TrimPrefix(c, "./roadcover serve"))
			start(t, t.TempDir(), nil, args...)
			ran["serve"]++
		case fields[0] == "./roadcover":
			cmd := exec.Command(bin, shellWords(t, strings.TrimPrefix(c, "./roadcover"))...)
			cmd.Dir = root
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %v\n%s", c, err, out)
			}
			ran["cli"]++
		case fields[0] == "curl":
			c = strings.ReplaceAll(c, "http://127.0.0.1:8080", srv.base)
			cmd := exec.Command("sh", "-c", strings.Replace(c, "curl ", "curl --fail-with-body ", 1))
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TOKEN="+tok.Token, "CASE="+created.ID)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("%s: %v\n%s", c, err, out)
			}
			ran["curl"]++
		default:
			t.Errorf("README.md shows a command this test does not know how to try: %s", c)
		}
	}
	t.Logf("ran %v", ran)
	if ran["cli"] < 15 || ran["curl"] < 2 || ran["serve"] < 1 {
		t.Errorf("ran %v", ran)
	}
}

var word = regexp.MustCompile(`"[^"]*"|'[^']*'|\S+`)

// shellWords splits a command line the way sh does for the simple quoting
// README.md uses.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	for _, w := range word.FindAllString(s, -1) {
		if len(w) >= 2 && (w[0] == '"' || w[0] == '\'') && w[len(w)-1] == w[0] {
			w = w[1 : len(w)-1]
		} else if strings.ContainsAny(w, `"'$`) {
			t.Fatalf("README.md command word %q needs a real shell", w)
		}
		out = append(out, w)
	}
	return out
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
}
