package news

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// LiveHub carries live events to the open pages of this node. Writers
// queue events (never waiting for a stream); the hub writes them to the
// store in small batches, reads every node's events back in id order and
// hands each to the streams that show it. A stream too slow to keep up is
// dropped, and its browser resumes from the last id it saw.
type LiveHub struct {
	store LiveStore
	now   Clock
	// counts computes an article's counts event at flush time, so a burst
	// of reactions costs one read per article per batch.
	counts func(ctx context.Context, articleID int64) ([]byte, error)

	// MaxStreams bounds the streams this node holds open; 0 means no bound.
	MaxStreams int
	// Node names this process in the count of open streams.
	Node string

	mu      sync.Mutex
	pos     int64 // the newest event id handed out
	started bool
	floor   int64       // every event above floor is in ring
	ring    []LiveEvent // the newest events, oldest first
	streams map[int64]map[*LiveStream]struct{}
	open    int
	closed  bool
	dropped []*LiveStream // fell behind: ended once the lock is let go

	qmu       sync.Mutex
	queue     []LiveEvent
	countsFor map[int64]bool
	flushKick chan struct{}
	readKick  chan struct{}

	audience audienceCounter
	// running is set by Run: a process that does not follow the hub (a
	// command-line tool) queues nothing.
	running atomic.Bool
}

// liveRing is how many recent events a node keeps for browsers that
// resume; older resumes read the store.
const liveRing = 4096

// liveStreamBuffer is how many events a stream may fall behind before it
// is dropped. Kept small: a node holds thousands of streams, and events
// are written out as they come.
const liveStreamBuffer = 64

// liveResumeLimit is the most events a resuming browser is sent at once.
const liveResumeLimit = 1000

// ErrLiveFull is returned by Open when the node holds MaxStreams streams,
// or is shutting down.
var ErrLiveFull error = &RetryError{Err: &Error{Code: EBUSY, Message: "실시간 연결이 많습니다. 잠시 후 다시 연결합니다."}, After: 10 * time.Second}

func newLiveHub(store LiveStore, now Clock) *LiveHub {
	return &LiveHub{
		store: store, now: now,
		streams:   map[int64]map[*LiveStream]struct{}{},
		countsFor: map[int64]bool{},
		flushKick: make(chan struct{}, 1),
		readKick:  make(chan struct{}, 1),
		audience:  audienceCounter{counts: map[audienceKey]int64{}},
	}
}

// LiveStream is one open page's subscription.
type LiveStream struct {
	hub       *LiveHub
	articleID int64
	// C delivers events in id order. Events are shared by every stream:
	// they must not be changed.
	C    chan *LiveEvent
	done chan struct{}
	once sync.Once
	// sink, once attached, takes events in place of C (under the hub's
	// lock: it must not block); onEnd runs when the stream ends.
	sink  func(*LiveEvent)
	onEnd func()
}

// Attach hands the stream's events to sink from now on, beginning with
// those waiting on C, in order; onEnd runs once when the stream ends (the
// hub drops it, or it is closed). For a server that writes many streams
// from a few goroutines instead of one goroutine per stream.
func (st *LiveStream) Attach(sink func(*LiveEvent), onEnd func()) {
	h := st.hub
	h.mu.Lock()
	for more := true; more; {
		select {
		case ev := <-st.C:
			sink(ev)
		default:
			more = false
		}
	}
	st.sink, st.onEnd = sink, onEnd
	h.mu.Unlock()
	select {
	case <-st.done:
		onEnd()
	default:
	}
}

// Done is closed when the hub drops the stream: it fell behind, or the
// node is shutting down.
func (st *LiveStream) Done() <-chan struct{} { return st.done }

func (st *LiveStream) end() {
	st.once.Do(func() {
		close(st.done)
		st.hub.mu.Lock()
		onEnd := st.onEnd
		st.hub.mu.Unlock()
		if onEnd != nil {
			onEnd()
		}
	})
}

// Close unsubscribes the stream.
func (st *LiveStream) Close() {
	h := st.hub
	h.mu.Lock()
	if set := h.streams[st.articleID]; set != nil {
		if _, ok := set[st]; ok {
			delete(set, st)
			h.open--
			if len(set) == 0 {
				delete(h.streams, st.articleID)
			}
		}
	}
	h.mu.Unlock()
	st.end()
}

// Open subscribes a page of an article (0: a page without one) and returns
// the events it missed after lastID (0: none, a new page) and the id to
// start from. Events after that come on the stream's channel, none twice.
// Returns ErrLiveFull at the node's bound.
func (h *LiveHub) Open(ctx context.Context, articleID, lastID int64) (*LiveStream, []LiveEvent, int64, error) {
	h.mu.Lock()
	if h.closed || (h.MaxStreams > 0 && h.open >= h.MaxStreams) {
		h.mu.Unlock()
		return nil, nil, 0, ErrLiveFull
	}
	st := &LiveStream{hub: h, articleID: articleID, C: make(chan *LiveEvent, liveStreamBuffer), done: make(chan struct{})}
	set := h.streams[articleID]
	if set == nil {
		set = map[*LiveStream]struct{}{}
		h.streams[articleID] = set
	}
	set[st] = struct{}{}
	h.open++
	pos := h.pos
	var backlog []LiveEvent
	fromStore := false
	if lastID > 0 && lastID < pos {
		if lastID >= h.floor {
			for _, ev := range h.ring {
				if ev.ID > lastID && (ev.ArticleID == articleID || ev.ArticleID == 0) {
					backlog = append(backlog, ev)
				}
			}
		} else {
			fromStore = true
		}
	}
	h.mu.Unlock()
	if fromStore {
		var err error
		backlog, err = h.store.ArticleLiveEvents(ctx, articleID, lastID, pos, liveResumeLimit)
		if err != nil {
			st.Close()
			return nil, nil, 0, err
		}
	}
	return st, backlog, pos, nil
}

// OpenStreams counts the streams open on this node.
func (h *LiveHub) OpenStreams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.open
}

// Close ends every stream and refuses new ones, so that a shutting-down
// server is not held by open pages.
func (h *LiveHub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.EndStreams()
}

// EndStreams ends every stream open now, as a dropped connection would:
// browsers reconnect and resume after the last event they saw.
func (h *LiveHub) EndStreams() {
	h.mu.Lock()
	var all []*LiveStream
	for _, set := range h.streams {
		for st := range set {
			all = append(all, st)
		}
	}
	h.mu.Unlock()
	for _, st := range all {
		st.end()
	}
}

// emit queues an event for the pages of an article (0: every page).
func (h *LiveHub) emit(articleID int64, kind string, data any) {
	if !h.running.Load() {
		return
	}
	b, err := json.Marshal(data)
	if err != nil {
		return
	}
	h.qmu.Lock()
	h.queue = append(h.queue, LiveEvent{ArticleID: articleID, Kind: kind, Data: b})
	h.qmu.Unlock()
	h.kick(h.flushKick)
}

// countsChanged queues a counts event for the article.
func (h *LiveHub) countsChanged(c Change) {
	if !c.Local || c.ArticleID == 0 || !h.running.Load() {
		return
	}
	h.qmu.Lock()
	h.countsFor[c.ArticleID] = true
	h.qmu.Unlock()
	h.kick(h.flushKick)
}

func (h *LiveHub) kick(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Flush writes the queued events to the store and reads back what is new.
func (h *LiveHub) Flush(ctx context.Context) error {
	h.qmu.Lock()
	batch, counts := h.queue, h.countsFor
	h.queue, h.countsFor = nil, map[int64]bool{}
	h.qmu.Unlock()
	var errs []error
	for id := range counts {
		data, err := h.counts(ctx, id)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		batch = append(batch, LiveEvent{ArticleID: id, Kind: LiveCounts, Data: data})
	}
	if len(batch) > 0 {
		now := h.now()
		for i := range batch {
			batch[i].CreatedAt = now
		}
		if err := h.store.AppendLiveEvents(ctx, batch); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, h.read(ctx))
	return errors.Join(errs...)
}

// read hands every event after the hub's position to its streams.
func (h *LiveHub) read(ctx context.Context) error {
	h.mu.Lock()
	started := h.started
	h.mu.Unlock()
	if !started {
		last, err := h.store.LastLiveEventID(ctx)
		if err != nil {
			return err
		}
		h.mu.Lock()
		h.pos, h.floor, h.started = last, last, true
		h.mu.Unlock()
		return nil
	}
	for {
		h.mu.Lock()
		pos := h.pos
		h.mu.Unlock()
		events, err := h.store.LiveEventsSince(ctx, pos, 1000)
		if err != nil || len(events) == 0 {
			return err
		}
		h.deliver(events)
		if len(events) < 1000 {
			return nil
		}
	}
}

func (h *LiveHub) deliver(events []LiveEvent) {
	h.mu.Lock()
	defer func() {
		dropped := h.dropped
		h.dropped = nil
		h.mu.Unlock()
		for _, st := range dropped {
			st.end()
		}
	}()
	for i := range events {
		ev := &events[i]
		if ev.ID <= h.pos {
			continue
		}
		h.pos = ev.ID
		h.ring = append(h.ring, *ev)
		if ev.ArticleID == 0 {
			for _, set := range h.streams {
				h.send(set, ev)
			}
		} else {
			h.send(h.streams[ev.ArticleID], ev)
		}
	}
	if n := len(h.ring); n > liveRing {
		h.floor = h.ring[n-liveRing-1].ID
		h.ring = append(h.ring[:0:0], h.ring[n-liveRing:]...)
	}
}

// send offers ev to each stream of set that shows it, dropping a stream
// whose buffer is full (it resumes from the store).
func (h *LiveHub) send(set map[*LiveStream]struct{}, ev *LiveEvent) {
	for st := range set {
		if st.articleID != ev.ArticleID && ev.ArticleID != 0 {
			continue
		}
		if st.sink != nil {
			st.sink(ev)
			continue
		}
		select {
		case st.C <- ev:
		default:
			delete(set, st)
			h.open--
			h.dropped = append(h.dropped, st)
		}
	}
}

// Run writes queued events (coalesced over a few milliseconds), follows
// the store for other nodes' events (woken by the store where it can, else
// every poll), reports this node's open streams, flushes audience counts
// and prunes old rows, until ctx ends; then it writes what is queued.
func (h *LiveHub) Run(ctx context.Context, poll time.Duration, onError func(error)) {
	report := func(err error) {
		if err != nil && ctx.Err() == nil {
			onError(err)
		}
	}
	h.running.Store(true)
	defer h.running.Store(false)
	report(h.read(ctx))
	if l, ok := h.store.(LiveListener); ok {
		go func() {
			for ctx.Err() == nil {
				report(l.ListenLiveEvents(ctx, func() { h.kick(h.readKick) }))
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		}()
	}
	ticker := time.NewTicker(poll)
	defer ticker.Stop()
	audience := time.NewTicker(5 * time.Second)
	defer audience.Stop()
	prune := time.NewTicker(time.Minute)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			final := context.WithoutCancel(ctx)
			if err := h.Flush(final); err != nil {
				onError(err)
			}
			if err := h.flushAudience(final); err != nil {
				onError(err)
			}
			return
		case <-h.flushKick:
			// Let a burst of writes share one batch.
			select {
			case <-time.After(20 * time.Millisecond):
			case <-ctx.Done():
			}
			report(h.Flush(ctx))
		case <-h.readKick:
			report(h.read(ctx))
		case <-ticker.C:
			report(h.read(ctx))
		case <-audience.C:
			report(h.flushAudience(ctx))
		case <-prune.C:
			now := h.now()
			report(h.store.PruneLiveEvents(ctx, now.Add(-time.Hour)))
			report(h.store.PruneAudience(ctx, now.Add(-minuteRetention), now.Add(-hourRetention)))
		}
	}
}

// audienceKey is one article's reads from one source in one minute.
type audienceKey struct {
	articleID int64
	minute    int64 // Unix seconds
	source    string
}

type audienceCounter struct {
	mu     sync.Mutex
	counts map[audienceKey]int64
}

// CountRead records one read of an article from a source (ReferrerSource).
// It never blocks on the store: counts are flushed every few seconds.
func (h *LiveHub) CountRead(articleID int64, source string) {
	k := audienceKey{articleID, h.now().Truncate(time.Minute).Unix(), source}
	h.audience.mu.Lock()
	h.audience.counts[k]++
	h.audience.mu.Unlock()
}

// FlushReads writes the reads counted so far and this node's open streams
// (Run does so every few seconds).
func (h *LiveHub) FlushReads(ctx context.Context) error { return h.flushAudience(ctx) }

// flushAudience writes the counted reads and this node's open streams.
func (h *LiveHub) flushAudience(ctx context.Context) error {
	a := &h.audience
	a.mu.Lock()
	batch := a.counts
	a.counts = map[audienceKey]int64{}
	a.mu.Unlock()
	var errs []error
	if len(batch) > 0 {
		counts := make([]AudienceCount, 0, len(batch))
		for k, n := range batch {
			counts = append(counts, AudienceCount{ArticleID: k.articleID, Minute: time.Unix(k.minute, 0).UTC(), Source: k.source, Views: n})
		}
		if err := h.store.AddAudience(ctx, counts); err != nil {
			a.mu.Lock()
			for k, n := range batch {
				a.counts[k] += n
			}
			a.mu.Unlock()
			errs = append(errs, err)
		}
	}
	if h.Node != "" {
		errs = append(errs, h.store.SetNodeStreams(ctx, h.Node, int64(h.OpenStreams()), h.now()))
	}
	return errors.Join(errs...)
}
