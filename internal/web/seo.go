package web

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// discoveryView is what an article page shows for finding more: related
// articles at its foot and metadata for search engines and link previews.
type discoveryView struct {
	Related []news.Article
	Meta    articleMeta
}

// articleMeta is an article's OpenGraph, Twitter card and JSON-LD data,
// every URL absolute on the base URL.
type articleMeta struct {
	SiteName    string
	Title       string
	Description string
	URL         string
	Image       string
	ImageAlt    string
	ImageWidth  int
	ImageHeight int
	Section     string
	Published   string
	Modified    string
	Authors     []string
	// JSONLD is the NewsArticle object, marshalled by encoding/json, which
	// escapes <, > and & so that it cannot end its script element.
	JSONLD template.JS
}

// canonicalPath is the one URL of an article, whatever slug it was asked by.
func (v articleView) canonicalPath() string { return articlePath(v.Article.ID) }

// newsArticleLD is schema.org's NewsArticle as search engines read it.
type newsArticleLD struct {
	Context          string     `json:"@context"`
	Type             string     `json:"@type"`
	MainEntityOfPage ldThing    `json:"mainEntityOfPage"`
	Headline         string     `json:"headline"`
	Description      string     `json:"description,omitempty"`
	Image            []string   `json:"image,omitempty"`
	DatePublished    string     `json:"datePublished"`
	DateModified     string     `json:"dateModified"`
	Author           []ldPerson `json:"author"`
	Publisher        ldThing    `json:"publisher"`
	ArticleSection   string     `json:"articleSection,omitempty"`
	InLanguage       string     `json:"inLanguage"`
}

type ldThing struct {
	Type string `json:"@type"`
	ID   string `json:"@id,omitempty"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

type ldPerson struct {
	Type     string `json:"@type"`
	Name     string `json:"name"`
	URL      string `json:"url,omitempty"`
	JobTitle string `json:"jobTitle,omitempty"`
}

// modified is when an article last changed: its edit time, or its
// publication if it was never edited.
func modified(a *news.Article) time.Time {
	if a.UpdatedAt.After(a.PublishedAt) {
		return a.UpdatedAt
	}
	return a.PublishedAt
}

func (s *Server) articleMeta(site news.Site, a *news.Article) (articleMeta, error) {
	m := articleMeta{
		SiteName: site.Name, Title: a.Headline, Description: a.Summary(),
		URL: s.absURL(articlePath(a.ID)), Section: a.Section.Name,
		Published: news.RFC3339KST(a.PublishedAt), Modified: news.RFC3339KST(modified(a)),
	}
	ld := newsArticleLD{
		Context: "https://schema.org", Type: "NewsArticle",
		MainEntityOfPage: ldThing{Type: "WebPage", ID: m.URL},
		Headline:         a.Headline, Description: m.Description,
		DatePublished: m.Published, DateModified: m.Modified,
		Author:         []ldPerson{},
		Publisher:      ldThing{Type: "NewsMediaOrganization", Name: site.Name, URL: s.absURL("/")},
		ArticleSection: a.Section.Name, InLanguage: "ko-KR",
	}
	if p := a.LeadPhoto(); p.PhotoID != 0 {
		m.Image = s.absURL(photoURL(p.PhotoID, largestWidth(p)))
		w := largestWidth(p)
		m.ImageAlt, m.ImageWidth, m.ImageHeight = p.Alt, w, p.Height*w/max(p.Width, 1)
		ld.Image = []string{m.Image}
	}
	for _, b := range a.Bylines {
		m.Authors = append(m.Authors, b.Name)
		ld.Author = append(ld.Author, ldPerson{Type: "Person", Name: b.Name, JobTitle: b.Role,
			URL: s.absURL("/reporters/" + strconv.FormatInt(b.ReporterID, 10))})
	}
	if len(ld.Author) == 0 {
		ld.Author = append(ld.Author, ldPerson{Type: "Organization", Name: site.Name, URL: s.absURL("/")})
	}
	b, err := json.Marshal(ld)
	if err != nil {
		return articleMeta{}, fmt.Errorf("json-ld of article %d: %w", a.ID, err)
	}
	m.JSONLD = template.JS(b)
	return m, nil
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
