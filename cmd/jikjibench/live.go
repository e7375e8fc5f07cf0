package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// live holds many open streams on one node: memory, the article page's
// throughput beside them, and how fast a comment reaches all of them.
func (b *bench) live(site string) error {
	n := *liveStreams
	step("live streams: %d open pages on one node", n)
	j, err := b.startJikji(site, "--live-streams", strconv.Itoa(n+100))
	if err != nil {
		return err
	}
	defer b.stop(j)
	_, second, err := newest(j)
	if err != nil {
		return err
	}
	article := fmt.Sprintf("/articles/%d", second)
	if _, err := wrk(j.url(article), gzipHeaders, ""); err != nil { // warm
		return err
	}
	before, err := medianWrk(j.url(article))
	if err != nil {
		return err
	}
	idleRSS := currentRSS(j.cmd.Process.Pid)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	transport := &http.Transport{MaxIdleConns: 0, MaxConnsPerHost: 0, DisableCompression: true,
		DialContext: (&net.Dialer{Timeout: 30 * time.Second}).DialContext}
	client := &http.Client{Transport: transport}
	var (
		opened  atomic.Int64
		mu      sync.Mutex
		arrived []time.Time
		wanted  atomic.Value // the comment body awaited
		wg      sync.WaitGroup
	)
	wanted.Store("")
	streamURL := j.url(fmt.Sprintf("/api/v1/live?article=%d", second))
	sem := make(chan struct{}, 200) // do not flood the listen backlog
	openErr := make(chan error, 1)
	for range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", streamURL, nil)
			res, err := client.Do(req)
			<-sem
			if err != nil || res.StatusCode != http.StatusOK {
				if err == nil {
					err = fmt.Errorf("status %d", res.StatusCode)
					res.Body.Close()
				}
				select {
				case openErr <- err:
				default:
				}
				return
			}
			defer res.Body.Close()
			opened.Add(1)
			r := bufio.NewReaderSize(res.Body, 512)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if strings.HasPrefix(line, "data: ") {
					if w := wanted.Load().(string); w != "" && strings.Contains(line, w) {
						t := time.Now()
						mu.Lock()
						arrived = append(arrived, t)
						mu.Unlock()
					}
				}
			}
		}()
	}
	for i := 0; opened.Load() < int64(n); i++ {
		select {
		case err := <-openErr:
			return fmt.Errorf("open stream: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
		if i > 1200 {
			return fmt.Errorf("only %d of %d streams opened in a minute", opened.Load(), n)
		}
	}
	time.Sleep(time.Second)
	heldRSS := currentRSS(j.cmd.Process.Pid)
	during, err := medianWrk(j.url(article))
	if err != nil {
		return err
	}

	// A comment through the API reaches every open page.
	c, _, err := login(j, 1)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("실시간 도착 측정 %d", time.Now().UnixNano())
	wanted.Store(body)
	sent := time.Now()
	res, err := c.Post(j.url(fmt.Sprintf("/api/v1/articles/%d/comments", second)), "application/json", strings.NewReader(`{"body":"`+body+`"}`))
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("post comment: %d", res.StatusCode)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got := len(arrived)
		mu.Unlock()
		if got >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	lat := make([]time.Duration, len(arrived))
	for i, t := range arrived {
		lat[i] = t.Sub(sent)
	}
	mu.Unlock()
	cancel()
	wg.Wait()
	if len(lat) < n {
		return errors.New("the comment did not reach every stream within 10 s: " + strconv.Itoa(len(lat)) + " of " + strconv.Itoa(n))
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	p99 := lat[len(lat)*99/100]

	b.add(result{target: fmt.Sprintf("%d open streams: resident memory of the node", n), ours: fmt.Sprintf("%d MB", heldRSS>>20),
		ref: fmt.Sprintf("%d MB idle", idleRSS>>20), ratio: fmt.Sprintf("%.2f×", float64(heldRSS)/float64(256<<20)), need: "≤ 256 MB", pass: heldRSS <= 256<<20})
	ratio := during.rps / before.rps
	b.add(result{target: fmt.Sprintf("Anonymous article page with %d streams open", n), ours: rps(during.rps), ref: rps(before.rps) + " (none open)",
		ratio: fmt.Sprintf("%.2f×", ratio), need: "≥ 0.80×", pass: ratio >= 0.8 && during.non2xx == 0})
	b.add(result{target: fmt.Sprintf("A comment reaches %d open streams (one node): p99 arrival", n), ours: p99.Round(time.Millisecond).String(),
		ref: "1s", ratio: fmt.Sprintf("%.2f×", float64(p99)/float64(time.Second)), need: "≤ 1s", pass: p99 <= time.Second,
		note: "median " + lat[len(lat)/2].Round(time.Millisecond).String()})
	return nil
}

// medianWrk runs wrk --rounds times and keeps the median run.
func medianWrk(url string) (wrkResult, error) {
	var runs []wrkResult
	for range *rounds {
		r, err := wrk(url, gzipHeaders, "")
		if err != nil {
			return wrkResult{}, err
		}
		runs = append(runs, r)
	}
	return median(runs), nil
}

// currentRSS reads the process's resident set now from /proc.
func currentRSS(pid int) int64 { return procStatusBytes(pid, "VmRSS:") }
