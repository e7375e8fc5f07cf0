package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func TestEditionDate(t *testing.T) {
	for utc, want := range map[string]editionDate{
		// Past 15:00 UTC it is already the next day in Seoul.
		"2024-03-17T15:30:00Z": {ISO: "2024-03-18", Text: "2024년 3월 18일 월요일"},
		"2024-03-17T14:59:00Z": {ISO: "2024-03-17", Text: "2024년 3월 17일 일요일"},
		"2026-11-28T03:00:00Z": {ISO: "2026-11-28", Text: "2026년 11월 28일 토요일"},
	} {
		at, err := time.Parse(time.RFC3339, utc)
		if err != nil {
			t.Fatal(err)
		}
		if got := editionDateOf(at); got != want {
			t.Errorf("at %s the masthead reads %+v, want %+v", utc, got, want)
		}
	}
}

// TestStaticAssetsCompressed: the stylesheet and script go out compressed
// to browsers that take it, and decode to the file itself.
func TestStaticAssetsCompressed(t *testing.T) {
	assets, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{assets: assets}
	for _, name := range []string{"site.css", "site.js"} {
		want, err := staticFS.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, enc := range []string{"br", "gzip", ""} {
			req := httptest.NewRequest("GET", assets.url(name), nil)
			req.SetPathValue("file", assets.byName[name])
			if enc != "" {
				req.Header.Set("Accept-Encoding", enc)
			}
			rec := httptest.NewRecorder()
			s.serveAsset(rec, req)
			res := rec.Result()
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != enc || res.Header.Get("Vary") != "Accept-Encoding" {
				t.Fatalf("%s with %q: %d, Content-Encoding %q, Vary %q", name, enc, res.StatusCode, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
			}
			var body io.Reader = res.Body
			switch enc {
			case "br":
				body = brotli.NewReader(res.Body)
			case "gzip":
				if body, err = gzip.NewReader(res.Body); err != nil {
					t.Fatal(err)
				}
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s sent with %q decodes to %d bytes, want the %d of the file", name, enc, len(got), len(want))
			}
			if enc == "br" && rec.Body.Len() > len(want)/3 {
				t.Errorf("%s: %d bytes compressed of %d", name, rec.Body.Len(), len(want))
			}
		}
	}
}
