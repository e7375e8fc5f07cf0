package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
)

const testBase = "https://news.jikji.example"

// The sitemap protocol's and Google News' required elements, decoded with
// their namespaces so that a wrong namespace fails too.
type sitemapIndexDoc struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
}

type urlsetDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		News    *struct {
			Publication struct {
				Name     string `xml:"http://www.google.com/schemas/sitemap-news/0.9 name"`
				Language string `xml:"http://www.google.com/schemas/sitemap-news/0.9 language"`
			} `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication"`
			PublicationDate string `xml:"http://www.google.com/schemas/sitemap-news/0.9 publication_date"`
			Title           string `xml:"http://www.google.com/schemas/sitemap-news/0.9 title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// getXML fetches a path of the site and decodes it.
func getXML(tb testing.TB, s *testSite, path string, v any) {
	tb.Helper()
	status, body := s.get(tb, path)
	if status != http.StatusOK {
		tb.Fatalf("GET %s: status %d", path, status)
	}
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) {
		tb.Errorf("GET %s: no XML declaration", path)
	}
	if err := xml.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
}

// wantW3CKST fails unless v is a W3C datetime with the +09:00 offset.
func wantW3CKST(tb testing.TB, what, v string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || !strings.HasSuffix(v, "+09:00") {
		tb.Errorf("%s %q is not RFC 3339 in KST", what, v)
	}
	return t
}

func TestSitemaps(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.BaseURL = testBase })
	seed := seedArticleID(t, s)
	ctx := context.Background()
	secs, err := s.Store.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A story of an hour ago belongs in the news sitemap; one of three days
	// ago and the 2024 demo stories do not.
	create := func(headline string, age time.Duration) int64 {
		a := news.Article{Section: secs[0], Headline: headline, Body: "본문입니다.", State: news.StatePublished,
			PublishedAt: time.Now().Add(-age).Truncate(time.Second), CommentsOpen: true}
		if err := s.Service.CreateArticle(ctx, &a); err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	fresh := create(`속보 "지금" 국회 본회의 & 예산안 통과`, time.Hour)
	old := create("사흘 전 기사", 72*time.Hour)

	var idx sitemapIndexDoc
	getXML(t, s, "/sitemap.xml", &idx)
	if len(idx.Sitemaps) < 3 {
		t.Fatalf("sitemap index lists %d sitemaps", len(idx.Sitemaps))
	}
	listed := map[string]string{} // article URL → lastmod
	var sawNews bool
	for _, sm := range idx.Sitemaps {
		path, ok := strings.CutPrefix(sm.Loc, testBase)
		if !ok {
			t.Fatalf("sitemap %q is not on the base URL", sm.Loc)
		}
		if sm.LastMod != "" {
			wantW3CKST(t, "sitemap lastmod", sm.LastMod)
		}
		var set urlsetDoc
		getXML(t, s, path, &set)
		if path == "/sitemap-news.xml" {
			sawNews = true
			continue
		}
		if len(set.URLs) == 0 {
			t.Errorf("%s is empty", path)
		}
		for _, u := range set.URLs {
			if !strings.HasPrefix(u.Loc, testBase+"/") {
				t.Errorf("%s: url %q is not on the base URL", path, u.Loc)
			}
			if strings.Contains(u.Loc, "/articles/") {
				listed[u.Loc] = u.LastMod
			}
		}
	}
	if !sawNews {
		t.Errorf("the sitemap index does not list the news sitemap")
	}
	for _, id := range []int64{seed, fresh, old} {
		lastmod, ok := listed[fmt.Sprintf("%s/articles/%d", testBase, id)]
		if !ok {
			t.Errorf("article %d is in no sitemap", id)
			continue
		}
		wantW3CKST(t, "article lastmod", lastmod)
	}
	if got := listed[fmt.Sprintf("%s/articles/%d", testBase, seed)]; got != "2024-03-18T04:30:00+09:00" {
		t.Errorf("seed lastmod %q", got)
	}

	var newsSet urlsetDoc
	getXML(t, s, "/sitemap-news.xml", &newsSet)
	if len(newsSet.URLs) != 1 {
		t.Fatalf("news sitemap lists %d articles, want only the one of the last 48 hours", len(newsSet.URLs))
	}
	u := newsSet.URLs[0]
	if u.Loc != fmt.Sprintf("%s/articles/%d", testBase, fresh) || u.News == nil {
		t.Fatalf("news sitemap entry %+v", u)
	}
	if u.News.Publication.Name != "직지일보" || u.News.Publication.Language != "ko" {
		t.Errorf("news:publication %+v", u.News.Publication)
	}
	if u.News.Title != `속보 "지금" 국회 본회의 & 예산안 통과` {
		t.Errorf("news:title %q", u.News.Title)
	}
	if pub := wantW3CKST(t, "news:publication_date", u.News.PublicationDate); time.Since(pub) > 2*time.Hour {
		t.Errorf("news:publication_date %v", pub)
	}

	status, robots := s.get(t, "/robots.txt")
	if status != http.StatusOK || !strings.Contains(robots, "Sitemap: "+testBase+"/sitemap.xml\n") ||
		!strings.Contains(robots, "User-agent: *") || !strings.Contains(robots, "Disallow: /api/") {
		t.Errorf("robots.txt:\n%s", robots)
	}
	for _, path := range []string{"/sitemaps/articles-0.xml", "/sitemaps/articles-99.xml", "/sitemaps/articles-01.xml", "/sitemaps/x.xml"} {
		if status, _ := s.get(t, path); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
	}
}

var (
	jsonLDRE = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	metaRE   = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)
)

// articleHead fetches an article page and returns its JSON-LD (decoded)
// and its meta tags.
func articleHead(tb testing.TB, s *testSite, path string) (map[string]any, map[string][]string, string) {
	tb.Helper()
	status, page := s.get(tb, path)
	if status != http.StatusOK {
		tb.Fatalf("GET %s: status %d", path, status)
	}
	head, _, _ := strings.Cut(page, "</head>")
	m := jsonLDRE.FindAllStringSubmatch(head, -1)
	if len(m) != 1 {
		tb.Fatalf("%s: %d JSON-LD scripts in the head, want 1", path, len(m))
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[0][1]), &ld); err != nil {
		tb.Fatalf("%s: JSON-LD does not parse: %v\n%s", path, err, m[0][1])
	}
	metas := map[string][]string{}
	for _, mm := range metaRE.FindAllStringSubmatch(head, -1) {
		metas[mm[1]] = append(metas[mm[1]], htmlUnescape(mm[2]))
	}
	return ld, metas, head
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#43;", "+", "&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

func TestArticleMetadata(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.BaseURL = testBase })
	id, reporterID := seedByline(t, s)
	ld, metas, head := articleHead(t, s, fmt.Sprintf("/articles/%d/any-slug-at-all", id))
	url := fmt.Sprintf("%s/articles/%d", testBase, id)

	if !strings.Contains(head, `<link rel="canonical" href="`+url+`">`) {
		t.Errorf("canonical is not %s", url)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	if ld["@context"] != "https://schema.org" || ld["@type"] != "NewsArticle" {
		t.Errorf("@context %v, @type %v", ld["@context"], ld["@type"])
	}
	if ld["headline"] != seedHeadline {
		t.Errorf("headline %v", ld["headline"])
	}
	if ld["datePublished"] != "2024-03-18T04:30:00+09:00" || ld["dateModified"] != "2024-03-18T04:30:00+09:00" {
		t.Errorf("datePublished %v, dateModified %v", ld["datePublished"], ld["dateModified"])
	}
	images, _ := ld["image"].([]any)
	if len(images) == 0 || !strings.HasPrefix(str(images[0]), testBase+"/photos/") {
		t.Errorf("image %v", ld["image"])
	}
	authors, _ := ld["author"].([]any)
	if len(authors) == 0 {
		t.Fatalf("no author")
	}
	author, _ := authors[0].(map[string]any)
	if author["@type"] != "Person" || author["name"] != "이서희" || author["url"] != fmt.Sprintf("%s/reporters/%d", testBase, reporterID) {
		t.Errorf("author %v", author)
	}
	publisher, _ := ld["publisher"].(map[string]any)
	if str(publisher["name"]) != "직지일보" || !strings.HasSuffix(str(publisher["@type"]), "Organization") {
		t.Errorf("publisher %v", publisher)
	}
	if page, _ := ld["mainEntityOfPage"].(map[string]any); page["@id"] != url {
		t.Errorf("mainEntityOfPage %v", ld["mainEntityOfPage"])
	}

	want := map[string]string{
		"og:type": "article", "og:title": seedHeadline, "og:url": url, "og:site_name": "직지일보", "og:locale": "ko_KR",
		"og:description":         "올트먼, 오픈AI 본사서 한국 기자들 만나",
		"article:published_time": "2024-03-18T04:30:00+09:00",
		"twitter:card":           "summary_large_image", "twitter:title": seedHeadline,
	}
	for k, v := range want {
		if got := metas[k]; len(got) != 1 || got[0] != v {
			t.Errorf("meta %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"og:image", "twitter:image"} {
		if got := metas[k]; len(got) != 1 || !strings.HasPrefix(got[0], testBase+"/photos/") {
			t.Errorf("meta %s = %q", k, got)
		}
	}

	// A headline that tries to close the script element stays data.
	ctx := context.Background()
	secs, _ := s.Store.Sections(ctx)
	evil := `</script><script>alert(1)</script> "따옴표" & <b>`
	a := news.Article{Section: secs[0], Headline: evil, Body: "본문입니다.", State: news.StatePublished,
		PublishedAt: time.Now().Add(-time.Minute), UpdatedAt: time.Now(), CommentsOpen: true}
	if err := s.Service.CreateArticle(ctx, &a); err != nil {
		t.Fatal(err)
	}
	ld, _, head = articleHead(t, s, fmt.Sprintf("/articles/%d", a.ID))
	if ld["headline"] != evil {
		t.Errorf("headline %q, want %q", ld["headline"], evil)
	}
	if strings.Contains(head, "<script>alert") {
		t.Errorf("the headline escaped its script element")
	}
	pub := wantW3CKST(t, "datePublished", str(ld["datePublished"]))
	mod := wantW3CKST(t, "dateModified", str(ld["dateModified"]))
	if !mod.After(pub) {
		t.Errorf("dateModified %v is not after datePublished %v", mod, pub)
	}
	if _, ok := ld["image"]; ok {
		t.Errorf("an article without a photo has an image: %v", ld["image"])
	}
}
