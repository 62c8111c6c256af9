package receiptfile

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"roadcover/internal/receiptimage"
)

// blockMeans is the mean of each 8×8 block of a brightness plane (of the
// blocks inside it; the last row and column of blocks may be cut).
func blockMeans(pix []byte, stride, w, h int) ([]float64, int, int) {
	bw, bh := (w+7)/8, (h+7)/8
	out := make([]float64, bw*bh)
	for by := range bh {
		for bx := range bw {
			sum, n := 0, 0
			for y := by * 8; y < min(h, by*8+8); y++ {
				for x := bx * 8; x < min(w, bx*8+8); x++ {
					sum += int(pix[y*stride+x])
					n++
				}
			}
			out[by*bw+bx] = float64(sum) / float64(n)
		}
	}
	return out, bw, bh
}

// sameAsFullDecode compares jpegLuma with the block means of the standard
// decoder's image. Blocks cut by the image's edge are left out: their DC
// is the mean of the encoder's padding too.
func sameAsFullDecode(t *testing.T, name string, data []byte) {
	t.Helper()
	luma, lw, lh, ok, err := jpegLuma(data)
	if err != nil || !ok {
		t.Fatalf("%s: %v %v", name, ok, err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	pix, stride, w, h := lumaPlane(img)
	means, bw, bh := blockMeans(pix, stride, w, h)
	if lw != bw || lh != bh {
		t.Fatalf("%s: %d×%d samples, want %d×%d", name, lw, lh, bw, bh)
	}
	worst, total, n := 0.0, 0.0, 0
	for y := range bh - 1 {
		for x := range bw - 1 {
			d := float64(luma[y*lw+x]) - means[y*bw+x]
			if d < 0 {
				d = -d
			}
			worst = max(worst, d)
			total += d
			n++
		}
	}
	if worst > 4 || total/float64(n) > 1 {
		t.Errorf("%s: DC brightness differs from the decoded blocks by up to %.1f (mean %.2f)", name, worst, total/float64(n))
	}
}

// photo is a noisy colour or grey photograph of a receipt of w×h pixels.
func photo(w, h int, grey bool, q int) []byte {
	paper := receiptimage.Receipt([]string{"HOTEL ALPENROSE", "SUMME EUR 900,00"}, 9)
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	var img image.Image
	set := func(x, y int, v uint8) {}
	if grey {
		g := image.NewGray(image.Rect(0, 0, w, h))
		set = func(x, y int, v uint8) { g.Pix[y*g.Stride+x] = v }
		img = g
	} else {
		c := image.NewRGBA(image.Rect(0, 0, w, h))
		set = func(x, y int, v uint8) {
			c.SetRGBA(x, y, color.RGBA{v, uint8(max(0, int(v)-20)), uint8(min(255, int(v)+15)), 255})
		}
		img = c
	}
	pb := paper.Bounds()
	for y := range h {
		for x := range w {
			v := 90.0 + float64((x/23+y/31)%7)*6
			if x < pb.Dx() && y < pb.Dy() {
				v = float64(paper.GrayAt(x, y).Y)
			}
			v += rng.NormFloat64() * 10
			set(x, y, uint8(max(0, min(255, v))))
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestJPEGLumaMatchesFullDecode: the brightness read from the DC
// coefficients is the mean of each block the standard decoder draws, for
// grey and colour (4:2:0) photographs of sides that are and are not
// multiples of the block size.
func TestJPEGLumaMatchesFullDecode(t *testing.T) {
	for _, c := range []struct {
		w, h int
		grey bool
		q    int
	}{{640, 512, true, 90}, {1001, 777, false, 85}, {1024, 768, false, 60}, {513, 1500, true, 75}} {
		sameAsFullDecode(t, "photo", photo(c.w, c.h, c.grey, c.q))
	}
}

// dcOnlyJPEG writes a baseline JPEG whose blocks carry DC coefficients
// only, with the components' sampling factors given and a restart
// interval (0: none): the layouts the standard library's encoder does not
// write (4:4:4, 4:2:2, restart markers). The DC of each block follows dc.
func dcOnlyJPEG(w, h int, sampling [][2]int, ri int, dc func(comp, bx, by int) int) []byte {
	var b bytes.Buffer
	seg := func(m byte, payload []byte) {
		b.Write([]byte{0xff, m, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)})
		b.Write(payload)
	}
	b.Write([]byte{0xff, 0xd8})
	q := make([]byte, 65) // table 0, all ones
	for i := 1; i < 65; i++ {
		q[i] = 1
	}
	seg(0xdb, q)
	// DC table 0: the standard luminance DC table (ISO/IEC 10918-1 K.3).
	dcBits := []byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}
	dcVals := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	seg(0xc4, append(append([]byte{0x00}, dcBits...), dcVals...))
	// AC table 0: end of block only, the code 0.
	seg(0xc4, append(append([]byte{0x10}, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0x00))
	if ri > 0 {
		seg(0xdd, []byte{byte(ri >> 8), byte(ri)})
	}
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(sampling))}
	hmax, vmax := 1, 1
	for i, s := range sampling {
		sof = append(sof, byte(i+1), byte(s[0]<<4|s[1]), 0)
		hmax, vmax = max(hmax, s[0]), max(vmax, s[1])
	}
	seg(0xc0, sof)
	sos := []byte{byte(len(sampling))}
	for i := range sampling {
		sos = append(sos, byte(i+1), 0x00)
	}
	seg(0xda, append(sos, 0, 63, 0))

	// The DC codes of the standard table: code and length per category.
	var codes [12]struct{ code, n int }
	code, k := 0, 0
	for l := 1; l <= 16; l++ {
		for range dcBits[l-1] {
			codes[dcVals[k]] = struct{ code, n int }{code, l}
			code++
			k++
		}
		code <<= 1
	}
	var acc, nacc int
	put := func(v, n int) {
		for i := n - 1; i >= 0; i-- {
			acc = acc<<1 | (v>>i)&1
			nacc++
			if nacc == 8 {
				b.WriteByte(byte(acc))
				if acc == 0xff {
					b.WriteByte(0)
				}
				acc, nacc = 0, 0
			}
		}
	}
	align := func() {
		for nacc != 0 {
			put(1, 1)
		}
	}
	mcusX, mcusY := (w+8*hmax-1)/(8*hmax), (h+8*vmax-1)/(8*vmax)
	pred := make([]int, len(sampling))
	for m := range mcusX * mcusY {
		if ri > 0 && m > 0 && m%ri == 0 {
			align()
			b.Write([]byte{0xff, byte(0xd0 + (m/ri-1)%8)})
			clear(pred)
		}
		mx, my := m%mcusX, m/mcusX
		for c, s := range sampling {
			for by := range s[1] {
				for bx := range s[0] {
					v := dc(c, mx*s[0]+bx, my*s[1]+by)
					diff := v - pred[c]
					pred[c] = v
					cat, bits := 0, diff
					for a := max(diff, -diff); a > 0; a >>= 1 {
						cat++
					}
					if diff < 0 {
						bits = diff + (1 << cat) - 1
					}
					put(codes[cat].code, codes[cat].n)
					put(bits, cat)
					put(0, 1) // end of block
				}
			}
		}
	}
	align()
	b.Write([]byte{0xff, 0xd9})
	return b.Bytes()
}

// TestJPEGLumaLayouts reads DC-only files of every sampling layout, with
// and without restart markers, as the standard decoder does.
func TestJPEGLumaLayouts(t *testing.T) {
	pattern := func(comp, bx, by int) int {
		if comp > 0 {
			return (bx*7 + by*3) % 40 * 8
		}
		return ((bx*13+by*29)%200 - 100) * 8 // brightness 28 … 227
	}
	for _, c := range []struct {
		name     string
		w, h     int
		sampling [][2]int
		ri       int
	}{
		{"grey", 600, 520, [][2]int{{1, 1}}, 0},
		{"grey, restart every 7", 600, 520, [][2]int{{1, 1}}, 7},
		{"4:4:4", 530, 515, [][2]int{{1, 1}, {1, 1}, {1, 1}}, 0},
		{"4:2:2, restart every 5", 530, 515, [][2]int{{2, 1}, {1, 1}, {1, 1}}, 5},
		{"4:2:0, restart every 1", 700, 600, [][2]int{{2, 2}, {1, 1}, {1, 1}}, 1},
		{"4:1:1", 700, 600, [][2]int{{4, 1}, {1, 1}, {1, 1}}, 3},
	} {
		data := dcOnlyJPEG(c.w, c.h, c.sampling, c.ri, pattern)
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("%s: the standard decoder refuses the test file: %v", c.name, err)
		}
		sameAsFullDecode(t, c.name, data)
		if _, err := Read(data); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestJPEGLumaRefuses: what does not hold together is refused, as by the
// standard decoder; what it does not read is left to it.
func TestJPEGLumaRefuses(t *testing.T) {
	good := photo(640, 560, false, 80)
	restarts := dcOnlyJPEG(600, 520, [][2]int{{1, 1}}, 4, func(_, bx, by int) int { return (bx + by) % 50 * 8 })
	rst := bytes.Index(restarts, []byte{0xff, 0xd1})
	swapped := append([]byte(nil), restarts...)
	swapped[rst+1] = 0xd5
	sos := bytes.Index(good, []byte{0xff, 0xda})
	garbled := append([]byte(nil), good...)
	for i := sos + 200; i < sos+260; i++ {
		garbled[i] = 0xff // fill where codes were: an unknown code or a marker
	}
	for name, data := range map[string][]byte{
		"truncated":         good[:len(good)*2/3],
		"no end":            good[:len(good)-2],
		"restart misplaced": swapped,
		"no scan":           good[:sos],
		"garbled":           garbled,
	} {
		if _, _, _, _, err := jpegLuma(data); err == nil {
			t.Errorf("%s: read", name)
		}
		if _, err := Read(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, _, _, ok, err := jpegLuma(photo(300, 200, true, 80)); ok || err != nil {
		t.Errorf("a small image is read at an eighth: %v %v", ok, err)
	}
	var prog bytes.Buffer
	prog.Write(good)
	p := bytes.Replace(prog.Bytes(), []byte{0xff, 0xc0}, []byte{0xff, 0xc2}, 1)
	if _, _, _, ok, err := jpegLuma(p); ok || err != nil {
		t.Errorf("a progressive frame is read: %v %v", ok, err)
	}
	if _, _, _, _, err := jpegLuma([]byte("\xff\xd8\xff\xd9")); !errors.Is(err, errNoImageData) {
		t.Errorf("an empty image: %v", err)
	}
}

// TestLargePhotoFingerprint: a photograph read at an eighth and the same
// photograph at half the size (read whole) are within the distance of
// duplicates; another receipt is not.
func TestLargePhotoFingerprint(t *testing.T) {
	big := photo(1600, 1200, false, 85)
	a, err := Read(big)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := jpeg.Decode(bytes.NewReader(big))
	half := image.NewGray(image.Rect(0, 0, 400, 300))
	pix, stride, _, _ := lumaPlane(img)
	for y := range 300 {
		for x := range 400 {
			half.Pix[y*half.Stride+x] = pix[(4*y)*stride+4*x]
		}
	}
	var hb bytes.Buffer
	jpeg.Encode(&hb, half, &jpeg.Options{Quality: 80})
	b, err := Read(hb.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d := Distance(a.PHash, b.PHash); d > SimilarImageDistance {
		t.Errorf("the photograph at a quarter of its size: distance %d", d)
	}
	other := receiptimage.JPEG(receiptimage.Scale(receiptimage.Receipt([]string{"TAXA AARHUS", "2026-07-02", "TUR 12 KM", "I ALT 210,00"}, 20), 1), 85)
	c, err := Read(other)
	if err != nil {
		t.Fatal(err)
	}
	if d := Distance(a.PHash, c.PHash); d <= SimilarImageDistance {
		t.Errorf("another receipt: distance %d", d)
	}
}

// FuzzJPEGLuma reads arbitrary files as baseline JPEGs at an eighth. The
// seeds are small (a few hundred bytes of entropy-coded data), so that the
// fuzzer spends its time on mutations rather than on minimising.
func FuzzJPEGLuma(f *testing.F) {
	f.Add(dcOnlyJPEG(512, 512, [][2]int{{1, 1}}, 0, func(_, x, y int) int { return (x / 16) * 8 }))
	f.Add(dcOnlyJPEG(512, 512, [][2]int{{2, 2}, {1, 1}, {1, 1}}, 16, func(c, x, y int) int { return (y / 8) % 3 * 8 }))
	f.Fuzz(func(t *testing.T, data []byte) {
		luma, w, h, ok, err := jpegLuma(data)
		if err != nil || !ok {
			return
		}
		if len(luma) != w*h || w < minDCSide/8 || h < minDCSide/8 {
			t.Fatalf("%d samples for %d×%d", len(luma), w, h)
		}
	})
}

// BenchmarkReadPhone accepts an 8-megapixel colour photograph (3264×2448,
// about 2 MB): type, the DC brightness of every block with every
// coefficient decoded, SHA-256 and pHash.
func BenchmarkReadPhone(b *testing.B) {
	data := photo(3264, 2448, false, 88)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data)), "file-bytes")
	for b.Loop() {
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
	}
}
