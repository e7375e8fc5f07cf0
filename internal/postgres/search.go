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

// tsvectorText returns the tsvector literal of a text's index tokens, each
// at its position. Building it here keeps the tokens exactly the search
// package's, whatever the server's locale.
func tsvectorText(text string) string {
	positions := map[string][]string{}
	var order []string
	pos := 0
	for _, tok := range search.IndexTokens(text) {
		pos = min(pos+1, maxPos)
		ps, seen := positions[tok]
		if !seen {
			order = append(order, tok)
		}
		if len(ps) < maxPositions {
			positions[tok] = append(ps, strconv.Itoa(pos))
		}
	}
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

// searchRow is an article's index entry: the headline's tsvector and that
// of the headline and the rest of the text (news.Article.SearchBody).
type searchRow struct {
	articleID, sectionID int64
	publishedAt          time.Time
	head, doc            string
}

func newSearchRow(a *news.Article) searchRow {
	return searchRow{articleID: a.ID, sectionID: a.Section.ID, publishedAt: a.PublishedAt,
		head: tsvectorText(a.Headline), doc: tsvectorText(a.Headline + "\n" + a.SearchBody())}
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
// body, bylines, state or takedown calls it in the same transaction. Only
// articles readers may find are indexed (published, not taken down), so an
// article unpublished or taken down is gone from results as soon as the
// write commits.
func reindexArticle(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM article_search WHERE article_id = $1`, id); err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	a, err := scanArticle(tx.QueryRow(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1 AND a.state = 'published'
		AND NOT EXISTS (SELECT 1 FROM takedowns t WHERE t.target_kind = 'article' AND t.target_id = a.id
			AND t.state IN ('active', 'removed'))`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
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
	row := newSearchRow(&a)
	if _, err := tx.Exec(ctx, `SELECT article_search_partition($1)`, row.publishedAt); err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO article_search (article_id, section_id, published_at, head, doc)
		VALUES ($1, $2, $3, $4::text::tsvector, $5::text::tsvector)`,
		row.articleID, row.sectionID, row.publishedAt, row.head, row.doc)
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	return nil
}

// searchTSQuery is the tsquery text of all terms.
func searchTSQuery(terms []news.SearchTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = search.TSQueryTerm(t)
	}
	return strings.Join(parts, " & ")
}

// match is an index entry found by a search.
type match struct {
	id int64
	at time.Time
}

// newestMatches returns the newest n entries whose doc matches tsq within
// the filters, and how many match, counted up to news.MaxSearchTotal+1, in
// one statement. It reads the quarters' partitions newest first, each
// one's matches (a bitmap scan of its text index: no row's tsvector is
// read for words) sorted by time, and stops once MaxSearchTotal+1 are
// found: a common word costs the newest quarter's matches, whatever the
// archive's size, and a rare one every quarter's few.
func newestMatches(ctx context.Context, tx pgx.Tx, tsq string, sq news.SearchQuery, n int) ([]match, int, error) {
	parts, err := searchPartitions(ctx, tx, sq)
	if err != nil || len(parts) == 0 {
		return nil, 0, err
	}
	var q query
	q.and("doc @@ " + q.arg(tsq) + "::text::tsquery")
	q.and("published_at <= " + q.arg(sq.Now))
	if sq.SectionID != 0 {
		q.and("section_id = " + q.arg(sq.SectionID))
	}
	if !sq.From.IsZero() {
		q.and("published_at >= " + q.arg(sq.From))
	}
	if !sq.To.IsZero() {
		q.and("published_at < " + q.arg(sq.To))
	}
	limit := strconv.Itoa(news.MaxSearchTotal + 1)
	// PostgreSQL itself would read every partition and sort all their
	// matches: each partition is a branch of its own, and UNION ALL runs
	// them in order (searchSettings keep it from running them in
	// parallel), so the LIMIT stops it after the partitions it needs.
	branches := make([]string, len(parts))
	for i, part := range parts {
		branches[i] = `(SELECT article_id, published_at FROM ` + pgx.Identifier{part}.Sanitize() + ` WHERE ` +
			strings.Join(q.where, " AND ") + ` ORDER BY published_at DESC, article_id DESC LIMIT ` + limit + `)`
	}
	rows, err := tx.Query(ctx, `SELECT article_id, published_at, count(*) OVER ()
		FROM (SELECT * FROM (`+strings.Join(branches, " UNION ALL ")+`) u LIMIT `+limit+`) m
		ORDER BY published_at DESC, article_id DESC LIMIT `+q.arg(n), q.args...)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	found, err := collect(rows, func(r pgx.Rows) (match, error) {
		var m match
		return m, r.Scan(&m.id, &m.at, &total)
	})
	return found, total, err
}

// searchPartitions returns the names of the search index's partitions that
// may hold entries in sq's time range, newest first.
func searchPartitions(ctx context.Context, tx pgx.Tx, sq news.SearchQuery) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'article_search'::regclass`)
	if err != nil {
		return nil, err
	}
	names, err := collect(rows, func(r pgx.Rows) (string, error) {
		var name string
		return name, r.Scan(&name)
	})
	if err != nil {
		return nil, err
	}
	type part struct {
		name  string
		start time.Time
	}
	var parts []part
	for _, name := range names {
		var year, quarter int
		if _, err := fmt.Sscanf(name, "article_search_%dq%d", &year, &quarter); err != nil {
			// Not one of article_search_partition's: read it last.
			parts = append(parts, part{name: name})
			continue
		}
		start := time.Date(year, time.Month(3*quarter-2), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 3, 0)
		if start.After(sq.Now) || (!sq.To.IsZero() && !start.Before(sq.To)) || (!sq.From.IsZero() && !end.After(sq.From)) {
			continue
		}
		parts = append(parts, part{name, start})
	}
	slices.SortFunc(parts, func(a, b part) int { return b.start.Compare(a.start) })
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p.name
	}
	return out, nil
}

// quarterOf returns the start of the quarter (UTC) t falls in: the range
// of one partition of the search index.
func quarterOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
}

// makeSearchPartitions makes the search index's partitions for this
// quarter and the next, so that article writes of that time need not add
// one (a schema change, which waits for the searches running on the
// index). It may itself wait for them: the serving statement limit does
// not apply.
func (s *Store) makeSearchPartitions(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0;
			SELECT article_search_partition(now()), article_search_partition(now() + interval '3 months')`)
		return err
	})
}

// searchSettings keep the planner on the GIN index: with its default
// estimates it may walk the time index and read every row's tsvector, or
// scan the table, which costs seconds on a large archive. Without parallel
// workers, the branches of newestMatches run one after another, in order.
const searchSettings = `SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_sort = on;
	SET LOCAL max_parallel_workers_per_gather = 0`

func (s *Store) SearchArticles(ctx context.Context, sq news.SearchQuery) (news.SearchResult, error) {
	if len(sq.Terms) == 0 || sq.Limit <= 0 {
		return news.SearchResult{}, nil
	}
	tsq := searchTSQuery(sq.Terms)
	need := sq.Offset + sq.Limit
	var ranked []int64
	var total int
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, searchSettings); err != nil {
			return err
		}
		n := need
		if sq.Sort != news.SortNewest {
			n = max(need, news.RelevanceCandidates)
		}
		all, count, err := newestMatches(ctx, tx, tsq, sq, n)
		if err != nil {
			return err
		}
		total = count
		if sq.Sort == news.SortNewest {
			for _, m := range all {
				ranked = append(ranked, m.id)
			}
			return nil
		}
		// Relevance ranks the newest RelevanceCandidates matches: those
		// whose headline holds every term first, newest first, then the
		// rest. The headlines are read from the articles by id and matched
		// here: looked up in the index by id alone, each candidate would
		// cost a probe of every quarter's partition.
		ids := make([]int64, len(all))
		for i, m := range all {
			ids[i] = m.id
		}
		rows, err := tx.Query(ctx, `SELECT id, headline FROM articles WHERE id = ANY($1::bigint[])`, ids)
		if err != nil {
			return err
		}
		headlines := make(map[int64]string, len(ids))
		var id int64
		var headline string
		if _, err := pgx.ForEachRow(rows, []any{&id, &headline}, func() error {
			headlines[id] = headline
			return nil
		}); err != nil {
			return err
		}
		ranked = search.HeadlinesFirst(ids, headlines, sq.Terms)
		return nil
	})
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	res := news.SearchResult{Total: min(total, news.MaxSearchTotal), TotalCapped: total > news.MaxSearchTotal}
	if sq.Offset >= len(ranked) {
		return res, nil
	}
	ranked = ranked[sq.Offset:min(len(ranked), need)]
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+` FROM unnest($1::bigint[]) WITH ORDINALITY AS r (id, n)
		JOIN articles a ON a.id = r.id JOIN sections s ON s.id = a.section_id ORDER BY r.n`, ranked)
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	res.Articles, err = collect(rows, func(r pgx.Rows) (news.Article, error) { return scanArticle(r) })
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	if err := s.fillDetails(ctx, res.Articles); err != nil {
		return news.SearchResult{}, err
	}
	return res, nil
}

// RelatedArticles takes, as on SQLite, the newest 300 stories sharing a
// headline term, unscored, then those of the same section first.
func (s *Store) RelatedArticles(ctx context.Context, rq news.RelatedQuery) ([]news.Article, error) {
	tsq := tsqueryAny(search.RelatedTerms(rq.Headline))
	if tsq == "" || rq.Limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`
		FROM (SELECT article_id FROM article_search WHERE head @@ $1::text::tsquery AND published_at <= $3
			ORDER BY published_at DESC LIMIT 300) f
		JOIN articles a ON a.id = f.article_id JOIN sections s ON s.id = a.section_id
		WHERE a.id <> $2 AND a.state = 'published' AND a.published_at <= $3
		ORDER BY a.section_id = $4 DESC, a.published_at DESC, a.id DESC
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

func (s *Store) SearchIndexStats(ctx context.Context) (news.SearchIndexStats, error) {
	var st news.SearchIndexStats
	err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM article_search),
		(SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('article_search'))`).Scan(&st.Articles, &st.Bytes)
	if err != nil {
		return st, fmt.Errorf("search index stats: %w", err)
	}
	return st, nil
}
