package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// seedByline returns the seed article's id and first reporter's id.
func seedByline(tb testing.TB, s *testSite) (id, reporterID int64) {
	tb.Helper()
	id = seedArticleID(tb, s)
	var a struct {
		Bylines []struct {
			ReporterID int64 `json:"reporter_id"`
		} `json:"bylines"`
		Section struct{ Slug string } `json:"section"`
	}
	s.getJSON(tb, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &a)
	if len(a.Bylines) == 0 {
		tb.Fatal("seed article has no byline")
	}
	return id, a.Bylines[0].ReporterID
}

// mustParseFeed fetches a feed and parses it with gofeed, an independent
// parser, checking the content type.
func mustParseFeed(tb testing.TB, s *testSite, path, wantType string) *gofeed.Feed {
	tb.Helper()
	res, err := http.Get(s.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
		tb.Errorf("GET %s: Content-Type %q, want %s", path, ct, wantType)
	}
	f, err := gofeed.NewParser().Parse(res.Body)
	if err != nil {
		tb.Fatalf("parse %s: %v", path, err)
	}
	return f
}

// wantKST checks a feed date: the instant gofeed parsed (which it gives in
// UTC) and, in the text as written, the +09:00 offset.
func wantKST(tb testing.TB, what, raw string, parsed *time.Time, want string) {
	tb.Helper()
	w, _ := time.Parse(time.RFC3339, want)
	if parsed == nil || !parsed.Equal(w) {
		tb.Errorf("%s = %v, want %s", what, parsed, want)
	}
	layout := time.RFC3339
	if !strings.Contains(raw, "T") {
		layout = time.RFC1123Z // RSS
	}
	t, err := time.Parse(layout, raw)
	if err != nil {
		tb.Errorf("%s %q: %v", what, raw, err)
		return
	}
	if _, off := t.Zone(); off != 9*60*60 {
		tb.Errorf("%s %q has offset %ds, want +09:00", what, raw, off)
	}
}

func TestFeeds(t *testing.T) {
	const base = "https://news.jikji.example"
	for _, mode := range []string{"full", "summary"} {
		t.Run(mode, func(t *testing.T) {
			s := MustRunMain(t, func(c *Config) { c.BaseURL = base; c.FeedContent = mode })
			id, reporterID := seedByline(t, s)
			articleURL := fmt.Sprintf("%s/articles/%d", base, id)
			feeds := []struct {
				name, path, home string
			}{
				{"Site", "/", base + "/"},
				{"Section", "/sections/economy/", base + "/sections/economy"},
				{"Reporter", fmt.Sprintf("/reporters/%d/", reporterID), fmt.Sprintf("%s/reporters/%d", base, reporterID)},
			}
			formats := []struct {
				file, contentType, feedType string
			}{
				{"feed.xml", "application/rss+xml", "rss"},
				{"atom.xml", "application/atom+xml", "atom"},
				{"feed.json", "application/feed+json", "json"},
			}
			for _, fd := range feeds {
				for _, ft := range formats {
					t.Run(fd.name+"/"+ft.feedType, func(t *testing.T) {
						f := mustParseFeed(t, s, fd.path+ft.file, ft.contentType)
						if f.FeedType != ft.feedType {
							t.Errorf("feed type %q, want %q", f.FeedType, ft.feedType)
						}
						if !strings.HasPrefix(f.Title, "직지일보") || f.Link != fd.home {
							t.Errorf("title %q, link %q; want 직지일보…, %s", f.Title, f.Link, fd.home)
						}
						if f.Language != "ko" && ft.feedType != "atom" {
							t.Errorf("language %q, want ko", f.Language)
						}
						if self := base + fd.path + ft.file; f.FeedLink != self {
							t.Errorf("self link %q, want %q", f.FeedLink, self)
						}
						if ft.feedType != "json" && !strings.HasSuffix(f.Updated, "+09:00") && !strings.HasSuffix(f.Updated, "+0900") {
							t.Errorf("feed updated %q is not in KST", f.Updated)
						}
						var item *gofeed.Item
						for _, it := range f.Items {
							if !strings.HasPrefix(it.Link, base+"/articles/") {
								t.Errorf("item link %q is not on the base URL", it.Link)
							}
							if it.Link == articleURL {
								item = it
							}
						}
						if item == nil {
							t.Fatalf("feed lacks the seed article %s", articleURL)
						}
						checkSeedItem(t, ft.feedType, mode, base, articleURL, item)
					})
				}
			}
		})
	}
	t.Run("UnknownSection", func(t *testing.T) {
		s := MustRunMain(t)
		if status, _ := s.get(t, "/sections/nope/feed.xml"); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
		if status, _ := s.get(t, "/reporters/999999/atom.xml"); status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
	})
}

// checkSeedItem checks every field of the seed article's feed item.
func checkSeedItem(t *testing.T, feedType, mode, base, articleURL string, it *gofeed.Item) {
	t.Helper()
	if it.Title != seedHeadline {
		t.Errorf("title %q", it.Title)
	}
	if it.GUID != articleURL {
		t.Errorf("id/guid %q, want %q", it.GUID, articleURL)
	}
	wantKST(t, "published", it.Published, it.PublishedParsed, "2024-03-18T04:30:00+09:00")
	if feedType != "rss" {
		wantKST(t, "updated", it.Updated, it.UpdatedParsed, "2024-03-18T04:30:00+09:00")
	}
	if len(it.Authors) == 0 || !strings.Contains(it.Authors[0].Name, "이서희") {
		t.Errorf("authors %+v, want 이서희", it.Authors)
	}
	const summary = "올트먼, 오픈AI 본사서 한국 기자들 만나"
	// gofeed puts RSS's description, Atom's summary and JSON Feed's summary
	// into Description.
	if it.Description != summary {
		t.Errorf("summary %q, want %q", it.Description, summary)
	}
	switch mode {
	case "full":
		for _, frag := range []string{"<p>", "<h2>올트먼 &#34;자체 칩 생산은 AGI 도달 위한 것&#34;</h2>", `<img src="` + base + "/photos/", "<figcaption>"} {
			if !strings.Contains(it.Content, frag) && !strings.Contains(it.Content, strings.ReplaceAll(frag, "&#34;", `"`)) {
				t.Errorf("full content lacks %q", frag)
			}
		}
	case "summary":
		if strings.Contains(it.Content, "<p>") {
			t.Errorf("summary feed carries the full article")
		}
	}
	if len(it.Categories) == 0 || it.Categories[0] == "" {
		t.Errorf("no category")
	}
	// The lead photo, as enclosure or attachment, with size and type.
	if len(it.Enclosures) != 1 {
		t.Fatalf("enclosures %+v, want the lead photo", it.Enclosures)
	}
	enc := it.Enclosures[0]
	if !strings.HasPrefix(enc.URL, base+"/photos/") || enc.Type != "image/jpeg" || enc.Length == "" || enc.Length == "0" {
		t.Errorf("enclosure %+v", enc)
	}
	if feedType == "json" && (it.Image == nil || it.Image.URL != enc.URL) {
		t.Errorf("json feed image %+v, want %s", it.Image, enc.URL)
	}
	if feedType == "rss" {
		media := it.Extensions["media"]["content"]
		if len(media) != 1 || media[0].Attrs["url"] != enc.URL || media[0].Attrs["medium"] != "image" {
			t.Errorf("media:content %+v", media)
		}
	}
}
