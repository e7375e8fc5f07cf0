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
	frame     siteFrame
}

// siteFrame is the site's name and sections every page shows around its
// content, when the page's answer from the service carries them.
type siteFrame struct {
	site     news.Site
	sections []news.Section
}

func frameOf(p *news.ArticlePage) siteFrame { return siteFrame{site: p.Site, sections: p.Sections} }

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
	return s.render(w, r, http.StatusOK, "article", page.Article.Headline, articleView{Article: page.Article,
		Engagement: s.engagementOf(&page, sort), Discovery: discoveryView{Related: page.Related, Meta: meta}, frame: frameOf(&page)})
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
}

// follow fills the subscription part of a reporter or section page.
func (s *Server) follow(r *http.Request, lv *listView, kind string, id int64) error {
	var err error
	lv.CanFollow = true
	if lv.Subscribers, err = s.Svc.SubscriberCount(r.Context(), kind, id); err != nil {
		return err
	}
	if v := viewer(r); v.ID != 0 {
		lv.Subscribed, err = s.Svc.IsSubscribed(r.Context(), v, kind, id)
	}
	return err
}

func (s *Server) sectionPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	list, next, err := s.Svc.Articles(r.Context(), news.ArticleFilter{SectionID: sec.ID, Before: before, Limit: 20})
	if err != nil {
		return err
	}
	lv := listView{Heading: sec.Name, Section: sec, Articles: list, Next: nextLink(r, next)}
	if err := s.follow(r, &lv, news.TargetSection, sec.ID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "list", sec.Name, lv)
}

func (s *Server) reporterPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	dependsOnLists(r)
	rep, err := s.Svc.Reporter(r.Context(), id)
	if err != nil {
		return err
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	list, next, err := s.Svc.Articles(r.Context(), news.ArticleFilter{ReporterID: rep.ID, Before: before, Limit: 20})
	if err != nil {
		return err
	}
	lv := listView{Heading: rep.Name + " " + rep.Role, Reporter: rep, Articles: list, Next: nextLink(r, next)}
	if err := s.follow(r, &lv, news.TargetReporter, rep.ID); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "list", lv.Heading, lv)
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

func (s *Server) servePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	width, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("file"), ".jpg"))
	if err != nil || width <= 0 {
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
