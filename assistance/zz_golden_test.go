package assistance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"roadcover"
)

func TestZZGolden(t *testing.T) {
	out := map[string]string{}
	for _, c := range loadCases(t) {
		env := Env{}
		if c.Env != nil {
			env = c.Env.env()
		}
		for _, l := range append([]string{""}, "en", "de", "pt", "da", "sv") {
			b, err := DecideJSON(c.Input, l, env)
			if err != nil {
				out[c.path+"|"+l] = "ERR " + err.Error()
				continue
			}
			out[c.path+"|"+l] = string(b)
			if cs, err := Decode(c.Input, env); err == nil {
				d, _ := Decide(cs, env, roadcover.Language(l))
				var sb = &stringsBuilder{}
				_ = d.WriteText(sb)
				out[c.path+"|text|"+l] = string(sb.b)
			}
		}
	}
	files, _ := filepath.Glob("/tmp/aud-probes/*.json")
	files2, _ := filepath.Glob("../../shared/conformance/assistance/*.json")
	files = append(files, files2...)
	sort.Strings(files)
	for _, f := range files {
		b, _ := os.ReadFile(f)
		var sc struct{ Input json.RawMessage }
		_ = json.Unmarshal(b, &sc)
		o, err := DecideJSON(sc.Input, "", Env{})
		if err != nil {
			out[f] = "ERR " + err.Error()
		} else {
			out[f] = string(o)
		}
	}
	b, _ := json.MarshalIndent(out, "", " ")
	name := os.Getenv("GOLDEN")
	if name == "" {
		t.Skip()
	}
	os.WriteFile(name, b, 0o644)
}

type stringsBuilder struct{ b []byte }

func (s *stringsBuilder) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }
