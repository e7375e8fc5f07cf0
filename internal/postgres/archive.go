package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// exportChunk is how many articles or photos Export reads at a time, with
// their bylines or variants: a connection runs one query at a time.
const exportChunk = 500

// Export reads the whole site in one REPEATABLE READ READ ONLY transaction,
// so every record comes from one snapshot while the nodes go on writing.
func (s *Store) Export(ctx context.Context, emit func(news.Record) error) error {
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// The pool's statement timeout is for serving; reading a large
		// table may take longer.
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		return export(ctx, tx, emit)
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// each runs query in tx and calls scan for every row.
func each(ctx context.Context, tx pgx.Tx, query string, args []any, scan func(pgx.Rows) error) error {
	rows, err := tx.Query(ctx, query, args...)
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

func export(ctx context.Context, tx pgx.Tx, emit func(news.Record) error) error {
	var data []byte
	switch err := tx.QueryRow(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data); {
	case errors.Is(err, pgx.ErrNoRows):
	case err == nil:
		var site news.Site
		if err := json.Unmarshal(data, &site); err != nil {
			return fmt.Errorf("site: %w", err)
		}
		if err := emit(news.Record{Site: &site}); err != nil {
			return err
		}
	default:
		return fmt.Errorf("site: %w", err)
	}
	err := each(ctx, tx, `SELECT name, created_at FROM markers ORDER BY name`, nil, func(r pgx.Rows) error {
		var m news.ArchiveMarker
		if err := r.Scan(&m.Name, &m.CreatedAt); err != nil {
			return err
		}
		return emit(news.Record{Marker: &m})
	})
	if err != nil {
		return fmt.Errorf("markers: %w", err)
	}
	err = each(ctx, tx, `SELECT id, slug, name, position FROM sections ORDER BY id`, nil, func(r pgx.Rows) error {
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
	err = each(ctx, tx, `SELECT code, name FROM labels ORDER BY position, code`, nil, func(r pgx.Rows) error {
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
	err = each(ctx, tx, `SELECT id, name, role, email, bio FROM reporters ORDER BY id`, nil, func(r pgx.Rows) error {
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
	err = each(ctx, tx, `SELECT `+accountColumns+` FROM accounts ORDER BY id`, nil, func(r pgx.Rows) error {
		a, err := scanAccount(r)
		if err != nil {
			return err
		}
		a.CreatedAt = a.CreatedAt.UTC()
		return emit(news.Record{Account: &a})
	})
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	if err := exportArticles(ctx, tx, labelNames, reporterNames, emit); err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	err = each(ctx, tx, `SELECT id, article_id, version, action, state, public, headline, deck, body,
		correction_note, note, coalesce(account_id, 0), created_at FROM revisions ORDER BY id`, nil, func(r pgx.Rows) error {
		var rev news.Revision
		var deck []byte
		if err := r.Scan(&rev.ID, &rev.ArticleID, &rev.Version, &rev.Action, &rev.State, &rev.Public, &rev.Headline,
			&deck, &rev.Body, &rev.CorrectionNote, &rev.Note, &rev.AccountID, &rev.CreatedAt); err != nil {
			return err
		}
		if err := json.Unmarshal(deck, &rev.Deck); err != nil {
			return fmt.Errorf("revision %d deck: %w", rev.ID, err)
		}
		return emit(news.Record{Revision: &rev})
	})
	if err != nil {
		return fmt.Errorf("revisions: %w", err)
	}
	// Top-level comments first, so that every reply follows its parent.
	err = each(ctx, tx, `SELECT `+commentColumns+commentFrom+` ORDER BY c.parent_id IS NOT NULL, c.id`, nil, func(r pgx.Rows) error {
		c, err := scanComment(r)
		if err != nil {
			return err
		}
		return emit(news.Record{Comment: &c})
	})
	if err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	err = each(ctx, tx, `SELECT comment_id, account_id, kind FROM comment_votes ORDER BY comment_id, account_id, kind`, nil, func(r pgx.Rows) error {
		var v news.ArchiveVote
		if err := r.Scan(&v.CommentID, &v.AccountID, &v.Kind); err != nil {
			return err
		}
		return emit(news.Record{Vote: &v})
	})
	if err != nil {
		return fmt.Errorf("votes: %w", err)
	}
	err = each(ctx, tx, `SELECT article_id, account_id, kind, created_at FROM reactions ORDER BY article_id, account_id`, nil, func(r pgx.Rows) error {
		var re news.ArchiveReaction
		if err := r.Scan(&re.ArticleID, &re.AccountID, &re.Kind, &re.CreatedAt); err != nil {
			return err
		}
		return emit(news.Record{Reaction: &re})
	})
	if err != nil {
		return fmt.Errorf("reactions: %w", err)
	}
	err = each(ctx, tx, `SELECT account_id, article_id, saved_at FROM bookmarks ORDER BY account_id, article_id`, nil, func(r pgx.Rows) error {
		var b news.ArchiveBookmark
		if err := r.Scan(&b.AccountID, &b.ArticleID, &b.SavedAt); err != nil {
			return err
		}
		return emit(news.Record{Bookmark: &b})
	})
	if err != nil {
		return fmt.Errorf("bookmarks: %w", err)
	}
	err = each(ctx, tx, `SELECT account_id, kind, target_id, created_at FROM subscriptions ORDER BY account_id, kind, target_id`, nil, func(r pgx.Rows) error {
		var sub news.Subscription
		if err := r.Scan(&sub.AccountID, &sub.Kind, &sub.TargetID, &sub.CreatedAt); err != nil {
			return err
		}
		return emit(news.Record{Subscription: &sub})
	})
	if err != nil {
		return fmt.Errorf("subscriptions: %w", err)
	}
	err = each(ctx, tx, `SELECT slot, array_agg(article_id ORDER BY position) FROM front_picks GROUP BY slot ORDER BY slot`, nil, func(r pgx.Rows) error {
		var p news.ArchiveFrontPicks
		if err := r.Scan(&p.Slot, &p.ArticleIDs); err != nil {
			return err
		}
		return emit(news.Record{FrontPicks: &p})
	})
	if err != nil {
		return fmt.Errorf("front picks: %w", err)
	}
	err = each(ctx, tx, `SELECT id, account_id, name, token_hash, created_at, revoked_at FROM api_tokens ORDER BY id`, nil, func(r pgx.Rows) error {
		var t news.APIToken
		var revoked *time.Time
		if err := r.Scan(&t.ID, &t.AccountID, &t.Name, &t.TokenHash, &t.CreatedAt, &revoked); err != nil {
			return err
		}
		t.RevokedAt = fromNullTS(revoked)
		return emit(news.Record{APIToken: &t})
	})
	if err != nil {
		return fmt.Errorf("api tokens: %w", err)
	}
	err = each(ctx, tx, `SELECT article_id, hour, views FROM page_views ORDER BY article_id, hour`, nil, func(r pgx.Rows) error {
		var v news.PageViewCount
		if err := r.Scan(&v.ArticleID, &v.Hour, &v.Views); err != nil {
			return err
		}
		return emit(news.Record{PageViews: &v})
	})
	if err != nil {
		return fmt.Errorf("page views: %w", err)
	}
	err = each(ctx, tx, `SELECT path, target FROM redirects ORDER BY path`, nil, func(r pgx.Rows) error {
		var rd news.Redirect
		if err := r.Scan(&rd.Path, &rd.Target); err != nil {
			return err
		}
		return emit(news.Record{Redirect: &rd})
	})
	if err != nil {
		return fmt.Errorf("redirects: %w", err)
	}
	err = each(ctx, tx, `SELECT source, kind, source_id, target_id, checksum FROM import_sources
		ORDER BY source, kind, source_id`, nil, func(r pgx.Rows) error {
		var src news.ImportSource
		if err := r.Scan(&src.Source, &src.Kind, &src.SourceID, &src.TargetID, &src.Checksum); err != nil {
			return err
		}
		return emit(news.Record{ImportSource: &src})
	})
	if err != nil {
		return fmt.Errorf("import sources: %w", err)
	}
	return nil
}

// exportPhotos emits photos with their variants, a chunk at a time.
func exportPhotos(ctx context.Context, tx pgx.Tx, emit func(news.Record) error) error {
	var after int64
	for {
		var chunk []*news.ArchivePhoto
		err := each(ctx, tx, `SELECT id, caption, credit, alt, width, height, content_type, created_at
			FROM photos WHERE id > $1 ORDER BY id LIMIT $2`, []any{after, exportChunk}, func(r pgx.Rows) error {
			var p news.ArchivePhoto
			if err := r.Scan(&p.Photo.ID, &p.Photo.Caption, &p.Photo.Credit, &p.Photo.Alt, &p.Photo.Width,
				&p.Photo.Height, &p.Photo.ContentType, &p.Photo.CreatedAt); err != nil {
				return err
			}
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
			WHERE photo_id > $1 AND photo_id <= $2 ORDER BY photo_id, width`, []any{after, last}, func(r pgx.Rows) error {
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
func exportArticles(ctx context.Context, tx pgx.Tx, labelNames map[string]string, reporterNames map[int64]string, emit func(news.Record) error) error {
	var after int64
	for {
		var chunk []news.Article
		err := each(ctx, tx, `SELECT `+articleColumns+` FROM articles a JOIN sections s ON s.id = a.section_id
			WHERE a.id > $1 ORDER BY a.id LIMIT $2`, []any{after, exportChunk}, func(r pgx.Rows) error {
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
			WHERE article_id > $1 AND article_id <= $2 ORDER BY article_id, position`, []any{after, last}, func(r pgx.Rows) error {
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

// copyBatch is how many rows Import buffers per table before copying them.
const copyBatch = 5000

// copier buffers the rows of one table for COPY.
type copier struct {
	table   string
	columns []string
	rows    [][]any
}

// identityTables are the tables whose ids Import keeps, so their identity
// sequences must continue after the largest imported id.
var identityTables = []string{"sections", "reporters", "photos", "accounts", "articles", "revisions", "comments", "api_tokens"}

// Import loads a site in one transaction with COPY, a few thousand rows a
// round trip. Tables are filled parents first, as the records come.
func (s *Store) Import(ctx context.Context, next func() (news.Record, bool, error), progress func(n int64)) error {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		// No node may add an account or article while the import decides
		// the site is empty and fills it; reads go on.
		if _, err := tx.Exec(ctx, `LOCK TABLE articles, accounts IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var occupied bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM accounts)`).Scan(&occupied); err != nil {
			return err
		}
		if occupied {
			return news.Errorf(news.ECONFLICT, news.ImportOccupiedMessage)
		}
		// What a site without articles and accounts may hold is replaced.
		if _, err := tx.Exec(ctx, `DELETE FROM front_picks; DELETE FROM page_views; DELETE FROM photo_variants;
			DELETE FROM photos; DELETE FROM reporters; DELETE FROM labels; DELETE FROM sections; DELETE FROM site`); err != nil {
			return fmt.Errorf("clear: %w", err)
		}
		imp := newPGImport(ctx, tx)
		for {
			rec, ok, err := next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			if err := imp.load(rec); err != nil {
				return err
			}
			if n++; progress != nil && n%10000 == 0 {
				progress(n)
			}
		}
		if err := imp.flush(); err != nil {
			return err
		}
		if err := finishImport(ctx, tx); err != nil {
			return err
		}
		// Articles under a takedown are not findable.
		_, err := tx.Exec(ctx, `DELETE FROM article_search WHERE article_id IN (SELECT target_id FROM takedowns
			WHERE target_kind = 'article' AND state IN ('active', 'removed'))`)
		return err
	})
	if err != nil {
		if news.ErrorCode(err) != news.EINTERNAL {
			return err
		}
		return fmt.Errorf("import: %w", err)
	}
	if progress != nil {
		progress(n)
	}
	return nil
}

type pgImport struct {
	ctx       context.Context
	tx        pgx.Tx
	kind      string
	last      news.Record // the latest record, for messages
	copiers   map[string]*copier
	order     []*copier
	search    []searchRow
	reporters map[int64]string
	labels    int
	// quarters holds the search index partitions made for the import.
	quarters map[time.Time]bool
}

func newPGImport(ctx context.Context, tx pgx.Tx) *pgImport {
	m := &pgImport{ctx: ctx, tx: tx, copiers: map[string]*copier{}, reporters: map[int64]string{}, quarters: map[time.Time]bool{}}
	for _, c := range []*copier{
		{table: "site", columns: []string{"id", "data"}},
		{table: "sections", columns: []string{"id", "slug", "name", "position"}},
		{table: "labels", columns: []string{"code", "name", "position"}},
		{table: "reporters", columns: []string{"id", "name", "role", "email", "bio"}},
		{table: "photos", columns: []string{"id", "caption", "credit", "alt", "width", "height", "content_type", "created_at"}},
		{table: "photo_variants", columns: []string{"photo_id", "width", "height", "content_type", "data"}},
		{table: "accounts", columns: []string{"id", "email", "display_name", "password_hash", "role", "created_at", "deleted_at"}},
		{table: "articles", columns: []string{"id", "section_id", "labels", "headline", "deck", "body", "blocks", "state",
			"published_at", "updated_at", "print_date", "print_page", "source_slogan", "source_copyright",
			"correction_note", "comments_open", "created_at", "version", "keywords"}},
		{table: "article_keywords", columns: []string{"slug", "article_id"}},
		{table: "bylines", columns: []string{"article_id", "position", "reporter_id", "role", "dateline"}},
		{table: "revisions", columns: []string{"id", "article_id", "version", "action", "state", "public", "headline",
			"deck", "body", "correction_note", "note", "account_id", "created_at"}},
		{table: "comments", columns: []string{"id", "article_id", "parent_id", "author_id", "body", "state", "created_at"}},
		{table: "comment_votes", columns: []string{"comment_id", "account_id", "kind"}},
		{table: "reactions", columns: []string{"article_id", "account_id", "kind", "created_at"}},
		{table: "bookmarks", columns: []string{"account_id", "article_id", "saved_at"}},
		{table: "subscriptions", columns: []string{"account_id", "kind", "target_id", "created_at"}},
		{table: "front_picks", columns: []string{"slot", "position", "article_id"}},
		{table: "api_tokens", columns: []string{"id", "account_id", "name", "token_hash", "created_at", "revoked_at"}},
		{table: "page_views", columns: []string{"article_id", "hour", "views"}},
		{table: "redirects", columns: []string{"path", "target"}},
		{table: "import_sources", columns: []string{"source", "kind", "source_id", "target_id", "checksum"}},
	} {
		m.copiers[c.table] = c
		m.order = append(m.order, c)
	}
	return m
}

// add buffers a row of table; rows of an earlier kind are copied first.
func (m *pgImport) add(table string, row ...any) error {
	c := m.copiers[table]
	c.rows = append(c.rows, row)
	if len(c.rows) >= copyBatch {
		return m.flush()
	}
	return nil
}

// flush copies every buffered row, parents' tables first, and indexes the
// buffered articles.
func (m *pgImport) flush() error {
	for _, c := range m.order {
		if len(c.rows) == 0 {
			continue
		}
		if _, err := m.tx.CopyFrom(m.ctx, pgx.Identifier{c.table}, c.columns, pgx.CopyFromRows(c.rows)); err != nil {
			return m.fail(err)
		}
		c.rows = c.rows[:0]
	}
	if len(m.search) > 0 {
		rows := make([][]any, len(m.search))
		for i, r := range m.search {
			rows[i] = []any{r.articleID, r.sectionID, r.publishedAt, r.head, r.doc}
			if err := m.searchPartition(r.publishedAt); err != nil {
				return m.fail(err)
			}
		}
		// The tsvector texts are converted by the server as COPY reads them.
		if _, err := m.tx.CopyFrom(m.ctx, pgx.Identifier{"article_search"},
			[]string{"article_id", "section_id", "published_at", "head", "doc"}, pgx.CopyFromRows(rows)); err != nil {
			return m.fail(err)
		}
		m.search = m.search[:0]
	}
	return nil
}

// searchPartition makes sure the search index has the partition of the
// quarter at falls in.
func (m *pgImport) searchPartition(at time.Time) error {
	q := quarterOf(at)
	if m.quarters[q] {
		return nil
	}
	if _, err := m.tx.Exec(m.ctx, `SELECT article_search_partition($1)`, q); err != nil {
		return err
	}
	m.quarters[q] = true
	return nil
}

// fail turns a constraint violation into a message about the archive.
func (m *pgImport) fail(err error) error {
	switch pgCode(err) {
	case foreignKeyViolation, uniqueViolation, "23502", "23514":
		var pe *pgconn.PgError
		errors.As(err, &pe)
		detail := pe.Message
		if pe.Detail != "" {
			detail += " (" + pe.Detail + ")"
		}
		return news.Errorf(news.EINVALID, "보관 파일의 기록이 없는 항목을 가리키거나 다른 기록과 겹칩니다 (%s 무렵): %s", m.last.Describe(), detail)
	}
	return fmt.Errorf("import near %s: %w", m.last.Describe(), err)
}

func (m *pgImport) load(rec news.Record) error {
	m.last = rec
	// Rows of one kind may refer to rows of the kinds before it: copy
	// those before a new kind starts.
	kind := rec.Kind()
	if kind != m.kind {
		if err := m.flush(); err != nil {
			return err
		}
		m.kind = kind
	}
	switch {
	case rec.Site != nil:
		data, err := json.Marshal(rec.Site)
		if err != nil {
			return err
		}
		return m.add("site", 1, json.RawMessage(data))
	case rec.Marker != nil:
		_, err := m.tx.Exec(m.ctx, `INSERT INTO markers (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			rec.Marker.Name, rec.Marker.CreatedAt)
		return err
	case rec.Section != nil:
		sec := rec.Section
		return m.add("sections", sec.ID, sec.Slug, sec.Name, int32(sec.Position))
	case rec.Label != nil:
		m.labels++
		return m.add("labels", rec.Label.Code, rec.Label.Name, int32(m.labels))
	case rec.Reporter != nil:
		r := rec.Reporter
		m.reporters[r.ID] = r.Name
		return m.add("reporters", r.ID, r.Name, r.Role, r.Email, r.Bio)
	case rec.Photo != nil:
		p := rec.Photo.Photo
		if err := m.add("photos", p.ID, p.Caption, p.Credit, p.Alt, int32(p.Width), int32(p.Height), p.ContentType, p.CreatedAt); err != nil {
			return err
		}
		for _, v := range rec.Photo.Variants {
			if err := m.add("photo_variants", p.ID, int32(v.Width), int32(v.Height), v.ContentType, v.Data); err != nil {
				return err
			}
		}
		return nil
	case rec.Account != nil:
		a := rec.Account
		return m.add("accounts", a.ID, a.Email, a.DisplayName, a.PasswordHash, a.Role, a.CreatedAt, nullTS(a.DeletedAt))
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
		var account *int64
		if r.AccountID != 0 {
			account = &r.AccountID
		}
		return m.add("revisions", r.ID, r.ArticleID, r.Version, r.Action, r.State, r.Public, r.Headline,
			json.RawMessage(d), r.Body, r.CorrectionNote, r.Note, account, r.CreatedAt)
	case rec.Comment != nil:
		c := rec.Comment
		if !isCommentState(c.State) {
			return news.Errorf(news.EINVALID, "보관 파일의 %s: 알 수 없는 댓글 상태입니다: %s", rec.Describe(), c.State)
		}
		var parent *int64
		if c.ParentID != 0 {
			parent = &c.ParentID
		}
		return m.add("comments", c.ID, c.ArticleID, parent, c.AuthorID, c.Body, c.State, c.CreatedAt)
	case rec.Vote != nil:
		return m.add("comment_votes", rec.Vote.CommentID, rec.Vote.AccountID, rec.Vote.Kind)
	case rec.Reaction != nil:
		r := rec.Reaction
		return m.add("reactions", r.ArticleID, r.AccountID, r.Kind, r.CreatedAt)
	case rec.Bookmark != nil:
		b := rec.Bookmark
		return m.add("bookmarks", b.AccountID, b.ArticleID, b.SavedAt)
	case rec.Subscription != nil:
		sub := rec.Subscription
		return m.add("subscriptions", sub.AccountID, sub.Kind, sub.TargetID, sub.CreatedAt)
	case rec.FrontPicks != nil:
		for i, id := range rec.FrontPicks.ArticleIDs {
			if err := m.add("front_picks", rec.FrontPicks.Slot, int32(i), id); err != nil {
				return err
			}
		}
		return nil
	case rec.APIToken != nil:
		t := rec.APIToken
		return m.add("api_tokens", t.ID, t.AccountID, t.Name, t.TokenHash, t.CreatedAt, nullTS(t.RevokedAt))
	case rec.PageViews != nil:
		v := rec.PageViews
		return m.add("page_views", v.ArticleID, v.Hour, v.Views)
	case rec.Redirect != nil:
		return m.add("redirects", rec.Redirect.Path, rec.Redirect.Target)
	case rec.ImportSource != nil:
		src := rec.ImportSource
		return m.add("import_sources", src.Source, src.Kind, src.SourceID, src.TargetID, src.Checksum)
	}
	return news.Errorf(news.EINVALID, "보관 파일에 빈 기록이 있습니다.")
}

func (m *pgImport) article(a *news.Article) error {
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
	if err := m.add("articles", a.ID, a.Section.ID, json.RawMessage(labels), a.Headline, json.RawMessage(deck),
		news.StoredBody(a), json.RawMessage(blocks), a.State, ts(a.PublishedAt), nullTS(a.UpdatedAt), print.Date, int32(print.Page),
		source.Slogan, source.Copyright, a.CorrectionNote, a.CommentsOpen, a.CreatedAt, a.Version,
		json.RawMessage(keywords)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, k := range a.Keywords {
		if slug := news.KeywordSlug(k); slug != "" && !seen[slug] {
			seen[slug] = true
			if err := m.add("article_keywords", slug, a.ID); err != nil {
				return err
			}
		}
	}
	// The index is built from the record, with the bylines' names as the
	// imported reporters have them, rather than read back row by row.
	indexed := *a
	indexed.Bylines = make([]news.Byline, len(a.Bylines))
	for i, b := range a.Bylines {
		if err := m.add("bylines", a.ID, int32(i), b.ReporterID, b.Role, b.Dateline); err != nil {
			return err
		}
		indexed.Bylines[i] = news.Byline{Name: m.reporters[b.ReporterID]}
	}
	if !news.SkipsSearchIndex(m.ctx) && a.State == news.StatePublished {
		m.search = append(m.search, newSearchRow(&indexed))
	}
	return nil
}

// finishImport checks what foreign keys cannot, computes the counters from
// the rows and moves the identity sequences past the imported ids.
func finishImport(ctx context.Context, tx pgx.Tx) error {
	var bad int64
	err := tx.QueryRow(ctx, `SELECT c.id FROM comments c JOIN comments p ON p.id = c.parent_id
		WHERE p.article_id <> c.article_id LIMIT 1`).Scan(&bad)
	if err == nil {
		return news.Errorf(news.EINVALID, "보관 파일의 댓글(%d)이 다른 기사의 댓글에 단 답글입니다.", bad)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	err = tx.QueryRow(ctx, `SELECT target_id FROM subscriptions s
		WHERE (kind = 'reporter' AND NOT EXISTS (SELECT 1 FROM reporters r WHERE r.id = s.target_id))
		   OR (kind = 'section' AND NOT EXISTS (SELECT 1 FROM sections c WHERE c.id = s.target_id)) LIMIT 1`).Scan(&bad)
	if err == nil {
		return news.Errorf(news.EINVALID, "보관 파일의 구독이 없는 기자나 섹션(%d)을 가리킵니다.", bad)
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	for _, q := range []string{
		`UPDATE articles a SET comment_count = x.n FROM (SELECT article_id, count(*) AS n FROM comments
			WHERE state = 'visible' GROUP BY article_id) x WHERE a.id = x.article_id`,
		`UPDATE comments c SET reply_count = x.n FROM (SELECT parent_id, count(*) AS n FROM comments
			WHERE parent_id IS NOT NULL AND state = 'visible' GROUP BY parent_id) x WHERE c.id = x.parent_id`,
		`UPDATE comments c SET likes = x.likes, dislikes = x.dislikes FROM (SELECT comment_id,
			count(*) FILTER (WHERE kind = 'like') AS likes, count(*) FILTER (WHERE kind = 'dislike') AS dislikes
			FROM comment_votes GROUP BY comment_id) x WHERE c.id = x.comment_id`,
		`INSERT INTO reaction_counts (article_id, kind, count) SELECT article_id, kind, count(*) FROM reactions GROUP BY article_id, kind`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("counters: %w", err)
		}
	}
	for _, t := range identityTables {
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
			coalesce((SELECT max(id) FROM `+t+`), 0) + 1, false)`); err != nil {
			return fmt.Errorf("identity of %s: %w", t, err)
		}
	}
	return nil
}
