package web

import (
	"sync"
	"time"
)

// limiter allows at most n events per key in a fixed window that starts at
// the key's first event: cheap, memory-bounded, and it can say exactly when
// the next event is allowed (Retry-After). A burst across a window's end
// may pass up to 2n, which abuse control tolerates.
type limiter struct {
	n      int
	window time.Duration
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	start time.Time
	count int
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, now: time.Now, buckets: map[string]*bucket{}}
}

// allow records an event for key and reports whether it is within the
// limit, and if not, how long until it would be.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.sweep) > l.window {
		for k, b := range l.buckets {
			if now.Sub(b.start) >= l.window {
				delete(l.buckets, k)
			}
		}
		l.sweep = now
	}
	b, ok := l.buckets[key]
	if !ok || now.Sub(b.start) >= l.window {
		b = &bucket{start: now}
		l.buckets[key] = b
	}
	if b.count >= l.n {
		return false, b.start.Add(l.window).Sub(now)
	}
	b.count++
	return true, 0
}

// reset forgets a key, as after a successful login.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.buckets, key)
	l.mu.Unlock()
}
