<?php
// Lists, as WordPress itself builds them, the public URLs of the site under
// each common permalink structure: stories, pages, sections (categories),
// tags, authors, feeds and uploaded files. Tab-separated: URL, kind, target
// (post id, term slug as in the export, author login, or uploads path). Runs in a rolled-back
// transaction: the permalink setting is only borrowed.
require __DIR__ . '/bootstrap.php';

$structures = [
	'',                                      // plain: /?p=ID, /?page_id=ID
	'/archives/%post_id%',
	'/%year%/%monthnum%/%day%/%postname%/',
	'/%year%/%monthnum%/%postname%/',
	'/%postname%/',
];
$rows = [];
$add = function ($url, $kind, $target) use (&$rows) {
	$rows[$url . "\t" . $kind . "\t" . $target] = true;
};

$wpdb->query('START TRANSACTION');
$published = get_posts(['post_type' => ['post', 'page'], 'post_status' => 'publish', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']);
foreach ($structures as $structure) {
	update_option('permalink_structure', $structure);
	$GLOBALS['wp_rewrite']->init();
	foreach ($published as $p) {
		$add(get_permalink($p), $p->post_type, $p->ID);
	}
}
$wpdb->query('ROLLBACK');
wp_cache_flush();
$GLOBALS['wp_rewrite']->init();

foreach (get_terms(['taxonomy' => 'category', 'hide_empty' => false]) as $t) {
	$add(get_category_link($t), 'category', $t->slug);
}
foreach (get_terms(['taxonomy' => 'post_tag', 'hide_empty' => false]) as $t) {
	$add(get_tag_link($t), 'tag', $t->slug);
}
foreach (get_users() as $u) {
	if (count_user_posts($u->ID, 'post', true) > 0) {
		$add(get_author_posts_url($u->ID), 'author', $u->user_login);
	}
}
$add(get_feed_link(), 'feed', '');
$add(get_feed_link('rss2'), 'feed', '');
foreach (get_posts(['post_type' => 'attachment', 'post_status' => 'any', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']) as $a) {
	$file = get_post_meta($a->ID, '_wp_attached_file', true);
	$add(wp_get_attachment_url($a->ID), 'upload', $file);
	foreach (wp_get_attachment_metadata($a->ID)['sizes'] ?? [] as $size) {
		$sized = dirname($file) . '/' . $size['file'];
		$add(wp_get_upload_dir()['baseurl'] . '/' . $sized, 'upload', $sized);
	}
}

echo "# url\tkind\ttarget\n";
foreach (array_keys($rows) as $row) {
	echo $row, "\n";
}
