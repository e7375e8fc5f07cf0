// Package mailpit runs a real SMTP server for tests: Mailpit
// (github.com/axllent/mailpit), started on free loopback ports, whose HTTP
// API lists what it received.
package mailpit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	SMTPAddr string // host:port
	API      string // http://host:port
	cmd      *exec.Cmd
	out      *bytes.Buffer
}

// Binary finds the mailpit program: $JIKJI_MAILPIT, then PATH, then
// $GOPATH/bin (where `go install` puts it).
func Binary() string {
	if p := os.Getenv("JIKJI_MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath, err := exec.Command("go", "env", "GOPATH").Output()
	if err == nil {
		p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func freeAddr(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Start runs Mailpit until tb ends, with extra flags (say, TLS or allowed
// recipients). Without the program, the test is skipped, or fails when
// JIKJI_REQUIRE_MAILPIT is set.
func Start(tb testing.TB, flags ...string) *Server {
	tb.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("JIKJI_REQUIRE_MAILPIT") != "" {
			tb.Fatal("mailpit is required (JIKJI_REQUIRE_MAILPIT) but not installed: go install github.com/axllent/mailpit@v1.33.1")
		}
		tb.Skip("mailpit not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	s := &Server{SMTPAddr: freeAddr(tb), out: &bytes.Buffer{}}
	httpAddr := freeAddr(tb)
	s.API = "http://" + httpAddr
	args := append([]string{"--smtp", s.SMTPAddr, "--listen", httpAddr, "--database", filepath.Join(tb.TempDir(), "mailpit.db"),
		"--smtp-disable-rdns", "--quiet", "--smtp-max-recipients", "1000"}, flags...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start mailpit: %v", err)
	}
	tb.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(s.API + "/api/v1/info")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				if c, err := net.Dial("tcp", s.SMTPAddr); err == nil {
					c.Close()
					return s
				}
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailpit did not start: %v\n%s", err, s.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// URL is an --smtp-url for the server.
func (s *Server) URL() string { return "smtp://" + s.SMTPAddr }

// Address is a mailbox as Mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Message is a received message, as /api/v1/message/{ID} returns it.
type Message struct {
	ID        string
	MessageID string
	From      Address
	To        []Address
	Subject   string
	Text      string
	HTML      string
}

// Summary is a message in the list.
type Summary struct {
	ID        string
	MessageID string
	To        []Address
	Subject   string
}

func (s *Server) getJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	res, err := http.Get(s.API + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("mailpit %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		tb.Fatalf("mailpit %s: %v", path, err)
	}
}

// List returns every received message, newest first.
func (s *Server) List(tb testing.TB) []Summary {
	tb.Helper()
	var out struct{ Messages []Summary }
	s.getJSON(tb, "/api/v1/messages?limit=100000", &out)
	return out.Messages
}

// Get returns one message with its bodies.
func (s *Server) Get(tb testing.TB, id string) Message {
	tb.Helper()
	var m Message
	s.getJSON(tb, "/api/v1/message/"+id, &m)
	return m
}

// Headers returns a message's headers, decoded.
func (s *Server) Headers(tb testing.TB, id string) map[string][]string {
	tb.Helper()
	var h map[string][]string
	s.getJSON(tb, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Raw returns a message as received.
func (s *Server) Raw(tb testing.TB, id string) string {
	tb.Helper()
	res, err := http.Get(s.API + "/api/v1/message/" + id + "/raw")
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(res.Body)
	return b.String()
}

// WaitFor waits until a message to the address whose subject contains
// subject has arrived, and returns it.
func (s *Server) WaitFor(tb testing.TB, to, subject string, timeout time.Duration) Message {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range s.List(tb) {
			if strings.Contains(m.Subject, subject) && len(m.To) > 0 && strings.EqualFold(m.To[0].Address, to) {
				return s.Get(tb, m.ID)
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no mail to %s with %q within %v; received: %s", to, subject, timeout, s.describe(tb))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitCount waits until at least n messages have arrived.
func (s *Server) WaitCount(tb testing.TB, n int, timeout time.Duration) []Summary {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		list := s.List(tb)
		if len(list) >= n {
			return list
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages within %v, want %d", len(list), timeout, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) describe(tb testing.TB) string {
	var parts []string
	for _, m := range s.List(tb) {
		to := ""
		if len(m.To) > 0 {
			to = m.To[0].Address
		}
		parts = append(parts, fmt.Sprintf("%s %q", to, m.Subject))
	}
	return strings.Join(parts, "; ")
}
