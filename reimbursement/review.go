package reimbursement

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"roadcover"
	"roadcover/jsonin"
)

// Review actions.
const (
	ActionApprove = "approve"
	ActionCut     = "cut"
	ActionRefuse  = "refuse"
)

// MaxNoteLen bounds an operator's note.
const MaxNoteLen = 1000

// ReviewReasons are the reasons an operator gives to cut or refuse a line.
// "other" needs a note.
var ReviewReasons = []string{ReasonNotCheapest, ReasonNotEquivalentCar, ReasonNotDuringRepair, ReasonDuplicate,
	ReasonUnreadable, ReasonNotThisCase, ReasonOther}

// reviewClause is the clause an operator's reason rests on: the cheapest
// way of 1.3.1, the equivalent size of 1.3.3; the line's own clause else.
var reviewClause = map[string]string{ReasonNotCheapest: "1.3.1", ReasonNotEquivalentCar: "1.3.3"}

// Review is an operator's decision on a checked line: approve it as
// checked, cut it to an amount (with a reason), or refuse it (with a reason).
type Review struct {
	Action string
	// Amount is what a cut pays, in the line's currency: more than zero and
	// at most the amount claimed (in the limit's currency).
	Amount roadcover.Money
	Reason string
	Note   string
	// By and At say who reviewed and when; the caller gives them.
	By string
	At time.Time
}

// DecodeReview reads an operator's review:
//
//	{"action": "cut", "amount": "120.00", "currency": "EUR",
//	 "reason": "not_cheapest_way", "note": "a second-class ticket was available"}
//
// Every bad field is named; By and At are the caller's.
func DecodeReview(data []byte) (Review, error) {
	errs := &roadcover.InputError{}
	o := jsonin.Parse(data, errs)
	var rv Review
	if o.Null {
		if !errs.Has("body") {
			errs.Add("body", "", "the review must be one JSON object")
		}
		return rv, errs.Err()
	}
	if a, ok := o.Enum("action", ActionApprove, ActionCut, ActionRefuse); ok {
		rv.Action = a
	} else if !o.Has("action") {
		errs.Add("action", "", "required: approve, cut or refuse")
	}
	if o.Has("reason") {
		rv.Reason, _ = o.Enum("reason", ReviewReasons...)
	} else {
		o.Skip("reason")
	}
	if s, ok := o.String("note"); ok {
		rv.Note = strings.TrimSpace(s)
	}
	cur, hasCur := o.String("currency")
	if hasCur && (len(cur) != 3 || strings.ToUpper(cur) != cur) {
		errs.Add("currency", "", fmt.Sprintf("%q is not an ISO 4217 code", cur))
	}
	if v, ok := o.Money("amount"); ok {
		rv.Amount = roadcover.Money{Minor: v, Currency: cur}
		if !hasCur && !errs.Has("currency") {
			errs.Add("currency", "", "required with an amount")
		}
	} else if rv.Action == ActionCut && !errs.Has("amount") {
		errs.Add("amount", "", "required to cut: the amount to pay")
	}
	o.Done()
	if rv.Action != ActionCut && rv.Amount.Currency != "" && !errs.Has("amount") {
		errs.Add("amount", "", "only a cut takes an amount")
	}
	reviewFields(&rv, errs)
	if err := errs.Err(); err != nil {
		return Review{}, err
	}
	return rv, nil
}

// reviewFields checks what every review needs, whatever its source.
func reviewFields(rv *Review, errs *roadcover.InputError) {
	if (rv.Action == ActionCut || rv.Action == ActionRefuse) && rv.Reason == "" && !errs.Has("reason") {
		errs.Add("reason", "", "required to "+rv.Action+": one of "+strings.Join(ReviewReasons, ", "))
	}
	if rv.Action == ActionApprove && rv.Reason != "" && !errs.Has("reason") {
		errs.Add("reason", "", "an approval takes no reason")
	}
	if rv.Reason == ReasonOther && rv.Note == "" && !errs.Has("note") {
		errs.Add("note", "", "required with the reason other")
	}
	if utf8.RuneCountInString(rv.Note) > MaxNoteLen {
		errs.Add("note", "", fmt.Sprintf("at most %d characters", MaxNoteLen))
	}
}

// ApplyReview applies an operator's review to a checked line and returns
// the reviewed line. paid says whether the receipt was already paid: a paid
// line is never reviewed again (a conflict). Approve pays the line as
// checked (a refused line has nothing to approve: cut it to an amount
// instead); cut pays Amount, more than zero and at most the claimed amount
// in the limit's currency; refuse pays nothing. The step and the text are
// those of the operator's reason.
func ApplyReview(l Line, rv Review, paid bool) (Line, error) {
	if paid {
		return Line{}, roadcover.Errorf(roadcover.CodeConflict, "receipt "+l.Receipt+" is already paid: its line cannot be reviewed")
	}
	errs := &roadcover.InputError{}
	if !oneOf(rv.Action, []string{ActionApprove, ActionCut, ActionRefuse}) {
		errs.Add("action", "", "required: approve, cut or refuse")
	}
	if rv.Reason != "" && !oneOf(rv.Reason, ReviewReasons) {
		errs.Add("reason", "", fmt.Sprintf("unknown reason %q; expected one of %s", rv.Reason, strings.Join(ReviewReasons, ", ")))
	}
	reviewFields(&rv, errs)
	switch rv.Action {
	case ActionApprove:
		if l.Amount.Minor <= 0 {
			errs.Add("action", "", "a refused line has no amount to approve: cut it to an amount instead")
		}
	case ActionCut:
		switch {
		case l.Converted.Currency == "":
			errs.Add("amount", "", "the claimed amount in "+l.Amount.Currency+" is not known (no exchange rate): the line must be checked again first")
		case rv.Amount.Currency != l.Amount.Currency:
			errs.Add("currency", "", "must be "+l.Amount.Currency+", the line's currency")
		case rv.Amount.Minor <= 0:
			errs.Add("amount", "", "must be more than zero (to pay nothing, refuse)")
		case rv.Amount.Minor > l.Converted.Minor:
			errs.Add("amount", "", fmt.Sprintf("may not exceed the claimed %s", l.Converted))
		}
	}
	if err := errs.Err(); err != nil {
		return Line{}, err
	}
	note := &ReviewNote{Action: rv.Action, Reason: rv.Reason, Note: rv.Note, By: rv.By, At: rv.At,
		Before: l.Status, BeforeAmount: l.Amount}
	steps := make([]Step, len(l.Steps), len(l.Steps)+1)
	copy(steps, l.Steps)
	l.Steps = steps
	clause := l.Clause
	if c, ok := reviewClause[rv.Reason]; ok {
		clause = c
	}
	s := Step{Clause: clause, What: rv.Note}
	switch rv.Action {
	case ActionApprove:
		l.Status = Approved
		s.Code, s.Amount = ReasonOperatorApproved, l.Amount
	case ActionCut:
		l.Status, l.Amount = Cut, rv.Amount
		s.Code, s.Amount = rv.Reason, rv.Amount
	case ActionRefuse:
		l.Status, l.Amount = Refused, roadcover.Money{Currency: l.Amount.Currency}
		s.Code = rv.Reason
	}
	s.Text = render(s.Code, &s, l.Language)
	l.Steps = append(l.Steps, s)
	l.Reason, l.Text, l.Review = s.Code, s.Text, note
	return l, nil
}
