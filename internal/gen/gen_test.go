package gen

import (
	"testing"
	"time"
	"unicode/utf8"

	"jikji/internal/news"
)

func TestRecordsAreCompleteAndConsistent(t *testing.T) {
	g := New(Options{Articles: 50, Comments: 200, ThreadComments: 30, Readers: 20, ReactionsPerReader: 3, Seed: 7, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	var articles, comments, reactions, readers int
	var thread int
	ids := map[int64]bool{}
	err := g.Records(func(r news.Record) error {
		switch {
		case r.Article != nil:
			articles++
			ids[r.Article.ID] = true
			n := utf8.RuneCountInString(r.Article.Body)
			if n < 1900 || n > 3000 {
				t.Errorf("article %d has %d characters", r.Article.ID, n)
			}
			if len(r.Article.Blocks) < 2 || r.Article.Section.ID == 0 || len(r.Article.Bylines) != 1 {
				t.Errorf("article %d incomplete", r.Article.ID)
			}
		case r.Comment != nil:
			comments++
			if !ids[r.Comment.ArticleID] {
				t.Errorf("comment on unknown article %d", r.Comment.ArticleID)
			}
			if r.Comment.ArticleID == 50 {
				thread++
			}
		case r.Reaction != nil:
			reactions++
		case r.Account != nil:
			readers++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if articles != 50 || comments != 230 || reactions != 60 || readers != 20 || thread < 30 {
		t.Errorf("articles %d comments %d reactions %d readers %d thread %d", articles, comments, reactions, readers, thread)
	}
}

func BenchmarkArticle(b *testing.B) {
	g := New(Options{Articles: 1, Reporters: 3, Seed: 1})
	for b.Loop() {
		g.article(1, time.Now())
	}
}
