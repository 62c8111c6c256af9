package assistance

import (
	"bytes"
	"reflect"
	"testing"

	"roadcover"
)

// TestDecodeFactsExtra checks that a body carrying one more top-level member
// reads as the same case, on the fast path and on the careful one, and that
// the member comes back byte for byte.
func TestDecodeFactsExtra(t *testing.T) {
	extra := []byte(`{"vin":"LPSVSEDEEML00000\u0031","nested":[{"a":"x\"y"},[],{}],"n":-1.5e3,"t":true,"z":null}`)
	n := 0
	for _, tc := range loadCases(t) {
		in := bytes.TrimSpace(tc.Input)
		if len(in) < 2 || in[0] != '{' || bytes.Equal(in, []byte("{}")) {
			continue
		}
		errs := &roadcover.InputError{}
		want, raw := DecodeFacts(in, "", errs)
		if errs.Err() != nil || raw != nil {
			continue
		}
		if walk(in, errs); errs.Err() != nil {
			continue // bodies the careful path refuses are tested elsewhere
		}
		body := append([]byte(`{"intake": `), extra...)
		body = append(body, ',')
		body = append(body, in[1:]...)
		for _, path := range []string{"fast", "careful"} {
			errs := &roadcover.InputError{}
			var got Case
			if path == "fast" {
				var ok bool
				got, raw, ok = fastDecodeWith(body, "intake")
				if !ok {
					continue // the fast path gives up on some bodies; the careful one must not
				}
			} else {
				got, raw = walkWith(body, "intake", errs)
			}
			if errs.Err() != nil {
				t.Fatalf("%s (%s): %v", tc.path, path, errs.Err())
			}
			if !bytes.Equal(raw, extra) {
				t.Fatalf("%s (%s): extra = %s", tc.path, path, raw)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s (%s): case differs:\n got %+v\nwant %+v", tc.path, path, got, want)
			}
		}
		n++
	}
	if n < 100 {
		t.Fatalf("only %d bodies tried", n)
	}
}
