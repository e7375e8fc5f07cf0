// Package demo holds the content a fresh Jikji site is filled with: the
// paper's settings, its sections, labels and reporters, the seed article
// (structured faithfully from /work/shared/seed) and a handful of original
// demo stories, with placeholder photos generated in code.
//
// It is plain data: loading it into a store is the caller's job. Article
// bodies use the newsroom markup and refer to photos as ![alt](photo:KEY),
// KEY being a Photo's Key.
package demo

import (
	"time"

	"jikji/internal/news"
)

// Content is everything the demo fills a site with.
type Content struct {
	Site      news.Site
	Sections  []news.Section
	Labels    []news.Label
	Reporters []news.Reporter
	Photos    []Photo
	Articles  []Article
}

// Photo is a demo photo with its variants; Key is how bodies refer to it.
type Photo struct {
	Key      string
	Caption  string
	Credit   string
	Alt      string
	Variants []news.PhotoVariant // widths 480, 960, 1440; PhotoID 0
}

// Article is a demo story. Sections, labels and reporters are named by slug,
// code and name; the caller resolves them to ids.
type Article struct {
	SectionSlug string
	LabelCodes  []string
	Headline    string
	Deck        []string
	Body        string
	Bylines     []Byline
	PublishedAt time.Time
	UpdatedAt   time.Time // zero if never edited after publishing
	Print       *news.PrintPlacement
	Source      *news.SourceNotice
}

// Byline credits a reporter by name; ReporterName matches a Reporters entry.
type Byline struct {
	ReporterName string
	Role         string
	Dateline     string
}

// SeedHeadline is the headline of the seed article, the one every fresh site
// leads with.
const SeedHeadline = `올트먼 "삼성전자·SK하이닉스는 '환상적인 회사'"... AI 칩 협력 시사`

// New returns the demo content. It is deterministic: every call returns equal
// content, images included. Each call returns fresh slices the caller may
// modify.
func New() Content {
	return Content{
		Site:      site(),
		Sections:  sections(),
		Labels:    []news.Label{{Code: news.LabelBreaking, Name: "속보"}, {Code: news.LabelExclusive, Name: "단독"}},
		Reporters: reporters(),
		Photos:    photos(),
		Articles:  append([]Article{seedArticle()}, articles()...),
	}
}

// kst returns the time in Asia/Seoul.
func kst(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, news.KST)
}

func site() news.Site {
	return news.Site{
		Name:               "직지일보",
		Slogan:             "활자처럼 정확하게, 기록처럼 오래",
		Description:        "직지일보는 정확한 기록과 균형 잡힌 시선으로 오늘의 뉴스를 전하는 인터넷 신문입니다.",
		RegistrationNumber: "서울 아 00000",
		RegistrationDate:   "2024.01.02",
		Publisher:          "박한결",
		Editor:             "윤서진",
		YouthProtection:    "정다은",
		Address:            "서울특별시 중구 세종대로 000, 직지빌딩 5층 (우 04500)",
		Phone:              "02-000-0000",
		Email:              "news@jikji.example",
		Copyright:          "Copyright © 직지일보. 무단 전재 및 재배포 금지.",
		PrivacyPolicy:      privacyPolicy,
	}
}

const privacyPolicy = `직지일보(이하 '회사')는 「개인정보 보호법」 등 관련 법령을 준수하며, 이용자의 개인정보를 보호하고 이와 관련한 고충을 신속하고 원활하게 처리하기 위하여 다음과 같이 개인정보처리방침을 수립·공개합니다.

제1조(수집하는 개인정보 항목) 회사는 회원 가입, 댓글 작성, 기사 저장 및 기자 구독 서비스 제공을 위하여 이메일 주소, 비밀번호(암호화하여 저장), 닉네임을 수집합니다. 서비스 이용 과정에서 접속 일시, 접속 IP 주소, 브라우저 정보 등 서비스 이용 기록이 자동으로 생성되어 수집될 수 있습니다.

제2조(개인정보의 처리 목적) 회사는 수집한 개인정보를 회원 식별 및 본인 확인, 댓글·공감 표현 등 이용자 참여 서비스의 제공, 부정 이용 방지와 비인가 사용 방지, 구독한 기자의 새 기사 알림 제공의 목적으로만 처리하며, 목적이 변경되는 경우에는 사전에 동의를 받습니다.

제3조(개인정보의 보유 및 이용 기간) 회사는 회원 탈퇴 시 지체 없이 개인정보를 파기합니다. 다만 관계 법령에 따라 보존할 필요가 있는 경우에는 해당 법령에서 정한 기간 동안 보관하며, 탈퇴한 회원이 작성한 댓글은 작성자 표시를 '탈퇴한 회원'으로 바꾸어 게시합니다.

제4조(개인정보의 제3자 제공 및 처리 위탁) 회사는 이용자의 동의가 있거나 법률에 특별한 규정이 있는 경우를 제외하고는 개인정보를 제3자에게 제공하지 않으며, 개인정보 처리 업무를 외부에 위탁하지 않습니다. 회사는 광고 추적 도구나 외부 분석 서비스를 사용하지 않습니다.

제5조(쿠키의 사용) 회사는 로그인 상태 유지와 보안(요청 위조 방지)을 위하여 필수 쿠키만을 사용합니다. 이용자는 브라우저 설정을 통해 쿠키 저장을 거부할 수 있으나, 이 경우 로그인이 필요한 서비스 이용이 제한될 수 있습니다.

제6조(이용자의 권리) 이용자는 언제든지 자신의 개인정보를 열람·정정하거나 삭제 및 처리 정지를 요구할 수 있으며, 회원 탈퇴를 통해 개인정보 수집·이용 동의를 철회할 수 있습니다. 회사는 요구를 받은 날부터 10일 이내에 필요한 조치를 하고 그 결과를 알려드립니다.

제7조(개인정보의 안전성 확보 조치) 회사는 비밀번호의 일방향 암호화, 전송 구간 암호화, 개인정보 처리 시스템에 대한 접근 권한 관리 및 접속 기록 보관 등 개인정보의 안전성 확보에 필요한 기술적·관리적 조치를 하고 있습니다.

제8조(개인정보 보호책임자) 개인정보 처리에 관한 문의, 불만 처리, 피해 구제 등은 개인정보 보호책임자 정다은(news@jikji.example, 02-000-0000)에게 하실 수 있습니다. 개인정보 침해에 대한 신고나 상담은 개인정보침해신고센터(국번 없이 118) 등에 문의하실 수 있습니다.

제9조(시행일) 이 개인정보처리방침은 2024년 1월 2일부터 적용됩니다. 내용이 바뀌는 경우 시행 7일 전부터 홈페이지를 통해 알려드립니다.`

func sections() []news.Section {
	return []news.Section{
		{Slug: "politics", Name: "정치", Position: 1},
		{Slug: "economy", Name: "경제", Position: 2},
		{Slug: "society", Name: "사회", Position: 3},
		{Slug: "world", Name: "국제", Position: 4},
		{Slug: "tech", Name: "IT·과학", Position: 5},
		{Slug: "culture", Name: "문화", Position: 6},
	}
}

func reporters() []news.Reporter {
	return []news.Reporter{
		{Name: "이서희", Role: "특파원", Email: "seohee.lee@jikji.example",
			Bio: "샌프란시스코 특파원. 실리콘밸리의 기술 기업과 미국 경제를 취재합니다."},
		{Name: "박준영", Role: "기자", Email: "junyoung.park@jikji.example",
			Bio: "경제부 기자. 소상공인과 골목 경제, 물가와 일자리 이야기를 씁니다."},
		{Name: "김도윤", Role: "기자", Email: "doyoon.kim@jikji.example",
			Bio: "사회부 기자. 기후와 재난, 도시의 안전을 취재합니다."},
		{Name: "최민지", Role: "선임기자", Email: "minji.choi@jikji.example",
			Bio: "문화부 선임기자. 책과 전시, 기록유산을 20년째 취재하고 있습니다."},
		{Name: "정하늘", Role: "기자", Email: "haneul.jung@jikji.example",
			Bio: "정치부 기자. 국회와 지방자치를 담당합니다."},
		{Name: "한지수", Role: "특파원", Email: "jisu.han@jikji.example",
			Bio: "파리 특파원. 유럽의 정치·경제와 사람들의 일상을 전합니다."},
	}
}
