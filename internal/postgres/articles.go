package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

const articleColumns = `a.id, a.section_id, s.slug, s.name, s.position, a.labels, a.headline, a.deck, a.body,
	a.blocks, a.state, a.published_at, a.updated_at, a.print_date, a.print_page, a.source_slogan,
	a.source_copyright, a.correction_note, a.comments_open, a.comment_count, a.created_at, a.version, a.keywords`

// scanArticle reads articleColumns (and any extra destinations after them);
// labels get their codes only, names are filled in by fillDetails.
func scanArticle(row pgx.Row, extra ...any) (news.Article, error) {
	var (
		a                            news.Article
		labels, deck, blocks         []byte
		keywords                     []byte
		updated                      *time.Time
		printDate, slogan, copyright string
		printPage                    int
	)
	dest := []any{&a.ID, &a.Section.ID, &a.Section.Slug, &a.Section.Name, &a.Section.Position,
		&labels, &a.Headline, &deck, &a.Body, &blocks, &a.State, &a.PublishedAt, &updated,
		&printDate, &printPage, &slogan, &copyright, &a.CorrectionNote, &a.CommentsOpen,
		&a.CommentCount, &a.CreatedAt, &a.Version, &keywords}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return news.Article{}, err
	}
	var codes []string
	if err := json.Unmarshal(labels, &codes); err != nil {
		return news.Article{}, fmt.Errorf("article %d labels: %w", a.ID, err)
	}
	for _, c := range codes {
		a.Labels = append(a.Labels, news.Label{Code: c})
	}
	if err := json.Unmarshal(deck, &a.Deck); err != nil {
		return news.Article{}, fmt.Errorf("article %d deck: %w", a.ID, err)
	}
	if err := json.Unmarshal(blocks, &a.Blocks); err != nil {
		return news.Article{}, fmt.Errorf("article %d blocks: %w", a.ID, err)
	}
	a.Body = news.LoadedBody(a.Body, a.Blocks)
	if err := json.Unmarshal(keywords, &a.Keywords); err != nil {
		return news.Article{}, fmt.Errorf("article %d keywords: %w", a.ID, err)
	}
	a.PublishedAt = fromTS(a.PublishedAt)
	a.UpdatedAt = fromNullTS(updated)
	a.CreatedAt = a.CreatedAt.UTC()
	if printDate != "" || printPage != 0 {
		a.Print = &news.PrintPlacement{Date: printDate, Page: printPage}
	}
	if slogan != "" || copyright != "" {
		a.Source = &news.SourceNotice{Slogan: slogan, Copyright: copyright}
	}
	return a, nil
}

func articleFields(a *news.Article) (labels, deck, blocks string, err error) {
	codes := make([]string, 0, len(a.Labels))
	for _, l := range a.Labels {
		codes = append(codes, l.Code)
	}
	lb, err := json.Marshal(codes)
	if err != nil {
		return "", "", "", err
	}
	if a.Deck == nil {
		a.Deck = []string{}
	}
	db, err := json.Marshal(a.Deck)
	if err != nil {
		return "", "", "", err
	}
	if a.Blocks == nil {
		a.Blocks = []news.Block{}
	}
	bb, err := json.Marshal(a.Blocks)
	if err != nil {
		return "", "", "", err
	}
	return string(lb), string(db), string(bb), nil
}

func (s *Store) CreateArticle(ctx context.Context, a *news.Article) error {
	labels, deck, blocks, keywords, err := importedFields(a)
	if err != nil {
		return err
	}
	var print news.PrintPlacement
	if a.Print != nil {
		print = *a.Print
	}
	var source news.SourceNotice
	if a.Source != nil {
		source = *a.Source
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO articles (section_id, labels, headline, deck, body, blocks, state,
			published_at, updated_at, print_date, print_page, source_slogan, source_copyright, correction_note,
			comments_open, created_at, version, keywords)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17) RETURNING id`,
			a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, ts(a.PublishedAt), nullTS(a.UpdatedAt),
			print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen,
			a.CreatedAt, keywords).Scan(&id)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 섹션입니다.")
		}
		if err != nil {
			return fmt.Errorf("create article: %w", err)
		}
		for i, b := range a.Bylines {
			_, err := tx.Exec(ctx, `INSERT INTO bylines (article_id, position, reporter_id, role, dateline)
				VALUES ($1, $2, $3, $4, $5)`, id, i, b.ReporterID, b.Role, b.Dateline)
			if isForeignKey(err) {
				return news.Errorf(news.EINVALID, "없는 기자입니다: %d", b.ReporterID)
			}
			if err != nil {
				return fmt.Errorf("create article: byline: %w", err)
			}
		}
		if err := insertKeywords(ctx, tx, id, a.Keywords); err != nil {
			return err
		}
		return reindexArticle(ctx, tx, id)
	})
	if err != nil {
		return err
	}
	a.ID, a.Version = id, 1
	return nil
}

func (s *Store) Article(ctx context.Context, id int64) (news.Article, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = $1`, id)
	a, err := scanArticle(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Article{}, notFound("기사")
	}
	if err != nil {
		return news.Article{}, fmt.Errorf("article %d: %w", id, err)
	}
	list := []news.Article{a}
	if err := s.fillDetails(ctx, list); err != nil {
		return news.Article{}, err
	}
	return list[0], nil
}

// fillDetails adds label names and bylines to articles read from rows.
func (s *Store) fillDetails(ctx context.Context, list []news.Article) error {
	if len(list) == 0 {
		return nil
	}
	labels, err := s.Labels(ctx)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(labels))
	for _, l := range labels {
		names[l.Code] = l.Name
	}
	index := make(map[int64]int, len(list))
	ids := make([]int64, len(list))
	for i := range list {
		for j, l := range list[i].Labels {
			list[i].Labels[j].Name = names[l.Code]
		}
		index[list[i].ID] = i
		ids[i] = list[i].ID
	}
	rows, err := s.pool.Query(ctx, `SELECT b.article_id, b.reporter_id, r.name, b.role, b.dateline
		FROM bylines b JOIN reporters r ON r.id = b.reporter_id
		WHERE b.article_id = ANY($1) ORDER BY b.article_id, b.position`, ids)
	if err != nil {
		return fmt.Errorf("bylines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var b news.Byline
		if err := rows.Scan(&id, &b.ReporterID, &b.Name, &b.Role, &b.Dateline); err != nil {
			return err
		}
		i := index[id]
		list[i].Bylines = append(list[i].Bylines, b)
	}
	return rows.Err()
}

// query builds a statement's WHERE clause and its numbered arguments.
type query struct {
	where []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *query) and(cond string) { q.where = append(q.where, cond) }

// articleFilter adds the conditions of f, except its cursor and limit, for
// published articles aliased a.
func (q *query) articleFilter(f news.ArticleFilter) {
	q.and("a.state = 'published'")
	if !f.Now.IsZero() {
		q.and("a.published_at <= " + q.arg(f.Now))
	}
	if f.SectionID != 0 {
		q.and("a.section_id = " + q.arg(f.SectionID))
	}
	if f.ReporterID != 0 {
		q.and("a.id IN (SELECT article_id FROM bylines WHERE reporter_id = " + q.arg(f.ReporterID) + ")")
	}
	if f.Label != "" {
		q.and("a.labels @> jsonb_build_array(" + q.arg(f.Label) + "::text)")
	}
}

func (s *Store) PublishedArticles(ctx context.Context, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	var q query
	q.articleFilter(f)
	list, next, err := s.articlePage(ctx, &q, f)
	if err != nil {
		return nil, nil, fmt.Errorf("published articles: %w", err)
	}
	return list, next, nil
}

// articlePage runs q over published articles, newest first, from f.Before,
// and returns at most f.Limit (20 if unset) with the position to continue.
func (s *Store) articlePage(ctx context.Context, q *query, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	if f.Before != nil {
		q.and("(a.published_at, a.id) < (" + q.arg(ts(f.Before.PublishedAt)) + ", " + q.arg(f.Before.ID) + ")")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id
		WHERE `+strings.Join(q.where, " AND ")+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, nil, err
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Article, error) { return scanArticle(r) })
	if err != nil {
		return nil, nil, err
	}
	var next *news.Position
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		next = &news.Position{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, nil, err
	}
	return list, next, nil
}
