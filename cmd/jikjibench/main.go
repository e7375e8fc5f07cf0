// Command jikjibench measures Jikji against the machine's limits: it builds
// jikji, generates the sites (kept in .bench/ and reused), starts Jikji and
// the reference servers (a minimal Go net/http server replaying Jikji's
// exact response, and nginx serving the same bytes), drives them in
// alternation with wrk on 127.0.0.1, and prints a table of every target:
// our figure, the reference's, the ratio, pass or fall short.
//
// Run it with `make bench`. It takes about ten minutes the first time (the
// million-article site is generated once) and about five afterwards.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var (
	dir         = flag.String("dir", ".bench", "folder for the binary, the generated sites and scratch files")
	duration    = flag.Duration("duration", 5*time.Second, "length of each wrk run")
	rounds      = flag.Int("rounds", 3, "alternating rounds per read comparison")
	large       = flag.Int("large", 1_000_000, "articles of the large site")
	quick       = flag.Bool("quick", false, "a smaller large site and shorter runs, to try the harness")
	only        = flag.String("only", "", "run one part: reads, writes, live, scale, search or wordpress")
	liveStreams = flag.Int("live-streams", 10_000, "open pages the live part holds on one node")
	benchConn   = 64
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "refserver" {
		refServer(os.Args[2], os.Args[3], os.Args[4])
		return
	}
	flag.Parse()
	if *quick {
		*large, *duration, *rounds = 20_000, 2*time.Second, 1
	}
	started := time.Now()
	b := &bench{}
	if err := b.run(); err != nil {
		fmt.Fprintln(os.Stderr, "jikjibench:", err)
		b.stopAll()
		os.Exit(1)
	}
	b.stopAll()
	b.print(time.Since(started))
}

type result struct {
	target, ours, ref, ratio, need string
	pass                           bool
	note                           string
}

type bench struct {
	bin     string
	results []result
	procs   []*exec.Cmd
}

func (b *bench) add(r result) {
	b.results = append(b.results, r)
	mark := "PASS"
	if !r.pass {
		mark = "SHORT"
	}
	fmt.Fprintf(os.Stderr, "  %-58s %s (%s vs %s, %s)\n", r.target, mark, r.ours, r.ref, r.ratio)
}

func (b *bench) print(took time.Duration) {
	host, _ := os.Hostname()
	fmt.Printf("Jikji benchmark, %s, %s, %d CPUs (GOMAXPROCS %d), took %s\n", time.Now().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.GOMAXPROCS(0), took.Round(time.Second))
	fmt.Printf("load generator: wrk, %d connections, %s runs, %d alternating rounds (median)\n\n", benchConn, *duration, *rounds)
	fmt.Printf("| target | Jikji | reference | ratio | needed | result |\n|---|---|---|---|---|---|\n")
	for _, r := range b.results {
		mark := "pass"
		if !r.pass {
			mark = "**falls short**"
		}
		if r.note != "" {
			mark += " (" + r.note + ")"
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.target, r.ours, r.ref, r.ratio, r.need, mark)
	}
}

func (b *bench) run() error {
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	b.bin = filepath.Join(*dir, "jikji")
	step("building jikji")
	if out, err := exec.Command("go", "build", "-o", b.bin, "./cmd/jikji").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v\n%s", err, out)
	}
	if *only == "wordpress" {
		return b.wordpressImport()
	}
	if err := ensureTools(); err != nil {
		return err
	}
	if *only == "search" {
		return b.search()
	}
	small, err := b.site("small", "--articles", "1000", "--readers", "1000", "--thread-comments", "100000", "--comments", "5000")
	if err != nil {
		return err
	}
	if *only == "" || *only == "reads" {
		if err := b.reads(small); err != nil {
			return err
		}
	}
	if *only == "" || *only == "writes" {
		if err := b.writes(small); err != nil {
			return err
		}
	}
	if *only == "" || *only == "live" {
		if err := b.live(small); err != nil {
			return err
		}
	}
	if *only == "" || *only == "scale" {
		// Only the scale comparison needs the large site (generated once,
		// slowly) and a small one made like it.
		big, err := b.site(fmt.Sprintf("large-%d", *large), "--articles", strconv.Itoa(*large), "--readers", "100", "--search-index=false")
		if err != nil {
			return err
		}
		tiny, err := b.site("scale-1000", "--articles", "1000", "--readers", "100", "--search-index=false")
		if err != nil {
			return err
		}
		if err := b.scale(small, tiny, big); err != nil {
			return err
		}
	}
	if *only == "" {
		if err := b.search(); err != nil {
			return err
		}
		return b.wordpressImport()
	}
	return nil
}

func step(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "• "+format+"\n", args...)
}

// ensureTools installs wrk and nginx from Debian when missing.
func ensureTools() error {
	var missing []string
	if _, err := exec.LookPath("wrk"); err != nil {
		missing = append(missing, "wrk")
	}
	if _, err := exec.LookPath("nginx"); err != nil {
		if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
			missing = append(missing, "nginx-light")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	step("installing %s", strings.Join(missing, ", "))
	if out, err := exec.Command("apt-get", "update", "-qq").CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get update: %v\n%s", err, out)
	}
	cmd := exec.Command("apt-get", append([]string{"install", "-y", "-qq"}, missing...)...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get install: %v\n%s", err, out)
	}
	return nil
}

// site generates a site once and keeps it for later runs.
func (b *bench) site(name string, args ...string) (string, error) {
	path := filepath.Join(*dir, "site-"+name)
	done := filepath.Join(path, "generated")
	if _, err := os.Stat(done); err == nil {
		step("reusing site %s", name)
		return path, nil
	}
	os.RemoveAll(path)
	step("generating site %s (%s)", name, strings.Join(args, " "))
	cmd := exec.Command(b.bin, append([]string{"generate", "--data", path, "--password-cost", "4"}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("generate %s: %w", name, err)
	}
	return path, os.WriteFile(done, []byte(time.Now().Format(time.RFC3339)), 0o644)
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a running process under test.
type server struct {
	cmd     *exec.Cmd
	addr    string
	started time.Time
	ready   time.Duration
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

func (b *bench) start(name string, args ...string) (*server, error) {
	s := &server{addr: freePort()}
	cmd := exec.Command(name, args...)
	for i, a := range cmd.Args {
		cmd.Args[i] = strings.ReplaceAll(a, "ADDR", s.addr)
	}
	logf, _ := os.Create(filepath.Join(*dir, filepath.Base(name)+".log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s.cmd = cmd
	b.procs = append(b.procs, cmd)
	return s, nil
}

func (b *bench) startJikji(site string, extra ...string) (*server, error) {
	args := append([]string{"serve", "--data", site, "--addr", "ADDR", "--rate-limit=false", "--demo=false", "--reindex-missing=false", "--log-level", "warn"}, extra...)
	s, err := b.start(b.bin, args...)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(s.url("/healthz"))
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				s.ready = time.Since(s.started)
				return s, nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil, fmt.Errorf("jikji on %s did not become ready", site)
}

func (b *bench) stop(s *server) {
	if s == nil || s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd = nil
}

func (b *bench) stopAll() {
	for _, c := range b.procs {
		if c.ProcessState == nil && c.Process != nil {
			c.Process.Kill()
			c.Wait()
		}
	}
}

// wrkResult is one wrk run.
type wrkResult struct {
	rps    float64
	p99    time.Duration
	non2xx int
}

var (
	rpsRE    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99RE    = regexp.MustCompile(`\s99%\s+([0-9.]+)(us|ms|s)`)
	non2xxRE = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
)

func wrk(url string, headers []string, script string) (wrkResult, error) {
	args := []string{"-t2", fmt.Sprintf("-c%d", benchConn), "-d" + duration.String(), "--latency", "--timeout", "5s"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	if script != "" {
		args = append(args, "-s", script)
	}
	args = append(args, url)
	out, err := exec.Command("wrk", args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	m := rpsRE.FindSubmatch(out)
	p := p99RE.FindSubmatch(out)
	if m == nil || p == nil {
		return wrkResult{}, fmt.Errorf("wrk output not understood:\n%s", out)
	}
	var r wrkResult
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	v, _ := strconv.ParseFloat(string(p[1]), 64)
	switch string(p[2]) {
	case "us":
		r.p99 = time.Duration(v * float64(time.Microsecond))
	case "ms":
		r.p99 = time.Duration(v * float64(time.Millisecond))
	default:
		r.p99 = time.Duration(v * float64(time.Second))
	}
	if n := non2xxRE.FindSubmatch(out); n != nil {
		r.non2xx, _ = strconv.Atoi(string(n[1]))
	}
	return r, nil
}

// alternate runs a and b in turn and returns the medians.
func alternate(n int, a, b func() (wrkResult, error)) (wrkResult, wrkResult, error) {
	var as, bs []wrkResult
	for i := 0; i < n; i++ {
		ra, err := a()
		if err != nil {
			return wrkResult{}, wrkResult{}, err
		}
		rb, err := b()
		if err != nil {
			return wrkResult{}, wrkResult{}, err
		}
		as, bs = append(as, ra), append(bs, rb)
	}
	return median(as), median(bs), nil
}

func median(rs []wrkResult) wrkResult {
	sort.Slice(rs, func(i, j int) bool { return rs[i].rps < rs[j].rps })
	m := rs[len(rs)/2]
	ps := make([]time.Duration, len(rs))
	for i, r := range rs {
		ps[i] = r.p99
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	m.p99 = ps[len(ps)/2]
	return m
}

func rps(v float64) string { return fmt.Sprintf("%.0f req/s", v) }

// fetch records Jikji's exact response (headers and body) for the
// reference servers to replay.
func fetch(url string, headers []string) (hdrFile, bodyFile string, err error) {
	req, _ := http.NewRequest("GET", url, nil)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return "", "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return "", "", err
	}
	if res.StatusCode != 200 {
		return "", "", fmt.Errorf("GET %s: %d", url, res.StatusCode)
	}
	var hb bytes.Buffer
	for k, vs := range res.Header {
		if k == "Date" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(&hb, "%s: %s\n", k, v)
		}
	}
	base := filepath.Join(*dir, fmt.Sprintf("ref-%d", time.Now().UnixNano()))
	if err := os.WriteFile(base+".hdr", hb.Bytes(), 0o644); err != nil {
		return "", "", err
	}
	return base + ".hdr", base + ".body", os.WriteFile(base+".body", body, 0o644)
}

// refServer is the minimal Go net/http server: it answers every request
// with the recorded headers and body from memory.
func refServer(addr, hdrFile, bodyFile string) {
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		panic(err)
	}
	raw, err := os.ReadFile(hdrFile)
	if err != nil {
		panic(err)
	}
	header := http.Header{}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			header.Add(k, v)
		}
	}
	panic(http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		w.Write(body)
	})))
}

// nginxConf serves the recorded body with its content type and encoding.
func (b *bench) startNginx(hdrFile, bodyFile string) (*server, error) {
	raw, _ := os.ReadFile(hdrFile)
	var ctype, enc string
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			switch k {
			case "Content-Type":
				ctype = v
			case "Content-Encoding":
				enc = v
			}
		}
	}
	addr := freePort()
	abs, _ := filepath.Abs(bodyFile)
	prefix, _ := filepath.Abs(filepath.Join(*dir, "nginx"))
	os.MkdirAll(prefix, 0o755)
	encLine := ""
	if enc != "" {
		encLine = "add_header Content-Encoding " + enc + ";"
	}
	conf := fmt.Sprintf(`worker_processes 2;
daemon off;
error_log %[1]s/error.log;
pid %[1]s/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen %[2]s;
    location / {
      default_type "%[3]s";
      %[4]s
      alias %[5]s;
    }
  }
}
`, prefix, addr, ctype, encLine, abs)
	confFile := filepath.Join(prefix, "nginx.conf")
	os.WriteFile(confFile, []byte(conf), 0o644)
	s := &server{addr: addr}
	cmd := exec.Command("nginx", "-c", confFile, "-p", prefix)
	if _, err := exec.LookPath("nginx"); err != nil {
		cmd = exec.Command("/usr/sbin/nginx", "-c", confFile, "-p", prefix)
	}
	logf, _ := os.Create(filepath.Join(prefix, "stderr.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s.cmd = cmd
	b.procs = append(b.procs, cmd)
	return s, waitListening(addr)
}

func waitListening(addr string) error {
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("%s not listening", addr)
}

// compareRead measures a Jikji URL against the Go reference (and nginx, for
// context) replaying the identical response.
func (b *bench) compareRead(j *server, label, path string, headers []string, minRatio float64, p99Max float64) error {
	url := j.url(path)
	// Warm the cache and the connection pools.
	if _, err := wrk(url, headers, ""); err != nil {
		return err
	}
	hdr, body, err := fetch(url, headers)
	if err != nil {
		return err
	}
	ref, err := b.start(os.Args[0], "refserver", "ADDR", hdr, body)
	if err != nil {
		return err
	}
	defer b.stop(ref)
	if err := waitListening(ref.addr); err != nil {
		return err
	}
	ours, theirs, err := alternate(*rounds,
		func() (wrkResult, error) { return wrk(url, headers, "") },
		func() (wrkResult, error) { return wrk(ref.url(path), headers, "") })
	if err != nil {
		return err
	}
	ratio := ours.rps / theirs.rps
	b.add(result{target: label + ": throughput", ours: rps(ours.rps), ref: rps(theirs.rps) + " (Go)",
		ratio: fmt.Sprintf("%.2f×", ratio), need: fmt.Sprintf("≥ %.2f×", minRatio), pass: ratio >= minRatio && ours.non2xx == 0})
	if p99Max > 0 {
		pr := float64(ours.p99) / float64(theirs.p99)
		b.add(result{target: label + ": p99 latency", ours: ours.p99.Round(10 * time.Microsecond).String(), ref: theirs.p99.Round(10*time.Microsecond).String() + " (Go)",
			ratio: fmt.Sprintf("%.2f×", pr), need: fmt.Sprintf("≤ %.1f×", p99Max), pass: pr <= p99Max})
	}
	if ng, err := b.startNginx(hdr, body); err == nil {
		r, err := wrk(ng.url(path), headers, "")
		b.stop(ng)
		if err == nil {
			b.add(result{target: label + ": nginx, same bytes (context)", ours: rps(ours.rps), ref: rps(r.rps) + " (nginx)",
				ratio: fmt.Sprintf("%.2f×", ours.rps/r.rps), need: "—", pass: true})
		}
	}
	return nil
}

var gzipHeaders = []string{"Accept-Encoding: gzip"}

// newest returns the id of the newest article and the one before it.
func newest(j *server) (int64, int64, error) {
	res, err := http.Get(j.url("/api/v1/articles?limit=2"))
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	var page struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || len(page.Articles) < 2 {
		return 0, 0, fmt.Errorf("list articles: %v", err)
	}
	return page.Articles[0].ID, page.Articles[1].ID, nil
}

// login returns a client logged in as generated reader n.
func login(j *server, n int) (*http.Client, string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body := fmt.Sprintf(`{"email":"reader%d@example.com","password":"jikji-load-test"}`, n)
	res, err := c.Post(j.url("/api/v1/auth/login"), "application/json", strings.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return nil, "", fmt.Errorf("login reader%d: %d", n, res.StatusCode)
	}
	var cookie string
	for _, ck := range res.Cookies() {
		if ck.Name == "jikji_session" {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	return c, cookie, nil
}

func (b *bench) reads(site string) error {
	step("read path on the small site")
	j, err := b.startJikji(site)
	if err != nil {
		return err
	}
	defer b.stop(j)
	hot, second, err := newest(j)
	if err != nil {
		return err
	}
	article := fmt.Sprintf("/articles/%d", second)
	if err := b.compareRead(j, "Anonymous article page (gzip)", article, gzipHeaders, 0.9, 1.2); err != nil {
		return err
	}
	if err := b.compareRead(j, "Home page (gzip)", "/", gzipHeaders, 0.9, 1.2); err != nil {
		return err
	}

	// A thread of exactly 100 comments on the second newest article.
	c, _, err := login(j, 1)
	if err != nil {
		return err
	}
	var have struct{ Count int }
	if err := getJSON(c, j.url(fmt.Sprintf("/api/v1/articles/%d/comments", second)), &have); err != nil {
		return err
	}
	for i := have.Count; i < 100; i++ {
		res, err := c.Post(j.url(fmt.Sprintf("/api/v1/articles/%d/comments", second)), "application/json",
			strings.NewReader(fmt.Sprintf(`{"body":"백 개짜리 토론의 %d번째 댓글"}`, i+1)))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	time.Sleep(time.Second) // past the freshness window
	if err := b.compareRead(j, "100-comment thread, first page, HTML", fmt.Sprintf("/articles/%d/comments", second), gzipHeaders, 0.5, 0); err != nil {
		return err
	}
	if err := b.compareRead(j, "100-comment thread, first page, JSON", fmt.Sprintf("/api/v1/articles/%d/comments", second), gzipHeaders, 0.5, 0); err != nil {
		return err
	}

	// Logged-in readers: 100 sessions, each with a reaction and a saved
	// article on the page, so the page must show their own state.
	var cookies []string
	for n := 2; n <= 101; n++ {
		c, cookie, err := login(j, n)
		if err != nil {
			return err
		}
		put(c, j.url(fmt.Sprintf("/api/v1/articles/%d/reaction", second)), `{"reaction":"like"}`)
		put(c, j.url(fmt.Sprintf("/api/v1/articles/%d/bookmark", second)), "")
		cookies = append(cookies, cookie)
	}
	script := filepath.Join(*dir, "sessions.lua")
	var lua strings.Builder
	lua.WriteString("local cookies = {\n")
	for _, ck := range cookies {
		fmt.Fprintf(&lua, "  %q,\n", ck)
	}
	lua.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  wrk.headers[\"Cookie\"] = cookies[(i % #cookies) + 1]\n  return wrk.format(nil)\nend\n")
	os.WriteFile(script, []byte(lua.String()), 0o644)
	// Check that a logged-in page does show the reader's own state.
	req, _ := http.NewRequest("GET", j.url(article), nil)
	req.Header.Set("Cookie", cookies[0])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Contains(page, []byte(`bookmark-button" aria-pressed="true"`)) || !bytes.Contains(page, []byte(`reaction-like" aria-pressed="true"`)) {
		return errors.New("the logged-in page does not show the reader's own state")
	}
	anon, in, err := alternate(*rounds,
		func() (wrkResult, error) { return wrk(j.url(article), gzipHeaders, "") },
		func() (wrkResult, error) { return wrk(j.url(article), gzipHeaders, script) })
	if err != nil {
		return err
	}
	ratio := in.rps / anon.rps
	b.add(result{target: "Logged-in article page, own reaction and saved state (100 readers)", ours: rps(in.rps), ref: rps(anon.rps) + " (anonymous)",
		ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.50×", pass: ratio >= 0.5 && in.non2xx == 0})
	_ = hot
	return nil
}

func getJSON(c *http.Client, url string, v any) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	return json.NewDecoder(res.Body).Decode(v)
}

func put(c *http.Client, url, body string) (int, error) {
	req, _ := http.NewRequest("PUT", url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// writes measures acknowledged reactions and comments per second from 1,000
// logged-in readers spread over many articles, then checks the counts.
func (b *bench) writes(site string) error {
	step("write path on the small site (a copy)")
	scratch := filepath.Join(*dir, "site-writes")
	os.RemoveAll(scratch)
	if out, err := exec.Command("cp", "-a", site, scratch).CombinedOutput(); err != nil {
		return fmt.Errorf("copy site: %v %s", err, out)
	}
	defer os.RemoveAll(scratch)
	j, err := b.startJikji(scratch)
	if err != nil {
		return err
	}
	defer b.stop(j)
	const readers = 1000
	tr := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	cookies := make([]string, readers)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	var loginErr atomic.Value
	for n := 1; n <= readers; n++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			_, ck, err := login(j, n)
			if err != nil {
				loginErr.Store(err)
			}
			cookies[n-1] = ck
		}()
	}
	wg.Wait()
	if err, _ := loginErr.Load().(error); err != nil {
		return err
	}
	res, err := http.Get(j.url("/api/v1/articles?limit=100"))
	if err != nil {
		return err
	}
	var page struct {
		Articles []struct{ ID int64 } `json:"articles"`
	}
	json.NewDecoder(res.Body).Decode(&page)
	res.Body.Close()
	// The two newest articles were reacted to in the read part; these were not.
	articles := page.Articles[2:42]

	// Reactions: every reader once on each of 20 articles.
	kinds := []string{"like", "warm", "sad", "angry", "want_more"}
	type job struct {
		reader, article int
	}
	run := func(n int, do func(j job) (bool, error)) (acked int64, took time.Duration, err error) {
		jobs := make(chan job, 1024)
		var ok atomic.Int64
		var firstErr atomic.Value
		var wg sync.WaitGroup
		for w := 0; w < 256; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for jb := range jobs {
					good, err := do(jb)
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
					}
					if good {
						ok.Add(1)
					}
				}
			}()
		}
		start := time.Now()
		for a := 0; a < n; a++ {
			for r := 0; r < readers; r++ {
				jobs <- job{reader: r, article: a}
			}
		}
		close(jobs)
		wg.Wait()
		took = time.Since(start)
		if e, _ := firstErr.Load().(error); e != nil {
			return ok.Load(), took, e
		}
		return ok.Load(), took, nil
	}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	send := func(method, url, cookie, body string) (int, error) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Cookie", cookie)
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, nil
	}
	// Warm up connections.
	send("GET", j.url("/healthz"), "", "")
	const reactArticles = 20
	acked, took, err := run(reactArticles, func(jb job) (bool, error) {
		st, err := send("PUT", j.url(fmt.Sprintf("/api/v1/articles/%d/reaction", articles[jb.article].ID)), cookies[jb.reader],
			fmt.Sprintf(`{"reaction":%q}`, kinds[(jb.reader+jb.article)%len(kinds)]))
		return st == 200, err
	})
	if err != nil {
		return err
	}
	perSec := float64(acked) / took.Seconds()
	exact := true
	for a := 0; a < reactArticles; a++ {
		var st struct{ Counts map[string]int64 }
		getJSON(client, j.url(fmt.Sprintf("/api/v1/articles/%d/reactions", articles[a].ID)), &st)
		var total int64
		for _, v := range st.Counts {
			total += v
		}
		if total != readers {
			exact = false
		}
	}
	note := "counts exact"
	if !exact || acked != readers*reactArticles {
		note = fmt.Sprintf("counts NOT exact: %d acknowledged of %d", acked, readers*reactArticles)
	}
	b.add(result{target: fmt.Sprintf("Reactions acknowledged, 1,000 readers × %d articles, synchronous=FULL", reactArticles), ours: fmt.Sprintf("%.0f/s", perSec), ref: "10,000/s",
		ratio: fmt.Sprintf("%.2f×", perSec/10000), need: "≥ 10,000/s", pass: perSec >= 10000 && exact, note: note})

	// Comments: every reader once on each of 10 other articles.
	const commentArticles = 10
	var before int64
	for a := 20; a < 20+commentArticles; a++ {
		var c struct{ Count int64 }
		getJSON(client, j.url(fmt.Sprintf("/api/v1/articles/%d/comments?limit=1", articles[a].ID)), &c)
		before += c.Count
	}
	acked, took, err = run(commentArticles, func(jb job) (bool, error) {
		st, err := send("POST", j.url(fmt.Sprintf("/api/v1/articles/%d/comments", articles[20+jb.article].ID)), cookies[jb.reader],
			fmt.Sprintf(`{"body":"독자 %d의 의견입니다. 후속 보도 부탁드립니다."}`, jb.reader))
		return st == 201, err
	})
	if err != nil {
		return err
	}
	perSec = float64(acked) / took.Seconds()
	time.Sleep(time.Second)
	var after int64
	for a := 20; a < 20+commentArticles; a++ {
		var c struct{ Count int64 }
		getJSON(client, j.url(fmt.Sprintf("/api/v1/articles/%d/comments?limit=1", articles[a].ID)), &c)
		after += c.Count
	}
	note = "counts exact"
	if after-before != acked {
		note = fmt.Sprintf("counts NOT exact: %d acknowledged, count rose %d", acked, after-before)
	}
	b.add(result{target: fmt.Sprintf("Comments acknowledged, 1,000 readers × %d articles, synchronous=FULL", commentArticles), ours: fmt.Sprintf("%.0f/s", perSec), ref: "5,000/s",
		ratio: fmt.Sprintf("%.2f×", perSec/5000), need: "≥ 5,000/s", pass: perSec >= 5000 && after-before == acked, note: note})
	return nil
}

// scale compares the database-bound article page (page cache off) on the
// small and the large site, the 100,000-comment thread against the
// 100-comment one, and the large site's memory and start-up time.
func (b *bench) scale(small, tiny, big string) error {
	step("scale: page cache off, random articles")
	randomScript := func(n int64) string {
		path := filepath.Join(*dir, fmt.Sprintf("random-%d.lua", n))
		os.WriteFile(path, []byte(fmt.Sprintf("math.randomseed(42)\nrequest = function()\n  return wrk.format(\"GET\", \"/articles/\" .. math.random(1, %d))\nend\n", n)), 0o644)
		return path
	}
	measure := func(site string, n int64) (wrkResult, *server, error) {
		j, err := b.startJikji(site, "--page-cache=false")
		if err != nil {
			return wrkResult{}, nil, err
		}
		wrk(j.url("/"), gzipHeaders, randomScript(n))
		r, err := wrk(j.url("/"), gzipHeaders, randomScript(n))
		return r, j, err
	}
	rs, j, err := measure(tiny, 1000)
	if err != nil {
		return err
	}
	b.stop(j)
	if j, err = b.startJikji(small, "--page-cache=false"); err != nil {
		return err
	}
	hot, second, err := newest(j)
	if err != nil {
		return err
	}
	// The 100,000-comment thread against the 100-comment one, uncached.
	thread := func(id int64) (wrkResult, error) {
		return wrk(j.url(fmt.Sprintf("/api/v1/articles/%d/comments", id)), gzipHeaders, "")
	}
	hundred, big100k, err := alternate(*rounds, func() (wrkResult, error) { return thread(second) }, func() (wrkResult, error) { return thread(hot) })
	b.stop(j)
	if err != nil {
		return err
	}
	ratio := big100k.rps / hundred.rps
	b.add(result{target: "First comment page: 100,000-comment thread vs 100 (no page cache)", ours: rps(big100k.rps), ref: rps(hundred.rps) + " (100 comments)",
		ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.80×", pass: ratio >= 0.8})

	rl, j, err := measure(big, int64(*large))
	if err != nil {
		return err
	}
	// Memory under load with the page cache on.
	b.stop(j)
	ratio = rl.rps / rs.rps
	b.add(result{target: fmt.Sprintf("Article page at %d articles vs 1,000 (no page cache, random articles)", *large), ours: rps(rl.rps), ref: rps(rs.rps) + " (1,000)",
		ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.90×", pass: ratio >= 0.9})

	j, err = b.startJikji(big)
	if err != nil {
		return err
	}
	b.add(result{target: fmt.Sprintf("Ready to serve after start, %d articles", *large), ours: j.ready.Round(time.Millisecond).String(), ref: "1s",
		ratio: fmt.Sprintf("%.2f×", j.ready.Seconds()), need: "≤ 1s", pass: j.ready <= time.Second})
	wrk(j.url("/"), gzipHeaders, randomScript(int64(*large)))
	wrk(j.url("/"), gzipHeaders, "")
	rss := peakRSS(j.cmd.Process.Pid)
	b.stop(j)
	b.add(result{target: fmt.Sprintf("Peak resident memory serving %d articles under load", *large), ours: fmt.Sprintf("%d MB", rss>>20), ref: "256 MB",
		ratio: fmt.Sprintf("%.2f×", float64(rss)/float64(256<<20)), need: "≤ 256 MB", pass: rss <= 256<<20})
	return nil
}

// peakRSS reads the process's high-water resident set from /proc.
func peakRSS(pid int) int64 { return procStatusBytes(pid, "VmHWM:") }

// procStatusBytes reads a size field (in kB) of /proc/PID/status, in
// bytes; -1 if it cannot.
func procStatusBytes(pid int, field string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return -1
}
