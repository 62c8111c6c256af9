package database

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"roadcover/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestOpenSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Kind() != "sqlite" {
		t.Fatalf("Kind = %q", s.Kind())
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("file not created: %v", err)
	}
}

func TestOpenPostgres(t *testing.T) {
	url := pgtest.URL(t)
	for _, u := range []string{url, "postgresql" + url[len("postgres"):]} {
		s, err := Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if s.Kind() != "postgres" {
			t.Fatalf("%s: Kind = %q", u, s.Kind())
		}
		s.Close()
	}
}

func TestResolve(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvVar {
				return v
			}
			return ""
		}
	}
	cases := []struct{ flag, env, want string }{
		{"", "", DefaultDSN},
		{"", "/var/lib/rc.db", "/var/lib/rc.db"},
		{"a.db", "/var/lib/rc.db", "a.db"},
	}
	for _, c := range cases {
		if got := Resolve(c.flag, env(c.env)); got != c.want {
			t.Errorf("Resolve(%q, env %q) = %q, want %q", c.flag, c.env, got, c.want)
		}
	}
	if got := Resolve("", nil); got != DefaultDSN {
		t.Errorf("Resolve with nil getenv = %q", got)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://rc:s3cret@db:5432/rc": "postgres://rc:xxxxx@db:5432/rc",
		"postgresql://rc@db/rc":           "postgresql://rc@db/rc",
		"roadcover.db":                    "roadcover.db",
		"postgres://u:p@ss@host/db?x=1":   "postgres://u:xxxxx@host/db?x=1",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
