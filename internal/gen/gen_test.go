package gen

import (
	"strings"
	"testing"
	"time"
	"unicode"
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

// TestWordsFollowZipf checks that the archive looks like one: the commonest
// word is in most stories, words further down in ever fewer, and most of
// the vocabulary in almost none, with particles attached as in print.
func TestWordsFollowZipf(t *testing.T) {
	const n = 2000
	g := New(Options{Articles: n, Seed: 3, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	vocab := Vocabulary()
	if len(vocab) < 30000 {
		t.Fatalf("vocabulary of %d words, want tens of thousands", len(vocab))
	}
	df := map[string]int{}
	var particles int
	err := g.Records(func(r news.Record) error {
		if r.Article == nil {
			return nil
		}
		text := r.Article.Headline + " " + r.Article.Body
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			for _, cut := range []string{"", "을", "를", "이", "가", "은", "는", "의", "에서", "와", "과", "도", "까지", "보다", "으로", "로"} {
				if stem, ok := strings.CutSuffix(w, cut); ok && stem != "" && !seen[stem] {
					seen[stem] = true
					df[stem]++
					if cut != "" {
						particles++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	share := func(rank int) float64 { return float64(df[vocab[rank]]) / n }
	t.Logf("stories holding the word of rank 0: %.1f%%, 10: %.1f%%, 100: %.1f%%, 1000: %.2f%%, 10000: %.3f%%",
		100*share(0), 100*share(10), 100*share(100), 100*share(1000), 100*share(10000))
	if share(0) < 0.5 {
		t.Errorf("the commonest word is in %.0f%% of stories, want most", 100*share(0))
	}
	if !(share(0) > share(100) && share(100) > share(1000) && share(100) < 0.5) {
		t.Errorf("shares do not fall with rank: %.3f %.3f %.3f", share(0), share(100), share(1000))
	}
	rare := 0
	for _, w := range vocab {
		if float64(df[w])/n < 0.001 {
			rare++
		}
	}
	if rare < len(vocab)/2 {
		t.Errorf("%d of %d words in fewer than 0.1%% of stories, want most", rare, len(vocab))
	}
	if particles == 0 {
		t.Error("no noun with a particle attached")
	}
}
