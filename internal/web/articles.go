package web

import (
	"net/http"

	"jikji/internal/news"
)

// Articles and their lists: the front page, an article, a section, a
// reporter, as pages and as the read API.

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

// askArticlePage asks the service for the page of the article in the path,
// its comments in the order sort asks: with related stories for the
// article page, or from the cursor on for the comments page (each reads
// only the query parameters its cached route lists).
func (s *Server) askArticlePage(r *http.Request, commentsPage bool) (news.ArticlePage, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return news.ArticlePage{}, "", err
	}
	dependsOnArticle(r, id)
	q := news.ArticlePageQuery{Related: !commentsPage}
	if q.Sort, err = commentSort(r); err != nil {
		return news.ArticlePage{}, "", err
	}
	if commentsPage {
		if q.After, err = decodeCommentCursor(r.URL.Query().Get("cursor")); err != nil {
			return news.ArticlePage{}, "", err
		}
	}
	page, err := s.Svc.ArticlePage(r.Context(), id, viewer(r), q)
	return page, q.Sort, err
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) error {
	page, sort, err := s.askArticlePage(r, false)
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

type sectionJSON struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type articleSummaryJSON struct {
	ID          int64        `json:"id"`
	URL         string       `json:"url"`
	Headline    string       `json:"headline"`
	Labels      []news.Label `json:"labels"`
	PublishedAt string       `json:"published_at"`
	Section     sectionJSON  `json:"section"`
}

type photoJSON struct {
	ID     int64  `json:"id"`
	URL    string `json:"url"`
	Srcset string `json:"srcset,omitempty"`
	Alt    string `json:"alt"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type blockJSON struct {
	Type string `json:"type"`
	// Text is what a reader reads; HTML the same with its bold, italic and
	// links, every piece of text escaped.
	Text    string      `json:"text,omitempty"`
	HTML    string      `json:"html,omitempty"`
	Items   []itemJSON  `json:"items,omitempty"`
	Ordered bool        `json:"ordered,omitempty"`
	Cite    string      `json:"cite,omitempty"`
	Photos  []photoJSON `json:"photos,omitempty"`
	Caption string      `json:"caption,omitempty"`
	Credit  string      `json:"credit,omitempty"`
}

// itemJSON is an item of a list block.
type itemJSON struct {
	Text string `json:"text"`
	HTML string `json:"html"`
}

type articleJSON struct {
	articleSummaryJSON
	Deck           []string             `json:"deck"`
	Blocks         []blockJSON          `json:"blocks"`
	Bylines        []news.Byline        `json:"bylines"`
	UpdatedAt      *string              `json:"updated_at"`
	Print          *news.PrintPlacement `json:"print"`
	SourceNotice   *news.SourceNotice   `json:"source_notice"`
	CorrectionNote string               `json:"correction_note,omitempty"`
	CommentCount   int64                `json:"comment_count"`
	CommentsOpen   bool                 `json:"comments_open"`
	Keywords       []string             `json:"keywords"`
}

// summary is summaryJSON for jsonList.
func (s *Server) summary(a news.Article) articleSummaryJSON { return s.summaryJSON(&a) }

func (s *Server) summaryJSON(a *news.Article) articleSummaryJSON {
	labels := a.Labels
	if labels == nil {
		labels = []news.Label{}
	}
	return articleSummaryJSON{
		ID: a.ID, URL: s.absURL(articlePath(a.ID)), Headline: a.Headline, Labels: labels,
		PublishedAt: news.RFC3339KST(a.PublishedAt),
		Section:     sectionJSON{Slug: a.Section.Slug, Name: a.Section.Name},
	}
}

func (s *Server) articleJSON(a *news.Article) articleJSON {
	out := articleJSON{
		articleSummaryJSON: s.summaryJSON(a),
		Deck:               a.Deck,
		Blocks:             make([]blockJSON, 0, len(a.Blocks)),
		Bylines:            a.Bylines,
		Print:              a.Print,
		SourceNotice:       a.Source,
		CorrectionNote:     a.CorrectionNote,
		CommentCount:       a.CommentCount,
		CommentsOpen:       a.CommentsOpen,
		Keywords:           a.Keywords,
	}
	if out.Keywords == nil {
		out.Keywords = []string{}
	}
	if out.Deck == nil {
		out.Deck = []string{}
	}
	if out.Bylines == nil {
		out.Bylines = []news.Byline{}
	}
	if !a.UpdatedAt.IsZero() {
		u := news.RFC3339KST(a.UpdatedAt)
		out.UpdatedAt = &u
	}
	for _, b := range a.Blocks {
		bj := blockJSON{Type: b.Type, Text: news.InlineText(b.Text), Cite: b.Cite, Caption: b.Caption, Credit: b.Credit,
			Ordered: b.Ordered}
		if b.Type != news.BlockIntertitle && b.Text != "" {
			bj.HTML = news.InlineHTML(b.Text)
		}
		for _, it := range b.Items {
			bj.Items = append(bj.Items, itemJSON{Text: news.InlineText(it), HTML: news.InlineHTML(it)})
		}
		for _, p := range b.Photos {
			pj := photoJSON{ID: p.PhotoID, URL: s.absURL(photoURL(p.PhotoID, largestWidth(p))), Alt: p.Alt, Width: p.Width, Height: p.Height}
			if set := srcset(p); set != "" {
				pj.Srcset = set
			}
			bj.Photos = append(bj.Photos, pj)
		}
		out.Blocks = append(out.Blocks, bj)
	}
	return out
}

func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	q := r.URL.Query()
	limit, err := parseLimit(q.Get("limit"))
	if err != nil {
		return err
	}
	before, err := decodeCursor(q.Get("cursor"))
	if err != nil {
		return err
	}
	f := news.ArticleFilter{Before: before, Limit: limit}
	if slug := q.Get("section"); slug != "" {
		sec, err := s.Svc.Section(r.Context(), slug)
		if err != nil {
			return err
		}
		f.SectionID = sec.ID
	}
	list, next, err := s.Svc.Articles(r.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Articles []articleSummaryJSON `json:"articles"`
		Next     string               `json:"next"`
	}{Articles: make([]articleSummaryJSON, 0, len(list)), Next: encodeCursor(next)}
	for i := range list {
		out.Articles = append(out.Articles, s.summaryJSON(&list[i]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return news.Errorf(news.ENOTFOUND, "기사를 찾을 수 없습니다.")
	}
	dependsOnArticle(r, id)
	a, err := s.Svc.PublicArticle(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.articleJSON(&a))
	return nil
}
