//go:build load

package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jikji/internal/news"
	"jikji/internal/search"
)

// benchArticles is how many generated articles the search benchmark runs on.
const benchArticles = 100_000

var (
	benchNouns = strings.Fields(`정부 국회 대통령 장관 위원회 예산안 본회의 법안 개정안 여당 야당 선거 지방 소멸 인구 출생률
		경제 수출 수입 반도체 메모리 삼성전자 하이닉스 배터리 자동차 조선 철강 석유 가격 물가 금리 환율 증시 코스피
		기업 스타트업 투자 인공지능 데이터센터 전력 냉각 기술 연구 개발 대학 학생 교육 입시 의대 병원 의사 환자
		서울 부산 대구 인천 광주 대전 청주 제주 강원 경기 도심 주민 시민 소비자 상인 시장 골목 빵집 물류 배달
		날씨 장마 태풍 폭염 한파 미세먼지 황사 호우 경보 기상청 산불 지진 사고 경찰 검찰 법원 재판 판결 수사
		문화 전시 공연 영화 드라마 음악 축제 도서관 박물관 금속활자 직지 유네스코 문화재 관광 관광객 여행 항공
		외교 정상회담 협상 관세 무역 동맹 미국 중국 일본 유럽 러시아 북한 통일 국방 안보 훈련 기후 탄소 에너지
		원전 재생에너지 태양광 풍력 수소 전기차 충전소 플랫폼 쇼핑 거래액 할인 행사 고용 일자리 임금 노동 파업`)
	benchLatin   = strings.Fields(`AI HBM GPU CEO K팝 OECD IMF 5G 2024 2025 3분기 10곳 SK LG`)
	benchTails   = strings.Fields(`은 는 이 가 을 를 에 에서 으로 와 과 의 도 만 까지 부터`)
	benchVerbs   = strings.Fields(`밝혔다 전했다 늘었다 줄었다 발표했다 강조했다 예상된다 나타났다 지적했다 시작됐다 이어졌다 마련했다`)
	benchQueries = []string{"칩", "삼성", "하이닉스", "반도체 수출", "AI 스타트업", "국회 본회의 예산안", `"데이터센터 전력"`, "직지 금속활자 유네스코", "HBM", "무지개다리"}
)

// benchSentence makes one sentence of generated Korean news prose.
func benchSentence(r *rand.Rand) string {
	var b strings.Builder
	n := 4 + r.IntN(6)
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(8) == 0 {
			b.WriteString(benchLatin[r.IntN(len(benchLatin))])
		} else {
			b.WriteString(benchNouns[r.IntN(len(benchNouns))])
		}
		if r.IntN(3) > 0 {
			b.WriteString(benchTails[r.IntN(len(benchTails))])
		}
	}
	b.WriteByte(' ')
	b.WriteString(benchVerbs[r.IntN(len(benchVerbs))])
	b.WriteByte('.')
	return b.String()
}

// benchStore returns a store holding benchArticles generated articles,
// built once and kept in the temporary directory between runs.
func benchStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("jikji-search-bench-%d.db", benchArticles))
	st, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	var n int
	if err := st.read.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	if n == benchArticles {
		return st
	}
	if n != 0 {
		b.Fatalf("%s holds %d articles; delete it", path, n)
	}
	start := time.Now()
	sec := news.Section{Slug: "news", Name: "뉴스"}
	if err := st.CreateSection(ctx, &sec); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, news.KST)
	const batch = 5000
	for done := 0; done < benchArticles; done += batch {
		tx, err := st.write.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := done; i < done+batch; i++ {
			headline := strings.TrimSuffix(benchSentence(r), ".")
			var paras []news.Block
			for range 6 {
				paras = append(paras, news.Block{Type: news.BlockParagraph, Text: benchSentence(r) + " " + benchSentence(r)})
			}
			a := news.Article{Section: sec, Headline: headline, Blocks: paras, State: news.StatePublished,
				PublishedAt: base.Add(time.Duration(i) * 17 * time.Minute), CreatedAt: base}
			_, deck, blocks, err := articleFields(&a)
			if err != nil {
				b.Fatal(err)
			}
			var id int64
			err = tx.QueryRowContext(ctx, `INSERT INTO articles (section_id, headline, deck, body, blocks, state, published_at, created_at)
				VALUES (?, ?, ?, '', ?, 'published', ?, ?) RETURNING id`,
				sec.ID, a.Headline, deck, blocks, micros(a.PublishedAt), micros(a.CreatedAt)).Scan(&id)
			if err != nil {
				b.Fatal(err)
			}
			a.ID = id
			if err := indexArticle(ctx, tx, &a); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.write.ExecContext(ctx, `INSERT INTO article_search (article_search) VALUES ('optimize')`); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d articles in %s at %s", benchArticles, time.Since(start).Round(time.Second), path)
	return st
}

// BenchmarkSearch runs the reader's queries, one per iteration in turn, on
// 100,000 generated Korean articles, first page of 20 by relevance, and
// reports the median and 99th percentile latency.
//
//	go test -tags load -bench Search -run '^$' ./internal/sqlite/
func BenchmarkSearch(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	queries := make([]news.SearchQuery, len(benchQueries))
	for i, q := range benchQueries {
		queries[i] = news.SearchQuery{Terms: search.ParseQuery(q).StoreTerms(), Limit: 20, Now: time.Now()}
		res, err := st.SearchArticles(ctx, queries[i])
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%-24s %6d matches", q, res.Total)
	}
	durations := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := st.SearchArticles(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	slices.Sort(durations)
	at := func(p float64) float64 {
		return float64(durations[min(len(durations)-1, int(p*float64(len(durations))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "median-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
