package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestAcceptEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"":                           "",
		"gzip":                       "gzip",
		"gzip, deflate, br":          "br",
		"br;q=0, gzip":               "gzip",
		"gzip;q=0":                   "",
		"gzip;q=0.0, br;q=0.000":     "",
		"gzip;q=0.5":                 "gzip",
		"identity":                   "",
		"*":                          "gzip",
		" br ; q=1 , gzip ; q=0.8 ":  "br",
		"deflate, gzip;q=1.0, *;q=0": "gzip",
	} {
		if got := acceptEncoding(header); got != want {
			t.Errorf("acceptEncoding(%q) = %q, want %q", header, got, want)
		}
	}
}

// TestPanicInRenderDoesNotJamTheURL renders a page that panics while other
// readers wait for it: all get a 500, and the next request renders anew.
func TestPanicInRenderDoesNotJamTheURL(t *testing.T) {
	s := &Server{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), cache: newPageCache(250*time.Millisecond, 1<<20), metrics: newMetrics()}
	var calls atomic.Int32
	release := make(chan struct{})
	h := s.cached(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-release
			panic("template exploded")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	get := func() (status int) {
		defer func() {
			if recover() != nil {
				status = -1 // the panic escaped the cache
			}
		}()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/page", nil))
		return rec.Code
	}
	statuses := make(chan int, 5)
	for range 5 {
		go func() { statuses <- get() }()
	}
	time.Sleep(50 * time.Millisecond) // let them join the one render
	close(release)
	failed := 0
	for range 5 {
		select {
		case st := <-statuses:
			// One slow to join may come after the panic and render anew.
			switch st {
			case http.StatusInternalServerError:
				failed++
			case http.StatusOK:
			default:
				t.Errorf("a reader of the panicking render got %d, want 500", st)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("a reader still waits for the render that panicked")
		}
	}
	if failed == 0 {
		t.Error("no reader got a 500 for the render that panicked")
	}
	done := make(chan int, 1)
	go func() { done <- get() }()
	select {
	case st := <-done:
		if st != http.StatusOK {
			t.Errorf("the next request: %d, want 200", st)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the next request waits for the render that panicked")
	}
}
