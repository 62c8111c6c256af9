package receiptfile

import (
	"image"
	"image/color"
)

// The fingerprint of an image is the pHash of its brightness averaged down
// to 64×64 (each sample the mean of its area of the image, or the nearest
// pixel of an image smaller than that): the same for a photograph read
// whole or at an eighth from its DC coefficients.

// side is the size of the image the pHash is taken of.
const side = 64

// lumaPlane is the brightness of img, 8 bits per pixel, with the plane's
// stride and size: the Y plane of a YCbCr image and the pixels of a grey
// one as they are; the ITU-R BT.601 luma of the others.
func lumaPlane(img image.Image) (pix []byte, stride, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	switch m := img.(type) {
	case *image.YCbCr:
		return m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, w, h
	case *image.Gray:
		return m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h
	}
	pix = make([]byte, w*h)
	switch m := img.(type) {
	case *image.RGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				p := row[4*x : 4*x+3]
				pix[y*w+x] = uint8((299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000)
			}
		}
	case *image.NRGBA:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				p := row[4*x : 4*x+4]
				l := (299*uint32(p[0]) + 587*uint32(p[1]) + 114*uint32(p[2]) + 500) / 1000
				pix[y*w+x] = uint8(l * uint32(p[3]) / 255)
			}
		}
	default:
		for y := range h {
			for x := range w {
				pix[y*w+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return pix, w, w, h
}

// shrink averages a brightness plane down to side×side: each sample is the
// mean of the pixels of its area, or the nearest pixel where the plane is
// smaller than that.
func shrink(pix []byte, stride, w, h int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, side, side))
	var sums [side]uint32
	var counts [side]uint32
	for j := range side {
		y0, y1 := j*h/side, (j+1)*h/side
		if y1 <= y0 {
			y1 = y0 + 1
		}
		clear(sums[:])
		clear(counts[:])
		for y := y0; y < y1; y++ {
			row := pix[y*stride : y*stride+w]
			if w >= side {
				for x, v := range row {
					i := x * side / w
					sums[i] += uint32(v)
					counts[i]++
				}
				continue
			}
			for i := range side {
				sums[i] += uint32(row[i*w/side])
				counts[i]++
			}
		}
		for i := range side {
			out.Pix[j*out.Stride+i] = uint8((sums[i] + counts[i]/2) / counts[i])
		}
	}
	return out
}
