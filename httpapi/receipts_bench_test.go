package httpapi

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"roadcover/internal/receiptimage"
)

// phonePhoto is a colour photograph of a receipt as a phone sends it: an
// 8-megapixel JPEG (3264×2448, 4:2:0, quality 84) of about 2 MB, the
// paper's text drawn large on a grey table, with sensor noise.
func phonePhoto(tb testing.TB) []byte {
	tb.Helper()
	paper := receiptimage.Receipt([]string{"HOTEL ALPENROSE", "MARIA-THERESIEN-STR 12", "6020 INNSBRUCK",
		"01.07.2026 - 03.07.2026", "2 NAECHTE 3 PERS", "SUMME EUR 900,00", "MWST 10% 81,82"}, 14)
	const w, h = 3264, 2448
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(7, 8))
	pb := paper.Bounds()
	ox, oy := (w-pb.Dx())/2, (h-pb.Dy())/2
	for y := range h {
		for x := range w {
			v := 96.0 + float64((x/37+y/53)%5) // the table
			if px, py := x-ox, y-oy; px >= 0 && py >= 0 && px < pb.Dx() && py < pb.Dy() {
				v = float64(paper.GrayAt(px, py).Y)*0.85 + 20
			}
			v += rng.NormFloat64() * 9
			img.Y[y*img.YStride+x] = uint8(max(0, min(255, v)))
		}
	}
	for y := range h / 2 {
		for x := range w / 2 {
			img.Cb[y*img.CStride+x] = uint8(124 + rng.IntN(7))
			img.Cr[y*img.CStride+x] = uint8(127 + rng.IntN(7))
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 84}); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// withComment is a copy of a JPEG with a comment segment after its start,
// so that each upload is another file (its own SHA-256) of the same
// photograph.
func withComment(jpg []byte, text string) []byte {
	seg := []byte{0xff, 0xfe, 0, 0}
	seg[2], seg[3] = byte((len(text)+2)>>8), byte(len(text)+2)
	out := make([]byte, 0, len(jpg)+len(seg)+len(text))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, text...)
	return append(out, jpg[2:]...)
}

// BenchmarkUploadPhoto uploads a 2 MB phone photograph of a hotel receipt
// through the whole handler chain on SQLite (synchronous=FULL), one at a
// time: the multipart body read and hashed, the file recognised, decoded
// and fingerprinted, the receipt checked against the case's stored
// decision and its earlier receipts, and file, receipt, line and event
// written durably. A new case takes every tenth receipt, so that the
// duplicate search and the caps see a case's usual few receipts.
// ms-median is the median time of one upload; ms-p90 its 90th percentile.
func BenchmarkUploadPhoto(b *testing.B) {
	e := newEnv(b)
	h := e.srv.Handler()
	e.srv.tokens = newTokenCache(2e9)
	auth := "Bearer " + e.tokens[RoleOperator]
	photo := phonePhoto(b)
	b.Logf("photograph: %d bytes", len(photo))
	part := hotel("300.00", "Hotel Alpenrose", "2026-07-01", 1, payeeBlock)
	var caseID string
	var times []time.Duration
	var cpu time.Duration
	n := 0
	b.SetBytes(int64(len(photo)))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if n%10 == 0 {
			caseID = e.hotelCase()
		}
		body, ct := receiptBody(withComment(photo, strconv.Itoa(n)), part)
		n++
		req := httptest.NewRequest("POST", "/v1/cases/"+caseID+"/receipts", bytes.NewReader([]byte(body)))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", ct)
		w := httptest.NewRecorder()
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		h.ServeHTTP(w, req)
		times = append(times, time.Since(start))
		cpu += cpuTime() - cpu0
		if w.Code != http.StatusCreated {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "ms-p90")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
}

// cpuTime is the CPU time the process has used. On a machine shared with
// other work the wall time of an upload includes waiting for a core; the
// CPU time per upload (cpu-ms/op) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
