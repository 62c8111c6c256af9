// Package tesseract reads the text of a receipt image with the Tesseract
// OCR command (Debian package tesseract-ocr, with the tessdata of eng, deu,
// dan, swe and por) and turns it into a suggestion of amount, date and
// merchant that a person confirms. Nothing it reads is used unconfirmed.
//
// Tesseract is optional: without the command, New says it is not
// available (ErrNotAvailable) and everything else works without it. The
// command runs with a timeout and one thread; the image goes in on standard
// input and the text comes back on standard output.
package tesseract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"roadcover"
)

// ErrNotAvailable is the error when Tesseract (or a language of it) is not
// installed.
var ErrNotAvailable = errors.New("tesseract: not available")

// DefaultTimeout bounds one reading. Tesseract reads a receipt in a few
// seconds on one core.
const DefaultTimeout = 30 * time.Second

// MaxImage is the largest image handed to Tesseract (the receipt file limit).
const MaxImage = 10 << 20

// Reader runs Tesseract.
type Reader struct {
	// Path is the command; Languages the tessdata languages read with
	// ("eng", "deu", "dan", "swe", "por"), all installed.
	Path      string
	Languages []string
	Timeout   time.Duration
}

// Languages maps the product's languages to Tesseract's.
var Languages = map[roadcover.Language]string{
	roadcover.English: "eng", roadcover.German: "deu", roadcover.Portuguese: "por",
	roadcover.Danish: "dan", roadcover.Swedish: "swe",
}

// New finds Tesseract (path "" looks for "tesseract" on the PATH) and
// checks that the languages asked for are installed; with none asked, it
// reads English. It returns an error wrapping ErrNotAvailable that says
// what is missing.
func New(ctx context.Context, path string, languages ...string) (*Reader, error) {
	if path == "" {
		path = "tesseract"
	}
	p, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("%w: the command %q is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-eng "+
			"tesseract-ocr-deu tesseract-ocr-dan tesseract-ocr-swe tesseract-ocr-por)", ErrNotAvailable, path)
	}
	if len(languages) == 0 {
		languages = []string{"eng"}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, p, "--list-langs").Output()
	if err != nil {
		return nil, fmt.Errorf("%w: %s --list-langs: %v", ErrNotAvailable, p, err)
	}
	installed := map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		installed[l] = true
	}
	var missing []string
	for _, l := range languages {
		if !installed[l] {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: the languages %s are not installed (Debian: tesseract-ocr-%s)", ErrNotAvailable,
			strings.Join(missing, ", "), missing[0])
	}
	return &Reader{Path: p, Languages: languages, Timeout: DefaultTimeout}, nil
}

// Read reads a PNG or JPEG receipt and returns the suggestion parsed from
// its text. A PDF is not read (Tesseract reads images only).
func (r *Reader) Read(ctx context.Context, image []byte) (Suggestion, error) {
	switch {
	case len(image) == 0 || len(image) > MaxImage:
		return Suggestion{}, fmt.Errorf("tesseract: an image of %d bytes is not read", len(image))
	case !bytes.HasPrefix(image, []byte("\x89PNG\r\n\x1a\n")) && !bytes.HasPrefix(image, []byte{0xff, 0xd8, 0xff}):
		return Suggestion{}, errors.New("tesseract: only PNG and JPEG images are read")
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.Path, "stdin", "stdout", "-l", strings.Join(r.Languages, "+"), "--psm", "6")
	cmd.Stdin = bytes.NewReader(image)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Suggestion{}, fmt.Errorf("tesseract: no text within %s", timeout)
		}
		return Suggestion{}, fmt.Errorf("tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return Parse(stdout.String()), nil
}
