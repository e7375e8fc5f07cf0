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
	return p, nil
}
