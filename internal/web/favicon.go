package web

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"net/http"
)

// The site's icon, a block of movable type, for clients that ask for
// /favicon.ico without reading the page's <link rel="icon"> (the SVG in
// static/): an ICO holding one 32×32 PNG, drawn once at start.
var faviconICO = makeFaviconICO()

func makeFaviconICO() []byte {
	const size = 32
	blue := color.RGBA{0x0b, 0x4f, 0x8a, 0xff}
	red := color.RGBA{0xc8, 0x10, 0x2e, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			var c color.RGBA
			switch {
			case x >= 13 && x < 19 && y >= 13 && y < 19:
				c = red
			case x >= 8 && x < 24 && y >= 8 && y < 24:
				c = color.RGBA{0xff, 0xff, 0xff, 0xff}
			case roundedCorner(x, y, size, 6):
				c = color.RGBA{} // transparent outside the rounded corners
			default:
				c = blue
			}
			img.SetRGBA(x, y, c)
		}
	}
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		panic(err)
	}
	// ICONDIR, one ICONDIRENTRY, then the PNG (allowed in ICO since Windows
	// Vista and read by every browser).
	var ico bytes.Buffer
	binary.Write(&ico, binary.LittleEndian, [3]uint16{0, 1, 1})
	binary.Write(&ico, binary.LittleEndian, struct {
		Width, Height, Colors, Reserved uint8
		Planes, BitCount                uint16
		Size, Offset                    uint32
	}{size, size, 0, 0, 1, 32, uint32(pngData.Len()), 6 + 16})
	ico.Write(pngData.Bytes())
	return ico.Bytes()
}

// roundedCorner reports whether (x, y) lies outside a square's corner
// rounded with radius r.
func roundedCorner(x, y, size, r int) bool {
	cx, cy := -1, -1
	switch {
	case x < r:
		cx = r
	case x >= size-r:
		cx = size - r - 1
	}
	switch {
	case y < r:
		cy = r
	case y >= size-r:
		cy = size - r - 1
	}
	if cx < 0 || cy < 0 {
		return false
	}
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy > r*r
}

func (s *Server) serveFavicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/x-icon")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(faviconICO)
}
