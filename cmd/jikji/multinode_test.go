package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

// postgresServers lists the servers tests try, in order.
func postgresServers() []string {
	if u := os.Getenv("JIKJI_TEST_DATABASE_URL"); u != "" {
		return []string{u}
	}
	return []string{
		"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"host=/var/run/postgresql user=postgres dbname=postgres",
	}
}

var (
	pgOnce   sync.Once
	pgServer string // the server that answered, "" if none
	pgReason string
)

// mustPostgres creates a fresh PostgreSQL database for the test, dropped when
// it ends, and returns its URL. Without a server it skips loudly, or fails
// when JIKJI_REQUIRE_POSTGRES=1.
func mustPostgres(tb testing.TB) string {
	tb.Helper()
	pgOnce.Do(func() {
		var reasons []string
		for _, s := range postgresServers() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn, err := pgx.Connect(ctx, s)
			cancel()
			if err == nil {
				conn.Close(context.Background())
				pgServer = s
				return
			}
			reasons = append(reasons, err.Error())
		}
		pgReason = "POSTGRESQL TESTS DID NOT RUN: no server reachable (set JIKJI_TEST_DATABASE_URL): " + strings.Join(reasons, "; ")
		line := strings.Repeat("!", 78)
		fmt.Fprintf(os.Stderr, "\n%s\n!!! %s\n%s\n\n", line, pgReason, line)
	})
	if pgServer == "" {
		if os.Getenv("JIKJI_REQUIRE_POSTGRES") == "1" {
			tb.Fatal(pgReason)
		}
		tb.Skip(pgReason)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgServer)
	if err != nil {
		tb.Fatalf("connect to %s: %v", redact(pgServer), err)
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	name := "jikji_cmd_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
		conn.Close(ctx)
	})
	return withDatabase(pgServer, name)
}

// withDatabase returns the connection string with its database set.
func withDatabase(connStr, name string) string {
	if strings.HasPrefix(connStr, "postgres://") || strings.HasPrefix(connStr, "postgresql://") {
		u, err := url.Parse(connStr)
		if err != nil {
			panic(err)
		}
		u.Path = "/" + name
		return u.String()
	}
	return connStr + " dbname=" + name
}

// startNode boots a node on the PostgreSQL database.
func startNode(tb testing.TB, databaseURL string, configure ...func(*Config)) *testSite {
	tb.Helper()
	c := Config{Addr: "127.0.0.1:0", Data: tb.TempDir(), DatabaseURL: databaseURL, Demo: true,
		BreakingWindow: 6 * time.Hour, PasswordCost: 4, RateLimit: true, DBMaxConns: 16, DBStatementTimeout: 30 * time.Second}
	for _, f := range configure {
		f(&c)
	}
	return startMain(tb, c)
}

// on returns a client of another node sharing c's cookies: a reader whose
// load balancer sends the next request elsewhere.
func (c *client) on(s *testSite) *client {
	return &client{site: s, http: c.http}
}

// anonymous fetches a path without cookies and returns status and body.
func anonymous(tb testing.TB, s *testSite, path string) (int, string) {
	tb.Helper()
	return s.get(tb, path)
}

func TestTwoNodesShareOneSite(t *testing.T) {
	dbURL := mustPostgres(t)
	a := startNode(t, dbURL)
	b := startNode(t, dbURL)
	id := seedArticleID(t, a)
	if bid := seedArticleID(t, b); bid != id {
		t.Fatalf("the nodes show different seed articles: %d and %d", id, bid)
	}
	var list struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	a.getJSON(t, "/api/v1/articles?limit=100", http.StatusOK, &list)
	demoCount := len(list.Articles)

	// Readers' anonymous pages are cached on node b before the writes.
	commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	reactionsAPI := fmt.Sprintf("/api/v1/articles/%d/reactions", id)
	articlePage := fmt.Sprintf("/articles/%d", id)
	commentsPage := fmt.Sprintf("/articles/%d/comments", id)
	for _, p := range []string{commentsAPI, reactionsAPI, articlePage, commentsPage, "/", "/api/v1/articles"} {
		for range 2 {
			if status, _ := anonymous(t, b, p); status != http.StatusOK {
				t.Fatalf("GET %s on b: %d", p, status)
			}
		}
	}

	t.Run("SessionFromOneNodeWorksOnTheOther", func(t *testing.T) {
		ca := mustSignUp(t, a, "roamer@example.com", "떠돌이")
		var meA, meB struct{ ID int64 }
		ca.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &meA)
		ca.on(b).mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &meB)
		if meA.ID == 0 || meA.ID != meB.ID {
			t.Errorf("me on a %d, on b %d", meA.ID, meB.ID)
		}
		// Logging out on b ends the session on a too.
		if status, body := ca.on(b).do(t, "POST", "/api/v1/auth/logout", nil); status >= 300 {
			t.Fatalf("logout on b: %d %s", status, body)
		}
		within(t, time.Second, func() error {
			if status, _ := ca.do(t, "GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
				return fmt.Errorf("me on a after logout on b: %d", status)
			}
			return nil
		})
	})

	reader := mustSignUp(t, a, "reader@example.com", "독자")
	t.Run("CommentSeenThroughOtherNode", func(t *testing.T) {
		body := "다른 노드에서 단 댓글입니다"
		reader.mustJSON(t, "POST", commentsAPI, map[string]string{"body": body}, http.StatusCreated, nil)
		within(t, time.Second, func() error {
			var got struct {
				Count    int64 `json:"count"`
				Comments []struct {
					Body string `json:"body"`
				} `json:"comments"`
			}
			b.getJSON(t, commentsAPI, http.StatusOK, &got)
			if got.Count != 1 || len(got.Comments) != 1 || got.Comments[0].Body != body {
				return fmt.Errorf("comments API on b: %+v", got)
			}
			if _, page := anonymous(t, b, commentsPage); !strings.Contains(page, body) {
				return fmt.Errorf("comments page on b lacks the comment")
			}
			if _, page := anonymous(t, b, articlePage); !strings.Contains(visibleText(page), "댓글 1") {
				return fmt.Errorf("article page on b does not count the comment")
			}
			return nil
		})
	})
	t.Run("ReactionCountSeenThroughOtherNode", func(t *testing.T) {
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "warm"}, http.StatusOK, nil)
		within(t, time.Second, func() error {
			var got struct {
				Counts map[string]int64 `json:"counts"`
			}
			b.getJSON(t, reactionsAPI, http.StatusOK, &got)
			if got.Counts["warm"] != 1 {
				return fmt.Errorf("reaction counts on b: %v", got.Counts)
			}
			return nil
		})
	})
	t.Run("BookmarkSeenThroughOtherNode", func(t *testing.T) {
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
		within(t, time.Second, func() error {
			var got struct {
				Articles []struct {
					ID int64 `json:"id"`
				} `json:"bookmarks"`
			}
			reader.on(b).mustJSON(t, "GET", "/api/v1/me/bookmarks", nil, http.StatusOK, &got)
			if len(got.Articles) != 1 || got.Articles[0].ID != id {
				return fmt.Errorf("bookmarks on b: %+v", got)
			}
			return nil
		})
	})
	t.Run("OwnStateOnPageSeenThroughOtherNode", func(t *testing.T) {
		// Each node keeps readers' own state; a write on one node reaches
		// the other's copy through the change log.
		pressed := func(page, button string) bool {
			return strings.Contains(page, button+`" aria-pressed="true"`)
		}
		_, page := reader.on(b).page(t, articlePage)
		if pressed(page, "reaction-sad") {
			t.Fatal("reader's page on b shows a reaction before any")
		}
		reader.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
		_, page = reader.on(b).page(t, articlePage)
		saved := pressed(page, "bookmark-button")
		reader.mustJSON(t, "DELETE", fmt.Sprintf("/api/v1/articles/%d/reaction", id), nil, http.StatusOK, nil)
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": "sad"}, http.StatusOK, nil)
		reader.mustJSON(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
		within(t, time.Second, func() error {
			status, page := reader.on(b).page(t, articlePage)
			if status != http.StatusOK {
				return fmt.Errorf("reader's page on b: status %d", status)
			}
			if !pressed(page, "reaction-sad") || !pressed(page, "bookmark-button") {
				return fmt.Errorf("reader's page on b: reaction shown %v, saved shown %v (saved before: %v)", pressed(page, "reaction-sad"), pressed(page, "bookmark-button"), saved)
			}
			return nil
		})
	})
	t.Run("PublishedArticleSeenThroughOtherNode", func(t *testing.T) {
		ctx := context.Background()
		seed, err := a.Store.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		headline := "두 노드 시험: 새로 출고한 기사"
		art := news.Article{Section: seed.Section, Headline: headline, Body: "새 기사 본문입니다.",
			Bylines: seed.Bylines[:1], State: news.StatePublished, PublishedAt: time.Now().Add(-time.Second), CommentsOpen: true}
		if err := a.Service.CreateArticle(ctx, &art); err != nil {
			t.Fatal(err)
		}
		within(t, time.Second, func() error {
			if _, page := anonymous(t, b, "/"); !strings.Contains(page, headline) {
				return fmt.Errorf("home page on b lacks the new article")
			}
			var got struct {
				Articles []struct {
					ID int64 `json:"id"`
				} `json:"articles"`
			}
			b.getJSON(t, "/api/v1/articles?limit=100", http.StatusOK, &got)
			if len(got.Articles) != demoCount+1 || got.Articles[0].ID != art.ID {
				return fmt.Errorf("article list on b: %d articles, first %+v", len(got.Articles), got.Articles[:1])
			}
			if status, _ := anonymous(t, b, fmt.Sprintf("/articles/%d", art.ID)); status != http.StatusOK {
				return fmt.Errorf("new article on b: %d", status)
			}
			return nil
		})
	})
}

// TestConcurrentReactionsOnTwoNodes sends 500 readers' reactions at once,
// half through each node, and finds exact counts on both.
func TestConcurrentReactionsOnTwoNodes(t *testing.T) {
	dbURL := mustPostgres(t)
	noLimit := func(c *Config) { c.RateLimit = false }
	nodes := []*testSite{startNode(t, dbURL, noLimit), startNode(t, dbURL, noLimit)}
	id := seedArticleID(t, nodes[0])
	const readers = 500
	kinds := []string{"like", "warm", "sad", "angry", "want_more"}
	clients := make([]*client, readers)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range readers {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			clients[i] = mustSignUp(t, nodes[i%2], fmt.Sprintf("r%03d@example.com", i), fmt.Sprintf("독자%03d", i))
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	start := make(chan struct{})
	errs := make(chan error, readers)
	for i, c := range clients {
		wg.Go(func() {
			<-start
			// Each reader goes through the node the other half signed up on.
			status, body := c.on(nodes[(i+1)%2]).do(t, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id),
				map[string]string{"reaction": kinds[i%len(kinds)]})
			if status != http.StatusOK {
				errs <- fmt.Errorf("reader %d: %d %s", i, status, body)
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := map[string]int64{}
	for i := range readers {
		want[kinds[i%len(kinds)]]++
	}
	got, err := nodes[0].Store.ReactionCounts(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored counts %v, want %v", got, want)
	}
	for i, n := range nodes {
		within(t, time.Second, func() error {
			var res struct {
				Counts map[string]int64 `json:"counts"`
			}
			n.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/reactions", id), http.StatusOK, &res)
			if fmt.Sprint(res.Counts) != fmt.Sprint(want) {
				return fmt.Errorf("node %d shows %v, want %v", i, res.Counts, want)
			}
			return nil
		})
	}
}

// TestCommandLineWriteReachesRunningNode writes as a command-line tool does
// (its own store and service in another process, here in the test process)
// and finds the running node's cached pages fresh within a second.
func TestCommandLineWriteReachesRunningNode(t *testing.T) {
	for _, db := range []string{"SQLite", "PostgreSQL"} {
		t.Run(db, func(t *testing.T) {
			var node *testSite
			if db == "SQLite" {
				node = MustRunMain(t)
			} else {
				node = startNode(t, mustPostgres(t))
			}
			id := seedArticleID(t, node)
			commentsAPI := fmt.Sprintf("/api/v1/articles/%d/comments", id)
			for range 2 {
				var got struct {
					Count int64 `json:"count"`
				}
				node.getJSON(t, commentsAPI, http.StatusOK, &got)
				if got.Count != 0 {
					t.Fatalf("count %d before the tool ran", got.Count)
				}
			}

			ctx := context.Background()
			st, closeStore, err := openStore(ctx, node.Config)
			if err != nil {
				t.Fatal(err)
			}
			svc := news.NewService(st)
			acc := news.Account{Email: "tool@example.com", DisplayName: "도구", Role: news.RoleReader, CreatedAt: time.Now()}
			if err := st.CreateAccount(ctx, &acc); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.PostComment(ctx, acc, id, 0, "명령줄 도구가 단 댓글"); err != nil {
				t.Fatal(err)
			}
			// A tool flushes its change feed before it exits.
			if err := svc.Changes.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			closeStore()

			within(t, time.Second, func() error {
				var got struct {
					Count int64 `json:"count"`
				}
				node.getJSON(t, commentsAPI, http.StatusOK, &got)
				if got.Count != 1 {
					return fmt.Errorf("count %d on the running node", got.Count)
				}
				return nil
			})
		})
	}
}

// proxy forwards TCP connections to a server until closed, so a test can
// take the database away from a node and give it back.
type proxy struct {
	addr, target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newProxy(tb testing.TB, target string) *proxy {
	tb.Helper()
	p := &proxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	tb.Cleanup(p.stop)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[s] = true, true
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

// stop refuses new connections and cuts the open ones, as a database that
// goes down does.
func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// start listens again on the same address.
func (p *proxy) start(tb testing.TB) {
	tb.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatal(err)
	}
	p.serve(ln)
}

func TestHealthzFollowsDatabase(t *testing.T) {
	dbURL := mustPostgres(t)
	u, err := url.Parse(dbURL)
	if err != nil || u.Host == "" {
		t.Skip("the test's PostgreSQL is not reached over TCP: ", dbURL)
	}
	p := newProxy(t, u.Host)
	u.Host = p.addr
	node := startNode(t, u.String())
	health := func() int {
		res, err := http.Get(node.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := health(); s != http.StatusOK {
		t.Fatalf("healthz %d while the database is up", s)
	}
	p.stop()
	within(t, 5*time.Second, func() error {
		if s := health(); s != http.StatusServiceUnavailable {
			return fmt.Errorf("healthz %d while the database is down", s)
		}
		return nil
	})
	// Pages that need the database fail cleanly meanwhile.
	if status, body := node.get(t, "/api/v1/me/feed"); status < 400 || strings.Contains(body, "dial") {
		t.Errorf("feed while down: %d %s", status, body)
	}
	p.start(t)
	within(t, 5*time.Second, func() error {
		if s := health(); s != http.StatusOK {
			return fmt.Errorf("healthz %d after the database came back", s)
		}
		return nil
	})
}

func TestStartFailsClearlyWithoutDatabase(t *testing.T) {
	for _, dsn := range []string{
		"postgres://jikji:s3cr3t-pw@127.0.0.1:1/jikji?sslmode=disable",
		"host=127.0.0.1 port=1 user=jikji password=s3cr3t-pw dbname=jikji",
	} {
		m := &Main{Config: Config{Addr: "127.0.0.1:0", Data: t.TempDir(), DatabaseURL: dsn, PasswordCost: 4}, Logger: newLogger(io.Discard, "error")}
		err := m.Open(context.Background())
		m.Close()
		if err == nil {
			t.Fatalf("Open succeeded without a database: %s", dsn)
		}
		if msg := err.Error(); strings.Contains(msg, "s3cr3t") || !strings.Contains(msg, "연결할 수 없습니다") || !strings.Contains(msg, "127.0.0.1:1") {
			t.Errorf("error %q: want a clear message naming the server, without the password", msg)
		}
	}
	// The command line says so too, through run.
	var stderr strings.Builder
	err := run(context.Background(), []string{"migrate", "--database-url", "postgres://jikji:s3cr3t-pw@127.0.0.1:1/jikji"}, io.Discard, &stderr)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("migrate without a database: %v", err)
	}
}

func TestPostgresURLForms(t *testing.T) {
	for u, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://u@h/db": true, "host=/var/run/postgresql dbname=jikji": true,
		"user=postgres": true, "": false, "mysql://u@h/db": false, "./jikji.db": false,
	} {
		if got := isPostgresURL(u); got != want {
			t.Errorf("isPostgresURL(%q) = %v", u, got)
		}
	}
	for in, want := range map[string]string{
		"postgres://u:pw@h/db":            "postgres://u:…@h/db",
		"postgres://u@h/db?password=pw":   "postgres://u@h/db?password=…",
		"host=h password='p w' user=u":    "host=h password=… user=u",
		"host=h password=secret dbname=d": "host=h password=… dbname=d",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMigrateSubcommand(t *testing.T) {
	dbURL := mustPostgres(t)
	var out strings.Builder
	for range 2 {
		if err := run(context.Background(), []string{"migrate", "--database-url", dbURL}, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("JIKJI_DATA", t.TempDir())
	if err := run(context.Background(), []string{"migrate"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "최신") {
		t.Errorf("migrate said %q", out.String())
	}
	// A node then starts on the migrated database.
	startNode(t, dbURL)
}

// TestForwardedForOnlyFromTrustedProxies signs up past the per-address
// limit: readers behind a trusted load balancer are told apart by
// X-Forwarded-For, while a client that is not a trusted proxy cannot dodge
// the limit by sending the header.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	signUps := func(s *testSite, n int) (last int) {
		for i := range n {
			body := fmt.Sprintf(`{"email":"p%d@example.com","password":"correct horse battery","display_name":"독자%d"}`, i, i)
			req, _ := http.NewRequest("POST", s.URL+"/api/v1/auth/signup", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			last = res.StatusCode
		}
		return last
	}
	behind := MustRunMain(t, func(c *Config) { c.TrustedProxies = "127.0.0.1" })
	if status := signUps(behind, 15); status != http.StatusCreated {
		t.Errorf("15 readers behind a trusted proxy: last sign-up %d, want 201", status)
	}
	direct := MustRunMain(t, func(c *Config) { c.TrustedProxies = "10.0.0.0/8" })
	if status := signUps(direct, 15); status != http.StatusTooManyRequests {
		t.Errorf("15 sign-ups from one untrusted peer with forged headers: last %d, want 429", status)
	}
}
