package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assetSet serves the embedded static files under names that carry a hash of
// their content, so they can be cached forever.
type assetSet struct {
	byName map[string]string // site.css → site.3f2a1b.css
	files  map[string]asset  // hashed name → content
}

type asset struct {
	body        []byte
	contentType string
	// gz and br are the body compressed once at start, for text files:
	// the stylesheet blocks the first paint, so on a slow phone network
	// every byte of it counts.
	gz, br []byte
}

func loadAssets() (*assetSet, error) {
	set := &assetSet{byName: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		set.byName[name] = hashed
		a := asset{body: body, contentType: mime.TypeByExtension(ext)}
		if compressible(a.contentType) || ext == ".svg" {
			a.gz, a.br = gzipBytes(body), brotliBytes(body)
		}
		set.files[hashed] = a
		return nil
	})
	return set, err
}

// url returns the fingerprinted URL of a static file.
func (a *assetSet) url(name string) string {
	if h, ok := a.byName[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.files[r.PathValue("file")]
	if !ok {
		s.renderError(w, r, http.StatusNotFound, errNotFound.Message)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body := f.body
	if f.gz != nil {
		h.Set("Vary", "Accept-Encoding")
		switch acceptEncoding(r.Header.Get("Accept-Encoding")) {
		case "br":
			body = f.br
			h.Set("Content-Encoding", "br")
		case "gzip":
			body = f.gz
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
