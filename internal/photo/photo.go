// Package photo turns an uploaded image into the variants Jikji stores:
// decoded (JPEG, PNG or WebP), checked against decompression bombs, scaled
// to a few widths and re-encoded as JPEG, which drops every byte of metadata
// (EXIF location, camera serials) the original carried.
package photo

import (
	"bytes"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/jpeg"
	_ "image/png" // decoder
	"slices"

	"jikji/internal/news"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decoder
)

// Widths are the variants made for srcset, each capped at the original's
// width.
var Widths = []int{480, 960, 1440}

// Quality of the JPEG variants.
const Quality = 82

// Process decodes data and returns its variants, smallest first. Returns
// EINVALID with a Korean message for anything that is not a JPEG, PNG or
// WebP image, and for images too large in pixels to decode safely.
func Process(data []byte) ([]news.PhotoVariant, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "JPEG, PNG, WebP 이미지만 올릴 수 있습니다. 파일이 이미지가 아니거나 손상되었습니다.")
	}
	switch format {
	case "jpeg", "png", "webp":
	default:
		return nil, news.Errorf(news.EINVALID, "JPEG, PNG, WebP 이미지만 올릴 수 있습니다.")
	}
	// Checked before decoding: a small file can claim enormous dimensions
	// and take gigabytes of memory once decoded.
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > news.MaxPhotoSide || cfg.Height > news.MaxPhotoSide ||
		int64(cfg.Width)*int64(cfg.Height) > news.MaxPhotoPixels {
		return nil, news.Errorf(news.EINVALID, "이미지 크기가 너무 큽니다(%d×%d). 가로세로 %d픽셀, 전체 %d만 화소 이하로 줄여서 올려주세요.",
			cfg.Width, cfg.Height, news.MaxPhotoSide, news.MaxPhotoPixels/10_000)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "이미지를 읽을 수 없습니다. 파일이 손상되었습니다.")
	}
	b := src.Bounds()
	var widths []int
	for _, w := range Widths {
		widths = append(widths, min(w, b.Dx()))
	}
	widths = slices.Compact(widths)
	out := make([]news.PhotoVariant, 0, len(widths))
	for _, w := range widths {
		h := max(1, int(int64(b.Dy())*int64(w)/int64(b.Dx())))
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		// JPEG has no transparency: transparent parts show on white.
		stddraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, stddraw.Src)
		if w == b.Dx() {
			stddraw.Draw(dst, dst.Bounds(), src, b.Min, stddraw.Over)
		} else {
			draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: Quality}); err != nil {
			return nil, err
		}
		out = append(out, news.PhotoVariant{Width: w, Height: h, ContentType: "image/jpeg", Data: buf.Bytes()})
	}
	return out, nil
}
