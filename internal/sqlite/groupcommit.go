package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
)

// Group commit: small writes that arrive together share one transaction,
// so a burst of reactions or comments costs one fsync per batch instead of
// one each, while every caller still gets its answer only after the commit
// that holds its write. Each write runs in a savepoint of its own, so one
// that fails leaves the others of its batch unharmed.

// maxBatch bounds how many writes share a commit.
const maxBatch = 512

type writeOp struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// BatchStats are counters of the group committer, for metrics.
type BatchStats struct {
	Commits int64 // transactions committed
	Writes  int64 // writes they held
	Queued  int64 // writes waiting now
}

type batchCounters struct {
	commits, writes, queued atomic.Int64
}

// Stats returns the group committer's counters.
func (s *Store) Stats() BatchStats {
	return BatchStats{Commits: s.counters.commits.Load(), Writes: s.counters.writes.Load(), Queued: s.counters.queued.Load()}
}

// inTx runs fn in a write transaction shared with other writes arriving at
// the same time, and returns once that transaction has committed. fn must
// use the ctx and tx it is given and nothing else of the write connection.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	op := &writeOp{ctx: ctx, fn: fn, done: make(chan error, 1)}
	s.counters.queued.Add(1)
	s.ops <- op
	// Once queued, the write may commit: wait for the truth rather than
	// give up on the caller's deadline.
	return <-op.done
}

// commitLoop runs batches until the ops channel is closed.
func (s *Store) commitLoop() {
	defer close(s.committerDone)
	for op := range s.ops {
		batch := []*writeOp{op}
	gather:
		for len(batch) < maxBatch {
			select {
			case op, ok := <-s.ops:
				if !ok {
					break gather
				}
				batch = append(batch, op)
			default:
				break gather
			}
		}
		s.counters.queued.Add(-int64(len(batch)))
		s.runBatch(batch)
	}
}

func (s *Store) runBatch(batch []*writeOp) {
	results := make([]error, len(batch))
	reply := func() {
		for i, op := range batch {
			op.done <- results[i]
		}
	}
	// Statements run on a context that is never cancelled: cancelling one
	// would interrupt SQLite and roll back the whole shared transaction.
	tx, err := s.write.BeginTx(context.Background(), nil)
	if err != nil {
		for i := range results {
			results[i] = fmt.Errorf("begin: %w", err)
		}
		reply()
		return
	}
	ok := 0
	for i, op := range batch {
		ctx := context.WithoutCancel(op.ctx)
		if op.ctx.Err() != nil {
			results[i] = op.ctx.Err()
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT op"); err != nil {
			results[i] = err
			continue
		}
		if err := op.fn(ctx, tx); err != nil {
			results[i] = err
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO op"); rerr != nil {
				results[i] = fmt.Errorf("%w (and rollback: %v)", err, rerr)
			}
		} else {
			ok++
		}
		if _, err := tx.ExecContext(ctx, "RELEASE op"); err != nil && results[i] == nil {
			results[i] = err
		}
	}
	if err := tx.Commit(); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("commit: %w", err)
			}
		}
	} else {
		s.counters.commits.Add(1)
		s.counters.writes.Add(int64(ok))
	}
	reply()
}
