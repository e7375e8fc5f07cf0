package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
)

// A site loaded in bulk (generated or imported) gets statistics when it is
// next opened: without them the planner reads every published article for
// the scheduler's and the mailer's minute of stories.
func TestOpenAnalyzesABulkLoadedSite(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "jikji.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	sec := news.Section{Slug: "news", Name: "뉴스"}
	if err := st.CreateSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	_, err = st.write.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
		INSERT INTO articles (section_id, headline, deck, body, blocks, state, published_at, created_at)
		SELECT ?, 'h' || i, '', '', '[]', CASE WHEN i % 100 = 0 THEN 'draft' ELSE 'published' END, i * 60000000, 0 FROM n`, sec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.read.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM articles
		WHERE state = 'published' AND published_at > ? AND published_at <= ? ORDER BY id`, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if got := strings.Join(plan, "; "); !strings.Contains(got, "articles_published (published_at>? AND published_at<?)") {
		t.Errorf("a minute of published stories is found by %q, want the publishing-time index", got)
	}
	due, err := st.DueArticles(ctx, time.UnixMicro(10*60000000), time.UnixMicro(12*60000000))
	if err != nil || len(due) != 2 {
		t.Errorf("due articles %v, %v; want 2", due, err)
	}
}
