package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

var _ news.ImportStore = (*Store)(nil)

func (s *Store) ImportSource(ctx context.Context, source, kind, sourceID string) (news.ImportSource, error) {
	src := news.ImportSource{Source: source, Kind: kind, SourceID: sourceID}
	err := s.pool.QueryRow(ctx, `SELECT target_id, checksum FROM import_sources
		WHERE source = $1 AND kind = $2 AND source_id = $3`, source, kind, sourceID).Scan(&src.TargetID, &src.Checksum)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.ImportSource{}, notFound("가져온 원본")
	}
	if err != nil {
		return news.ImportSource{}, fmt.Errorf("import source: %w", err)
	}
	return src, nil
}

func (s *Store) SaveImportSource(ctx context.Context, src news.ImportSource) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return saveImportSource(ctx, tx, src) })
}

func saveImportSource(ctx context.Context, tx pgx.Tx, src news.ImportSource) error {
	_, err := tx.Exec(ctx, `INSERT INTO import_sources (source, kind, source_id, target_id, checksum)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, kind, source_id)
		DO UPDATE SET target_id = excluded.target_id, checksum = excluded.checksum`,
		src.Source, src.Kind, src.SourceID, src.TargetID, src.Checksum)
	if err != nil {
		return fmt.Errorf("save import source: %w", err)
	}
	return nil
}

func (s *Store) SaveRedirects(ctx context.Context, redirects []news.Redirect) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return saveRedirects(ctx, tx, redirects) })
}

func saveRedirects(ctx context.Context, tx pgx.Tx, redirects []news.Redirect) error {
	if len(redirects) == 0 {
		return nil
	}
	paths := make([]string, len(redirects))
	targets := make([]string, len(redirects))
	seen := make(map[string]int, len(redirects))
	n := 0
	for _, r := range redirects {
		// One statement may not touch a row twice: the last target wins.
		if i, ok := seen[r.Path]; ok {
			targets[i] = r.Target
			continue
		}
		seen[r.Path] = n
		paths[n], targets[n] = r.Path, r.Target
		n++
	}
	_, err := tx.Exec(ctx, `INSERT INTO redirects (path, target) SELECT * FROM unnest($1::text[], $2::text[])
		ON CONFLICT (path) DO UPDATE SET target = excluded.target`, paths[:n], targets[:n])
	if err != nil {
		return fmt.Errorf("save redirects: %w", err)
	}
	return nil
}

func (s *Store) RedirectTarget(ctx context.Context, path string) (string, error) {
	var target string
	err := s.pool.QueryRow(ctx, `SELECT target FROM redirects WHERE path = $1`, path).Scan(&target)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", notFound("옛 주소")
	}
	if err != nil {
		return "", fmt.Errorf("redirect %s: %w", path, err)
	}
	return target, nil
}

func (s *Store) KeywordArticles(ctx context.Context, slug string, f news.ArticleFilter) ([]news.Article, *news.Position, error) {
	var q query
	q.articleFilter(f)
	q.and("a.id IN (SELECT article_id FROM article_keywords WHERE slug = " + q.arg(slug) + ")")
	list, next, err := s.articlePage(ctx, &q, f)
	if err != nil {
		return nil, nil, fmt.Errorf("keyword articles %s: %w", slug, err)
	}
	return list, next, nil
}

// keywordsJSON is the keywords column of an article.
func keywordsJSON(a *news.Article) (string, error) {
	if a.Keywords == nil {
		a.Keywords = []string{}
	}
	b, err := json.Marshal(a.Keywords)
	return string(b), err
}

// insertKeywords indexes an article's keywords by slug.
func insertKeywords(ctx context.Context, tx pgx.Tx, articleID int64, keywords []string) error {
	var slugs []string
	for _, k := range keywords {
		if slug := news.KeywordSlug(k); slug != "" {
			slugs = append(slugs, slug)
		}
	}
	if len(slugs) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO article_keywords (slug, article_id) SELECT DISTINCT unnest($1::text[]), $2::bigint
		ON CONFLICT DO NOTHING`, slugs, articleID)
	if err != nil {
		return fmt.Errorf("keywords: %w", err)
	}
	return nil
}

func (s *Store) ImportPhotos(ctx context.Context, photos []news.ImportedPhoto) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		for i := range photos {
			ip := &photos[i]
			p := &ip.Photo
			err := tx.QueryRow(ctx, `INSERT INTO photos (caption, credit, alt, width, height, content_type, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				p.Caption, p.Credit, p.Alt, p.Width, p.Height, p.ContentType, p.CreatedAt).Scan(&p.ID)
			if err != nil {
				return fmt.Errorf("import photo %s: %w", ip.SourceID, err)
			}
			for _, v := range ip.Variants {
				if _, err := tx.Exec(ctx, `INSERT INTO photo_variants (photo_id, width, height, content_type, data)
					VALUES ($1, $2, $3, $4, $5)`, p.ID, v.Width, v.Height, v.ContentType, v.Data); err != nil {
					return fmt.Errorf("import photo %s: %w", ip.SourceID, err)
				}
			}
			if err := saveImportSource(ctx, tx, news.ImportSource{Source: ip.Source, Kind: news.SourceAttachment,
				SourceID: ip.SourceID, TargetID: p.ID}); err != nil {
				return err
			}
			redirects := make([]news.Redirect, len(ip.Redirects))
			for j, r := range ip.Redirects {
				if r.Target == "" {
					r.Target = news.PhotoPath(p.ID, p.Width)
				}
				redirects[j] = r
			}
			if err := saveRedirects(ctx, tx, redirects); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) ImportArticles(ctx context.Context, batch []news.ImportedArticle) ([]news.ImportResult, error) {
	outcomes := make([]news.ImportResult, len(batch))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		commenters := map[string]int64{}
		for i := range batch {
			var err error
			if outcomes[i], err = importArticle(ctx, tx, &batch[i], commenters); err != nil {
				return fmt.Errorf("import post %s: %w", batch[i].SourceID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return outcomes, nil
}

func importArticle(ctx context.Context, tx pgx.Tx, in *news.ImportedArticle, commenters map[string]int64) (news.ImportResult, error) {
	a := &in.Article
	var known news.ImportSource
	err := tx.QueryRow(ctx, `SELECT target_id, checksum FROM import_sources
		WHERE source = $1 AND kind = $2 AND source_id = $3`, in.Source, news.SourcePost, in.SourceID).Scan(&known.TargetID, &known.Checksum)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return news.ImportResult{}, err
	}
	outcome := news.ImportCreated
	if known.TargetID != 0 {
		a.ID = known.TargetID
		if known.Checksum == in.Checksum {
			return news.ImportResult{Outcome: news.ImportUnchanged}, nil
		}
		outcome = news.ImportUpdated
		if updated, err := updateImported(ctx, tx, a); err != nil {
			return news.ImportResult{}, err
		} else if !updated {
			outcome = news.ImportCreated
		}
	}
	if outcome == news.ImportCreated {
		if err := insertImported(ctx, tx, a); err != nil {
			return news.ImportResult{}, err
		}
	}
	for i, b := range a.Bylines {
		_, err := tx.Exec(ctx, `INSERT INTO bylines (article_id, position, reporter_id, role, dateline)
			VALUES ($1, $2, $3, $4, $5)`, a.ID, i, b.ReporterID, b.Role, b.Dateline)
		if isForeignKey(err) {
			return news.ImportResult{}, news.Errorf(news.EINVALID, "없는 기자입니다: %d", b.ReporterID)
		}
		if err != nil {
			return news.ImportResult{}, fmt.Errorf("byline: %w", err)
		}
	}
	if err := insertKeywords(ctx, tx, a.ID, a.Keywords); err != nil {
		return news.ImportResult{}, err
	}
	added, made, err := importComments(ctx, tx, in, known.TargetID != 0, commenters)
	if err != nil {
		return news.ImportResult{}, err
	}
	if err := reindexArticle(ctx, tx, a.ID); err != nil {
		return news.ImportResult{}, err
	}
	redirects := make([]news.Redirect, len(in.Redirects))
	for i, r := range in.Redirects {
		if r.Target == "" {
			r.Target = fmt.Sprintf("/articles/%d", a.ID)
		}
		redirects[i] = r
	}
	if err := saveRedirects(ctx, tx, redirects); err != nil {
		return news.ImportResult{}, err
	}
	err = saveImportSource(ctx, tx, news.ImportSource{Source: in.Source, Kind: news.SourcePost, SourceID: in.SourceID,
		TargetID: a.ID, Checksum: in.Checksum})
	return news.ImportResult{Outcome: outcome, Comments: added, Commenters: made}, err
}

func importedFields(a *news.Article) (labels, deck, blocks, keywords string, err error) {
	if labels, deck, blocks, err = articleFields(a); err != nil {
		return
	}
	keywords, err = keywordsJSON(a)
	return
}

func insertImported(ctx context.Context, tx pgx.Tx, a *news.Article) error {
	labels, deck, blocks, keywords, err := importedFields(a)
	if err != nil {
		return err
	}
	a.Version = 1
	err = tx.QueryRow(ctx, `INSERT INTO articles (section_id, labels, headline, deck, body, blocks, state,
		published_at, created_at, comments_open, keywords, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)
		RETURNING id`, a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, ts(a.PublishedAt), a.CreatedAt,
		a.CommentsOpen, keywords).Scan(&a.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 섹션입니다.")
	}
	return err
}

// updateImported replaces an imported article's fields; it reports false
// if the article is gone.
func updateImported(ctx context.Context, tx pgx.Tx, a *news.Article) (bool, error) {
	labels, deck, blocks, keywords, err := importedFields(a)
	if err != nil {
		return false, err
	}
	tag, err := tx.Exec(ctx, `UPDATE articles SET section_id = $1, labels = $2, headline = $3, deck = $4, body = $5,
		blocks = $6, state = $7, published_at = $8, comments_open = $9, keywords = $10, version = version + 1 WHERE id = $11`,
		a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, ts(a.PublishedAt), a.CommentsOpen, keywords, a.ID)
	if isForeignKey(err) {
		return false, news.Errorf(news.EINVALID, "없는 섹션입니다.")
	}
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 0 {
		return false, nil
	}
	for _, q := range []string{`DELETE FROM bylines WHERE article_id = $1`, `DELETE FROM article_keywords WHERE article_id = $1`} {
		if _, err := tx.Exec(ctx, q, a.ID); err != nil {
			return false, err
		}
	}
	return true, nil
}

// importComments adds the comments not imported before, parents first,
// and recounts the article's comments if any were added. It returns how
// many comments it added and how many commenters it made.
func importComments(ctx context.Context, tx pgx.Tx, in *news.ImportedArticle, existed bool, commenters map[string]int64) (int, int, error) {
	ids := make(map[string]int64, len(in.Comments))
	added, made := 0, 0
	for _, c := range in.Comments {
		if existed {
			var id int64
			err := tx.QueryRow(ctx, `SELECT target_id FROM import_sources WHERE source = $1 AND kind = $2 AND source_id = $3`,
				in.Source, news.SourceComment, c.SourceID).Scan(&id)
			if err == nil {
				ids[c.SourceID] = id
				continue
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return 0, 0, err
			}
		}
		var parent *int64
		if c.ParentSourceID != "" && c.ParentSourceID != "0" {
			p, ok := ids[c.ParentSourceID]
			if !ok {
				continue // a reply to a comment that was not imported (spam, trash, unapproved)
			}
			parent = &p
		}
		author := c.AuthorID
		if author == 0 {
			var fresh bool
			var err error
			if author, fresh, err = importedCommenter(ctx, tx, in.Source, c, commenters); err != nil {
				return 0, 0, err
			}
			if fresh {
				made++
			}
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO comments (article_id, parent_id, author_id, body, state, created_at)
			VALUES ($1, $2, $3, $4, 'visible', $5) RETURNING id`, in.Article.ID, parent, author, c.Body, c.CreatedAt).Scan(&id)
		if isForeignKey(err) {
			return 0, 0, news.Errorf(news.EINVALID, "없는 회원입니다: %d", author)
		}
		if err != nil {
			return 0, 0, fmt.Errorf("comment %s: %w", c.SourceID, err)
		}
		ids[c.SourceID] = id
		added++
		if err := saveImportSource(ctx, tx, news.ImportSource{Source: in.Source, Kind: news.SourceComment,
			SourceID: c.SourceID, TargetID: id}); err != nil {
			return 0, 0, err
		}
	}
	if added == 0 {
		return 0, made, nil
	}
	_, err := tx.Exec(ctx, `UPDATE comments c SET reply_count = (SELECT count(*) FROM comments r
		WHERE r.parent_id = c.id AND r.state = 'visible') WHERE c.article_id = $1 AND c.parent_id IS NULL`, in.Article.ID)
	if err != nil {
		return 0, 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE articles a SET comment_count = (SELECT count(*) FROM comments c
		WHERE c.article_id = a.id AND c.state = 'visible') WHERE a.id = $1`, in.Article.ID)
	return added, made, err
}

// importedCommenter finds the account of a commenter of the source, or
// makes it; it reports whether it made one.
func importedCommenter(ctx context.Context, tx pgx.Tx, source string, c news.ImportedComment, cache map[string]int64) (int64, bool, error) {
	if id, ok := cache[c.AuthorKey]; ok {
		return id, false, nil
	}
	var id int64
	err := tx.QueryRow(ctx, `SELECT target_id FROM import_sources WHERE source = $1 AND kind = $2 AND source_id = $3`,
		source, news.SourceCommenter, c.AuthorKey).Scan(&id)
	if err == nil {
		cache[c.AuthorKey] = id
		return id, false, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, false, err
	}
	a := news.ImportedCommenter(c.AuthorName, c.CreatedAt)
	if err := tx.QueryRow(ctx, `INSERT INTO accounts (email, display_name, password_hash, role, created_at)
		VALUES ('', $1, '', $2, $3) RETURNING id`, a.DisplayName, a.Role, a.CreatedAt).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("imported commenter: %w", err)
	}
	if err := saveImportSource(ctx, tx, news.ImportSource{Source: source, Kind: news.SourceCommenter, SourceID: c.AuthorKey, TargetID: id}); err != nil {
		return 0, false, err
	}
	cache[c.AuthorKey] = id
	return id, true, nil
}
