package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// Prometheus metrics: request latency by route, the page cache's hits and
// misses, and the group committer's batches and queue. The text format is
// written by github.com/VictoriaMetrics/metrics: Prometheus histograms with
// our own buckets, and a handful of small modules where the Prometheus
// client would bring protobuf and a dozen more.

func init() {
	// TYPE lines, so a scraper knows the histograms for what they are.
	vm.ExposeMetadata(true)
}

var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// unroutedLabel names requests answered before routing: refused as
// cross-site or too large.
const unroutedLabel = "unrouted"

type metrics struct {
	set    *vm.Set
	routes sync.Map // route pattern → *vm.PrometheusHistogram
	hits   *vm.Counter
	misses *vm.Counter
}

func newMetrics() *metrics {
	m := &metrics{set: vm.NewSet()}
	m.hits = m.set.NewCounter(`jikji_page_cache_requests_total{result="hit"}`)
	m.misses = m.set.NewCounter(`jikji_page_cache_requests_total{result="miss"}`)
	m.set.NewGauge("jikji_page_cache_hit_ratio", func() float64 {
		hits, misses := m.hits.Get(), m.misses.Get()
		if hits+misses == 0 {
			return 0
		}
		return float64(hits) / float64(hits+misses)
	})
	return m
}

// observe records how long a request for the route took.
func (m *metrics) observe(route string, started time.Time) {
	if route == "" {
		route = unroutedLabel
	}
	h, ok := m.routes.Load(route)
	if !ok {
		// Patterns come from the route table, so the label set is bounded;
		// a pattern holds no quote or backslash to escape.
		h, _ = m.routes.LoadOrStore(route, m.set.GetOrCreatePrometheusHistogramExt(
			"jikji_http_request_duration_seconds{route="+strconv.Quote(route)+"}", latencyBuckets))
	}
	h.(*vm.PrometheusHistogram).UpdateDuration(started)
}

type routeKey struct{}

// routeHolder carries the matched pattern from the mux, deep inside the
// middleware, back out to where the request's time is taken.
type routeHolder struct{ pattern string }

// timed measures every request that does not come from the page cache and
// records it under the route the mux chose.
func (s *Server) timed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		holder := &routeHolder{}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, holder)))
		s.metrics.observe(holder.pattern, started)
	})
}

// noteRoute wraps the mux to tell timed which pattern served the request.
func noteRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// ServeMux sets r.Pattern on the request it is given.
		defer func() {
			if holder, ok := r.Context().Value(routeKey{}).(*routeHolder); ok {
				holder.pattern = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}

// WriteStats reports the store's group commits, if it has them.
type WriteStats func() (commits, writes, queued int64)

func (s *Server) writeMetrics(w io.Writer) {
	s.metrics.set.WritePrometheus(w)
	if s.WriteStats != nil {
		commits, writes, queued := s.WriteStats()
		vm.WriteCounterUint64(w, "jikji_commits_total", uint64(commits))
		vm.WriteCounterUint64(w, "jikji_committed_writes_total", uint64(writes))
		vm.WriteGaugeUint64(w, "jikji_write_queue_depth", uint64(queued))
	}
	s.writeMailMetrics(w)
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
		if _, err := s.callerFor(r, staff(isAdmin), true); err != nil {
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
		if _, err := s.callerFor(r, staff(isAdmin), true); err != nil {
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
