package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sync/errgroup"

	"jikji/internal/news"
	"jikji/internal/search"
)

// reindexChunk is how many articles one reindexing transaction writes: big
// enough that FTS5 flushes large segments and merges seldom, small enough
// that a server writing alongside waits at most a second or two.
const reindexChunk = 2000

// reindexHashBytes is how much pending index data FTS5 keeps in memory
// before it writes a segment; with a chunk's worth in memory, each chunk is
// one segment rather than a dozen small ones to merge later.
const reindexHashBytes = 64 << 20

// indexedDoc is an article read and tokenised for the index.
type indexedDoc struct {
	article  news.Article
	findable bool
	headline string
	body     string
}

func (s *Store) ReindexArticles(ctx context.Context, all bool, progress func(done, total int)) (int, error) {
	ids, err := s.articlesToReindex(ctx, all)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if _, err := s.write.ExecContext(ctx, `INSERT INTO article_search (article_search, rank) VALUES ('hashsize', ?)`,
		reindexHashBytes); err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	// Reading and tokenising run ahead of writing, one chunk at a time on
	// every core; the single writer only inserts.
	chunks := make(chan []indexedDoc, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(chunks)
		for start := 0; start < len(ids); start += reindexChunk {
			docs, err := s.readForIndex(gctx, ids[start:min(start+reindexChunk, len(ids))])
			if err != nil {
				return err
			}
			select {
			case chunks <- docs:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	done, total := 0, len(ids)
	g.Go(func() error {
		for docs := range chunks {
			if err := s.writeTx(gctx, func(tx *sql.Tx) error { return writeIndexChunk(gctx, tx, docs) }); err != nil {
				return err
			}
			done += len(docs)
			if progress != nil {
				progress(done, total)
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return done, fmt.Errorf("reindex: %w", err)
	}
	return done, nil
}

// articlesToReindex lists every article, or the findable ones the index
// lacks.
func (s *Store) articlesToReindex(ctx context.Context, all bool) ([]int64, error) {
	query := `SELECT id FROM articles ORDER BY id`
	if !all {
		query = `SELECT a.id FROM articles a WHERE a.state = 'published'
			AND NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.article_id = a.id)
			AND NOT EXISTS (SELECT 1 FROM takedowns t WHERE t.target_kind = 'article' AND t.target_id = a.id
				AND t.state IN ('active', 'removed'))
			ORDER BY a.id`
	}
	rows, err := s.read.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// readForIndex reads the articles with their bylines' names and whether
// readers may find them, and tokenises the findable ones on every core.
func (s *Store) readForIndex(ctx context.Context, ids []int64) ([]indexedDoc, error) {
	idList, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+articleColumns+`, a.state = 'published' AND NOT EXISTS (SELECT 1 FROM takedowns t
			WHERE t.target_kind = 'article' AND t.target_id = a.id AND t.state IN ('active', 'removed'))
		FROM json_each(?) j CROSS JOIN articles a ON a.id = j.value JOIN sections s ON s.id = a.section_id
		ORDER BY j.key`, string(idList))
	if err != nil {
		return nil, err
	}
	var docs []indexedDoc
	byID := map[int64]int{}
	for rows.Next() {
		var d indexedDoc
		if d.article, err = scanArticleExtra(rows, &d.findable); err != nil {
			rows.Close()
			return nil, err
		}
		byID[d.article.ID] = len(docs)
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.read.QueryContext(ctx, `SELECT b.article_id, r.name FROM json_each(?) j
		CROSS JOIN bylines b ON b.article_id = j.value JOIN reporters r ON r.id = b.reporter_id
		ORDER BY b.article_id, b.position`, string(idList))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := byID[id]; ok {
			docs[i].article.Bylines = append(docs[i].article.Bylines, news.Byline{Name: name})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(docs); i += workers {
				if d := &docs[i]; d.findable {
					d.headline = search.IndexText(d.article.Headline)
					d.body = search.IndexText(d.article.SearchBody())
				}
			}
		}(w)
	}
	wg.Wait()
	return docs, nil
}

// writeIndexChunk replaces the index entries of a chunk of articles. An
// article written since it was read (another version, state or takedown)
// is indexed afresh from what the transaction sees, as any write does.
func writeIndexChunk(ctx context.Context, tx *sql.Tx, docs []indexedDoc) error {
	current, err := tx.PrepareContext(ctx, `SELECT a.version, a.state = 'published' AND NOT EXISTS (SELECT 1 FROM takedowns t
		WHERE t.target_kind = 'article' AND t.target_id = a.id AND t.state IN ('active', 'removed'))
		FROM articles a WHERE a.id = ?`)
	if err != nil {
		return err
	}
	defer current.Close()
	unindex, err := tx.PrepareContext(ctx, `DELETE FROM search_docs WHERE article_id = ? RETURNING docid`)
	if err != nil {
		return err
	}
	defer unindex.Close()
	drop, err := tx.PrepareContext(ctx, `DELETE FROM article_search WHERE rowid = ?`)
	if err != nil {
		return err
	}
	defer drop.Close()
	taken, err := tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_docs WHERE docid = ?)`)
	if err != nil {
		return err
	}
	defer taken.Close()
	addDoc, err := tx.PrepareContext(ctx, `INSERT INTO search_docs (article_id, docid) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer addDoc.Close()
	addText, err := tx.PrepareContext(ctx, `INSERT INTO article_search (rowid, headline, body, filter) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer addText.Close()
	for i := range docs {
		d := &docs[i]
		var version int64
		var findable bool
		err := current.QueryRowContext(ctx, d.article.ID).Scan(&version, &findable)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return err
		}
		if version != d.article.Version || findable != d.findable {
			if err := reindexArticle(ctx, tx, d.article.ID); err != nil {
				return err
			}
			continue
		}
		var old int64
		switch err := unindex.QueryRowContext(ctx, d.article.ID).Scan(&old); {
		case err == nil:
			if _, err := drop.ExecContext(ctx, old); err != nil {
				return err
			}
		case err != sql.ErrNoRows:
			return err
		}
		if !d.findable {
			continue
		}
		docid := docidFloor(d.article.PublishedAt)
		for {
			var used bool
			if err := taken.QueryRowContext(ctx, docid).Scan(&used); err != nil {
				return err
			}
			if !used {
				break
			}
			docid++
		}
		if _, err := addDoc.ExecContext(ctx, d.article.ID, docid); err != nil {
			return err
		}
		if _, err := addText.ExecContext(ctx, docid, d.headline, d.body, sectionToken(d.article.Section.ID)); err != nil {
			return fmt.Errorf("article %d: %w", d.article.ID, err)
		}
	}
	return nil
}
