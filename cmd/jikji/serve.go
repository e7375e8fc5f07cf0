package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"jikji/internal/demo"
	"jikji/internal/mailer"
	"jikji/internal/news"
	"jikji/internal/password"
	"jikji/internal/postgres"
	"jikji/internal/sqlite"
	"jikji/internal/web"
)

// Main is a running site: the store, the service and the HTTP server. Tests
// boot it on port 0 with a temporary data folder.
type Main struct {
	Config Config
	Logger *slog.Logger
	// Console, when set, is a terminal: the site's address is told there in
	// one plain line instead of as a JSON log record.
	Console io.Writer

	Store   news.Store
	Service *news.Service
	// Addr is the address actually listened on, once Run has started.
	Addr string

	closers  []func() error
	mail     *mailer.SMTP                // nil without --smtp-url
	ping     func(context.Context) error // the database answers
	server   *http.Server
	listener net.Listener
}

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var c Config
	fs := newSiteFlagSet("serve", stderr, &c)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.BaseURL, "base-url", "", "public origin for absolute URLs (default http:// + --addr)")
	fs.BoolVar(&c.Demo, "demo", true, "load demo content into an empty site")
	fs.DurationVar(&c.BreakingWindow, "breaking-window", 6*time.Hour, "how long a 속보 stays in the breaking strip")
	fs.BoolVar(&c.RateLimit, "rate-limit", true, "throttle logins, sign-ups and writes (false only for load tests)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", "", "comma-separated proxy addresses or CIDR ranges whose X-Forwarded-For is believed")
	fs.StringVar(&c.FeedContent, "feed-content", web.FeedSummary, "what feed items carry: full (the whole article) or summary")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", 15, "largest photo upload, in megabytes")
	fs.IntVar(&c.CommentsPerMinute, "comments-per-minute", web.DefaultLimits.CommentsPerMinute, "comments and reports one reader may post per minute")
	fs.IntVar(&c.ReactionsPerMinute, "reactions-per-minute", web.DefaultLimits.ReactionsPerMinute, "reactions, comment votes and bookmarks one reader may make per minute")
	fs.IntVar(&c.WritesPerMinutePerIP, "writes-per-minute-per-ip", web.DefaultLimits.WritesPerMinutePerIP, "readers' writes from one address per minute")
	fs.IntVar(&c.LoginsPerIP, "logins-per-ip", web.DefaultLimits.LoginsPerIP, "login attempts from one address per 15 minutes")
	fs.IntVar(&c.SignupsPerIP, "signups-per-ip", web.DefaultLimits.SignupsPerIP, "sign-ups from one address per hour")
	fs.IntVar(&c.DailyCommentCap, "daily-comment-cap", news.DefaultDailyCommentCap, "comments one reader may write on one article per day (KST); 0 for no cap")
	fs.IntVar(&c.SearchConcurrency, "search-concurrency", 0, "searches run at once on this node; more wait briefly, then get 503 (0: half the cores, at least 1)")
	fs.DurationVar(&c.SearchTimeout, "search-timeout", 3*time.Second, "longest a search may run before it is answered 503")
	fs.IntVar(&c.LiveStreams, "live-streams", 10000, "live event streams (open pages) one node holds; more get 503 with Retry-After (0: no bound)")
	fs.DurationVar(&c.LiveHeartbeat, "live-heartbeat", web.DefaultLiveHeartbeat, "how often an idle live event stream sends a heartbeat")
	fs.BoolVar(&c.ReindexMissing, "reindex-missing", true, "index articles missing from the search index, in the background after start")
	fs.StringVar(&c.SMTPURL, "smtp-url", "", "SMTP server for mail: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; empty keeps mail in the outbox")
	fs.StringVar(&c.MailFrom, "mail-from", "", "sender of mail, e.g. '직지일보 <news@example.com>' (default: the site's name at noreply@ the --base-url host)")
	fs.DurationVar(&c.MailInterval, "mail-interval", 5*time.Second, "how often the outbox is sent and the mail jobs run")
	signInFlags(fs, &c)
	memoryLimit := fs.Int("memory-limit-mb", 150, "soft limit of the Go heap, in megabytes; the garbage collector works harder near it (0: none)")
	pageCache := fs.Bool("page-cache", true, "keep rendered pages in memory (false only to measure the database)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	c.NoPageCache = !*pageCache
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && *memoryLimit > 0 {
		// A surge must not grow the process past what the machine gives it;
		// with the limit set, collections can be rarer below it.
		debug.SetMemoryLimit(int64(*memoryLimit) << 20)
		if _, set := os.LookupEnv("GOGC"); !set {
			debug.SetGCPercent(200)
		}
	}
	m := &Main{Config: c, Logger: newLogger(stderr, c.LogLevel)}
	if isTerminal(stderr) {
		// A person is watching: plain words, and only what needs them
		// unless they asked for more. Logs that go elsewhere stay JSON.
		level := c.LogLevel
		if _, fromEnv := os.LookupEnv(envName("log-level")); !flagGiven(fs, "log-level") && !fromEnv {
			level = "warn"
		}
		m.Console = stderr
		m.Logger = newTextLogger(stderr, level)
	}
	if err := m.Open(ctx); err != nil {
		m.Close()
		return err
	}
	defer m.Close()
	return m.Serve(ctx)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: logLevel(level)}))
}

func newTextLogger(w io.Writer, level string) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: logLevel(level)}))
}

func logLevel(level string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return l
}

// isTerminal reports whether w is a terminal (not a file, pipe or
// /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// startLine tells a person at a terminal where the site is, where its data
// lives and how to make the first admin, in one line.
func (m *Main) startLine() string {
	c := m.Config
	where := "데이터 폴더 " + c.Data
	site := ""
	if c.DatabaseURL != "" {
		where = "데이터베이스 PostgreSQL"
		site = " --database-url '…'"
	} else if c.Data != "./jikji-data" {
		site = " --data " + shellQuote(c.Data)
	}
	return fmt.Sprintf("직지가 %s 에서 열렸습니다 (%s). 첫 관리자는 다른 터미널에서: %s user add%s --email 메일주소 --name 이름 --role admin",
		c.BaseURL, where, selfCommand(), site)
}

// selfCommand is how this program is run again from the same folder:
// `go run` builds into a temporary folder that is gone afterwards.
func selfCommand() string {
	exe, err := os.Executable()
	if err == nil && strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "go run ./cmd/jikji"
	}
	return shellQuote(os.Args[0])
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// openStore opens the database the configuration names, applying pending
// migrations: SQLite in the data folder, or PostgreSQL for a postgres:// or
// postgresql:// URL or a keyword/value string ("host=… dbname=…").
func openStore(ctx context.Context, c Config) (news.Store, func() error, error) {
	switch {
	case c.DatabaseURL == "":
		if err := os.MkdirAll(c.Data, 0o750); err != nil {
			return nil, nil, fmt.Errorf("data folder: %w", err)
		}
		st, err := sqlite.Open(ctx, filepath.Join(c.Data, "jikji.db"))
		if err != nil {
			return nil, nil, err
		}
		return st, st.Close, nil
	case isPostgresURL(c.DatabaseURL):
		if c.DBMaxConns < 0 || c.DBMaxConns > math.MaxInt32 {
			return nil, nil, fmt.Errorf("--db-max-conns 는 0 이상이어야 합니다: %d", c.DBMaxConns)
		}
		st, err := postgres.Open(ctx, c.DatabaseURL, postgres.Options{
			MaxConns: int32(c.DBMaxConns), StatementTimeout: c.DBStatementTimeout,
		})
		if err != nil {
			// pgx leaves passwords out of its errors; redact catches any
			// part of the URL that an error might repeat.
			return nil, nil, fmt.Errorf("PostgreSQL 데이터베이스에 연결할 수 없습니다 (%s): %s", redact(c.DatabaseURL), redactIn(err.Error(), c.DatabaseURL))
		}
		return st, st.Close, nil
	default:
		return nil, nil, fmt.Errorf("지원하지 않는 --database-url 입니다: %q (비워 두면 SQLite, postgres://… 는 PostgreSQL)", redact(c.DatabaseURL))
	}
}

// keywordDSN matches a keyword/value connection string: "host=… dbname=…".
var keywordDSN = regexp.MustCompile(`^\s*[a-z_]+\s*=`)

func isPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") || keywordDSN.MatchString(u)
}

// passwordParam matches a password in a keyword/value string or a URL query.
var passwordParam = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)`)

// redact hides a password in a database URL or keyword/value string before
// it is shown.
func redact(u string) string {
	u = passwordParam.ReplaceAllString(u, "${1}…")
	if at := strings.LastIndex(u, "@"); at > 0 {
		if scheme := strings.Index(u, "://"); scheme >= 0 && scheme < at {
			userinfo := u[scheme+3 : at]
			if colon := strings.Index(userinfo, ":"); colon >= 0 {
				return u[:scheme+3] + userinfo[:colon] + ":…" + u[at:]
			}
		}
	}
	return u
}

// redactIn removes the password of databaseURL from msg, in case an error
// repeats it.
func redactIn(msg, databaseURL string) string {
	var pw string
	if u, err := url.Parse(databaseURL); err == nil && u.User != nil {
		pw, _ = u.User.Password()
	}
	if m := passwordParam.FindStringSubmatch(databaseURL); m != nil && pw == "" {
		pw = strings.Trim(m[2], "'")
	}
	if len(pw) >= 3 {
		msg = strings.ReplaceAll(msg, pw, "…")
	}
	return passwordParam.ReplaceAllString(msg, "${1}…")
}

// Open opens the store, loads the demo content if asked, and listens.
func (m *Main) Open(ctx context.Context) error {
	c := &m.Config
	st, closeStore, err := openStore(ctx, *c)
	if err != nil {
		return err
	}
	m.Store = st
	m.closers = append(m.closers, closeStore)
	if p, ok := st.(interface{ Ping(context.Context) error }); ok {
		m.ping = p.Ping
	}
	m.Service = news.NewService(st)
	m.Service.BreakingWindow = c.BreakingWindow
	m.Service.Passwords = password.New(c.PasswordCost, runtime.GOMAXPROCS(0))
	if c.Demo {
		loaded, err := demo.Load(ctx, m.Service, m.Store)
		if err != nil {
			return fmt.Errorf("demo content: %w", err)
		}
		if loaded {
			m.Logger.Info("demo content loaded")
		}
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", c.Addr, err)
	}
	m.listener = ln
	m.Addr = ln.Addr().String()
	m.closers = append(m.closers, func() error { ln.Close(); return nil })
	if c.BaseURL == "" {
		// The address actually listened on, so that port 0 works too.
		c.BaseURL = "http://" + m.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	srv, err := web.New(m.Service, c.BaseURL, m.Logger)
	if err != nil {
		return err
	}
	srv.RateLimit = c.RateLimit
	c.SignIn.wire(m.Service, srv)
	if ws, ok := m.Store.(interface{ Stats() sqlite.BatchStats }); ok {
		srv.WriteStats = func() (int64, int64, int64) {
			st := ws.Stats()
			return st.Commits, st.Writes, st.Queued
		}
	}
	srv.SetLimits(web.Limits{CommentsPerMinute: c.CommentsPerMinute, ReactionsPerMinute: c.ReactionsPerMinute,
		WritesPerMinutePerIP: c.WritesPerMinutePerIP, LoginsPerIP: c.LoginsPerIP, SignupsPerIP: c.SignupsPerIP})
	m.Service.DailyCommentCap = 0
	if c.RateLimit {
		m.Service.DailyCommentCap = c.DailyCommentCap
	}
	if c.NoPageCache {
		srv.SetPageCache(0)
	}
	srv.Ready = m.ping
	if err := m.openMail(ctx); err != nil {
		return err
	}
	switch c.FeedContent {
	case "", web.FeedSummary:
		srv.FeedContent = web.FeedSummary
	case web.FeedFull:
		srv.FeedContent = web.FeedFull
	default:
		return fmt.Errorf("--feed-content는 full 또는 summary 입니다: %q", c.FeedContent)
	}
	srv.MaxUploadBytes = int64(c.MaxUploadMB) << 20
	srv.SearchConcurrency, srv.SearchTimeout = c.SearchConcurrency, c.SearchTimeout
	srv.LiveHeartbeat = c.LiveHeartbeat
	m.Service.Live.MaxStreams = c.LiveStreams
	m.Service.Live.Node = liveNodeName()
	if srv.TrustedProxies, err = parseNets(c.TrustedProxies); err != nil {
		return err
	}
	m.server = &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	// Open pages' streams never go idle: end them when shutdown starts,
	// or it would wait for every reader to leave.
	m.server.RegisterOnShutdown(m.Service.Live.Close)
	return nil
}

// Serve answers requests until ctx is done, then shuts down gracefully.
func (m *Main) Serve(ctx context.Context) error {
	if m.Console != nil {
		fmt.Fprintln(m.Console, m.startLine())
	} else {
		m.Logger.Info("serving", "addr", m.Addr, "base_url", m.Config.BaseURL, "data", m.Config.Data)
	}
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(m.listener) }()
	// Learn of writes by other nodes and command-line tools, and tell them
	// of ours.
	feedCtx, stopFeed := context.WithCancel(context.WithoutCancel(ctx))
	feedDone := make(chan struct{})
	go func() {
		defer close(feedDone)
		m.Service.Changes.Run(feedCtx, 250*time.Millisecond, func(err error) {
			if !stopping(feedCtx, err) {
				m.Logger.Warn("change log", "err", err)
			}
		})
	}()
	defer func() { stopFeed(); <-feedDone }()
	if m.Config.ReindexMissing {
		// Articles written before the search index existed (or by a tool
		// that did not index them) are indexed once, without holding up
		// readiness.
		go func() {
			if n, err := m.Service.Reindex(feedCtx, false, nil); err != nil {
				if feedCtx.Err() == nil {
					m.Logger.Error("search index", "err", err)
				}
			} else if n > 0 {
				m.Logger.Info("search index updated", "articles", n)
			}
		}()
	}
	// Page views reach the store in batches, never on the request path.
	viewsDone := make(chan struct{})
	go func() {
		defer close(viewsDone)
		m.Service.Views.Run(feedCtx, 5*time.Second, func(err error) {
			if !stopping(feedCtx, err) {
				m.Logger.Warn("page views", "err", err)
			}
		})
	}()
	defer func() { stopFeed(); <-viewsDone }()
	// Live events to and from other nodes, and reads for the newsroom.
	liveDone := make(chan struct{})
	go func() {
		defer close(liveDone)
		m.Service.Live.Run(feedCtx, 250*time.Millisecond, func(err error) {
			if !stopping(feedCtx, err) {
				m.Logger.Warn("live events", "err", err)
			}
		})
	}()
	defer func() { stopFeed(); <-liveDone }()
	// Tell caches when scheduled stories go live.
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		m.Service.RunSchedule(feedCtx, 5*time.Second, func(err error) { m.Logger.Warn("schedule", "err", err) })
	}()
	defer func() { stopFeed(); <-schedDone }()
	mailDone := m.runMail(feedCtx)
	defer func() { stopFeed(); <-mailDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := m.server.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// stopping reports whether err only says that the server is shutting down:
// the last flush, on a context of its own, reports real failures.
func stopping(ctx context.Context, err error) bool {
	return ctx.Err() != nil && errors.Is(err, context.Canceled)
}

// Close releases what Open acquired, in reverse order.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// liveNodeName names this process in the count of open streams: the host,
// the process and a random suffix, so that a restarted node is counted anew.
func liveNodeName() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}
