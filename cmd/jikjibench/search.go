package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"jikji/internal/gen"
)

var (
	searchSmall   = flag.Int("search-small", 10_000, "articles of the small search site, the throughput baseline")
	searchStores  = flag.String("search-stores", "sqlite,postgres", "stores the search part measures")
	searchSamples = flag.Int("search-samples", 50, "requests per query kind and order")
	pgURL         = flag.String("pg", "postgres://postgres@127.0.0.1:5432/", "PostgreSQL server for the search part; each site gets its own database")
)

// searchKind is one kind of query of the fixed mix.
type searchKind struct {
	name, q string
	limit   time.Duration // p99 target
}

// searchMix is the fixed query mix over a generated site: the generator's
// vocabulary is in a fixed order of frequency, so a rank names the same
// word in every site.
func searchMix() []searchKind {
	vocab := gen.Vocabulary()
	word := func(rank int) string {
		for _, w := range vocab[rank:] {
			if n := utf8.RuneCountInString(w); n >= 2 && n <= 4 {
				return w
			}
		}
		return vocab[rank]
	}
	var oneSyllable string
	for _, w := range vocab {
		if utf8.RuneCountInString(w) == 1 {
			oneSyllable = w
			break
		}
	}
	common := word(0)
	object := common + "을"
	if r, _ := utf8.DecodeLastRuneInString(common); (r-0xAC00)%28 == 0 {
		object = common + "를"
	}
	ms := 100 * time.Millisecond
	return []searchKind{
		{"one syllable (commonest)", oneSyllable, ms},
		{"word, commonest", common, ms},
		{"word, rank 10", word(10), ms},
		{"word, rank 100", word(100), ms},
		{"word, rank 1,000", word(1000), ms},
		{"word, rank 10,000", word(10000), ms},
		{"word, rarest", word(len(vocab) - 50), ms},
		{"particle attached", object, ms},
		{"two words", common + " " + word(100), ms},
		{"quoted phrase", `"` + word(3) + ` 분야에서"`, ms},
		{"word found nowhere", "뷁쀍똠", 20 * time.Millisecond},
	}
}

// searchSite returns the data folder (SQLite) or database URL (PostgreSQL)
// of a generated search site, making it the first time.
func (b *bench) searchSite(store string, n int) (args []string, err error) {
	name := fmt.Sprintf("search-%d", n)
	if store == "sqlite" {
		path, err := b.site(name, "--articles", strconv.Itoa(n), "--readers", "100")
		return []string{"--data", path}, err
	}
	db := fmt.Sprintf("jikjibench_search_%d", n)
	dsn := strings.TrimSuffix(*pgURL, "/") + "/" + db
	done := filepath.Join(*dir, "pg-"+name+".generated")
	data := filepath.Join(*dir, "pg-"+name)
	args = []string{"--data", data, "--database-url", dsn}
	if _, err := os.Stat(done); err == nil {
		step("reusing PostgreSQL site %s", db)
		return args, nil
	}
	ensureRUM()
	step("generating PostgreSQL site %s (%d articles)", db, n)
	admin := strings.TrimSuffix(*pgURL, "/") + "/postgres"
	for _, sql := range []string{"DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db} {
		if out, err := exec.Command("psql", admin, "-qc", sql).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("psql %s: %v\n%s", sql, err, out)
		}
	}
	os.RemoveAll(data)
	cmd := exec.Command(b.bin, append([]string{"generate", "--password-cost", "4", "--articles", strconv.Itoa(n), "--readers", "100"}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("generate %s: %w", db, err)
	}
	if out, err := exec.Command("psql", dsn, "-qc", "VACUUM ANALYZE").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("vacuum %s: %v\n%s", db, err, out)
	}
	return args, os.WriteFile(done, []byte(time.Now().Format(time.RFC3339)), 0o644)
}

// pgTextIndex names the access method of a PostgreSQL site's text index:
// RUM where the server had the extension when the site was made, GIN
// otherwise.
func pgTextIndex(dsn string) string {
	out, err := exec.Command("psql", dsn, "-Atc", `SELECT upper(am.amname) FROM pg_class c JOIN pg_am am ON am.oid = c.relam
		WHERE c.relname = 'article_search_doc'`).Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		return "unknown"
	}
	return string(bytes.TrimSpace(out))
}

// ensureRUM installs Debian's RUM extension for the local PostgreSQL
// server before its search sites are made, where the server lacks it and
// apt-get can add it: the text index then keeps positions, so a phrase is
// answered in the index. Elsewhere the sites get GIN, as a managed server
// would.
func ensureRUM() {
	admin := strings.TrimSuffix(*pgURL, "/") + "/postgres"
	out, err := exec.Command("psql", admin, "-Atc", `SELECT (SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'),
		current_setting('server_version_num')::int / 10000`).Output()
	if err != nil {
		return
	}
	var have, major int
	if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "%d|%d", &have, &major); err != nil || have > 0 {
		return
	}
	if _, err := exec.LookPath("apt-get"); err != nil || !strings.Contains(*pgURL, "127.0.0.1") && !strings.Contains(*pgURL, "localhost") {
		return
	}
	pkg := fmt.Sprintf("postgresql-%d-rum", major)
	step("installing %s", pkg)
	install := func() ([]byte, error) {
		cmd := exec.Command("apt-get", "install", "-y", "-qq", pkg)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		return cmd.CombinedOutput()
	}
	out, err = install()
	if err != nil {
		// The package lists may be missing or stale on a fresh machine.
		if _, uerr := exec.Command("apt-get", "update", "-qq").CombinedOutput(); uerr == nil {
			out, err = install()
		}
	}
	if err != nil {
		step("%s not installed, the text index will be GIN: %v\n%s", pkg, err, out)
	}
}

// searchAPI asks /api/v1/search and returns the total it reports.
func searchAPI(c *http.Client, base, q, order string) (int, bool, error) {
	res, err := c.Get(base + "/api/v1/search?sort=" + order + "&q=" + url.QueryEscape(q))
	if err != nil {
		return 0, false, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("search %q: status %d", q, res.StatusCode)
	}
	var out struct {
		Total       int  `json:"total"`
		TotalCapped bool `json:"total_capped"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return 0, false, err
	}
	return out.Total, out.TotalCapped, nil
}

var indexStatsRE = regexp.MustCompile(`검색되는 기사 (\d+)건, ([0-9.]+) MB, 기사당 (\d+)바이트`)

// search measures the query mix on a large and a small site of each store,
// the index's size, and article pages during a flood of searches.
func (b *bench) search() error {
	mix := searchMix()
	c := &http.Client{Timeout: 30 * time.Second}
	for _, store := range strings.Split(*searchStores, ",") {
		if store == "" {
			continue
		}
		var mixRate [2]float64
		for i, n := range []int{*large, *searchSmall} {
			args, err := b.searchSite(store, n)
			if err != nil {
				return err
			}
			out, err := exec.Command(b.bin, append([]string{"reindex", "--missing"}, args...)...).CombinedOutput()
			if err != nil {
				return fmt.Errorf("reindex --missing: %v\n%s", err, out)
			}
			if m := indexStatsRE.FindStringSubmatch(string(out)); m != nil && i == 0 {
				per, _ := strconv.Atoi(m[3])
				note := fmt.Sprintf("%d bytes per article", per)
				if store == "postgres" {
					note += ", text index " + pgTextIndex(args[3])
				}
				b.add(result{target: fmt.Sprintf("Search index size, %s, %d articles", store, n), ours: m[2] + " MB",
					ref: "-", ratio: "-", need: "reported", pass: true, note: note})
			}
			j, err := b.startJikji(args[1], append([]string{"--page-cache=false"}, args[2:]...)...)
			if err != nil {
				return err
			}
			base := j.url("")
			if i == 0 {
				step("search latency, %s, %d articles", store, n)
				for _, k := range mix {
					for _, order := range []string{"relevance", "newest"} {
						total, capped, err := searchAPI(c, base, k.q, order)
						if err != nil {
							b.stop(j)
							return err
						}
						var ds []time.Duration
						cpu0 := processCPU(j.cmd.Process.Pid)
						for range *searchSamples {
							start := time.Now()
							if _, _, err := searchAPI(c, base, k.q, order); err != nil {
								b.stop(j)
								return err
							}
							ds = append(ds, time.Since(start))
						}
						// On SQLite the server's CPU is the whole search's;
						// on PostgreSQL most of it is the database server's.
						var cpuNote string
						if store == "sqlite" {
							cpu := (processCPU(j.cmd.Process.Pid) - cpu0) / time.Duration(*searchSamples)
							cpuNote = fmt.Sprintf("CPU %.1f ms, ", ms(cpu))
						}
						slices.Sort(ds)
						p50, p99 := ds[len(ds)/2], ds[min(len(ds)-1, len(ds)*99/100)]
						found := strconv.Itoa(total)
						if capped {
							found = "10,000+"
						}
						b.add(result{target: fmt.Sprintf("Search p99, %s, %d articles: %s `%s`, %s", store, n, k.name, k.q, order),
							ours: fmt.Sprintf("%.1f ms", ms(p99)), ref: fmt.Sprintf("p50 %.1f ms, %s%s found", ms(p50), cpuNote, found),
							ratio: fmt.Sprintf("%.2f×", p99.Seconds()/k.limit.Seconds()), need: fmt.Sprintf("≤ %d ms", k.limit.Milliseconds()),
							pass: p99 <= k.limit})
					}
				}
			}
			mixRate[i] = searchThroughput(c, base, mix)
			b.stop(j)
		}
		ratio := mixRate[0] / mixRate[1]
		b.add(result{target: fmt.Sprintf("Search throughput, %s, query mix at %d vs %d articles", store, *large, *searchSmall),
			ours: rps(mixRate[0]), ref: rps(mixRate[1]), ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.50×", pass: ratio >= 0.5})
		if err := b.searchFlood(store); err != nil {
			return err
		}
	}
	return nil
}

// processCPU is the CPU time (user and system) a process has used so far,
// read from /proc: unlike wall time, it hardly depends on what else the
// machine runs. Zero where /proc cannot tell.
func processCPU(pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which may hold spaces, in
	// parentheses; utime and stime are the 12th and 13th after it.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc's CPU times: 100
// on every Linux architecture Go runs on.
const clockTicks = 100

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// searchThroughput runs the mix in both orders from 4 clients for the
// bench's duration and returns searches answered per second.
func searchThroughput(c *http.Client, base string, mix []searchKind) float64 {
	var done atomic.Int64
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				k := mix[i%len(mix)]
				order := []string{"relevance", "newest"}[i/len(mix)%2]
				if _, _, err := searchAPI(c, base, k.q, order); err == nil {
					done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / duration.Seconds()
}

// searchFlood compares the anonymous article page's throughput (page cache
// on, as served) alone and while 64 connections search distinct words.
func (b *bench) searchFlood(store string) error {
	args, err := b.searchSite(store, *large)
	if err != nil {
		return err
	}
	j, err := b.startJikji(args[1], args[2:]...)
	if err != nil {
		return err
	}
	defer b.stop(j)
	id, _, err := newest(j)
	if err != nil {
		return err
	}
	page := j.url(fmt.Sprintf("/articles/%d", id))
	wrk(page, gzipHeaders, "")
	alone, err := wrk(page, gzipHeaders, "")
	if err != nil {
		return err
	}
	vocab := gen.Vocabulary()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var searched, refused atomic.Int64
	flood := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: benchConn}}
	for w := range benchConn {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				q := vocab[r.IntN(len(vocab))]
				res, err := flood.Get(j.url("/search?q=" + url.QueryEscape(q)))
				if err != nil {
					continue
				}
				res.Body.Close()
				if res.StatusCode == http.StatusServiceUnavailable {
					refused.Add(1)
				} else {
					searched.Add(1)
				}
			}
		}()
	}
	during, err := wrk(page, gzipHeaders, "")
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	ratio := during.rps / alone.rps
	b.add(result{target: fmt.Sprintf("Article page during a 64-connection search flood, %s, %d articles", store, *large),
		ours: rps(during.rps), ref: rps(alone.rps) + " (no flood)", ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.80×",
		pass: ratio >= 0.8, note: fmt.Sprintf("%d searches answered, %d refused with 503", searched.Load(), refused.Load())})
	return nil
}
