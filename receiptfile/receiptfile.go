// Package receiptfile accepts the file of a receipt (a PDF, JPEG or PNG),
// fingerprints it, finds the receipts it may duplicate, and says how a
// stored file is served back.
//
// A file is recognised by its content, never by its name: its type is
// detected from its bytes (github.com/gabriel-vasile/mimetype), and then it
// must also hold together as that type: a PDF must have a header, a
// cross-reference table or stream that startxref points at, and a trailer;
// an image must decode within bounded dimensions (no decompression bombs).
// Files are at most MaxSize bytes and never empty. Each accepted file gets
// its SHA-256 and, for images, a perceptual hash (pHash, from
// github.com/corona10/goimagehash) to find re-photographed receipts, taken
// of the image's brightness averaged down to 64×64 (fingerprint.go); a
// large baseline JPEG is read for it at an eighth of its size from its DC
// coefficients, every coefficient decoded (jpegdc.go).
//
// The package is pure: it reads bytes it is given and writes nothing.
package receiptfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/jpeg" // decoder for image.Decode
	_ "image/png"  // decoder for image.Decode
	"strconv"

	"github.com/corona10/goimagehash"
	"github.com/gabriel-vasile/mimetype"

	"roadcover"
)

// Bounds of an accepted file.
const (
	// MaxSize is the largest file accepted: 10 MiB.
	MaxSize = 10 << 20
	// MaxSide and MaxPixels bound an image's dimensions before it is
	// decoded: a 10 MiB JPEG or PNG can claim dimensions that would take
	// gigabytes to decode. 40 megapixels holds any phone photograph of a
	// receipt (a 12 MP photo is 4032×3024).
	MaxSide   = 12000
	MaxPixels = 40_000_000
)

// The accepted media types.
const (
	PDF  = "application/pdf"
	JPEG = "image/jpeg"
	PNG  = "image/png"
)

// extensions are the file name extensions of the accepted types.
var extensions = map[string]string{PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}

// File is an accepted receipt file.
type File struct {
	// Type is the media type detected from the content; Ext its extension.
	Type string
	Ext  string
	Size int
	// SHA256 is the hex SHA-256 of the content.
	SHA256 string
	// Width and Height are an image's dimensions in pixels.
	Width, Height int
	// PHash is an image's perceptual hash; HasPHash is false for a PDF.
	PHash    uint64
	HasPHash bool
	// PDFVersion is a PDF's header version ("1.7").
	PDFVersion string
	// XRef says how a PDF's cross-reference was found: "table" or "stream".
	XRef string
}

// Read accepts a receipt file and fingerprints it. A file that is empty,
// too large (code payload_too_large), of another type, or not well formed
// as its type is refused with an error saying why: a *roadcover.InputError
// on the field "file" (code unsupported_media_type for a content that is
// not a PDF, JPEG or PNG at all), or a *roadcover.Error for the size.
func Read(data []byte) (File, error) {
	switch {
	case len(data) == 0:
		return File{}, bad("the file is empty")
	case len(data) > MaxSize:
		return File{}, roadcover.Errorf(roadcover.CodeTooLarge,
			fmt.Sprintf("the file has %d bytes; at most %d (10 MiB) are accepted", len(data), MaxSize))
	}
	m := mimetype.Detect(data)
	f := File{Size: len(data)}
	switch {
	case m.Is(PDF):
		f.Type = PDF
	case m.Is(JPEG):
		f.Type = JPEG
	case m.Is(PNG):
		f.Type = PNG
	default:
		errs := &roadcover.InputError{}
		errs.Add("file", roadcover.CodeUnsupportedMedia,
			fmt.Sprintf("the content is %s; only PDF, JPEG and PNG receipts are accepted", m.String()))
		return File{}, errs.Err()
	}
	f.Ext = extensions[f.Type]
	sum := sha256.Sum256(data)
	f.SHA256 = hex.EncodeToString(sum[:])
	if f.Type == PDF {
		info, err := checkPDF(data)
		if err != nil {
			return File{}, bad("not a well-formed PDF: " + err.Error())
		}
		f.PDFVersion, f.XRef = info.version, info.xref
		return f, nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return File{}, bad(fmt.Sprintf("the %s does not decode: %v", f.Type, err))
	}
	if want := f.Type[len("image/"):]; format != want {
		return File{}, bad(fmt.Sprintf("the content starts as %s but decodes as %s", f.Type, format))
	}
	if err := bounded(cfg.Width, cfg.Height); err != nil {
		return File{}, bad(err.Error())
	}
	f.Width, f.Height = cfg.Width, cfg.Height
	var small *image.Gray
	if f.Type == JPEG {
		luma, w, h, ok, err := jpegLuma(data)
		if err != nil {
			return File{}, bad(fmt.Sprintf("the %s does not decode: %v", f.Type, err))
		}
		if ok {
			small = shrink(luma, w, w, h)
		}
	}
	if small == nil {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return File{}, bad(fmt.Sprintf("the %s does not decode: %v", f.Type, err))
		}
		pix, stride, w, h := lumaPlane(img)
		small = shrink(pix, stride, w, h)
	}
	ph, err := goimagehash.PerceptionHash(small)
	if err != nil {
		return File{}, bad("no perceptual hash: " + err.Error())
	}
	f.PHash, f.HasPHash = ph.GetHash(), true
	return f, nil
}

// bounded refuses dimensions that are empty or too large to decode safely.
func bounded(w, h int) error {
	switch {
	case w <= 0 || h <= 0:
		return fmt.Errorf("the image claims %d×%d pixels", w, h)
	case w > MaxSide || h > MaxSide:
		return fmt.Errorf("the image claims %d×%d pixels; at most %d on a side are accepted", w, h, MaxSide)
	case int64(w)*int64(h) > MaxPixels:
		return fmt.Errorf("the image claims %d×%d pixels; at most %d million are accepted", w, h, MaxPixels/1_000_000)
	}
	return nil
}

func bad(detail string) error {
	errs := &roadcover.InputError{}
	errs.Add("file", roadcover.CodeInvalidInput, detail)
	return errs.Err()
}

// ServeHeaders are the response headers with which a stored receipt file
// is sent back, so that a browser shows or downloads it but never runs it:
// the media type detected when it was accepted (application/octet-stream for
// anything else), no sniffing of another type, a download (attachment)
// under a plain name, a content security policy that allows nothing and
// sandboxes the document, and no caching by shared caches. name is the
// file's base name without extension ("receipt-42"); characters outside
// [A-Za-z0-9._-] are replaced.
func ServeHeaders(mediaType string, size int64, name string) map[string]string {
	ext, ok := extensions[mediaType]
	if !ok {
		mediaType, ext = "application/octet-stream", ".bin"
	}
	return map[string]string{
		"Content-Type":                 mediaType,
		"Content-Length":               strconv.FormatInt(size, 10),
		"X-Content-Type-Options":       "nosniff",
		"Content-Disposition":          `attachment; filename="` + safeName(name) + ext + `"`,
		"Content-Security-Policy":      "default-src 'none'; sandbox",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Cache-Control":                "private, no-store",
	}
}

// safeName keeps a file name to ASCII letters, digits, dot, dash and
// underscore, so that it needs no quoting in a header.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		default:
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "receipt"
	}
	if len(b) > 100 {
		b = b[:100]
	}
	return string(b)
}
