package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"
)

//go:embed templates
var templateFS embed.FS

// templateSet holds one parsed template per page, each with the layout.
type templateSet struct {
	pages map[string]*template.Template
	// fragments holds the shared templates, for personal regions.
	fragments *template.Template
}

func loadTemplates(s *Server) (*templateSet, error) {
	var set *templateSet
	// Holes render their own templates, known once all are parsed.
	fragments := func() *template.Template { return set.fragments }
	funcs := template.FuncMap{
		"asset": s.assets.url,
		"kst":   news.FormatKST,
		// {{josa .Site.Name "은/는"}}: the name with its particle.
		"josa": func(word, particle string) (string, error) {
			p, ok := josa.ByName(particle)
			if !ok {
				return "", fmt.Errorf("unknown particle %q", particle)
			}
			return p.After(word), nil
		},
		"rfc3339":       news.RFC3339KST,
		"articlePath":   articlePath,
		"photoURL":      photoURL,
		"srcset":        srcset,
		"sizes":         func() string { return "(max-width: 760px) 100vw, 720px" },
		"printPage":     func(p *news.PrintPlacement) string { return fmt.Sprintf("%d면", p.Page) },
		"bylineText":    bylineText,
		"isZero":        func(t time.Time) bool { return t.IsZero() },
		"add":           func(a, b int) int { return a + b },
		"paragraphs":    func(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") },
		"largest":       largestWidth,
		"hole":          func(name string, data hole) (template.HTML, error) { return renderHole(fragments, name, data) },
		"navData":       navData,
		"flashData":     flashData,
		"ownData":       ownData,
		"subscribeData": subscribeData,
		"reactData":     reactData,
		"cformData":     cformData,
		"replyData":     replyData,
		"followData":    followData,
		"commentCursor": encodeCommentCursor,
		"canModerate":   news.CanModerate,
		"reportReasons": func() []string { return news.ReportReasons },
		"deletedName":   func() string { return news.DeletedAuthorName },
		"inline":        func(s string) template.HTML { return template.HTML(news.InlineHTML(s)) },
		"keywordSlug":   news.KeywordSlug,
		"importedMark":  func() string { return news.ImportedMark },
		"providers":     s.providerButtons,
	}
	for name, fn := range editionFuncs(s) {
		funcs[name] = fn
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/personal.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/page_*.html")
	if err != nil {
		return nil, err
	}
	set = &templateSet{pages: map[string]*template.Template{}, fragments: layout}
	for _, name := range names {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, err
		}
		key := strings.TrimSuffix(strings.TrimPrefix(name, "templates/page_"), ".html")
		set.pages[key] = t
	}
	return set, nil
}

// photoURL is the address of one stored width of a photo.
func photoURL(id int64, width int) string {
	return "/photos/" + strconv.FormatInt(id, 10) + "/" + strconv.Itoa(width) + ".jpg"
}

func srcset(p news.FigurePhoto) string {
	var b strings.Builder
	for i, w := range p.Widths {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %dw", photoURL(p.PhotoID, w), w)
	}
	return b.String()
}

// largestWidth picks the width for the plain src: the middle variant, which
// suits most screens when srcset is not understood.
func largestWidth(p news.FigurePhoto) int {
	if len(p.Widths) == 0 {
		return p.Width
	}
	return p.Widths[len(p.Widths)/2]
}

// bylineText renders a byline as Korean papers print it: "샌프란시스코= 이서희 특파원".
func bylineText(b news.Byline) string {
	s := b.Name
	if b.Role != "" {
		s += " " + b.Role
	}
	if b.Dateline != "" {
		s = b.Dateline + "= " + s
	}
	return s
}

// pageData is what every page template receives.
type pageData struct {
	Site     news.Site
	Sections []news.Section
	Title    string
	// Description is the meta description; empty when the page writes
	// its own.
	Description string
	Canonical   string
	Status      int
	Viewer      news.Account
	Flash       *flash
	Data        any
}

// render writes a page with status; a template error is logged and the
// reader gets a plain error instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, title string, data any) error {
	t, ok := s.templates.pages[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var pd pageData
	if f, ok := data.(interface{ siteFrame() siteFrame }); ok && f.siteFrame().known {
		pd.Site, pd.Sections = f.siteFrame().site, f.siteFrame().sections
	} else {
		var err error
		if pd, err = s.basePageData(r); err != nil {
			return err
		}
	}
	pd.Title, pd.Data, pd.Status = title, data, status
	pd.Description = describe(name, title, pd.Site, data)
	pd.Viewer = viewer(r)
	// A page rendered for the shared cache carries no notice; the notice is
	// spliced into the reader's copy.
	if _, forCache := r.Context().Value(tagsKey{}).(*cacheTags); !forCache {
		pd.Flash = s.takeFlash(w, r)
	}
	pd.Canonical = s.absURL(r.URL.Path)
	if c, ok := data.(interface{ canonicalPath() string }); ok {
		pd.Canonical = s.absURL(c.canonicalPath())
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, pd); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) basePageData(r *http.Request) (pageData, error) {
	site, err := s.Svc.Site(r.Context())
	if err != nil {
		return pageData{}, err
	}
	sections, err := s.Svc.Sections(r.Context())
	if err != nil {
		return pageData{}, err
	}
	return pageData{Site: site, Sections: sections}, nil
}

// renderError shows the Korean error page; if even that fails, plain text.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	title := "오류"
	switch status {
	case http.StatusNotFound:
		title = "페이지를 찾을 수 없습니다"
	case http.StatusForbidden:
		title = "접근 권한이 없습니다"
	}
	if err := s.render(w, r, status, "error", title, message); err != nil {
		s.Logger.Error("render error page", "err", err)
		http.Error(w, message, status)
	}
}
