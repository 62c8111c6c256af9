package receiptfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"os"
	"strings"
	"testing"

	"roadcover"
	"roadcover/internal/receiptimage"
)

// pdfObj is one indirect object of a test PDF.
type pdfObj struct {
	num  int
	body string
}

// buildPDF writes a PDF with a cross-reference table whose offsets are
// right, and returns it with the offset of every object.
func buildPDF(version string, objs []pdfObj, root int) ([]byte, map[int]int) {
	var b bytes.Buffer
	b.WriteString("%PDF-" + version + "\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	size := 0
	for _, o := range objs {
		offs[o.num] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", o.num, o.body)
		size = max(size, o.num+1)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", size)
	for i := 1; i < size; i++ {
		if off, ok := offs[i]; ok {
			fmt.Fprintf(&b, "%010d 00000 n \n", off)
		} else {
			b.WriteString("0000000000 00000 f \n")
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info << /Producer (roadcover (test) \\) PDF) >> >>\nstartxref\n%d\n%%%%EOF\n", size, root, xref)
	return b.Bytes(), offs
}

var receiptObjs = []pdfObj{
	{1, "<< /Type /Catalog /Pages 2 0 R >>"},
	{2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
	{3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 300] /Contents 4 0 R >>"},
	{4, "<< /Length 44 >>\nstream\nBT /F1 12 Tf 20 250 Td (HOTEL NORD) Tj ET\nendstream"},
}

// xrefStreamPDF writes a PDF whose cross-reference is a stream (PDF 1.5),
// uncompressed, with /W [1 4 2].
func xrefStreamPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	for _, o := range receiptObjs {
		offs[o.num] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", o.num, o.body)
	}
	xref := b.Len()
	var rows bytes.Buffer
	rows.Write([]byte{0, 0, 0, 0, 0, 0xff, 0xff})
	for i := 1; i <= 5; i++ {
		off := offs[i]
		if i == 5 {
			off = xref
		}
		rows.WriteByte(1)
		binary.Write(&rows, binary.BigEndian, uint32(off))
		rows.Write([]byte{0, 0})
	}
	fmt.Fprintf(&b, "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", rows.Len())
	b.Write(rows.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

func TestPDF(t *testing.T) {
	good, offs := buildPDF("1.7", receiptObjs, 1)
	f, err := Read(good)
	if err != nil {
		t.Fatalf("a well-formed PDF is refused: %v", err)
	}
	if f.Type != PDF || f.Ext != ".pdf" || f.PDFVersion != "1.7" || f.XRef != "table" || f.HasPHash || f.Size != len(good) {
		t.Errorf("%+v", f)
	}
	if f, err := Read(xrefStreamPDF()); err != nil || f.XRef != "stream" || f.PDFVersion != "1.5" {
		t.Errorf("a PDF with a cross-reference stream: %+v %v", f, err)
	}

	// An incremental update: a new page object and a table chained by /Prev.
	upd := append([]byte(nil), good...)
	prev := bytes.LastIndex(good, []byte("\nxref\n")) + 1
	obj6 := len(upd)
	upd = append(upd, "6 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n"...)
	x2 := len(upd)
	upd = fmt.Appendf(upd, "xref\n6 1\n%010d 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", obj6, prev, x2)
	if _, err := Read(upd); err != nil {
		t.Errorf("an incrementally updated PDF is refused: %v", err)
	}

	loop := fmt.Appendf(append([]byte(nil), good...), "xref\n6 1\n%010d 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", obj6, len(good), len(good))
	bad := map[string][]byte{
		"17-byte fake":       []byte("%PDF-1.4\n%%EOF\n%\n"),
		"header only":        []byte("%PDF-1.7\n" + strings.Repeat("x", 300)),
		"html behind header": []byte("%PDF-1.4\n<html><script>alert(1)</script></html>\nstartxref\n9\n%%EOF\n"),
		"startxref outside":  bytes.Replace(good, fmt.Appendf(nil, "startxref\n%d", prev), []byte("startxref\n99999999"), 1),
		"startxref wrong":    bytes.Replace(good, fmt.Appendf(nil, "startxref\n%d", prev), []byte("startxref\n30"), 1),
		"no trailer":         bytes.Replace(good, []byte("trailer"), []byte("trail3r"), 1),
		"no root":            bytes.Replace(good, []byte("/Root 1 0 R"), []byte("/Rooz 1 0 R"), 1),
		"root moved":         bytes.Replace(good, fmt.Appendf(nil, "%010d 00000 n", offs[1]), fmt.Appendf(nil, "%010d 00000 n", offs[2]), 1),
		"root not in use":    bytes.Replace(good, fmt.Appendf(nil, "%010d 00000 n", offs[1]), fmt.Appendf(nil, "%010d 00000 f", offs[1]), 1),
		"bad entry":          bytes.Replace(good, fmt.Appendf(nil, "%010d 00000 n", offs[3]), []byte("00000001x2 00000 n"), 1),
		"no %%EOF":           good[:len(good)-6],
		"version 1.9":        bytes.Replace(good, []byte("%PDF-1.7"), []byte("%PDF-1.9"), 1),
		"prev loops":         loop,
		"stream not xref":    bytes.Replace(xrefStreamPDF(), []byte("/Type /XRef"), []byte("/Type /XObj"), 1),
		"stream without /W":  bytes.Replace(xrefStreamPDF(), []byte("/W [1 4 2]"), []byte("/V [1 4 2]"), 1),
		"no dictionary":      bytes.Replace(good, []byte("trailer\n<<"), []byte("trailer\n(("), 1),
	}
	for name, data := range bad {
		if bytes.Equal(data, good) || bytes.Equal(data, xrefStreamPDF()) {
			t.Errorf("%s: the variant is a good file", name)
		}
		if _, err := Read(data); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !fieldFile(err) {
			t.Errorf("%s: %v does not name the file", name, err)
		}
	}
}

func fieldFile(err error) bool {
	var ie *roadcover.InputError
	return errors.As(err, &ie) && ie.Has("file") && ie.Code == roadcover.CodeInvalidInput
}

// TestSystemPDFs reads real PDFs of the machine when there are any (PDF 1.5
// with cross-reference streams, from pdfTeX).
func TestSystemPDFs(t *testing.T) {
	n := 0
	for _, p := range []string{"/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf", "/usr/share/doc/libtasn1-doc/libtasn1.pdf"} {
		data, err := os.ReadFile(p)
		if err != nil || len(data) > MaxSize {
			continue
		}
		n++
		if _, err := Read(data); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if n == 0 {
		t.Skip("no PDF documentation installed on this machine")
	}
}

func TestImages(t *testing.T) {
	img := receiptimage.Receipt([]string{"HOTEL NORD", "TOTAL 1250,00"}, 3)
	for _, c := range []struct {
		data []byte
		typ  string
	}{{receiptimage.PNG(img), PNG}, {receiptimage.JPEG(img, 90), JPEG}} {
		f, err := Read(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		b := img.Bounds()
		if f.Type != c.typ || f.Width != b.Dx() || f.Height != b.Dy() || !f.HasPHash || len(f.SHA256) != 64 {
			t.Errorf("%+v", f)
		}
	}
	png := receiptimage.PNG(img)
	jpg := receiptimage.JPEG(img, 90)
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, image.NewPaletted(image.Rect(0, 0, 4, 4), []color.Color{color.White, color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	// Another type altogether: the field "file", as a media type refused.
	for name, data := range map[string][]byte{
		"gif":  gifBuf.Bytes(),
		"text": []byte("TOTAL 12,00 EUR\n"),
		"html": []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
	} {
		var ie *roadcover.InputError
		if _, err := Read(data); !errors.As(err, &ie) || !ie.Has("file") || ie.Code != roadcover.CodeUnsupportedMedia {
			t.Errorf("%s: %v, want unsupported_media_type on the file", name, err)
		}
	}
	bad := map[string][]byte{
		"truncated png":  png[:len(png)/2],
		"truncated jpeg": jpg[:len(jpg)/3],
		"png bomb":       pngHeader(100_000, 100_000),
		"png too wide":   pngHeader(MaxSide+1, 10),
		"png 0 pixels":   pngHeader(0, 10),
		"jpeg bomb":      jpegHeader(65_000, 65_000),
		"magic only":     []byte("\x89PNG\r\n\x1a\n"),
	}
	for name, data := range bad {
		if _, err := Read(data); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !fieldFile(err) {
			t.Errorf("%s: %v does not name the file", name, err)
		}
	}
	if _, err := Read(nil); !fieldFile(err) {
		t.Errorf("empty: %v", err)
	}
	var ce *roadcover.Error
	if _, err := Read(make([]byte, MaxSize+1)); !errors.As(err, &ce) || ce.Code != roadcover.CodeTooLarge {
		t.Errorf("11 MiB: %v", err)
	}
}

// pngHeader is the start of a PNG whose IHDR claims w×h pixels (with a
// right CRC), and an IDAT of a few bytes: a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit greyscale
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// jpegHeader is the start of a JPEG whose frame header claims w×h pixels.
func jpegHeader(w, h uint16) []byte {
	b := []byte{0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	// a quantisation table, then SOF0 with one component
	b = append(b, 0xff, 0xdb, 0, 67, 0)
	for range 64 {
		b = append(b, 1)
	}
	b = append(b, 0xff, 0xc0, 0, 11, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	return append(b, 0xff, 0xd9)
}

func TestSHA256AndDuplicates(t *testing.T) {
	img := receiptimage.Receipt([]string{"TAXA AARHUS", "2026-07-02", "I ALT 210,00"}, 4)
	a, err := Read(receiptimage.PNG(img))
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 != "" && len(a.SHA256) != 64 {
		t.Fatal(a.SHA256)
	}
	photo, err := Read(receiptimage.Photograph(img, 2, 12, 7, 70))
	if err != nil {
		t.Fatal(err)
	}
	other, err := Read(receiptimage.PNG(receiptimage.Receipt([]string{"HOTEL ROYAL", "VESTERGADE 4", "2026-07-03", "2 NAT", "TOTAL DKK 2400,00"}, 4)))
	if err != nil {
		t.Fatal(err)
	}
	day := roadcover.Date{Year: 2026, Month: 7, Day: 2}
	taxi := roadcover.Money{Minor: 21000, Currency: "DKK"}
	stored := []Fingerprint{
		{ID: "same-file", SHA256: a.SHA256, PHash: a.PHash, HasPHash: true},
		{ID: "same-data-pdf", SHA256: strings.Repeat("0", 64), Date: day, Amount: taxi, Merchant: "Taxa Aarhus."},
		{ID: "other-receipt", SHA256: other.SHA256, PHash: other.PHash, HasPHash: true, Date: day, Amount: taxi, Merchant: "Hotel Royal"},
		{ID: "other-amount", Date: day, Amount: roadcover.Money{Minor: 21000, Currency: "EUR"}, Merchant: "TAXA AARHUS"},
	}
	got := Duplicates(Fingerprint{ID: "new", SHA256: photo.SHA256, PHash: photo.PHash, HasPHash: true, Date: day, Amount: taxi,
		Merchant: "TAXA  AARHUS"}, stored)
	want := map[string][]string{"same-file": {SimilarImage}, "same-data-pdf": {SameReceiptData}}
	if len(got) != len(want) {
		t.Fatalf("matches %+v, want %v", got, want)
	}
	for _, m := range got {
		if fmt.Sprint(m.Why) != fmt.Sprint(want[m.ID]) {
			t.Errorf("%s: %v, want %v", m.ID, m.Why, want[m.ID])
		}
	}
	again := Duplicates(Fingerprint{SHA256: a.SHA256, PHash: a.PHash, HasPHash: true}, stored[:1])
	if len(again) != 1 || fmt.Sprint(again[0].Why) != fmt.Sprint([]string{SameContent, SimilarImage}) || again[0].Distance != 0 {
		t.Errorf("the same file: %+v", again)
	}
}

// TestSimilarImageDistance justifies SimilarImageDistance on synthetic
// receipts: every photograph of a receipt (turned −2° to 2°, Gaussian noise
// of 12 grey levels, JPEG quality 70), and a copy at half the resolution,
// stays within it of the original; receipts that differ (another merchant,
// other lines, another length) stay beyond it. Measured when the constant
// was chosen: photographs and copies at most 6, different receipts at
// least 14.
func TestSimilarImageDistance(t *testing.T) {
	receipts := [][]string{
		{"HOTEL NORD", "VESTERBROGADE 12", "2026-07-03", "1 NAT 2 PERS", "TOTAL DKK 1250,00"},
		{"TAXA AARHUS", "2026-07-02", "TUR 12 KM", "I ALT 210,00"},
		{"DSB", "KOBENHAVN H - AARHUS H", "2026-07-05", "1 PERS 1 KL", "TOTAL 449,00"},
		{"RESTAURANT HAFEN", "HAMBURG", "03.07.2026", "MENU 2X", "SUMME EUR 58,40"},
		{"SIXT", "MIETVERTRAG 88123", "01.07.2026 - 05.07.2026", "4 TAGE", "NETTO 336,13", "MWST 63,87", "GESAMT 400,00"},
		{"GRAND HOTEL BIRMINGHAM", "2 NIGHTS", "TOTAL GBP 900.00"},
		{"EUROPCAR MADRID", "ALQUILER 3 DIAS", "IVA 21", "TOTAL 210,00 EUR"},
		{"MUSEO", "BIGLIETTO", "12,00"},
	}
	maxSame, minDiff := 0, 64
	var hashes []uint64
	for i, lines := range receipts {
		img := receiptimage.Receipt(lines, 4)
		orig, err := Read(receiptimage.PNG(img))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, orig.PHash)
		for k, deg := range []float64{-2, -1, 1, 2} {
			ph, err := Read(receiptimage.Photograph(img, deg, 12, uint64(10*i+k+1), 70))
			if err != nil {
				t.Fatal(err)
			}
			d := Distance(orig.PHash, ph.PHash)
			maxSame = max(maxSame, d)
			if d > SimilarImageDistance {
				t.Errorf("receipt %d photographed at %v°: distance %d", i, deg, d)
			}
		}
		half, err := Read(receiptimage.JPEG(receiptimage.Scale(img, 0.5), 80))
		if err != nil {
			t.Fatal(err)
		}
		if d := Distance(orig.PHash, half.PHash); d > SimilarImageDistance {
			t.Errorf("receipt %d at half resolution: distance %d", i, d)
		} else {
			maxSame = max(maxSame, d)
		}
	}
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			d := Distance(hashes[i], hashes[j])
			minDiff = min(minDiff, d)
			if d <= SimilarImageDistance {
				t.Errorf("receipts %d and %d differ but are at distance %d", i, j, d)
			}
		}
	}
	t.Logf("photographs and copies: at most %d; different receipts: at least %d; threshold %d", maxSame, minDiff, SimilarImageDistance)
}

func TestServeHeaders(t *testing.T) {
	h := ServeHeaders(PDF, 1234, `receipt "42"; <script>`)
	want := map[string]string{
		"Content-Type":                 "application/pdf",
		"Content-Length":               "1234",
		"X-Content-Type-Options":       "nosniff",
		"Content-Disposition":          `attachment; filename="receipt__42____script_.pdf"`,
		"Content-Security-Policy":      "default-src 'none'; sandbox",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Cache-Control":                "private, no-store",
	}
	if fmt.Sprint(h) != fmt.Sprint(want) {
		t.Errorf("%v", h)
	}
	if h := ServeHeaders("text/html", 10, "x"); h["Content-Type"] != "application/octet-stream" ||
		h["Content-Disposition"] != `attachment; filename="x.bin"` {
		t.Errorf("%v", h)
	}
	if h := ServeHeaders(PNG, 10, ""); h["Content-Disposition"] != `attachment; filename="receipt.png"` {
		t.Errorf("%v", h)
	}
}

func TestMerchantKey(t *testing.T) {
	for in, want := range map[string]string{"Hotel Nord GmbH.": "hotelnordgmbh", "HOTEL  NORD-GMBH": "hotelnordgmbh",
		"Café Øresund": "caféøresund", " ": ""} {
		if got := MerchantKey(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	good, _ := buildPDF("1.4", receiptObjs, 1)
	f.Add(good)
	f.Add(xrefStreamPDF())
	f.Add(receiptimage.PNG(receiptimage.Receipt([]string{"A"}, 1)))
	f.Add([]byte("%PDF-1.4\n%%EOF\n%\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(data)
		if err != nil {
			return
		}
		if file.Type == "" || file.Size != len(data) || len(file.SHA256) != 64 {
			t.Fatalf("%+v", file)
		}
		if file.Type != PDF && (file.Width*file.Height > MaxPixels || !file.HasPHash) {
			t.Fatalf("%+v", file)
		}
	})
}

// TestPure checks that the package reads no files, clock or environment and
// imports no network or process package: it works on the bytes it is given.
func TestPure(t *testing.T) {
	forbidden := []string{`"os"`, `"os/exec"`, `"net"`, `"net/http"`, `"database/sql"`, "time.Now", "os.Getenv"}
	for _, f := range []string{"receiptfile.go", "pdf.go", "duplicate.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range forbidden {
			if strings.Contains(string(src), s) {
				t.Errorf("%s uses %s", f, s)
			}
		}
	}
}

// BenchmarkReadPhoto accepts a photographed receipt of about 1.6
// megapixels (JPEG quality 70): type, decoding, SHA-256 and pHash.
func BenchmarkReadPhoto(b *testing.B) {
	img := receiptimage.Receipt([]string{"HOTEL ROYAL AARHUS", "VESTERGADE 4, 8000 AARHUS", "DATO 03.07.2026",
		"2 NAETTER X 2 PERS", "MOMS 25%: 480,00", "I ALT EUR 2400,00"}, 12)
	data := receiptimage.Photograph(img, 2, 12, 1, 70)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadPDF accepts a small PDF: type and structure, SHA-256.
func BenchmarkReadPDF(b *testing.B) {
	data, _ := buildPDF("1.7", receiptObjs, 1)
	for b.Loop() {
		if _, err := Read(data); err != nil {
			b.Fatal(err)
		}
	}
}
