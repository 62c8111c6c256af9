package receiptfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// pdfInfo is what the structure check learnt of a PDF.
type pdfInfo struct {
	version string
	xref    string // "table" or "stream"
}

// maxSections bounds how many cross-reference sections (incremental
// updates, /Prev) are followed.
const maxSections = 64

var (
	reHeader   = regexp.MustCompile(`^%PDF-(1\.[0-7]|2\.0)[\r\n \t%]`)
	reEntry    = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf])[ \r\n]*$`)
	reSubsect  = regexp.MustCompile(`^(\d+) (\d+)[ \t]*$`)
	reObj      = regexp.MustCompile(`^(\d+)\s+(\d+)\s+obj\b`)
	reRoot     = regexp.MustCompile(`/Root\s+(\d+)\s+(\d+)\s+R\b`)
	reSize     = regexp.MustCompile(`/Size\s+(\d+)\b`)
	rePrev     = regexp.MustCompile(`/Prev\s+(\d+)\b`)
	reTypeXRef = regexp.MustCompile(`/Type\s*/XRef\b`)
	reW        = regexp.MustCompile(`/W\s*\[\s*\d+\s+\d+\s+\d+\s*\]`)
)

// checkPDF implements the structure check of a PDF (ISO 32000-1, 7.5): a
// header %PDF-1.0 … %PDF-1.7 (or 2.0) at the start of the file; at its end
// "startxref", the byte offset of the last cross-reference section, and
// %%EOF; at that offset either a cross-reference table ("xref", subsections
// of 20-byte entries) followed by a trailer dictionary with /Size and /Root,
// or a cross-reference stream (an object whose dictionary has /Type /XRef,
// /Size, /W and /Root, followed by a stream). For a table, the /Prev chain
// of earlier sections is followed and the /Root object must be in use and
// start at the offset the table gives. Magic bytes alone never pass.
func checkPDF(data []byte) (pdfInfo, error) {
	var info pdfInfo
	m := reHeader.FindSubmatch(data[:min(len(data), 16)])
	if m == nil {
		return info, errors.New("no header %PDF-1.x at the start")
	}
	info.version = string(m[1])
	tail := data[max(0, len(data)-2048):]
	eof := bytes.LastIndex(tail, []byte("%%EOF"))
	if eof < 0 {
		return info, errors.New("no %%EOF at the end")
	}
	sx := bytes.LastIndex(tail[:eof], []byte("startxref"))
	if sx < 0 {
		return info, errors.New("no startxref before %%EOF")
	}
	num := bytes.TrimSpace(tail[sx+len("startxref") : eof])
	off, err := strconv.ParseInt(string(num), 10, 64)
	if err != nil || off < 0 || off >= int64(len(data)) {
		return info, fmt.Errorf("startxref gives %q, not an offset inside the file", num)
	}
	at := skipSpace(data, int(off))
	switch {
	case bytes.HasPrefix(data[at:], []byte("xref")):
		info.xref = "table"
		return info, checkTable(data, at)
	case reObj.Match(data[at:min(len(data), at+40)]):
		info.xref = "stream"
		return info, checkXRefStream(data, at)
	default:
		return info, fmt.Errorf("startxref points at offset %d, where there is neither a cross-reference table nor an object", off)
	}
}

// checkTable reads the cross-reference table at at and those its trailers
// chain to, then checks the trailer and the root object.
func checkTable(data []byte, at int) error {
	entries := map[int]int64{} // object number → offset, in-use entries, latest section first
	var root *[2]int
	seen := map[int]bool{}
	size := -1
	for n := 0; ; n++ {
		if n == maxSections {
			return errors.New("too many cross-reference sections")
		}
		if seen[at] {
			return errors.New("the /Prev chain of cross-reference sections loops")
		}
		seen[at] = true
		trailer, err := readTable(data, at, entries)
		if err != nil {
			return err
		}
		if size < 0 {
			m := reSize.FindSubmatch(trailer)
			if m == nil {
				return errors.New("the trailer has no /Size")
			}
			size, _ = strconv.Atoi(string(m[1]))
		}
		if root == nil {
			if m := reRoot.FindSubmatch(trailer); m != nil {
				a, _ := strconv.Atoi(string(m[1]))
				b, _ := strconv.Atoi(string(m[2]))
				root = &[2]int{a, b}
			}
		}
		m := rePrev.FindSubmatch(trailer)
		if m == nil {
			break
		}
		prev, err := strconv.Atoi(string(m[1]))
		if err != nil || prev >= len(data) {
			return fmt.Errorf("the trailer's /Prev %s is not an offset inside the file", m[1])
		}
		at = skipSpace(data, prev)
		if !bytes.HasPrefix(data[at:], []byte("xref")) {
			return fmt.Errorf("the trailer's /Prev %d does not point at a cross-reference table", prev)
		}
	}
	if root == nil {
		return errors.New("the trailer has no /Root")
	}
	if root[0] >= size {
		return fmt.Errorf("the /Root object %d is not below /Size %d", root[0], size)
	}
	off, ok := entries[root[0]]
	if !ok {
		return fmt.Errorf("the /Root object %d is not in use in the cross-reference table", root[0])
	}
	if off >= int64(len(data)) {
		return fmt.Errorf("the /Root object %d is said to be at %d, outside the file", root[0], off)
	}
	o := reObj.FindSubmatch(data[off:min(int64(len(data)), off+40)])
	if o == nil || string(o[1]) != strconv.Itoa(root[0]) || string(o[2]) != strconv.Itoa(root[1]) {
		return fmt.Errorf("the /Root object %d %d R is not at offset %d", root[0], root[1], off)
	}
	return nil
}

// readTable reads one cross-reference table ("xref", then subsections
// "first count" of count entries "oooooooooo ggggg n") and returns its
// trailer dictionary. In-use entries not yet known are added to entries.
func readTable(data []byte, at int, entries map[int]int64) ([]byte, error) {
	p := at + len("xref")
	line := func() []byte {
		p = skipSpace(data, p)
		end := p
		for end < len(data) && data[end] != '\n' && data[end] != '\r' {
			end++
		}
		l := data[p:end]
		p = end
		return l
	}
	subsections := 0
	for {
		l := line()
		if bytes.HasPrefix(l, []byte("trailer")) {
			p -= len(l) - len("trailer")
			break
		}
		m := reSubsect.FindSubmatch(l)
		if m == nil {
			return nil, fmt.Errorf("the cross-reference table has %q where a subsection or the trailer should be", clip(l))
		}
		first, err1 := strconv.Atoi(string(m[1]))
		count, err2 := strconv.Atoi(string(m[2]))
		if err1 != nil || err2 != nil || count > len(data)/18 {
			return nil, fmt.Errorf("the cross-reference subsection %q is out of range", clip(l))
		}
		subsections++
		for i := range count {
			e := line()
			em := reEntry.FindSubmatch(e)
			if em == nil {
				return nil, fmt.Errorf("cross-reference entry %d has %q, not \"oooooooooo ggggg n\"", first+i, clip(e))
			}
			if em[3][0] == 'n' {
				if _, known := entries[first+i]; !known {
					off, _ := strconv.ParseInt(string(em[1]), 10, 64)
					entries[first+i] = off
				}
			}
		}
	}
	if subsections == 0 {
		return nil, errors.New("the cross-reference table has no subsection")
	}
	p = skipSpace(data, p)
	d, err := dictionary(data, p)
	if err != nil {
		return nil, fmt.Errorf("the trailer: %w", err)
	}
	return d, nil
}

// checkXRefStream checks the cross-reference stream object at at.
func checkXRefStream(data []byte, at int) error {
	m := reObj.FindIndex(data[at:])
	p := skipSpace(data, at+m[1])
	d, err := dictionary(data, p)
	if err != nil {
		return fmt.Errorf("the cross-reference stream: %w", err)
	}
	for _, need := range []struct {
		re   *regexp.Regexp
		what string
	}{{reTypeXRef, "/Type /XRef"}, {reSize, "/Size"}, {reW, "/W [a b c]"}, {reRoot, "/Root"}} {
		if !need.re.Match(d) {
			return fmt.Errorf("the cross-reference stream's dictionary has no %s", need.what)
		}
	}
	q := skipSpace(data, p+len(d))
	if !bytes.HasPrefix(data[q:], []byte("stream")) {
		return errors.New("the cross-reference stream's dictionary is not followed by a stream")
	}
	if !bytes.Contains(data[q:], []byte("endstream")) {
		return errors.New("the cross-reference stream has no endstream")
	}
	return nil
}

// dictionary returns the dictionary "<< … >>" starting at p, nested
// dictionaries, literal strings and hex strings included.
func dictionary(data []byte, p int) ([]byte, error) {
	if !bytes.HasPrefix(data[p:], []byte("<<")) {
		return nil, errors.New("no dictionary (<<) where one must start")
	}
	depth := 0
	for i := p; i < len(data); i++ {
		switch c := data[i]; {
		case c == '<' && i+1 < len(data) && data[i+1] == '<':
			depth++
			i++
		case c == '>' && i+1 < len(data) && data[i+1] == '>':
			depth--
			i++
			if depth == 0 {
				return data[p : i+1], nil
			}
		case c == '<': // hex string
			j := bytes.IndexByte(data[i:], '>')
			if j < 0 {
				return nil, errors.New("a hex string is not closed")
			}
			i += j
		case c == '(': // literal string, balanced parentheses, backslash escapes
			n := 0
			for ; i < len(data); i++ {
				switch data[i] {
				case '\\':
					i++
				case '(':
					n++
				case ')':
					n--
				}
				if n == 0 {
					break
				}
			}
		case c == '%': // comment to the end of the line
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		}
	}
	return nil, errors.New("a dictionary is not closed (>>)")
}

func skipSpace(data []byte, p int) int {
	for p < len(data) {
		switch data[p] {
		case ' ', '\t', '\r', '\n', '\f', 0:
			p++
		default:
			return p
		}
	}
	return p
}

func clip(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
