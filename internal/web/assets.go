package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
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
		set.files[hashed] = asset{body: body, contentType: mime.TypeByExtension(ext)}
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
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}
