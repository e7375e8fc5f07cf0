// Package gen makes realistic Korean news sites of any size, for load tests
// and benchmarks: articles of about 2,000 characters, reporters, readers,
// comments and reactions. The articles' nouns are drawn with a Zipf
// distribution from the 33,000 nouns of a Korean dictionary (the search
// package's), with the particles Korean attaches to them, so that, as in a
// real archive, the commonest words are in most stories and most words in
// few. Output is deterministic for a seed.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"jikji/internal/news"
	"jikji/internal/search"
)

// Options say how big a site to make.
type Options struct {
	Articles int
	Comments int // spread over articles, recent ones more
	// ThreadComments go to the newest article, as on a breaking story.
	ThreadComments int
	Readers        int
	Reporters      int
	// Reactions per reader, on distinct recent articles.
	ReactionsPerReader int
	// PasswordHash is given to every reader (hashing a million passwords
	// would take hours); Password is what it hashes.
	PasswordHash string
	Seed         uint64
	// Now is the newest publishing time; older articles go back from it.
	Now time.Time
}

var sections = []news.Section{
	{ID: 1, Slug: "politics", Name: "정치", Position: 1},
	{ID: 2, Slug: "economy", Name: "경제", Position: 2},
	{ID: 3, Slug: "society", Name: "사회", Position: 3},
	{ID: 4, Slug: "world", Name: "국제", Position: 4},
	{ID: 5, Slug: "tech", Name: "IT·과학", Position: 5},
	{ID: 6, Slug: "culture", Name: "문화", Position: 6},
}

var (
	surnames      = strings.Fields("김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 전 홍 고 문 양 손 배 백 허 유 남")
	given         = strings.Fields("서연 민준 지우 서준 하은 도윤 지민 예준 수아 시우 지호 하린 주원 유진 건우 채원 현우 다은 은서 준혁 소윤 태윤 가은 승현 나연 재원 하늘 민서 우진 지안")
	cities        = strings.Fields("서울 부산 대구 인천 광주 대전 울산 세종 수원 창원 워싱턴 도쿄 베이징 파리 런던 베를린")
	subjects      = strings.Fields("정부는 여당은 야당은 한국은행은 금융위원회는 기획재정부는 서울시는 교육부는 보건복지부는 산업통상자원부는 삼성전자는 SK하이닉스는 현대차는 LG에너지솔루션은 네이버는 카카오는 업계는 전문가들은 시민단체는 노동계는 경영계는 연구진은 관계자는 주민들은 소비자들은")
	verbs         = []string{"대책을 발표했다", "방안을 검토하고 있다", "우려를 나타냈다", "협의를 이어가기로 했다", "지원을 확대하기로 했다", "규제를 완화하기로 했다", "조사에 착수했다", "계획을 내놨다", "입장을 밝혔다", "필요성을 강조했다", "변화를 예고했다", "성과를 공개했다", "논의를 본격화했다", "전망을 내놨다", "속도를 내고 있다"}
	connect       = []string{"이에 따라", "다만", "한편", "특히", "이와 관련해", "그러나", "또한", "이번 조치로", "업계에 따르면", "전문가들은"}
	details       = []string{"올해 하반기부터 단계적으로 시행된다", "구체적인 일정은 다음 달 공개될 예정이다", "지난해보다 12.4% 늘어난 규모다", "현장에서는 실효성을 두고 의견이 엇갈린다", "관련 예산은 2조 원 안팎으로 추산된다", "시장 반응은 대체로 긍정적이다", "국회 논의 과정에서 일부 수정될 가능성도 있다", "지역별 편차가 크다는 지적도 나온다", "중소기업의 부담을 줄이는 데 초점을 맞췄다", "국제 기준에 맞추기 위한 조치다", "소비자 보호 장치도 함께 마련된다", "첫 회의는 이달 말 열린다"}
	headlineVerbs = []string{"발표", "추진", "검토", "확대", "본격화", "논란", "공개", "첫발", "속도", "제동"}
	quotes        = []string{"현장의 목소리를 충분히 듣겠다", "속도보다 방향이 중요하다", "국민 부담이 늘지 않도록 하겠다", "지금이 골든타임이다", "장기적인 관점에서 접근해야 한다", "불확실성을 줄이는 것이 급선무다"}
	comments      = []string{"좋은 기사 감사합니다", "후속 보도 부탁드려요", "현장 분위기가 잘 전해지네요", "숫자 근거가 더 있으면 좋겠습니다", "이 문제는 꾸준히 다뤄주세요", "공감합니다", "다른 시각도 있다고 생각해요", "정리가 깔끔하네요", "지역 이야기도 궁금합니다", "ㅋㅋ 이건 좀", "기자님 응원합니다", "제목과 내용이 조금 다른 것 같아요"}
)

// Sections returns the generated site's sections.
func Sections() []news.Section { return sections }

// Site returns settings for a generated site.
func Site() news.Site {
	return news.Site{
		Name: "직지일보", Slogan: "활자처럼 정확하게, 기록처럼 오래", RegistrationNumber: "서울 아 00000",
		Publisher: "홍길동", Editor: "홍길동", YouthProtection: "홍길동", Address: "서울특별시 종로구 세종대로 1",
		Phone: "02-000-0000", Email: "news@jikji.example", Copyright: "Copyright © 직지일보. All rights reserved.",
	}
}

// Generator produces a site's records in the order news.ArchiveStore.Import
// takes them.
type Generator struct {
	opt  Options
	rng  *rand.Rand
	zipf *rand.Zipf
}

// New returns a generator for o.
func New(o Options) *Generator {
	if o.Reporters <= 0 {
		o.Reporters = 30
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	g := &Generator{opt: o, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	g.zipf = rand.NewZipf(g.rng, zipfS, zipfV, uint64(len(Vocabulary())-1))
	return g
}

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *Generator) name() string { return g.pick(surnames) + g.pick(given) }

// Zipf parameters of the noun draw: P(rank k) ∝ (zipfV + k)^-zipfS. With
// these the commonest noun is in nearly every story, the hundredth in about
// one in six, and half the vocabulary in fewer than one in a thousand.
const (
	zipfS = 1.15
	zipfV = 2
)

var (
	vocabOnce sync.Once
	vocab     []string
)

// Vocabulary returns the nouns articles draw from, commonest first. The
// order is fixed (not the site's seed), so benchmarks can name a word by
// its rank in any generated site.
func Vocabulary() []string {
	vocabOnce.Do(func() {
		vocab = append([]string(nil), search.Nouns()...)
		r := rand.New(rand.NewPCG(20240318, 1))
		r.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	})
	return vocab
}

// latin are words newsrooms write in Latin letters, drawn now and then.
var latin = strings.Fields("AI HBM GDP ESG CEO OECD IMF AGI GPU EU UN NATO K팝 SK LG KT 5G 6G ETF IPO")

func (g *Generator) noun() string {
	if g.rng.IntN(25) == 0 {
		return g.pick(latin)
	}
	return Vocabulary()[g.zipf.Uint64()]
}

// josa attaches a particle in the form the noun's last sound asks for:
// consonant form after a final consonant (책을), vowel form after a vowel
// (회사를). Latin words take the vowel form.
func josa(noun, afterConsonant, afterVowel string) string {
	r, _ := utf8.DecodeLastRuneInString(noun)
	if r >= 0xAC00 && r <= 0xD7A3 {
		final := (r - 0xAC00) % 28
		if afterConsonant == "으로" && final == 8 { // ㄹ: 서울로
			return noun + afterVowel
		}
		if final != 0 {
			return noun + afterConsonant
		}
	}
	return noun + afterVowel
}

var (
	predicates = []string{"발표했다", "밝혔다", "강조했다", "검토하고 있다", "추진하기로 했다", "우려를 나타냈다",
		"논의했다", "확대하기로 했다", "공개했다", "지적했다", "전망했다", "결정했다", "요구했다", "시작했다", "마련했다"}
	nounPredicates = []string{"문제다", "과제다", "상황이다", "계획이다", "전망이다"}
)

// sentence writes one sentence whose nouns are drawn from the vocabulary.
func (g *Generator) sentence(b *strings.Builder) {
	n := g.noun
	switch g.rng.IntN(7) {
	case 0:
		fmt.Fprintf(b, "%s %s %s.", josa(n(), "이", "가"), josa(n(), "을", "를"), g.pick(predicates))
	case 1:
		fmt.Fprintf(b, "%s %s %s 분야에서 %s.", josa(n(), "은", "는"), josa(n(), "과", "와"), n(), g.pick(predicates))
	case 2:
		fmt.Fprintf(b, "%s %s %s %s.", josa(n(), "의", "의"), josa(n(), "에서", "에서"), josa(n(), "을", "를"), g.pick(predicates))
	case 3:
		fmt.Fprintf(b, "%s \"%s %s 중요하다\"며 %s %s.", josa(n(), "은", "는"), josa(n(), "이", "가"),
			josa(n(), "보다", "보다"), josa(n(), "을", "를"), g.pick(predicates))
	case 4:
		fmt.Fprintf(b, "%s %s %s %s.", n(), josa(n(), "도", "도"), josa(n(), "까지", "까지"), g.pick(predicates))
	case 5:
		fmt.Fprintf(b, "%s %s %s %d.%d%% 늘었다.", josa(n(), "으로", "로"), josa(n(), "의", "의"), n(),
			1+g.rng.IntN(40), g.rng.IntN(10))
	default:
		fmt.Fprintf(b, "이는 %s %s %s.", josa(n(), "과", "와"), n(), g.pick(nounPredicates))
	}
}

// paragraph writes one paragraph of 3–5 sentences.
func (g *Generator) paragraph(b *strings.Builder) {
	k := 3 + g.rng.IntN(3)
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteByte(' ')
			if g.rng.IntN(3) == 0 {
				b.WriteString(g.pick(connect))
				b.WriteByte(' ')
			}
		}
		if g.rng.IntN(8) == 0 {
			fmt.Fprintf(b, "%s \"%s\"며 %s.", g.pick(subjects), g.pick(quotes), g.pick(verbs))
			continue
		}
		g.sentence(b)
	}
}

// Body returns article markup of about target characters, with an
// intertitle now and then.
func (g *Generator) Body(target int) string {
	var b, p strings.Builder
	b.Grow(target * 3)
	count := 0
	for paragraphs := 0; count < target || paragraphs < 2; paragraphs++ {
		if paragraphs > 0 {
			b.WriteString("\n\n")
		}
		if paragraphs == 4 {
			fmt.Fprintf(&b, "## %s, %s 과제로\n\n", g.noun(), g.noun())
		}
		p.Reset()
		g.paragraph(&p)
		b.WriteString(p.String())
		count += utf8.RuneCountInString(p.String())
	}
	return b.String()
}

// Records calls emit for every record of the site.
func (g *Generator) Records(emit func(news.Record) error) error {
	o := g.opt
	site := Site()
	if err := emit(news.Record{Site: &site}); err != nil {
		return err
	}
	for i := range sections {
		if err := emit(news.Record{Section: &sections[i]}); err != nil {
			return err
		}
	}
	for _, l := range []news.Label{{Code: news.LabelBreaking, Name: "속보"}, {Code: news.LabelExclusive, Name: "단독"}} {
		if err := emit(news.Record{Label: &l}); err != nil {
			return err
		}
	}
	roles := []string{"기자", "기자", "기자", "선임기자", "특파원"}
	for i := 1; i <= o.Reporters; i++ {
		r := news.Reporter{ID: int64(i), Name: g.name(), Role: roles[i%len(roles)], Email: fmt.Sprintf("reporter%d@jikji.example", i), Bio: "현장을 기록합니다."}
		if err := emit(news.Record{Reporter: &r}); err != nil {
			return err
		}
	}
	start := o.Now.Add(-time.Duration(o.Articles) * 10 * time.Minute)
	for i := 1; i <= o.Readers; i++ {
		a := news.Account{ID: int64(i), Email: fmt.Sprintf("reader%d@example.com", i), DisplayName: fmt.Sprintf("독자%d", i),
			PasswordHash: o.PasswordHash, Role: news.RoleReader, CreatedAt: start}
		if err := emit(news.Record{Account: &a}); err != nil {
			return err
		}
	}
	for i := 1; i <= o.Articles; i++ {
		a := g.article(int64(i), start.Add(time.Duration(i)*10*time.Minute))
		if err := emit(news.Record{Article: &a}); err != nil {
			return err
		}
	}
	if o.Readers == 0 || o.Articles == 0 {
		return nil
	}
	var commentID int64
	comment := func(articleID int64, at time.Time) error {
		commentID++
		c := news.Comment{ID: commentID, ArticleID: articleID, AuthorID: int64(1 + g.rng.IntN(o.Readers)),
			Body: g.pick(comments), State: news.CommentVisible, CreatedAt: at}
		return emit(news.Record{Comment: &c})
	}
	newest := int64(o.Articles)
	newestAt := start.Add(time.Duration(o.Articles) * 10 * time.Minute)
	for i := 0; i < o.ThreadComments; i++ {
		if err := comment(newest, newestAt.Add(time.Duration(i)*time.Millisecond)); err != nil {
			return err
		}
	}
	for i := 0; i < o.Comments; i++ {
		// Recent stories draw most comments.
		id := int64(o.Articles) - int64(float64(o.Articles)*g.rng.Float64()*g.rng.Float64())
		id = max(id, 1)
		if err := comment(id, newestAt.Add(time.Duration(i)*time.Millisecond)); err != nil {
			return err
		}
	}
	kinds := news.DefaultReactions
	for reader := 1; reader <= o.Readers; reader++ {
		for j := 0; j < o.ReactionsPerReader && j < o.Articles; j++ {
			r := news.ArchiveReaction{ArticleID: int64(o.Articles - j), AccountID: int64(reader),
				Kind: kinds[(reader+j)%len(kinds)].Code, CreatedAt: newestAt}
			if err := emit(news.Record{Reaction: &r}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *Generator) article(id int64, at time.Time) news.Article {
	sec := sections[g.rng.IntN(len(sections))]
	reporter := int64(1 + g.rng.IntN(g.opt.Reporters))
	body := g.Body(1900 + g.rng.IntN(300))
	a := news.Article{
		ID: id, Section: sec,
		Headline: fmt.Sprintf("%s %s %s", g.noun(), josa(g.noun(), "을", "를"), g.pick(headlineVerbs)),
		Deck:     []string{fmt.Sprintf("%s·%s 논의 본격화", g.noun(), g.noun()), g.pick(details)},
		Body:     body, Blocks: news.ParseBody(body),
		Bylines: []news.Byline{{ReporterID: reporter, Role: "기자", Dateline: g.pick(cities)}},
		State:   news.StatePublished, PublishedAt: at, CreatedAt: at, CommentsOpen: true, Version: 1,
	}
	if g.rng.IntN(20) == 0 {
		a.Labels = append(a.Labels, news.Label{Code: news.LabelExclusive})
	}
	if g.rng.IntN(4) == 0 {
		a.Print = &news.PrintPlacement{Date: at.In(news.KST).Format("2006-01-02"), Page: 1 + g.rng.IntN(30)}
	}
	return a
}
