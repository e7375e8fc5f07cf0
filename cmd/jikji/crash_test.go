package main

import (
	"bytes"
	"database/sql"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to read what the child wrote
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildOut  []byte
)

// mustBuildJikji builds the real binary once per test run.
func mustBuildJikji(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jikji-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "jikji")
		cmd := exec.Command("go", "build", "-o", builtBin, ".")
		buildOut, buildErr = cmd.CombinedOutput()
	})
	if buildErr != nil {
		tb.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return builtBin
}

// child is jikji serve running as a separate process.
type child struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	site   *testSite
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startChild runs `jikji serve` and waits until /healthz answers.
func startChild(tb testing.TB, bin, addr, data, databaseURL string) *child {
	tb.Helper()
	args := []string{"serve", "--addr", addr, "--data", data, "--rate-limit=false", "--password-cost=4", "--log-level=warn"}
	if databaseURL != "" {
		args = append(args, "--database-url", databaseURL)
	}
	c := &child{cmd: exec.Command(bin, args...), stderr: &bytes.Buffer{}}
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	c.site = &testSite{URL: "http://" + addr}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(c.site.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("jikji serve did not become ready: %v\n%s", err, c.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCrashLosesNothingAcknowledgedSQLite(t *testing.T) {
	data := t.TempDir()
	crashAndCheck(t, "", func() (*sql.DB, error) {
		return sql.Open("sqlite", "file:"+filepath.Join(data, "jikji.db")+"?mode=ro")
	}, data)
}

func TestCrashLosesNothingAcknowledgedPostgres(t *testing.T) {
	url := mustPostgres(t)
	crashAndCheck(t, url, func() (*sql.DB, error) { return sql.Open("pgx", url) }, t.TempDir())
}

// crashAndCheck drives concurrent comments, reactions and bookmarks from
// many readers at a child server, kills it with SIGKILL mid-load, restarts
// it on the same data and finds every acknowledged write, with counts
// equal to rows.
func crashAndCheck(t *testing.T, databaseURL string, openDB func() (*sql.DB, error), data string) {
	bin := mustBuildJikji(t)
	addr := freeAddr(t)
	first := startChild(t, bin, addr, data, databaseURL)
	readers := loadReaders(t, first.site, 24)
	articles := articleIDs(t, readers[0].c, 5)
	load := startWriteLoad(first.site, readers, articles)
	within(t, 30*time.Second, func() error {
		if load.count() < 300 {
			return os.ErrNotExist
		}
		return nil
	})
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	acked := load.halt()
	t.Logf("killed after %d acknowledged of %d requests", len(acked), load.sent)

	second := startChild(t, bin, addr, data, databaseURL)
	// The restarted server answers, and its counts agree with the store.
	var list struct {
		Count int64 `json:"count"`
	}
	newClient(t, second.site).mustJSON(t, "GET", "/api/v1/articles/"+itoa(articles[0])+"/comments", nil, http.StatusOK, &list)
	db, err := openDB()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkDurable(t, db, acked, time.Time{})
	var rows int64
	if err := db.QueryRow(`SELECT count(*) FROM comments WHERE state = 'visible' AND article_id = ` + itoa(articles[0])).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != list.Count {
		t.Errorf("restarted server says 댓글 %d, the store holds %d", list.Count, rows)
	}
	second.cmd.Process.Signal(syscall.SIGTERM)
	second.cmd.Wait()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
