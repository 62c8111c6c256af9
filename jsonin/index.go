package jsonin

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"roadcover"
)

// Limits bound the work of reading one body. The zero value means the
// defaults. Reading is linear in the size of the body whatever the limits;
// they bound what a body may ask for beyond that.
type Limits struct {
	// MaxDepth is how deeply objects and arrays may nest (the body's own
	// object is depth 1); 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxMembers is how many members one object, or elements one array,
	// may hold; 0 means DefaultMaxMembers.
	MaxMembers int
	// MaxBytes is the largest body read (413 payload_too_large beyond it);
	// 0 means no limit besides the 2 GiB a body can address.
	MaxBytes int
}

// Defaults of Limits.
const (
	DefaultMaxDepth   = 64
	DefaultMaxMembers = 100_000
)

// checkEvery is how many values are indexed between looks at the context.
const checkEvery = 1024

// smallObject is the number of members up to which an object's names are
// compared one by one; larger objects get a map from name to member.
const smallObject = 16

// kind is the type of a JSON value.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindObject
	kindArray
)

// flags of a node.
const (
	flagEscaped    uint8 = 1 << iota // a string holding escapes: decode it to read it
	flagKeyDecoded                   // the member's name lives in doc.names, decoded
	flagBad                          // the value was refused while indexing; reads give nothing
	flagWhole                        // a number without fraction or exponent
)

// node is one value of the body. Nodes are kept in document order, so the
// first child of a container is the node after it, and skip jumps over a
// value and everything in it.
type node struct {
	start, end int32 // the value's bytes
	keyOff     int32 // a member's name (offset in data or names); an element's index
	keyLen     int32 // the name's length; -1 for an element or the root
	skip       int32 // index of the first node after this value
	count      int32 // members of an object, elements of an array
	parent     int32 // index of the container; -1 for the root
	kind       kind
	flags      uint8
}

// doc is a body indexed once: every value's place, type and name. Obj and
// List are views of it; nothing is parsed twice.
type doc struct {
	data    []byte
	nodes   []node
	names   []byte                     // decoded names that held escapes
	byName  map[int32]map[string]int32 // large objects: name -> member ordinal
	pending []pending                  // field errors found while indexing
	flushed bool
	root    *Obj
	errs    *roadcover.InputError
}

// pending is a field error found while indexing. It is added to the errors
// on the first use of the body, so that a Path given to the root Obj right
// after Parse prefixes it.
type pending struct {
	node   int32
	detail string
}

// frame is an object or array being indexed.
type frame struct {
	node  int32
	count int32
	obj   bool
	names map[string]int32 // name -> ordinal, once the object is large
}

// bodyError is a fault that makes the whole body unreadable.
type bodyError struct {
	code   roadcover.Code
	detail string
}

// plainChar marks the bytes a string may hold without a closer look.
var plainChar = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return
}()

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func ws(data []byte, p int) int {
	for p < len(data) && isSpace(data[p]) {
		p++
	}
	return p
}

func syntax(what string, p int) *bodyError {
	return &bodyError{roadcover.CodeInvalidInput, fmt.Sprintf("the body is not one JSON object: %s at byte %d", what, p)}
}

func unexpected(data []byte, p int) *bodyError {
	if p >= len(data) {
		return syntax("it ends too early", p)
	}
	return syntax(fmt.Sprintf("unexpected %s", strconv.QuoteRune(rune(data[p]))), p)
}

// build indexes the body in one pass.
func (d *doc) build(ctx context.Context, lim Limits) *bodyError {
	data := d.data
	maxDepth, maxMembers := lim.MaxDepth, lim.MaxMembers
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	if maxMembers <= 0 {
		maxMembers = DefaultMaxMembers
	}
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return &bodyError{roadcover.CodeTooLarge, fmt.Sprintf("the body is over %d bytes", lim.MaxBytes)}
	}
	if len(data) >= math.MaxInt32 {
		return &bodyError{roadcover.CodeTooLarge, "the body is over 2 GiB"}
	}
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	p := ws(data, 0)
	if p == len(data) {
		return &bodyError{roadcover.CodeInvalidInput, "the body is empty; expected one JSON object"}
	}
	if data[p] != '{' {
		return syntax("it does not start with {", p)
	}
	d.nodes = make([]node, 0, 16+len(data)/32)
	stack := make([]frame, 0, 8)
	keyOff, keyLen, keyFlags := int32(-1), int32(-1), uint8(0)
	for {
		// A value starts at p (after white space).
		if p >= len(data) {
			return unexpected(data, p)
		}
		if done != nil && len(d.nodes)%checkEvery == 0 {
			select {
			case <-done:
				return &bodyError{roadcover.CodeInvalidInput, "reading the body stopped: " + ctx.Err().Error()}
			default:
			}
		}
		parent := int32(-1)
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			parent = top.node
			top.count++
			if int(top.count) > maxMembers {
				return &bodyError{roadcover.CodeInvalidInput, fmt.Sprintf(
					"the body is not read: %s holds more than %d members or elements", d.where(top.node), maxMembers)}
			}
			if !top.obj {
				keyOff, keyLen, keyFlags = top.count-1, -1, 0
			}
		}
		idx := int32(len(d.nodes))
		d.nodes = append(d.nodes, node{start: int32(p), keyOff: keyOff, keyLen: keyLen, parent: parent, flags: keyFlags})
		n := &d.nodes[idx]
		c := data[p]
		switch {
		case c == '{' || c == '[':
			if len(stack) >= maxDepth {
				return &bodyError{roadcover.CodeInvalidInput, fmt.Sprintf(
					"the body is not read: %s nests objects and arrays deeper than %d levels", d.where(idx), maxDepth)}
			}
			obj := c == '{'
			n.kind = kindArray
			if obj {
				n.kind = kindObject
			}
			stack = append(stack, frame{node: idx, obj: obj})
			p = ws(data, p+1)
			if p < len(data) && (obj && data[p] == '}' || !obj && data[p] == ']') {
				// empty: closed below
			} else {
				if obj {
					var err *bodyError
					if p, keyOff, keyLen, keyFlags, err = d.member(p, &stack[len(stack)-1]); err != nil {
						return err
					}
				}
				continue
			}
		case c == '"':
			end, escaped, bad, ok := scanString(data, p)
			if !ok {
				return syntax("a string is not closed", p)
			}
			n.kind, n.end = kindString, int32(end)
			if escaped {
				n.flags |= flagEscaped
			}
			if bad != "" {
				d.refuse(idx, bad)
			}
			p = end
		case c == '-' || c >= '0' && c <= '9':
			end := p
			for end < len(data) && isNumberChar(data[end]) {
				end++
			}
			n.kind, n.end = kindNumber, int32(end)
			if whole, bad := checkNumber(data[p:end]); bad != "" {
				d.refuse(idx, bad)
			} else if whole {
				n.flags |= flagWhole
			}
			p = end
		case c == 't' && hasWord(data, p, "true"):
			n.kind, n.end = kindTrue, int32(p+4)
			p += 4
		case c == 'f' && hasWord(data, p, "false"):
			n.kind, n.end = kindFalse, int32(p+5)
			p += 5
		case c == 'n' && hasWord(data, p, "null"):
			n.kind, n.end = kindNull, int32(p+4)
			p += 4
		default:
			return unexpected(data, p)
		}
		if n.kind != kindObject && n.kind != kindArray {
			n.skip = idx + 1
		}
		// After a value: close the containers it ends, or go on to the next.
		for {
			if len(stack) == 0 {
				p = ws(data, p)
				if p != len(data) {
					return syntax("bytes follow the object", p)
				}
				return nil
			}
			top := &stack[len(stack)-1]
			cn := &d.nodes[top.node]
			p = ws(data, p)
			if p >= len(data) {
				return unexpected(data, p)
			}
			closer := byte(']')
			if top.obj {
				closer = '}'
			}
			if data[p] == closer {
				cn.end, cn.skip, cn.count = int32(p+1), int32(len(d.nodes)), top.count
				if top.names != nil {
					if d.byName == nil {
						d.byName = map[int32]map[string]int32{}
					}
					d.byName[top.node] = top.names
				}
				stack = stack[:len(stack)-1]
				p++
				continue
			}
			if data[p] != ',' || top.count == 0 {
				return unexpected(data, p)
			}
			p = ws(data, p+1)
			if top.obj {
				var err *bodyError
				if p, keyOff, keyLen, keyFlags, err = d.member(p, top); err != nil {
					return err
				}
			}
			break
		}
	}
}

// member reads a member's name and the colon after it, at p; it returns
// where the value starts and the name's place.
func (d *doc) member(p int, top *frame) (int, int32, int32, uint8, *bodyError) {
	data := d.data
	if p >= len(data) || data[p] != '"' {
		return 0, 0, 0, 0, syntax("expected a member name in quotes", p)
	}
	end, escaped, bad, ok := scanString(data, p)
	if !ok {
		return 0, 0, 0, 0, syntax("a member name is not closed", p)
	}
	off, length, flags := int32(p+1), int32(end-p-2), uint8(0)
	if escaped && bad == "" {
		s := len(d.names)
		d.names = appendUnquoted(d.names, data[p+1:end-1])
		off, length, flags = int32(s), int32(len(d.names)-s), flagKeyDecoded
	}
	q := ws(data, end)
	if q >= len(data) || data[q] != ':' {
		return 0, 0, 0, 0, syntax("expected : after a member name", q)
	}
	q = ws(data, q+1)
	// The value's node is the next one; name problems are reported on it.
	idx := int32(len(d.nodes))
	if bad != "" {
		d.pending = append(d.pending, pending{idx, "the member name " + bad})
		flags |= flagBad
		return q, off, length, flags, nil
	}
	name := d.nameBytes(off, length, flags)
	// A member with the same name earlier in this object?
	ordinal := top.count // the ordinal the new member will get
	if top.names == nil && ordinal >= smallObject {
		top.names = make(map[string]int32, 2*smallObject)
		for c, i := top.node+1, int32(0); i < ordinal; c, i = d.nodes[c].skip, i+1 {
			k := string(d.nameBytes(d.nodes[c].keyOff, d.nodes[c].keyLen, d.nodes[c].flags))
			if _, seen := top.names[k]; !seen {
				top.names[k] = i
			}
		}
	}
	first := int32(-1)
	if top.names != nil {
		if o, seen := top.names[string(name)]; seen {
			first = o
		} else {
			top.names[string(name)] = ordinal
		}
	} else {
		for c, i := top.node+1, int32(0); i < ordinal; c, i = d.nodes[c].skip, i+1 {
			k := d.nodes[c]
			if string(d.nameBytes(k.keyOff, k.keyLen, k.flags)) == string(name) {
				first = i
				break
			}
		}
	}
	if first >= 0 {
		c := top.node + 1
		for i := int32(0); i < first; i++ {
			c = d.nodes[c].skip
		}
		if d.nodes[c].flags&flagBad == 0 {
			d.refuse(c, "appears more than once in one object")
		}
		flags |= flagBad // the later ones are named by the first
	}
	return q, off, length, flags, nil
}

// refuse marks a value as refused and keeps its error for the first read.
func (d *doc) refuse(n int32, detail string) {
	if d.nodes[n].flags&flagBad != 0 {
		return // named already
	}
	d.nodes[n].flags |= flagBad
	d.pending = append(d.pending, pending{n, detail})
}

func (d *doc) nameBytes(off, length int32, flags uint8) []byte {
	if flags&flagKeyDecoded != 0 {
		return d.names[off : off+length]
	}
	return d.data[off : off+length]
}

// name is the member name of node n.
func (d *doc) name(n int32) string {
	k := &d.nodes[n]
	return string(d.nameBytes(k.keyOff, k.keyLen, k.flags))
}

// relPath is the dotted path of node n below the root.
func (d *doc) relPath(n int32) string {
	var segs [DefaultMaxDepth]string
	k := 0
	for n >= 0 && d.nodes[n].parent >= 0 && k < len(segs) {
		nd := &d.nodes[n]
		if nd.keyLen < 0 {
			segs[k] = strconv.Itoa(int(nd.keyOff))
		} else {
			segs[k] = segment(d.name(n))
		}
		k++
		n = nd.parent
	}
	var b strings.Builder
	for i := k - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(segs[i])
		if b.Len() > 4*roadcover.MaxFieldLen {
			break
		}
	}
	return b.String()
}

// where names node n in a body error.
func (d *doc) where(n int32) string {
	if p := d.relPath(n); p != "" {
		return roadcover.ClipField(p)
	}
	return "the body"
}

// flush adds the field errors found while indexing, once.
func (d *doc) flush() {
	if d.flushed {
		return
	}
	d.flushed = true
	base := ""
	if d.root != nil {
		base = d.root.Path
	}
	for _, p := range d.pending {
		d.errs.Add(join(base, d.relPath(p.node)), roadcover.CodeInvalidInput, p.detail)
	}
	d.pending = nil
}

// segment is a member name as shown in a path: at most
// roadcover.MaxQuoteLen bytes of it.
func segment(name string) string { return roadcover.Clip(name, roadcover.MaxQuoteLen) }

func join(base, rel string) string {
	switch {
	case base == "":
		return rel
	case rel == "":
		return base
	}
	return roadcover.ClipField(base + "." + rel)
}

func hasWord(data []byte, p int, w string) bool {
	return len(data)-p >= len(w) && string(data[p:p+len(w)]) == w
}

func isNumberChar(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// checkNumber checks a run of number characters against the JSON grammar:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func checkNumber(b []byte) (whole bool, bad string) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
		if i < len(b) && b[i] >= '0' && b[i] <= '9' {
			return false, "is not a JSON number: it has a leading zero"
		}
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return false, "is not a JSON number"
	}
	whole = true
	if i < len(b) && b[i] == '.' {
		whole = false
		i++
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false, "is not a JSON number"
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		whole = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == j {
			return false, "is not a JSON number"
		}
	}
	if i != len(b) {
		return false, "is not a JSON number"
	}
	return whole, ""
}

// scanString reads the string whose opening quote is at p. It returns the
// index after the closing quote, whether the string holds escapes, what is
// wrong with it ("" when nothing) and whether it is closed at all.
func scanString(data []byte, p int) (end int, escaped bool, bad string, ok bool) {
	i := p + 1
	for i < len(data) {
		c := data[i]
		if plainChar[c] {
			i++
			continue
		}
		switch {
		case c == '"':
			return i + 1, escaped, bad, true
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				return 0, false, "", false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				r, ok := hex4(data, i+2)
				if !ok {
					bad = first(bad, "holds a \\u escape without four hex digits")
					i += 2
					continue
				}
				i += 6
				switch {
				case r == 0:
					bad = first(bad, "holds a NUL character")
				case utf16IsHigh(r):
					if i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
						if lo, ok := hex4(data, i+2); ok && utf16IsLow(lo) {
							i += 6
							continue
						}
					}
					bad = first(bad, "holds an unpaired UTF-16 surrogate")
				case utf16IsLow(r):
					bad = first(bad, "holds an unpaired UTF-16 surrogate")
				}
			default:
				bad = first(bad, "holds an escape JSON does not know")
				i += 2
			}
		case c == 0:
			bad = first(bad, "holds a NUL character")
			i++
		case c < 0x20:
			bad = first(bad, "holds a control character that must be escaped")
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				bad = first(bad, "is not valid UTF-8")
			}
			i += size
		}
	}
	return 0, false, "", false
}

func first(had, now string) string {
	if had != "" {
		return had
	}
	return now
}

func utf16IsHigh(r rune) bool { return r >= 0xD800 && r < 0xDC00 }
func utf16IsLow(r rune) bool  { return r >= 0xDC00 && r < 0xE000 }

func hex4(data []byte, p int) (rune, bool) {
	if len(data)-p < 4 {
		return 0, false
	}
	var r rune
	for _, c := range data[p : p+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// appendUnquoted decodes the inside of a string that scanString found
// sound (valid escapes, pairs of surrogates, valid UTF-8).
func appendUnquoted(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			j := i + 1
			for j < len(s) && s[j] != '\\' {
				j++
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		switch s[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, _ := hex4(s, i+2)
			i += 6
			if utf16IsHigh(r) {
				lo, _ := hex4(s, i+2)
				r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // " \ /
			dst = append(dst, s[i+1])
		}
		i += 2
	}
	return dst
}
