package receiptfile

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// jpegLuma reads the brightness of a baseline JPEG at an eighth of its
// size from the DC coefficients of its luma blocks (ISO/IEC 10918-1, F.2.2:
// the DC coefficient is eight times a block's mean), decoding every
// Huffman-coded coefficient of every block on the way, so that a file whose
// entropy-coded data does not hold together is refused as a full decode
// would refuse it, but without the inverse DCT and colour conversion of
// every pixel: a 2 MB photograph is fingerprinted in a fraction of the
// time.
//
// ok is false, with no error, for what it leaves to the standard decoder:
// progressive and lossless files, 12-bit samples, CMYK and RGB-coded
// files, and images whose eighth would be too small for a fingerprint.
func jpegLuma(data []byte) (luma []byte, w, h int, ok bool, err error) {
	d := &dcDecoder{data: data}
	return d.decode()
}

// minDCSide is the least side, in pixels, of an image read at an eighth:
// its eighth must have at least the fingerprint's 64 samples a side.
const minDCSide = 512

var (
	errNoSOI       = errors.New("no start-of-image marker")
	errTruncated   = errors.New("the data ends within the image")
	errHuffman     = errors.New("a Huffman code that no table holds")
	errBadMarker   = errors.New("a malformed marker segment")
	errNoFrame     = errors.New("a scan before the frame header")
	errBadScan     = errors.New("a malformed scan header")
	errBadRestart  = errors.New("a restart marker out of order")
	errBadTable    = errors.New("a malformed Huffman or quantisation table")
	errNoImageData = errors.New("no image data")
)

// huffman is one Huffman table with a 9-bit lookahead.
type huffman struct {
	lut [1 << lutBits]uint16 // length<<8 | symbol, 0 when the code is longer
	// ac is the lookahead of an AC table with what its symbol means: the
	// bits to drop (the code and the coefficient's bits), the zeros run
	// before it, whether it ends the block; 0 when the code is longer.
	ac      [1 << lutBits]uint32
	maxcode [17]int32
	valptr  [17]int32
	mincode [17]int32
	vals    [256]uint8
	defined bool
}

const lutBits = 9

// The fields of huffman.ac.
const (
	acValid = 1 << 31
	acEnd   = 1 << 30
)

// acEntry is huffman.ac's entry for a code of length l with symbol rs.
func acEntry(l int, rs uint8) uint32 {
	r, s := uint32(rs>>4), uint32(rs&15)
	e := uint32(acValid) | r<<8 | uint32(l) + s
	if s == 0 && r != 15 {
		e |= acEnd // end of block (and the run lengths 1 to 14 without a value, read as one)
	}
	return e
}

type component struct {
	id, h, v, tq int
	dcPred       int32
	td, ta       int
}

type dcDecoder struct {
	data []byte
	pos  int

	// the bit reader: acc holds n bits, the next one at bit 63.
	acc    uint64
	n      uint
	padded uint // zero bits fed past the end of the entropy-coded data
	marker bool // the entropy-coded data ended at a marker

	quant    [4]int32 // the DC entry of each quantisation table
	dc, ac   [4]huffman
	comps    []component
	width    int
	height   int
	hmax     int
	vmax     int
	ri       int
	frame    bool
	adobeRGB bool // an Adobe segment says the components are not YCbCr
	scanned  bool

	luma   []byte
	lw, lh int // luma's size (the first component's blocks)
}

func (d *dcDecoder) decode() ([]byte, int, int, bool, error) {
	if len(d.data) < 4 || d.data[0] != 0xff || d.data[1] != 0xd8 {
		return nil, 0, 0, false, errNoSOI
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			return nil, 0, 0, false, err
		}
		switch {
		case m == 0xd9: // EOI
			if !d.scanned {
				return nil, 0, 0, false, errNoImageData
			}
			return d.luma, d.lw, d.lh, true, nil
		case m >= 0xd0 && m <= 0xd7, m == 0x01: // RST outside a scan, TEM: no length
			continue
		}
		seg, err := d.segment()
		if err != nil {
			return nil, 0, 0, false, err
		}
		switch {
		case m == 0xdb:
			err = d.readDQT(seg)
		case m == 0xc4:
			err = d.readDHT(seg)
		case m == 0xdd:
			if len(seg) != 2 {
				return nil, 0, 0, false, errBadMarker
			}
			d.ri = int(seg[0])<<8 | int(seg[1])
		case m == 0xee:
			// Adobe APP14: transform 0 means RGB or CMYK, not YCbCr.
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" && seg[11] == 0 {
				d.adobeRGB = true
			}
		case m == 0xc0 || m == 0xc1:
			var use bool
			if use, err = d.readSOF(seg); err == nil && !use {
				return nil, 0, 0, false, nil
			}
		case m >= 0xc2 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return nil, 0, 0, false, nil // progressive, lossless, arithmetic: the standard decoder's
		case m == 0xda:
			err = d.readScan(seg)
		}
		if err != nil {
			return nil, 0, 0, false, err
		}
	}
}

// nextMarker reads the next marker, skipping fill bytes.
func (d *dcDecoder) nextMarker() (byte, error) {
	for d.pos < len(d.data) && d.data[d.pos] != 0xff {
		d.pos++ // bytes between segments
	}
	for d.pos < len(d.data) && d.data[d.pos] == 0xff {
		d.pos++
	}
	if d.pos >= len(d.data) {
		return 0, errTruncated
	}
	m := d.data[d.pos]
	d.pos++
	return m, nil
}

// segment returns the payload of a marker segment.
func (d *dcDecoder) segment() ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, errTruncated
	}
	n := int(d.data[d.pos])<<8 | int(d.data[d.pos+1])
	if n < 2 {
		return nil, errBadMarker
	}
	if d.pos+n > len(d.data) {
		return nil, errTruncated
	}
	seg := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return seg, nil
}

func (d *dcDecoder) readDQT(seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, int(seg[0]&15)
		if tq > 3 || pq > 1 {
			return errBadTable
		}
		size := 65
		if pq == 1 {
			size = 129
		}
		if len(seg) < size {
			return errBadTable
		}
		q := int32(seg[1])
		if pq == 1 {
			q = int32(seg[1])<<8 | int32(seg[2])
		}
		d.quant[tq] = q
		seg = seg[size:]
	}
	return nil
}

func (d *dcDecoder) readDHT(seg []byte) error {
	for len(seg) > 0 {
		if len(seg) < 17 {
			return errBadTable
		}
		tc, th := seg[0]>>4, int(seg[0]&15)
		if tc > 1 || th > 3 {
			return errBadTable
		}
		var counts [17]int
		total := 0
		for i := 1; i <= 16; i++ {
			counts[i] = int(seg[i])
			total += counts[i]
		}
		if total == 0 || total > 256 || len(seg) < 17+total {
			return errBadTable
		}
		t := &d.dc[th]
		if tc == 1 {
			t = &d.ac[th]
		}
		*t = huffman{defined: true}
		copy(t.vals[:], seg[17:17+total])
		code, k := int32(0), int32(0)
		for l := 1; l <= 16; l++ {
			t.valptr[l] = k
			t.mincode[l] = code
			code += int32(counts[l])
			k += int32(counts[l])
			if counts[l] > 0 {
				t.maxcode[l] = code - 1
			} else {
				t.maxcode[l] = -1
			}
			if code > 1<<l {
				return errBadTable // more codes than the length holds
			}
			if l <= lutBits {
				for c := t.mincode[l]; c <= t.maxcode[l]; c++ {
					sym := uint16(t.vals[t.valptr[l]+c-t.mincode[l]])
					shift := uint(lutBits - l)
					for j := int32(0); j < 1<<shift; j++ {
						t.lut[c<<shift|j] = uint16(l)<<8 | sym
						t.ac[c<<shift|j] = acEntry(l, uint8(sym))
					}
				}
			}
			code <<= 1
		}
		seg = seg[17+total:]
	}
	return nil
}

// readSOF reads a baseline or extended sequential frame header; use is
// false for what jpegLuma leaves to the standard decoder.
func (d *dcDecoder) readSOF(seg []byte) (use bool, err error) {
	if d.frame || len(seg) < 6 {
		return false, errBadMarker
	}
	d.frame = true
	p := seg[0]
	d.height = int(seg[1])<<8 | int(seg[2])
	d.width = int(seg[3])<<8 | int(seg[4])
	nf := int(seg[5])
	if len(seg) < 6+3*nf || nf == 0 || d.width == 0 || d.height == 0 {
		return false, errBadMarker
	}
	if p != 8 || (nf != 1 && nf != 3) || d.adobeRGB {
		return false, nil
	}
	for i := range nf {
		c := seg[6+3*i:]
		h, v := int(c[1]>>4), int(c[1]&15)
		if h < 1 || h > 4 || v < 1 || v > 4 || c[2] > 3 {
			return false, errBadMarker
		}
		d.comps = append(d.comps, component{id: int(c[0]), h: h, v: v, tq: int(c[2])})
		d.hmax, d.vmax = max(d.hmax, h), max(d.vmax, v)
	}
	if nf == 3 && d.comps[0].id == 'R' && d.comps[1].id == 'G' && d.comps[2].id == 'B' {
		return false, nil
	}
	if min(d.width, d.height) < minDCSide || int64(d.width)*int64(d.height) > MaxPixels {
		return false, nil
	}
	c0 := d.comps[0]
	d.lw = (ceilDiv(d.width*c0.h, d.hmax) + 7) / 8
	d.lh = (ceilDiv(d.height*c0.v, d.vmax) + 7) / 8
	d.luma = make([]byte, d.lw*d.lh)
	return true, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// readScan reads a scan header and decodes its entropy-coded data.
func (d *dcDecoder) readScan(seg []byte) error {
	if !d.frame || d.luma == nil {
		return errNoFrame
	}
	if len(seg) < 1 {
		return errBadScan
	}
	ns := int(seg[0])
	if ns < 1 || ns > len(d.comps) || len(seg) != 4+2*ns {
		return errBadScan
	}
	scan := make([]*component, ns)
	for i := range ns {
		id, t := int(seg[1+2*i]), seg[2+2*i]
		var c *component
		for j := range d.comps {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return errBadScan
		}
		c.td, c.ta = int(t>>4), int(t&15)
		if c.td > 3 || c.ta > 3 || !d.dc[c.td].defined || !d.ac[c.ta].defined {
			return errBadScan
		}
		c.dcPred = 0
		scan[i] = c
	}
	if ss, se, a := seg[1+2*ns], seg[2+2*ns], seg[3+2*ns]; ss != 0 || se != 63 || a != 0 {
		return errBadScan
	}
	d.acc, d.n, d.padded, d.marker = 0, 0, 0, false

	// The blocks in coding order: interleaved MCUs, or one component's
	// blocks in raster order.
	var mcusX, mcusY int
	if ns == 1 {
		c := scan[0]
		mcusX = ceilDiv(ceilDiv(d.width*c.h, d.hmax), 8)
		mcusY = ceilDiv(ceilDiv(d.height*c.v, d.vmax), 8)
	} else {
		mcusX = ceilDiv(d.width, 8*d.hmax)
		mcusY = ceilDiv(d.height, 8*d.vmax)
	}
	luma := &d.comps[0]
	q := d.quant[luma.tq]
	rst := 0
	for my := range mcusY {
		for mx := range mcusX {
			mcu := my*mcusX + mx
			if d.ri > 0 && mcu > 0 && mcu%d.ri == 0 {
				if err := d.restart(rst); err != nil {
					return err
				}
				rst = (rst + 1) & 7
				for _, c := range scan {
					c.dcPred = 0
				}
			}
			for _, c := range scan {
				nh, nv := c.h, c.v
				if ns == 1 {
					nh, nv = 1, 1
				}
				for by := range nv {
					for bx := range nh {
						if err := d.block(c); err != nil {
							return err
						}
						if c != luma {
							continue
						}
						x, y := mx*nh+bx, my*nv+by
						if x < d.lw && y < d.lh {
							v := (c.dcPred*q)/8 + 128
							d.luma[y*d.lw+x] = uint8(max(0, min(255, v)))
						}
					}
				}
			}
			if d.padded > 0 && d.n < d.padded {
				return errTruncated
			}
		}
	}
	d.scanned = true
	// Back to the byte after the entropy-coded data: the next marker.
	return d.skipToMarker()
}

// block decodes one block's coefficients, keeping its DC value.
func (d *dcDecoder) block(c *component) error {
	s, err := d.symbol(&d.dc[c.td])
	if err != nil {
		return err
	}
	if s > 11 {
		return errHuffman
	}
	if s > 0 {
		if d.n < uint(s) {
			d.fill()
		}
		v := int32(d.acc >> (64 - uint(s)))
		d.acc <<= uint(s)
		d.n -= uint(s)
		if v < 1<<(s-1) {
			v += -1<<s + 1
		}
		c.dcPred += v
	}
	// The AC coefficients: only their positions matter, and the bits of
	// their values are dropped with their codes.
	t := &d.ac[c.ta]
	acc, n := d.acc, d.n // in registers for the loop
	for k := 1; k <= 63; k++ {
		if n < 32 {
			d.acc, d.n = acc, n
			d.fill()
			acc, n = d.acc, d.n
		}
		if e := t.ac[acc>>(64-lutBits)]; e != 0 {
			drop := uint(e & 0xff)
			acc <<= drop
			n -= drop
			if e&acEnd != 0 {
				break
			}
			k += int(e >> 8 & 0xff)
			continue
		}
		d.acc, d.n = acc, n
		rs, err := d.symbol(t)
		if err != nil {
			return err
		}
		acc, n = d.acc, d.n
		r, sz := rs>>4, rs&15
		if sz == 0 {
			if r != 15 {
				break // end of block
			}
			k += 15
			continue
		}
		k += int(r)
		if d.n < uint(sz) {
			d.fill()
		}
		acc, n = d.acc<<uint(sz), d.n-uint(sz)
	}
	d.acc, d.n = acc, n
	return nil
}

// symbol decodes one Huffman symbol.
func (d *dcDecoder) symbol(t *huffman) (uint8, error) {
	if d.n < 16 {
		d.fill()
	}
	if e := t.lut[d.acc>>(64-lutBits)]; e != 0 {
		l := uint(e >> 8)
		d.acc <<= l
		d.n -= l
		return uint8(e), nil
	}
	for l := lutBits + 1; l <= 16; l++ {
		code := int32(d.acc >> (64 - uint(l)))
		if code <= t.maxcode[l] {
			d.acc <<= uint(l)
			d.n -= uint(l)
			return t.vals[t.valptr[l]+code-t.mincode[l]], nil
		}
	}
	return 0, errHuffman
}

// fill tops the bit reader up to at least 57 bits, undoing byte stuffing
// (0xFF 0x00) and feeding zeros past a marker or the end of the data.
func (d *dcDecoder) fill() {
	// As many whole bytes as fit at once, when none of them is 0xFF.
	if !d.marker && d.pos+8 <= len(d.data) {
		k := (64 - d.n) / 8
		low := uint64(1)<<(64-8*k) - 1
		w := binary.BigEndian.Uint64(d.data[d.pos:])
		if x := ^w | low; (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
			d.acc |= (w &^ low) >> d.n
			d.n += 8 * k
			d.pos += int(k)
			return
		}
	}
	for d.n <= 56 {
		var b byte
		switch {
		case d.marker || d.pos >= len(d.data):
			d.padded += 8
		case d.data[d.pos] != 0xff:
			b = d.data[d.pos]
			d.pos++
		case d.pos+1 < len(d.data) && d.data[d.pos+1] == 0x00:
			b = 0xff
			d.pos += 2
		default:
			d.marker = true // a marker: the entropy-coded data ends here
			d.padded += 8
		}
		d.acc |= uint64(b) << (56 - d.n)
		d.n += 8
	}
}

// restart expects the restart marker number n at the next byte boundary:
// the bits left of the last byte are padding, and the reader never reads
// past a marker, so the marker is at the reader's position (after fill
// bytes).
func (d *dcDecoder) restart(n int) error {
	if d.padded > 0 && d.n < d.padded {
		return errTruncated
	}
	d.acc, d.n, d.padded, d.marker = 0, 0, 0, false
	for d.pos+1 < len(d.data) && d.data[d.pos] == 0xff && d.data[d.pos+1] == 0xff {
		d.pos++
	}
	if d.pos+1 >= len(d.data) {
		return errTruncated
	}
	if d.data[d.pos] != 0xff || d.data[d.pos+1] != byte(0xd0+n) {
		return fmt.Errorf("%w (wanted RST%d)", errBadRestart, n)
	}
	d.pos += 2
	return nil
}

// skipToMarker leaves the entropy-coded data: the reader's position goes
// to the marker that ended it.
func (d *dcDecoder) skipToMarker() error {
	for d.pos < len(d.data) {
		if d.data[d.pos] == 0xff && d.pos+1 < len(d.data) && d.data[d.pos+1] != 0x00 &&
			(d.data[d.pos+1] < 0xd0 || d.data[d.pos+1] > 0xd7) {
			return nil
		}
		d.pos++
	}
	return errTruncated
}
