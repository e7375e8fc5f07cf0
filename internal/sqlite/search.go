package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"
)

// reindexArticle brings the search index entry of one article up to date
// with what tx sees of it: every write of an article's headline, deck,
// body, bylines, state or takedown calls it in the same transaction. Only
// articles readers may find are indexed (published, not taken down), so
// that a search needs no look at the articles to filter them, and an
// article unpublished or taken down is gone from results as soon as the
// write commits.
func reindexArticle(ctx context.Context, tx *sql.Tx, id int64) error {
	if err := unindexArticle(ctx, tx, id); err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	a, err := scanArticle(tx.QueryRowContext(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	if a.State != news.StatePublished {
		return nil
	}
	down, err := exists(ctx, tx, `SELECT 1 FROM takedowns WHERE target_kind = 'article' AND target_id = ?
		AND state IN ('active', 'removed')`, id)
	if err != nil || down {
		return err
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
	if err := indexArticle(ctx, tx, &a); err != nil {
		return fmt.Errorf("reindex article %d: %w", id, err)
	}
	return nil
}

// execer is a transaction or a connection.
type execer interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// unindexArticle removes an article's index entry, if it has one.
func unindexArticle(ctx context.Context, tx execer, id int64) error {
	var docid int64
	err := tx.QueryRowContext(ctx, `DELETE FROM search_docs WHERE article_id = ? RETURNING docid`, id).Scan(&docid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = ?`, docid)
	return err
}

// docSlots is how many documents one microsecond of publishing time holds:
// a document's id is its publishing time in microseconds times docSlots
// plus a free slot, so that the index's own order (by rowid) is the order
// of publication and a time range is a rowid range.
const docSlots = 16

func docidFloor(t time.Time) int64 { return micros(t) * docSlots }

// indexArticle adds a published article (with its bylines' names) to the
// index. The text indexed is what news.Article.SearchBody gives besides
// the headline; the filter column holds the section as the token s<id>.
func indexArticle(ctx context.Context, tx execer, a *news.Article) error {
	docid := docidFloor(a.PublishedAt)
	for {
		taken, err := exists(ctx, tx, `SELECT 1 FROM search_docs WHERE docid = ?`, docid)
		if err != nil {
			return err
		}
		if !taken {
			break
		}
		docid++
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_docs (article_id, docid) VALUES (?, ?)`, a.ID, docid); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO article_search (rowid, headline, body, filter) VALUES (?, ?, ?, ?)`,
		docid, search.IndexText(a.Headline), search.IndexText(a.SearchBody()), sectionToken(a.Section.ID))
	return err
}

func sectionToken(id int64) string { return "s" + strconv.FormatInt(id, 10) }

// ftsMatch returns the FTS5 expression for the terms in the given columns
// ("headline" or "{headline body}"), limited to a section when one is set.
func ftsMatch(terms []news.SearchTerm, columns string, sectionID int64) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = search.FTS5Term(t)
	}
	expr := columns + " : (" + strings.Join(parts, " AND ") + ")"
	if sectionID != 0 {
		expr += ` AND filter : "` + sectionToken(sectionID) + `"`
	}
	return expr
}

// newestDocs returns the ids of the newest n documents matching expr with
// ids from lo to hi. FTS5 walks its doclists backwards by rowid and stops
// after n: nothing is scored or sorted.
func (s *Store) newestDocs(ctx context.Context, expr string, lo, hi int64, n int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT rowid FROM article_search WHERE article_search MATCH ?
		AND rowid BETWEEN ? AND ? ORDER BY rowid DESC LIMIT ?`, expr, lo, hi, n)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

func (s *Store) SearchArticles(ctx context.Context, q news.SearchQuery) (news.SearchResult, error) {
	if len(q.Terms) == 0 || q.Limit <= 0 {
		return news.SearchResult{}, nil
	}
	lo, hi := int64(math.MinInt64), docidFloor(q.Now)+docSlots-1
	if !q.From.IsZero() {
		lo = docidFloor(q.From)
	}
	if !q.To.IsZero() {
		hi = min(hi, docidFloor(q.To)-1)
	}
	all := ftsMatch(q.Terms, "{headline body}", q.SectionID)
	need := q.Offset + q.Limit
	n := need
	if q.Sort != news.SortNewest {
		n = max(need, news.RelevanceCandidates)
	}
	docs, err := s.newestDocs(ctx, all, lo, hi, n)
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	// Fewer than n found means all were found. Otherwise the count goes on
	// from the oldest of them and stops past MaxSearchTotal: an exact count
	// of a common word would read its whole doclist. It runs beside the
	// headline pass, on a connection of its own, unless the search is to
	// keep to one core.
	total := len(docs)
	count := func() error {
		if len(docs) < n || n > news.MaxSearchTotal {
			return nil
		}
		var more int
		err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM article_search
			WHERE article_search MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?)`,
			all, lo, docs[len(docs)-1]-1, news.MaxSearchTotal+1-len(docs)).Scan(&more)
		total += more
		return err
	}
	countErr := make(chan error, 1)
	if q.OneCore || q.Sort == news.SortNewest {
		countErr <- count()
	} else {
		go func() { countErr <- count() }()
	}
	ranked := docs
	if q.Sort != news.SortNewest {
		ranked, err = s.headlineFirst(ctx, q, docs)
	}
	if cerr := <-countErr; err == nil {
		err = cerr
	}
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	var res news.SearchResult
	res.Total = min(total, news.MaxSearchTotal)
	res.TotalCapped = total > news.MaxSearchTotal
	if q.Offset >= len(ranked) {
		return res, nil
	}
	ranked = ranked[q.Offset:min(len(ranked), need)]
	list, err := s.articlesByDoc(ctx, ranked)
	if err != nil {
		return news.SearchResult{}, fmt.Errorf("search articles: %w", err)
	}
	res.Articles = list
	return res, nil
}

// headlineFirst orders candidates (newest first) for relevance: those
// whose headline holds every term first, newest first, then the rest. The
// candidates' headlines are read and matched here: a column-filtered
// lookup in the index would walk every body match of the stretch of the
// archive they span, and looking each one up by id costs more still.
func (s *Store) headlineFirst(ctx context.Context, q news.SearchQuery, docs []int64) ([]int64, error) {
	if len(docs) == 0 {
		return docs, nil
	}
	ids, err := json.Marshal(docs)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT d.docid, a.headline FROM json_each(?) j
		CROSS JOIN search_docs d ON d.docid = j.value CROSS JOIN articles a ON a.id = d.article_id`, string(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	headlines := make(map[int64]string, len(docs))
	for rows.Next() {
		var docid int64
		var headline string
		if err := rows.Scan(&docid, &headline); err != nil {
			return nil, err
		}
		headlines[docid] = headline
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return search.HeadlinesFirst(docs, headlines, q.Terms), nil
}

// articlesByDoc reads the articles of index documents, in the given order.
func (s *Store) articlesByDoc(ctx context.Context, docids []int64) ([]news.Article, error) {
	ids, err := json.Marshal(docids)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`
		FROM json_each(?) j CROSS JOIN search_docs d ON d.docid = j.value
		CROSS JOIN articles a ON a.id = d.article_id JOIN sections s ON s.id = a.section_id
		ORDER BY j.key`, string(ids))
	if err != nil {
		return nil, err
	}
	return s.articleRows(ctx, rows)
}

// scanArticleExtra reads articleColumns followed by more columns.
func scanArticleExtra(rows *sql.Rows, extra ...any) (news.Article, error) {
	return scanArticle(extraScanner{rows, extra})
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

// relatedCandidates bounds the related-article lookup to the newest
// stories sharing a headline term, unscored. Same section first, then
// newest, is the order readers see.
const relatedCandidates = 300

var newestSharing = fmt.Sprintf(`WITH m AS MATERIALIZED (SELECT d.article_id AS id FROM article_search f
	CROSS JOIN search_docs d ON d.docid = f.rowid
	WHERE article_search MATCH ? ORDER BY f.rowid DESC LIMIT %d) `, relatedCandidates)

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

// SearchIndexStats counts the bytes of the FTS5 shadow tables and the
// document map.
func (s *Store) SearchIndexStats(ctx context.Context) (news.SearchIndexStats, error) {
	var st news.SearchIndexStats
	err := s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM search_docs), coalesce(sum(pgsize), 0) FROM dbstat
		WHERE name LIKE 'article_search%' OR name LIKE 'search_docs%' OR name LIKE 'sqlite_autoindex_search_docs%'`).Scan(&st.Articles, &st.Bytes)
	if err != nil {
		return st, fmt.Errorf("search index stats: %w", err)
	}
	return st, nil
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
