package osrm

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"roadcover"
	"roadcover/assistance"
)

var _ assistance.Distances = (*Client)(nil)

// fake answers as OSRM's route service does.
func fake(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasPrefix(r.URL.Path, "/route/v1/driving/") || r.URL.Query().Get("overview") != "false" {
			w.WriteHeader(400)
			w.Write([]byte(`{"code":"InvalidUrl","message":"URL string malformed"}`))
			return
		}
		switch coords := strings.TrimPrefix(r.URL.Path, "/route/v1/driving/"); coords {
		case "11.580000,48.140000;11.400000,47.270000":
			w.Write([]byte(`{"code":"Ok","routes":[{"distance":165432.1,"duration":6500,"legs":[]}],"waypoints":[]}`))
		case "11.580000,48.140000;-21.940000,64.150000":
			w.WriteHeader(400)
			w.Write([]byte(`{"code":"NoRoute","message":"Impossible route between points"}`))
		case "0.000000,0.000000;0.000000,0.000000":
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte(`{"code":"Ok","routes":[{"distance":0}]}`))
		default:
			w.WriteHeader(500)
			w.Write([]byte(`not json`))
		}
	}))
}

func TestRoute(t *testing.T) {
	srv := fake(t)
	defer srv.Close()
	c, err := New(srv.URL+"/", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	km, method, err := c.Km(roadcover.Point{Lat: 48.14, Lon: 11.58}, roadcover.Point{Lat: 47.27, Lon: 11.40})
	if err != nil || method != "road" || km < 165.43 || km > 165.44 {
		t.Fatalf("got %v %s %v", km, method, err)
	}
	_, _, err = c.Km(roadcover.Point{Lat: 48.14, Lon: 11.58}, roadcover.Point{Lat: 64.15, Lon: -21.94})
	var oe *Error
	if !errors.As(err, &oe) || oe.Code != "NoRoute" || oe.Status != 400 {
		t.Fatalf("NoRoute: got %v", err)
	}
	_, _, err = c.Km(roadcover.Point{Lat: 1, Lon: 1}, roadcover.Point{Lat: 2, Lon: 2})
	if !errors.As(err, &oe) || oe.Code != "BadAnswer" {
		t.Fatalf("bad answer: got %v", err)
	}
	c.Timeout = 50 * time.Millisecond
	if _, _, err = c.Km(roadcover.Point{}, roadcover.Point{}); err == nil {
		t.Fatal("slow server: no timeout")
	}
}

func TestUnreachableAndBadURL(t *testing.T) {
	srv := fake(t)
	url := srv.URL
	srv.Close()
	c, _ := New(url, nil)
	if _, _, err := c.Km(roadcover.Point{Lat: 48.14, Lon: 11.58}, roadcover.Point{Lat: 47.27, Lon: 11.40}); err == nil {
		t.Fatal("unreachable server answered")
	}
	if _, err := New("localhost:5000", nil); err == nil {
		t.Fatal("URL without scheme accepted")
	}
}
