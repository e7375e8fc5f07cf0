package web

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Prometheus metrics, written in the text format by hand: request latency
// by route, the page cache's hits and misses, and the group committer's
// batches and queue.

var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts [14]atomic.Int64 // one per bucket, and +Inf
	sumNs  atomic.Int64
	total  atomic.Int64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i].Add(1)
	h.sumNs.Add(int64(d))
	h.total.Add(1)
}

type metrics struct {
	routes sync.Map // route → *histogram
	hits   atomic.Int64
	misses atomic.Int64
}

func (m *metrics) observe(route string, d time.Duration) {
	h, ok := m.routes.Load(route)
	if !ok {
		h, _ = m.routes.LoadOrStore(route, &histogram{})
	}
	h.(*histogram).observe(d)
}

// WriteStats reports the store's group commits, if it has them.
type WriteStats func() (commits, writes, queued int64)

func (s *Server) writeMetrics(w io.Writer) {
	fmt.Fprintln(w, "# HELP jikji_http_request_duration_seconds Time to answer a request, by route.")
	fmt.Fprintln(w, "# TYPE jikji_http_request_duration_seconds histogram")
	var routes []string
	s.metrics.routes.Range(func(k, _ any) bool { routes = append(routes, k.(string)); return true })
	sort.Strings(routes)
	for _, route := range routes {
		v, _ := s.metrics.routes.Load(route)
		h := v.(*histogram)
		label := strings.ReplaceAll(route, `"`, `'`)
		var cum int64
		for i, le := range latencyBuckets {
			cum += h.counts[i].Load()
			fmt.Fprintf(w, "jikji_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", label, le, cum)
		}
		cum += h.counts[len(latencyBuckets)].Load()
		fmt.Fprintf(w, "jikji_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", label, cum)
		fmt.Fprintf(w, "jikji_http_request_duration_seconds_sum{route=%q} %g\n", label, float64(h.sumNs.Load())/1e9)
		fmt.Fprintf(w, "jikji_http_request_duration_seconds_count{route=%q} %d\n", label, h.total.Load())
	}
	hits, misses := s.metrics.hits.Load(), s.metrics.misses.Load()
	fmt.Fprintln(w, "# HELP jikji_page_cache_requests_total Cacheable page requests, by whether the page cache had them.")
	fmt.Fprintln(w, "# TYPE jikji_page_cache_requests_total counter")
	fmt.Fprintf(w, "jikji_page_cache_requests_total{result=\"hit\"} %d\n", hits)
	fmt.Fprintf(w, "jikji_page_cache_requests_total{result=\"miss\"} %d\n", misses)
	ratio := 0.0
	if hits+misses > 0 {
		ratio = float64(hits) / float64(hits+misses)
	}
	fmt.Fprintln(w, "# HELP jikji_page_cache_hit_ratio Share of cacheable requests answered from the page cache.")
	fmt.Fprintln(w, "# TYPE jikji_page_cache_hit_ratio gauge")
	fmt.Fprintf(w, "jikji_page_cache_hit_ratio %g\n", ratio)
	if s.WriteStats != nil {
		commits, writes, queued := s.WriteStats()
		fmt.Fprintln(w, "# HELP jikji_commits_total Write transactions committed by the group committer.")
		fmt.Fprintln(w, "# TYPE jikji_commits_total counter")
		fmt.Fprintf(w, "jikji_commits_total %d\n", commits)
		fmt.Fprintln(w, "# HELP jikji_committed_writes_total Writes those transactions held; divided by commits, the mean batch size.")
		fmt.Fprintln(w, "# TYPE jikji_committed_writes_total counter")
		fmt.Fprintf(w, "jikji_committed_writes_total %d\n", writes)
		fmt.Fprintln(w, "# HELP jikji_write_queue_depth Writes waiting for the next commit.")
		fmt.Fprintln(w, "# TYPE jikji_write_queue_depth gauge")
		fmt.Fprintf(w, "jikji_write_queue_depth %d\n", queued)
	}
}

// fromLoopback reports whether the request came from this machine without
// a proxy in between.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-For") == ""
}

// metricsPage answers /metrics to a local scraper or an admin.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	if !fromLoopback(r) {
		if _, err := s.apiStaff(r, isAdmin); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	s.writeMetrics(w)
	return nil
}

func isAdmin(role string) bool { return role == "admin" }

// adminOnly guards the profiler: only a logged-in admin may profile.
func (s *Server) adminOnly(h http.Handler) http.Handler {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if _, err := s.apiStaff(r, isAdmin); err != nil {
			return err
		}
		h.ServeHTTP(w, r)
		return nil
	})
}

func (s *Server) routeProfiler(mux *http.ServeMux) {
	mux.Handle("GET /debug/pprof/", s.adminOnly(http.HandlerFunc(pprof.Index)))
	mux.Handle("GET /debug/pprof/cmdline", s.adminOnly(http.HandlerFunc(pprof.Cmdline)))
	mux.Handle("GET /debug/pprof/profile", s.adminOnly(http.HandlerFunc(pprof.Profile)))
	mux.Handle("GET /debug/pprof/symbol", s.adminOnly(http.HandlerFunc(pprof.Symbol)))
	mux.Handle("GET /debug/pprof/trace", s.adminOnly(http.HandlerFunc(pprof.Trace)))
}
