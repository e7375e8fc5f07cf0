package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the server and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// On a terminal a newcomer is told, in one plain line, where the site is,
// where its data lives, and a command that makes the first admin.
func TestServeTellsATerminalWhereTheSiteIs(t *testing.T) {
	data := filepath.Join(t.TempDir(), "site data")
	var console syncBuffer
	c := Config{Addr: "127.0.0.1:0", Data: data, Demo: true, PasswordCost: 4, RateLimit: true}
	m := &Main{Config: c, Logger: newTextLogger(&console, "warn"), Console: &console}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	within(t, 5*time.Second, func() error {
		if !strings.Contains(console.String(), "\n") {
			return os.ErrNotExist
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	m.Close()

	out := console.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one line on the terminal, got %d:\n%s", len(lines), out)
	}
	line := lines[0]
	for _, want := range []string{"http://" + m.Addr, data, "user add"} {
		if !strings.Contains(line, want) {
			t.Errorf("line lacks %q: %s", want, line)
		}
	}
	if strings.HasPrefix(line, "{") {
		t.Errorf("a terminal got JSON: %s", line)
	}

	// The command it shows works as printed, once the placeholders are
	// filled in (the password comes from a file here, not the keyboard).
	_, command, ok := strings.Cut(line, "user add")
	if !ok {
		t.Fatal("no user add command")
	}
	args := []string{"user", "add"}
	for _, f := range shellWords(t, command) {
		switch f {
		case "메일주소":
			f = "chief@example.com"
		case "이름":
			f = "편집국장"
		}
		args = append(args, f)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("a long passphrase\n"), 0o600)
	mustJikji(t, append(args, "--password-file", pw)...)
}

// shellWords splits a command line as a POSIX shell would, for the simple
// quoting startLine uses.
func shellWords(tb testing.TB, s string) []string {
	tb.Helper()
	var words []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		tb.Fatalf("unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

// Anywhere else (a file, a pipe, a log collector) serve writes JSON lines.
func TestServeLogsJSONElsewhere(t *testing.T) {
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	data := t.TempDir()
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--data", data, "--password-cost", "4"}, &logs)
	}()
	within(t, 10*time.Second, func() error {
		if !strings.Contains(logs.String(), `"msg":"serving"`) {
			return os.ErrNotExist
		}
		return nil
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON log line: %q", line)
			continue
		}
		if rec["msg"] == "serving" && (rec["addr"] == "" || rec["data"] != data) {
			t.Errorf("serving record lacks the address or data folder: %v", rec)
		}
	}
}
