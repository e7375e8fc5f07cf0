package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"

	"github.com/jackc/pgx/v5"
)

// Limits of PostgreSQL's tsvector: positions above maxPos are clamped and a
// lexeme keeps at most maxPositions of them.
const (
	maxPos       = 16383
	maxPositions = 256
)

// tsvectorText returns the tsvector literal of an article's index: every
// token of the headline at its position with weight A, then every token
// of the rest with weight B. Building it here keeps the tokens exactly the
// search package's, whatever the server's locale.
func tsvectorText(headline, body string) string {
	positions := map[string][]string{}
	var order []string
	pos := 0
	add := func(text, weight string) {
		for _, tok := range search.IndexTokens(text) {
			pos = min(pos+1, maxPos)
			ps, seen := positions[tok]
			if !seen {
				order = append(order, tok)
			}
			if len(ps) < maxPositions {
				positions[tok] = append(ps, strconv.Itoa(pos)+weight)
			}
		}
	}
	add(headline, "A")
	add(body, "B")
	var b strings.Builder
	for i, tok := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(tok))
		b.WriteByte(':')
		b.WriteString(strings.Join(positions[tok], ","))
	}
	return b.String()
}

// quoteLexeme quotes a token for a tsvector or tsquery literal. Tokens are
// letters and digits only, but quoting keeps any text safe.
func quoteLexeme(tok string) string {
	tok = strings.ReplaceAll(tok, `\`, `\\`)
	return "'" + strings.ReplaceAll(tok, "'", "''") + "'"
}

// tsqueryAny is the tsquery text matching documents with any token.
func tsqueryAny(tokens []string) string {
	var parts []string
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			parts = append(parts, quoteLexeme(t))
		}
	}
	return strings.Join(parts, " | ")
}

// reindexArticle brings the search index entry of one article up to date
// with what tx sees of it: every write of an article's headline, deck,
// body or bylines calls it in the same transaction. An article that no
// longer exists loses its entry.
func reindexArticle(ctx context.Context, tx pgx.Tx, id int64) error {
	a, err := scanArticle(tx.QueryRow(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		_, err = tx.Exec(ctx, `DELETE FROM article_search WHERE article_id = $1`, id)
		return err
	}
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	rows, err := tx.Query(ctx, `SELECT r.name FROM bylines b JOIN reporters r ON r.id = b.reporter_id
		WHERE b.article_id = $1 ORDER BY b.position`, id)
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	a.Bylines, err = collect(rows, func(r pgx.Rows) (news.Byline, error) {
		var b news.Byline
		return b, r.Scan(&b.Name)
	})
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO article_search (article_id, doc) VALUES ($1, $2::text::tsvector)
		ON CONFLICT (article_id) DO UPDATE SET doc = excluded.doc`, id, tsvectorText(a.Headline, a.SearchBody()))
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	return nil
}

func (s *Store) SearchArticles(ctx context.Context, sq news.SearchQuery) (news.SearchResult, error) {
	tsq := search.Query{Terms: []search.Term{{Tokens: sq.Tokens}}}.TSQuery()
	if tsq == "" {
		return news.SearchResult{}, nil
	}
	var q query
	p := q.arg(tsq)
	q.and("f.doc @@ " + p + "::text::tsquery")
	q.articleFilter(news.ArticleFilter{Now: sq.Now, SectionID: sq.SectionID})
	if !sq.From.IsZero() {
		q.and("a.published_at >= " + q.arg(sq.From))
	}
	if !sq.To.IsZero() {
		q.and("a.published_at < " + q.arg(sq.To))
	}
	from := ` FROM article_search f JOIN articles a ON a.id = f.article_id
		JOIN sections s ON s.id = a.section_id WHERE ` + strings.Join(q.where, " AND ")
	countArgs := slices.Clone(q.args)
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`, count(*) OVER ()`+from+`
		ORDER BY ts_rank(f.doc, `+p+`::text::tsquery) DESC, a.published_at DESC, a.id DESC
		LIMIT `+q.arg(sq.Limit)+` OFFSET `+q.arg(sq.Offset), q.args...)
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	var res news.SearchResult
	res.Articles, err = collect(rows, func(r pgx.Rows) (news.Article, error) {
		var total int64
		a, err := scanArticle(r, &total)
		res.Total = int(total)
		return a, err
	})
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	if len(res.Articles) == 0 && sq.Offset > 0 {
		// Paged past the end: the window count saw no row.
		if err := s.pool.QueryRow(ctx, `SELECT count(*)`+from, countArgs...).Scan(&res.Total); err != nil {
			return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
		}
	}
	if err := s.fillDetails(ctx, res.Articles); err != nil {
		return news.SearchResult{}, err
	}
	return res, nil
}

func (s *Store) RelatedArticles(ctx context.Context, rq news.RelatedQuery) ([]news.Article, error) {
	tsq := tsqueryAny(search.RelatedTerms(rq.Headline))
	if tsq == "" || rq.Limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`
		FROM article_search f JOIN articles a ON a.id = f.article_id JOIN sections s ON s.id = a.section_id
		WHERE f.doc @@ $1::text::tsquery AND a.id <> $2 AND a.state = 'published' AND a.published_at <= $3
		ORDER BY a.section_id = $4 DESC, ts_rank(f.doc, $1::text::tsquery) DESC, a.published_at DESC, a.id DESC
		LIMIT $5`, tsq, rq.ArticleID, rq.Now, rq.SectionID, rq.Limit)
	if err != nil {
		return nil, fmt.Errorf("related articles: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Article, error) { return scanArticle(r) })
	if err != nil {
		return nil, fmt.Errorf("related articles: %w", err)
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, err
	}
	return list, nil
}

// reindexBatch is how many articles one reindexing transaction writes.
const reindexBatch = 200

func (s *Store) ReindexArticles(ctx context.Context, all bool) (int, error) {
	query := `SELECT id FROM articles ORDER BY id`
	if !all {
		query = `SELECT a.id FROM articles a
			WHERE NOT EXISTS (SELECT 1 FROM article_search f WHERE f.article_id = a.id) ORDER BY a.id`
	}
	rows, err := s.pool.Query(ctx, query)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	ids, err := collect(rows, func(r pgx.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	done := 0
	for len(ids) > 0 {
		batch := ids[:min(reindexBatch, len(ids))]
		ids = ids[len(batch):]
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			for _, id := range batch {
				if err := reindexArticle(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		done += len(batch)
	}
	return done, nil
}

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
