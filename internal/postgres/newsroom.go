package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

// placements returns the print placement and source notice of a, or zero
// values for the columns.
func placements(a *news.Article) (news.PrintPlacement, news.SourceNotice) {
	var print news.PrintPlacement
	if a.Print != nil {
		print = *a.Print
	}
	var source news.SourceNotice
	if a.Source != nil {
		source = *a.Source
	}
	return print, source
}

func insertBylines(ctx context.Context, tx pgx.Tx, articleID int64, bylines []news.Byline) error {
	for i, b := range bylines {
		_, err := tx.Exec(ctx, `INSERT INTO bylines (article_id, position, reporter_id, role, dateline)
			VALUES ($1, $2, $3, $4, $5)`, articleID, i, b.ReporterID, b.Role, b.Dateline)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 기자입니다: %d", b.ReporterID)
		}
		if err != nil {
			return fmt.Errorf("byline: %w", err)
		}
	}
	return nil
}

func (s *Store) CreateDraft(ctx context.Context, a *news.Article, rev *news.Revision) error {
	labels, deck, blocks, err := articleFields(a)
	if err != nil {
		return err
	}
	print, source := placements(a)
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO articles (section_id, labels, headline, deck, body, blocks, state,
			published_at, updated_at, print_date, print_page, source_slogan, source_copyright, correction_note,
			comments_open, created_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1) RETURNING id`,
			a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, ts(a.PublishedAt), nullTS(a.UpdatedAt),
			print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen,
			a.CreatedAt).Scan(&id)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 섹션입니다.")
		}
		if err != nil {
			return fmt.Errorf("create draft: %w", err)
		}
		if err := insertBylines(ctx, tx, id, a.Bylines); err != nil {
			return err
		}
		if err := reindexArticle(ctx, tx, id); err != nil {
			return err
		}
		rev.ArticleID, rev.Version = id, 1
		return insertRevision(ctx, tx, rev)
	})
	if err != nil {
		return err
	}
	a.ID, a.Version = id, 1
	return nil
}

func insertRevision(ctx context.Context, tx pgx.Tx, r *news.Revision) error {
	if r.Deck == nil {
		r.Deck = []string{}
	}
	deck, err := json.Marshal(r.Deck)
	if err != nil {
		return err
	}
	var account *int64
	if r.AccountID != 0 {
		account = &r.AccountID
	}
	created := r.CreatedAt
	if created.IsZero() {
		created = now()
	}
	err = tx.QueryRow(ctx, `INSERT INTO revisions (article_id, version, action, state, public, headline,
		deck, body, correction_note, note, account_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.ArticleID, r.Version, r.Action, r.State, r.Public, r.Headline, string(deck), r.Body,
		r.CorrectionNote, r.Note, account, created).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("revision: %w", err)
	}
	return nil
}

func (s *Store) UpdateArticle(ctx context.Context, a *news.Article, version int64, revs []news.Revision) error {
	labels, deck, blocks, err := articleFields(a)
	if err != nil {
		return err
	}
	print, source := placements(a)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var current int64
		err := tx.QueryRow(ctx, `SELECT version FROM articles WHERE id = $1 FOR UPDATE`, a.ID).Scan(&current)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("기사")
		}
		if err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		if current != version {
			return news.Errorf(news.EPRECONDITION, "그사이 다른 사람이 기사를 고쳤습니다. 새로 불러온 뒤 다시 고쳐주세요.")
		}
		_, err = tx.Exec(ctx, `UPDATE articles SET section_id = $1, labels = $2, headline = $3, deck = $4, body = $5,
			blocks = $6, state = $7, published_at = $8, updated_at = $9, print_date = $10, print_page = $11,
			source_slogan = $12, source_copyright = $13, correction_note = $14, comments_open = $15, version = $16
			WHERE id = $17`,
			a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, ts(a.PublishedAt), nullTS(a.UpdatedAt),
			print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen, version+1, a.ID)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 섹션입니다.")
		}
		if err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM bylines WHERE article_id = $1`, a.ID); err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		if err := insertBylines(ctx, tx, a.ID, a.Bylines); err != nil {
			return err
		}
		if err := reindexArticle(ctx, tx, a.ID); err != nil {
			return err
		}
		for i := range revs {
			revs[i].ArticleID, revs[i].Version = a.ID, version+1
			if err := insertRevision(ctx, tx, &revs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.Version = version + 1
	return nil
}

func (s *Store) Revisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.article_id, r.version, r.action, r.state, r.public,
		r.headline, r.deck, r.body, r.correction_note, r.note, coalesce(r.account_id, 0),
		coalesce(a.display_name, ''), r.created_at
		FROM revisions r LEFT JOIN accounts a ON a.id = r.account_id
		WHERE r.article_id = $1 ORDER BY r.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	return collect(rows, func(row pgx.Rows) (news.Revision, error) {
		var r news.Revision
		var deck []byte
		if err := row.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Action, &r.State, &r.Public, &r.Headline,
			&deck, &r.Body, &r.CorrectionNote, &r.Note, &r.AccountID, &r.AccountName, &r.CreatedAt); err != nil {
			return news.Revision{}, err
		}
		if err := json.Unmarshal(deck, &r.Deck); err != nil {
			return news.Revision{}, fmt.Errorf("revision %d deck: %w", r.ID, err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		return r, nil
	})
}

// newsroomMatches returns the ids of the articles whose text holds the
// newsroom's search: published ones through the search index, the rest
// (few beside the archive) by reading their text.
func (s *Store) newsroomMatches(ctx context.Context, nq news.NewsroomQuery) ([]int64, error) {
	if len(nq.SearchTerms) == 0 {
		return []int64{}, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT article_id FROM article_search WHERE doc @@ $1::text::tsquery
		ORDER BY published_at DESC, article_id DESC LIMIT $2`, searchTSQuery(nq.SearchTerms), news.NewsroomIndexMatches)
	if err != nil {
		return nil, err
	}
	scan := func(r pgx.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	}
	ids, err := collect(rows, scan)
	if err != nil {
		return nil, err
	}
	var q query
	q.and(`(a.state IN ('draft', 'submitted', 'unpublished') OR a.id IN (SELECT target_id FROM takedowns
		WHERE target_kind = 'article' AND state IN ('active', 'removed')))`)
	q.and("NOT EXISTS (SELECT 1 FROM article_search f WHERE f.article_id = a.id)")
	for _, w := range nq.SearchWords {
		q.and("strpos(lower(a.headline || ' ' || a.body), " + q.arg(w) + ") > 0")
	}
	rows, err = s.pool.Query(ctx, `SELECT a.id FROM articles a WHERE `+strings.Join(q.where, " AND "), q.args...)
	if err != nil {
		return nil, err
	}
	rest, err := collect(rows, scan)
	if err != nil {
		return nil, err
	}
	return append(ids, rest...), nil
}

func (s *Store) NewsroomArticles(ctx context.Context, nq news.NewsroomQuery) ([]news.Article, int64, error) {
	var q query
	switch nq.State {
	case "":
	case news.StateScheduled:
		q.and("a.state = 'published' AND a.published_at > " + q.arg(nq.Now))
	case news.StatePublished:
		q.and("a.state = 'published' AND a.published_at <= " + q.arg(nq.Now))
	default:
		q.and("a.state = " + q.arg(nq.State))
	}
	if nq.Search != "" {
		ids, err := s.newsroomMatches(ctx, nq)
		if err != nil {
			return nil, 0, fmt.Errorf("newsroom articles: %w", err)
		}
		q.and("a.id = ANY(" + q.arg(ids) + "::bigint[])")
	}
	if nq.BeforeID > 0 {
		q.and("a.id < " + q.arg(nq.BeforeID))
	}
	cond := ""
	if len(q.where) > 0 {
		cond = "WHERE " + strings.Join(q.where, " AND ")
	}
	limit := nq.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id `+cond+` ORDER BY a.id DESC LIMIT `+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("newsroom articles: %w", err)
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Article, error) { return scanArticle(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("newsroom articles: %w", err)
	}
	var next int64
	if len(list) > limit {
		list = list[:limit]
		next = list[limit-1].ID
	}
	if err := s.fillDetails(ctx, list); err != nil {
		return nil, 0, err
	}
	return list, next, nil
}

func scanID(r pgx.Rows) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}

func (s *Store) DueArticles(ctx context.Context, after, upTo time.Time) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM articles
		WHERE state = 'published' AND published_at > $1 AND published_at <= $2 ORDER BY id`, after, upTo)
	if err != nil {
		return nil, fmt.Errorf("due articles: %w", err)
	}
	return collect(rows, scanID)
}

func (s *Store) FrontPicks(ctx context.Context) (map[int64][]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT slot, article_id FROM front_picks ORDER BY slot, position`)
	if err != nil {
		return nil, fmt.Errorf("front picks: %w", err)
	}
	type pick struct{ slot, id int64 }
	list, err := collect(rows, func(r pgx.Rows) (pick, error) {
		var p pick
		err := r.Scan(&p.slot, &p.id)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("front picks: %w", err)
	}
	picks := map[int64][]int64{}
	for _, p := range list {
		picks[p.slot] = append(picks[p.slot], p.id)
	}
	return picks, nil
}

func (s *Store) SetFrontPicks(ctx context.Context, slot int64, articleIDs []int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM front_picks WHERE slot = $1`, slot); err != nil {
			return fmt.Errorf("set front picks: %w", err)
		}
		for i, id := range articleIDs {
			_, err := tx.Exec(ctx, `INSERT INTO front_picks (slot, position, article_id) VALUES ($1, $2, $3)`, slot, i, id)
			if isForeignKey(err) {
				return news.Errorf(news.EINVALID, "없는 기사입니다: %d", id)
			}
			if err != nil {
				return fmt.Errorf("set front picks: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) StaffAccounts(ctx context.Context) ([]news.Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE role <> 'reader' AND deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("staff accounts: %w", err)
	}
	return collect(rows, func(r pgx.Rows) (news.Account, error) { return scanAccount(r) })
}

func (s *Store) CreateAPIToken(ctx context.Context, t *news.APIToken) error {
	created := t.CreatedAt
	if created.IsZero() {
		created = now()
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, t.AccountID, t.Name, t.TokenHash, created).Scan(&t.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 회원입니다.")
	}
	if isUnique(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 토큰입니다.")
	}
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return nil
}

func (s *Store) APITokens(ctx context.Context) ([]news.APIToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT t.id, t.account_id, a.display_name, a.email, t.name, t.token_hash,
		t.created_at, t.revoked_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	return collect(rows, func(r pgx.Rows) (news.APIToken, error) {
		var t news.APIToken
		var revoked *time.Time
		if err := r.Scan(&t.ID, &t.AccountID, &t.AccountName, &t.AccountEmail, &t.Name, &t.TokenHash, &t.CreatedAt, &revoked); err != nil {
			return news.APIToken{}, err
		}
		t.CreatedAt, t.RevokedAt = t.CreatedAt.UTC(), fromNullTS(revoked)
		return t, nil
	})
}

func (s *Store) RevokeAPIToken(ctx context.Context, id int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, at)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return notFound("토큰")
	}
	return nil
}

func (s *Store) APITokenAccount(ctx context.Context, tokenHash string) (news.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT a.id, a.email, a.display_name, a.password_hash, a.role,
		a.created_at, a.deleted_at, a.two_factor
		FROM api_tokens t JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.deleted_at IS NULL`, tokenHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Account{}, notFound("토큰")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("api token account: %w", err)
	}
	return a, nil
}
