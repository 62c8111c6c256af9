package assistance

import "roadcover"

// DecideJSON decides one case given as JSON and returns the decision as
// JSON. lang "" means the case's language, else the language of the terms.
// Input problems come back as *roadcover.InputError; nothing is decided then.
func DecideJSON(data []byte, lang string, env Env) ([]byte, error) {
	out, _, err := DecideJSONWith(data, lang, env)
	return out, err
}

// DecideJSONWith is DecideJSON that also returns the decision itself, for
// callers that need its fields (covered, entitlements, groups) beside the
// document without reading the document back.
func DecideJSONWith(data []byte, lang string, env Env) ([]byte, Decision, error) {
	var l roadcover.Language
	if lang != "" {
		pl, ok := roadcover.ParseLanguage(lang)
		if !ok {
			errs := &roadcover.InputError{}
			errs.Add("lang", roadcover.CodeInvalidInput, "unsupported language "+lang+"; expected one of en, de, pt, da, sv")
			return nil, Decision{}, errs.Err()
		}
		l = pl
	}
	c, err := Decode(data, env)
	if err != nil {
		return nil, Decision{}, err
	}
	d, err := Decide(c, env, l)
	if err != nil {
		return nil, Decision{}, err
	}
	// A typical decision is 5-6 KB; one buffer holds it without growing.
	return d.AppendJSON(make([]byte, 0, 8192)), d, nil
}
