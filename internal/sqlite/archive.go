package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"jikji/internal/news"
	"jikji/internal/search"
)

// exportChunk is how many articles or photos Export reads at a time, with
// their bylines or variants.
const exportChunk = 500

// Export reads the whole site in one read transaction: in WAL mode it sees
// one snapshot while the server goes on writing.
func (s *Store) Export(ctx context.Context, emit func(news.Record) error) error {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	if err := export(ctx, tx, emit); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// each runs query in tx and calls scan for every row.
func each(ctx context.Context, tx *sql.Tx, query string, args []any, scan func(rowScanner) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func export(ctx context.Context, tx *sql.Tx, emit func(news.Record) error) error {
	var data string
	switch err := tx.QueryRowContext(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data); err {
	case sql.ErrNoRows:
	case nil:
		var site news.Site
		if err := json.Unmarshal([]byte(data), &site); err != nil {
			return fmt.Errorf("site: %w", err)
		}
		if err := emit(news.Record{Site: &site}); err != nil {
			return err
		}
	default:
		return fmt.Errorf("site: %w", err)
	}
	err := each(ctx, tx, `SELECT name, created_at FROM markers ORDER BY name`, nil, func(r rowScanner) error {
		var m news.ArchiveMarker
		var created int64
		if err := r.Scan(&m.Name, &created); err != nil {
			return err
		}
		m.CreatedAt = fromMicros(created)
		return emit(news.Record{Marker: &m})
	})
	if err != nil {
		return fmt.Errorf("markers: %w", err)
	}
	err = each(ctx, tx, `SELECT id, slug, name, position FROM sections ORDER BY id`, nil, func(r rowScanner) error {
		var sec news.Section
		if err := r.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Position); err != nil {
			return err
		}
		return emit(news.Record{Section: &sec})
	})
	if err != nil {
		return fmt.Errorf("sections: %w", err)
	}
	labelNames := map[string]string{}
	err = each(ctx, tx, `SELECT code, name FROM labels ORDER BY position, code`, nil, func(r rowScanner) error {
		var l news.Label
		if err := r.Scan(&l.Code, &l.Name); err != nil {
			return err
		}
		labelNames[l.Code] = l.Name
		return emit(news.Record{Label: &l})
	})
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	reporterNames := map[int64]string{}
	err = each(ctx, tx, `SELECT id, name, role, email, bio FROM reporters ORDER BY id`, nil, func(r rowScanner) error {
		var rep news.Reporter
		if err := r.Scan(&rep.ID, &rep.Name, &rep.Role, &rep.Email, &rep.Bio); err != nil {
			return err
		}
		reporterNames[rep.ID] = rep.Name
		return emit(news.Record{Reporter: &rep})
	})
	if err != nil {
		return fmt.Errorf("reporters: %w", err)
	}
	if err := exportPhotos(ctx, tx, emit); err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	err = each(ctx, tx, `SELECT `+accountColumns+` FROM accounts a ORDER BY a.id`, nil, func(r rowScanner) error {
		a, err := scanAccount(r)
		if err != nil {
			return err
		}
		return emit(news.Record{Account: &a})
	})
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	if err := exportArticles(ctx, tx, labelNames, reporterNames, emit); err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	err = each(ctx, tx, `SELECT id, article_id, version, action, state, public, headline, deck, body,
		correction_note, note, coalesce(account_id, 0), created_at FROM revisions ORDER BY id`, nil, func(r rowScanner) error {
		var rev news.Revision
		var deck string
		var created int64
		if err := r.Scan(&rev.ID, &rev.ArticleID, &rev.Version, &rev.Action, &rev.State, &rev.Public, &rev.Headline,
			&deck, &rev.Body, &rev.CorrectionNote, &rev.Note, &rev.AccountID, &created); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(deck), &rev.Deck); err != nil {
			return fmt.Errorf("revision %d deck: %w", rev.ID, err)
		}
		rev.CreatedAt = fromMicros(created)
		return emit(news.Record{Revision: &rev})
	})
	if err != nil {
		return fmt.Errorf("revisions: %w", err)
	}
	// Top-level comments first, so that every reply follows its parent.
	err = each(ctx, tx, `SELECT `+commentColumns+commentFrom+` ORDER BY c.parent_id <> 0, c.id`, nil, func(r rowScanner) error {
		c, err := scanComment(r)
		if err != nil {
			return err
		}
		return emit(news.Record{Comment: &c})
	})
	if err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	err = each(ctx, tx, `SELECT comment_id, account_id, kind FROM comment_votes ORDER BY comment_id, account_id, kind`, nil, func(r rowScanner) error {
		var v news.ArchiveVote
		if err := r.Scan(&v.CommentID, &v.AccountID, &v.Kind); err != nil {
			return err
		}
		return emit(news.Record{Vote: &v})
	})
	if err != nil {
		return fmt.Errorf("votes: %w", err)
	}
	err = each(ctx, tx, `SELECT article_id, account_id, kind, created_at FROM reactions ORDER BY article_id, account_id`, nil, func(r rowScanner) error {
		var re news.ArchiveReaction
		var created int64
		if err := r.Scan(&re.ArticleID, &re.AccountID, &re.Kind, &created); err != nil {
			return err
		}
		re.CreatedAt = fromMicros(created)
		return emit(news.Record{Reaction: &re})
	})
	if err != nil {
		return fmt.Errorf("reactions: %w", err)
	}
	err = each(ctx, tx, `SELECT account_id, article_id, created_at FROM bookmarks ORDER BY account_id, article_id`, nil, func(r rowScanner) error {
		var b news.ArchiveBookmark
		var saved int64
		if err := r.Scan(&b.AccountID, &b.ArticleID, &saved); err != nil {
			return err
		}
		b.SavedAt = fromMicros(saved)
		return emit(news.Record{Bookmark: &b})
	})
	if err != nil {
		return fmt.Errorf("bookmarks: %w", err)
	}
	err = each(ctx, tx, `SELECT account_id, kind, target_id, created_at FROM subscriptions ORDER BY account_id, kind, target_id`, nil, func(r rowScanner) error {
		var sub news.Subscription
		var created int64
		if err := r.Scan(&sub.AccountID, &sub.Kind, &sub.TargetID, &created); err != nil {
			return err
		}
		sub.CreatedAt = fromMicros(created)
		return emit(news.Record{Subscription: &sub})
	})
	if err != nil {
		return fmt.Errorf("subscriptions: %w", err)
	}
	var picks *news.ArchiveFrontPicks
	err = each(ctx, tx, `SELECT slot, article_id FROM front_picks ORDER BY slot, position`, nil, func(r rowScanner) error {
		var slot, id int64
		if err := r.Scan(&slot, &id); err != nil {
			return err
		}
		if picks != nil && picks.Slot != slot {
			if err := emit(news.Record{FrontPicks: picks}); err != nil {
				return err
			}
			picks = nil
		}
		if picks == nil {
			picks = &news.ArchiveFrontPicks{Slot: slot}
		}
		picks.ArticleIDs = append(picks.ArticleIDs, id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("front picks: %w", err)
	}
	if picks != nil {
		if err := emit(news.Record{FrontPicks: picks}); err != nil {
			return err
		}
	}
	err = each(ctx, tx, `SELECT id, account_id, name, token_hash, created_at, revoked_at FROM api_tokens ORDER BY id`, nil, func(r rowScanner) error {
		var t news.APIToken
		var created, revoked int64
		if err := r.Scan(&t.ID, &t.AccountID, &t.Name, &t.TokenHash, &created, &revoked); err != nil {
			return err
		}
		t.CreatedAt, t.RevokedAt = fromMicros(created), fromMicros(revoked)
		return emit(news.Record{APIToken: &t})
	})
	if err != nil {
		return fmt.Errorf("api tokens: %w", err)
	}
	err = each(ctx, tx, `SELECT article_id, hour, views FROM page_views ORDER BY article_id, hour`, nil, func(r rowScanner) error {
		var v news.PageViewCount
		var hour int64
		if err := r.Scan(&v.ArticleID, &hour, &v.Views); err != nil {
			return err
		}
		v.Hour = fromMicros(hour)
		return emit(news.Record{PageViews: &v})
	})
	if err != nil {
		return fmt.Errorf("page views: %w", err)
	}
	return nil
}

// exportPhotos emits photos with their variants, a chunk at a time.
func exportPhotos(ctx context.Context, tx *sql.Tx, emit func(news.Record) error) error {
	var after int64
	for {
		var chunk []*news.ArchivePhoto
		err := each(ctx, tx, `SELECT id, caption, credit, alt, width, height, content_type, created_at
			FROM photos WHERE id > ? ORDER BY id LIMIT ?`, []any{after, exportChunk}, func(r rowScanner) error {
			var p news.ArchivePhoto
			var created int64
			if err := r.Scan(&p.Photo.ID, &p.Photo.Caption, &p.Photo.Credit, &p.Photo.Alt, &p.Photo.Width,
				&p.Photo.Height, &p.Photo.ContentType, &created); err != nil {
				return err
			}
			p.Photo.CreatedAt = fromMicros(created)
			chunk = append(chunk, &p)
			return nil
		})
		if err != nil || len(chunk) == 0 {
			return err
		}
		last := chunk[len(chunk)-1].Photo.ID
		index := make(map[int64]*news.ArchivePhoto, len(chunk))
		for _, p := range chunk {
			index[p.Photo.ID] = p
		}
		err = each(ctx, tx, `SELECT photo_id, width, height, content_type, data FROM photo_variants
			WHERE photo_id > ? AND photo_id <= ? ORDER BY photo_id, width`, []any{after, last}, func(r rowScanner) error {
			var v news.PhotoVariant
			if err := r.Scan(&v.PhotoID, &v.Width, &v.Height, &v.ContentType, &v.Data); err != nil {
				return err
			}
			p := index[v.PhotoID]
			p.Variants = append(p.Variants, v)
			return nil
		})
		if err != nil {
			return err
		}
		for _, p := range chunk {
			if err := emit(news.Record{Photo: p}); err != nil {
				return err
			}
		}
		after = last
	}
}

// exportArticles emits articles with their bylines and label names, a
// chunk at a time.
func exportArticles(ctx context.Context, tx *sql.Tx, labelNames map[string]string, reporterNames map[int64]string, emit func(news.Record) error) error {
	var after int64
	for {
		var chunk []news.Article
		err := each(ctx, tx, `SELECT `+articleColumns+` FROM articles a JOIN sections s ON s.id = a.section_id
			WHERE a.id > ? ORDER BY a.id LIMIT ?`, []any{after, exportChunk}, func(r rowScanner) error {
			a, err := scanArticle(r)
			if err != nil {
				return err
			}
			for i, l := range a.Labels {
				a.Labels[i].Name = labelNames[l.Code]
			}
			chunk = append(chunk, a)
			return nil
		})
		if err != nil || len(chunk) == 0 {
			return err
		}
		last := chunk[len(chunk)-1].ID
		index := make(map[int64]int, len(chunk))
		for i, a := range chunk {
			index[a.ID] = i
		}
		err = each(ctx, tx, `SELECT article_id, reporter_id, role, dateline FROM bylines
			WHERE article_id > ? AND article_id <= ? ORDER BY article_id, position`, []any{after, last}, func(r rowScanner) error {
			var id int64
			var b news.Byline
			if err := r.Scan(&id, &b.ReporterID, &b.Role, &b.Dateline); err != nil {
				return err
			}
			b.Name = reporterNames[b.ReporterID]
			a := &chunk[index[id]]
			a.Bylines = append(a.Bylines, b)
			return nil
		})
		if err != nil {
			return err
		}
		for i := range chunk {
			if err := emit(news.Record{Article: &chunk[i]}); err != nil {
				return err
			}
		}
		after = last
	}
}

// importStatements are the inserts Import prepares once.
var importStatements = map[string]string{
	"site":         `INSERT INTO site (id, data) VALUES (1, ?)`,
	"marker":       `INSERT INTO markers (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
	"section":      `INSERT INTO sections (id, slug, name, position) VALUES (?, ?, ?, ?)`,
	"label":        `INSERT INTO labels (code, name, position) VALUES (?, ?, ?)`,
	"reporter":     `INSERT INTO reporters (id, name, role, email, bio) VALUES (?, ?, ?, ?, ?)`,
	"photo":        `INSERT INTO photos (id, caption, credit, alt, width, height, content_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"variant":      `INSERT INTO photo_variants (photo_id, width, height, content_type, data) VALUES (?, ?, ?, ?, ?)`,
	"account":      `INSERT INTO accounts (id, email, display_name, password_hash, role, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"article":      `INSERT INTO articles (id, section_id, labels, headline, deck, body, blocks, state, published_at, updated_at, print_date, print_page, source_slogan, source_copyright, correction_note, comments_open, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"byline":       `INSERT INTO bylines (article_id, position, reporter_id, role, dateline) VALUES (?, ?, ?, ?, ?)`,
	"search":       `INSERT INTO article_search (rowid, headline, body, filter) VALUES (?, ?, ?, ?)`,
	"search_doc":   `INSERT INTO search_docs (article_id, docid) VALUES (?, ?)`,
	"docid_taken":  `SELECT EXISTS (SELECT 1 FROM search_docs WHERE docid = ?)`,
	"revision":     `INSERT INTO revisions (id, article_id, version, action, state, public, headline, deck, body, correction_note, note, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"comment":      `INSERT INTO comments (id, article_id, parent_id, author_id, body, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	"vote":         `INSERT INTO comment_votes (comment_id, account_id, kind) VALUES (?, ?, ?)`,
	"reaction":     `INSERT INTO reactions (article_id, account_id, kind, created_at) VALUES (?, ?, ?, ?)`,
	"bookmark":     `INSERT INTO bookmarks (account_id, article_id, created_at) VALUES (?, ?, ?)`,
	"subscription": `INSERT INTO subscriptions (account_id, kind, target_id, created_at) VALUES (?, ?, ?, ?)`,
	"front_pick":   `INSERT INTO front_picks (slot, position, article_id) VALUES (?, ?, ?)`,
	"api_token":    `INSERT INTO api_tokens (id, account_id, name, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)`,
	"page_views":   `INSERT INTO page_views (article_id, hour, views) VALUES (?, ?, ?)`,
}

// Import loads a site in one transaction taken directly on the write
// connection: a long import must not hold up the group committer's small
// writes in one shared batch, and the connection being single, they wait
// for it anyway.
func (s *Store) Import(ctx context.Context, next func() (news.Record, bool, error), progress func(n int64)) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	var occupied bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM accounts)`).Scan(&occupied); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if occupied {
		return news.Errorf(news.ECONFLICT, news.ImportOccupiedMessage)
	}
	// What a site without articles and accounts may hold is replaced.
	for _, table := range []string{"front_picks", "page_views", "photo_variants", "photos", "reporters", "labels", "sections", "site"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
			return fmt.Errorf("import: clear %s: %w", table, err)
		}
	}
	stmts := map[string]*sql.Stmt{}
	for name, query := range importStatements {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return fmt.Errorf("import: prepare %s: %w", name, err)
		}
		defer st.Close()
		stmts[name] = st
	}
	imp := &sqliteImport{ctx: ctx, st: stmts, reporters: map[int64]string{}}
	var n int64
	for {
		rec, ok, err := next()
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		if !ok {
			break
		}
		if err := imp.load(rec); err != nil {
			return importError(rec, err)
		}
		if n++; progress != nil && n%10000 == 0 {
			progress(n)
		}
	}
	if err := finishImport(ctx, tx); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := unindexTakenDown(ctx, tx); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("import: commit: %w", err)
	}
	if progress != nil {
		progress(n)
	}
	return nil
}

// importError names the record that failed; a record that refers to a
// missing parent is the archive's fault, not the database's.
func importError(rec news.Record, err error) error {
	if isForeignKey(err) || isConstraint(err) {
		return news.Errorf(news.EINVALID, "보관 파일의 기록(%s)이 없는 항목을 가리키거나 다른 기록과 겹칩니다.", rec.Describe())
	}
	return fmt.Errorf("import %s: %w", rec.Describe(), err)
}

type sqliteImport struct {
	ctx       context.Context
	st        map[string]*sql.Stmt
	reporters map[int64]string
	labels    int
}

func (m *sqliteImport) exec(name string, args ...any) error {
	_, err := m.st[name].ExecContext(m.ctx, args...)
	return err
}

func (m *sqliteImport) load(rec news.Record) error {
	switch {
	case rec.Site != nil:
		data, err := json.Marshal(rec.Site)
		if err != nil {
			return err
		}
		return m.exec("site", string(data))
	case rec.Marker != nil:
		return m.exec("marker", rec.Marker.Name, micros(rec.Marker.CreatedAt))
	case rec.Section != nil:
		sec := rec.Section
		return m.exec("section", sec.ID, sec.Slug, sec.Name, sec.Position)
	case rec.Label != nil:
		m.labels++
		return m.exec("label", rec.Label.Code, rec.Label.Name, m.labels)
	case rec.Reporter != nil:
		r := rec.Reporter
		m.reporters[r.ID] = r.Name
		return m.exec("reporter", r.ID, r.Name, r.Role, r.Email, r.Bio)
	case rec.Photo != nil:
		p := rec.Photo.Photo
		if err := m.exec("photo", p.ID, p.Caption, p.Credit, p.Alt, p.Width, p.Height, p.ContentType, micros(p.CreatedAt)); err != nil {
			return err
		}
		for _, v := range rec.Photo.Variants {
			if err := m.exec("variant", p.ID, v.Width, v.Height, v.ContentType, v.Data); err != nil {
				return err
			}
		}
		return nil
	case rec.Account != nil:
		a := rec.Account
		return m.exec("account", a.ID, a.Email, a.DisplayName, a.PasswordHash, a.Role, micros(a.CreatedAt), micros(a.DeletedAt))
	case rec.Article != nil:
		return m.article(rec.Article)
	case rec.Revision != nil:
		r := rec.Revision
		deck := r.Deck
		if deck == nil {
			deck = []string{}
		}
		d, err := json.Marshal(deck)
		if err != nil {
			return err
		}
		var account any
		if r.AccountID != 0 {
			account = r.AccountID
		}
		return m.exec("revision", r.ID, r.ArticleID, r.Version, r.Action, r.State, r.Public, r.Headline, string(d),
			r.Body, r.CorrectionNote, r.Note, account, micros(r.CreatedAt))
	case rec.Comment != nil:
		c := rec.Comment
		if !isCommentState(c.State) {
			return news.Errorf(news.EINVALID, "알 수 없는 댓글 상태입니다: %s", c.State)
		}
		return m.exec("comment", c.ID, c.ArticleID, c.ParentID, c.AuthorID, c.Body, c.State, micros(c.CreatedAt))
	case rec.Vote != nil:
		return m.exec("vote", rec.Vote.CommentID, rec.Vote.AccountID, rec.Vote.Kind)
	case rec.Reaction != nil:
		r := rec.Reaction
		return m.exec("reaction", r.ArticleID, r.AccountID, r.Kind, micros(r.CreatedAt))
	case rec.Bookmark != nil:
		b := rec.Bookmark
		return m.exec("bookmark", b.AccountID, b.ArticleID, micros(b.SavedAt))
	case rec.Subscription != nil:
		sub := rec.Subscription
		return m.exec("subscription", sub.AccountID, sub.Kind, sub.TargetID, micros(sub.CreatedAt))
	case rec.FrontPicks != nil:
		for i, id := range rec.FrontPicks.ArticleIDs {
			if err := m.exec("front_pick", rec.FrontPicks.Slot, i, id); err != nil {
				return err
			}
		}
		return nil
	case rec.APIToken != nil:
		t := rec.APIToken
		return m.exec("api_token", t.ID, t.AccountID, t.Name, t.TokenHash, micros(t.CreatedAt), micros(t.RevokedAt))
	case rec.PageViews != nil:
		v := rec.PageViews
		return m.exec("page_views", v.ArticleID, micros(v.Hour), v.Views)
	}
	return news.Errorf(news.EINVALID, "빈 기록입니다.")
}

func (m *sqliteImport) article(a *news.Article) error {
	labels, deck, blocks, err := articleFields(a)
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
	if err := m.exec("article", a.ID, a.Section.ID, labels, a.Headline, deck, a.Body, blocks, a.State,
		micros(a.PublishedAt), micros(a.UpdatedAt), print.Date, print.Page, source.Slogan, source.Copyright,
		a.CorrectionNote, a.CommentsOpen, micros(a.CreatedAt), a.Version); err != nil {
		return err
	}
	// The index is built from the record, with the bylines' names as the
	// imported reporters have them, rather than read back row by row.
	indexed := *a
	indexed.Bylines = make([]news.Byline, len(a.Bylines))
	for i, b := range a.Bylines {
		if err := m.exec("byline", a.ID, i, b.ReporterID, b.Role, b.Dateline); err != nil {
			return err
		}
		indexed.Bylines[i] = news.Byline{Name: m.reporters[b.ReporterID]}
	}
	if news.SkipsSearchIndex(m.ctx) || a.State != news.StatePublished {
		return nil
	}
	// As indexArticle, with the statements prepared once; finishImport
	// drops the articles that turn out to be taken down.
	docid := docidFloor(a.PublishedAt)
	for {
		var taken bool
		if err := m.st["docid_taken"].QueryRowContext(m.ctx, docid).Scan(&taken); err != nil {
			return err
		}
		if !taken {
			break
		}
		docid++
	}
	if err := m.exec("search_doc", a.ID, docid); err != nil {
		return err
	}
	return m.exec("search", docid, search.IndexText(indexed.Headline), search.IndexText(indexed.SearchBody()), sectionToken(a.Section.ID))
}

// unindexTakenDown removes the articles under a takedown from the index.
func unindexTakenDown(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT target_id FROM takedowns
		WHERE target_kind = 'article' AND state IN ('active', 'removed')`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := unindexArticle(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// finishImport checks what foreign keys cannot and computes the counters
// from the rows.
func finishImport(ctx context.Context, tx *sql.Tx) error {
	var bad int64
	err := tx.QueryRowContext(ctx, `SELECT c.id FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
		WHERE c.parent_id <> 0 AND (p.id IS NULL OR p.article_id <> c.article_id) LIMIT 1`).Scan(&bad)
	if err == nil {
		return news.Errorf(news.EINVALID, "보관 파일의 댓글(%d)이 없는 댓글에 단 답글입니다.", bad)
	}
	if err != sql.ErrNoRows {
		return err
	}
	err = tx.QueryRowContext(ctx, `SELECT target_id FROM subscriptions s
		WHERE (kind = 'reporter' AND NOT EXISTS (SELECT 1 FROM reporters r WHERE r.id = s.target_id))
		   OR (kind = 'section' AND NOT EXISTS (SELECT 1 FROM sections c WHERE c.id = s.target_id)) LIMIT 1`).Scan(&bad)
	if err == nil {
		return news.Errorf(news.EINVALID, "보관 파일의 구독이 없는 기자나 섹션(%d)을 가리킵니다.", bad)
	}
	if err != sql.ErrNoRows {
		return err
	}
	for _, q := range []string{
		`UPDATE articles SET comment_count = x.n FROM (SELECT article_id, count(*) AS n FROM comments
			WHERE state = 'visible' GROUP BY article_id) x WHERE articles.id = x.article_id`,
		`UPDATE comments SET reply_count = x.n FROM (SELECT parent_id, count(*) AS n FROM comments
			WHERE parent_id <> 0 AND state = 'visible' GROUP BY parent_id) x WHERE comments.id = x.parent_id`,
		`UPDATE comments SET likes = x.likes, dislikes = x.dislikes FROM (SELECT comment_id,
			sum(kind = 'like') AS likes, sum(kind = 'dislike') AS dislikes FROM comment_votes GROUP BY comment_id) x
			WHERE comments.id = x.comment_id`,
		`INSERT INTO reaction_counts (article_id, kind, count) SELECT article_id, kind, count(*) FROM reactions GROUP BY article_id, kind`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("counters: %w", err)
		}
	}
	return nil
}
