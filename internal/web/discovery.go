package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// Finding the news besides search: keyword pages, rankings and the views
// they count, robots.txt and sitemaps.

// tagPage lists the published articles carrying a keyword: /tags/{slug}.
func (s *Server) tagPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	name, list, next, err := s.Svc.KeywordArticles(r.Context(), r.PathValue("slug"), before)
	if err != nil {
		return err
	}
	heading := "#" + name
	return s.render(w, r, http.StatusOK, "list", heading, listView{Heading: heading, Articles: list, Next: nextLink(r, next)})
}

func (s *Server) robotsTxt(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/api/", "/me", "/login", "/signup", "/logout", "/newsroom/", "/search"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\n")
	b.WriteString("Sitemap: " + s.absURL("/sitemap.xml") + "\n")
	b.WriteString("Sitemap: " + s.absURL("/sitemap-news.xml") + "\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte(b.String()))
	return err
}

// Sitemap XML, as https://www.sitemaps.org/protocol.html and Google News
// (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap) define it.
const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	newsNS    = "http://www.google.com/schemas/sitemap-news/0.9"
	// sitemapPageSize is how many article ids one article sitemap covers
	// (the protocol allows 50,000 URLs).
	sitemapPageSize = 10000
	// newsSitemapWindow and newsSitemapMax are Google News' limits.
	newsSitemapWindow = 48 * time.Hour
	newsSitemapMax    = 1000
)

type sitemapIndexXML struct {
	XMLName  xml.Name        `xml:"sitemapindex"`
	NS       string          `xml:"xmlns,attr"`
	Sitemaps []sitemapRefXML `xml:"sitemap"`
}

type sitemapRefXML struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlsetXML struct {
	XMLName xml.Name `xml:"urlset"`
	NS      string   `xml:"xmlns,attr"`
	NewsNS  string   `xml:"xmlns:news,attr,omitempty"`
	URLs    []urlXML `xml:"url"`
}

type urlXML struct {
	Loc        string   `xml:"loc"`
	LastMod    string   `xml:"lastmod,omitempty"`
	ChangeFreq string   `xml:"changefreq,omitempty"`
	News       *newsXML `xml:"news:news,omitempty"`
}

type newsXML struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	PublicationDate string `xml:"news:publication_date"`
	Title           string `xml:"news:title"`
}

// writeXML writes v as an XML document.
func writeXML(w http.ResponseWriter, contentType string, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode xml: %w", err)
	}
	buf.WriteByte('\n')
	w.Header().Set("Content-Type", contentType)
	_, err := w.Write(buf.Bytes())
	return err
}

func (s *Server) sitemapIndex(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	pages, err := s.Svc.SitemapPages(r.Context(), sitemapPageSize)
	if err != nil {
		return err
	}
	idx := sitemapIndexXML{NS: sitemapNS}
	idx.Sitemaps = append(idx.Sitemaps, sitemapRefXML{Loc: s.absURL("/sitemaps/sections.xml")})
	for _, p := range pages {
		idx.Sitemaps = append(idx.Sitemaps, sitemapRefXML{
			Loc:     s.absURL("/sitemaps/articles-" + strconv.Itoa(p.Page) + ".xml"),
			LastMod: news.RFC3339KST(p.LastMod),
		})
	}
	idx.Sitemaps = append(idx.Sitemaps, sitemapRefXML{Loc: s.absURL("/sitemap-news.xml")})
	return writeXML(w, "application/xml; charset=utf-8", idx)
}

// sitemapFile serves /sitemaps/sections.xml and /sitemaps/articles-N.xml.
func (s *Server) sitemapFile(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	file := r.PathValue("file")
	set := urlsetXML{NS: sitemapNS}
	if file == "sections.xml" {
		set.URLs = append(set.URLs, urlXML{Loc: s.absURL("/"), ChangeFreq: "always"})
		sections, err := s.Svc.Sections(r.Context())
		if err != nil {
			return err
		}
		for _, sec := range sections {
			set.URLs = append(set.URLs, urlXML{Loc: s.absURL("/sections/" + sec.Slug), ChangeFreq: "hourly"})
		}
		reporters, err := s.Svc.Reporters(r.Context())
		if err != nil {
			return err
		}
		for _, rep := range reporters {
			set.URLs = append(set.URLs, urlXML{Loc: s.absURL("/reporters/" + strconv.FormatInt(rep.ID, 10)), ChangeFreq: "daily"})
		}
		return writeXML(w, "application/xml; charset=utf-8", set)
	}
	n, ok := strings.CutPrefix(file, "articles-")
	n, ok2 := strings.CutSuffix(n, ".xml")
	page, err := strconv.Atoi(n)
	if !ok || !ok2 || err != nil || page < 1 || strconv.Itoa(page) != n {
		return errNotFound
	}
	entries, err := s.Svc.SitemapArticles(r.Context(), page, sitemapPageSize)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return errNotFound
	}
	for _, e := range entries {
		last := e.PublishedAt
		if e.UpdatedAt.After(last) {
			last = e.UpdatedAt
		}
		set.URLs = append(set.URLs, urlXML{Loc: s.absURL(articlePath(e.ID)), LastMod: news.RFC3339KST(last)})
	}
	return writeXML(w, "application/xml; charset=utf-8", set)
}

func (s *Server) newsSitemap(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	ctx := r.Context()
	list, err := s.Svc.RecentArticles(ctx, s.Svc.Now().Add(-newsSitemapWindow), newsSitemapMax)
	if err != nil {
		return err
	}
	site, err := s.Svc.Site(ctx)
	if err != nil {
		return err
	}
	set := urlsetXML{NS: sitemapNS, NewsNS: newsNS, URLs: []urlXML{}}
	for _, a := range list {
		n := &newsXML{PublicationDate: news.RFC3339KST(a.PublishedAt), Title: a.Headline}
		n.Publication.Name, n.Publication.Language = site.Name, "ko"
		set.URLs = append(set.URLs, urlXML{Loc: s.absURL(articlePath(a.ID)), LastMod: news.RFC3339KST(modified(&a)), News: n})
	}
	return writeXML(w, "application/xml; charset=utf-8", set)
}

// rankingLimit is how many articles /ranking lists in each ranking.
const rankingLimit = 10

func (s *Server) rankingPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	rk, err := s.Svc.Rankings(r.Context(), rankingLimit)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ranking", "많이 본 뉴스", rk)
}

// countViews counts a view of an article page whenever one is served, from
// the page cache or not: the request is routed by mux only to learn its
// pattern. Counting is a map increment; the counts reach the store in
// batches, off the request path.
func (s *Server) countViews(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/articles/") || s.Svc.Views == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status != http.StatusOK && rec.status != http.StatusNotModified {
			return
		}
		// An article page is /articles/{id} or /articles/{id}/{slug}; the
		// article's other pages are not views of it. Told apart by hand:
		// asking the mux costs as much as the rest of a cached answer.
		rest := strings.TrimPrefix(r.URL.Path, "/articles/")
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			if tail := rest[i+1:]; tail == "comments" || tail == "revisions" || strings.Contains(tail, "/") {
				return
			}
			rest = rest[:i]
		}
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
			s.Svc.Views.Count(id)
			s.countRead(r, id)
		}
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
