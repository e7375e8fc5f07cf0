package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jikji/internal/archive"
	"jikji/internal/news"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// jikji runs a subcommand as the binary would and returns its stderr.
func jikji(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stderr.String(), err
}

func mustJikji(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := jikji(tb, args...)
	if err != nil {
		tb.Fatalf("jikji %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// readArchive returns every record of an archive file.
func readArchive(tb testing.TB, file string) []news.Record {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := archive.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var out []news.Record
	for {
		rec, ok, err := r.Next()
		if err != nil {
			tb.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, rec)
	}
}

// mustBusySite fills a running SQLite site (demo content) with what readers
// do: accounts, comments and replies, votes, reactions, bookmarks,
// subscriptions, and a reader who left.
func mustBusySite(tb testing.TB) *testSite {
	tb.Helper()
	s := MustRunMain(tb)
	id := seedArticleID(tb, s)
	comments := fmt.Sprintf("/api/v1/articles/%d/comments", id)
	alice := mustSignUp(tb, s, "alice@example.com", "앨리스")
	bob := mustSignUp(tb, s, "bob@example.com", "바비")
	leaver := mustSignUp(tb, s, "leaver@example.com", "떠날사람")
	var top struct{ ID int64 }
	alice.mustJSON(tb, "POST", comments, map[string]string{"body": "첫 댓글"}, http.StatusCreated, &top)
	bob.mustJSON(tb, "POST", comments, map[string]any{"body": "답글", "parent_id": top.ID}, http.StatusCreated, nil)
	leaver.mustJSON(tb, "POST", comments, map[string]string{"body": "떠나기 전 댓글"}, http.StatusCreated, nil)
	bob.mustJSON(tb, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/like", top.ID), nil, http.StatusOK, nil)
	leaver.mustJSON(tb, "PUT", fmt.Sprintf("/api/v1/comments/%d/votes/dislike", top.ID), nil, http.StatusOK, nil)
	for c, kind := range map[*client]string{alice: "like", bob: "warm", leaver: "sad"} {
		c.mustJSON(tb, "PUT", fmt.Sprintf("/api/v1/articles/%d/reaction", id), map[string]string{"reaction": kind}, http.StatusOK, nil)
	}
	alice.mustJSON(tb, "PUT", fmt.Sprintf("/api/v1/articles/%d/bookmark", id), nil, http.StatusOK, nil)
	a, err := s.Store.Article(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	alice.mustJSON(tb, "PUT", fmt.Sprintf("/api/v1/reporters/%d/subscription", a.Bylines[0].ReporterID), nil, http.StatusOK, nil)
	alice.mustJSON(tb, "PUT", "/api/v1/sections/"+a.Section.Slug+"/subscription", nil, http.StatusOK, nil)
	if status, body := leaver.do(tb, "DELETE", "/api/v1/me", map[string]string{"password": "correct horse battery"}); status >= 300 {
		tb.Fatalf("delete account: %d %s", status, body)
	}
	return s
}

// TestArchiveRoundTripThroughPostgres moves a site SQLite → PostgreSQL →
// SQLite with jikji export and import, and finds every record of the last
// archive equal, field by field, to the first.
func TestArchiveRoundTripThroughPostgres(t *testing.T) {
	dbURL := mustPostgres(t)
	src := mustBusySite(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.tar")
	// Export runs while the server is running.
	mustJikji(t, "export", "--data", src.Config.Data, "--out", first)
	records := readArchive(t, first)
	kinds := map[string]int{}
	for _, r := range records {
		kinds[r.Kind()]++
	}
	for _, k := range []string{"site", "section", "reporter", "photo", "account", "article", "comment", "vote", "reaction", "bookmark", "subscription"} {
		if kinds[k] == 0 {
			t.Errorf("the first archive holds no %s: %v", k, kinds)
		}
	}

	// Into a fresh PostgreSQL database: import applies the migrations.
	mustJikji(t, "import", first, "--database-url", dbURL)
	second := filepath.Join(dir, "second.tar.gz")
	mustJikji(t, "export", "--database-url", dbURL, "--out", second)
	// And back into a fresh SQLite data folder, flags before the file.
	back := t.TempDir()
	mustJikji(t, "import", "--data", back, second)
	third := filepath.Join(dir, "third.tar")
	mustJikji(t, "export", "--data", back, "--out", third)

	// Photos' bytes are compared whole: element by element is slow.
	opts := []cmp.Option{cmpopts.EquateEmpty(), cmp.Comparer(bytes.Equal)}
	if diff := cmp.Diff(records, readArchive(t, second), opts...); diff != "" {
		t.Errorf("SQLite → PostgreSQL changed records (-sqlite +postgres):\n%s", diff)
	}
	if diff := cmp.Diff(records, readArchive(t, third), opts...); diff != "" {
		t.Errorf("SQLite → PostgreSQL → SQLite changed records (-first +third):\n%s", diff)
	}

	// The site works on PostgreSQL: a reader logs in with the old password,
	// photos are served from the database, counts were recomputed.
	node := startNode(t, dbURL)
	c := newClient(t, node)
	c.mustJSON(t, "POST", "/api/v1/auth/login", map[string]string{"email": "alice@example.com", "password": "correct horse battery"}, http.StatusOK, nil)
	id := seedArticleID(t, node)
	var comments struct {
		Count int64 `json:"count"`
	}
	node.getJSON(t, fmt.Sprintf("/api/v1/articles/%d/comments", id), http.StatusOK, &comments)
	var want int64
	for _, r := range records {
		if r.Article != nil && r.Article.ID == id {
			want = r.Article.CommentCount
		}
	}
	if comments.Count != want || want == 0 {
		t.Errorf("comment count on PostgreSQL %d, want %d", comments.Count, want)
	}
	for _, r := range records {
		if r.Photo != nil {
			v := r.Photo.Variants[0]
			status, body := node.get(t, fmt.Sprintf("/photos/%d/%d.jpg", r.Photo.Photo.ID, v.Width))
			if status != http.StatusOK || body != string(v.Data) {
				t.Errorf("photo %d at %d: status %d, %d bytes; want %d bytes", r.Photo.Photo.ID, v.Width, status, len(body), len(v.Data))
			}
			break
		}
	}
	// New sign-ups get ids after the imported ones.
	var me struct{ ID int64 }
	mustSignUp(t, node, "new@example.com", "새 독자").mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &me)
	for _, r := range records {
		if r.Account != nil && r.Account.ID >= me.ID {
			t.Errorf("new account %d does not follow imported account %d", me.ID, r.Account.ID)
		}
	}
}

// TestImportCutShortLeavesNothing imports archives cut at several points and
// finds the target without any article or account; an import into a site
// with content is refused with the message.
func TestImportCutShortLeavesNothing(t *testing.T) {
	src := mustBusySite(t)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.tar")
	mustJikji(t, "export", "--data", src.Config.Data, "--out", whole)
	data, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	empty := func(t *testing.T, c Config) {
		t.Helper()
		st, closeStore, err := openStore(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		defer closeStore()
		err = st.Export(context.Background(), func(r news.Record) error {
			if r.Article != nil || r.Account != nil || r.Comment != nil {
				return fmt.Errorf("the site holds %s", r.Describe())
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	targets := map[string]func(t *testing.T) Config{
		"SQLite":     func(t *testing.T) Config { return Config{Data: t.TempDir()} },
		"PostgreSQL": func(t *testing.T) Config { return Config{DatabaseURL: mustPostgres(t), DBMaxConns: 4} },
	}
	for name, target := range targets {
		t.Run(name, func(t *testing.T) {
			c := target(t)
			args := []string{"--data", c.Data, "--database-url", c.DatabaseURL}
			// Cut in the photos, in the articles, and near the end.
			for _, frac := range []float64{0.3, 0.9, 0.995} {
				cut := filepath.Join(t.TempDir(), "cut.tar")
				if err := os.WriteFile(cut, data[:int(float64(len(data))*frac)], 0o600); err != nil {
					t.Fatal(err)
				}
				out, err := jikji(t, append([]string{"import", cut}, args...)...)
				if err == nil {
					t.Fatalf("import of an archive cut at %.1f%% succeeded:\n%s", frac*100, out)
				}
				if !strings.Contains(err.Error(), "그대로") && !strings.Contains(err.Error(), "끊겼") {
					t.Errorf("cut at %.1f%%: error %q does not say the database is unchanged", frac*100, err)
				}
				empty(t, c)
			}
			// Bad JSON in a record is refused the same way.
			bad := filepath.Join(t.TempDir(), "bad.tar")
			if err := os.WriteFile(bad, bytes.Replace(data, []byte(`"Body":"첫 댓글"`), []byte(`"Body":"첫 댓글`), 1), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := jikji(t, append([]string{"import", bad}, args...)...); err == nil {
				t.Error("import of an archive with a broken line succeeded")
			}
			empty(t, c)

			// The whole archive goes in; a second import is refused.
			mustJikji(t, append([]string{"import", whole}, args...)...)
			_, err := jikji(t, append([]string{"import", whole}, args...)...)
			if err == nil || !strings.Contains(err.Error(), news.ImportOccupiedMessage) {
				t.Errorf("second import: %v, want %q", err, news.ImportOccupiedMessage)
			}
		})
	}
}

// TestImportRefusesRunningSiteWithContent imports into the database of a
// running demo site.
func TestImportRefusesRunningSiteWithContent(t *testing.T) {
	src := mustBusySite(t)
	file := filepath.Join(t.TempDir(), "site.tar")
	mustJikji(t, "export", "--data", src.Config.Data, "--out", file)
	other := MustRunMain(t)
	_, err := jikji(t, "import", file, "--data", other.Config.Data)
	if err == nil || !strings.Contains(err.Error(), news.ImportOccupiedMessage) {
		t.Fatalf("import into a site with articles: %v", err)
	}
}
