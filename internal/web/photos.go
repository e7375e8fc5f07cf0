package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"jikji/internal/news"
	"jikji/internal/photo"
)

// DefaultMaxUpload is the photo upload limit when none is configured.
const DefaultMaxUpload = 15 << 20

func (s *Server) maxUpload() int64 {
	if s.MaxUploadBytes > 0 {
		return s.MaxUploadBytes
	}
	return DefaultMaxUpload
}

// photoUpload is a parsed photo upload form: fields file, caption, credit
// and alt (and, from the article page, next).
type photoUpload struct {
	Data                       []byte
	Caption, Credit, Alt, Next string
}

func (s *Server) errTooLarge() error {
	return news.Errorf(news.ETOOLARGE, "사진 파일이 너무 큽니다. %dMB 이하로 올려주세요.", s.maxUpload()>>20)
}

// readPhotoUpload streams the multipart form, keeping at most the upload
// limit of the file in memory and refusing anything larger with 413.
func (s *Server) readPhotoUpload(w http.ResponseWriter, r *http.Request) (photoUpload, error) {
	var up photoUpload
	limit := s.maxUpload()
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return up, news.Errorf(news.EINVALID, "사진은 multipart/form-data 양식으로 올려주세요.")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return up, s.uploadErr(err)
		}
		if err := s.readPart(part, &up, limit); err != nil {
			return up, err
		}
	}
	if len(up.Data) == 0 {
		return up, news.Errorf(news.EINVALID, "사진 파일을 골라주세요.")
	}
	return up, nil
}

func (s *Server) readPart(part *multipart.Part, up *photoUpload, limit int64) error {
	defer part.Close()
	switch part.FormName() {
	case "file":
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			return s.uploadErr(err)
		}
		if int64(len(data)) > limit {
			return s.errTooLarge()
		}
		up.Data = data
	case "caption", "credit", "alt", "next":
		b, err := io.ReadAll(io.LimitReader(part, 8<<10))
		if err != nil {
			return s.uploadErr(err)
		}
		v := strings.TrimSpace(string(b))
		if !utf8.ValidString(v) {
			return news.Errorf(news.EINVALID, "입력에 올바르지 않은 문자(UTF-8)가 있습니다.")
		}
		if strings.IndexByte(v, 0) >= 0 {
			return errNUL
		}
		switch part.FormName() {
		case "caption":
			up.Caption = v
		case "credit":
			up.Credit = v
		case "alt":
			up.Alt = v
		case "next":
			up.Next = v
		}
	default:
		io.Copy(io.Discard, io.LimitReader(part, 1<<20))
	}
	return nil
}

func (s *Server) uploadErr(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return s.errTooLarge()
	}
	return news.Errorf(news.EINVALID, "업로드가 중간에 끊겼거나 양식이 올바르지 않습니다.")
}

// storePhoto checks the caption, credit and alt text before the (costly)
// decoding, then stores the re-encoded variants.
func (s *Server) storePhoto(r *http.Request, v news.Account, up photoUpload) (news.Photo, []news.PhotoVariant, error) {
	p := news.Photo{Caption: up.Caption, Credit: up.Credit, Alt: up.Alt}
	if p.Caption == "" || p.Credit == "" || p.Alt == "" {
		// The service says which one is missing.
		return p, nil, s.Svc.CreatePhoto(r.Context(), v, &p, nil)
	}
	variants, err := photo.Process(up.Data)
	if err != nil {
		return p, nil, err
	}
	if err := s.Svc.CreatePhoto(r.Context(), v, &p, variants); err != nil {
		return p, nil, err
	}
	return p, variants, nil
}

// photoMarkup is the line that places the photo in an article body.
func photoMarkup(p news.Photo) string {
	alt := strings.NewReplacer("\r", " ", "\n", " ").Replace(p.Alt)
	return fmt.Sprintf("![%s](photo:%d)", alt, p.ID)
}

type photoVariantJSON struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	URL    string `json:"url"`
}

// readRequest reads a multipart photo upload.
func (up *photoUpload) readRequest(s *Server, w http.ResponseWriter, r *http.Request) error {
	var err error
	*up, err = s.readPhotoUpload(w, r)
	return err
}

// uploadJSON is an uploaded photo, with the line that places it in a body.
type uploadJSON struct {
	ID       int64              `json:"id"`
	URL      string             `json:"url"`
	Srcset   string             `json:"srcset"`
	Caption  string             `json:"caption"`
	Credit   string             `json:"credit"`
	Alt      string             `json:"alt"`
	Width    int                `json:"width"`
	Height   int                `json:"height"`
	Markup   string             `json:"markup"`
	Variants []photoVariantJSON `json:"variants"`
}

func (p uploadJSON) setHeaders(h http.Header) { h.Set("Location", p.URL) }

func (s *Server) apiUploadPhoto(r *http.Request, v news.Account, _ int64, up photoUpload) (uploadJSON, error) {
	p, variants, err := s.storePhoto(r, v, up)
	if err != nil {
		return uploadJSON{}, err
	}
	out := uploadJSON{ID: p.ID, Caption: p.Caption, Credit: p.Credit, Alt: p.Alt, Width: p.Width, Height: p.Height, Markup: photoMarkup(p)}
	fp := news.FigurePhoto{PhotoID: p.ID, Width: p.Width, Height: p.Height}
	for _, vr := range variants {
		fp.Widths = append(fp.Widths, vr.Width)
		out.Variants = append(out.Variants, photoVariantJSON{Width: vr.Width, Height: vr.Height, URL: s.absURL(photoURL(p.ID, vr.Width))})
	}
	out.URL = s.absURL(photoURL(p.ID, largestWidth(fp)))
	var set []string
	for _, vr := range out.Variants {
		set = append(set, fmt.Sprintf("%s %dw", vr.URL, vr.Width))
	}
	out.Srcset = strings.Join(set, ", ")
	return out, nil
}

// maxPhotoWidth bounds the width asked for in a photo URL.
const maxPhotoWidth = 1 << 16

func (s *Server) servePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	raw := strings.TrimSuffix(r.PathValue("file"), ".jpg")
	width, err := strconv.Atoi(raw)
	// Widths are stored as 32-bit numbers; no variant is wider than this.
	if err != nil || width <= 0 || width > maxPhotoWidth || strconv.Itoa(width) != raw {
		return errNotFound
	}
	v, err := s.Svc.PhotoVariant(r.Context(), id, width)
	if err != nil {
		return err
	}
	// A photo's bytes never change under its URL, so caches may keep it.
	w.Header().Set("Content-Type", v.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(v.Data)))
	w.Write(v.Data)
	return nil
}
