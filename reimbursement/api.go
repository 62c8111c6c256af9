package reimbursement

import (
	"time"
)

// CheckJSON reads the JSON part of a receipt (DecodeReceipt), gives it the
// id the desk chose, checks it (Check) and returns the line as JSON with
// the line itself. Input problems come back as *roadcover.InputError
// naming every bad field; nothing is checked then.
func CheckJSON(data []byte, id string, f *Facts, env Env) ([]byte, Line, error) {
	r, err := DecodeReceipt(data)
	if err != nil {
		return nil, Line{}, err
	}
	r.ID = id
	l, err := Check(r, f, env)
	if err != nil {
		return nil, Line{}, err
	}
	return l.AppendJSON(make([]byte, 0, 2048)), l, nil
}

// ReviewJSON reads an operator's review (DecodeReview) of a stored line,
// applies it (ApplyReview) as by at at, and returns the reviewed line as
// JSON with the line itself. paid says whether the receipt was already
// paid (a conflict: a paid line is not reviewed).
func ReviewJSON(data []byte, l Line, by string, at time.Time, paid bool) ([]byte, Line, error) {
	rv, err := DecodeReview(data)
	if err != nil {
		return nil, Line{}, err
	}
	rv.By, rv.At = by, at
	out, err := ApplyReview(l, rv, paid)
	if err != nil {
		return nil, Line{}, err
	}
	return out.AppendJSON(make([]byte, 0, 2048)), out, nil
}
