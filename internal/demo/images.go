package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"sync"

	"jikji/internal/news"
)

// VariantWidths are the widths every demo photo is rendered at. Heights
// follow the 3:2 aspect ratio.
var VariantWidths = []int{480, 960, 1440}

// jpegQuality is the quality the placeholder images are encoded with.
const jpegQuality = 80

// Muted newspaper tones.
var (
	paper    = color.NRGBA{236, 229, 214, 255}
	cream    = color.NRGBA{244, 238, 226, 255}
	sand     = color.NRGBA{214, 198, 170, 255}
	sepia    = color.NRGBA{150, 120, 90, 255}
	slate    = color.NRGBA{92, 108, 122, 255}
	mist     = color.NRGBA{178, 188, 194, 255}
	ink      = color.NRGBA{44, 48, 54, 255}
	teal     = color.NRGBA{96, 128, 124, 255}
	rose     = color.NRGBA{176, 132, 120, 255}
	mustard  = color.NRGBA{196, 164, 98, 255}
	olive    = color.NRGBA{120, 124, 92, 255}
	charcoal = color.NRGBA{70, 72, 76, 255}
)

// alpha returns c with opacity a (0–1).
func alpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(a * 255))
	return c
}

// mix blends a towards b by t (0–1), opaque.
func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 255}
}

// scene draws a picture on a canvas in coordinates relative to its size, so
// the same scene can be drawn directly at any width.
type scene func(c *canvas)

// canvas is an RGBA image addressed in fractions of its width and height.
type canvas struct {
	img  *image.RGBA
	w, h int
}

func newCanvas(w, h int) *canvas {
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), w: w, h: h}
}

// gradient fills the canvas with a soft diagonal gradient from top to bottom.
func (c *canvas) gradient(top, bottom color.NRGBA) {
	var lut [256]color.NRGBA
	for i := range lut {
		t := float64(i) / 255
		lut[i] = mix(top, bottom, t*t*(3-2*t)) // smoothstep
	}
	pix := c.img.Pix
	for y := 0; y < c.h; y++ {
		fy := 0.8 * 255 * float64(y) / float64(c.h-1)
		row := pix[y*c.img.Stride : y*c.img.Stride+4*c.w]
		for x := 0; x < c.w; x++ {
			col := lut[int(fy+0.2*255*float64(x)/float64(c.w-1)+0.5)]
			i := 4 * x
			row[i], row[i+1], row[i+2], row[i+3] = col.R, col.G, col.B, 255
		}
	}
}

func (c *canvas) px(fx float64) int { return int(math.Round(fx * float64(c.w))) }
func (c *canvas) py(fy float64) int { return int(math.Round(fy * float64(c.h))) }

// rect fills the rectangle (x0,y0)–(x1,y1), given in fractions.
func (c *canvas) rect(x0, y0, x1, y1 float64, col color.NRGBA) {
	r := image.Rect(c.px(x0), c.py(y0), c.px(x1), c.py(y1))
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// shape fills the pixels of the bounding box (fractions) for which inside
// reports true at sub-pixel points, 2×2 supersampled for soft edges. inside
// gets coordinates in pixels.
func (c *canvas) shape(x0, y0, x1, y1 float64, col color.NRGBA, inside func(x, y float64) bool) {
	r := image.Rect(c.px(x0)-1, c.py(y0)-1, c.px(x1)+1, c.py(y1)+1).Intersect(c.img.Bounds())
	if r.Empty() {
		return
	}
	mask := image.NewAlpha(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			n := 0
			for _, d := range [4][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}} {
				if inside(float64(x)+d[0], float64(y)+d[1]) {
					n++
				}
			}
			if n > 0 {
				mask.Pix[(y-r.Min.Y)*mask.Stride+(x-r.Min.X)] = uint8(n * 255 / 4)
			}
		}
	}
	draw.DrawMask(c.img, r, image.NewUniform(col), image.Point{}, mask, r.Min, draw.Over)
}

// circle fills a circle centred at (cx, cy) with radius r as a fraction of
// the height.
func (c *canvas) circle(cx, cy, r float64, col color.NRGBA) {
	c.ellipse(cx, cy, r*float64(c.h)/float64(c.w), r, col)
}

// ellipse fills an ellipse; rx is a fraction of the width, ry of the height.
// Its edge is softened over about one pixel.
func (c *canvas) ellipse(cx, cy, rx, ry float64, col color.NRGBA) {
	pcx, pcy := cx*float64(c.w), cy*float64(c.h)
	prx, pry := rx*float64(c.w), ry*float64(c.h)
	r := image.Rect(int(pcx-prx)-1, int(pcy-pry)-1, int(pcx+prx)+2, int(pcy+pry)+2).Intersect(c.img.Bounds())
	if r.Empty() {
		return
	}
	mask := image.NewAlpha(r)
	scale := math.Min(prx, pry) // pixels per unit of normalised radius, roughly
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dy := (float64(y) + 0.5 - pcy) / pry
		for x := r.Min.X; x < r.Max.X; x++ {
			dx := (float64(x) + 0.5 - pcx) / prx
			d := (1 - math.Sqrt(dx*dx+dy*dy)) * scale // distance inside the edge, in pixels
			switch {
			case d >= 0.5:
				mask.Pix[(y-r.Min.Y)*mask.Stride+(x-r.Min.X)] = 255
			case d > -0.5:
				mask.Pix[(y-r.Min.Y)*mask.Stride+(x-r.Min.X)] = uint8((d + 0.5) * 255)
			}
		}
	}
	draw.DrawMask(c.img, r, image.NewUniform(col), image.Point{}, mask, r.Min, draw.Over)
}

// poly fills a polygon whose points are fractions (x, y, x, y, …).
func (c *canvas) poly(col color.NRGBA, pts ...float64) {
	n := len(pts) / 2
	xs, ys := make([]float64, n), make([]float64, n)
	minX, minY, maxX, maxY := 1.0, 1.0, 0.0, 0.0
	for i := 0; i < n; i++ {
		xs[i], ys[i] = pts[2*i]*float64(c.w), pts[2*i+1]*float64(c.h)
		minX, maxX = math.Min(minX, pts[2*i]), math.Max(maxX, pts[2*i])
		minY, maxY = math.Min(minY, pts[2*i+1]), math.Max(maxY, pts[2*i+1])
	}
	c.shape(minX, minY, maxX, maxY, col, func(x, y float64) bool {
		in := false
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			if (ys[i] > y) != (ys[j] > y) && x < (xs[j]-xs[i])*(y-ys[i])/(ys[j]-ys[i])+xs[i] {
				in = !in
			}
		}
		return in
	})
}

// rng is a tiny deterministic generator (an LCG) so scenes vary without
// depending on math/rand's sequence.
type rng uint64

func (r *rng) float() float64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return float64(uint64(*r)>>11) / float64(1<<53)
}

// render draws s at width w (3:2) and encodes it as JPEG.
func render(s scene, w int) news.PhotoVariant {
	h := w * 2 / 3
	c := newCanvas(w, h)
	s(c)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, c.img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		panic(err) // cannot happen when writing to memory
	}
	return news.PhotoVariant{Width: w, Height: h, ContentType: "image/jpeg", Data: buf.Bytes()}
}

// variants renders s at every width of VariantWidths.
func variants(s scene) []news.PhotoVariant {
	vs := make([]news.PhotoVariant, len(VariantWidths))
	for i, w := range VariantWidths {
		vs[i] = render(s, w)
	}
	return vs
}

// renderAll renders the scenes' variants concurrently, one goroutine per
// scene; the result does not depend on the scheduling.
func renderAll(scenes []scene) [][]news.PhotoVariant {
	out := make([][]news.PhotoVariant, len(scenes))
	var wg sync.WaitGroup
	for i, s := range scenes {
		wg.Go(func() { out[i] = variants(s) })
	}
	wg.Wait()
	return out
}

// skyline draws rows of buildings against a sky with a low sun.
func skyline(sky, ground, sun color.NRGBA, seed uint64, haze float64) scene {
	return func(c *canvas) {
		c.gradient(sky, mix(sky, ground, 0.45))
		c.circle(0.72, 0.38, 0.14, alpha(sun, 0.85))
		r := rng(seed)
		for _, row := range []struct {
			base, minH, maxH float64
			col              color.NRGBA
		}{
			{0.78, 0.12, 0.38, alpha(mix(ground, sky, 0.55), 0.9)},
			{0.86, 0.08, 0.30, alpha(mix(ground, sky, 0.25), 0.95)},
			{1.0, 0.10, 0.26, ground},
		} {
			x := -0.02
			for x < 1 {
				w := 0.04 + 0.07*r.float()
				top := row.base - row.minH - (row.maxH-row.minH)*r.float()
				c.rect(x, top, x+w, 1, row.col)
				if r.float() < 0.3 { // a spire or a rooftop box
					c.rect(x+w*0.4, top-0.04, x+w*0.6, top, row.col)
				}
				x += w + 0.005
			}
		}
		if haze > 0 {
			c.rect(0, 0, 1, 1, alpha(sand, haze))
		}
	}
}

// speaker draws a person answering questions at a table before a wall with
// soft lights.
func speaker(c *canvas) {
	c.gradient(mix(cream, sand, 0.3), mix(sand, sepia, 0.5))
	for i, x := range []float64{0.15, 0.4, 0.65, 0.9} {
		c.circle(x, 0.12, 0.05+0.01*float64(i%2), alpha(cream, 0.7))
	}
	c.rect(0, 0.62, 1, 1, alpha(charcoal, 0.18))
	// the person: head and shoulders
	c.ellipse(0.5, 0.74, 0.16, 0.26, alpha(slate, 0.95))
	c.circle(0.5, 0.36, 0.11, mix(rose, sand, 0.4))
	c.ellipse(0.5, 0.28, 0.075, 0.06, alpha(charcoal, 0.85))
	// the table and microphones
	c.rect(0.05, 0.78, 0.95, 1, mix(sepia, ink, 0.35))
	c.rect(0.05, 0.78, 0.95, 0.8, alpha(cream, 0.35))
	c.rect(0.44, 0.62, 0.452, 0.78, ink)
	c.circle(0.446, 0.615, 0.018, ink)
	// silhouettes of listeners in front
	c.circle(0.12, 0.93, 0.12, alpha(ink, 0.85))
	c.circle(0.88, 0.95, 0.13, alpha(ink, 0.85))
}

// facade draws a wide modern building with a grid of windows.
func facade(c *canvas) {
	c.gradient(mix(mist, cream, 0.5), mist)
	c.rect(0.08, 0.18, 0.92, 0.9, mix(sand, paper, 0.3))
	for row := 0; row < 5; row++ {
		for col := 0; col < 10; col++ {
			x := 0.11 + float64(col)*0.08
			y := 0.22 + float64(row)*0.125
			c.rect(x, y, x+0.06, y+0.09, alpha(slate, 0.55+0.05*float64((row+col)%3)))
		}
	}
	c.rect(0.08, 0.16, 0.92, 0.18, alpha(charcoal, 0.6))
	c.rect(0, 0.9, 1, 1, mix(charcoal, sand, 0.5))
	c.ellipse(0.03, 0.78, 0.05, 0.14, alpha(olive, 0.9))
	c.ellipse(0.97, 0.8, 0.05, 0.12, alpha(olive, 0.9))
}

// entrance draws a doorway with a sculpture of four slender blocks in front.
func entrance(c *canvas) {
	c.gradient(mix(paper, sand, 0.2), mix(sand, sepia, 0.4))
	c.rect(0.3, 0.12, 0.7, 0.82, alpha(charcoal, 0.85))
	c.rect(0.33, 0.16, 0.49, 0.82, alpha(slate, 0.7))
	c.rect(0.51, 0.16, 0.67, 0.82, alpha(slate, 0.7))
	c.rect(0, 0.82, 1, 1, mix(sand, charcoal, 0.3))
	for i, hgt := range []float64{0.22, 0.3, 0.26, 0.2} {
		x := 0.12 + float64(i)*0.045
		c.rect(x, 0.84-hgt, x+0.03, 0.84, mix(mustard, sepia, 0.3))
	}
	c.ellipse(0.85, 0.7, 0.07, 0.16, alpha(olive, 0.85))
	c.rect(0.845, 0.78, 0.855, 0.84, sepia)
}

// tower draws an old brick building with rows of arched windows.
func tower(c *canvas) {
	c.gradient(mix(mist, paper, 0.4), paper)
	c.rect(0.25, 0.05, 0.75, 1, mix(rose, sepia, 0.5))
	c.rect(0.23, 0.05, 0.77, 0.09, mix(sepia, ink, 0.3))
	for row := 0; row < 6; row++ {
		for col := 0; col < 5; col++ {
			x := 0.29 + float64(col)*0.095
			y := 0.15 + float64(row)*0.135
			c.rect(x, y+0.02, x+0.05, y+0.09, mix(ink, rose, 0.3))
			c.ellipse(x+0.025, y+0.02, 0.025, 0.025, mix(ink, rose, 0.3))
		}
	}
	c.rect(0, 0.94, 1, 1, charcoal)
	c.rect(0.05, 0.4, 0.2, 0.94, alpha(mist, 0.8))
	c.rect(0.8, 0.3, 0.97, 0.94, alpha(mist, 0.7))
}

// chips draws a grid of chips joined by traces, like a circuit board.
func chips(c *canvas) {
	c.gradient(mix(teal, ink, 0.35), mix(ink, teal, 0.2))
	for i := 0; i < 7; i++ {
		y := 0.1 + float64(i)*0.13
		c.rect(0, y, 1, y+0.006, alpha(mustard, 0.35))
	}
	for i := 0; i < 9; i++ {
		x := 0.06 + float64(i)*0.11
		c.rect(x, 0, x+0.004, 1, alpha(mustard, 0.25))
	}
	for row := 0; row < 3; row++ {
		for col := 0; col < 4; col++ {
			x := 0.1 + float64(col)*0.22
			y := 0.14 + float64(row)*0.27
			c.rect(x, y, x+0.14, y+0.19, mix(charcoal, ink, 0.5))
			c.rect(x+0.03, y+0.04, x+0.11, y+0.15, alpha(mustard, 0.5))
			if (row+col)%3 == 0 {
				c.circle(x+0.07, y+0.095, 0.03, alpha(cream, 0.6))
			}
		}
	}
}

// loaves draws bread on bakery shelves.
func loaves(c *canvas) {
	c.gradient(mix(cream, mustard, 0.15), mix(sand, sepia, 0.4))
	for i, y := range []float64{0.35, 0.62, 0.89} {
		c.rect(0.04, y, 0.96, y+0.025, mix(sepia, ink, 0.3))
		r := rng(uint64(i) + 7)
		x := 0.08
		for x < 0.9 {
			w := 0.05 + 0.03*r.float()
			col := mix(mustard, sepia, 0.3+0.5*r.float())
			c.ellipse(x+w, y-0.07, w, 0.07, col)
			c.ellipse(x+w, y-0.09, w*0.6, 0.025, alpha(cream, 0.35))
			x += 2*w + 0.02
		}
	}
}

// dome draws a domed hall with columns.
func dome(c *canvas) {
	c.gradient(mix(mist, cream, 0.3), paper)
	c.ellipse(0.5, 0.42, 0.2, 0.26, mix(mist, slate, 0.4))
	c.rect(0.28, 0.42, 0.72, 0.48, paper)
	c.rect(0.2, 0.48, 0.8, 0.52, mix(sand, paper, 0.3))
	c.rect(0.22, 0.52, 0.78, 0.84, mix(sand, slate, 0.25))
	for i := 0; i < 8; i++ {
		x := 0.23 + float64(i)*0.073
		c.rect(x, 0.52, x+0.03, 0.84, cream)
		c.rect(x+0.022, 0.52, x+0.03, 0.84, alpha(sand, 0.8))
	}
	c.rect(0.18, 0.84, 0.82, 0.88, mix(sand, sepia, 0.3))
	c.rect(0, 0.88, 1, 1, mix(olive, sand, 0.4))
	c.rect(0.495, 0.1, 0.505, 0.16, charcoal)
}

// rain draws umbrellas under slanting rain on a grey street.
func rain(c *canvas) {
	c.gradient(mix(slate, mist, 0.3), mix(slate, charcoal, 0.4))
	c.rect(0, 0.8, 1, 1, alpha(charcoal, 0.5))
	r := rng(42)
	for i := 0; i < 70; i++ {
		x, y := r.float()*1.1, r.float()*0.9
		c.poly(alpha(cream, 0.35), x, y, x+0.004, y, x-0.026, y+0.12, x-0.03, y+0.12)
	}
	for i, u := range []struct{ x, y float64 }{{0.22, 0.62}, {0.5, 0.56}, {0.78, 0.64}} {
		col := []color.NRGBA{rose, mustard, teal}[i]
		c.shape(u.x-0.12, u.y-0.14, u.x+0.12, u.y, col, func(x, y float64) bool {
			dx := (x/float64(c.w) - u.x) / 0.12
			dy := (y/float64(c.h) - u.y) / 0.14
			return dy <= 0 && dx*dx+dy*dy <= 1
		})
		c.rect(u.x-0.003, u.y, u.x+0.003, u.y+0.2, ink)
		c.rect(u.x-0.03, u.y+0.06, u.x+0.03, u.y+0.26, alpha(ink, 0.75))
	}
}

// book draws an open old book on a dark display stand.
func book(c *canvas) {
	c.gradient(mix(charcoal, sepia, 0.3), ink)
	c.circle(0.5, 0.3, 0.5, alpha(mustard, 0.12))
	c.rect(0.14, 0.72, 0.86, 0.8, mix(charcoal, ink, 0.5))
	c.poly(mix(paper, sand, 0.4), 0.2, 0.3, 0.5, 0.36, 0.5, 0.74, 0.2, 0.68)
	c.poly(mix(paper, sand, 0.25), 0.5, 0.36, 0.8, 0.3, 0.8, 0.68, 0.5, 0.74)
	for i := 0; i < 6; i++ {
		dx := float64(i) * 0.045
		c.poly(alpha(ink, 0.55), 0.25+dx, 0.36+dx*0.2, 0.262+dx, 0.36+dx*0.2, 0.262+dx, 0.64+dx*0.2, 0.25+dx, 0.64+dx*0.2)
		c.poly(alpha(ink, 0.55), 0.54+dx, 0.38-dx*0.2, 0.552+dx, 0.38-dx*0.2, 0.552+dx, 0.66-dx*0.2, 0.54+dx, 0.66-dx*0.2)
	}
}

// market draws market stalls under strings of lights at dusk.
func market(c *canvas) {
	c.gradient(mix(slate, ink, 0.4), mix(rose, sepia, 0.4))
	for i := 0; i < 4; i++ {
		x := 0.04 + float64(i)*0.245
		roof := []color.NRGBA{rose, cream, teal, mustard}[i]
		c.poly(roof, x, 0.52, x+0.11, 0.36, x+0.22, 0.52)
		c.rect(x+0.01, 0.52, x+0.21, 0.86, mix(sepia, ink, 0.3))
		c.rect(x+0.03, 0.56, x+0.19, 0.7, alpha(mustard, 0.55))
	}
	r := rng(9)
	for i := 0; i < 28; i++ {
		x := float64(i) / 27
		y := 0.16 + 0.06*math.Sin(x*math.Pi*3) + 0.01*r.float()
		c.circle(x, y, 0.012, alpha(mustard, 0.95))
	}
	c.rect(0, 0.86, 1, 1, mix(charcoal, ink, 0.4))
}
