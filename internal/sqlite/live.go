package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

// One writer at a time: ids of live events are in commit order by
// construction.
func (s *Store) AppendLiveEvents(ctx context.Context, events []news.LiveEvent) error {
	if len(events) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, ev := range events {
			if _, err := tx.ExecContext(ctx, `INSERT INTO live_events (article_id, kind, data, created_at) VALUES (?, ?, ?, ?)`,
				ev.ArticleID, ev.Kind, string(ev.Data), micros(ev.CreatedAt)); err != nil {
				return fmt.Errorf("append live event: %w", err)
			}
		}
		return nil
	})
}

func scanLiveEvents(rows *sql.Rows) ([]news.LiveEvent, error) {
	defer rows.Close()
	var out []news.LiveEvent
	for rows.Next() {
		var ev news.LiveEvent
		var data string
		var created int64
		if err := rows.Scan(&ev.ID, &ev.ArticleID, &ev.Kind, &data, &created); err != nil {
			return nil, err
		}
		ev.Data, ev.CreatedAt = []byte(data), fromMicros(created)
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (s *Store) LiveEventsSince(ctx context.Context, after int64, limit int) ([]news.LiveEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, article_id, kind, data, created_at FROM live_events WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("live events since %d: %w", after, err)
	}
	return scanLiveEvents(rows)
}

func (s *Store) ArticleLiveEvents(ctx context.Context, articleID, after, upTo int64, limit int) ([]news.LiveEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, article_id, kind, data, created_at FROM live_events
		WHERE article_id IN (?, 0) AND id > ? AND id <= ? ORDER BY id LIMIT ?`, articleID, after, upTo, limit)
	if err != nil {
		return nil, fmt.Errorf("live events of %d: %w", articleID, err)
	}
	return scanLiveEvents(rows)
}

func (s *Store) LastLiveEventID(ctx context.Context) (int64, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM live_events`).Scan(&id)
	return id, err
}

func (s *Store) PruneLiveEvents(ctx context.Context, before time.Time) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM live_events WHERE created_at < ?`, micros(before))
		return err
	})
}

func (s *Store) Coverage(ctx context.Context, articleID int64) (news.Coverage, error) {
	c := news.Coverage{ArticleID: articleID}
	var started, ended int64
	err := s.read.QueryRowContext(ctx, `SELECT live, started_at, ended_at FROM live_coverage WHERE article_id = ?`, articleID).
		Scan(&c.Live, &started, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Coverage{}, notFound("라이브")
	}
	if err != nil {
		return news.Coverage{}, fmt.Errorf("coverage of %d: %w", articleID, err)
	}
	c.StartedAt, c.EndedAt = fromMicros(started), fromMicros(ended)
	return c, nil
}

func (s *Store) SetCoverage(ctx context.Context, c news.Coverage) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO live_coverage (article_id, live, started_at, ended_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET live = excluded.live, started_at = excluded.started_at, ended_at = excluded.ended_at`,
			c.ArticleID, c.Live, micros(c.StartedAt), micros(c.EndedAt))
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "기사를 찾을 수 없습니다.")
		}
		return err
	})
}

const liveUpdateColumns = `id, article_id, author_id, author_name, body, quote, quote_source, photo_id, pinned, previous_body, created_at, corrected_at`

func scanLiveUpdate(row rowScanner) (news.LiveUpdate, error) {
	var u news.LiveUpdate
	var created, corrected int64
	err := row.Scan(&u.ID, &u.ArticleID, &u.AuthorID, &u.AuthorName, &u.Body, &u.Quote, &u.QuoteSource, &u.PhotoID, &u.Pinned, &u.PreviousBody, &created, &corrected)
	u.CreatedAt, u.CorrectedAt = fromMicros(created), fromMicros(corrected)
	return u, err
}

func (s *Store) CreateLiveUpdate(ctx context.Context, u *news.LiveUpdate) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO live_updates (article_id, author_id, author_name, body, quote, quote_source, photo_id, pinned, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.ArticleID, u.AuthorID, u.AuthorName, u.Body, u.Quote, u.QuoteSource, u.PhotoID, u.Pinned, micros(u.CreatedAt))
		if isForeignKey(err) {
			return news.Errorf(news.EINVALID, "기사를 찾을 수 없습니다.")
		}
		if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
}

func (s *Store) LiveUpdate(ctx context.Context, id int64) (news.LiveUpdate, error) {
	u, err := scanLiveUpdate(s.read.QueryRowContext(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return news.LiveUpdate{}, notFound("업데이트")
	}
	return u, err
}

func (s *Store) SaveLiveUpdate(ctx context.Context, u news.LiveUpdate) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE live_updates SET body = ?, quote = ?, quote_source = ?, photo_id = ?, pinned = ?, previous_body = ?, corrected_at = ? WHERE id = ?`,
			u.Body, u.Quote, u.QuoteSource, u.PhotoID, u.Pinned, u.PreviousBody, micros(u.CorrectedAt), u.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("업데이트")
		}
		return nil
	})
}

func (s *Store) DeleteLiveUpdate(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM live_updates WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("업데이트")
		}
		return nil
	})
}

func (s *Store) liveUpdates(ctx context.Context, query string, args ...any) ([]news.LiveUpdate, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
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
	return s.liveUpdates(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE article_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, articleID, before, limit)
}

func (s *Store) PinnedLiveUpdates(ctx context.Context, articleID int64) ([]news.LiveUpdate, error) {
	return s.liveUpdates(ctx, `SELECT `+liveUpdateColumns+` FROM live_updates WHERE article_id = ? AND pinned ORDER BY id DESC`, articleID)
}

func (s *Store) AddAudience(ctx context.Context, counts []news.AudienceCount) error {
	if len(counts) == 0 {
		return nil
	}
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, c := range counts {
			minute := c.Minute.Truncate(time.Minute)
			if _, err := tx.ExecContext(ctx, `INSERT INTO audience_minutes (article_id, minute, source, views) VALUES (?, ?, ?, ?)
				ON CONFLICT (article_id, minute, source) DO UPDATE SET views = views + excluded.views`,
				c.ArticleID, micros(minute), c.Source, c.Views); err != nil {
				return fmt.Errorf("add audience: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO audience_hours (article_id, hour, source, views) VALUES (?, ?, ?, ?)
				ON CONFLICT (article_id, hour, source) DO UPDATE SET views = views + excluded.views`,
				c.ArticleID, micros(minute.Truncate(time.Hour)), c.Source, c.Views); err != nil {
				return fmt.Errorf("add audience: %w", err)
			}
		}
		return nil
	})
}

func (s *Store) TopRead(ctx context.Context, since time.Time, limit int) ([]news.AudienceTop, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.article_id, a.headline, sum(m.views) AS n FROM audience_minutes m
		JOIN articles a ON a.id = m.article_id
		WHERE m.minute >= ? AND a.state = 'published'
		GROUP BY m.article_id, a.headline ORDER BY n DESC, m.article_id DESC LIMIT ?`, micros(since), limit)
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
	err := s.read.QueryRowContext(ctx, `SELECT coalesce(sum(views), 0) FROM audience_minutes WHERE minute >= ?`, micros(since)).Scan(&n)
	return n, err
}

func (s *Store) buckets(ctx context.Context, query string, args ...any) ([]news.Bucket, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Bucket
	for rows.Next() {
		var start int64
		var b news.Bucket
		if err := rows.Scan(&start, &b.Count); err != nil {
			return nil, err
		}
		b.Start = fromMicros(start)
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *Store) ReadsPerMinute(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	return s.buckets(ctx, `SELECT minute, sum(views) FROM audience_minutes WHERE article_id = ? AND minute >= ? GROUP BY minute ORDER BY minute`,
		articleID, micros(since))
}

func (s *Store) ReadsPerHour(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	return s.buckets(ctx, `SELECT hour, sum(views) FROM audience_hours WHERE article_id = ? AND hour >= ? GROUP BY hour ORDER BY hour`,
		articleID, micros(since))
}

func (s *Store) ReadSources(ctx context.Context, articleID int64, since time.Time) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT source, sum(views) FROM audience_hours WHERE article_id = ? AND hour >= ? GROUP BY source`,
		articleID, micros(since))
	if err != nil {
		return nil, err
	}
	return scanCounts(rows)
}

func (s *Store) CommentsPerHour(ctx context.Context, articleID int64, since time.Time) ([]news.Bucket, error) {
	const hour = int64(time.Hour / time.Microsecond)
	return s.buckets(ctx, `SELECT created_at / ? * ? AS h, count(*) FROM comments
		WHERE article_id = ? AND state = 'visible' AND created_at >= ? GROUP BY h ORDER BY h`,
		hour, hour, articleID, micros(since))
}

func (s *Store) PruneAudience(ctx context.Context, minutes, hours time.Time) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM audience_minutes WHERE minute < ?`, micros(minutes)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM audience_hours WHERE hour < ?`, micros(hours))
		return err
	})
}

func (s *Store) SetNodeStreams(ctx context.Context, node string, streams int64, at time.Time) error {
	return s.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO live_nodes (node, streams, seen_at) VALUES (?, ?, ?)
			ON CONFLICT (node) DO UPDATE SET streams = excluded.streams, seen_at = excluded.seen_at`, node, streams, micros(at))
		return err
	})
}

func (s *Store) OpenStreams(ctx context.Context, since time.Time) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT coalesce(sum(streams), 0) FROM live_nodes WHERE seen_at >= ?`, micros(since)).Scan(&n)
	return n, err
}
