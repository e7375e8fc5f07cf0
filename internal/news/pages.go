package news

import "context"

// relatedLimit is how many related articles an article page shows.
const relatedLimit = 5

// ArticlePage is everything an article's page shows, as one viewer sees it.
type ArticlePage struct {
	Article  Article // takedowns masked
	Site     Site
	Sections []Section
	// Reactions holds the count of every kind and the viewer's choice.
	Reactions ReactionState
	Saved     bool
	Threads   []Thread
	// Next is where the next page of comments starts, or nil.
	Next *CommentPosition
	// Related are other stories on the subject, when asked for.
	Related []Article
	// Live is the story's live coverage and its updates, or nil.
	Live *LiveBlog
}

// ArticlePageQuery says which part of an article's comments a page shows,
// and whether it shows related stories.
type ArticlePageQuery struct {
	Sort    string
	After   *CommentPosition
	Related bool
}

// ArticlePage gathers an article's page: the public article, the site's
// frame, reactions, the first comments with their replies and related
// stories. Returns ENOTFOUND if the article is not public, EINVALID for an
// unknown comment order.
func (s *Service) ArticlePage(ctx context.Context, id int64, viewer Account, q ArticlePageQuery) (ArticlePage, error) {
	var p ArticlePage
	var err error
	if p.Article, err = s.PublicArticle(ctx, id); err != nil {
		return ArticlePage{}, err
	}
	if p.Site, err = s.Site(ctx); err != nil {
		return ArticlePage{}, err
	}
	if p.Sections, err = s.Sections(ctx); err != nil {
		return ArticlePage{}, err
	}
	vs, err := s.ViewerState(ctx, viewer, id)
	if err != nil {
		return ArticlePage{}, err
	}
	p.Reactions = ReactionState{Counts: map[string]int64{}, Mine: vs.Reaction}
	for _, k := range s.ReactionKinds() {
		p.Reactions.Counts[k.Code] = vs.Counts[k.Code]
	}
	p.Saved = vs.Saved
	if p.Threads, p.Next, err = s.Threads(ctx, CommentQuery{ArticleID: id, Sort: q.Sort, After: q.After, Limit: 20}, 50); err != nil {
		return ArticlePage{}, err
	}
	if q.Related {
		if p.Related, err = s.RelatedArticles(ctx, &p.Article, relatedLimit); err != nil {
			return ArticlePage{}, err
		}
	}
	if p.Live, err = s.LiveBlog(ctx, id); err != nil {
		return ArticlePage{}, err
	}
	return p, nil
}

// ListPage is a section's or a reporter's page, as one viewer sees it.
type ListPage struct {
	Site     Site
	Sections []Section
	Section  Section  // on a section's page
	Reporter Reporter // on a reporter's page
	Articles []Article
	// Next is where the next page of articles starts, or nil.
	Next        *Position
	Subscribers int64
	Subscribed  bool
}

// SectionPage gathers a section's page: its newest public articles from
// before on, and who follows it. Returns ENOTFOUND for an unknown slug.
func (s *Service) SectionPage(ctx context.Context, slug string, viewer Account, before *Position) (ListPage, error) {
	sec, err := s.Section(ctx, slug)
	if err != nil {
		return ListPage{}, err
	}
	return s.listPage(ctx, ListPage{Section: sec}, ArticleFilter{SectionID: sec.ID, Before: before}, viewer, TargetSection, sec.ID)
}

// ReporterPage gathers a reporter's page: their newest public articles
// from before on, and who follows them. Returns ENOTFOUND for an unknown id.
func (s *Service) ReporterPage(ctx context.Context, id int64, viewer Account, before *Position) (ListPage, error) {
	rep, err := s.Reporter(ctx, id)
	if err != nil {
		return ListPage{}, err
	}
	return s.listPage(ctx, ListPage{Reporter: rep}, ArticleFilter{ReporterID: rep.ID, Before: before}, viewer, TargetReporter, rep.ID)
}

func (s *Service) listPage(ctx context.Context, p ListPage, f ArticleFilter, viewer Account, kind string, targetID int64) (ListPage, error) {
	var err error
	if p.Site, err = s.Site(ctx); err != nil {
		return ListPage{}, err
	}
	if p.Sections, err = s.Sections(ctx); err != nil {
		return ListPage{}, err
	}
	f.Limit = 20
	if p.Articles, p.Next, err = s.Articles(ctx, f); err != nil {
		return ListPage{}, err
	}
	if p.Subscribers, err = s.SubscriberCount(ctx, kind, targetID); err != nil {
		return ListPage{}, err
	}
	if p.Subscribed, err = s.IsSubscribed(ctx, viewer, kind, targetID); err != nil {
		return ListPage{}, err
	}
	return p, nil
}
