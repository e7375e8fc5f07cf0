package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"
)

// routePatterns reads every route from the one function that registers
// them, so a route added later is covered without touching this test.
func routePatterns(tb testing.TB) []string {
	tb.Helper()
	src, err := os.ReadFile("../../internal/web/server.go")
	if err != nil {
		tb.Fatal(err)
	}
	// The mail routes are registered by routeMail, called from Handler.
	mailSrc, err := os.ReadFile("../../internal/web/mail.go")
	if err != nil {
		tb.Fatal(err)
	}
	src = append(src, mailSrc...)
	var out []string
	for _, m := range regexp.MustCompile(`mux\.Handle(?:Func)?\("([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	// Routes built in a loop over prefixes.
	prefixes := regexp.MustCompile(`range \[\]string\{([^}]*)\}`).FindStringSubmatch(string(src))
	for _, m := range regexp.MustCompile(`mux\.Handle\("(\w+) "\+prefix\+"([^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		for _, p := range strings.Split(prefixes[1], ",") {
			out = append(out, m[1]+" "+strings.Trim(strings.TrimSpace(p), `"`)+m[2])
		}
	}
	if len(out) < 80 {
		tb.Fatalf("found only %d routes in server.go", len(out))
	}
	return out
}

var wildcardRE = regexp.MustCompile(`\{[^}]+\}`)

// hostileRequest is one malformed request.
type hostileRequest struct {
	method, path string
	body         []byte
	header       http.Header
}

// TestHostileRequestsNeverFailTheServer sends every route a battery of
// malformed requests, as an admin (who gets past the role checks), on
// SQLite and on PostgreSQL; under the race detector it sends the smaller
// battery, and the load-sized pass (TestLoadHostileRequests) the whole
// one, anonymously too.
func TestHostileRequestsNeverFailTheServer(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { hostileBattery(t, false, "") })
	t.Run("PostgreSQL", func(t *testing.T) { hostileBattery(t, false, mustPostgres(t)) })
}

func hostileBattery(t *testing.T, full bool, databaseURL string) {
	noLimits := func(c *Config) { c.RateLimit = false }
	var s *testSite
	if databaseURL == "" {
		s = MustRunMain(t, noLimits)
	} else {
		s = startNode(t, databaseURL, noLimits)
	}
	admin := mustStaff(t, s, "admin@example.com", "관리자", news.RoleAdmin)
	reader := mustSignUp(t, s, "reader@example.com", "독자")
	seed := seedArticleID(t, s)
	mustComment(t, reader, seed, "첫 댓글", http.StatusCreated)

	ids := []string{fmt.Sprint(seed), "0", "-1", "abc", "99999999999999999999", "%FF%FE", "%00", "1%2F..%2F..", "%E2%80%AE1",
		"2147483648", "9223372036854775807", "a%00"}
	queries := []string{"", "?limit=-1&cursor=%FF", "?limit=abc&cursor=%%%", "?section=a%00&q=a%00b&state=%00", "?cursor=" + strings.Repeat("A", 5000),
		"?sort=%FF&offset=-5&before=x&state=%00&q=%FF%FE", "?q=" + strings.Repeat("%EA%B0%80", 2000), "?limit=99999999999999999999&page=1e9",
		"?page=2147483648&limit=2147483648&from=9999-99-99&to=0000-01-01&sort=newest"}
	bigJSON := append([]byte(`{"body":"`), bytes.Repeat([]byte("가"), 1<<20)...)
	bigJSON = append(bigJSON, `"}`...)
	json := http.Header{"Content-Type": {"application/json"}}
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	bodies := []struct {
		body   []byte
		header http.Header
	}{
		{nil, nil},
		{[]byte(`{`), json},
		{[]byte("{\"body\":\"\xff\xfe\",\"email\":\"\xc3\",\"headline\":\"\xed\xa0\x80\"}"), json},
		{[]byte(`{"body": 5, "id": "x", "parent_id": 1e99, "at": "yesterday", "articles": "x", "words": [1,2]}`), json},
		{[]byte(`[]`), json},
		{[]byte(`{"body":"a\u0000b","email":"a\u0000@x.test","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000","display_name":"\u0000",` +
			`"headline":"\u0000","section":"\u0000","reason":"\u0000","name":"\u0000","words":["\u0000"],"note":"\u0000","role":"\u0000",` +
			`"reaction":"\u0000","parent_id":2147483648,"articles":[2147483648,9223372036854775807],"days":2147483648}`), json},
		{[]byte("body=a%00b&email=%00&headline=%00&name=%00&q=%00&words=%00&reason=%00&note=%00&display_name=%00&password=%00%00%00%00%00%00%00%00"), form},
		{bigJSON, json},
		{[]byte("body=\xff\xfe&email=%FF&headline=%C3&next=%0d%0aLocation:%20http://evil"), form},
		{append([]byte("body="), bytes.Repeat([]byte("A"), 5<<20)...), form},
		{[]byte("%%%=&&&=="), form},
		{[]byte("{}"), http.Header{"Content-Type": {"text/plain"}}},
		{[]byte("<x/>"), http.Header{"Content-Type": {"application/xml; charset=\xff"}}},
		{[]byte("--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0"),
			http.Header{"Content-Type": {"multipart/form-data; boundary=XX"}}},
		{[]byte("--XX\r\n"), http.Header{"Content-Type": {"multipart/form-data"}}},
	}
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW"}
	if !full {
		ids = []string{ids[0], ids[3], ids[5], ids[7], ids[9], ids[11]}
		queries = []string{queries[0], queries[1], queries[2], queries[3], queries[8]}
		bodies = []struct {
			body   []byte
			header http.Header
		}{bodies[0], bodies[2], bodies[3], bodies[5], bodies[6], bodies[7], bodies[8], bodies[9], bodies[11], bodies[13]}
		methods = []string{"POST", "DELETE", "BREW"}
	}

	var reqs []hostileRequest
	for _, route := range routePatterns(t) {
		method, pattern, ok := strings.Cut(route, " ")
		if !ok {
			method, pattern = "GET", route
		}
		for i, id := range ids {
			path := wildcardRE.ReplaceAllStringFunc(pattern, func(w string) string {
				if w == "{slug}" && i == 0 {
					return "economy"
				}
				return id
			})
			path = strings.ReplaceAll(path, "{$}", "")
			if i == 0 {
				for _, q := range queries {
					reqs = append(reqs, hostileRequest{method, path + q, nil, nil})
				}
				for _, b := range bodies {
					if len(b.body) > 64<<10 && method == "GET" {
						continue // a huge body on a read is the server's to ignore
					}
					reqs = append(reqs, hostileRequest{method, path, b.body, b.header})
				}
				for _, m := range methods {
					reqs = append(reqs, hostileRequest{m, path, []byte(`{}`), json})
				}
			} else {
				reqs = append(reqs, hostileRequest{method, path, []byte(`{}`), json}, hostileRequest{method, path + queries[1], nil, nil})
			}
		}
	}
	// Headers: huge, invalid, lying about the length.
	for _, h := range []http.Header{
		{"X-Big": {strings.Repeat("x", 200<<10)}},
		{"Cookie": {"jikji_session=" + strings.Repeat("%FF", 1000)}},
		{"Authorization": {"Bearer \xff\xfe"}},
		{"Authorization": {"Basic Zm9vOmJhcg=="}},
		{"If-None-Match": {strings.Repeat(`"x",`, 5000)}},
		{"Accept-Encoding": {strings.Repeat("gzip;q=0.5,", 3000)}},
		{"Range": {"bytes=99999999999999999999-"}},
		{"X-Forwarded-For": {"\xff, 999.1.1.1, ::::"}},
		{"Sec-Fetch-Site": {"cross-site"}},
		{"Origin": {"http://evil.example"}},
	} {
		reqs = append(reqs, hostileRequest{"GET", fmt.Sprintf("/articles/%d", seed), nil, h},
			hostileRequest{"POST", fmt.Sprintf("/api/v1/articles/%d/comments", seed), []byte(`{"body":"x"}`), h},
			hostileRequest{"GET", "/api/v1/newsroom/articles", nil, h})
	}
	t.Logf("%d hostile requests per client", len(reqs))

	skipForStaff := regexp.MustCompile(`logout|/me$|/staff/role|/tokens`)
	var mu sync.Mutex
	var failures []string
	run := func(name string, c *client, list []hostileRequest) {
		work := make(chan hostileRequest)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for r := range work {
					st, err := sendRaw(c, r)
					if err != nil || st >= 500 {
						mu.Lock()
						failures = append(failures, fmt.Sprintf("%s: %s %.120q → %d %v", name, r.method, r.path, st, err))
						mu.Unlock()
					}
				}
			})
		}
		for _, r := range list {
			if c != nil && c == admin && skipForStaff.MatchString(r.path) {
				continue
			}
			work <- r
		}
		close(work)
		wg.Wait()
	}
	if full {
		run("anonymous", newClient(t, s), reqs)
	}
	run("admin", admin, reqs)

	// A request line and headers that net/http's client would refuse to
	// send: raw bytes on a connection.
	for _, raw := range []string{
		"GET /articles/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /search?q=\xff HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":",
		"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nX: \x00\x01\r\n\r\n",
	} {
		st, err := rawRequest(s.Addr, raw)
		if err != nil || st >= 500 {
			failures = append(failures, fmt.Sprintf("raw %.60q → %d %v", raw, st, err))
		}
	}
	if len(failures) > 0 {
		if len(failures) > 40 {
			failures = append(failures[:40], fmt.Sprintf("… and %d more", len(failures)-40))
		}
		t.Fatalf("server errors:\n%s", strings.Join(failures, "\n"))
	}
	// And the site still works (the admin's pass unpublished the seed).
	if st, _ := s.get(t, "/"); st != http.StatusOK {
		t.Errorf("home page after the battery: %d", st)
	}
}

// sendRaw sends a hostile request; a connection the server closes on a
// too-large body is not an error.
func sendRaw(c *client, r hostileRequest) (int, error) {
	req, err := http.NewRequest(r.method, c.site.URL+r.path, bytes.NewReader(r.body))
	if err != nil {
		return 0, nil // the client refuses to build it: nothing reached the server
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		if strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe") {
			return 0, nil
		}
		return 0, err
	}
	// A live event stream stays open as long as the reader does: its
	// answer is the status and headers, not a body to wait for.
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		io.Copy(io.Discard, res.Body)
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// rawRequest writes bytes to the server and reads the status code.
func rawRequest(addr, raw string) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := conn.Write([]byte(raw)); err != nil {
		return 0, err
	}
	if c, ok := conn.(*net.TCPConn); ok {
		c.CloseWrite()
	}
	buf := make([]byte, 64)
	n, _ := io.ReadAtLeast(conn, buf, 12)
	var code int
	if _, err := fmt.Sscanf(string(buf[:n]), "HTTP/1.1 %d", &code); err != nil {
		return 0, nil // closed without an answer: not a server error
	}
	return code, nil
}

func TestRequestBodiesAreSizeLimited(t *testing.T) {
	s := MustRunMain(t)
	c := mustSignUp(t, s, "big@example.com", "큰손")
	id := seedArticleID(t, s)
	for _, tc := range []struct{ path, ct string }{
		{fmt.Sprintf("/articles/%d/comments", id), "application/x-www-form-urlencoded"},
		{"/login", "application/x-www-form-urlencoded"},
		{fmt.Sprintf("/api/v1/articles/%d/comments", id), "application/json"},
		{"/newsroom/articles", "application/x-www-form-urlencoded"},
	} {
		body := append([]byte("body="), bytes.Repeat([]byte("가"), 6<<20)...)
		st, _ := sendRaw(c, hostileRequest{"POST", tc.path, body, http.Header{"Content-Type": {tc.ct}}})
		if st != http.StatusRequestEntityTooLarge && st != 0 {
			t.Errorf("POST %s with a 18 MB body: %d, want 413", tc.path, st)
		}
	}
	// A body just under the reader limit is read (and refused as too long
	// a comment, not as too large a request).
	st, _ := sendRaw(c, hostileRequest{"POST", fmt.Sprintf("/api/v1/articles/%d/comments", id),
		[]byte(`{"body":"` + strings.Repeat("가", 20000) + `"}`), http.Header{"Content-Type": {"application/json"}}})
	if st != http.StatusBadRequest {
		t.Errorf("60 KB comment: %d, want 400", st)
	}
}

// inlineRE finds what a Content-Security-Policy without 'unsafe-inline'
// would block: inline scripts (JSON-LD is data and allowed), style
// elements and attributes, event handler attributes, javascript: URLs.
var inlineRE = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<style|\sstyle=|\son[a-z]+=|javascript:`)

func TestNoInlineScriptOrStyleAnywhere(t *testing.T) {
	s := MustRunMain(t)
	admin := mustStaff(t, s, "admin@example.com", "관리자", news.RoleAdmin)
	id := seedArticleID(t, s)
	mustComment(t, admin, id, "댓글", http.StatusCreated)
	paths := []string{"/", fmt.Sprintf("/articles/%d", id), fmt.Sprintf("/articles/%d/comments", id), "/search?q=삼성", "/ranking",
		"/sections/economy", "/login", "/signup", "/privacy", "/me", "/me/saved", "/no-such-page",
		"/newsroom", "/newsroom/articles/new", fmt.Sprintf("/newsroom/articles/%d", id), "/newsroom/front", "/newsroom/staff",
		"/newsroom/moderation", "/newsroom/moderation/tools", "/newsroom/moderation/audit", fmt.Sprintf("/articles/%d/revisions", id)}
	for _, p := range paths {
		res, err := admin.http.Get(s.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: CSP %q", p, csp)
		}
		for _, m := range inlineRE.FindAllStringIndex(string(body), -1) {
			frag := string(body[m[0]:min(len(body), m[1]+40)])
			if strings.HasPrefix(strings.ToLower(frag), `<script type="application/ld+json">`) {
				continue
			}
			t.Errorf("%s: inline script or style: %q", p, frag)
		}
	}
}
