package ledger

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The ledger and payee packages are domain packages: they import only the
// standard library's pure parts and roadcover's own domain packages, and
// read no clock.
func TestDomainPackagesStayPure(t *testing.T) {
	forbidden := []string{"net", "os", "io/fs", "database", "syscall", "plugin", "roadcover/sqlite", "roadcover/postgres",
		"roadcover/store", "roadcover/httpapi", "roadcover/cli", "roadcover/iso20022"}
	for _, dir := range []string{".", "../payee"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbidden {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s", f, path)
					}
				}
			}
			if strings.Contains(string(src), "time.Now(") {
				t.Errorf("%s reads the clock", f)
			}
		}
	}
}
