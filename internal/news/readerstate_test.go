package news

import (
	"testing"
	"time"
)

func TestReaderStates(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	until := now.Add(time.Minute)
	mine := ViewerState{Counts: map[string]int64{"like": 2}, Reaction: "like", Saved: true}
	fill := func(c *readerStates) {
		c.put(1, 9, mine, c.stamp(1, 9), until)
	}
	cached := func(c *readerStates, article, account int64) bool {
		_, ok := c.get(article, account, now)
		return ok
	}
	t.Run("KeptUntilChanged", func(t *testing.T) {
		var c readerStates
		fill(&c)
		if got, ok := c.get(1, 9, now); !ok || got.Reaction != "like" || !got.Saved || got.Counts["like"] != 2 {
			t.Fatalf("get = %+v, %v", got, ok)
		}
		if !cached(&c, 1, 0) {
			t.Error("an anonymous reader does not share the counts")
		}
		if _, ok := c.get(1, 9, until.Add(time.Second)); ok {
			t.Error("kept past its time")
		}
	})
	t.Run("DroppedByWhatChanged", func(t *testing.T) {
		for name, tc := range map[string]struct {
			ch          Change
			counts, own bool // still cached after ch
		}{
			"OthersReaction": {Change{ArticleID: 1, AccountID: 5}, false, false},
			"OwnBookmark":    {Change{AccountID: 9}, true, false},
			"OtherArticle":   {Change{ArticleID: 2}, true, true},
			"OtherReader":    {Change{AccountID: 5}, true, true},
			"EditedArticle":  {Change{ArticleID: 2, Lists: true}, true, false},
			"Everything":     {Change{All: true}, false, false},
		} {
			t.Run(name, func(t *testing.T) {
				var c readerStates
				fill(&c)
				c.invalidate(tc.ch)
				if got := cached(&c, 1, 0); got != tc.counts {
					t.Errorf("counts cached %v, want %v", got, tc.counts)
				}
				if got := cached(&c, 1, 9); got != (tc.counts && tc.own) {
					t.Errorf("own state cached %v, want %v", got, tc.counts && tc.own)
				}
			})
		}
	})
	t.Run("ReadRacingWriteNotKept", func(t *testing.T) {
		var c readerStates
		st := c.stamp(1, 9)
		// The reader's write lands while their state is being read.
		c.invalidate(Change{ArticleID: 1, AccountID: 9})
		c.put(1, 9, mine, st, until)
		if cached(&c, 1, 9) {
			t.Error("a state read before a write was kept after it")
		}
	})
}
