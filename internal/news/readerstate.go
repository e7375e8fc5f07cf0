package news

import (
	"context"
	"sync"
	"time"
)

// readerStateTTL bounds how long a cached reader state is trusted should a
// change never arrive (a node cut off from the change log).
const readerStateTTL = time.Minute

// readerStates keeps, on this node, what logged-in readers' copies of
// article pages show of them (reaction counts beside their own reaction,
// saved state and subscriptions), so that a reader's page costs no database
// round trip while nothing changed. The change feed drops an article's
// counts when anyone reacts, and a reader's own state when they write, on
// every node.
type readerStates struct {
	mu     sync.Mutex
	counts map[int64]cachedCounts       // by article
	own    map[int64]map[int64]ownState // by account, then article
	gens   map[stateKey]uint64          // bumped by each drop of a key
	all    uint64                       // bumped when everything is dropped
}

type cachedCounts struct {
	counts map[string]int64
	until  time.Time
}

type ownState struct {
	reaction   string
	saved      bool
	subscribed map[int64]bool
	until      time.Time
}

// stateKey names what one drop covers: an article's counts or an account's
// own state.
type stateKey struct {
	article, account int64
}

// stamp is the generation of what a read covers, taken before the read: a
// result read from the store is kept only if nothing covering it was
// dropped meanwhile, so a write racing the read is never hidden.
type stamp struct{ all, article, account uint64 }

func (c *readerStates) stamp(articleID, accountID int64) stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	return stamp{c.all, c.gens[stateKey{article: articleID}], c.gens[stateKey{account: accountID}]}
}

func (c *readerStates) get(articleID, accountID int64, now time.Time) (ViewerState, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cc, ok := c.counts[articleID]
	if !ok || now.After(cc.until) {
		return ViewerState{}, false
	}
	vs := ViewerState{Counts: cc.counts}
	if accountID == 0 {
		return vs, true
	}
	o, ok := c.own[accountID][articleID]
	if !ok || now.After(o.until) {
		return ViewerState{}, false
	}
	vs.Reaction, vs.Saved, vs.Subscribed = o.reaction, o.saved, o.subscribed
	return vs, true
}

func (c *readerStates) put(articleID, accountID int64, vs ViewerState, st stamp, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st != (stamp{c.all, c.gens[stateKey{article: articleID}], c.gens[stateKey{account: accountID}]}) {
		return
	}
	if c.counts == nil || len(c.counts) > 100_000 {
		c.counts = map[int64]cachedCounts{}
	}
	if c.own == nil || len(c.own) > 100_000 {
		c.own = map[int64]map[int64]ownState{}
	}
	c.counts[articleID] = cachedCounts{counts: vs.Counts, until: until}
	if accountID == 0 {
		return
	}
	mine := c.own[accountID]
	if mine == nil {
		mine = map[int64]ownState{}
		c.own[accountID] = mine
	}
	mine[articleID] = ownState{reaction: vs.Reaction, saved: vs.Saved, subscribed: vs.Subscribed, until: until}
}

// invalidate drops what a change made stale.
func (c *readerStates) invalidate(ch Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens == nil || len(c.gens) > 100_000 {
		// The generations start again: no read begun before may be kept.
		c.gens = map[stateKey]uint64{}
		c.all++
	}
	switch {
	case ch.All:
		c.all++
		c.counts, c.own = nil, nil
		return
	case ch.Lists && ch.ArticleID != 0:
		// An edit may change an article's bylines, and with them which
		// subscriptions its page shows.
		c.all++
		c.own = nil
	}
	if ch.ArticleID != 0 {
		c.gens[stateKey{article: ch.ArticleID}]++
		delete(c.counts, ch.ArticleID)
	}
	if ch.AccountID != 0 {
		c.gens[stateKey{account: ch.AccountID}]++
		delete(c.own, ch.AccountID)
	}
}

// ViewerState returns what the viewer's copy of an article page shows of
// them, with the reaction counts beside their choice: from this node's
// cache while nothing changed, else in one round trip. An anonymous viewer
// gets the counts only.
func (s *Service) ViewerState(ctx context.Context, viewer Account, articleID int64) (ViewerState, error) {
	now := s.Now()
	if vs, ok := s.readers.get(articleID, viewer.ID, now); ok {
		return vs, nil
	}
	st := s.readers.stamp(articleID, viewer.ID)
	vs, err := s.store.ViewerState(ctx, articleID, viewer.ID)
	if err != nil {
		return ViewerState{}, err
	}
	s.readers.put(articleID, viewer.ID, vs, st, now.Add(readerStateTTL))
	return vs, nil
}
