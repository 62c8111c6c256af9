package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestMethodNotAllowed: a known path with a method it has no route for is
// 405 with an Allow header and a problem document; an unknown path is 404.
func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path, allow string
		status              int
	}{
		{http.MethodDelete, "/v1/cases/some-id", "GET, HEAD, PATCH", 405},
		{http.MethodPut, "/v1/assistance/decisions", "POST", 405},
		{http.MethodGet, "/v1/cases/some-id/choices", "POST", 405},
		{http.MethodGet, "/v1/nothing-here", "", 404},
	} {
		req, _ := http.NewRequest(c.method, e.ts.URL+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+e.tokens[RoleOperator])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Status int    `json:"status"`
			Code   string `json:"code"`
		}
		err = json.NewDecoder(res.Body).Decode(&p)
		res.Body.Close()
		if res.StatusCode != c.status || err != nil || p.Status != c.status ||
			res.Header.Get("Content-Type") != "application/problem+json" || res.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d %q allow %q (%v); want %d allow %q", c.method, c.path, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("Allow"), err, c.status, c.allow)
		}
	}
}
