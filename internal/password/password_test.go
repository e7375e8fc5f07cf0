package password

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestHashAndVerify(t *testing.T) {
	h := New(bcrypt.MinCost, 2)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "올바른 비밀번호 123")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(ctx, hash, "올바른 비밀번호 123"); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := h.Verify(ctx, hash, "틀린 비밀번호"); ok {
		t.Errorf("wrong password accepted")
	}
	if ok, _ := h.Verify(ctx, "", "아무거나"); ok {
		t.Errorf("empty hash accepted")
	}
}

func TestConcurrencyIsBounded(t *testing.T) {
	h := New(bcrypt.MinCost, 2)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.acquire(context.Background())
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			h.release()
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d hashes ran at once, want at most 2", peak.Load())
	}
}
