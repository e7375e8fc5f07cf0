package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
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
