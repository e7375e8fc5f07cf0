package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"jikji/internal/news"
)

// analyserCase is a sentence as Korean news prints it and what a reader
// types: found says whether the story holding the sentence is a result.
type analyserCase struct {
	name  string
	text  string
	query string
	found bool
}

// analyserCases are the analyser's table: particles, endings and plurals
// that readers attach, words that look as if they ended in a particle but
// must stay whole (a stripped 국가 would find every 국민), Latin and
// numbers among Hangul, one syllable, and phrases in and out of order.
var analyserCases = []analyserCase{
	// Particles and endings attached to the word typed.
	{"GenitiveUi", "반도체 수출이 석 달째 늘었다.", "반도체의", true},
	{"ObjectReul", "인근 데이터센터 건설이 늦어지고 있다.", "데이터센터를", true},
	{"SubjectGa", "올해 데이터센터 투자가 크게 늘었다.", "데이터센터가", true},
	{"GenitiveAfterForeignName", "샘 올트먼 오픈AI 최고경영자가 방한했다.", "올트먼의", true},
	{"ObjectEul", "협업할 한국 AI 스타트업 10곳도 선발했다.", "스타트업을", true},
	{"GenitiveOnCommonNoun", "두 회사는 시장을 양분하고 있다.", "회사의", true},
	{"PluralAndSubject", "과학자들이 새 입자를 찾아냈다.", "과학자들이", true},
	{"PluralAndTopic", "연구원들은 밤을 새워 실험했다.", "연구원들은", true},
	{"PluralOnly", "심사위원들 사이에서 이견이 나왔다.", "심사위원들", true},
	{"TopicNeun", "정부가 부동산 대책을 내놨다.", "정부는", true},
	{"DirectionRoAfterRieul", "대통령은 서울에서 회의를 주재했다.", "서울로", true},
	{"LocativeEseo", "열차는 부산으로 향했다.", "부산에서", true},
	{"PluralGenitive", "기업들은 투자를 늘리기로 했다.", "기업들의", true},
	{"ComitativeWa", "시민단체와 노동계가 반발했다.", "노동계와", true},
	{"ComitativeGwa", "학생과 교사가 함께 참여했다.", "교사와", true},
	{"TopicAfterCompound", "한국은행은 기준금리를 동결했다.", "한국은행이", true},
	{"ObjectOnCompound", "한국은행은 기준금리를 동결했다.", "기준금리를", true},
	{"Kkaji", "장관까지 나서 주민들을 설득했다.", "장관까지", true},
	{"Buteo", "내일부터 장마가 시작된다.", "장마부터", true},
	{"Boda", "성장률이 미국보다 높았다.", "미국보다", true},
	{"Cheoreom", "그는 전문가처럼 설명했다.", "전문가처럼", true},
	{"Iraneun", "야당이라는 이름으로 반대했다.", "야당이라는", true},
	{"CopulaPast", "그는 원래 변호사였다.", "변호사였다", true},
	{"CopulaPresent", "이것은 명백한 혁신이다.", "혁신이다", true},
	{"CopulaConnective", "김 장관은 경제학자이며 교수다.", "경제학자이며", true},
	{"CopulaAdnominal", "판사인 그는 말을 아꼈다.", "판사인", true},
	{"ManOnOneSyllableNoun", "우리 팀만 결승에 남았다.", "팀만", true},
	{"EulOnOneSyllableNoun", "도서관에서 책을 빌렸다.", "책을", true},
	{"DoOnOneSyllableNoun", "가뭄으로 물이 부족하다.", "물도", true},
	{"Eurosseo", "인공지능으로 만든 그림이 팔렸다.", "인공지능으로써", true},
	{"Roseo", "교사로서 책임을 느낀다고 말했다.", "교사로서", true},
	{"Ege", "회사는 투자자에게 손실을 알렸다.", "투자자에게", true},
	{"Kkeseo", "선생님께 감사 인사를 드렸다.", "선생님께서", true},
	{"Ina", "시장에서 사과나 배를 샀다.", "배나", true},
	{"Eseoneun", "지방에서는 의사가 부족하다.", "지방에서는", true},
	{"Euroneun", "현재 기술로는 어렵다고 밝혔다.", "기술로는", true},
	// Words that look as if they ended in a particle stay whole: they find
	// themselves and not the shorter word.
	{"GabangFound", "지하철에서 가방을 잃어버렸다.", "가방", true},
	{"GabangNotGa", "과일 가격이 올랐다.", "가방", false},
	{"ImaFound", "이마에 땀이 맺혔다.", "이마", true},
	{"ImaNotI", "이번 마을 축제가 열렸다.", "이마", false},
	{"DosiFound", "도시 재생 사업이 시작됐다.", "도시", true},
	{"ManhwaFound", "만화 축제에 관객이 몰렸다.", "만화", true},
	{"GwahakFound", "과학 교육 과정이 바뀐다.", "과학", true},
	{"GukgaFound", "국가 경쟁력 순위가 올랐다.", "국가", true},
	{"GukgaNotGuk", "국민 여론이 엇갈렸다.", "국가", false},
	{"HoeuiFound", "임시 회의가 열렸다.", "회의", true},
	{"HoeuiNotHoe", "회사 측은 답하지 않았다.", "회의", false},
	{"BadaFound", "바다에 기름이 유출됐다.", "바다", true},
	{"BadaNotBa", "강한 바람이 분다.", "바다", false},
	{"NaiFound", "나이가 들수록 잠이 준다.", "나이", true},
	{"SagwaNotSa", "사람들이 광장에 모였다.", "사과", false},
	{"DaemanFound", "대만 해협에 긴장이 높아졌다.", "대만", true},
	{"DaemanNotDae", "대통령이 연설했다.", "대만", false},
	// Latin and numbers among Hangul.
	{"ParticleAfterLatin", "AI 칩 생산을 늘린다.", "AI가", true},
	{"ObjectAfterAcronym", "고대역폭메모리(HBM) 시장을 양분하고 있다.", "HBM을", true},
	{"HangulInsideLatinCompound", "삼성전자·SK하이닉스는 환상적인 회사다.", "하이닉스", true},
	{"LatinCompoundWithParticle", "SK하이닉스가 실적을 발표했다.", "SK하이닉스를", true},
	{"NumberAndCounter", "협업할 스타트업 10곳도 뽑았다.", "10곳", true},
	{"Year", "2024년 3월 18일 발표했다.", "2024", true},
	{"LatinCaseFolded", "GPT-4o 모델이 공개됐다.", "gpt", true},
	{"LatinWithHangul", "K팝 스타들이 모였다.", "K팝", true},
	{"DecimalNumber", "물가가 3.5% 올랐다.", "3.5", true},
	{"OtherNumberNotFound", "물가가 3.5% 올랐다.", "3.6", false},
	// One syllable finds the syllable with whatever follows it.
	{"OneSyllableWithParticle", "엔지니어들이 칩을 설계했다.", "칩", true},
	{"OneSyllableInCompound", "아침에 빵과 우유를 먹었다.", "빵", true},
	// Two words: both must be there.
	{"TwoWordsWithParticle", "반도체 수출 실적이 발표됐다.", "반도체 수출이", true},
	{"TwoWordsOneMissing", "반도체 수출 실적이 발표됐다.", "반도체 냉장고", false},
	// Phrases: the words adjacent and in order.
	{"PhraseInOrder", "두 회사를 '환상적인 회사'라고 평가했다.", `"환상적인 회사"`, true},
	{"PhraseOutOfOrder", "두 회사를 '환상적인 회사'라고 평가했다.", `"회사 환상적인"`, false},
	{"NameInOrder", "샘 올트먼은 기자들을 만났다.", `"샘 올트먼"`, true},
	{"NameOutOfOrder", "샘 올트먼은 기자들을 만났다.", `"올트먼 샘"`, false},
	{"PhraseLastWordStripped", "샘 올트먼은 기자들을 만났다.", `"샘 올트먼이"`, true},
	{"PhraseWithParticleInside", "올트먼의 발언이 화제가 됐다.", `"올트먼의 발언"`, true},
	{"PhraseAndLooseWord", "AI 칩 협력을 시사했다.", `"AI 칩" 협력`, true},
	{"LatinPhraseOutOfOrder", "AI 칩 협력을 시사했다.", `"칩 AI"`, false},
	{"PhraseWordsApart", "환상적인 신형 회사 차량", `"환상적인 회사"`, false},
}

// testAnalyser publishes one story per case (all in one archive, so that
// each query also meets the other cases' stories) and runs every case in
// both orders.
func (open Opener) testAnalyser(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	stories := make([]news.Article, len(analyserCases))
	for i, c := range analyserCases {
		stories[i] = MustCreateArticle(t, st, news.Article{Section: w.section,
			Headline: fmt.Sprintf("사례 %d", i+1), Blocks: paragraphs(c.text), PublishedAt: at(-len(analyserCases) + i)})
	}
	if len(analyserCases) < 60 {
		t.Fatalf("%d cases, want at least 60", len(analyserCases))
	}
	for i, c := range analyserCases {
		t.Run(c.name, func(t *testing.T) {
			for _, order := range []string{news.SortRelevance, news.SortNewest} {
				got, total := searchIDs(t, st, c.query, news.SearchQuery{Sort: order, Limit: 100})
				if slices.Contains(got, stories[i].ID) != c.found {
					t.Errorf("%s: %q in %q: found %v, want %v", order, c.query, c.text, !c.found, c.found)
				}
				if total != len(got) {
					t.Errorf("%s: total %d for %d results", order, total, len(got))
				}
				if order == news.SortNewest && !slices.IsSortedFunc(got, func(a, b int64) int { return int(b - a) }) {
					t.Errorf("newest first: %v", got) // stories were published in id order
				}
			}
		})
	}
}

// testSearchOrders checks the two orders: relevance puts headline matches
// first even when a body match is newer; newest is by time alone.
func (open Opener) testSearchOrders(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	old := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "전력망 확충 계획 발표", PublishedAt: at(-300),
		Blocks: paragraphs("정부가 송전선로를 늘린다.")})
	mid := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "여름철 수급 점검", PublishedAt: at(-200),
		Blocks: paragraphs("전력망 부하가 커지고 있다.")})
	recent := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "전력망에 재생에너지 연결", PublishedAt: at(-100),
		Blocks: paragraphs("접속 대기가 길다.")})
	newest := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "발전소 정비 마쳐", PublishedAt: at(-10),
		Blocks: paragraphs("전력망이 안정을 찾았다.")})
	got, _ := searchIDs(t, st, "전력망", news.SearchQuery{Sort: news.SortRelevance})
	DiffIDs(t, "relevance", []int64{recent.ID, old.ID, newest.ID, mid.ID}, got)
	got, _ = searchIDs(t, st, "전력망", news.SearchQuery{Sort: news.SortNewest})
	DiffIDs(t, "newest", []int64{newest.ID, recent.ID, mid.ID, old.ID}, got)
	// Pages of the relevance order join where headline matches end.
	var paged []int64
	for off := 0; off < 4; off++ {
		ids, total := searchIDs(t, st, "전력망", news.SearchQuery{Sort: news.SortRelevance, Offset: off, Limit: 1})
		if total != 4 {
			t.Errorf("offset %d: total %d, want 4", off, total)
		}
		paged = append(paged, ids...)
	}
	DiffIDs(t, "relevance, page by page", []int64{recent.ID, old.ID, newest.ID, mid.ID}, paged)
	// Filters hold in both orders.
	other := MustCreateSection(t, st, "society", 2)
	inOther := MustCreateArticle(t, st, news.Article{Section: other, Headline: "전력망 고장", PublishedAt: at(-5),
		Blocks: paragraphs("정전이 났다.")})
	for _, order := range []string{news.SortRelevance, news.SortNewest} {
		got, _ = searchIDs(t, st, "전력망", news.SearchQuery{Sort: order, SectionID: other.ID})
		DiffIDs(t, order+" in a section", []int64{inOther.ID}, got)
		got, _ = searchIDs(t, st, "전력망", news.SearchQuery{Sort: order, From: at(-150), To: at(-50)})
		DiffIDs(t, order+" in a date range", []int64{recent.ID}, got)
	}
}

// testSearchTakedown checks that a takedown removes a story from results in
// the write's own transaction, and a restored story comes back.
func (open Opener) testSearchTakedown(t *testing.T) {
	st := open(t)
	w := newWorld(t, st)
	admin := MustCreateAccount(t, st, "desk@example.com")
	a := MustCreateArticle(t, st, news.Article{Section: w.section, Headline: "해바라기밭 축제 개막", PublishedAt: at(-10),
		Blocks: paragraphs("해바라기밭에 관광객이 몰렸다.")})
	found := func() []int64 {
		t.Helper()
		ids, _ := searchIDs(t, st, "해바라기밭", news.SearchQuery{})
		return ids
	}
	DiffIDs(t, "published", []int64{a.ID}, found())
	td := news.Takedown{TargetKind: news.TargetArticle, TargetID: a.ID, Claimant: "권리자", Claim: "사진 무단 사용",
		State: news.TakedownActive, CreatedAt: T0, Until: T0.Add(30 * 24 * time.Hour), ByID: admin.ID}
	Must(t, st.CreateTakedown(t.Context(), &td, news.AuditEntry{ActorID: admin.ID, Action: news.AuditTakedown, CreatedAt: T0}))
	DiffIDs(t, "taken down", nil, found())
	_, err := st.DecideTakedown(t.Context(), td.ID, news.TakedownRestored, "권리 침해 아님", T0,
		news.AuditEntry{ActorID: admin.ID, Action: news.AuditTakedownClose, CreatedAt: T0})
	Must(t, err)
	DiffIDs(t, "restored", []int64{a.ID}, found())
}
