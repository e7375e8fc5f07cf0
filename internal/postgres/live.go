package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

// liveLock is the pg_advisory_xact_lock key that makes writers of live
// events take their ids one transaction at a time ("live" in ASCII): an
// identity is drawn at insert, not at commit, and a reader that saw id n
// must never later find a new event below n.
const liveLock int64 = 0x6c697665

// liveChannel is the LISTEN/NOTIFY channel that wakes nodes on new events.
const liveChannel = "jikji_live"

func (s *Store) AppendLiveEvents(ctx context.Context, events []news.LiveEvent) error {
	if len(events) == 0 {
		return nil
	}
	articles := make([]int64, len(events))
	kinds := make([]string, len(events))
	data := make([]string, len(events))
	created := make([]time.Time, len(events))
	for i, ev := range events {
		articles[i], kinds[i], data[i], created[i] = ev.ArticleID, ev.Kind, string(ev.Data), ev.CreatedAt
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, liveLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO live_events (article_id, kind, data, created_at)
			SELECT a, k, d, c FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS e(a, k, d, c, n) ORDER BY n`,
			articles, kinds, data, created); err != nil {
			return err
		}
		// Delivered at commit, to every node listening.
		_, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, liveChannel)
		return err
	})
	if err != nil {
		return fmt.Errorf("append live events: %w", err)
	}
	return nil
}

// ListenLiveEvents holds one connection of the pool listening for commits
// of new events.
func (s *Store) ListenLiveEvents(ctx context.Context, wake func()) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection is left in LISTEN state: take it out of the pool and
	// close it when done.
	c := conn.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, `LISTEN `+liveChannel); err != nil {
		return err
	}
	for {
		if _, err := c.WaitForNotification(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("listen for live events: %w", err)
		}
		wake()
	}
}

func scanLiveEvents(rows pgx.Rows) ([]news.LiveEvent, error) {
	defer rows.Close()
	var out []news.LiveEvent
	for rows.Next() {
		var ev news.LiveEvent
		var data string
		if err := rows.Scan(&ev.ID, &ev.ArticleID, &ev.Kind, &data, &ev.CreatedAt); err != nil {
			return nil, err
		}
		ev.Data = []byte(data)
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (s *Store) LiveEventsSince(ctx context.Context, after int64, limit int) ([]news.LiveEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, article_id, kind, data, created_at FROM live_events WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("live events since %d: %w", after, err)
	}
	return scanLiveEvents(rows)
}

func (s *Store) ArticleLiveEvents(ctx context.Context, articleID, after, upTo int64, limit int) ([]news.LiveEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, article_id, kind, data, created_at FROM live_events
		WHERE article_id IN ($1, 0) AND id > $2 AND id <= $3 ORDER BY id LIMIT $4`, articleID, after, upTo, limit)
	if err != nil {
		return nil, fmt.Errorf("live events of %d: %w", articleID, err)
	}
	return scanLiveEvents(rows)
}

func (s *Store) LastLiveEventID(ctx context.Context) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM live_events`).Scan(&id)
	return id, err
}

func (s *Store) PruneLiveEvents(ctx context.Context, before time.Time) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM live_events WHERE created_at < $1`, before)
	return err
}

func (s *Store) Coverage(ctx context.Context, articleID int64) (news.Coverage, error) {
	c := news.Coverage{ArticleID: articleID}
	var ended *time.Time
	err := s.pool.QueryRow(ctx, `SELECT live, started_at, ended_at FROM live_coverage WHERE article_id = $1`, articleID).
		Scan(&c.Live, &c.StartedAt, &ended)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Coverage{}, notFound("라이브")
	}
	if err != nil {
		return news.Coverage{}, fmt.Errorf("coverage of %d: %w", articleID, err)
	}
	if ended != nil {
		c.EndedAt = *ended
	}
	return c, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Store) SetCoverage(ctx context.Context, c news.Coverage) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO live_coverage (article_id, live, started_at, ended_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (article_id) DO UPDATE SET live = excluded.live, started_at = excluded.started_at, ended_at = excluded.ended_at`,
		c.ArticleID, c.Live, c.StartedAt, nullTime(c.EndedAt))
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "기사를 찾을 수 없습니다.")
	}
	return err
}

const liveUpdateColumns = `id, article_id, author_id, author_name, body, quote, quote_source, photo_id, pinned, previous_body, created_at, corrected_at`

func scanLiveUpdate(row pgx.Row) (news.LiveUpdate, error) {
	var u news.LiveUpdate
	var corrected *time.Time
	err := row.Scan(&u.ID, &u.ArticleID, &u.AuthorID, &u.AuthorName, &u.Body, &u.Quote, &u.QuoteSource, &u.PhotoID, &u.Pinned, &u.PreviousBody, &u.CreatedAt, &corrected)
	if corrected != nil {
		u.CorrectedAt = *corrected
	}
	return u, err
}

func (s *Store) CreateLiveUpdate(ctx context.Context, u *news.LiveUpdate) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO live_updates (article_id, author_id, author_name, body, quote, quote_source, photo_id, pinned, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		u.ArticleID, u.AuthorID, u.AuthorName, u.Body, u.Quote, u.QuoteSource, u.PhotoID, u.Pinned, u.CreatedAt).Scan(&u.ID)
	if isForeignKey(err) {
		return news.Errorf(news.EINVALID, "기사를 찾을 수 없습니다.")
	}
	return err
}

func (s *Store) LiveUpdate(ctx context.Context, id int64) (news.LiveUpdate, error) {
	u, err := scanLiveUpdate(s.pool.QueryRow(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return news.LiveUpdate{}, notFound("업데이트")
	}
	return u, err
}

func (s *Store) SaveLiveUpdate(ctx context.Context, u news.LiveUpdate) error {
	tag, err := s.pool.Exec(ctx, `UPDATE live_updates SET body = $1, quote = $2, quote_source = $3, photo_id = $4, pinned = $5, previous_body = $6, corrected_at = $7 WHERE id = $8`,
		u.Body, u.Quote, u.QuoteSource, u.PhotoID, u.Pinned, u.PreviousBody, nullTime(u.CorrectedAt), u.ID)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("업데이트")
	}
	return nil
}

func (s *Store) DeleteLiveUpdate(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM live_updates WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("업데이트")
	}
	return nil
}

func (s *Store) liveUpdates(ctx context.Context, query string, args ...any) ([]news.LiveUpdate, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.LiveUpdate
	for rows.Next() {
		u, err := scanLiveUpdate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *Store) LiveUpdates(ctx context.Context, articleID, before int64, limit int) ([]news.LiveUpdate, error) {
	if before <= 0 {
		before = 1 << 62
	}
	return s.liveUpdates(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE article_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, articleID, before, limit)
}

func (s *Store) PinnedLiveUpdates(ctx context.Context, articleID int64) ([]news.LiveUpdate, error) {
	return s.liveUpdates(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE article_id = $1 AND pinned ORDER BY id DESC`, articleID)
}

func (s *Store) AddAudience(ctx context.Context, counts []news.AudienceCount) error {
	if len(counts) == 0 {
		return nil
	}
	articles := make([]int64, len(counts))
	minutes := make([]time.Time, len(counts))
	sources := make([]string, len(counts))
	views := make([]int64, len(counts))
	for i, c := range counts {
		articles[i], minutes[i], sources[i], views[i] = c.ArticleID, c.Minute.Truncate(time.Minute), c.Source, c.Views
	}
	// Rows are locked in key order so that two nodes flushing together
	// cannot deadlock.
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO audience_minutes (article_id, minute, source, views)
			SELECT a, m, s, sum(v) FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::bigint[]) AS u(a, m, s, v)
			GROUP BY a, m, s ORDER BY a, m, s
			ON CONFLICT (article_id, minute, source) DO UPDATE SET views = audience_minutes.views + excluded.views`,
			articles, minutes, sources, views); err != nil {
			return fmt.Errorf("add audience: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audience_hours (article_id, hour, source, views)
			SELECT a, date_trunc('hour', m), s, sum(v) FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::bigint[]) AS u(a, m, s, v)
			GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
			ON CONFLICT (article_id, hour, source) DO UPDATE SET views = audience_hours.views + excluded.views`,
			articles, minutes, sources, views); err != nil {
			return fmt.Errorf("add audience: %w", err)
		}
		return nil
	})
}

func (s *Store) TopRead(ctx context.Context, since time.Time, limit int) ([]news.AudienceTop, error) {
	rows, err := s.pool.Query(ctx, `SELECT m.article_id, a.headline, sum(m.views)::bigint AS n FROM audience_minutes m
		JOIN articles a ON a.id = m.article_id
		WHERE m.minute >= $1 AND a.state = 'published'
		GROUP BY m.article_id, a.headline ORDER BY n DESC, m.article_id DESC LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("top read: %w", err)
	}
	defer rows.Close()
	var out []news.AudienceTop
	for rows.Next() {
		var t news.AudienceTop
		if err := rows.Scan(&t.ArticleID, &t.Headline, &t.Views); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) SiteReads(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(sum(views), 0)::bigint FROM audience_minutes WHERE minute >= $1`, since).Scan(&n)
	return n, err
}

func (s *Store) buckets(ctx context.Context, query string, args ...any) ([]news.Bucket, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Bucket
	for rows.Next() {
		var b news.Bucket
		if err := rows.Scan(&b.Start, &b.Count); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *Store) ReadsPerMinute(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	return s.buckets(ctx, `SELECT minute, sum(views)::bigint FROM audience_minutes WHERE article_id = $1 AND minute >= $2 GROUP BY minute ORDER BY minute`,
		articleID, since)
}

func (s *Store) ReadsPerHour(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	return s.buckets(ctx, `SELECT hour, sum(views)::bigint FROM audience_hours WHERE article_id = $1 AND hour >= $2 GROUP BY hour ORDER BY hour`,
		articleID, since)
}

func (s *Store) ReadSources(ctx context.Context, articleID int64, since time.Time) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT source, sum(views)::bigint FROM audience_hours WHERE article_id = $1 AND hour >= $2 GROUP BY source`,
		articleID, since)
	if err != nil {
		return nil, err
	}
	return scanCounts(rows)
}

func (s *Store) CommentsPerHour(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	return s.buckets(ctx, `SELECT date_trunc('hour', created_at) AS h, count(*) FROM comments
		WHERE article_id = $1 AND state = 'visible' AND created_at >= $2 GROUP BY h ORDER BY h`, articleID, since)
}

func (s *Store) PruneAudience(ctx context.Context, minutes, hours time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM audience_minutes WHERE minute < $1`, minutes); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM audience_hours WHERE hour < $1`, hours)
	return err
}

func (s *Store) SetNodeStreams(ctx context.Context, node string, streams int64, at time.Time) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO live_nodes (node, streams, seen_at) VALUES ($1, $2, $3)
		ON CONFLICT (node) DO UPDATE SET streams = excluded.streams, seen_at = excluded.seen_at`, node, streams, at)
	return err
}

func (s *Store) OpenStreams(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce(sum(streams), 0)::bigint FROM live_nodes WHERE seen_at >= $1`, since).Scan(&n)
	return n, err
}
