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
		banner(skipReason)
		if os.Getenv("JIKJI_REQUIRE_POSTGRES") == "1" {
			return 1
		}
		return m.Run()
	}
	buf := make([]byte, 6)
	rand.Read(buf)
	name := "jikji_test_" + hex.EncodeToString(buf)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		skipReason = "POSTGRESQL TESTS DID NOT RUN: create database: " + err.Error()
		banner(skipReason)
		if os.Getenv("JIKJI_REQUIRE_POSTGRES") == "1" {
			return 1
		}
		return m.Run()
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
}
