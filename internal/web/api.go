package web

import (
	"net/http"

	"jikji/internal/news"
)

// JSON shapes of the read API.

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
