// Package osrm is a road-distance client for an OSRM server's route service
// (GET /route/v1/driving/{lon},{lat};{lon},{lat}?overview=false, distance
// in metres). Client implements assistance.Distances; it is optional: on
// any failure the engine falls back to great-circle distances.
package osrm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"roadcover"
)

// DefaultTimeout bounds one route request.
const DefaultTimeout = 3 * time.Second

// Client asks one OSRM server for driving distances.
type Client struct {
	base    string
	http    *http.Client
	Timeout time.Duration
}

// New returns a client for the server at baseURL (e.g.
// "http://localhost:5000").
func New(baseURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("osrm: server URL %q is not an http(s) URL", baseURL)
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), http: hc, Timeout: DefaultTimeout}, nil
}

// Error is an answer of the server that is not a route ("NoRoute",
// "InvalidQuery", …, or an HTTP failure).
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string {
	return fmt.Sprintf("osrm: %s (HTTP %d): %s", e.Code, e.Status, e.Message)
}

// Km is the driving distance from a to b; method is "road".
func (c *Client) Km(a, b roadcover.Point) (float64, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	km, err := c.RouteKm(ctx, a, b)
	return km, "road", err
}

// RouteKm asks for the driving route from a to b and returns its length.
func (c *Client) RouteKm(ctx context.Context, a, b roadcover.Point) (float64, error) {
	if !a.Valid() || !b.Valid() {
		return 0, fmt.Errorf("osrm: coordinates out of range")
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	u := c.base + "/route/v1/driving/" + f(a.Lon) + "," + f(a.Lat) + ";" + f(b.Lon) + "," + f(b.Lat) + "?overview=false"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, fmt.Errorf("osrm: %w", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("osrm: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, fmt.Errorf("osrm: read answer: %w", err)
	}
	var r struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Routes  []struct {
			Distance *float64 `json:"distance"`
		} `json:"routes"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, &Error{Code: "BadAnswer", Message: err.Error(), Status: resp.StatusCode}
	}
	if resp.StatusCode != http.StatusOK || r.Code != "Ok" {
		return 0, &Error{Code: r.Code, Message: r.Message, Status: resp.StatusCode}
	}
	if len(r.Routes) == 0 || r.Routes[0].Distance == nil || *r.Routes[0].Distance < 0 {
		return 0, &Error{Code: "NoRoute", Message: "answer holds no route distance", Status: resp.StatusCode}
	}
	return *r.Routes[0].Distance / 1000, nil
}
