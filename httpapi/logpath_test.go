package httpapi

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLoggedPathHidesSecrets: the path a request is logged with never holds
// a link's token or another secret, whether or not the request reached a
// route (a query the edge refuses, a wrong method, a path under the link
// that names nothing, a doubled slash).
func TestLoggedPathHidesSecrets(t *testing.T) {
	const secret = "SECRETsecret123"
	for _, c := range []struct{ method, target, pattern, want string }{
		{"GET", "/v1/track/rct_" + secret, "GET /v1/track/{token}", "/v1/track/[token]"},
		{"GET", "/v1/track/rct_" + secret + "?lang=%ff", "", "/v1/track/[token]"},
		{"DELETE", "/v1/track/rct_" + secret, "", "/v1/track/[token]"},
		{"GET", "/v1/track/rct_" + secret + "/nothing", "", "/v1/track/[token]/nothing"},
		{"GET", "/v1/track/rct_" + secret + "%00", "", "/v1/track/[token]"},
		{"GET", "//v1/track/rct_" + secret, "", "//v1/track/[token]"},
		{"GET", "/v1/claim-links/rcc_" + secret + "/x", "", "/v1/claim-links/[token]/x"},
		{"PUT", "/v1/policy-links/rcp_" + secret + "/claims", "", "/v1/policy-links/[token]/claims"},
		{"GET", "/v1/cases/rc_" + secret, "", "/v1/cases/[token]"},
		{"GET", "/v1/cases/abc/events", "GET /v1/cases/{id}/events", "/v1/cases/abc/events"},
		{"GET", "/v1/receipts/rcp_0123", "GET /v1/receipts/{id}", "/v1/receipts/rcp_0123"},
	} {
		r := httptest.NewRequest(c.method, c.target, nil)
		r.Pattern = c.pattern
		if got := loggedPath(r); strings.Contains(got, secret) || got != c.want {
			t.Errorf("%s %s: logged as %q, want %q", c.method, c.target, got, c.want)
		}
	}
}
