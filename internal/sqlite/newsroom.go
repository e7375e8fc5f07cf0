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

func (s *Store) CreateDraft(ctx context.Context, a *news.Article, rev *news.Revision) error {
	labels, deck, blocks, err := articleFields(a)
	if err != nil {
		return err
	}
	print, source := placements(a)
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `INSERT INTO articles (section_id, labels, headline, deck, body, blocks, state,
		published_at, updated_at, print_date, print_page, source_slogan, source_copyright, correction_note,
		comments_open, created_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, micros(a.PublishedAt), micros(a.UpdatedAt),
		print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen,
		micros(a.CreatedAt)).Scan(&a.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 섹션입니다.")
	}
	if err != nil {
		return fmt.Errorf("create draft: %w", err)
	}
	if err := insertBylines(ctx, tx, a.ID, a.Bylines); err != nil {
		return err
	}
	if err := reindexArticle(ctx, tx, a.ID); err != nil {
		return err
	}
	a.Version = 1
	rev.ArticleID, rev.Version = a.ID, 1
	if err := insertRevision(ctx, tx, rev); err != nil {
		return err
	}
	return tx.Commit()
}

func insertRevision(ctx context.Context, tx *sql.Tx, r *news.Revision) error {
	if r.Deck == nil {
		r.Deck = []string{}
	}
	deck, err := json.Marshal(r.Deck)
	if err != nil {
		return err
	}
	var account any
	if r.AccountID != 0 {
		account = r.AccountID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO revisions (article_id, version, action, state, public, headline,
		deck, body, correction_note, note, account_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ArticleID, r.Version, r.Action, r.State, r.Public, r.Headline, string(deck), r.Body,
		r.CorrectionNote, r.Note, account, micros(r.CreatedAt)).Scan(&r.ID)
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
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM articles WHERE id = ?`, a.ID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("기사")
	}
	if err != nil {
		return fmt.Errorf("update article %d: %w", a.ID, err)
	}
	if current != version {
		return news.Errorf(news.EPRECONDITION, "그사이 다른 사람이 기사를 고쳤습니다. 새로 불러온 뒤 다시 고쳐주세요.")
	}
	_, err = tx.ExecContext(ctx, `UPDATE articles SET section_id = ?, labels = ?, headline = ?, deck = ?, body = ?,
		blocks = ?, state = ?, published_at = ?, updated_at = ?, print_date = ?, print_page = ?, source_slogan = ?,
		source_copyright = ?, correction_note = ?, comments_open = ?, version = ? WHERE id = ?`,
		a.Section.ID, labels, a.Headline, deck, news.StoredBody(a), blocks, a.State, micros(a.PublishedAt), micros(a.UpdatedAt),
		print.Date, print.Page, source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen, version+1, a.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 섹션입니다.")
	}
	if err != nil {
		return fmt.Errorf("update article %d: %w", a.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM bylines WHERE article_id = ?`, a.ID); err != nil {
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
	if err := tx.Commit(); err != nil {
		return err
	}
	a.Version = version + 1
	return nil
}

func (s *Store) Revisions(ctx context.Context, articleID int64) ([]news.Revision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.article_id, r.version, r.action, r.state, r.public,
		r.headline, r.deck, r.body, r.correction_note, r.note, coalesce(r.account_id, 0),
		coalesce(a.display_name, ''), r.created_at
		FROM revisions r LEFT JOIN accounts a ON a.id = r.account_id
		WHERE r.article_id = ? ORDER BY r.id`, articleID)
	if err != nil {
		return nil, fmt.Errorf("revisions: %w", err)
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		var r news.Revision
		var deck string
		var created int64
		if err := rows.Scan(&r.ID, &r.ArticleID, &r.Version, &r.Action, &r.State, &r.Public, &r.Headline,
			&deck, &r.Body, &r.CorrectionNote, &r.Note, &r.AccountID, &r.AccountName, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(deck), &r.Deck); err != nil {
			return nil, fmt.Errorf("revision %d deck: %w", r.ID, err)
		}
		r.CreatedAt = fromMicros(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// newsroomMatches returns, as a JSON array, the ids of the articles whose
// text holds the newsroom's search: published ones through the search
// index, the rest (few beside the archive) by reading their text.
func (s *Store) newsroomMatches(ctx context.Context, q news.NewsroomQuery) (string, error) {
	if len(q.SearchTerms) == 0 {
		return "[]", nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT d.article_id FROM article_search f
		CROSS JOIN search_docs d ON d.docid = f.rowid
		WHERE article_search MATCH ? ORDER BY f.rowid DESC LIMIT ?`,
		ftsMatch(q.SearchTerms, "{headline body}", 0), news.NewsroomIndexMatches)
	if err != nil {
		return "", err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return "", err
	}
	cond := []string{`(a.state IN ('draft', 'submitted', 'unpublished') OR a.id IN (SELECT target_id FROM takedowns
		WHERE target_kind = 'article' AND state IN ('active', 'removed')))`,
		"NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.article_id = a.id)"}
	var args []any
	for _, w := range q.SearchWords {
		cond = append(cond, "instr(lower(a.headline || ' ' || a.body), ?) > 0")
		args = append(args, w)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT a.id FROM articles a WHERE `+strings.Join(cond, " AND "), args...)
	if err != nil {
		return "", err
	}
	unindexed, err := scanIDs(rows)
	if err != nil {
		return "", err
	}
	ids = append(ids, unindexed...)
	raw, err := json.Marshal(ids)
	if ids == nil {
		raw = []byte("[]")
	}
	return string(raw), err
}

func (s *Store) NewsroomArticles(ctx context.Context, q news.NewsroomQuery) ([]news.Article, int64, error) {
	var where []string
	var args []any
	switch q.State {
	case "":
	case news.StateScheduled:
		where = append(where, "a.state = 'published' AND a.published_at > ?")
		args = append(args, micros(q.Now))
	case news.StatePublished:
		where = append(where, "a.state = 'published' AND a.published_at <= ?")
		args = append(args, micros(q.Now))
	default:
		where = append(where, "a.state = ?")
		args = append(args, q.State)
	}
	if q.Search != "" {
		ids, err := s.newsroomMatches(ctx, q)
		if err != nil {
			return nil, 0, fmt.Errorf("newsroom articles: %w", err)
		}
		where = append(where, "a.id IN (SELECT value FROM json_each(?))")
		args = append(args, ids)
	}
	if q.BeforeID > 0 {
		where = append(where, "a.id < ?")
		args = append(args, q.BeforeID)
	}
	cond := ""
	if len(where) > 0 {
		cond = "WHERE " + strings.Join(where, " AND ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	args = append(args, limit+1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`
		FROM articles a JOIN sections s ON s.id = a.section_id `+cond+` ORDER BY a.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("newsroom articles: %w", err)
	}
	defer rows.Close()
	var list []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, 0, err
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
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

func (s *Store) DueArticles(ctx context.Context, after, upTo time.Time) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM articles
		WHERE state = 'published' AND published_at > ? AND published_at <= ? ORDER BY id`, micros(after), micros(upTo))
	if err != nil {
		return nil, fmt.Errorf("due articles: %w", err)
	}
	return scanIDs(rows)
}

// scanCounts reads rows of a name and a count into a map, closing rows.
func scanCounts(rows *sql.Rows) (map[string]int64, error) {
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		counts[name] = n
	}
	return counts, rows.Err()
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *Store) FrontPicks(ctx context.Context) (map[int64][]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT slot, article_id FROM front_picks ORDER BY slot, position`)
	if err != nil {
		return nil, fmt.Errorf("front picks: %w", err)
	}
	defer rows.Close()
	picks := map[int64][]int64{}
	for rows.Next() {
		var slot, id int64
		if err := rows.Scan(&slot, &id); err != nil {
			return nil, err
		}
		picks[slot] = append(picks[slot], id)
	}
	return picks, rows.Err()
}

func (s *Store) SetFrontPicks(ctx context.Context, slot int64, articleIDs []int64) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM front_picks WHERE slot = ?`, slot); err != nil {
		return fmt.Errorf("set front picks: %w", err)
	}
	for i, id := range articleIDs {
		_, err := tx.ExecContext(ctx, `INSERT INTO front_picks (slot, position, article_id) VALUES (?, ?, ?)`, slot, i, id)
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "없는 기사입니다: %d", id)
		}
		if err != nil {
			return fmt.Errorf("set front picks: %w", err)
		}
	}
	return tx.Commit()
}

func (s *Store) StaffAccounts(ctx context.Context) ([]news.Account, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a
		WHERE a.role <> 'reader' AND a.deleted_at = 0 ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("staff accounts: %w", err)
	}
	defer rows.Close()
	var out []news.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) CreateAPIToken(ctx context.Context, t *news.APIToken) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO api_tokens (account_id, name, token_hash, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`, t.AccountID, t.Name, t.TokenHash, micros(t.CreatedAt)).Scan(&t.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "없는 회원입니다.")
	}
	if isConstraint(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 토큰입니다.")
	}
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	return nil
}

func (s *Store) APITokens(ctx context.Context) ([]news.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, t.account_id, a.display_name, a.email, t.name, t.token_hash,
		t.created_at, t.revoked_at FROM api_tokens t JOIN accounts a ON a.id = t.account_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("api tokens: %w", err)
	}
	defer rows.Close()
	var out []news.APIToken
	for rows.Next() {
		var t news.APIToken
		var created, revoked int64
		if err := rows.Scan(&t.ID, &t.AccountID, &t.AccountName, &t.AccountEmail, &t.Name, &t.TokenHash, &created, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt, t.RevokedAt = fromMicros(created), fromMicros(revoked)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) RevokeAPIToken(ctx context.Context, id int64, at time.Time) error {
	res, err := s.write.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN ? ELSE revoked_at END
		WHERE id = ?`, micros(at), id)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("토큰")
	}
	return nil
}

func (s *Store) APITokenAccount(ctx context.Context, tokenHash string) (news.Account, error) {
	a, err := scanAccount(s.read.QueryRowContext(ctx, `SELECT `+accountColumns+`
		FROM api_tokens t JOIN accounts a ON a.id = t.account_id
		WHERE t.token_hash = ? AND t.revoked_at = 0 AND a.deleted_at = 0`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return news.Account{}, notFound("토큰")
	}
	if err != nil {
		return news.Account{}, fmt.Errorf("api token account: %w", err)
	}
	return a, nil
}
