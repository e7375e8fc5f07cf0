package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"
)

// Search weights of the FTS5 columns for bm25: a headline match counts
// five times a body match.
const (
	headlineWeight = 5.0
	bodyWeight     = 1.0
)

// reindexArticle brings the search index entry of one article up to date
// with what tx sees of it: every write of an article's headline, deck,
// body or bylines calls it in the same transaction. An article that no
// longer exists loses its entry.
func reindexArticle(ctx context.Context, tx *sql.Tx, id int64) error {
	a, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = ?`, id)
		return err
	}
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.name FROM bylines b JOIN reporters r ON r.id = b.reporter_id
		WHERE b.article_id = ? ORDER BY b.position`, id)
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	for rows.Next() {
		var b news.Byline
		if err := rows.Scan(&b.Name); err != nil {
			rows.Close()
			return err
		}
		a.Bylines = append(a.Bylines, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO article_search (rowid, headline, body) VALUES (?, ?, ?)`,
		id, search.IndexText(a.Headline), search.IndexText(a.SearchBody()))
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	return nil
}

// matchAll is the FTS5 expression matching documents with every token.
func matchAll(tokens []string) string {
	return search.Query{Terms: []search.Term{{Tokens: tokens}}}.FTS5()
}

// matchAny is the FTS5 expression matching documents with any token.
func matchAny(tokens []string) string {
	quoted := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			quoted = append(quoted, `"`+strings.ReplaceAll(t, `"`, `""`)+`"`)
		}
	}
	return strings.Join(quoted, " OR ")
}

// matches is a common table expression m of the articles matching the
// first argument, with their score (lower is better).
var matches = fmt.Sprintf(`WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(article_search, %g, %g) AS score
	FROM article_search WHERE article_search MATCH ?) `, headlineWeight, bodyWeight)

// relatedCandidates bounds the related-article lookup to the newest
// stories sharing a headline term, unscored: bm25 must first count, over
// the whole archive, the stories holding each term, which an article page's
// footer cannot afford. Same section first, then newest, is the order
// readers see.
const relatedCandidates = 300

var newestSharing = fmt.Sprintf(`WITH m AS MATERIALIZED (SELECT rowid AS id FROM article_search
	WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT %d) `, relatedCandidates)

func (s *Store) SearchArticles(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	match := matchAll(q.Tokens)
	if match == "" {
		return news.SearchResult{}, nil
	}
	// Articles may be found only when published; the partial indexes on
	// published articles answer this without reading the (large) rows.
	where := []string{"state = 'published'", "published_at <= ?"}
	args := []any{match, micros(q.Now)}
	if q.SectionID != 0 {
		where = append(where, "section_id = ?")
		args = append(args, q.SectionID)
	}
	if !q.From.IsZero() {
		where = append(where, "published_at >= ?")
		args = append(args, micros(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, "published_at < ?")
		args = append(args, micros(q.To))
	}
	// The matches and their scores are computed first, in the full-text
	// index's own context (bm25 works nowhere else), then ranked by id and
	// score alone; only the page's articles are read in full.
	hits := matches + `, p AS MATERIALIZED (SELECT id, published_at FROM articles WHERE ` + strings.Join(where, " AND ") + `),
		h AS (SELECT m.id, m.score, p.published_at, count(*) OVER () AS total
			FROM m JOIN p ON p.id = m.id ORDER BY m.score, p.published_at DESC, m.id DESC LIMIT ? OFFSET ?) `
	rows, err := s.read.QueryContext(ctx, hits+`SELECT `+articleColumns+`, h.total
		FROM h JOIN articles a ON a.id = h.id JOIN sections s ON s.id = a.section_id
		ORDER BY h.score, h.published_at DESC, h.id DESC`,
		append(args, q.Limit, q.Offset)...)
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	var res news.SearchResult
	for rows.Next() {
		var total int
		a, err := scanArticleExtra(rows, &total)
		if err != nil {
			rows.Close()
			return news.SearchResult{}, err
		}
		res.Articles = append(res.Articles, a)
		res.Total = total
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	if len(res.Articles) == 0 && q.Offset > 0 {
		// Paged past the end: the window count saw no row.
		if err := s.read.QueryRowContext(ctx, matches+`, p AS MATERIALIZED (SELECT id FROM articles WHERE `+
			strings.Join(where, " AND ")+`) SELECT count(*) FROM m JOIN p ON p.id = m.id`, args...).Scan(&res.Total); err != nil {
			return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
		}
	}
	if err := s.fillDetails(ctx, res.Articles); err != nil {
		return news.SearchResult{}, err
	}
	return res, nil
}

// scanArticleExtra reads articleColumns followed by more columns.
func scanArticleExtra(rows *sql.Rows, extra ...any) (news.Article, error) {
	return scanArticle(extraScanner{rows, extra})
}

func (s *Store) RelatedArticles(ctx context.Context, q news.RelatedQuery) ([]news.Article, error) {
	match := matchAny(search.RelatedTerms(q.Headline))
	if match == "" || q.Limit <= 0 {
		return nil, nil
	}
	// Stories whose headlines share a term: headline lists are short, where
	// a body's would hold much of the archive.
	match = "headline : (" + match + ")"
	// CROSS JOIN keeps SQLite from scanning the (wide) articles table and
	// probing the candidates: it looks up each candidate by id instead.
	rows, err := s.read.QueryContext(ctx, newestSharing+`SELECT `+articleColumns+`
		FROM m CROSS JOIN articles a ON a.id = m.id JOIN sections s ON s.id = a.section_id
		WHERE a.id <> ? AND a.state = 'published' AND a.published_at <= ?
		ORDER BY a.section_id = ? DESC, a.published_at DESC, a.id DESC LIMIT ?`,
		match, q.ArticleID, micros(q.Now), q.SectionID, q.Limit)
	if err != nil {
		return nil, fmt.Errorf("related articles: %w", err)
	}
	return s.articleRows(ctx, rows)
}

// articleRows reads rows of articleColumns and fills in their details.
func (s *Store) articleRows(ctx context.Context, rows *sql.Rows) ([]news.Article, error) {
	var list []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// reindexBatch is how many articles one reindexing transaction writes, so
// that a server running alongside is never blocked for long.
const reindexBatch = 200

func (s *Store) ReindexArticles(ctx context.Context, all bool) (int, error) {
	query := `SELECT id FROM articles ORDER BY id`
	if !all {
		query = `SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM article_search) ORDER BY id`
	}
	rows, err := s.read.QueryContext(ctx, query)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	done := 0
	for len(ids) > 0 {
		batch := ids[:min(reindexBatch, len(ids))]
		ids = ids[len(batch):]
		if err := s.writeTx(ctx, func(tx *sql.Tx) error {
			for _, id := range batch {
				if err := reindexArticle(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		done += len(batch)
	}
	return done, nil
}

// writeTx runs fn in a transaction of its own on the write connection.
func (s *Store) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) AddPageViews(ctx context.Context, views []news.PageViewCount) error {
	if len(views) == 0 {
		return nil
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO page_views (article_id, hour, views)
			SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?1)
			ON CONFLICT (article_id, hour) DO UPDATE SET views = views + excluded.views`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, v := range views {
			if _, err := stmt.ExecContext(ctx, v.ArticleID, micros(v.Hour.Truncate(time.Hour)), v.Views); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add page views: %w", err)
	}
	return nil
}

// ranked reads rows of articleColumns followed by a count.
func (s *Store) ranked(ctx context.Context, rows *sql.Rows) ([]news.RankedArticle, error) {
	var out []news.RankedArticle
	var list []news.Article
	for rows.Next() {
		var n int64
		a, err := scanArticleExtra(rows, &n)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, a)
		out = append(out, news.RankedArticle{Count: n})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Article = list[i]
	}
	return out, nil
}

func (s *Store) MostViewed(ctx context.Context, since, now time.Time, limit int) ([]news.RankedArticle, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`, v.n
		FROM (SELECT article_id, sum(views) AS n FROM page_views WHERE hour >= ? GROUP BY article_id) v
		JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id
		WHERE a.state = 'published' AND a.published_at <= ?
		ORDER BY v.n DESC, a.published_at DESC, a.id DESC LIMIT ?`,
		micros(since.Truncate(time.Hour)), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("most viewed: %w", err)
	}
	return s.ranked(ctx, rows)
}

func (s *Store) MostCommented(ctx context.Context, since, now time.Time, limit int) ([]news.RankedArticle, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`, c.n
		FROM (SELECT article_id, count(*) AS n FROM comments
			WHERE state = 'visible' AND created_at >= ? GROUP BY article_id) c
		JOIN articles a ON a.id = c.article_id JOIN sections s ON s.id = a.section_id
		WHERE a.state = 'published' AND a.published_at <= ?
		ORDER BY c.n DESC, a.published_at DESC, a.id DESC LIMIT ?`,
		micros(since), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("most commented: %w", err)
	}
	return s.ranked(ctx, rows)
}

func (s *Store) PrunePageViews(ctx context.Context, before time.Time) error {
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM page_views WHERE hour < ?`, micros(before))
		return err
	})
	if err != nil {
		return fmt.Errorf("prune page views: %w", err)
	}
	return nil
}

func (s *Store) SitemapPages(ctx context.Context, now time.Time, size int) ([]news.SitemapPage, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT (id - 1) / ?1 + 1 AS page, max(max(published_at, updated_at))
		FROM articles WHERE state = 'published' AND published_at <= ?2 GROUP BY page ORDER BY page`,
		size, micros(now))
	if err != nil {
		return nil, fmt.Errorf("sitemap pages: %w", err)
	}
	defer rows.Close()
	var out []news.SitemapPage
	for rows.Next() {
		var p news.SitemapPage
		var last int64
		if err := rows.Scan(&p.Page, &last); err != nil {
			return nil, err
		}
		p.LastMod = fromMicros(last)
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *Store) SitemapArticles(ctx context.Context, now time.Time, page, size int) ([]news.SitemapEntry, error) {
	lo := int64(page-1) * int64(size)
	rows, err := s.read.QueryContext(ctx, `SELECT id, published_at, updated_at FROM articles
		WHERE state = 'published' AND published_at <= ? AND id > ? AND id <= ? ORDER BY id`,
		micros(now), lo, lo+int64(size))
	if err != nil {
		return nil, fmt.Errorf("sitemap articles: %w", err)
	}
	defer rows.Close()
	var out []news.SitemapEntry
	for rows.Next() {
		var e news.SitemapEntry
		var pub, upd int64
		if err := rows.Scan(&e.ID, &pub, &upd); err != nil {
			return nil, err
		}
		e.PublishedAt, e.UpdatedAt = fromMicros(pub), fromMicros(upd)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Store) PhotoVariantSize(ctx context.Context, photoID int64, width int) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT length(data) FROM photo_variants WHERE photo_id = ? AND width = ?`,
		photoID, width).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("사진")
	}
	if err != nil {
		return 0, fmt.Errorf("photo %d variant %d: %w", photoID, width, err)
	}
	return n, nil
}
