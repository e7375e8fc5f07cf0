package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// metricValue reads one sample from a Prometheus text exposition.
func metricValue(tb testing.TB, exposition, series string) float64 {
	tb.Helper()
	for line := range strings.SplitSeq(exposition, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				tb.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	return 0
}

func TestMetricsRecordRequestsByRoute(t *testing.T) {
	site := MustRunMain(t)
	id := seedArticleID(t, site)
	article := fmt.Sprintf("/articles/%d", id)

	// Served once rendered, then from the page cache: both are counted.
	for range 3 {
		if status, _ := site.get(t, article); status != http.StatusOK {
			t.Fatalf("GET %s: %d", article, status)
		}
	}
	if status, _ := site.get(t, "/no-such-page"); status != http.StatusNotFound {
		t.Fatalf("GET /no-such-page: %d", status)
	}
	if status, _ := site.get(t, "/login"); status != http.StatusOK {
		t.Fatalf("GET /login: %d", status)
	}

	status, body := site.get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", status, body)
	}
	if !strings.Contains(body, "# TYPE jikji_http_request_duration_seconds histogram") {
		t.Errorf("no histogram TYPE line in\n%s", body)
	}
	for route, want := range map[string]float64{"GET /articles/{id}": 3, "/": 1, "GET /login": 1} {
		label := `{route="` + route + `"}`
		if got := metricValue(t, body, "jikji_http_request_duration_seconds_count"+label); got != want {
			t.Errorf("route %s counted %v times, want %v", route, got, want)
		}
		inf := metricValue(t, body, `jikji_http_request_duration_seconds_bucket{route="`+route+`",le="+Inf"}`)
		if inf != want {
			t.Errorf("route %s: +Inf bucket %v, want %v", route, inf, want)
		}
		if sum := metricValue(t, body, "jikji_http_request_duration_seconds_sum"+label); sum <= 0 {
			t.Errorf("route %s: latency sum %v, want > 0", route, sum)
		}
	}
	// Buckets are cumulative.
	bucket := regexp.MustCompile(`(?m)^jikji_http_request_duration_seconds_bucket\{route="GET /articles/\{id\}",le="[^"]+"\} (\d+)$`)
	prev := -1
	for _, m := range bucket.FindAllStringSubmatch(body, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < prev {
			t.Errorf("bucket counts fall: %d after %d", n, prev)
		}
		prev = n
	}
	if prev != 3 {
		t.Errorf("last bucket %d, want 3", prev)
	}
	hits := metricValue(t, body, `jikji_page_cache_requests_total{result="hit"}`)
	misses := metricValue(t, body, `jikji_page_cache_requests_total{result="miss"}`)
	if hits < 1 || misses < 1 {
		t.Errorf("page cache hits %v, misses %v; want both counted", hits, misses)
	}

	// The scrape itself shows up in the next one.
	_, body = site.get(t, "/metrics")
	if got := metricValue(t, body, `jikji_http_request_duration_seconds_count{route="GET /metrics"}`); got != 1 {
		t.Errorf("GET /metrics counted %v times, want 1", got)
	}
}
