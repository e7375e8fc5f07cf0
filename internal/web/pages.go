package web

import (
	"net/http"
	"strconv"
	"strings"

	"jikji/internal/news"
)

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	front, err := s.Svc.FrontPage(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "home", "", front)
}

type articleView struct {
	Article    news.Article
	Engagement engagementView
	// Discovery holds related articles and search-engine metadata.
	Discovery discoveryView
	// Live is the story's live coverage, or nil.
	Live  *news.LiveBlog
	frame siteFrame
}

// siteFrame is the site's name and sections every page shows around its
// content, when the page's answer from the service carries them.
type siteFrame struct {
	site     news.Site
	sections []news.Section
	known    bool // false: render asks the service for them
}

func frameOf(p *news.ArticlePage) siteFrame {
	return siteFrame{site: p.Site, sections: p.Sections, known: true}
}

func (v articleView) siteFrame() siteFrame { return v.frame }

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnArticle(r, id)
	sort, err := commentSort(r)
	if err != nil {
		return err
	}
	page, err := s.Svc.ArticlePage(r.Context(), id, viewer(r), news.ArticlePageQuery{Sort: sort, Related: true})
	if err != nil {
		return err
	}
	meta, err := s.articleMeta(page.Site, &page.Article)
	if err != nil {
		return err
	}
	if err := s.liveBlogLD(&meta, page.Live); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "article", page.Article.Headline, articleView{Article: page.Article,
		Engagement: s.engagementOf(&page, sort), Discovery: discoveryView{Related: page.Related, Meta: meta}, Live: page.Live, frame: frameOf(&page)})
}

// listView is a page of articles with the link to the next page.
type listView struct {
	Heading  string
	Section  news.Section
	Reporter news.Reporter
	Articles []news.Article
	Next     string
	Empty    string
	// Subscribers and Subscribed are shown on reporter and section pages.
	Subscribers int64
	Subscribed  bool
	CanFollow   bool
	frame       siteFrame
}

func (v listView) siteFrame() siteFrame { return v.frame }

func (s *Server) sectionPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	page, err := s.Svc.SectionPage(r.Context(), r.PathValue("slug"), viewer(r), before)
	if err != nil {
		return err
	}
	lv := s.listViewOf(r, &page, page.Section.Name)
	return s.render(w, r, http.StatusOK, "list", lv.Heading, lv)
}

func (s *Server) reporterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnLists(r)
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	page, err := s.Svc.ReporterPage(r.Context(), id, viewer(r), before)
	if err != nil {
		return err
	}
	lv := s.listViewOf(r, &page, page.Reporter.Name+" "+page.Reporter.Role)
	return s.render(w, r, http.StatusOK, "list", lv.Heading, lv)
}

// listViewOf is the page of a section or reporter.
func (s *Server) listViewOf(r *http.Request, p *news.ListPage, heading string) listView {
	return listView{Heading: heading, Section: p.Section, Reporter: p.Reporter, Articles: p.Articles, Next: nextLink(r, p.Next),
		Subscribers: p.Subscribers, Subscribed: p.Subscribed, CanFollow: true, frame: siteFrame{site: p.Site, sections: p.Sections, known: true}}
}

func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "privacy", "개인정보처리방침", nil)
}

// nextLink is the URL of the following page, or "" at the end.
func nextLink(r *http.Request, next *news.Position) string {
	if next == nil {
		return ""
	}
	q := r.URL.Query()
	q.Set("cursor", encodeCursor(next))
	return r.URL.Path + "?" + q.Encode()
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
