package news

import (
	"sync"
	"time"
)

// sessionCacheTTL is how long a checked session is trusted without asking
// the store again. A logout on this node takes effect at once; on other
// nodes, and for role changes, within this time.
const sessionCacheTTL = 10 * time.Second

// sessionCache keeps recently checked sessions, so that a logged-in
// reader's requests cost no database round trip.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
}

type cachedSession struct {
	account Account
	until   time.Time
}

func (c *sessionCache) get(tokenHash string, now time.Time) (Account, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[tokenHash]
	if !ok || now.After(e.until) {
		return Account{}, false
	}
	return e.account, true
}

func (c *sessionCache) put(tokenHash string, a Account, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 100_000 {
		c.entries = map[string]cachedSession{}
	}
	c.entries[tokenHash] = cachedSession{account: a, until: until}
}

func (c *sessionCache) drop(tokenHash string) {
	c.mu.Lock()
	delete(c.entries, tokenHash)
	c.mu.Unlock()
}

func (c *sessionCache) clear() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
