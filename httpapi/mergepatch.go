package httpapi

import (
	"bytes"
	"encoding/json"
)

// mergePatch applies an RFC 7386 JSON merge patch to target: members of the
// patch replace those of the target, null removes them, objects merge
// recursively, anything else replaces the whole target.
func mergePatch(target, patch []byte) ([]byte, error) {
	var t, p any
	if len(bytes.TrimSpace(target)) > 0 {
		if err := unmarshalNumbers(target, &t); err != nil {
			return nil, err
		}
	}
	if err := unmarshalNumbers(patch, &p); err != nil {
		return nil, err
	}
	return json.Marshal(mergeValue(t, p))
}

func mergeValue(target, patch any) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]any)
	if !ok {
		tm = map[string]any{}
	}
	for k, v := range pm {
		if v == nil {
			delete(tm, k)
			continue
		}
		tm[k] = mergeValue(tm[k], v)
	}
	return tm
}

func unmarshalNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}
