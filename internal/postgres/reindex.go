package postgres

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"jikji/internal/news"
)

// reindexBatch is how many articles one transaction of the row-by-row
// reindex writes, so that a server running alongside is never blocked for
// long.
const reindexBatch = 200

// bulkChunk is how many articles the bulk build reads, tokenises and
// copies at a time.
const bulkChunk = 2000

// bulkMin is the fewest articles worth building an empty index in bulk for.
const bulkMin = 1000

// errIndexNotEmpty says the index gained entries before the bulk build
// locked it.
var errIndexNotEmpty = errors.New("search index not empty")

func (s *Store) ReindexArticles(ctx context.Context, all bool, progress func(done, total int)) (int, error) {
	query := `SELECT id FROM articles ORDER BY id`
	if !all {
		query = `SELECT a.id FROM articles a WHERE a.state = 'published'
			AND NOT EXISTS (SELECT 1 FROM article_search f WHERE f.article_id = a.id)
			AND NOT EXISTS (SELECT 1 FROM takedowns t WHERE t.target_kind = 'article' AND t.target_id = a.id
				AND t.state IN ('active', 'removed'))
			ORDER BY a.id`
	}
	rows, err := s.pool.Query(ctx, query)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	ids, err := collect(rows, func(r pgx.Rows) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	if len(ids) >= bulkMin {
		n, err := s.bulkIndex(ctx, ids, all, progress)
		if !errors.Is(err, errIndexNotEmpty) {
			return n, err
		}
	}
	return s.reindexRowByRow(ctx, ids, progress)
}

// reindexRowByRow replaces the index entries of the articles a batch at a
// time, each article as any write of it does.
func (s *Store) reindexRowByRow(ctx context.Context, ids []int64, progress func(done, total int)) (int, error) {
	done, total := 0, len(ids)
	for len(ids) > 0 {
		batch := ids[:min(reindexBatch, len(ids))]
		ids = ids[len(batch):]
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			for _, id := range batch {
				if err := reindexArticle(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("reindex: %w", err)
		}
		done += len(batch)
		if progress != nil {
			progress(done, total)
		}
	}
	return done, nil
}

// bulkIndex fills the index in one transaction: it drops the table's text
// and time indexes, copies the rows in, and builds the indexes once over
// all of them, which is many times faster than inserting into a RUM index
// row by row. Articles are read and tokenised on every core, a chunk ahead
// of the copy. With replace (a full reindex, given every article) it
// empties the index first, and searches wait for the rebuild; otherwise it
// fills only an empty index (a new site, one generated or imported
// without it, the first start after the migration that made it) and
// returns errIndexNotEmpty, having changed nothing, if it holds any entry.
func (s *Store) bulkIndex(ctx context.Context, ids []int64, replace bool, progress func(done, total int)) (int, error) {
	done := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Building the indexes of a large archive takes minutes: longer
		// than a server's statement limit, which is for requests.
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `LOCK TABLE article_search IN ACCESS EXCLUSIVE MODE`); err != nil {
			return err
		}
		var nonEmpty bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM article_search)`).Scan(&nonEmpty); err != nil {
			return err
		}
		if nonEmpty && !replace {
			return errIndexNotEmpty
		}
		if nonEmpty {
			if _, err := tx.Exec(ctx, `TRUNCATE article_search`); err != nil {
				return err
			}
		}
		// The partitions of every quarter an indexed article falls in.
		if _, err := tx.Exec(ctx, `SELECT article_search_partition(q) FROM (SELECT DISTINCT
			date_trunc('quarter', published_at, 'UTC') AS q FROM articles WHERE id = ANY($1)) quarters`, ids); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'article_search'::regclass AND NOT i.indisprimary`)
		if err != nil {
			return err
		}
		type index struct{ name, def string }
		indexes, err := collect(rows, func(r pgx.Rows) (index, error) {
			var ix index
			return ix, r.Scan(&ix.name, &ix.def)
		})
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{ix.name}.Sanitize()); err != nil {
				return err
			}
		}
		// Other connections read the articles: they never touch the
		// locked table, and a write that does waits for this transaction
		// and then indexes its article afresh.
		chunks := make(chan [][]any, 1)
		readErr := make(chan error, 1)
		readCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			defer close(chunks)
			for start := 0; start < len(ids); start += bulkChunk {
				rows, err := s.searchRowsOf(readCtx, ids[start:min(start+bulkChunk, len(ids))])
				if err != nil {
					readErr <- err
					return
				}
				select {
				case chunks <- rows:
				case <-readCtx.Done():
					readErr <- readCtx.Err()
					return
				}
			}
			readErr <- nil
		}()
		for rows := range chunks {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"article_search"},
				[]string{"article_id", "section_id", "published_at", "head", "doc"}, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
			done = min(done+bulkChunk, len(ids))
			if progress != nil {
				progress(done, len(ids))
			}
		}
		if err := <-readErr; err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
			return err
		}
		for _, ix := range indexes {
			// The definition of a partitioned table's index reads "ON ONLY",
			// which would build it on no partition.
			def := strings.Replace(ix.def, " ON ONLY ", " ON ", 1)
			if _, err := tx.Exec(ctx, def); err != nil {
				return fmt.Errorf("build %s: %w", ix.name, err)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, errIndexNotEmpty) {
			return 0, err
		}
		return 0, fmt.Errorf("reindex: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `ANALYZE article_search`); err != nil {
		return done, fmt.Errorf("reindex: %w", err)
	}
	return done, nil
}

// searchRowsOf reads the findable articles among ids with their bylines'
// names and returns their index rows, tokenised on every core.
func (s *Store) searchRowsOf(ctx context.Context, ids []int64) ([][]any, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+articleColumns+` FROM articles a JOIN sections s ON s.id = a.section_id
		WHERE a.id = ANY($1) AND a.state = 'published'
		AND NOT EXISTS (SELECT 1 FROM takedowns t WHERE t.target_kind = 'article' AND t.target_id = a.id
			AND t.state IN ('active', 'removed'))
		ORDER BY a.id`, ids)
	if err != nil {
		return nil, err
	}
	list, err := collect(rows, func(r pgx.Rows) (news.Article, error) { return scanArticle(r) })
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]int, len(list))
	for i, a := range list {
		byID[a.ID] = i
	}
	rows, err = s.pool.Query(ctx, `SELECT b.article_id, r.name FROM bylines b JOIN reporters r ON r.id = b.reporter_id
		WHERE b.article_id = ANY($1) ORDER BY b.article_id, b.position`, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			list[i].Bylines = append(list[i].Bylines, news.Byline{Name: name})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]any, len(list))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(list); i += workers {
				r := newSearchRow(&list[i])
				out[i] = []any{r.articleID, r.sectionID, r.publishedAt, r.head, r.doc}
			}
		}(w)
	}
	wg.Wait()
	return out, nil
}
