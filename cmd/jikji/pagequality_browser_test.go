package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jikji/internal/news"
)

// pageCheckDir holds the npm packages of the page checkers (Lighthouse,
// axe-core, the Nu HTML checker); .ci/run installs them with npm ci.
const pageCheckDir = "../../tools/pagecheck"

// pageCheckers finds node, java and the installed checkers. Without them
// the tests skip loudly, and fail when JIKJI_REQUIRE_BROWSER=1 (as in CI).
func pageCheckers(tb testing.TB) (node, java string) {
	tb.Helper()
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node")
	}
	java, err = exec.LookPath("java")
	if err != nil {
		missing = append(missing, "java (apt-get install default-jre-headless)")
	}
	for _, f := range []string{"node_modules/lighthouse/package.json", "node_modules/axe-core/axe.min.js", "node_modules/vnu-jar/build/dist/vnu.jar"} {
		if _, err := os.Stat(filepath.Join(pageCheckDir, f)); err != nil {
			missing = append(missing, f+" (npm ci --prefix tools/pagecheck)")
		}
	}
	if len(missing) > 0 {
		msg := "PAGE QUALITY TESTS DID NOT RUN: missing " + strings.Join(missing, ", ")
		fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
		if os.Getenv("JIKJI_REQUIRE_BROWSER") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return node, java
}

// TestBrowserPageQuality holds the reader pages to Lighthouse's
// performance (phone emulation, best of three runs), accessibility,
// best-practices and SEO audits (100 each), and every page
// a reader or the desk sees to axe-core and the Nu HTML checker (nothing
// reported). /search is left out of Lighthouse: robots.txt keeps it from
// search engines on purpose.
func TestBrowserPageQuality(t *testing.T) {
	chromium := chromiumPath(t)
	node, java := pageCheckers(t)
	// Every outside login is configured, so that the login and sign-up
	// pages are checked with all their buttons.
	site := MustRunMain(t, func(c *Config) {
		c.KakaoClientID, c.NaverClientID, c.GoogleClientID = "kakao-id", "naver-id", "google-id"
		c.OIDCIssuer, c.OIDCClientID = "http://127.0.0.1:1", "oidc-id"
	})
	id := seedArticleID(t, site)
	reader := mustSignUp(t, site, "reader@example.com", "독자")
	reader.mustJSON(t, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", id), map[string]string{"body": "잘 읽었습니다."}, http.StatusCreated, nil)
	chief := mustStaff(t, site, "chief@jikji.example", "편집국장", news.RoleAdmin)
	// The story is covered live, so its page carries updates.
	chief.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/newsroom/articles/%d/live", id), map[string]bool{"live": true}, http.StatusOK, nil)
	chief.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/updates", id), map[string]any{
		"body": "올트먼 CEO가 기자회견장에 들어섰습니다.", "quote": "자체 칩 생산은 AGI 도달 위한 것", "quote_source": "샘 올트먼", "pinned": true}, http.StatusCreated, nil)
	chief.mustJSON(t, "POST", fmt.Sprintf("/api/v1/newsroom/articles/%d/updates", id), map[string]any{"body": "질의응답이 시작됐습니다."}, http.StatusCreated, nil)
	var art struct {
		Section struct{ Slug string } `json:"section"`
	}
	site.getJSON(t, fmt.Sprintf("/api/v1/articles/%d", id), http.StatusOK, &art)
	// A demo story that has 관련 기사 below it.
	var list struct{ Articles []struct{ ID int64 } }
	site.getJSON(t, "/api/v1/articles?limit=100", http.StatusOK, &list)
	var withRelated int64
	for _, a := range list.Articles {
		if _, body := site.get(t, articlePathFor(a.ID)); strings.Contains(body, `class="related"`) {
			withRelated = a.ID
			break
		}
	}
	if withRelated == 0 {
		t.Fatal("no demo article shows 관련 기사")
	}
	// The reads above give the newsroom's live page numbers to draw.
	if err := site.Service.Live.FlushReads(context.Background()); err != nil {
		t.Fatal(err)
	}

	public := []string{"/", articlePathFor(id), "/sections/" + art.Section.Slug, "/ranking", articlePathFor(id) + "/comments"}
	others := []string{articlePathFor(withRelated), "/login", "/signup", "/privacy", "/reporters/1", "/search?q=" + "AI", "/no-such-page", "/password-reset"}
	staff := []string{"/newsroom", "/newsroom/articles/new", "/newsroom/front", "/newsroom/staff", "/newsroom/moderation", "/newsroom/mail",
		"/me", "/me/saved", "/me/2fa", "/me/sessions", "/me/notifications",
		"/newsroom/live", fmt.Sprintf("/newsroom/live?article=%d", id), fmt.Sprintf("/newsroom/articles/%d/live", id)}

	t.Run("Lighthouse", func(t *testing.T) {
		type page struct {
			URL    string `json:"url"`
			Cookie string `json:"cookie,omitempty"`
		}
		var pages []page
		for _, p := range public {
			pages = append(pages, page{URL: site.URL + p})
		}
		// A reader's saved stories, behind the reader's login.
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
		savedURL := site.URL + "/me/saved"
		u, _ := url.Parse(savedURL)
		var cookies []string
		for _, c := range reader.http.Jar.Cookies(u) {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		pages = append(pages, page{URL: savedURL, Cookie: strings.Join(cookies, "; ")})
		arg, err := json.Marshal(pages)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(node, "lighthouse.mjs", string(arg))
		cmd.Dir = pageCheckDir
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("lighthouse: %v\n%s", err, stderr.String())
		}
		var results []struct {
			URL     string
			Scores  map[string]float64
			Failing []struct {
				Category, ID, Title string
				Items               []string
			}
			RuntimeError string
		}
		if err := json.Unmarshal(out, &results); err != nil {
			t.Fatalf("lighthouse output: %v\n%s", err, out)
		}
		if len(results) != len(pages) {
			t.Fatalf("lighthouse checked %d pages of %d", len(results), len(pages))
		}
		for _, r := range results {
			if r.RuntimeError != "" {
				t.Errorf("%s: %s", r.URL, r.RuntimeError)
			}
			private := r.URL == savedURL
			for _, cat := range []string{"performance", "accessibility", "best-practices", "seo"} {
				if score, ok := r.Scores[cat]; (!ok || score != 1) && !(private && cat == "seo") {
					t.Errorf("%s: %s score %v, want 1", r.URL, cat, score)
				}
			}
			for _, f := range r.Failing {
				// robots.txt keeps crawlers off a reader's own pages on
				// purpose; every other SEO audit holds there too.
				if private && f.ID == "is-crawlable" {
					continue
				}
				t.Errorf("%s: %s: %s (%s)\n\t%s", r.URL, f.Category, f.Title, f.ID, strings.Join(f.Items, "\n\t"))
			}
		}
	})

	t.Run("axe", func(t *testing.T) {
		axe, err := os.ReadFile(filepath.Join(pageCheckDir, "node_modules/axe-core/axe.min.js"))
		if err != nil {
			t.Fatal(err)
		}
		b := mustBrowser(t, true)
		check := func(path string) {
			// Evaluated through DevTools, so the page's CSP does not apply.
			b.run(t, "open "+path, chromedp.Navigate(site.URL+path), chromedp.WaitReady(css(`body`)))
			found := value(t, b, chromedp.Evaluate[string](string(axe)+`;
				axe.run(document).then(r => JSON.stringify(r.violations.map(v =>
					v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))))`, chromedp.EvalAwaitPromise))
			var violations []string
			if err := json.Unmarshal([]byte(found), &violations); err != nil {
				t.Fatalf("%s: axe answered %q", path, found)
			}
			for _, v := range violations {
				t.Errorf("%s: %s", path, v)
			}
		}
		for _, p := range append(public, others...) {
			check(p)
		}
		// 관련 기사 lines up with the story above it, on a wide screen too.
		b.run(t, "open the article", chromedp.Navigate(site.URL+articlePathFor(withRelated)), chromedp.WaitVisible(css(`.related`)))
		widths := value(t, b, chromedp.Evaluate[[]float64](`[".article", ".related"].map(s => document.querySelector(s).getBoundingClientRect().width)`))
		if widths[0] != widths[1] || widths[0] > 720 {
			t.Errorf("article column %vpx wide, 관련 기사 %vpx; want both the same, at most 720", widths[0], widths[1])
		}
		loginInBrowser(t, b, site, "chief@jikji.example", "/newsroom")
		for _, p := range staff {
			check(p)
		}
		// One search landmark on a page, and it says what it searches.
		for _, p := range []string{"/search?q=AI", "/newsroom"} {
			b.run(t, "open "+p, chromedp.Navigate(site.URL+p), chromedp.WaitReady(css(`body`)))
			labels := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[role=search]')].map(e => e.getAttribute('aria-label') || '')`))
			if len(labels) != 1 || labels[0] == "" {
				t.Errorf("%s: search landmarks labelled %q, want one with a label", p, labels)
			}
		}
	})

	t.Run("Basics", func(t *testing.T) {
		res, err := http.Get(site.URL + "/favicon.ico")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/x-icon" {
			t.Errorf("/favicon.ico: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		admin := newClient(t, site)
		admin.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "chief@jikji.example", "password": "correct horse battery", "otp": nextOTP(t, "chief@jikji.example")}, http.StatusOK, nil)
		for _, p := range append(public, staff...) {
			_, body := admin.page(t, p)
			if n := strings.Count(body, `<meta name="description" content="`); n != 1 {
				t.Errorf("%s has %d meta descriptions, want 1", p, n)
			}
			if n := strings.Count(body, "<h1"); n != 1 {
				t.Errorf("%s has %d h1 headings, want 1", p, n)
			}
		}
	})

	t.Run("NuHTMLChecker", func(t *testing.T) {
		dir := t.TempDir()
		admin := newClient(t, site)
		admin.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "chief@jikji.example", "password": "correct horse battery", "otp": nextOTP(t, "chief@jikji.example")}, http.StatusOK, nil)
		files := map[string]string{}
		save := func(path string, body string) {
			name := filepath.Join(dir, fmt.Sprintf("page%02d.html", len(files)))
			if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			files[name] = path
		}
		for _, p := range append(public, others...) {
			_, body := site.get(t, p)
			save(p, body)
		}
		for _, p := range staff {
			status, body := admin.page(t, p)
			if status != http.StatusOK {
				t.Fatalf("GET %s as admin: %d", p, status)
			}
			save(p, body)
		}
		args := []string{"-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", filepath.Join(pageCheckDir, "node_modules/vnu-jar/build/dist/vnu.jar"), "--format", "json", "--exit-zero-always"}
		for name := range files {
			args = append(args, name)
		}
		// The checker writes its report to stderr.
		out, err := exec.Command(java, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("vnu: %v\n%s", err, out)
		}
		var report struct {
			Messages []struct {
				Type, SubType, URL, Message, Extract string
				LastLine                             int
			}
		}
		if err := json.Unmarshal(out, &report); err != nil {
			t.Fatalf("vnu output: %v\n%s", err, out)
		}
		for _, m := range report.Messages {
			page := files[strings.TrimPrefix(m.URL, "file:")]
			t.Errorf("%s line %d: %s %s: %s\n\t%s", page, m.LastLine, m.Type, m.SubType, m.Message, m.Extract)
		}
	})
}
