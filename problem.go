package roadcover

import (
	"errors"
	"sort"
	"strings"
)

// Code is a stable machine-readable error code; it names the problem type.
type Code string

// Error codes shared by the engines and the edges. The HTTP status and the
// exit code of each live in one table (Codes) below.
const (
	CodeInvalidInput     Code = "invalid_input"
	CodeNoTermsInForce   Code = "no_terms_in_force"
	CodeNoPriceBase      Code = "no_price_base_amount"
	CodeUnknownRate      Code = "unknown_rate"
	CodeNotFound         Code = "not_found"
	CodeConflict         Code = "conflict"
	CodeUnauthorized     Code = "unauthorized"
	CodeForbidden        Code = "forbidden"
	CodePrecondition     Code = "precondition_failed"
	CodePreconditionReq  Code = "precondition_required"
	CodeTooLarge         Code = "payload_too_large"
	CodeInternal         Code = "internal"
	CodeUnavailable      Code = "unavailable"
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeUnsupportedMedia Code = "unsupported_media_type"
	CodeRequestTimeout   Code = "request_timeout"
	CodeTooManyRequests  Code = "too_many_requests"
)

// CodeInfo says how a code is shown at each edge.
type CodeInfo struct {
	Status int    // HTTP status
	Exit   int    // command-line exit code
	Title  string // problem document title (English, stable)
}

// Codes is the one table mapping error codes to HTTP status, exit code and title.
var Codes = map[Code]CodeInfo{
	CodeInvalidInput:     {422, 2, "The input is not valid"},
	CodeNoTermsInForce:   {422, 2, "No terms were in force on that day"},
	CodeNoPriceBase:      {422, 2, "No price base amount is known for that year"},
	CodeUnknownRate:      {422, 2, "No exchange rate is known for that day"},
	CodeNotFound:         {404, 1, "Not found"},
	CodeConflict:         {409, 1, "Conflict"},
	CodeUnauthorized:     {401, 1, "Authentication required"},
	CodeForbidden:        {403, 1, "Not allowed"},
	CodePrecondition:     {412, 1, "The resource has changed"},
	CodePreconditionReq:  {428, 1, "If-Match is required"},
	CodeTooLarge:         {413, 2, "The body is too large"},
	CodeInternal:         {500, 1, "Internal error"},
	CodeUnavailable:      {503, 1, "Unavailable"},
	CodeMethodNotAllowed: {405, 1, "Method not allowed"},
	CodeUnsupportedMedia: {415, 2, "Unsupported media type"},
	CodeRequestTimeout:   {408, 1, "The request took too long to arrive"},
	CodeTooManyRequests:  {429, 1, "Too many attempts"},
}

// ProblemTypeBase prefixes every problem type URI.
const ProblemTypeBase = "https://roadcover.dev/problems/"

// FieldError names one bad field by its dotted JSON path.
type FieldError struct {
	Field  string `json:"field"`
	Code   Code   `json:"code,omitempty"`
	Detail string `json:"detail"`
}

// InputError is a refusal of the input as a whole: every bad field is named.
// It is never a decision; nothing is stored or guessed after it.
type InputError struct {
	Code   Code // the dominant code: no_terms_in_force, no_price_base_amount or invalid_input
	Errors []FieldError
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("invalid input:")
	for i, f := range e.Errors {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + f.Field + ": " + f.Detail)
	}
	return b.String()
}

// Add records a bad field.
func (e *InputError) Add(field string, code Code, detail string) {
	if code == "" {
		code = CodeInvalidInput
	}
	e.Errors = append(e.Errors, FieldError{Field: field, Code: code, Detail: detail})
	if e.Code == "" || e.Code == CodeInvalidInput {
		e.Code = code
	}
}

// Has reports whether a field already has an error.
func (e *InputError) Has(field string) bool {
	for _, f := range e.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns e when it holds any field error, else nil.
func (e *InputError) Err() error {
	if e == nil || len(e.Errors) == 0 {
		return nil
	}
	sort.SliceStable(e.Errors, func(i, j int) bool { return naturalLess(e.Errors[i].Field, e.Errors[j].Field) })
	return e
}

// naturalLess orders field paths with their numbers compared as numbers, so
// "file:9" comes before "file:10" and "lines.2" before "lines.10".
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string       `json:"type"`
	Title    string       `json:"title"`
	Status   int          `json:"status"`
	Detail   string       `json:"detail,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Code     Code         `json:"code"`
	Errors   []FieldError `json:"errors,omitempty"`
}

// Error is an error with a code, for problems that are not about input fields.
type Error struct {
	Code   Code
	Detail string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Detail }

// Errorf builds a coded error.
func Errorf(code Code, detail string) error { return &Error{Code: code, Detail: detail} }

// ProblemFor turns any error into a problem document: input errors name
// their fields, coded errors keep their code, anything else is internal.
func ProblemFor(err error) Problem {
	var ie *InputError
	var ce *Error
	switch {
	case errors.As(err, &ie):
		code := ie.Code
		if code == "" {
			code = CodeInvalidInput
		}
		info := Codes[code]
		return Problem{Type: ProblemTypeBase + string(code), Title: info.Title, Status: info.Status,
			Detail: ie.Error(), Code: code, Errors: ie.Errors}
	case errors.As(err, &ce):
		info, ok := Codes[ce.Code]
		if !ok {
			info = Codes[CodeInternal]
		}
		return Problem{Type: ProblemTypeBase + string(ce.Code), Title: info.Title, Status: info.Status,
			Detail: ce.Detail, Code: ce.Code}
	default:
		info := Codes[CodeInternal]
		return Problem{Type: ProblemTypeBase + string(CodeInternal), Title: info.Title, Status: info.Status,
			Detail: err.Error(), Code: CodeInternal}
	}
}

// ExitCode is the command-line exit code for an error (0 for nil).
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	p := ProblemFor(err)
	if info, ok := Codes[p.Code]; ok {
		return info.Exit
	}
	return 1
}
