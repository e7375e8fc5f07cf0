package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

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
