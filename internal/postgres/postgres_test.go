package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jikji/internal/gen"
	"jikji/internal/news"
	"jikji/internal/postgres"
	"jikji/internal/storetest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The suite runs on a database made for this run and dropped after it; each
// store gets a schema of its own in it.
var (
	testDB     string        // connection string of the run's database
	admin      *pgxpool.Pool // on testDB, to create and drop schemas
	skipReason string        // set when no server could be reached
	schemaSeq  atomic.Int64
)

// candidates lists the servers to try, in order.
func candidates() []string {
	if u := os.Getenv("JIKJI_TEST_DATABASE_URL"); u != "" {
		return []string{u}
	}
	return []string{
		"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"host=/var/run/postgresql user=postgres dbname=postgres",
	}
}

// withParams returns connStr with its database set to dbname (if not empty)
// and the runtime parameters added, for URL and keyword/value strings alike.
func withParams(connStr, dbname string, params map[string]string) string {
	if strings.HasPrefix(connStr, "postgres://") || strings.HasPrefix(connStr, "postgresql://") {
		u, err := url.Parse(connStr)
		if err != nil {
			panic(err)
		}
		if dbname != "" {
			u.Path = "/" + dbname
		}
		q := u.Query()
		for k, v := range params {
			q.Set(k, v)
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	// In keyword/value strings a later setting wins.
	if dbname != "" {
		connStr += " dbname=" + dbname
	}
	for k, v := range params {
		connStr += " " + k + "=" + v
	}
	return connStr
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	var (
		conn    *pgx.Conn
		server  string
		reasons []string
	)
	for _, c := range candidates() {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		var err error
		conn, err = pgx.Connect(cctx, c)
		cancel()
		if err == nil {
			server = c
			break
		}
		reasons = append(reasons, err.Error())
	}
	if conn == nil {
		skipReason = "POSTGRESQL TESTS DID NOT RUN: no server reachable (set JIKJI_TEST_DATABASE_URL): " + strings.Join(reasons, "; ")
		return skipAll(m)
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	name := "jikji_test_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		skipReason = "POSTGRESQL TESTS DID NOT RUN: create database: " + err.Error()
		return skipAll(m)
	}
	defer func() {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "drop test database %s: %v\n", name, err)
		}
		conn.Close(ctx)
	}()
	testDB = withParams(server, name, nil)
	var err error
	if admin, err = pgxpool.New(ctx, testDB); err != nil {
		fmt.Fprintf(os.Stderr, "connect to test database: %v\n", err)
		return 1
	}
	defer admin.Close()
	return m.Run()
}

// skipAll runs the tests that need no server, skipping the others, and says
// so loudly before and after; with JIKJI_REQUIRE_POSTGRES=1 it fails instead.
func skipAll(m *testing.M) int {
	banner(skipReason)
	if os.Getenv("JIKJI_REQUIRE_POSTGRES") == "1" {
		fmt.Fprintln(os.Stderr, "JIKJI_REQUIRE_POSTGRES=1: failing")
		return 1
	}
	code := m.Run()
	banner(skipReason)
	return code
}

func banner(msg string) {
	line := strings.Repeat("!", 78)
	fmt.Fprintf(os.Stderr, "\n%s\n!!! %s\n%s\n\n", line, msg, line)
}

// schema creates an empty schema for one store, dropped when tb ends, and
// returns its name and the connection string whose search_path is that schema.
func schema(tb testing.TB) (dsn, name string) {
	tb.Helper()
	if skipReason != "" {
		tb.Skip(skipReason)
	}
	name = fmt.Sprintf("s_%d", schemaSeq.Add(1))
	ctx := context.Background()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return withParams(testDB, "", map[string]string{"search_path": name}), name
}

// open returns an empty store on a schema of its own, closed when t ends
// (before its schema is dropped: cleanups run last registered first).
func open(t *testing.T) news.Store {
	t.Helper()
	dsn, _ := schema(t)
	s, err := postgres.Open(t.Context(), dsn, postgres.Options{MaxConns: 16, StatementTimeout: time.Minute})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	storetest.Run(t, open)
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Port 1 on loopback refuses connections at once.
	_, err := postgres.Open(ctx, "postgres://postgres:secret@127.0.0.1:1/jikji?sslmode=disable", postgres.Options{})
	if err == nil {
		t.Fatal("Open succeeded on a closed port")
	}
	if !strings.Contains(err.Error(), "cannot reach database") || strings.Contains(err.Error(), "secret") {
		t.Errorf("error = %v; want a clear message without the password", err)
	}
}

// TestConcurrentOpen starts several nodes together on one empty database:
// the advisory lock lets each migration run exactly once.
func TestConcurrentOpen(t *testing.T) {
	dsn, name := schema(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(ctx, dsn, postgres.Options{MaxConns: 2})
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("open: %v", err)
		}
	}
	if err := postgres.Migrate(ctx, dsn); err != nil {
		t.Fatalf("migrate again: %v", err)
	}
	var n int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM `+name+`.schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("schema_migrations holds %d versions, want at least 2", n)
	}
}

func TestStatementTimeout(t *testing.T) {
	dsn, _ := schema(t)
	s, err := postgres.Open(context.Background(), dsn, postgres.Options{StatementTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	var setting string
	if err := s.QueryRowForTest(context.Background(), "SHOW statement_timeout").Scan(&setting); err != nil {
		t.Fatal(err)
	}
	if setting != "50ms" {
		t.Errorf("statement_timeout = %q, want 50ms", setting)
	}
	var v string
	err = s.QueryRowForTest(context.Background(), "SELECT pg_sleep(1)::text").Scan(&v)
	if err == nil || !strings.Contains(err.Error(), "57014") {
		t.Errorf("a 1s statement under a 50ms timeout: err = %v, want SQLSTATE 57014", err)
	}
}

// TestConcurrentCounters writes comments, replies, votes and state changes
// from many goroutines at once, as readers on several nodes would, and checks
// every counter against a recount (and that no transaction deadlocks).
func TestConcurrentCounters(t *testing.T) {
	st := open(t)
	ctx := context.Background()
	sec := storetest.MustCreateSection(t, st, "economy", 1)
	rep := storetest.MustCreateReporter(t, st, "이서희")
	art := storetest.MustCreateArticle(t, st, news.Article{Section: sec, Bylines: []news.Byline{{ReporterID: rep.ID}}})
	author := storetest.MustCreateAccount(t, st, "author@example.com")
	parent := storetest.MustCreateComment(t, st, news.Comment{ArticleID: art.ID, AuthorID: author.ID})

	const n = 40
	var accounts []news.Account
	for i := range n {
		accounts = append(accounts, storetest.MustCreateAccount(t, st, fmt.Sprintf("r%d@example.com", i)))
	}
	errs := make(chan error, 10*n)
	var wg sync.WaitGroup
	for i, acc := range accounts {
		wg.Go(func() {
			c := news.Comment{ArticleID: art.ID, AuthorID: acc.ID, Body: "댓글", State: news.CommentVisible, CreatedAt: time.Now()}
			errs <- st.CreateComment(ctx, &c)
			r := news.Comment{ArticleID: art.ID, ParentID: parent.ID, AuthorID: acc.ID, Body: "답글", State: news.CommentVisible, CreatedAt: time.Now()}
			errs <- st.CreateComment(ctx, &r)
			_, err := st.VoteComment(ctx, parent.ID, acc.ID, news.VoteLike, true)
			errs <- err
			_, err = st.VoteComment(ctx, parent.ID, acc.ID, news.VoteLike, true) // repeated: no change
			errs <- err
			if i%4 == 0 {
				// Hide the reply again: it leaves both counts.
				errs <- st.SetCommentState(ctx, r.ID, news.CommentHidden)
			}
			if i%5 == 0 {
				// Toggle the parent while replies arrive.
				errs <- st.SetCommentState(ctx, parent.ID, news.CommentHidden)
				errs <- st.SetCommentState(ctx, parent.ID, news.CommentVisible)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	hiddenReplies := int64((n + 3) / 4)
	a := storetest.MustArticle(t, st, art.ID)
	if want := 1 + n + n - hiddenReplies; a.CommentCount != want {
		t.Errorf("CommentCount = %d, want %d", a.CommentCount, want)
	}
	p := storetest.MustComment(t, st, parent.ID)
	if p.ReplyCount != n-hiddenReplies || p.Likes != n || p.State != news.CommentVisible {
		t.Errorf("parent: %d replies, %d likes, %s; want %d, %d, visible", p.ReplyCount, p.Likes, p.State, n-hiddenReplies, n)
	}
}

// TestBulkReindexIndexesPartitions builds the search index of an archive
// spanning several quarters in bulk: every quarter's partition must have
// the text and time indexes again, or searches read whole partitions.
func TestBulkReindexIndexesPartitions(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	s := open(t).(*postgres.Store)
	ctx := t.Context()
	start := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	var recs []news.Record
	if err := gen.New(gen.Options{Articles: 1200, Seed: 3, Now: start}).Records(func(r news.Record) error {
		if a := r.Article; a != nil {
			// A story every 12 hours: 1,200 of them span about seven quarters.
			a.PublishedAt = start.Add(time.Duration(a.ID) * 12 * time.Hour)
			a.CreatedAt = a.PublishedAt
		}
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Import(news.WithoutSearchIndex(ctx), storetest.Records(recs), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReindexArticles(ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	var parent int
	if err := s.QueryRowForTest(ctx, `SELECT count(*) FROM pg_index WHERE indrelid = 'article_search'::regclass`).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	var parts, short int
	if err := s.QueryRowForTest(ctx, `SELECT count(*), count(*) FILTER (WHERE n < $1) FROM (SELECT p.relid,
		(SELECT count(*) FROM pg_index i WHERE i.indrelid = p.relid AND i.indisvalid) AS n
		FROM pg_partition_tree('article_search') p WHERE p.isleaf) x`, parent).Scan(&parts, &short); err != nil {
		t.Fatal(err)
	}
	if parts < 6 || short > 0 || parent < 5 {
		t.Errorf("after a bulk build: %d partitions, %d of them without all %d indexes of the table; want at least 6, none", parts, short, parent)
	}
}
