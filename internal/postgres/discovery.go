package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

func (s *Store) AddPageViews(ctx context.Context, views []news.PageViewCount) error {
	if len(views) == 0 {
		return nil
	}
	ids := make([]int64, len(views))
	hours := make([]time.Time, len(views))
	counts := make([]int64, len(views))
	for i, v := range views {
		ids[i], hours[i], counts[i] = v.ArticleID, v.Hour.Truncate(time.Hour).UTC(), v.Views
	}
	// Rows go in key order so that nodes flushing together cannot deadlock.
	_, err := s.pool.Exec(ctx, `INSERT INTO page_views (article_id, hour, views)
		SELECT v.article_id, v.hour, sum(v.views)
		FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[]) AS v (article_id, hour, views)
		WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = v.article_id)
		GROUP BY v.article_id, v.hour ORDER BY v.article_id, v.hour
		ON CONFLICT (article_id, hour) DO UPDATE SET views = page_views.views + excluded.views`,
		ids, hours, counts)
	if err != nil {
		return fmt.Errorf("add page views: %w", err)
	}
	return nil
}

// ranked reads rows of articleColumns followed by a count.
func (s *Store) ranked(ctx context.Context, rows pgx.Rows) ([]news.RankedArticle, error) {
	var counts []int64
	list, err := collect(rows, func(r pgx.Rows) (news.Article, error) {
		var n int64
		a, err := scanArticle(r, &n)
		counts = append(counts, n)
		return a, err
	})
	if err != nil {
		return nil, err
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, err
	}
	out := make([]news.RankedArticle, len(list))
	for i := range list {
		out[i] = news.RankedArticle{Article: list[i], Count: counts[i]}
	}
	return out, nil
}

func (s *Store) MostViewed(ctx context.Context, since, now time.Time, limit int) ([]news.RankedArticle, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`, v.n
		FROM (SELECT article_id, sum(views)::bigint AS n FROM page_views WHERE hour >= $1 GROUP BY article_id) v
		JOIN articles a ON a.id = v.article_id JOIN sections s ON s.id = a.section_id
		WHERE a.state = 'published' AND a.published_at <= $2
		ORDER BY v.n DESC, a.published_at DESC, a.id DESC LIMIT $3`,
		since.Truncate(time.Hour), now, limit)
	if err != nil {
		return nil, fmt.Errorf("most viewed: %w", err)
	}
	list, err := s.ranked(ctx, rows)
	if err != nil {
		return nil, fmt.Errorf("most viewed: %w", err)
	}
	return list, nil
}

func (s *Store) MostCommented(ctx context.Context, since, now time.Time, limit int) ([]news.RankedArticle, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`, c.n
		FROM (SELECT article_id, count(*) AS n FROM comments
			WHERE state = 'visible' AND created_at >= $1 GROUP BY article_id) c
		JOIN articles a ON a.id = c.article_id JOIN sections s ON s.id = a.section_id
		WHERE a.state = 'published' AND a.published_at <= $2
		ORDER BY c.n DESC, a.published_at DESC, a.id DESC LIMIT $3`,
		since, now, limit)
	if err != nil {
		return nil, fmt.Errorf("most commented: %w", err)
	}
	list, err := s.ranked(ctx, rows)
	if err != nil {
		return nil, fmt.Errorf("most commented: %w", err)
	}
	return list, nil
}

func (s *Store) PrunePageViews(ctx context.Context, before time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM page_views WHERE hour < $1`, before); err != nil {
		return fmt.Errorf("prune page views: %w", err)
	}
	return nil
}

func (s *Store) SitemapPages(ctx context.Context, now time.Time, size int) ([]news.SitemapPage, error) {
	rows, err := s.pool.Query(ctx, `SELECT ((id - 1) / $1 + 1)::int AS page,
			max(greatest(published_at, coalesce(updated_at, published_at)))
		FROM articles WHERE state = 'published' AND published_at <= $2 GROUP BY page ORDER BY page`,
		size, now)
	if err != nil {
		return nil, fmt.Errorf("sitemap pages: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.SitemapPage, error) {
		var p news.SitemapPage
		err := r.Scan(&p.Page, &p.LastMod)
		p.LastMod = fromTS(p.LastMod)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("sitemap pages: %w", err)
	}
	return list, nil
}

func (s *Store) SitemapArticles(ctx context.Context, now time.Time, page, size int) ([]news.SitemapEntry, error) {
	lo := int64(page-1) * int64(size)
	rows, err := s.pool.Query(ctx, `SELECT id, published_at, updated_at FROM articles
		WHERE state = 'published' AND published_at <= $1 AND id > $2 AND id <= $3 ORDER BY id`,
		now, lo, lo+int64(size))
	if err != nil {
		return nil, fmt.Errorf("sitemap articles: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.SitemapEntry, error) {
		var e news.SitemapEntry
		var updated *time.Time
		err := r.Scan(&e.ID, &e.PublishedAt, &updated)
		e.PublishedAt, e.UpdatedAt = fromTS(e.PublishedAt), fromNullTS(updated)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("sitemap articles: %w", err)
	}
	return list, nil
}

func (s *Store) PhotoVariantSize(ctx context.Context, photoID int64, width int) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT octet_length(data) FROM photo_variants WHERE photo_id = $1 AND width = $2`,
		photoID, width).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, notFound("사진")
	}
	if err != nil {
		return 0, fmt.Errorf("photo %d variant %d: %w", photoID, width, err)
	}
	return n, nil
}
