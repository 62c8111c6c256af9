package roadcover

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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
	CodeTooManyRequests:  {429, 1, "Too many requests"},
}

// ProblemTypeBase prefixes every problem type URI.
const ProblemTypeBase = "https://roadcover.dev/problems/"

// FieldError names one bad field by its dotted JSON path.
type FieldError struct {
	Field  string `json:"field"`
	Code   Code   `json:"code,omitempty"`
	Detail string `json:"detail"`
}

// Bounds of an InputError, so that a refusal stays small whatever the input:
// at most MaxFieldErrors field errors are listed (the others are counted in
// Omitted), a listed field path is at most MaxFieldLen bytes and a detail at
// most MaxDetailLen bytes (longer ones are cut and marked with "…"), and a
// user's value quoted in a detail (Quote) shows at most MaxQuoteLen bytes.
const (
	MaxFieldErrors = 100
	MaxFieldLen    = 256
	MaxDetailLen   = 256
	MaxQuoteLen    = 64
)

// InputError is a refusal of the input as a whole: every bad field is named.
// It is never a decision; nothing is stored or guessed after it.
//
// Errors lists the first MaxFieldErrors field errors added; Omitted counts
// those added after them, which are remembered (for Has) but not listed.
// Change Errors only through Add and Merge, or by cutting it shorter.
type InputError struct {
	Code    Code // the dominant code: no_terms_in_force, no_price_base_amount or invalid_input
	Errors  []FieldError
	Omitted int // field errors counted but not listed

	index *fieldIndex // the fields that have an error, for Has
}

// fieldIndex is the set of fields with an error. The listed part is kept in
// step with Errors lazily (rebuilt when Errors was cut, sorted or replaced); the
// omitted part holds hashes of the fields of errors that are not listed.
type fieldIndex struct {
	listed  map[string]int32 // field -> listed errors on it
	n       int              // Errors[:n] are counted in listed
	first   *FieldError      // &Errors[0] when n > 0, to see a replaced slice
	last    string           // Errors[n-1].Field, to see a slice cut and grown again
	omitted map[uint64]struct{}
}

// smallErrors is how many listed errors Has scans without an index.
const smallErrors = 8

var fieldSeed = maphash.MakeSeed()

func (e *InputError) Error() string {
	const most = 2048 // bytes of field errors in the message
	var b strings.Builder
	b.WriteString("invalid input:")
	for i, f := range e.Errors {
		if b.Len() > most {
			fmt.Fprintf(&b, "; and %d more", len(e.Errors)-i+e.Omitted)
			return b.String()
		}
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + f.Field + ": " + f.Detail)
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "; and %d more", e.Omitted)
	}
	return b.String()
}

// Add records a bad field. The field path and the detail are cut to
// MaxFieldLen and MaxDetailLen; past MaxFieldErrors the error is counted in
// Omitted instead of listed. Add takes constant time.
func (e *InputError) Add(field string, code Code, detail string) {
	if code == "" {
		code = CodeInvalidInput
	}
	if e.Code == "" || e.Code == CodeInvalidInput {
		e.Code = code
	}
	field = ClipField(field)
	if len(e.Errors) < MaxFieldErrors {
		e.Errors = append(e.Errors, FieldError{Field: field, Code: code, Detail: Clip(detail, MaxDetailLen)})
		return
	}
	e.Omitted++
	x := e.sync()
	if x.omitted == nil {
		x.omitted = make(map[uint64]struct{})
	}
	x.omitted[maphash.String(fieldSeed, field)] = struct{}{}
}

// Merge adds every error of o (listed and omitted) to e, keeping o's code
// when it is not invalid_input.
func (e *InputError) Merge(o *InputError) {
	if o == nil {
		return
	}
	for _, f := range o.Errors {
		e.Add(f.Field, f.Code, f.Detail)
	}
	if o.Omitted > 0 {
		x := e.sync()
		if x.omitted == nil {
			x.omitted = make(map[uint64]struct{})
		}
		if o.index != nil {
			for h := range o.index.omitted {
				x.omitted[h] = struct{}{}
			}
		}
		e.Omitted += o.Omitted
	}
	if o.Code != "" && o.Code != CodeInvalidInput {
		e.Code = o.Code
	}
}

// Total is the number of field errors added: listed and omitted.
func (e *InputError) Total() int {
	if e == nil {
		return 0
	}
	return len(e.Errors) + e.Omitted
}

// sync brings the index of listed fields in step with Errors.
func (e *InputError) sync() *fieldIndex {
	x := e.index
	if x == nil {
		x = &fieldIndex{}
		e.index = x
	}
	if len(e.Errors) < x.n || x.n > 0 && (&e.Errors[0] != x.first || e.Errors[x.n-1].Field != x.last) {
		clear(x.listed)
		x.n = 0
	}
	if x.listed == nil {
		x.listed = make(map[string]int32, len(e.Errors))
	}
	for ; x.n < len(e.Errors); x.n++ {
		x.listed[e.Errors[x.n].Field]++
	}
	if x.n > 0 {
		x.first, x.last = &e.Errors[0], e.Errors[x.n-1].Field
	}
	return x
}

// Has reports whether a field already has an error, listed or omitted. It
// takes constant time (amortised), so a check per field stays linear.
func (e *InputError) Has(field string) bool {
	if e == nil {
		return false
	}
	field = ClipField(field)
	if e.index == nil && e.Omitted == 0 && len(e.Errors) <= smallErrors {
		for _, f := range e.Errors {
			if f.Field == field {
				return true
			}
		}
		return false
	}
	x := e.sync()
	if x.listed[field] > 0 {
		return true
	}
	if len(x.omitted) > 0 {
		_, ok := x.omitted[maphash.String(fieldSeed, field)]
		return ok
	}
	return false
}

// Err returns e when it holds any field error, else nil. The listed errors
// are put in the natural order of their fields.
func (e *InputError) Err() error {
	if e == nil || len(e.Errors) == 0 && e.Omitted == 0 {
		return nil
	}
	less := func(a, b FieldError) int {
		switch {
		case naturalLess(a.Field, b.Field):
			return -1
		case naturalLess(b.Field, a.Field):
			return 1
		}
		return 0
	}
	if !slices.IsSortedFunc(e.Errors, less) {
		slices.SortStableFunc(e.Errors, less)
	}
	return e
}

// Clip cuts s to at most max bytes (max > 3), at a character boundary,
// ending it with "…" when it was cut.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max - len("…")
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ClipField cuts a field path to at most MaxFieldLen bytes, keeping its
// start and its end (the most specific part) around a "…".
func ClipField(s string) string {
	if len(s) <= MaxFieldLen {
		return s
	}
	head := MaxFieldLen/2 - 2
	tail := len(s) - (MaxFieldLen - head - len("…"))
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !utf8.RuneStart(s[tail]) {
		tail++
	}
	return s[:head] + "…" + s[tail:]
}

// Quote quotes a user's value for a detail, showing at most MaxQuoteLen
// bytes of it.
func Quote(s string) string { return strconv.Quote(Clip(s, MaxQuoteLen)) }

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
	// ErrorsTotal counts every field error of an input error; Errors lists
	// at most MaxFieldErrors of them.
	ErrorsTotal int `json:"errors_total,omitempty"`
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
			Detail: ie.Error(), Code: code, Errors: listed(ie.Errors), ErrorsTotal: ie.Total()}
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

// listed bounds the field errors of a problem document, for input errors
// whose Errors were filled without Add.
func listed(errs []FieldError) []FieldError {
	if len(errs) > MaxFieldErrors {
		errs = errs[:MaxFieldErrors]
	}
	for i, f := range errs {
		if len(f.Field) > MaxFieldLen || len(f.Detail) > MaxDetailLen {
			out := slices.Clone(errs)
			for j := i; j < len(out); j++ {
				out[j].Field, out[j].Detail = ClipField(out[j].Field), Clip(out[j].Detail, MaxDetailLen)
			}
			return out
		}
	}
	return errs
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
