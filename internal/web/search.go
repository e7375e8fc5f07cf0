package web

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"
)

// snippetRunes is the length of a search result's snippet.
const snippetRunes = 160

// Search limits of a node, unless the Server says otherwise.
const (
	// defaultSearchTimeout bounds one search; a search that cannot finish
	// in it is answered 503, not left to hold a connection.
	defaultSearchTimeout = 3 * time.Second
	// searchQueueWait is how long a search waits for a free slot before
	// it is refused with 503 and Retry-After.
	searchQueueWait = 500 * time.Millisecond
	// searchFloodQueue is how many searches waiting for a slot make a
	// flood, and searchRestFactor how long a slot then rests after a
	// search, as a multiple of the search's time.
	searchFloodQueue = 4
	searchRestFactor = 3
)

// searchSlots bounds the searches running at once on this node, so that a
// flood of distinct searches (which no page cache absorbs) leaves cores
// for article pages.
type searchSlots struct {
	once    sync.Once
	ch      chan struct{}
	waiting atomic.Int32 // searches waiting for a slot
}

var errSearchBusy = news.Errorf(news.EBUSY, "검색 요청이 많아 잠시 처리할 수 없습니다. 잠시 후 다시 시도해주세요.")

// runSearch runs a search within the node's limits: it waits briefly for a
// slot, then searches with a time limit. Returns EBUSY (503, with
// Retry-After) when no slot frees up in time or the time limit passes.
func (s *Server) runSearch(w http.ResponseWriter, r *http.Request, q news.SearchQuery) (news.SearchResult, error) {
	if len(q.Terms) == 0 {
		return s.Svc.Search(r.Context(), q)
	}
	s.searchSlots.once.Do(func() {
		n := s.SearchConcurrency
		if n <= 0 {
			// Half the cores: article pages keep the rest during a flood.
			n = max(1, runtime.GOMAXPROCS(0)/2)
		}
		s.searchSlots.ch = make(chan struct{}, n)
	})
	busy := func() (news.SearchResult, error) {
		w.Header().Set("Retry-After", "1")
		return news.SearchResult{}, errSearchBusy
	}
	wait := time.NewTimer(searchQueueWait)
	defer wait.Stop()
	s.searchSlots.waiting.Add(1)
	select {
	case s.searchSlots.ch <- struct{}{}:
		s.searchSlots.waiting.Add(-1)
	case <-wait.C:
		s.searchSlots.waiting.Add(-1)
		return busy()
	case <-r.Context().Done():
		s.searchSlots.waiting.Add(-1)
		return news.SearchResult{}, r.Context().Err()
	}
	started := time.Now()
	defer func() {
		// In a flood (a queue of searches longer than a few readers make
		// at once), the slot rests after a search for searchRestFactor
		// times the time it took before the next in line starts: the
		// flood takes at most a quarter of its slots' cores, and article
		// pages keep the rest. The answer does not wait for the rest.
		if s.searchSlots.waiting.Load() < searchFloodQueue {
			<-s.searchSlots.ch
			return
		}
		rest := min(searchRestFactor*time.Since(started), searchQueueWait)
		time.AfterFunc(rest, func() { <-s.searchSlots.ch })
	}()
	// In a queue of searches, each keeps to one core, so that the
	// searches together never take more than their slots' share.
	q.OneCore = s.searchSlots.waiting.Load() > 0
	timeout := s.SearchTimeout
	if timeout <= 0 {
		timeout = defaultSearchTimeout
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	res, err := s.Svc.Search(ctx, q)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && r.Context().Err() == nil {
		return busy()
	}
	return res, err
}

// withNewsroomSearch analyses the newsroom's search words for the stores.
func withNewsroomSearch(nq news.NewsroomQuery) news.NewsroomQuery {
	q := search.ParseQuery(nq.Search)
	nq.SearchTerms, nq.SearchWords = q.StoreTerms(), q.Words()
	return nq
}

// searchRequest is a search as the page or the API received it.
type searchRequest struct {
	Raw     string // what the reader typed
	Query   search.Query
	Section news.Section
	From    string // YYYY-MM-DD as typed, or ""
	To      string
	Sort    string // news.SortRelevance or news.SortNewest
	Search  news.SearchQuery
}

// parseSearch reads q, section, from, to and sort. Returns EINVALID for an
// unknown section or order or a malformed date.
func (s *Server) parseSearch(r *http.Request) (searchRequest, error) {
	v := r.URL.Query()
	sr := searchRequest{Raw: strings.TrimSpace(v.Get("q")), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	sr.Query = search.ParseQuery(sr.Raw)
	sr.Search.Terms = sr.Query.StoreTerms()
	switch sort := v.Get("sort"); sort {
	case "", news.SortRelevance:
		sr.Sort = news.SortRelevance
	case news.SortNewest:
		sr.Sort = news.SortNewest
	default:
		return sr, news.Errorf(news.EINVALID, "정렬은 relevance(정확도순) 또는 newest(최신순)만 쓸 수 있습니다.")
	}
	sr.Search.Sort = sr.Sort
	if slug := v.Get("section"); slug != "" {
		sec, err := s.Svc.Section(r.Context(), slug)
		if news.IsNotFound(err) {
			return sr, news.Errorf(news.EINVALID, "없는 섹션입니다: %s", slug)
		}
		if err != nil {
			return sr, err
		}
		sr.Section, sr.Search.SectionID = sec, sec.ID
	}
	if sr.From != "" {
		from, err := news.ParseKSTDate(sr.From)
		if err != nil {
			return sr, err
		}
		sr.Search.From = from
	}
	if sr.To != "" {
		to, err := news.ParseKSTDate(sr.To)
		if err != nil {
			return sr, err
		}
		// The whole of the last day counts.
		sr.Search.To = to.AddDate(0, 0, 1)
	}
	return sr, nil
}

// Search cursors are opaque: base64url of "o<offset>".

func encodeOffset(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(n)))
}

func decodeOffset(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(raw) < 2 || raw[0] != 'o' {
		return 0, errBadCursor
	}
	n, err := strconv.Atoi(string(raw[1:]))
	if err != nil || n < 0 {
		return 0, errBadCursor
	}
	return n, nil
}

// searchResultView is one result on the search page.
type searchResultView struct {
	Article news.Article
	// Headline and Snippet come from search.Highlight: escaped text with
	// <mark> around the matches, the only HTML trusted as such.
	Headline template.HTML
	Snippet  template.HTML
}

// searchView is the search page.
type searchView struct {
	Raw      string
	Section  string
	From, To string
	Sort     string
	// SortLinks switch the order of the same search (정확도순, 최신순).
	RelevanceLink, NewestLink string
	Searched                  bool
	Total                     int
	// TotalCapped: there are more than Total (10,000) results.
	TotalCapped bool
	Results     []searchResultView
	Page        int
	Prev        string
	Next        string
}

// searchPageSize is how many results a page of /search shows.
const searchPageSize = 20

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	sr, err := s.parseSearch(r)
	if err != nil {
		return err
	}
	page := 1
	if p := r.URL.Query().Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return news.Errorf(news.EINVALID, "잘못된 페이지 번호입니다.")
		}
	}
	sv := searchView{Raw: sr.Raw, Section: sr.Section.Slug, From: sr.From, To: sr.To, Sort: sr.Sort,
		Searched: !sr.Query.IsEmpty(), Page: page}
	sr.Search.Offset, sr.Search.Limit = (page-1)*searchPageSize, searchPageSize
	res, err := s.runSearch(w, r, sr.Search)
	if err != nil {
		return err
	}
	sv.Total, sv.TotalCapped = res.Total, res.TotalCapped
	sortLink := func(order string) string {
		q := r.URL.Query()
		q.Del("page")
		q.Set("sort", order)
		return "/search?" + q.Encode()
	}
	sv.RelevanceLink, sv.NewestLink = sortLink(news.SortRelevance), sortLink(news.SortNewest)
	for i := range res.Articles {
		a := &res.Articles[i]
		sv.Results = append(sv.Results, searchResultView{
			Article:  *a,
			Headline: template.HTML(search.Highlight(a.Headline, sr.Query, 0)),
			Snippet:  template.HTML(search.Highlight(a.PlainText(), sr.Query, snippetRunes)),
		})
	}
	link := func(p int) string {
		q := r.URL.Query()
		q.Del("page")
		if p > 1 {
			q.Set("page", strconv.Itoa(p))
		}
		return "/search?" + q.Encode()
	}
	if page > 1 {
		sv.Prev = link(page - 1)
	}
	if sr.Search.Offset+len(res.Articles) < res.Total && sr.Search.Offset+searchPageSize <= news.MaxSearchOffset {
		sv.Next = link(page + 1)
	}
	title := "검색"
	if sv.Searched {
		title = sr.Query.Raw() + " 검색 결과"
	}
	return s.render(w, r, http.StatusOK, "search", title, sv)
}

// searchResultJSON is one result of GET /api/v1/search.
type searchResultJSON struct {
	ID       int64  `json:"id"`
	URL      string `json:"url"`
	Headline string `json:"headline"`
	// Snippet is HTML: escaped text with <mark> around the matches.
	Snippet     string       `json:"snippet"`
	PublishedAt string       `json:"published_at"`
	Section     sectionJSON  `json:"section"`
	Labels      []news.Label `json:"labels"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	dependsOnLists(r)
	sr, err := s.parseSearch(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if sr.Search.Limit, err = parseLimit(q.Get("limit")); err != nil {
		return err
	}
	if sr.Search.Offset, err = decodeOffset(q.Get("cursor")); err != nil {
		return err
	}
	res, err := s.runSearch(w, r, sr.Search)
	if err != nil {
		return err
	}
	out := struct {
		Query string `json:"query"`
		Sort  string `json:"sort"`
		// Total stops at 10,000; TotalCapped says there are more.
		Total       int                `json:"total"`
		TotalCapped bool               `json:"total_capped"`
		Results     []searchResultJSON `json:"results"`
		Next        string             `json:"next"`
	}{Query: sr.Query.Raw(), Sort: sr.Sort, Total: res.Total, TotalCapped: res.TotalCapped,
		Results: make([]searchResultJSON, 0, len(res.Articles))}
	for i := range res.Articles {
		a := &res.Articles[i]
		sum := s.summaryJSON(a)
		out.Results = append(out.Results, searchResultJSON{
			ID: a.ID, URL: sum.URL, Headline: a.Headline, Snippet: search.Highlight(a.PlainText(), sr.Query, snippetRunes),
			PublishedAt: sum.PublishedAt, Section: sum.Section, Labels: sum.Labels,
		})
	}
	if end := sr.Search.Offset + len(res.Articles); len(res.Articles) > 0 && end < res.Total && end <= news.MaxSearchOffset {
		out.Next = encodeOffset(end)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
