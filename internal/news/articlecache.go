package news

import (
	"context"
	"sync"
	"time"
)

// articleGate is what a reader's write needs to know of an article: that
// it is public and whether comments are open. It is cached so that a surge
// of reactions and comments does not read the whole article each time; the
// change feed drops an entry when the article is published, edited or
// unpublished, on any node.
type articleGate struct {
	publishedAt  time.Time
	commentsOpen bool
	until        time.Time
}

type gateCache struct {
	mu      sync.Mutex
	entries map[int64]articleGate
}

func (c *gateCache) invalidate(ch Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case ch.All:
		c.entries = nil
	case ch.Lists && ch.ArticleID != 0:
		delete(c.entries, ch.ArticleID)
	}
}

// gate returns whether the article is public now and whether comments are
// open, or ENOTFOUND.
func (s *Service) gate(ctx context.Context, id int64) (articleGate, error) {
	now := s.Now()
	s.gates.mu.Lock()
	g, ok := s.gates.entries[id]
	s.gates.mu.Unlock()
	if !ok || now.After(g.until) {
		a, err := s.store.Article(ctx, id)
		if err != nil {
			return articleGate{}, err
		}
		if a.State != StatePublished {
			return articleGate{}, Errorf(ENOTFOUND, "기사를 찾을 수 없습니다.")
		}
		g = articleGate{publishedAt: a.PublishedAt, commentsOpen: a.CommentsOpen, until: now.Add(time.Minute)}
		s.gates.mu.Lock()
		if s.gates.entries == nil || len(s.gates.entries) > 100_000 {
			s.gates.entries = map[int64]articleGate{}
		}
		s.gates.entries[id] = g
		s.gates.mu.Unlock()
	}
	if g.publishedAt.After(now) {
		return articleGate{}, Errorf(ENOTFOUND, "기사를 찾을 수 없습니다.")
	}
	return g, nil
}
