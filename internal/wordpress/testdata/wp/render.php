<?php
// Writes what WordPress itself shows as the body of each story (the_content:
// blocks, shortcodes, auto-paragraphs, texturize, embeds) to DEST/ID.html,
// as the reference for "no text is lost". With ids given, only those.
//
// Rendering caches oEmbed results in the database; it runs in a transaction
// that is rolled back, so the site (and any later export) is unchanged.
require __DIR__ . '/bootstrap.php';

$dest = $argv[1] ?? '';
if ($dest === '') {
	fwrite(STDERR, "usage: render.php DEST [ID...]\n");
	exit(2);
}
$ids = array_map('intval', array_slice($argv, 2));
if (!$ids) {
	$ids = get_posts(['post_type' => 'post', 'post_status' => 'any', 'numberposts' => -1, 'fields' => 'ids', 'orderby' => 'ID', 'order' => 'ASC']);
}
wp_mkdir_p($dest);

$wpdb->query('START TRANSACTION');
foreach ($ids as $id) {
	$post = get_post($id);
	if (!$post) {
		fwrite(STDERR, "no post $id\n");
		exit(1);
	}
	// As on the story's own page: the loop is at this post.
	$GLOBALS['post'] = $post;
	setup_postdata($post);
	$html = apply_filters('the_content', $post->post_content);
	file_put_contents("$dest/$id.html", $html);
}
$wpdb->query('ROLLBACK');
