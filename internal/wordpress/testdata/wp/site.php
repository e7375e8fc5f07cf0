<?php
// Builds the fixture newsroom "한빛일보" through WordPress's own API: reporters,
// sections, tags, photos, stories in the classic and the block editor, in
// every status, and their comments. README.md lists what each id exercises.
require __DIR__ . '/lib.php';
act_as_admin();

// Site settings a Korean newsroom would have.
update_option('blogdescription', '믿을 수 있는 지역 뉴스');
update_option('timezone_string', 'Asia/Seoul');
update_option('gmt_offset', '');
update_option('date_format', 'Y년 n월 j일');
update_option('time_format', 'H:i');
update_option('posts_per_page', 20);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('uploads_use_yearmonth_folders', 1);
wp_update_user(['ID' => get_user_by('login', 'admin')->ID, 'display_name' => '편집국', 'nickname' => '편집국']);

// Reporters.
$kim  = user('kimminjun', '김민준', 'minjun.kim@example.com', '민준', '김', 'author');
$lee  = user('leeseoyeon', '이서연', 'seoyeon.lee@example.com', '서연', '이', 'editor');
$park = user('parkjihoon', '박지훈', 'jihoon.park@example.com', '지훈', '박', 'contributor');
$choi = user('choi.yuna', '최유나', 'yuna.choi@example.com', '유나', '최', 'author');
$desk = get_user_by('login', 'admin')->ID;

// The site went live on 1 March 2024: the first post, its comment and the
// pages WordPress made at installation carry that date, not today's.
$launch = '2024-03-01 08:00:00';
$launchGMT = get_gmt_from_date($launch);
foreach ([1, 2, 3] as $installed) {
	$wpdb->update($wpdb->posts, ['post_date' => $launch, 'post_date_gmt' => $launchGMT,
		'post_modified' => $launch, 'post_modified_gmt' => $launchGMT], ['ID' => $installed]);
	clean_post_cache($installed);
}
$wpdb->update($wpdb->comments, ['comment_date' => $launch, 'comment_date_gmt' => $launchGMT], ['comment_ID' => 1]);

// Sections: nested categories, some with ASCII slugs, one with the
// percent-encoded Korean slug WordPress makes by itself.
$uncategorized = (int) get_option('default_category');
$politics   = term('category', '정치', 'politics', 0, '국회·정당·선거');
$assembly   = term('category', '국회', 'national-assembly', $politics);
$economy    = term('category', '경제', 'economy', 0, '금융·산업·부동산');
$realestate = term('category', '부동산', 'real-estate', $economy);
$subscribe  = term('category', '청약', null, $realestate);
$society    = term('category', '사회', 'society');
$education  = term('category', '교육', 'education', $society);
$culture    = term('category', '문화', 'culture');
$sports     = term('category', '스포츠', 'sports', 0, '아직 기사가 없는 섹션');

// Tags: a mix of ASCII and automatic Korean slugs.
term('post_tag', '아파트');
term('post_tag', '서울시', 'seoul-city');
term('post_tag', '지하철', 'subway');
term('post_tag', '전시회');
term('post_tag', '저출생', 'low-birth-rate');
term('post_tag', '국회', 'national-assembly');
term('post_tag', '봄꽃');
term('post_tag', '기준금리', 'base-rate');
term('post_tag', '한국은행', 'bank-of-korea');
term('post_tag', '날씨', 'weather');
term('post_tag', '고교학점제');
term('post_tag', '신년기획', 'new-year-series');

// ---------------------------------------------------------------------------
// 10: classic editor, [caption] with a large size, <strong>/<em>/links, a
// list, <!--more-->, excerpt, featured image, two levels of category.
photo(11, $kim, 'apartment-seoul.jpg', 10, '2024-03-15 09:12:00',
	'서울 송파구 아파트 단지',
	'서울 송파구 일대 아파트 단지 모습. 한빛일보 자료사진',
	'사진=김민준 기자',
	'서울 송파구 아파트 단지 전경');
[$w, $h] = dims(11, 'large');
$large11 = src(11, 'large');
post(10, [
	'post_author'   => $kim,
	'post_date'     => '2024-03-15 09:30:00',
	'post_status'   => 'publish',
	'post_title'    => '서울 아파트값 3주 연속 상승…강남3구 오름폭 커져',
	'post_name'     => 'seoul-apartment-prices-rise-third-week',
	'post_excerpt'  => '한국부동산원 주간 동향, 서울 0.03% 올라…송파·서초·강남 순',
	'post_category' => [$economy, $realestate],
	'tags_input'    => ['아파트', '서울시'],
	'post_content'  => <<<HTML
[caption id="attachment_11" align="aligncenter" width="$w"]<img class="size-large wp-image-11" src="$large11" alt="서울 송파구 아파트 단지 전경" width="$w" height="$h" /> 서울 송파구 일대 아파트 단지 모습. <em>한빛일보 자료사진</em>[/caption]

서울 아파트값이 3주 연속 오르며 상승 폭을 키우고 있다. 특히 <strong>강남·서초·송파 등 강남3구</strong>의 오름폭이 두드러져 시장에서는 "바닥을 다졌다"는 평가가 나온다.

한국부동산원이 14일 발표한 '3월 둘째 주 전국 주간 아파트 가격 동향'에 따르면 서울 아파트 매매가격은 전주 대비 0.03% 올랐다. 지난주(0.02%)보다 상승 폭이 0.01%포인트 커졌다.<!--more-->

자치구별로는 송파구(0.08%)가 가장 많이 올랐고, 서초구(0.07%)와 강남구(0.05%)가 뒤를 이었다. 부동산원은 "선호 단지를 중심으로 매수 문의가 늘고 있지만, 외곽 지역은 여전히 관망세가 짙다"고 설명했다.

전문가들이 꼽는 상승 요인은 다음과 같다.
<ul>
 	<li>시중 금리 하락 기대에 따른 매수 심리 회복</li>
 	<li>신규 입주 물량 감소</li>
 	<li>전셋값 상승에 따른 <em>갭 메우기</em> 수요</li>
</ul>
다만 고금리 기조가 이어지는 만큼 본격적인 반등으로 보기는 이르다는 지적도 있다. 자세한 지역별 통계는 <a href="https://www.reb.or.kr/">한국부동산원 누리집</a>에서 확인할 수 있다.

김민준 기자 minjun.kim@example.com
HTML,
]);
set_post_thumbnail(10, 11);
// A plugin's leftover: unknown post meta an importer must ignore.
update_post_meta(10, '_yoast_wpseo_metadesc', '서울 아파트값이 3주 연속 상승했다.');

// ---------------------------------------------------------------------------
// 13: classic editor, WordPress's own percent-encoded Korean slug, a linked
// image in [caption] with an empty alt, an ordered list, a bare YouTube URL
// on its own line (auto-embed), an unknown shortcode, threaded comments.
photo(14, $lee, 'subway-line2.jpg', 13, '2024-03-18 08:05:00',
	'지하철 2호선 강남역 승강장',
	'18일 오전 서울 지하철 2호선 강남역 승강장이 출근길 시민들로 붐비고 있다.',
	'사진=독자 제공',
	'');
$full14 = src(14);
post(13, [
	'post_author'   => $lee,
	'post_date'     => '2024-03-18 08:10:00',
	'post_status'   => 'publish',
	'post_title'    => '출근길 지하철 2호선 신호 장애로 40분 지연',
	'post_category' => [$society],
	'tags_input'    => ['지하철', '서울시'],
	'post_content'  => <<<HTML
18일 오전 7시 20분께 서울 지하철 2호선 <strong>신도림역~대림역 구간</strong>에서 신호 장애가 발생해 열차 운행이 최대 40분가량 지연됐다. 출근 시간대와 겹치면서 주요 환승역마다 승객이 몰려 큰 혼잡을 빚었다.

[caption id="attachment_14" align="alignnone" width="640"]<a href="$full14"><img class="size-full wp-image-14" src="$full14" alt="" width="640" height="427" /></a> 18일 오전 서울 지하철 2호선 강남역 승강장이 출근길 시민들로 붐비고 있다. 독자 제공[/caption]

서울교통공사는 "신호 설비의 전원 공급 장치에 이상이 생긴 것으로 보인다"며 "오전 8시 5분께 복구를 마치고 정상 운행 중"이라고 밝혔다. 공사는 정확한 원인을 조사하고 있다.

공사가 안내한 지연 증명서 발급 방법은 다음과 같다.
<ol>
 	<li>공사 누리집 또는 '또타지하철' 앱 접속</li>
 	<li>지연 일자와 노선 선택</li>
 	<li>증명서 내려받기 또는 출력</li>
</ol>
공사가 공개한 복구 현장 영상은 아래에서 볼 수 있다.

https://www.youtube.com/watch?v=Xy7pQ2mLk9A

이날 지연으로 불편을 겪은 시민들의 제보가 이어지고 있다. 한빛일보는 이번 장애와 관련한 독자 제보를 받는다.

[contact-form-7 id="15" title="독자 제보"]

이서연 기자
HTML,
]);

// ---------------------------------------------------------------------------
// 15: classic editor, a [gallery] shortcode, a file name in Korean, <h3>
// intertitles, a <blockquote>, &nbsp; and entities.
photo(16, $choi, '미술관-전시장.jpg', 15, '2024-03-22 13:40:00',
	'특별전 전시장',
	'22일 개막한 특별전 전시장 전경.',
	'사진=국립현대미술관 제공',
	'특별전 전시장 내부');
photo(17, $choi, 'museum-painting-1.jpg', 15, '2024-03-22 13:41:00',
	'봄날의 마당',
	'김영수, ‘봄날의 마당’(1938).',
	'국립현대미술관 소장',
	'초가집 앞마당을 그린 유화');
photo(18, $choi, 'museum-painting-2.jpg', 15, '2024-03-22 13:42:00',
	'가을 들녘의 여인',
	'한정희, ‘가을 들녘의 여인’(1936).',
	'',
	'들판에 선 여인을 그린 세로 유화');
$medium16 = src(16, 'medium');
[$w16, $h16] = dims(16, 'medium');
post(15, [
	'post_author'   => $choi,
	'post_date'     => '2024-03-22 14:00:00',
	'post_status'   => 'publish',
	'post_title'    => '국립현대미술관, 한국 근대 회화 특별전 개막',
	'post_name'     => 'mmca-modern-korean-painting',
	'post_excerpt'  => '1920~40년대 유화 120여 점…7월 28일까지 서울관',
	'post_category' => [$culture],
	'tags_input'    => ['전시회'],
	'post_content'  => <<<HTML
국립현대미술관이 1920~40년대 한국 근대 회화를 한자리에 모은 특별전 &lt;빛을 그린 사람들&gt;을 22일 서울관에서 개막했다. 유화 120여 점과 스케치북, 편지 등 자료 80여 점이 나왔다.

<img class="alignright size-medium wp-image-16" src="$medium16" alt="특별전 전시장 내부" width="$w16" height="$h16" />

<h3>처음 공개되는 작품 30여 점</h3>
이번 전시에서는 개인 소장가에게서 빌려 온 작품 30여 점이 처음으로 일반에 공개된다. 미술관은 2년 동안 소장처를 추적해 작품을 확보했다고 설명했다.

[gallery ids="17,18,16" columns="3" link="file" size="medium"]

<h3>"근대 화가들의 빛에 대한 고민"</h3>
<blockquote>근대 화가들이 서양에서 들어온 유화 물감으로 한국의 햇빛을 어떻게 담으려 했는지 보여 주고 싶었습니다.</blockquote>
전시를 기획한 박소영 학예연구사의 설명이다. 전시는 시대순이 아니라 ‘아침’, ‘한낮’, ‘저녁’ 세 부분으로 나뉘어 있다.

관람 시간은 화~일요일 오전 10시부터 오후 6시까지이며&nbsp;월요일은 쉰다. 관람료는 2,000원, 만 24세 이하&nbsp;&amp;&nbsp;65세 이상은 무료다. 전시는 7월 28일까지.

최유나 기자
HTML,
]);
set_post_thumbnail(15, 16);

// ---------------------------------------------------------------------------
// 19: block editor: paragraphs with inline formatting, wp:image with a
// figure caption, h2/h3, a list (list-item blocks), a quote with a cite, an
// ordered list; featured image; two categories, one nested.
photo(20, $kim, 'assembly-plenary.jpg', 19, '2024-04-02 16:05:00',
	'국회 본회의',
	'2일 오후 서울 여의도 국회에서 열린 본회의에서 저출생 대응 특별법이 통과되고 있다.',
	'사진=국회사진기자단',
	'국회 본회의장 전경');
post(19, [
	'post_author'   => $kim,
	'post_date'     => '2024-04-02 16:20:00',
	'post_status'   => 'publish',
	'post_title'    => '국회, 저출생 대응 특별법 본회의 통과',
	'post_name'     => 'low-birth-rate-special-act-passed',
	'post_excerpt'  => '육아휴직 급여 상한 월 250만 원으로…2025년 1월 시행',
	'post_category' => [$politics, $assembly],
	'tags_input'    => ['저출생', '국회'],
	'post_content'  => blocks(
		b_p('저출생 대응을 위한 특별법이 2일 국회 본회의를 통과했다. 재석 의원 268명 가운데 <strong>찬성 251명</strong>, 반대 5명, 기권 12명이었다.'),
		b_img(20, 'full', '2일 오후 서울 여의도 국회에서 열린 본회의에서 저출생 대응 특별법이 통과되고 있다. <em>국회사진기자단</em>'),
		b_p('특별법은 육아휴직 급여 상한을 현재 월 150만 원에서 <em>월 250만 원</em>으로 올리고, 배우자 출산휴가를 10일에서 20일로 늘리는 내용을 담았다. 법안 전문은 <a href="https://likms.assembly.go.kr/">국회 의안정보시스템</a>에서 볼 수 있다.'),
		b_h('무엇이 달라지나'),
		b_list([
			'육아휴직 급여 상한 월 150만 원 → <strong>250만 원</strong>',
			'배우자 출산휴가 10일 → 20일',
			'난임 시술비 지원 소득 기준 폐지',
		]),
		b_h('시행 시기와 남은 과제', 3),
		b_p('법은 공포 후 9개월이 지난 2025년 1월부터 시행된다. 재원 마련 방안은 시행령에서 정하기로 해 논란의 불씨가 남았다.'),
		b_quote(['돈을 더 주는 것만으로는 부족합니다. 아이를 키우는 시간을 돌려주는 법이 돼야 합니다.'], '한 맞벌이 부부 (서울 마포구)'),
		b_p('정부는 후속 조치를 다음 순서로 추진한다고 밝혔다.'),
		b_list([
			'6월까지 시행령 입법예고',
			'9월 고용보험기금 재정 추계 발표',
			'12월 지방자치단체 전달 체계 정비',
		], true),
		b_p('김민준 기자')
	),
]);
set_post_thumbnail(19, 20);

// ---------------------------------------------------------------------------
// 21: block editor, sticky: a wp:gallery of three captioned photos with a
// gallery caption, a YouTube wp:embed with a caption, a separator, and a
// list in the pre-6.1 form (plain <li>, no list-item blocks).
photo(22, $choi, 'yeouido-cherry-1.jpg', 21, '2024-04-06 10:20:00',
	'여의도 윤중로 벚꽃 1', '윤중로를 따라 핀 벚꽃.', '사진=최유나 기자', '벚꽃이 핀 윤중로');
photo(23, $choi, 'yeouido-cherry-2.jpg', 21, '2024-04-06 10:21:00',
	'여의도 윤중로 벚꽃 2', '벚꽃 아래에서 사진을 찍는 시민들.', '사진=최유나 기자', '벚꽃 아래 시민들');
photo(24, $choi, 'yeouido-cherry-3.jpg', 21, '2024-04-06 10:22:00',
	'여의도 윤중로 벚꽃 3', '해 질 녘 한강공원의 벚꽃길.', '사진=최유나 기자', '노을 진 한강공원 벚꽃길');
$gallery = "<!-- wp:gallery {\"linkTo\":\"none\"} -->\n"
	. "<figure class=\"wp-block-gallery has-nested-images columns-default is-cropped\">"
	. b_img(22, 'large', '윤중로를 따라 핀 벚꽃.') . "\n\n"
	. b_img(23, 'large', '벚꽃 아래에서 사진을 찍는 시민들.') . "\n\n"
	. b_img(24, 'large', '해 질 녘 한강공원의 벚꽃길.')
	. "<figcaption class=\"blocks-gallery-caption wp-element-caption\">6일 서울 여의도 봄꽃 축제 현장. 최유나 기자</figcaption></figure>\n"
	. "<!-- /wp:gallery -->";
$embed = "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=Qm3cF8vR1tE\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n"
	. "<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\n"
	. "https://www.youtube.com/watch?v=Qm3cF8vR1tE\n"
	. "</div><figcaption class=\"wp-element-caption\">영등포구가 공개한 축제 안내 영상</figcaption></figure>\n"
	. "<!-- /wp:embed -->";
post(21, [
	'post_author'   => $choi,
	'post_date'     => '2024-04-06 11:00:00',
	'post_status'   => 'publish',
	'post_title'    => '[포토] 벚꽃 절정 맞은 여의도 봄꽃 축제',
	'post_name'     => 'yeouido-spring-flower-festival-photos',
	'post_category' => [$culture],
	'tags_input'    => ['봄꽃', '서울시'],
	'post_content'  => blocks(
		b_p('서울 여의도 윤중로 일대에서 6일 ‘여의도 봄꽃 축제’가 개막했다. 올해는 예년보다 개화가 일러 첫날부터 벚꽃이 절정을 맞았다.'),
		$gallery,
		b_h('교통 통제와 이용 안내', 3),
		b_p('영등포구는 축제 기간인 10일까지 국회 뒤편 여의서로 1.7㎞ 구간의 차량 통행을 전면 통제한다.'),
		$embed,
		"<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->",
		"<!-- wp:list -->\n<ul><li>기간: 4월 6일~10일</li><li>장소: 여의서로(국회 뒤편) 일대</li><li>문의: 영등포구 문화체육과</li></ul>\n<!-- /wp:list -->",
		b_p('최유나 기자')
	),
]);
set_post_thumbnail(21, 22);
stick_post(21);

// ---------------------------------------------------------------------------
// 25: block editor in older forms: a gallery as WordPress 5.x saved it
// (ids, blocks-gallery-grid), a quote without inner blocks, a table, an
// X/Twitter embed, an unknown shortcode in a shortcode block, a <br>.
photo(26, $lee, 'bank-of-korea.jpg', 25, '2024-04-12 09:40:00',
	'한국은행 본관', '서울 중구 한국은행 본관.', '한빛일보 자료사진', '한국은행 본관 건물');
photo(27, $lee, 'press-briefing.jpg', 25, '2024-04-12 09:41:00',
	'통화정책방향 기자간담회', '12일 통화정책방향 기자간담회 모습.', '사진=공동취재단', '기자간담회장');
$legacyGallery = "<!-- wp:gallery {\"ids\":[26,27],\"linkTo\":\"none\"} -->\n"
	. "<figure class=\"wp-block-gallery columns-2 is-cropped\"><ul class=\"blocks-gallery-grid\">"
	. "<li class=\"blocks-gallery-item\"><figure><img src=\"" . src(26, 'large') . "\" alt=\"한국은행 본관 건물\" data-id=\"26\" data-full-url=\"" . src(26) . "\" data-link=\"https://news.example.com/?attachment_id=26\" class=\"wp-image-26\"/><figcaption class=\"blocks-gallery-item__caption\">서울 중구 한국은행 본관.</figcaption></figure></li>"
	. "<li class=\"blocks-gallery-item\"><figure><img src=\"" . src(27, 'large') . "\" alt=\"기자간담회장\" data-id=\"27\" data-full-url=\"" . src(27) . "\" data-link=\"https://news.example.com/?attachment_id=27\" class=\"wp-image-27\"/><figcaption class=\"blocks-gallery-item__caption\">12일 통화정책방향 기자간담회 모습.</figcaption></figure></li>"
	. "</ul><figcaption class=\"blocks-gallery-caption\">한국은행 본관과 기자간담회장</figcaption></figure>\n"
	. "<!-- /wp:gallery -->";
$table = "<!-- wp:table -->\n"
	. "<figure class=\"wp-block-table\"><table><thead><tr><th>발표일</th><th>기준금리</th><th>결정</th></tr></thead>"
	. "<tbody><tr><td>2024년 1월 11일</td><td>3.50%</td><td>동결</td></tr>"
	. "<tr><td>2024년 2월 22일</td><td>3.50%</td><td>동결</td></tr>"
	. "<tr><td>2024년 4월 12일</td><td>3.50%</td><td>동결</td></tr></tbody></table>"
	. "<figcaption class=\"wp-element-caption\">최근 기준금리 결정 (자료: 한국은행)</figcaption></figure>\n"
	. "<!-- /wp:table -->";
$tweet = "<!-- wp:embed {\"url\":\"https://twitter.com/BankofKorea/status/1778612345678901234\",\"type\":\"rich\",\"providerNameSlug\":\"twitter\",\"responsive\":true} -->\n"
	. "<figure class=\"wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter\"><div class=\"wp-block-embed__wrapper\">\n"
	. "https://twitter.com/BankofKorea/status/1778612345678901234\n"
	. "</div></figure>\n"
	. "<!-- /wp:embed -->";
post(25, [
	'post_author'   => $lee,
	'post_date'     => '2024-04-12 10:05:00',
	'post_status'   => 'publish',
	'post_title'    => '한국은행, 기준금리 3.50% 동결…"물가 둔화 더 확인해야"',
	'post_name'     => 'bok-holds-base-rate-april',
	'post_category' => [$economy],
	'tags_input'    => ['기준금리', '한국은행'],
	'post_content'  => blocks(
		b_p('한국은행 금융통화위원회는 12일 통화정책방향 회의를 열고 기준금리를 연 3.50%로 동결했다. 지난해 2월 이후 <strong>열 번 연속</strong> 동결이다.'),
		$legacyGallery,
		b_p('이창호 총재는 기자간담회에서 "물가 상승률이 목표 수준으로 수렴한다는 확신이 들 때까지 긴축 기조를 충분히 유지하겠다"고 말했다.<br>시장에서는 하반기 인하 가능성을 점치는 목소리가 커지고 있다.'),
		"<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>금리 인하를 논의하기에는 아직 이르다는 것이 금통위원 다수의 의견이었습니다.</p><cite>이창호 한국은행 총재</cite></blockquote>\n<!-- /wp:quote -->",
		$table,
		$tweet,
		"<!-- wp:shortcode -->\n[adsense slot=\"article-inline\"]\n<!-- /wp:shortcode -->",
		b_p('이서연 기자')
	),
]);
set_post_thumbnail(25, 26);

// ---------------------------------------------------------------------------
// 28: published behind a password (must never become public).
post(28, [
	'post_author'   => $lee,
	'post_date'     => '2024-04-08 18:00:00',
	'post_status'   => 'publish',
	'post_password' => 'hanbit2024',
	'post_title'    => '[단독] 시 산하기관 내부 감사 보고서 입수',
	'post_name'     => 'exclusive-internal-audit-report',
	'post_category' => [$society],
	'post_content'  => <<<HTML
한빛일보가 입수한 시 산하기관 내부 감사 보고서에 따르면, 이 기관은 최근 3년 동안 수의계약 47건을 특정 업체 두 곳과 맺은 것으로 드러났다.

보고서는 "계약 과정에서 내부 규정에 정한 비교 견적 절차가 지켜지지 않았다"고 지적했다. 기관 측은 "감사 결과를 겸허히 받아들이고 제도를 개선하겠다"고 밝혔다.

이서연 기자
HTML,
]);

// ---------------------------------------------------------------------------
// 29: scheduled (future) in the block editor.
post(29, [
	'post_author'   => $kim,
	'post_date'     => '2035-01-02 06:00:00',
	'post_status'   => 'future',
	'post_title'    => '[신년 기획] 2035년 한국 경제, 다섯 가지 질문',
	'post_name'     => 'new-year-2035-economy-five-questions',
	'post_excerpt'  => '성장률·금리·집값·일자리·인구, 새해 경제를 가를 변수',
	'post_category' => [$economy],
	'tags_input'    => ['신년기획', '기준금리'],
	'post_content'  => blocks(
		b_p('새해 한국 경제는 어디로 향할까. 한빛일보 경제부가 전문가 20명에게 다섯 가지 질문을 던졌다.'),
		b_h('1. 성장률은 2%대를 지킬까'),
		b_p('응답자의 절반 이상이 수출 회복세에 힘입어 2%대 초반 성장이 가능하다고 내다봤다.'),
		b_h('2. 금리는 언제 내려갈까'),
		b_p('상반기 중 한 차례 인하를 예상한 응답이 가장 많았다.'),
		b_p('김민준 기자')
	),
]);

// ---------------------------------------------------------------------------
// 30: draft (classic). WordPress gives drafts no slug and no GMT date.
post(30, [
	'post_author'   => $kim,
	'post_date'     => '2024-04-15 17:40:00',
	'post_status'   => 'draft',
	'post_title'    => '(작성 중) 지방선거 후보 등록 첫날 표정',
	'post_category' => [$politics],
	'post_content'  => <<<HTML
재보궐 지방선거 후보 등록 첫날인 15일, 각 선거관리위원회에는 이른 아침부터 후보자와 캠프 관계자들이 몰렸다.

(구청장 후보별 등록 현황 표 추가 예정)
HTML,
]);

// ---------------------------------------------------------------------------
// 31: pending review, by a contributor, in the block editor, in a child
// section.
post(31, [
	'post_author'   => $park,
	'post_date'     => '2024-04-16 09:00:00',
	'post_status'   => 'pending',
	'post_title'    => '고교학점제 전면 시행 앞두고 교사 부족 우려',
	'post_category' => [$education],
	'tags_input'    => ['고교학점제'],
	'post_content'  => blocks(
		b_p('내년 고교학점제 전면 시행을 앞두고 선택 과목을 가르칠 교사가 부족하다는 우려가 커지고 있다.'),
		b_p('교육부 자료에 따르면 전국 일반고의 38%가 학생이 원하는 과목을 모두 개설하지 못할 것으로 조사됐다. 교원단체는 "순회 교사와 온라인 공동교육과정만으로는 한계가 분명하다"고 지적했다.'),
		b_p('박지훈 기자')
	),
]);

// ---------------------------------------------------------------------------
// 32: private.
post(32, [
	'post_author'   => $desk,
	'post_date'     => '2024-04-01 09:00:00',
	'post_status'   => 'private',
	'post_title'    => '[내부] 4월 편집회의 메모',
	'post_name'     => 'april-editorial-meeting-notes',
	'post_category' => [$uncategorized],
	'post_content'  => <<<HTML
4월 총선 이후 정치면 지면 배분을 다시 논의한다.

<strong>다음 회의:</strong> 4월 8일 월요일 오전 10시, 3층 회의실
HTML,
]);

// ---------------------------------------------------------------------------
// 33: published, then moved to the trash (at the end of this script: the
// trashing saves a revision, which takes the next free id).
post(33, [
	'post_author'   => $lee,
	'post_date'     => '2024-03-20 07:00:00',
	'post_status'   => 'publish',
	'post_title'    => '[날씨] 오늘 전국 맑음…낮 최고 18도',
	'post_name'     => 'weather-march-20',
	'post_category' => [$society],
	'tags_input'    => ['날씨'],
	'post_content'  => "수요일인 20일은 전국이 대체로 맑겠다.\n\n(잘못된 예보 수치로 삭제)",
]);

// ---------------------------------------------------------------------------
// 34: classic, the oldest story; its featured photo's file is left out of
// testdata/uploads on purpose (a photo lost on the old server).
photo(35, $park, 'snow-gangwon.jpg', 34, '2024-03-05 06:20:00',
	'강원 산간 대설',
	'5일 강원 평창군 대관령 일대에 눈이 쌓여 있다.',
	'사진=박지훈 기자',
	'눈 덮인 대관령 도로');
$medium35 = src(35, 'medium');
post(34, [
	'post_author'   => $park,
	'post_date'     => '2024-03-05 06:30:00',
	'post_status'   => 'publish',
	'post_title'    => '강원 산간 대설특보…최고 20㎝ 눈',
	'post_name'     => 'gangwon-heavy-snow-advisory',
	'post_category' => [$society],
	'tags_input'    => ['날씨'],
	'post_content'  => <<<HTML
5일 강원 산간 지역에 대설특보가 내려진 가운데 대관령에는 새벽 사이 20㎝가 넘는 눈이 쌓였다.

[caption id="attachment_35" align="alignleft" width="300"]<img class="size-medium wp-image-35" src="$medium35" alt="눈 덮인 대관령 도로" width="300" height="200" /> 5일 강원 평창군 대관령 일대에 눈이 쌓여 있다.[/caption]

기상청은 "6일 오전까지 강원 산간에 5~10㎝의 눈이 더 내리겠다"며 출근길 안전에 유의해 달라고 당부했다.

박지훈 기자
HTML,
]);
set_post_thumbnail(34, 35);

// ---------------------------------------------------------------------------
// 36: classic, only in a third-level section (경제 > 부동산 > 청약), no photo.
post(36, [
	'post_author'   => $kim,
	'post_date'     => '2024-04-10 13:00:00',
	'post_status'   => 'publish',
	'post_title'    => "'줍줍' 무순위 청약 제도 개편…무주택자만 신청 가능",
	'post_name'     => 'unranked-subscription-rules',
	'post_excerpt'  => '국토부, 주택공급규칙 개정안 입법예고',
	'post_category' => [$subscribe],
	'tags_input'    => ['아파트'],
	'post_content'  => <<<HTML
이른바 ‘줍줍’으로 불리는 무순위 청약의 신청 자격이 해당 지역에 사는 <strong>무주택자</strong>로 좁혀진다.

국토교통부는 10일 이런 내용을 담은 「주택공급에 관한 규칙」 개정안을 입법예고했다. 지금은 유주택자도 거주 지역과 상관없이 신청할 수 있어 ‘로또 청약’ 과열을 부른다는 지적이 많았다.

김민준 기자
HTML,
]);

// ---------------------------------------------------------------------------
// Pages (to be skipped): 2 and 3 come with the installation.
post(37, [
	'post_author'  => $desk,
	'post_type'    => 'page',
	'post_date'    => '2024-03-01 10:00:00',
	'post_status'  => 'publish',
	'post_title'   => '회사소개',
	'post_name'    => 'about',
	'post_content' => blocks(b_p('한빛일보는 2009년 창간한 지역 종합 일간지입니다.')),
]);
post(38, [
	'post_author'  => $desk,
	'post_type'    => 'page',
	'post_parent'  => 37,
	'post_date'    => '2024-03-01 10:05:00',
	'post_status'  => 'publish',
	'post_title'   => '찾아오시는 길',
	'post_name'    => 'location',
	'post_content' => blocks(b_p('서울특별시 중구 세종대로 00, 한빛빌딩 5층')),
]);

// ---------------------------------------------------------------------------
// Comments. 13 carries a thread three levels deep, a reply from the reporter
// (a registered user), a pending comment, a spam one (WordPress's exporter
// leaves spam out of the file) and one moved to the trash.
$c1 = comment(['comment_post_ID' => 13, 'comment_author' => '정다은', 'comment_author_email' => 'daeun.jung@example.net',
	'comment_date' => '2024-03-18 08:42:00',
	'comment_content' => "오늘 20분 넘게 열차 안에 갇혀 있었어요.\n안내 방송이라도 제대로 해 줬으면 좋겠습니다."]);
$c2 = comment(['comment_post_ID' => 13, 'comment_parent' => $c1, 'user_id' => $lee, 'comment_author' => '이서연',
	'comment_author_email' => 'seoyeon.lee@example.com', 'comment_date' => '2024-03-18 09:05:00',
	'comment_content' => '불편을 겪으셨군요. 안내 방송 문제도 공사 측에 문의해 보겠습니다.']);
$c3 = comment(['comment_post_ID' => 13, 'comment_parent' => $c2, 'comment_author' => '정다은', 'comment_author_email' => 'daeun.jung@example.net',
	'comment_date' => '2024-03-18 09:20:00',
	'comment_content' => '답변 감사합니다 🙏']);
$c4 = comment(['comment_post_ID' => 13, 'comment_author' => '한승우', 'comment_author_email' => 'seungwoo@example.org',
	'comment_author_url' => 'https://seungwoo.example.org/', 'comment_date' => '2024-03-18 10:02:00',
	'comment_content' => '2호선 <strong>노후 신호 설비</strong> 교체 계획은 언제 끝나나요? 후속 기사 부탁드립니다.']);
$c5 = comment(['comment_post_ID' => 13, 'comment_parent' => $c4, 'user_id' => $lee, 'comment_author' => '이서연',
	'comment_author_email' => 'seoyeon.lee@example.com', 'comment_date' => '2024-03-18 11:30:00',
	'comment_content' => '공사는 2026년까지 교체를 마칠 계획이라고 합니다. 후속 취재하겠습니다.']);
$c6 = comment(['comment_post_ID' => 13, 'comment_approved' => 0, 'comment_author' => '지나가던 시민',
	'comment_date' => '2024-03-18 12:15:00',
	'comment_content' => '신호 장애가 이번 달만 벌써 세 번째라는데 사실인가요?']);
$c7 = comment(['comment_post_ID' => 13, 'comment_approved' => 'spam', 'comment_author' => '명품가방최저가',
	'comment_author_url' => 'http://spam.example/bags', 'comment_date' => '2024-03-18 13:00:00',
	'comment_content' => '최저가 명품 가방 http://spam.example/bags 지금 바로 확인하세요']);
$c8 = comment(['comment_post_ID' => 13, 'comment_author' => '익명', 'comment_date' => '2024-03-18 13:30:00',
	'comment_content' => '기자 양반 이런 기사 쓸 시간에 (욕설)']);
wp_trash_comment($c8);

// 19: two approved comments, one answered.
$c9 = comment(['comment_post_ID' => 19, 'comment_author' => '오지현', 'comment_author_email' => 'jihyun.oh@example.net',
	'comment_date' => '2024-04-02 17:05:00',
	'comment_content' => '배우자 출산휴가 20일은 환영합니다. 중소기업에서도 실제로 쓸 수 있게 해 주세요.']);
comment(['comment_post_ID' => 19, 'comment_parent' => $c9, 'comment_author' => '윤태호',
	'comment_date' => '2024-04-02 18:40:00',
	'comment_content' => '동감합니다. 대체 인력 지원이 같이 가야 해요.']);

// 21: one comment.
comment(['comment_post_ID' => 21, 'comment_author' => '강민서', 'comment_author_email' => 'minseo@example.com',
	'comment_date' => '2024-04-06 15:10:00',
	'comment_content' => '사진이 정말 예쁘네요. 주말에 가 봐야겠어요!']);

wp_trash_post(33);

// A navigation menu: nav_menu_item posts and a nav_menu term in the export,
// neither of them a story.
$menu = wp_create_nav_menu('주 메뉴');
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => '정치', 'menu-item-object' => 'category', 'menu-item-object-id' => $politics, 'menu-item-type' => 'taxonomy', 'menu-item-status' => 'publish']);
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => '경제', 'menu-item-object' => 'category', 'menu-item-object-id' => $economy, 'menu-item-type' => 'taxonomy', 'menu-item-status' => 'publish']);
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => '회사소개', 'menu-item-object' => 'page', 'menu-item-object-id' => 37, 'menu-item-type' => 'post_type', 'menu-item-status' => 'publish']);
wp_update_nav_menu_item($menu, 0, ['menu-item-title' => '구독 신청', 'menu-item-url' => home_url('/subscribe/'), 'menu-item-type' => 'custom', 'menu-item-status' => 'publish']);
// The menu was made at launch too.
foreach (wp_get_nav_menu_items($menu) as $item) {
	$wpdb->update($wpdb->posts, ['post_date' => $launch, 'post_date_gmt' => $launchGMT,
		'post_modified' => $launch, 'post_modified_gmt' => $launchGMT], ['ID' => $item->ID]);
	clean_post_cache($item->ID);
}

// Pretty permalinks last, as a site switches them on after launch: the
// stories keep their ?p=ID GUIDs while links in the export use the dates.
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
flush_rewrite_rules(false);

echo "site built\n";
