package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"jikji/internal/news"
)

const articleColumns = `a.id, a.section_id, s.slug, s.name, s.position, a.labels, a.headline, a.deck, a.body,
	a.blocks, a.state, a.published_at, a.updated_at, a.print_date, a.print_page, a.source_slogan,
	a.source_copyright, a.correction_note, a.comments_open, a.comment_count, a.created_at, a.version, a.keywords`

type rowScanner interface{ Scan(...any) error }

// scanArticle reads one row of articleColumns; labels get their codes only,
// names are filled in by fillLabels.
func scanArticle(row rowScanner) (news.Article, error) {
	var (
		a                            news.Article
		labels, deck, blocks         string
		keywords                     string
		published, updated, created  int64
		printDate, slogan, copyright string
		printPage                    int
		commentsOpen                 bool
	)
	err := row.Scan(&a.ID, &a.Section.ID, &a.Section.Slug, &a.Section.Name, &a.Section.Position,
		&labels, &a.Headline, &deck, &a.Body, &blocks, &a.State, &published, &updated,
		&printDate, &printPage, &slogan, &copyright, &a.CorrectionNote, &commentsOpen,
		&a.CommentCount, &created, &a.Version, &keywords)
	if err != nil {
		return news.Article{}, err
	}
	var codes []string
	if err := json.Unmarshal([]byte(labels), &codes); err != nil {
		return news.Article{}, fmt.Errorf("article %d labels: %w", a.ID, err)
	}
	for _, c := range codes {
		a.Labels = append(a.Labels, news.Label{Code: c})
	}
	if err := json.Unmarshal([]byte(deck), &a.Deck); err != nil {
		return news.Article{}, fmt.Errorf("article %d deck: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(blocks), &a.Blocks); err != nil {
		return news.Article{}, fmt.Errorf("article %d blocks: %w", a.ID, err)
	}
	a.Body = news.LoadedBody(a.Body, a.Blocks)
	if err := json.Unmarshal([]byte(keywords), &a.Keywords); err != nil {
		return news.Article{}, fmt.Errorf("article %d keywords: %w", a.ID, err)
	}
	a.PublishedAt = fromMicros(published)
	a.UpdatedAt = fromMicros(updated)
	a.CreatedAt = fromMicros(created)
	if printDate != "" || printPage != 0 {
		a.Print = &news.PrintPlacement{Date: printDate, Page: printPage}
	}
	if slogan != "" || copyright != "" {
		a.Source = &news.SourceNotice{Slogan: slogan, Copyright: copyright}
	}
	a.CommentsOpen = commentsOpen
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
		a.CreatedAt = time.Now()
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a.Version = 1
	err = tx.QueryRowContext(ctx, `INSERT INTO articles (section_id, labels, headline, deck, body, blocks, state,
		published_at, updated_at, print_date, print_page, source_slogan, source_copyright, correction_note,
		comments_open, created_at, version, keywords)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, micros(a.PublishedAt), micros(a.UpdatedAt),
		print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen,
		micros(a.CreatedAt), a.Version, keywords).Scan(&a.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 섹션입니다.")
	}
	if err != nil {
		return fmt.Errorf("create article: %w", err)
	}
	if err := insertBylines(ctx, tx, a.ID, a.Bylines); err != nil {
		return err
	}
	if err := insertKeywords(ctx, tx, a.ID, a.Keywords); err != nil {
		return err
	}
	if err := reindexArticle(ctx, tx, a.ID); err != nil {
		return err
	}
	return tx.Commit()
}

func insertBylines(ctx context.Context, tx *sql.Tx, articleID int64, bylines []news.Byline) error {
	for i, b := range bylines {
		_, err := tx.ExecContext(ctx, `INSERT INTO bylines (article_id, position, reporter_id, role, dateline)
			VALUES (?, ?, ?, ?, ?)`, articleID, i, b.ReporterID, b.Role, b.Dateline)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 기자입니다: %d", b.ReporterID)
		}
		if err != nil {
			return fmt.Errorf("byline: %w", err)
		}
	}
	return nil
}

func (s *Store) Article(ctx context.Context, id int64) (news.Article, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`, id)
	a, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
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
	ids := make([]any, len(list))
	for i := range list {
		for j, l := range list[i].Labels {
			list[i].Labels[j].Name = names[l.Code]
		}
		index[list[i].ID] = i
		ids[i] = list[i].ID
	}
	rows, err := s.read.QueryContext(ctx, `SELECT b.article_id, b.reporter_id, r.name, b.role, b.dateline
		FROM bylines b JOIN reporters r ON r.id = b.reporter_id
		WHERE b.article_id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY b.article_id, b.position`, ids...)
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

func (s *Store) PublishedArticles(ctx context.Context, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	list, next, err := s.publishedArticles(ctx, f, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("published articles: %w", err)
	}
	return list, next, nil
}

// publishedArticles lists published articles matching f and the extra
// conditions, newest first.
func (s *Store) publishedArticles(ctx context.Context, f news.ArticleFilter, where []string, args []any) ([]news.Article, *news.Position, error) {
	where = append([]string{"a.state = 'published'"}, where...)
	if !f.Now.IsZero() {
		where = append(where, "a.published_at <= ?")
		args = append(args, micros(f.Now))
	}
	if f.SectionID != 0 {
		where = append(where, "a.section_id = ?")
		args = append(args, f.SectionID)
	}
	if f.ReporterID != 0 {
		where = append(where, "a.id IN (SELECT article_id FROM bylines WHERE reporter_id = ?)")
		args = append(args, f.ReporterID)
	}
	if f.Label != "" {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(a.labels) WHERE value = ?)")
		args = append(args, f.Label)
	}
	if f.Before != nil {
		where = append(where, "(a.published_at, a.id) < (?, ?)")
		args = append(args, micros(f.Before.PublishedAt), f.Before.ID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var list []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, nil, err
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
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
