package news

import (
	"context"
	"sync"
	"time"
)

// Change says what a write touched, so that caches of rendered pages can
// drop exactly what went stale.
type Change struct {
	// ArticleID is the article whose page changed (its comments, counts or
	// text), or 0.
	ArticleID int64
	// Lists is true when lists of articles changed too: home, sections,
	// reporters, feeds, search (a publish, an edit, an unpublish).
	Lists bool
	// AccountID is the reader whose own state on pages changed (their
	// reaction, saved articles or subscriptions), or 0.
	AccountID int64
	// All drops everything, for writes that show on many pages (a reader
	// who leaves, whose comments now show as 탈퇴한 회원).
	All bool
	// Local is true when this process made the write: its caches drop what
	// went stale at once, before the write is answered, so a writer reads
	// their own write. Changes from the log (other processes) are false.
	Local bool
}

// ChangeStore records changes where every process on the site sees them:
// other nodes, and servers running while a command-line tool writes.
type ChangeStore interface {
	// RecordChanges appends changes to the site's change log.
	RecordChanges(ctx context.Context, changes []Change) error
	// ChangesSince returns the changes recorded after seq and the sequence
	// number to ask from next time. With seq 0 it returns no changes, only
	// the current position.
	ChangesSince(ctx context.Context, seq int64) ([]Change, int64, error)
	// PruneChanges deletes log entries older than the given time.
	PruneChanges(ctx context.Context, before time.Time) error
}

// ChangeFeed fans changes out to this process's caches at once, and through
// the store's change log to every other process within a second.
type ChangeFeed struct {
	store ChangeStore

	mu      sync.Mutex
	subs    []func(Change)
	pending map[Change]bool
	kick    chan struct{}
}

func newChangeFeed(store ChangeStore) *ChangeFeed {
	return &ChangeFeed{store: store, pending: map[Change]bool{}, kick: make(chan struct{}, 1)}
}

// Subscribe calls fn for every change, local or from elsewhere. fn must be
// quick and must not block.
func (f *ChangeFeed) Subscribe(fn func(Change)) {
	f.mu.Lock()
	f.subs = append(f.subs, fn)
	f.mu.Unlock()
}

func (f *ChangeFeed) deliver(c Change) {
	f.mu.Lock()
	subs := f.subs
	f.mu.Unlock()
	for _, fn := range subs {
		fn(c)
	}
}

// publish delivers c locally now and queues it for the change log.
func (f *ChangeFeed) publish(c Change) {
	c.Local = true
	f.deliver(c)
	c.Local = false
	f.mu.Lock()
	f.pending[c] = true
	f.mu.Unlock()
	select {
	case f.kick <- struct{}{}:
	default:
	}
}

// Flush writes queued changes to the change log.
func (f *ChangeFeed) Flush(ctx context.Context) error {
	f.mu.Lock()
	if len(f.pending) == 0 {
		f.mu.Unlock()
		return nil
	}
	batch := make([]Change, 0, len(f.pending))
	for c := range f.pending {
		batch = append(batch, c)
	}
	f.pending = map[Change]bool{}
	f.mu.Unlock()
	return f.store.RecordChanges(ctx, batch)
}

// Run writes queued changes (coalesced over a tenth of a second) and polls
// the log for other processes' changes every poll interval, until ctx ends.
func (f *ChangeFeed) Run(ctx context.Context, poll time.Duration, onError func(error)) {
	_, seq, err := f.store.ChangesSince(ctx, 0)
	if err != nil {
		onError(err)
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	prune := time.NewTicker(time.Minute)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := f.Flush(context.WithoutCancel(ctx)); err != nil {
				onError(err)
			}
			return
		case <-f.kick:
			// Let a burst of writes share one log entry per article.
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
			}
			if err := f.Flush(ctx); err != nil {
				onError(err)
			}
		case <-ticker.C:
			if seq == 0 {
				// The log was empty when we started, and seq 0 asks only
				// for the position: whatever has appeared since was
				// written elsewhere, unseen, so drop everything once.
				_, next, err := f.store.ChangesSince(ctx, 0)
				if err != nil {
					onError(err)
				} else if next > 0 {
					seq = next
					f.deliver(Change{All: true})
				}
				continue
			}
			changes, next, err := f.store.ChangesSince(ctx, seq)
			if err != nil {
				onError(err)
				continue
			}
			seq = next
			// Our own changes come back too; dropping a cache entry twice
			// is harmless.
			for _, c := range changes {
				c.Local = false
				f.deliver(c)
			}
		case <-prune.C:
			if err := f.store.PruneChanges(ctx, time.Now().Add(-10*time.Minute)); err != nil {
				onError(err)
			}
		}
	}
}
