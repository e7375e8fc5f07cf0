package news

import (
	"sync"
	"time"
)

// recentWindow is how long after a reader's own write their pages bypass
// the shared cache, which may lag a write by its coalescing interval: a
// reader sees their own comment at once.
const recentWindow = 2 * time.Second

type recentWriters struct {
	mu   sync.Mutex
	seen map[int64]time.Time
}

func (r *recentWriters) note(accountID int64, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil || len(r.seen) > 50_000 {
		r.seen = map[int64]time.Time{}
	}
	r.seen[accountID] = now
}

// WroteRecently reports whether the account wrote through this node a
// moment ago.
func (s *Service) WroteRecently(accountID int64) bool {
	if accountID == 0 {
		return false
	}
	s.recent.mu.Lock()
	defer s.recent.mu.Unlock()
	t, ok := s.recent.seen[accountID]
	return ok && s.Now().Sub(t) < recentWindow
}
