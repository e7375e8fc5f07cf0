package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"jikji/internal/news"
)

// onBothStores runs check against a site on SQLite and one on PostgreSQL.
func onBothStores(t *testing.T, check func(t *testing.T, s *testSite), configure ...func(*Config)) {
	t.Run("SQLite", func(t *testing.T) { check(t, MustRunMain(t, configure...)) })
	t.Run("PostgreSQL", func(t *testing.T) { check(t, startNode(t, mustPostgres(t), configure...)) })
}

// rawJSON sends a JSON body as given (not marshalled) and returns status,
// header and body.
func (c *client) rawJSON(tb testing.TB, method, path, body string) (int, http.Header, []byte) {
	tb.Helper()
	return c.send(tb, method, path, strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
}

func TestNULIsRefusedAtTheEdges(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		admin := mustStaff(t, s, "admin@example.com", "관리자", news.RoleAdmin)
		reader := mustSignUp(t, s, "reader@example.com", "독자")
		id := seedArticleID(t, s)
		draft := mustDraft(t, admin, "초고")

		for _, path := range []string{
			"/sections/a%00", "/articles/1%00", "/api/v1/articles?section=a%00", "/api/v1/search?q=a&section=%00",
			"/search?q=a%00b", "/newsroom?q=a%00b", fmt.Sprintf("/articles/%d?sort=%%00", id),
		} {
			st, body := admin.page(t, path)
			if st != http.StatusBadRequest {
				t.Errorf("GET %s: %d, want 400", path, st)
			}
			if strings.HasPrefix(path, "/api/") {
				var e apiErr
				if json.Unmarshal([]byte(body), &e); e.Code != news.EINVALID {
					t.Errorf("GET %s: %s, want code invalid", path, body)
				}
			} else if !strings.Contains(body, "쓸 수 없는 문자(NUL)") {
				t.Errorf("GET %s: the page does not say why", path)
			}
		}

		for _, tc := range []struct {
			c            *client
			method, path string
			body         string
		}{
			{reader, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), `{"body":"a\u0000b"}`},
			{newClient(t, s), "POST", "/api/v1/auth/login", `{"email":"reader@example.com\u0000","password":"correct horse battery"}`},
			{newClient(t, s), "POST", "/api/v1/auth/signup", `{"email":"new@example.com","password":"correct horse battery","display_name":"이\u0000름"}`},
			{admin, "PATCH", fmt.Sprintf("/api/v1/newsroom/articles/%d", draft.ID), `{"headline":"제목\u0000"}`},
			{admin, "PATCH", fmt.Sprintf("/api/v1/newsroom/articles/%d", draft.ID), `{"body":"본문\u0000"}`},
			{admin, "PUT", "/api/v1/newsroom/moderation/banned-words", `{"words":["나쁜\u0000말"]}`},
			{admin, "POST", "/api/v1/newsroom/tokens", `{"email":"admin@example.com","name":"토큰\u0000"}`},
		} {
			st, _, body := tc.c.rawJSON(t, tc.method, tc.path, tc.body)
			var e apiErr
			json.Unmarshal(body, &e)
			if st != http.StatusBadRequest || e.Code != news.EINVALID {
				t.Errorf("%s %s %s: %d %s, want 400 invalid", tc.method, tc.path, tc.body, st, body)
			}
		}
		// An escaped backslash before u0000 is text, not a NUL.
		st, _, body := reader.rawJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), `{"body":"경로는 C:\\u0000 입니다"}`)
		if st != http.StatusCreated {
			t.Errorf(`a comment holding the text \u0000: %d %s`, st, body)
		}

		// Forms: a comment and a login.
		for path, form := range map[string]string{
			fmt.Sprintf("/articles/%d/comments", id): "body=a%00b",
			"/login":                                 "email=reader%40example.com%00&password=correct+horse+battery",
			"/newsroom/reporters":                    "name=%00&role=%EA%B8%B0%EC%9E%90",
		} {
			c := reader
			if strings.HasPrefix(path, "/newsroom") {
				c = admin
			}
			st, _, body := c.send(t, "POST", path, strings.NewReader(form), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
			if st != http.StatusBadRequest || !strings.Contains(string(body), "NUL") {
				t.Errorf("POST %s %s: %d, want 400 with a reason", path, form, st)
			}
		}

		// A comment form sent as multipart.
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.WriteField("body", "a\x00b")
		mw.Close()
		if st, _, _ := reader.send(t, "POST", fmt.Sprintf("/articles/%d/comments", id), &mp, http.Header{"Content-Type": {mw.FormDataContentType()}}); st != http.StatusBadRequest {
			t.Errorf("a multipart comment form with NUL: %d, want 400", st)
		}

		// A photo caption.
		pr, h := multipartPhoto(t, testPNG(t, 64, 48), "사진\x00설명", "직지일보", "대체 텍스트")
		if st, _, body := admin.send(t, "POST", "/api/v1/newsroom/photos", pr, h); st != http.StatusBadRequest {
			t.Errorf("photo caption with NUL: %d %s", st, body)
		}

		// Nothing of it was stored: the article's comments hold only the
		// one with the escaped backslash.
		var list struct {
			Count int64 `json:"count"`
		}
		s.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/comments", id), http.StatusOK, &list)
		if list.Count != 1 {
			t.Errorf("comment count %d after refused comments, want 1", list.Count)
		}
	})
}

func TestOutOfRangeIDsAndSizesAreNotFound(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		for _, path := range []string{
			"/photos/1/2147483648.jpg", "/photos/2147483648/480.jpg", "/photos/1/99999999999999999999.jpg",
			"/photos/9223372036854775807/9223372036854775807.jpg", "/articles/2147483648", "/articles/9223372036854775807",
			"/articles/9223372036854775808", "/reporters/2147483648", "/users/2147483648", "/api/v1/articles/2147483648",
			"/api/v1/articles/2147483648/comments", "/api/v1/comments/2147483648/replies", "/api/v1/users/9223372036854775807",
			"/articles/2147483648/comments", "/reporters/9223372036854775807/feed.xml", "/sitemaps/articles-2147483648.xml",
		} {
			if st, _ := s.get(t, path); st != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, st)
			}
		}
		reader := mustSignUp(t, s, "reader@example.com", "독자")
		id := seedArticleID(t, s)
		for _, body := range []string{`{"body":"답글","parent_id":2147483648}`, `{"body":"답글","parent_id":9223372036854775807}`} {
			st, _, out := reader.rawJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), body)
			if st != http.StatusNotFound && st != http.StatusBadRequest {
				t.Errorf("reply to a parent out of range: %d %s", st, out)
			}
		}
		if st, _, out := reader.send(t, "PUT", "/api/v1/articles/2147483648/reaction", bytes.NewReader([]byte(`{"reaction":"like"}`)),
			http.Header{"Content-Type": {"application/json"}}); st != http.StatusNotFound {
			t.Errorf("reaction on article 2147483648: %d %s", st, out)
		}
	})
}

// TestImportDropsNULFromOldArchives imports an archive of a site that
// stored NUL characters before they were refused (SQLite keeps them) into
// PostgreSQL and SQLite: the import succeeds without them and says how many
// it dropped.
func TestImportDropsNULFromOldArchives(t *testing.T) {
	src := MustRunMain(t)
	ctx := t.Context()
	id := seedArticleID(t, src)
	mustSignUp(t, src, "old@example.com", "오래된 독자")
	v, err := src.Store.AccountByEmail(ctx, "old@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Service.PostComment(ctx, v, id, 0, "옛\x00댓글\x00"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "old.tar")
	mustJikji(t, "export", "--data", src.Config.Data, "--out", file)

	for name, target := range map[string][]string{
		"PostgreSQL": {"--database-url", mustPostgres(t)},
		"SQLite":     {"--data", t.TempDir()},
	} {
		t.Run(name, func(t *testing.T) {
			out := mustJikji(t, append([]string{"import", file}, target...)...)
			if !strings.Contains(out, "NUL 문자(U+0000) 2개를 지웠습니다") {
				t.Errorf("import did not say it dropped 2 NUL characters:\n%s", out)
			}
			back := filepath.Join(t.TempDir(), "back.tar")
			mustJikji(t, append([]string{"export", "--out", back}, target...)...)
			found := false
			for _, r := range readArchive(t, back) {
				if r.Comment != nil && strings.Contains(r.Comment.Body, "댓글") && strings.HasPrefix(r.Comment.Body, "옛") {
					found = true
					if r.Comment.Body != "옛댓글" {
						t.Errorf("imported comment %q, want %q", r.Comment.Body, "옛댓글")
					}
				}
			}
			if !found {
				t.Error("the comment was not imported")
			}
		})
	}
}

// TestOneJSONDecoderForReadersAndNewsroom sends the newsroom API what the
// reader API refuses: trailing data and invalid UTF-8 are refused alike;
// only the size limit differs.
func TestOneJSONDecoderForReadersAndNewsroom(t *testing.T) {
	s := mustNewsroom(t)
	editor := s.clients[news.RoleEditor]
	reader := s.clients[news.RoleReader]
	draft := mustDraft(t, editor, "초고")
	id := seedArticleID(t, s.testSite)
	desk := fmt.Sprintf("/api/v1/newsroom/articles/%d", draft.ID)
	comments := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	for _, body := range []string{
		`{"headline":"고친 제목"} {"headline":"둘째"}`,
		`{"headline":"고친 제목"}xyz`,
		"{\"headline\":\"\xff\xfe\"}",
		`{"headline":"고친 제목"`,
	} {
		for path, c := range map[string]*client{desk: editor, comments: reader} {
			method := "PATCH"
			if path == comments {
				method = "POST"
				body = strings.Replace(body, "headline", "body", 1)
			}
			st, _, out := c.rawJSON(t, method, path, body)
			var e apiErr
			json.Unmarshal(out, &e)
			if st != http.StatusBadRequest || e.Code != news.EINVALID {
				t.Errorf("%s %s %q: %d %s, want 400 invalid", method, path, body, st, out)
			}
		}
	}
	var got deskArticle
	editor.mustJSON(t, "GET", desk, nil, http.StatusOK, &got)
	if got.Headline != "초고" {
		t.Errorf("a refused PATCH changed the headline to %q", got.Headline)
	}
	// A long article fits the newsroom's limit, not a reader's.
	long := `{"body":"` + strings.Repeat("가", 100<<10) + `"}`
	if st, _, out := editor.rawJSON(t, "PATCH", desk, long); st != http.StatusOK {
		t.Errorf("a 300 KB article body: %d %.200s", st, out)
	}
	if st, _, _ := reader.rawJSON(t, "POST", comments, long); st != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KB comment: %d, want 413", st)
	}
}

// TestWriterReadsOwnWriteAtOnce writes through one node and reads at once,
// 100 times: the node drops what went stale before it answers the write,
// for anonymous readers and the writer alike.
func TestWriterReadsOwnWriteAtOnce(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		editor := mustStaff(t, s, "editor@example.com", "데스크", news.RoleEditor)
		reader := mustSignUp(t, s, "reader@example.com", "독자")
		seed := seedArticleID(t, s)
		var story deskArticle
		editor.mustJSON(t, "POST", "/api/v1/newsroom/articles", map[string]any{
			"headline": "zqxfresh 새 소식", "section": "society", "body": "본문입니다.",
		}, http.StatusCreated, &story)

		listed := func(c *client, path string) bool {
			t.Helper()
			st, body := c.page(t, path)
			if st != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, st, body)
			}
			return strings.Contains(body, fmt.Sprintf(`"id":%d,`, story.ID))
		}
		anon := newClient(t, s)
		reactions := fmt.Sprintf("/api/v1/articles/%d/reactions", seed)
		for i := range 100 {
			// Everyone has the page cached before the write.
			listed(anon, "/api/v1/articles")
			listed(anon, "/api/v1/search?q=zqxfresh")
			var before struct{ Counts map[string]int64 }
			anon.mustJSON(t, "GET", reactions, nil, http.StatusOK, &before)

			published := i%2 == 0
			action := "unpublish"
			if published {
				action = "publish"
			}
			editor.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/%s", story.ID, action), nil, http.StatusOK, nil)
			for _, path := range []string{"/api/v1/articles", "/api/v1/search?q=zqxfresh"} {
				for who, c := range map[string]*client{"anonymous": anon, "the editor": editor} {
					if got := listed(c, path); got != published {
						t.Fatalf("round %d: right after %s, %s sees the story in %s: %t", i, action, who, path, got)
					}
				}
			}
			if published {
				if st, _ := anon.page(t, "/search?q=zqxfresh"); st != http.StatusOK {
					t.Fatalf("search page: %d", st)
				}
			}

			want := before.Counts["like"] + 1
			method := "PUT"
			if i%2 == 1 {
				method, want = "DELETE", before.Counts["like"]-1
			}
			var body any
			if method == "PUT" {
				body = map[string]string{"reaction": "like"}
			}
			reader.mustJSON(t, method, fmt.Sprintf("/api/v1/articles/%d/reaction", seed), body, http.StatusOK, nil)
			var after struct {
				Counts map[string]int64
				Mine   *string
			}
			anon.mustJSON(t, "GET", reactions, nil, http.StatusOK, &after)
			if after.Counts["like"] != want {
				t.Fatalf("round %d: right after %s of a reaction, an anonymous reader sees %d likes, want %d", i, method, after.Counts["like"], want)
			}
			if after.Mine != nil {
				t.Fatalf("round %d: an anonymous reader's own reaction is %q", i, *after.Mine)
			}
			reader.mustJSON(t, "GET", reactions, nil, http.StatusOK, &after)
			if after.Counts["like"] != want {
				t.Fatalf("round %d: the reader sees %d likes, want %d", i, after.Counts["like"], want)
			}
			if (after.Mine != nil) != (method == "PUT") || (after.Mine != nil && *after.Mine != "like") {
				t.Fatalf("round %d: after %s the reader's own reaction is %v", i, method, after.Mine)
			}
		}
	}, func(c *Config) { c.RateLimit = false })
}

// cacheMisses reads the page cache's misses from /metrics.
func cacheMisses(tb testing.TB, s *testSite) int {
	tb.Helper()
	_, body := s.get(tb, "/metrics")
	m := regexp.MustCompile(`jikji_page_cache_requests_total\{result="miss"\} (\d+)`).FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no page-cache misses in /metrics:\n%s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestTrackingParametersShareOneCacheEntry floods an article with query
// strings it does not read and ids spelled oddly: one render serves them
// all, and odd ids are sent to the canonical URL.
func TestTrackingParametersShareOneCacheEntry(t *testing.T) {
	s := MustRunMain(t)
	id := seedArticleID(t, s)
	reader := mustSignUp(t, s, "reader@example.com", "독자")
	mustComment(t, reader, id, "먼저 쓴 댓글", http.StatusCreated)
	mustComment(t, reader, id, "나중에 쓴 댓글", http.StatusCreated)
	path := fmt.Sprintf("/articles/%d", id)
	_, want := s.get(t, path)
	before := cacheMisses(t, s)
	for n := range 300 {
		st, body := s.get(t, fmt.Sprintf("%s?utm_source=%d&fbclid=x%d", path, n, n))
		if st != http.StatusOK || body != want {
			t.Fatalf("with tracking parameters %d: status %d or another page", n, st)
		}
	}
	if misses := cacheMisses(t, s) - before; misses > 1 {
		t.Errorf("300 requests with tracking parameters missed the cache %d times", misses)
	}
	// A parameter the page reads still makes its own page.
	if _, body := s.get(t, path+"?sort=oldest&utm_source=a"); body == want {
		t.Error("?sort=oldest was served the newest-first page")
	}
	// Search reads q: two queries are two pages.
	_, a := s.get(t, "/api/v1/search?q=삼성&utm_medium=x")
	_, b := s.get(t, "/api/v1/search?q=zzzznothing&utm_medium=x")
	if a == b {
		t.Error("two searches with tracking parameters got one answer")
	}

	c := newClient(t, s)
	for _, odd := range []string{"0" + fmt.Sprint(id), "+" + fmt.Sprint(id), "00" + fmt.Sprint(id)} {
		for _, tc := range []struct{ from, to string }{
			{"/articles/" + odd, path},
			{"/articles/" + odd + "/slug?sort=oldest", path + "/slug?sort=oldest"},
			{"/articles/" + odd + "/comments", path + "/comments"},
			{"/api/v1/articles/" + odd, fmt.Sprintf("/api/v1/articles/%d", id)},
		} {
			res, err := c.http.Get(s.URL + strings.Replace(tc.from, "+", "%2B", 1))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != tc.to {
				t.Errorf("GET %s: %d to %q, want 301 to %s", tc.from, res.StatusCode, res.Header.Get("Location"), tc.to)
			}
		}
	}
}

// TestEmailSpellingsAreOneAccount signs up, logs in, counts login attempts,
// adds staff from the command line and sets roles with the address spelled
// in several ways: all are one account.
func TestEmailSpellingsAreOneAccount(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		var me struct{ Email string }
		reader := newClient(t, s)
		reader.mustJSON(t, "POST", "/api/v1/auth/signup", map[string]string{"email": " RD1@X.TEST ", "password": "correct horse battery", "display_name": "독자"}, http.StatusCreated, nil)
		reader.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &me)
		if me.Email != "rd1@x.test" {
			t.Errorf("signed up as %q, want rd1@x.test", me.Email)
		}
		if st, _ := newClient(t, s).do(t, "POST", "/api/v1/auth/signup", map[string]string{"email": "rd1@x.test", "password": "correct horse battery", "display_name": "둘째"}); st != http.StatusConflict {
			t.Errorf("signing up again as rd1@x.test: %d, want 409", st)
		}
		newClient(t, s).mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "Rd1@x.Test  ", "password": "correct horse battery"}, http.StatusOK, nil)

		// Ten wrong passwords under ten spellings use up the account's tries.
		spellings := []string{"RD1@X.TEST", " rd1@x.test ", "rd1@X.test", "\trd1@x.test", "Rd1@x.test", "rD1@x.test", "RD1@x.TEST ", " RD1@X.TEST", "rd1@x.TesT", "RD1@X.test"}
		for i, e := range spellings {
			c := newClient(t, s)
			if st, body := c.do(t, "POST", "/api/v1/auth/login", map[string]string{"email": e, "password": fmt.Sprintf("wrong password %d", i)}); st != http.StatusUnauthorized {
				t.Fatalf("wrong password %d as %q: %d %s", i, e, st, body)
			}
		}
		if st, body := newClient(t, s).do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "rd1@x.test ", "password": "correct horse battery"}); st != http.StatusTooManyRequests {
			t.Errorf("the eleventh try on the account under another spelling: %d %s, want 429", st, body)
		}

		// The command line and staff roles.
		pw := filepath.Join(t.TempDir(), "pw")
		if err := os.WriteFile(pw, []byte("a long passphrase\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		site := []string{"--data", s.Config.Data}
		if s.Config.DatabaseURL != "" {
			site = []string{"--database-url", s.Config.DatabaseURL}
		}
		mustJikji(t, append([]string{"user", "add", "--email", " Chief@Example.COM ", "--name", "편집국장", "--role", "admin", "--password-file", pw}, site...)...)
		chief := newClient(t, s)
		chief.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "chief@example.com", "password": "a long passphrase"}, http.StatusOK, nil)
		mustSetUpTwoFactor(t, chief, "chief@example.com")
		chief.mustJSON(t, "PUT", "/api/v1/newsroom/staff/role", map[string]string{"email": "  RD1@x.TEST", "role": "reporter"}, http.StatusOK, nil)
		var mine struct{ Role string }
		reader.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &mine)
		if mine.Role != "reporter" {
			t.Errorf("role after setting it by another spelling: %q", mine.Role)
		}
	})
}

// TestPersonalAnswersAreNeverStored checks the caching and security
// headers of personal pages, public pages and HTTPS.
func TestPersonalAnswersAreNeverStored(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.TrustedProxies = "127.0.0.1" })
	admin := mustStaff(t, s, "admin@example.com", "관리자", news.RoleAdmin)
	id := seedArticleID(t, s)
	headers := func(c *client, path string, extra http.Header) http.Header {
		t.Helper()
		_, h, _ := c.send(t, "GET", path, nil, extra)
		return h
	}
	for _, path := range []string{"/me", "/me/saved", "/me/feed", "/api/v1/me", "/login", "/signup", "/newsroom",
		"/newsroom/articles/new", fmt.Sprintf("/newsroom/articles/%d", id), "/newsroom/staff", "/newsroom/moderation",
		"/api/v1/newsroom/articles", "/api/v1/newsroom/staff", "/api/v1/me/bookmarks"} {
		for who, c := range map[string]*client{"admin": admin, "anonymous": newClient(t, s)} {
			if got := headers(c, path, nil).Get("Cache-Control"); got != "private, no-store" {
				t.Errorf("%s %s: Cache-Control %q, want private, no-store", who, path, got)
			}
		}
	}
	anon := newClient(t, s)
	for _, path := range []string{"/", fmt.Sprintf("/articles/%d", id), "/login", "/api/v1/articles", "/no-such-page"} {
		for range 2 { // rendered, then from the cache
			h := headers(anon, path, nil)
			if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
				t.Errorf("%s: Permissions-Policy %q", path, pp)
			}
			if hsts := h.Get("Strict-Transport-Security"); hsts != "" {
				t.Errorf("%s over plain HTTP: Strict-Transport-Security %q", path, hsts)
			}
			if hsts := headers(anon, path, http.Header{"X-Forwarded-Proto": {"https"}}).Get("Strict-Transport-Security"); !strings.HasPrefix(hsts, "max-age=") {
				t.Errorf("%s over HTTPS (a trusted proxy): Strict-Transport-Security %q", path, hsts)
			}
		}
	}
	if cc := headers(anon, "/", nil).Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("home page: Cache-Control %q, want public", cc)
	}
}

// TestMessagesChooseTheirParticles reads messages built around a name on
// both stores: each particle agrees with the name before it.
func TestMessagesChooseTheirParticles(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		for path, want := range map[string]string{
			"/articles/999999":        "기사를 찾을 수 없습니다",
			"/api/v1/articles/999999": "기사를 찾을 수 없습니다",
			"/sections/nope":          "섹션을 찾을 수 없습니다",
		} {
			if _, body := s.get(t, path); !strings.Contains(body, want) {
				t.Errorf("GET %s does not say %q: %.300s", path, want, visibleText(body))
			}
		}
		reader := mustSignUp(t, s, "reader@example.com", "독자")
		res := reader.form(t, "/sections/economy/subscription", nil)
		if _, page := reader.page(t, res.Header.Get("Location")); !strings.Contains(page, "경제 섹션을 구독합니다.") {
			t.Errorf("subscribe notice: %.400s", visibleText(page))
		}
	})
}

// TestNoScriptCommentKeepsItsText posts comment forms the server refuses or
// holds: the page they return to has the text in the box, once.
func TestNoScriptCommentKeepsItsText(t *testing.T) {
	s := MustRunMain(t, func(c *Config) { c.CommentsPerMinute = 2 })
	mod := mustStaff(t, s, "mod@example.com", "관리자", news.RoleModerator)
	reader := mustSignUp(t, s, "reader@example.com", "독자")
	id := seedArticleID(t, s)
	parent := mustComment(t, mod, id, "원래 댓글", http.StatusCreated)
	post := func(c *client, values url.Values) (string, string) {
		t.Helper()
		res := c.form(t, fmt.Sprintf("/articles/%d/comments", id), values)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form post: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		_, page := c.page(t, loc)
		return loc, page
	}
	box := regexp.MustCompile(`(?s)<textarea id="comment-body"[^>]*>(.*?)</textarea>`)
	boxText := func(page string) string {
		m := box.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no comment box on the page")
		}
		return html.UnescapeString(m[1])
	}

	// Too long, with markup in it.
	long := "<b>굵게</b> " + strings.Repeat("가", 250)
	loc, page := post(reader, url.Values{"body": {long}})
	if got := boxText(page); got != long {
		t.Errorf("too long: the box holds %q", got)
	}
	if !strings.HasSuffix(loc, "#comments") {
		t.Errorf("too long: back at %s", loc)
	}
	if strings.Contains(page, "<b>굵게</b>") {
		t.Error("the kept text is not escaped")
	}
	// Once: the next visit shows an empty box.
	if _, again := reader.page(t, loc); boxText(again) != "" {
		t.Error("the kept text shows again on the next visit")
	}

	// A reply keeps its parent.
	_, page = post(reader, url.Values{"body": {strings.Repeat("나", 251)}, "parent_id": {fmt.Sprint(parent.ID)}})
	if boxText(page) != strings.Repeat("나", 251) || !strings.Contains(page, fmt.Sprintf(`name="parent_id" value="%d"`, parent.ID)) {
		t.Error("a refused reply lost its text or its parent")
	}

	// Held for a moderator.
	mod.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/articles/%d/comment-mode", id), map[string]string{"mode": "premoderated"}, http.StatusOK, nil)
	if _, page = post(reader, url.Values{"body": {"검토를 기다릴 댓글"}}); boxText(page) != "검토를 기다릴 댓글" {
		t.Errorf("held: the box holds %q", boxText(page))
	}
	mod.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/articles/%d/comment-mode", id), map[string]string{"mode": "open"}, http.StatusOK, nil)

	// Over the per-minute limit (two a minute; the held one counted).
	post(reader, url.Values{"body": {"둘째 댓글"}})
	if _, page = post(reader, url.Values{"body": {"셋째 댓글"}}); boxText(page) != "셋째 댓글" || !strings.Contains(page, "초 후에 다시") {
		t.Errorf("rate limited: the box holds %q", boxText(page))
	}
}

// TestReactionsAPIShowsTheReadersOwnChoice asks for an article's reactions
// anonymously (so the answer is cached), then as readers who did and did
// not react.
func TestReactionsAPIShowsTheReadersOwnChoice(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *testSite) {
		id := seedArticleID(t, s)
		path := fmt.Sprintf("/api/v1/articles/%d/reactions", id)
		type state struct {
			Counts map[string]int64
			Mine   *string
		}
		var st state
		s.getJSON(t, path, http.StatusOK, &st)
		reacted := mustSignUp(t, s, "reacted@example.com", "공감한 독자")
		other := mustSignUp(t, s, "other@example.com", "다른 독자")
		reacted.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "warm"}, http.StatusOK, nil)
		for who, c := range map[string]*client{"anonymous": newClient(t, s), "a reader who did not react": other, "the reader who reacted": reacted} {
			st = state{}
			c.mustJSON(t, "GET", path, nil, http.StatusOK, &st)
			want := ""
			if c == reacted {
				want = "warm"
			}
			got := ""
			if st.Mine != nil {
				got = *st.Mine
			}
			if got != want || st.Counts["warm"] != 1 {
				t.Errorf("%s: mine %q, warm %d; want mine %q, warm 1", who, got, st.Counts["warm"], want)
			}
		}
	})
}
