package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jikji/internal/news"
	"jikji/internal/wordpress"
)

const wpFixtures = "../../internal/wordpress/testdata"

var (
	wpExport  = filepath.Join(wpFixtures, "export.xml")
	wpNewer   = filepath.Join(wpFixtures, "export-newer.xml")
	wpUploads = filepath.Join(wpFixtures, "uploads")
)

// jikjiOut runs a subcommand and returns its stdout and stderr.
func jikjiOut(tb testing.TB, args ...string) (string, string, error) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// siteArgs are the flags that point a command at the test site.
func siteArgs(s *testSite) []string {
	if s.Config.DatabaseURL != "" {
		return []string{"--database-url", s.Config.DatabaseURL}
	}
	return []string{"--data", s.Config.Data}
}

func mustImportWordPress(tb testing.TB, s *testSite, file string) string {
	tb.Helper()
	args := append([]string{"import-wordpress", file, "--uploads", wpUploads}, siteArgs(s)...)
	out, errOut, err := jikjiOut(tb, args...)
	if err != nil {
		tb.Fatalf("jikji %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// oldLink requests an old link and returns where its 301 leads, or "" and
// the status it answered instead.
func oldLink(tb testing.TB, s *testSite, path string) (string, int) {
	tb.Helper()
	res, err := noFollow.Get(s.URL + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusMovedPermanently {
		return "", res.StatusCode
	}
	return res.Header.Get("Location"), res.StatusCode
}

func mustOldLink(tb testing.TB, s *testSite, path string) string {
	tb.Helper()
	target, status := oldLink(tb, s, path)
	if target == "" {
		tb.Fatalf("old link %s: status %d, want 301", path, status)
	}
	return target
}

var articlePathRE = regexp.MustCompile(`^/articles/(\d+)$`)

// importedArticle finds the article a post became by its /?p=ID link.
func importedArticle(tb testing.TB, s *testSite, postID int64) news.Article {
	tb.Helper()
	target := mustOldLink(tb, s, fmt.Sprintf("/?p=%d", postID))
	m := articlePathRE.FindStringSubmatch(target)
	if m == nil {
		tb.Fatalf("/?p=%d leads to %q, not an article", postID, target)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	a, err := s.Store.Article(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// fixtureItems reads every item of a fixture export.
func fixtureItems(tb testing.TB, file string) []wordpress.Item {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := wordpress.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var items []wordpress.Item
	for {
		it, err := r.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			tb.Fatal(err)
		}
		items = append(items, it)
	}
}

var (
	droppedShortcodeRE = regexp.MustCompile(`\[(contact-form-7|adsense)[^\]]*\]`)
	plainTypography    = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'", "\u2026", "...",
		"\u2013", "-", "\u2014", "-", "\u00d7", "x", "\u00a0", " ")
	articleBodyRE = regexp.MustCompile(`(?s)<div class="article-body">(.*?)</div>\s*(?:<nav class="keywords"|<aside|<footer)`)
)

// lostWords returns the words of the reference not found, in order, in
// the page's text (spaces ignored: inline markup may move them).
func lostWords(reference, page string) []string {
	hay := strings.Join(strings.Fields(plainTypography.Replace(page)), "")
	var lost []string
	pos := 0
	for _, w := range strings.Fields(plainTypography.Replace(reference)) {
		i := strings.Index(hay[pos:], w)
		if i < 0 {
			lost = append(lost, w)
			continue
		}
		pos += i + len(w)
	}
	return lost
}

func TestImportWordPressSQLite(t *testing.T) {
	testImportWordPress(t, MustRunMain(t))
}

func TestImportWordPressPostgres(t *testing.T) {
	dbURL := mustPostgres(t)
	testImportWordPress(t, MustRunMain(t, func(c *Config) { c.DatabaseURL = dbURL }))
}

// testImportWordPress imports the fixture site into a running site that
// already holds the demo content, follows every old link, compares the
// visible text of every story, and imports again and the newer export.
func testImportWordPress(t *testing.T, s *testSite) {
	ctx := context.Background()
	demo, _, err := s.Store.PublishedArticles(ctx, news.ArticleFilter{Limit: 100})
	if err != nil || len(demo) == 0 {
		t.Fatalf("the site should hold the demo articles first: %d, %v", len(demo), err)
	}
	out := mustImportWordPress(t, s, wpExport)
	for _, want := range []string{"새로 13, 바뀐 것 0, 그대로 0", "예약 1", "비밀번호로 보호된 글 1건", "페이지 4", "비공개 글 1",
		"휴지통의 글 1", "사진: 새로 11", "2024/03/snow-gangwon.jpg", "댓글: 9건", "[adsense] 1", "[contact-form-7] 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}

	items := fixtureItems(t, wpExport)
	t.Run("VisibleTextOfEveryStory", func(t *testing.T) {
		for _, it := range items {
			if it.PostType != "post" || it.Status != "publish" || it.Password != "" {
				continue
			}
			a := importedArticle(t, s, it.PostID)
			status, page := s.get(t, articleURL(a.ID))
			if status != http.StatusOK {
				t.Errorf("post %d: article page %d answered %d", it.PostID, a.ID, status)
				continue
			}
			m := articleBodyRE.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("post %d: no article body on the page", it.PostID)
			}
			ref, err := os.ReadFile(filepath.Join(wpFixtures, "rendered", strconv.FormatInt(it.PostID, 10)+".html"))
			if err != nil {
				t.Fatal(err)
			}
			reference := droppedShortcodeRE.ReplaceAllString(visibleText(string(ref)), " ")
			if lost := lostWords(reference, visibleText(m[1])); len(lost) > 0 {
				t.Errorf("post %d lost %d words on its page: %q", it.PostID, len(lost), lost)
			}
			if !strings.Contains(visibleText(page), a.Headline) || a.Headline != strings.TrimSpace(it.Title) {
				t.Errorf("post %d: headline %q, want %q", it.PostID, a.Headline, it.Title)
			}
		}
	})

	t.Run("States", func(t *testing.T) {
		for id, want := range map[int64]string{28: news.StateDraft, 30: news.StateDraft, 31: news.StateSubmitted, 29: news.StatePublished} {
			a := importedArticle(t, s, id)
			if a.State != want {
				t.Errorf("post %d: state %q, want %q", id, a.State, want)
			}
			if status, _ := s.get(t, articleURL(a.ID)); status != http.StatusNotFound {
				t.Errorf("post %d (%s) is public: %d", id, want, status)
			}
		}
		if a := importedArticle(t, s, 29); !a.PublishedAt.After(s.Service.Now()) {
			t.Errorf("the future post is not scheduled: %v", a.PublishedAt)
		}
		// Published at post_date_gmt: 2024-03-15 09:30 KST.
		if a := importedArticle(t, s, 10); news.FormatKST(a.PublishedAt) != "2024.03.15 09:30" {
			t.Errorf("post 10 published at %s KST, want 2024.03.15 09:30", news.FormatKST(a.PublishedAt))
		}
		for _, id := range []int64{32, 33} {
			if target, status := oldLink(t, s, fmt.Sprintf("/?p=%d", id)); status != http.StatusNotFound {
				t.Errorf("skipped post %d answers %d → %q", id, status, target)
			}
		}
	})

	t.Run("SectionsReportersKeywords", func(t *testing.T) {
		// 청약 sits under 부동산 under 경제: its story is in 경제.
		a := importedArticle(t, s, 36)
		if a.Section.Slug != "economy" || a.Section.Name != "경제" {
			t.Errorf("post 36 in section %s %s, want economy 경제", a.Section.Slug, a.Section.Name)
		}
		if a := importedArticle(t, s, 1); a.Section.Slug != "미분류" {
			t.Errorf("post 1 in section %q, want the decoded Korean slug 미분류", a.Section.Slug)
		}
		a = importedArticle(t, s, 10)
		rep, err := s.Store.Reporter(ctx, a.Bylines[0].ReporterID)
		if err != nil || rep.Name != "김민준" || rep.Email != "minjun.kim@example.com" {
			t.Errorf("post 10's reporter = %+v, %v; want 김민준 with the e-mail kept", rep, err)
		}
		if !strings.Contains(strings.Join(a.Keywords, ","), "아파트") {
			t.Errorf("post 10 keywords %v lack 아파트", a.Keywords)
		}
		_, page := s.get(t, articleURL(a.ID))
		// The page may percent-encode the Korean slug, in either case.
		if !strings.Contains(page, `href="/tags/아파트"`) && !strings.Contains(strings.ToLower(page), strings.ToLower(`href="/tags/`+url.PathEscape("아파트")+`"`)) {
			t.Error("post 10's page does not link its keyword 아파트 to /tags/아파트")
		}
		status, tagPage := s.get(t, "/tags/아파트")
		tagText := visibleText(tagPage)
		if status != http.StatusOK || !strings.Contains(tagText, a.Headline) || !strings.Contains(tagText, importedArticle(t, s, 36).Headline) {
			t.Errorf("/tags/아파트 (%d) does not list posts 10 and 36", status)
		}
	})

	t.Run("Photos", func(t *testing.T) {
		a := importedArticle(t, s, 21)
		var gallery *news.Block
		for i, b := range a.Blocks {
			if b.Type == news.BlockPhoto && len(b.Photos) == 3 {
				gallery = &a.Blocks[i]
			}
		}
		if gallery == nil || !strings.Contains(gallery.Caption, "윤중로를 따라 핀 벚꽃.") || gallery.Credit != "사진=최유나 기자" {
			t.Fatalf("post 21 has no gallery of three photos with its captions: %+v", a.Blocks)
		}
		p, err := s.Store.Photo(ctx, gallery.Photos[0].PhotoID)
		if err != nil || p.Alt != "벚꽃이 핀 윤중로" || p.Caption != "윤중로를 따라 핀 벚꽃." {
			t.Errorf("photo 22 = %+v, %v", p, err)
		}
		// The story whose photo file was lost came without it.
		lost := importedArticle(t, s, 34)
		for _, b := range lost.Blocks {
			if b.Type == news.BlockPhoto {
				t.Errorf("post 34 shows a photo though its file is missing: %+v", b)
			}
		}
		if !strings.Contains(wordpress.VisibleText(lost.Blocks), "대관령") {
			t.Error("post 34 lost the caption text of its missing photo")
		}
	})

	t.Run("Comments", func(t *testing.T) {
		a := importedArticle(t, s, 13)
		if a.CommentCount != 5 {
			t.Errorf("post 13 has %d comments, want the 5 approved ones", a.CommentCount)
		}
		var list struct {
			Comments []struct {
				ID         int64  `json:"id"`
				Body       string `json:"body"`
				ReplyCount int64  `json:"reply_count"`
				Author     struct {
					DisplayName string `json:"display_name"`
					Imported    bool   `json:"imported"`
				} `json:"author"`
			} `json:"comments"`
		}
		s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/comments?sort=oldest", a.ID), http.StatusOK, &list)
		if len(list.Comments) != 2 || list.Comments[0].Author.DisplayName != "정다은" || !list.Comments[0].Author.Imported ||
			list.Comments[0].ReplyCount != 2 || list.Comments[1].ReplyCount != 1 {
			t.Fatalf("post 13's top-level comments = %+v", list.Comments)
		}
		_, page := s.get(t, fmt.Sprintf("/articles/%d/comments", a.ID))
		if !strings.Contains(page, news.ImportedMark) || strings.Contains(page, "지나가던 시민") {
			t.Error("the comments page should mark imported comments and leave out the pending one")
		}
	})

	t.Run("OldLinks", func(t *testing.T) {
		ten := articleURL(importedArticle(t, s, 10).ID)
		economy := "/sections/economy"
		// The front page in the page cache must not answer its query links.
		for range 2 {
			if status, _ := s.get(t, "/"); status != http.StatusOK {
				t.Fatalf("front page: %d", status)
			}
		}
		if got, _ := url.PathUnescape(mustOldLink(t, s, "/?p=10&utm_source=x")); got != ten {
			t.Errorf("/?p=10 with the front page cached → %q, want %q", got, ten)
		}
		for path, want := range map[string]string{
			"/?p=10": ten, "/archives/10": ten, "/2024/03/15/seoul-apartment-prices-rise-third-week/": ten,
			"/2024/03/seoul-apartment-prices-rise-third-week/": ten, "/seoul-apartment-prices-rise-third-week/": ten,
			"/category/economy/": economy, "/category/economy/real-estate/": economy, "/category/real-estate/": economy,
			"/tag/seoul-city/": "/tags/서울시", "/feed/": "/feed.xml", "/?page_id=2": "/",
		} {
			got, _ := url.PathUnescape(mustOldLink(t, s, path))
			if got != want {
				t.Errorf("%s → %q, want %q", path, got, want)
			}
		}
		if got := mustOldLink(t, s, "/author/choi-yuna/"); !strings.HasPrefix(got, "/reporters/") {
			t.Errorf("/author/choi-yuna/ → %q, want a reporter", got)
		}
		// Every permalink the export names, and every uploaded file of an
		// imported photo in any size, leads somewhere that answers.
		for _, it := range items {
			switch {
			case it.PostType == "post" && it.Status == "publish" && it.Password == "":
				target := mustOldLink(t, s, strings.TrimPrefix(it.Link, "https://news.example.com"))
				if status, _ := s.get(t, target); status != http.StatusOK {
					t.Errorf("%s → %s answers %d", it.Link, target, status)
				}
			case it.PostType == "attachment" && it.PostID != 35:
				file := strings.TrimPrefix(it.AttachmentURL, "https://news.example.com")
				for _, p := range []string{file, strings.Replace(file, ".jpg", "-300x200.jpg", 1)} {
					target := mustOldLink(t, s, p)
					res, err := http.Get(s.URL + target)
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
						t.Errorf("%s → %s answers %d %s", p, target, res.StatusCode, res.Header.Get("Content-Type"))
					}
				}
			}
		}
		if _, status := oldLink(t, s, "/no-such-old-link/"); status != http.StatusNotFound {
			t.Errorf("an unknown path answers %d, want 404", status)
		}
	})

	t.Run("EveryOldLinkWordPressBuilt", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(wpFixtures, "old-links.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		followed := 0
		for _, line := range strings.Split(string(raw), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Split(line, "\t")
			link, kind, target := f[0], f[1], f[2]
			u, err := url.Parse(strings.ReplaceAll(link, " ", "%20"))
			if err != nil {
				t.Fatal(err)
			}
			path := u.RequestURI()
			got, status := oldLink(t, s, path)
			followed++
			switch kind {
			case "post":
				id, _ := strconv.ParseInt(target, 10, 64)
				if want := articleURL(importedArticle(t, s, id).ID); got != want {
					t.Errorf("%s → %q (%d), want %s", link, got, status, want)
				}
			case "page":
				if got != "/" {
					t.Errorf("page link %s → %q (%d), want the front page", link, got, status)
				}
			case "upload":
				if strings.Contains(target, "snow-gangwon") {
					if status != http.StatusNotFound {
						t.Errorf("the lost photo's %s answers %d, want 404", link, status)
					}
					continue
				}
				res, err := http.Get(s.URL + got)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if got == "" || res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
					t.Errorf("%s → %q answers %d", link, got, res.StatusCode)
				}
			default: // category, tag, author, feed
				if got == "" {
					t.Errorf("%s %s answers %d, want 301", kind, link, status)
					continue
				}
				if kind == "tag" {
					continue // a tag of unpublished stories only leads to an empty keyword page
				}
				if st, _ := s.get(t, got); st != http.StatusOK {
					t.Errorf("%s %s → %s answers %d", kind, link, got, st)
				}
			}
		}
		if followed != 125 {
			t.Errorf("followed %d old links, want the fixture's 125", followed)
		}
	})

	t.Run("ExportCarriesOldLinks", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "site.tar")
		mustJikji(t, append([]string{"export", "--out", file}, siteArgs(s)...)...)
		data := t.TempDir()
		mustJikji(t, "import", file, "--data", data)
		moved := MustRunMain(t, func(c *Config) { c.Data, c.Demo = data, false })
		for _, path := range []string{"/?p=10", "/category/economy/", "/wp-content/uploads/2024/03/apartment-seoul-150x150.jpg"} {
			if got, want := mustOldLink(t, moved, path), mustOldLink(t, s, path); got != want {
				t.Errorf("after export and import %s → %q, want %q", path, got, want)
			}
		}
		// And a re-run into the moved site still knows what it imported.
		out := mustImportWordPress(t, moved, wpExport)
		if !strings.Contains(out, "새로 0, 바뀐 것 0, 그대로 13") {
			t.Errorf("re-run after the move:\n%s", out)
		}
	})

	t.Run("ReRunAndNewer", func(t *testing.T) {
		out := mustImportWordPress(t, s, wpExport)
		if !strings.Contains(out, "새로 0, 바뀐 것 0, 그대로 13") || !strings.Contains(out, "댓글: 0건") || !strings.Contains(out, "사진: 새로 0, 이미 있던 것 11") {
			t.Errorf("a second run imported something again:\n%s", out)
		}
		out = mustImportWordPress(t, s, wpNewer)
		// 46 is new; 10 was edited, 31 published, 13 got a comment.
		if !strings.Contains(out, "새로 1, 바뀐 것 3, 그대로 10") || !strings.Contains(out, "댓글: 1건") || !strings.Contains(out, "사진: 새로 1") {
			t.Errorf("the newer export:\n%s", out)
		}
		if a := importedArticle(t, s, 10); !strings.Contains(a.Headline, "(종합)") || !strings.Contains(wordpress.VisibleText(a.Blocks), "0.06%") {
			t.Errorf("post 10 not updated: %q", a.Headline)
		}
		if a := importedArticle(t, s, 31); a.State != news.StatePublished {
			t.Errorf("post 31 is %s, want published", a.State)
		}
		if a := importedArticle(t, s, 13); a.CommentCount != 6 {
			t.Errorf("post 13 has %d comments after the newer export, want 6", a.CommentCount)
		}
		if a := importedArticle(t, s, 46); a.LeadPhoto().PhotoID == 0 || a.LeadPhoto().Alt != "임시국회 개원식 모습" {
			t.Errorf("post 46 should show its new photo: %+v", a.Blocks)
		}
	})
}

// articleURL is an article's public path.
func articleURL(id int64) string { return "/articles/" + strconv.FormatInt(id, 10) }

// TestImportWordPressCutShort imports an export that ends in the middle of
// a post: the posts before it come in, the summary says where it stopped,
// and the whole file later brings the rest, nothing twice.
func TestImportWordPressCutShort(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.Demo = false })
	whole, err := os.ReadFile(wpExport)
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside post 25, after posts 1 to 21.
	cut := bytes.Index(whole, []byte("<wp:post_id>25</wp:post_id>"))
	if cut < 0 {
		t.Fatal("post 25 not in the fixture")
	}
	short := filepath.Join(t.TempDir(), "cut.xml")
	if err := os.WriteFile(short, whole[:cut+10], 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustImportWordPress(t, s, short)
	if !strings.Contains(out, "끊겼습니다") || !strings.Contains(out, "마지막 항목 ID 21") || !strings.Contains(out, "새로 6,") {
		t.Errorf("the summary of a cut-short export:\n%s", out)
	}
	importedArticle(t, s, 21)
	if _, status := oldLink(t, s, "/?p=25"); status != http.StatusNotFound {
		t.Errorf("the post cut in half was imported: /?p=25 answers %d", status)
	}
	out = mustImportWordPress(t, s, wpExport)
	if !strings.Contains(out, "새로 7, 바뀐 것 0, 그대로 6") || strings.Contains(out, "끊겼습니다") {
		t.Errorf("the whole file after the cut one:\n%s", out)
	}
	list, _, err := s.Store.PublishedArticles(context.Background(), news.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 10 { // 13 imported, less the draft, the pending one and the password-protected one
		t.Errorf("%d published articles, want 10", len(list))
	}
}

// TestImportWordPressRefusesOtherFiles refuses a file that is not WXR
// before anything is written: not even the database is created.
func TestImportWordPressRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"feed.xml":   `<?xml version="1.0"?><rss version="2.0"><channel><title>블로그</title><item><title>글</title></item></channel></rss>`,
		"atom.xml":   `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>`,
		"page.html":  `<!doctype html><html><body><p>워드프레스</p></body></html>`,
		"empty.xml":  ``,
		"binary.xml": "\x89PNG\r\n\x1a\n\x00\x00",
	} {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		data := filepath.Join(dir, "site-"+name)
		_, _, err := jikjiOut(t, "import-wordpress", file, "--data", data)
		if err == nil || !strings.Contains(err.Error(), "워드프레스 내보내기(WXR) 파일이 아닙니다") {
			t.Errorf("%s: err = %v, want a refusal", name, err)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			t.Errorf("%s: the data folder was created though the file was refused", name)
		}
	}
}

// TestImportWordPressDryRun reports what an import would do and writes
// nothing.
func TestImportWordPressDryRun(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.Demo = false })
	out, errOut, err := jikjiOut(t, "import-wordpress", wpExport, "--uploads", wpUploads, "--dry-run", "--data", s.Config.Data)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	for _, want := range []string{"--dry-run", "새로 13", "사진: 새로 11", "섹션 6, 기자 5, 댓글 작성자 7명"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry-run summary lacks %q:\n%s", want, out)
		}
	}
	list, _, err := s.Store.PublishedArticles(context.Background(), news.ArticleFilter{Limit: 10})
	if err != nil || len(list) != 0 {
		t.Errorf("a dry run wrote %d articles (%v)", len(list), err)
	}
	if _, status := oldLink(t, s, "/?p=10"); status != http.StatusNotFound {
		t.Errorf("a dry run wrote old links: /?p=10 answers %d", status)
	}
}

// TestImportWordPressOldBaseURL: an export taken from a staging copy names
// another address; --old-base-url says where the old links lived, and the
// items still match on a later run without it.
func TestImportWordPressOldBaseURL(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.Demo = false })
	args := append([]string{"import-wordpress", wpExport, "--uploads", wpUploads, "--old-base-url", "https://www.hanbit.example/news"}, siteArgs(s)...)
	if out, errOut, err := jikjiOut(t, args...); err != nil || !strings.Contains(out, "새로 13") {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	// The old site lived under /news: its links keep that prefix.
	if target := mustOldLink(t, s, "/news/?p=10"); !articlePathRE.MatchString(target) {
		t.Errorf("/news/?p=10 → %q", target)
	}
	if target := mustOldLink(t, s, "/news/2024/03/15/seoul-apartment-prices-rise-third-week/"); !articlePathRE.MatchString(target) {
		t.Errorf("the prefixed permalink → %q", target)
	}
	// Without it the same posts are matched (their old links change, so
	// they count as changed), none is made twice.
	if out := mustImportWordPress(t, s, wpExport); !strings.Contains(out, "새로 0, 바뀐 것 13") || !strings.Contains(out, "사진: 새로 0") {
		t.Errorf("a run without --old-base-url imported again:\n%s", out)
	}
	list, _, err := s.Store.PublishedArticles(context.Background(), news.ArticleFilter{Limit: 100})
	if err != nil || len(list) != 10 {
		t.Errorf("%d published articles after two runs, want 10 (%v)", len(list), err)
	}
}
