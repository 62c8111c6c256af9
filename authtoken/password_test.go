package authtoken

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q lacks the OWASP parameters", h)
	}
	if h == HashPassword("correct horse battery staple") {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !CheckPassword(h, "correct horse battery staple") {
		t.Error("the password does not match its hash")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple "} {
		if CheckPassword(h, wrong) {
			t.Errorf("%q matches", wrong)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", h[:len(h)-3] + "!!!",
		strings.Replace(h, "m=19456", "m=99999999", 1), strings.Replace(h, "v=19", "v=16", 1)} {
		if CheckPassword(bad, "correct horse battery staple") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
	if CheckNoPassword("x") {
		t.Error("CheckNoPassword matched")
	}
}

// TestPasswordHashCost checks that one check takes real work (the point of
// argon2id) but stays within what a sign-in may take.
func TestPasswordHashCost(t *testing.T) {
	h := HashPassword("pw")
	start := time.Now()
	CheckPassword(h, "pw")
	if d := time.Since(start); d < time.Millisecond || d > 5*time.Second {
		t.Errorf("one check took %v", d)
	}
}

func TestNewPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := NewPassword()
		if len(p) != 23 || strings.Count(p, "-") != 3 {
			t.Fatalf("password %q is not 4 groups of 5", p)
		}
		for _, c := range strings.ReplaceAll(p, "-", "") {
			if !strings.ContainsRune(passwordAlphabet, c) {
				t.Fatalf("password %q has %q", p, c)
			}
		}
		if seen[p] {
			t.Fatalf("password %q made twice", p)
		}
		seen[p] = true
	}
}

func TestCSRF(t *testing.T) {
	a, b := New(SessionPrefix), New(SessionPrefix)
	if !CheckCSRF(a, CSRFToken(a)) {
		t.Error("the session's token is refused")
	}
	if CheckCSRF(a, CSRFToken(b)) || CheckCSRF(a, "") || CheckCSRF(a, a) {
		t.Error("another token is accepted")
	}
}
