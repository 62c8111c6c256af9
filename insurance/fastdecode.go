package insurance

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// errSlow sends a body the fast decoder does not handle (escapes in
// strings, fractional numbers, duplicate structure it does not expect, any
// syntax or type error) to encoding/json, and from there to the walker.
var errSlow = errors.New("insurance: fast decode declined")

// fastDecode reads a claim body straight into rawClaim: one pass over the
// bytes, fields found through a table built once per struct type. Unknown
// fields are skipped, as on the slow path.
func fastDecode(data []byte, raw *rawClaim) ([]string, error) {
	d := scanner{b: data}
	d.ws()
	if err := d.object(reflect.ValueOf(raw).Elem()); err != nil {
		return nil, err
	}
	d.ws()
	if d.i != len(d.b) {
		return nil, errSlow
	}
	return d.unknown, nil
}

type fieldKind uint8

const (
	fkString fieldKind = iota
	fkBool
	fkInt
	fkFloat
	fkAmount
	fkStruct
	fkStructPtr
	fkAmountMap
	fkStrings
	fkAmounts
	fkStructs
)

type fieldInfo struct {
	index int
	kind  fieldKind
	elem  reflect.Type
}

var fieldTables sync.Map // reflect.Type -> map[string]fieldInfo

func fieldsOf(t reflect.Type) map[string]fieldInfo {
	if m, ok := fieldTables.Load(t); ok {
		return m.(map[string]fieldInfo)
	}
	m := map[string]fieldInfo{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fi := fieldInfo{index: i}
		switch {
		case f.Type == amountType:
			fi.kind = fkAmount
		case f.Type == optStringType:
			fi.kind = fkString
		case f.Type == optBoolType:
			fi.kind = fkBool
		case f.Type == optIntType:
			fi.kind = fkInt
		case f.Type == optFloatType:
			fi.kind = fkFloat
		case f.Type.Kind() == reflect.Struct:
			fi.kind = fkStruct
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct:
			fi.kind, fi.elem = fkStructPtr, f.Type.Elem()
		case f.Type.Kind() == reflect.Pointer:
			switch f.Type.Elem().Kind() {
			case reflect.String:
				fi.kind = fkString
			case reflect.Bool:
				fi.kind = fkBool
			case reflect.Int64:
				fi.kind = fkInt
			case reflect.Float64:
				fi.kind = fkFloat
			}
		case f.Type.Kind() == reflect.Map:
			fi.kind = fkAmountMap
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			fi.kind = fkStrings
		case f.Type.Kind() == reflect.Slice && f.Type.Elem() == amountType:
			fi.kind = fkAmounts
		case f.Type.Kind() == reflect.Slice:
			fi.kind, fi.elem = fkStructs, f.Type.Elem()
		}
		m[name] = fi
	}
	fieldTables.Store(t, m)
	return m
}

type scanner struct {
	b       []byte
	i       int
	unknown []string // top-level names the claim does not know
}

var rawClaimType = reflect.TypeOf(rawClaim{})

func (d *scanner) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *scanner) peek() byte {
	d.ws()
	if d.i >= len(d.b) {
		return 0
	}
	return d.b[d.i]
}

func (d *scanner) expect(c byte) error {
	if d.peek() != c {
		return errSlow
	}
	d.i++
	return nil
}

// str reads a string without escapes; one with escapes declines.
func (d *scanner) str() ([]byte, error) {
	if d.peek() != '"' {
		return nil, errSlow
	}
	d.i++
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			s := d.b[start:d.i]
			d.i++
			return s, nil
		case c == '\\' || c < 0x20:
			return nil, errSlow
		}
		d.i++
	}
	return nil, errSlow
}

// number reads a JSON number token.
func (d *scanner) number() ([]byte, error) {
	d.ws()
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.i++
			continue
		}
		break
	}
	if d.i == start {
		return nil, errSlow
	}
	return d.b[start:d.i], nil
}

func (d *scanner) literal(word string) bool {
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

// null consumes a null and reports whether there was one.
func (d *scanner) null() bool {
	return d.peek() == 'n' && d.literal("null")
}

// skip passes over any JSON value.
func (d *scanner) skip() error {
	switch d.peek() {
	case '"':
		_, err := d.str()
		return err
	case '{':
		d.i++
		if d.peek() == '}' {
			d.i++
			return nil
		}
		for {
			if _, err := d.str(); err != nil {
				return err
			}
			if err := d.expect(':'); err != nil {
				return err
			}
			if err := d.skip(); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.i++
			case '}':
				d.i++
				return nil
			default:
				return errSlow
			}
		}
	case '[':
		d.i++
		if d.peek() == ']' {
			d.i++
			return nil
		}
		for {
			if err := d.skip(); err != nil {
				return err
			}
			switch d.peek() {
			case ',':
				d.i++
			case ']':
				d.i++
				return nil
			default:
				return errSlow
			}
		}
	case 't':
		if d.literal("true") {
			return nil
		}
	case 'f':
		if d.literal("false") {
			return nil
		}
	case 'n':
		if d.literal("null") {
			return nil
		}
	default:
		_, err := d.number()
		return err
	}
	return errSlow
}

func (d *scanner) object(v reflect.Value) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	fields := fieldsOf(v.Type())
	if d.peek() == '}' {
		d.i++
		return nil
	}
	for {
		key, err := d.str()
		if err != nil {
			return err
		}
		if err := d.expect(':'); err != nil {
			return err
		}
		fi, ok := fields[string(key)]
		if !ok {
			if v.Type() == rawClaimType {
				d.unknown = append(d.unknown, string(key))
			}
			err = d.skip()
		} else if !d.null() {
			err = d.field(v.Field(fi.index), fi)
		}
		if err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return nil
		default:
			return errSlow
		}
	}
}

func (d *scanner) boolean() (bool, error) {
	switch d.peek() {
	case 't':
		if d.literal("true") {
			return true, nil
		}
	case 'f':
		if d.literal("false") {
			return false, nil
		}
	}
	return false, errSlow
}

func (d *scanner) amount() (amount, error) {
	var text []byte
	var err error
	switch c := d.peek(); {
	case c == '"':
		text, err = d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		text, err = d.number()
	default:
		return amount{}, errSlow
	}
	if err != nil {
		return amount{}, err
	}
	a := amount{set: true}
	if v, perr := parseMinorBytes(text); perr == nil {
		a.minor = v
	} else {
		a.bad = true
	}
	return a, nil
}

func (d *scanner) field(f reflect.Value, fi fieldInfo) error {
	switch fi.kind {
	case fkString:
		s, err := d.str()
		if err != nil {
			return err
		}
		*(f.Addr().Interface().(*optString)) = optString{internString(s), true}
	case fkBool:
		b, err := d.boolean()
		if err != nil {
			return err
		}
		*(f.Addr().Interface().(*optBool)) = optBool{b, true}
	case fkInt:
		n, err := d.number()
		if err != nil {
			return err
		}
		x, ok := parseIntBytes(n)
		if !ok {
			return errSlow
		}
		*(f.Addr().Interface().(*optInt)) = optInt{x, true}
	case fkFloat:
		n, err := d.number()
		if err != nil {
			return err
		}
		x, perr := strconv.ParseFloat(string(n), 64)
		if perr != nil {
			return errSlow
		}
		*(f.Addr().Interface().(*optFloat)) = optFloat{x, true}
	case fkAmount:
		a, err := d.amount()
		if err != nil {
			return err
		}
		*(f.Addr().Interface().(*amount)) = a
	case fkStruct:
		return d.object(f)
	case fkStructPtr:
		p := reflect.New(fi.elem)
		if err := d.object(p.Elem()); err != nil {
			return err
		}
		f.Set(p)
	case fkAmountMap:
		if err := d.expect('{'); err != nil {
			return err
		}
		m := make(map[string]amount, 8)
		if d.peek() == '}' {
			d.i++
		} else {
			for {
				k, err := d.str()
				if err != nil {
					return err
				}
				if err := d.expect(':'); err != nil {
					return err
				}
				if !d.null() {
					a, err := d.amount()
					if err != nil {
						return err
					}
					m[string(k)] = a
				}
				if c := d.peek(); c == ',' {
					d.i++
					continue
				} else if c == '}' {
					d.i++
					break
				}
				return errSlow
			}
		}
		f.Set(reflect.ValueOf(m))
	case fkStrings:
		if err := d.expect('['); err != nil {
			return err
		}
		list := make([]string, 0, 16)
		if d.peek() == ']' {
			d.i++
		} else {
			for {
				str, err := d.str()
				if err != nil {
					return err
				}
				list = append(list, internString(str))
				if c := d.peek(); c == ',' {
					d.i++
					continue
				} else if c == ']' {
					d.i++
					break
				}
				return errSlow
			}
		}
		*(f.Addr().Interface().(*[]string)) = list
	case fkAmounts, fkStructs:
		if err := d.expect('['); err != nil {
			return err
		}
		s := reflect.MakeSlice(f.Type(), 0, 8)
		if d.peek() == ']' {
			d.i++
			f.Set(s)
			return nil
		}
		for {
			el := reflect.New(f.Type().Elem()).Elem()
			switch fi.kind {
			case fkStrings:
				str, err := d.str()
				if err != nil {
					return err
				}
				el.SetString(string(str))
			case fkAmounts:
				a, err := d.amount()
				if err != nil {
					return err
				}
				el.Set(reflect.ValueOf(a))
			default:
				if err := d.object(el); err != nil {
					return err
				}
			}
			s = reflect.Append(s, el)
			if c := d.peek(); c == ',' {
				d.i++
				continue
			} else if c == ']' {
				d.i++
				break
			}
			return errSlow
		}
		f.Set(s)
	}
	return nil
}

// parseMinorBytes is roadcover.ParseMinor without the string copy for the
// common forms ("1500", "1500.5", "1500.50"); anything else goes to it.
func parseMinorBytes(b []byte) (int64, error) {
	var whole, frac int64
	i, digits := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		whole = whole*10 + int64(b[i]-'0')
		digits++
	}
	if digits == 0 || digits > 15 {
		return parseMinorSlow(b)
	}
	n := 0
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9' && n < 3; i++ {
			frac = frac*10 + int64(b[i]-'0')
			n++
		}
		if n == 0 || n > 2 {
			return parseMinorSlow(b)
		}
		if n == 1 {
			frac *= 10
		}
	}
	if i != len(b) {
		return parseMinorSlow(b)
	}
	return whole*100 + frac, nil
}

func parseIntBytes(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var x int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int64(c-'0')
	}
	if neg {
		x = -x
	}
	return x, true
}

// known holds the enumeration values and field values that recur in
// claims, so that reading them makes no copy.
var known = func() map[string]string {
	m := map[string]string{"SE": "SE"}
	for _, list := range [][]string{perils, alarms, disputes, forums, causes, otherVehs, injuries, components, animals, coverNames[:]} {
		for _, s := range list {
			m[s] = s
		}
	}
	return m
}()

func internString(b []byte) string {
	if s, ok := known[string(b)]; ok {
		return s
	}
	return string(b)
}
