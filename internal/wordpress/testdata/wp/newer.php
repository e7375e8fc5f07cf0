<?php
// A week of newsroom work after export.xml was taken: one story corrected,
// one pending story published, one new story with a new photo, section and
// tag, and one new reply. export-newer.xml is taken after this.
require __DIR__ . '/lib.php';
act_as_admin();

// 10: headline and body corrected (post_modified moves to the time this runs).
$post = get_post(10);
$fixed = str_replace('서초구(0.07%)', '서초구(0.06%)', $post->post_content)
	. "\n\n<em>[바로잡습니다] 처음 기사에서 서초구 상승률을 0.07%로 잘못 적어 0.06%로 바로잡습니다.</em>";
$r = wp_update_post(wp_slash([
	'ID'           => 10,
	'post_title'   => '서울 아파트값 3주 연속 상승…강남3구 오름폭 커져(종합)',
	'post_content' => $fixed,
]), true);
if (is_wp_error($r)) {
	fail('update 10', $r);
}

// 31: the pending story is published with the date the editor set.
$r = wp_update_post([
	'ID'          => 31,
	'post_status' => 'publish',
	'post_date'   => '2024-04-23 08:00:00',
	'edit_date'   => true,
	'post_name'   => 'high-school-credit-system-teacher-shortage',
], true);
if (is_wp_error($r)) {
	fail('publish 31', $r);
}

// 39… : a new story in a new child section with a new tag and photo. Its id
// is the next one WordPress hands out (after the menu items), like any new post.
$parties = term('category', '정당', 'parties', get_term_by('slug', 'politics', 'category')->term_id);
term('post_tag', '임시국회', 'extraordinary-session');
$kim = get_user_by('login', 'kimminjun')->ID;
// Saved as a draft first, as in the editor (so its GUID is ?p=ID), then
// given a photo and published.
$id = wp_insert_post(wp_slash([
	'post_author'   => $kim,
	'post_status'   => 'draft',
	'post_title'    => '총선 후 첫 임시국회 개원…여야 원 구성 협상 난항',
	'post_category' => [$parties],
	'tags_input'    => ['국회', '임시국회'],
	'post_content'  => '',
]), true);
if (is_wp_error($id)) {
	fail('new post', $id);
}
$photoId = photo(0, $kim, 'assembly-opening.jpg', $id, '2024-04-22 09:50:00',
	'임시국회 개원식',
	'22일 국회에서 열린 임시국회 개원식.',
	'사진=국회사진기자단',
	'임시국회 개원식 모습');
$r = wp_update_post(wp_slash([
	'ID'           => $id,
	'post_status'  => 'publish',
	'post_date'    => '2024-04-22 10:00:00',
	'edit_date'    => true,
	'post_name'    => 'first-extraordinary-session-after-election',
	'post_content' => blocks(
		b_p('총선 이후 첫 임시국회가 22일 문을 열었지만, 여야는 상임위원장 배분을 두고 <strong>원 구성 협상</strong>에서 접점을 찾지 못했다.'),
		b_img($photoId, 'full', '22일 국회에서 열린 임시국회 개원식. <em>국회사진기자단</em>'),
		b_p('여당은 "관례대로 법제사법위원장은 제2당 몫"이라고 주장한 반면, 야당은 "다수당이 책임 있게 운영해야 한다"고 맞섰다.'),
		b_p('김민준 기자')
	),
]), true);
if (is_wp_error($r)) {
	fail('publish new post', $r);
}
set_post_thumbnail($id, $photoId);

// 13: the reporter's answer gets a reply a few days later.
$answer = (int) get_comments(['post_id' => 13, 'search' => '2026년까지', 'fields' => 'ids'])[0];
comment(['comment_post_ID' => 13, 'comment_parent' => $answer, 'comment_author' => '한승우',
	'comment_author_email' => 'seungwoo@example.org', 'comment_date' => '2024-04-20 21:10:00',
	'comment_content' => '후속 기사 기다리겠습니다.']);

echo "newer: story $id with photo $photoId\n";
