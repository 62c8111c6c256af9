// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb and
// pg_ctl from the installed server binaries, in a temporary directory, on a
// free loopback port, once per test binary; each URL call gets a new empty
// database in it.
//
// Where no server binaries are installed the tests that need one are
// skipped, with the reason, unless the environment variable CI is "true":
// in CI a missing server is a failure. The binaries are looked up in
// $ROADCOVER_PG_BIN, then /usr/lib/postgresql/*/bin (newest version), then
// PATH. initdb refuses to run as root: as root the cluster is run by the
// "postgres" system user (which the Debian package creates) via runuser.
//
// Use it from TestMain so the cluster stops when the tests end:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// cluster is the one throwaway server of this test binary.
type cluster struct {
	bin     string // directory of initdb and pg_ctl
	dir     string // temporary directory: data/, log, socket
	port    int
	runAs   string // "" or the user the server runs as
	dbCount atomic.Int64
}

var (
	once     sync.Once
	shared   *cluster
	startErr error
	skipMsg  string
)

// Main runs m and then stops the cluster if a test started one.
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		if err := shared.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// URL returns the URL of a new, empty database in the throwaway cluster,
// starting the cluster on first use. Without server binaries it skips the
// test (fails it when CI=true); a cluster that fails to start fails it.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { shared, skipMsg, startErr = start() })
	if skipMsg != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pgtest: CI=true but %s", skipMsg)
		}
		t.Skipf("pgtest: %s", skipMsg)
	}
	if startErr != nil {
		t.Fatalf("pgtest: %v", startErr)
	}
	url, err := shared.newDB()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return url
}

// BinDir finds the directory holding initdb and pg_ctl, or "".
func BinDir() string {
	if d := os.Getenv("ROADCOVER_PG_BIN"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
		return ""
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Slice(matches, func(i, j int) bool { return version(matches[i]) > version(matches[j]) })
	for _, m := range matches {
		d := filepath.Dir(m)
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		d := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func version(pgctl string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgctl))))
	return n
}

func start() (*cluster, string, error) {
	bin := BinDir()
	if bin == "" {
		return nil, "no PostgreSQL server binaries (initdb, pg_ctl) in $ROADCOVER_PG_BIN, /usr/lib/postgresql/*/bin or PATH; install them (Debian: apt-get install postgresql)", nil
	}
	c := &cluster{bin: bin}
	dir, err := os.MkdirTemp("", "roadcover-pg-")
	if err != nil {
		return nil, "", err
	}
	c.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", fmt.Errorf("running as root and there is no postgres user to run the server: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, "", err
		}
		c.runAs = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, "", fmt.Errorf("initdb: %v\n%s", err, out)
	}
	var lastErr error
	for range 5 {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", err
		}
		c.port = port
		opts := strings.Join([]string{
			"-p", strconv.Itoa(port),
			"-k", dir,
			"-c", "listen_addresses=127.0.0.1",
			"-c", "max_connections=200",
			"-c", "shared_buffers=64MB",
			"-c", "dynamic_shared_memory_type=mmap",
			"-c", "max_wal_size=1GB",
		}, " ")
		out, err := c.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start")
		if err == nil {
			return c, "", nil
		}
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		lastErr = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	os.RemoveAll(dir)
	return nil, "", lastErr
}

// run runs one of the server binaries, as the postgres user when root.
func (c *cluster) run(name string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.runAs != "" {
		if rp, err := exec.LookPath("runuser"); err == nil {
			cmd = exec.Command(rp, append([]string{"-u", c.runAs, "--", path}, args...)...)
		} else {
			quoted := []string{shellQuote(path)}
			for _, a := range args {
				quoted = append(quoted, shellQuote(a))
			}
			cmd = exec.Command("su", c.runAs, "-s", "/bin/sh", "-c", strings.Join(quoted, " "))
		}
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

func (c *cluster) newDB() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("rc_%d_%d", os.Getpid(), c.dbCount.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return c.url(name), nil
}

func (c *cluster) stop() error {
	out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")
	rmErr := os.RemoveAll(c.dir)
	if err != nil {
		return errors.Join(fmt.Errorf("pg_ctl stop: %v\n%s", err, out), rmErr)
	}
	return rmErr
}
