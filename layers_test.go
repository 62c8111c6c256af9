package roadcover_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The layering of the product, enforced. The domain packages hold the terms
// and the rules of the desk, the claims and the money; they are pure Go on
// typed values: they import no adapter (no store implementation, no HTTP,
// no console, no command line), no net/http and no database driver, and
// reach the operating system only through what the standard library's
// formatting needs. Adapters are named after what they wrap and may import
// the domain, never the other way round.

// domain are the domain packages; a package added to the module must be
// placed in domain or adapters (TestEveryPackagePlaced).
var domain = []string{
	"roadcover", "roadcover/terms", "roadcover/assistance", "roadcover/insurance", "roadcover/desk",
	"roadcover/store", "roadcover/jsonin", "roadcover/jsonout",
	"roadcover/ledger", "roadcover/payee", "roadcover/receiptfile", "roadcover/internal/jsondoc", "roadcover/claims", "roadcover/policies", "roadcover/reimbursement",
	"roadcover/payments", "roadcover/iso20022", "roadcover/claimsdesk",
}

// adapters wrap a dependency or an edge (files, network, processes, the
// browser, the command line) or hold generators and test harnesses.
var adapters = []string{
	"roadcover/authtoken", "roadcover/calendar", "roadcover/cli", "roadcover/cmd/roadcover", "roadcover/console",
	"roadcover/database", "roadcover/e2e", "roadcover/world", "roadcover/world", "roadcover/fx", "roadcover/geo",
	"roadcover/geo/internal/gen", "roadcover/httpapi", "roadcover/internal/pgtest", "roadcover/loadgen",
	"roadcover/osrm", "roadcover/postgres", "roadcover/sites", "roadcover/sqlite", "roadcover/storetest",
	"roadcover/sites/sample", "roadcover/places",
	"roadcover/tesseract", "roadcover/jobs", "roadcover/internal/receiptimage", "roadcover/httpapi/internal/apiclient", "roadcover/sites/sample/internal/gen", "roadcover/places/internal/gen",
}

// forbiddenImports may not be imported directly by a domain package: the
// network, processes, files, the clock's randomness, and system calls.
var forbiddenImports = []string{
	"net", "net/http", "net/rpc", "net/smtp", "os", "os/exec", "os/signal", "io/ioutil", "syscall",
	"database/sql", "math/rand", "math/rand/v2", "crypto/rand", "log", "log/slog", "plugin", "unsafe",
}

// forbiddenDeps may not be reached at all from a domain package.
var forbiddenDeps = []string{"net/http", "database/sql", "os/exec"}

type pkg struct {
	ImportPath string
	Doc        string
	Name       string
	Imports    []string
	Deps       []string
	GoFiles    []string
	XTestGoFiles,
	TestGoFiles []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to read the packages' imports: %v", err)
	}
	cmd := exec.Command("go", "list", "-json", "./...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestDomainImportsNoAdapter(t *testing.T) {
	pkgs := listPackages(t)
	checked := 0
	for _, p := range pkgs {
		if !slices.Contains(domain, p.ImportPath) {
			continue
		}
		checked++
		for _, imp := range p.Imports {
			if slices.Contains(forbiddenImports, imp) {
				t.Errorf("domain package %s imports %s", p.ImportPath, imp)
			}
			if slices.Contains(adapters, imp) {
				t.Errorf("domain package %s imports the adapter %s", p.ImportPath, imp)
			}
		}
		for _, dep := range p.Deps {
			if slices.Contains(forbiddenDeps, dep) || slices.Contains(adapters, dep) ||
				strings.HasPrefix(dep, "github.com/jackc/") || strings.HasPrefix(dep, "modernc.org/sqlite") ||
				strings.HasPrefix(dep, "github.com/riverqueue/") || strings.HasPrefix(dep, "github.com/chromedp/") {
				t.Errorf("domain package %s depends on %s", p.ImportPath, dep)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("only %d domain packages found", checked)
	}
}

func TestEveryPackagePlaced(t *testing.T) {
	for _, p := range listPackages(t) {
		if !slices.Contains(domain, p.ImportPath) && !slices.Contains(adapters, p.ImportPath) {
			t.Errorf("package %s is neither a domain package nor an adapter: place it in layers_test.go", p.ImportPath)
		}
	}
}

// TestEveryPackageSaysWhatItIs: every package opens with a doc comment that
// names it ("Package x …", or "Command x …" for a main package).
func TestEveryPackageSaysWhatItIs(t *testing.T) {
	for _, p := range listPackages(t) {
		want := "Package " + p.Name + " "
		if p.Name == "main" {
			want = "Command "
		}
		if !strings.HasPrefix(p.Doc, strings.TrimSpace(want)) {
			t.Errorf("package %s has no doc comment saying what it is (want %q…, got %q)", p.ImportPath, want, p.Doc)
		}
	}
}
