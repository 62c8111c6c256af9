//go:build pprof

package httpapi

import (
	"net/http"
	"net/http/pprof"
)

// Built with -tags pprof only (load tests, see scripts/LOAD.md): the runtime
// profiles under /debug/pprof/. The default build has no such routes.
func init() {
	debugRoutes = func(m *http.ServeMux) {
		m.HandleFunc("GET /debug/pprof/", pprof.Index)
		m.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		m.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		m.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		m.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
}
