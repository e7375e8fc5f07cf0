// Package password hashes and checks passwords with bcrypt, a few at a time,
// so that a burst of sign-ups or logins cannot exhaust CPU and memory.
package password

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Hasher hashes with a fixed bcrypt cost and bounded concurrency.
type Hasher struct {
	cost  int
	slots chan struct{}

	dummyOnce sync.Once
	dummy     []byte
}

// New returns a Hasher with the given bcrypt cost (bcrypt.MinCost in tests,
// bcrypt.DefaultCost or more in production) running at most parallel hashes
// at once.
func New(cost, parallel int) *Hasher {
	if cost < bcrypt.MinCost {
		cost = bcrypt.MinCost
	}
	if parallel < 1 {
		parallel = 1
	}
	return &Hasher{cost: cost, slots: make(chan struct{}, parallel)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the bcrypt hash of password. bcrypt reads at most 72 bytes;
// the caller limits length.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	return string(b), err
}

// Verify reports whether password matches hash. An empty hash never
// matches, but is checked against a dummy hash so that timing does not tell
// whether an account exists.
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if hash == "" {
		h.dummyOnce.Do(func() {
			h.dummy, _ = bcrypt.GenerateFromPassword([]byte("jikji-dummy-password"), h.cost)
		})
		bcrypt.CompareHashAndPassword(h.dummy, []byte(password))
		return false, nil
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
		return false, nil
	}
	return err == nil, err
}
