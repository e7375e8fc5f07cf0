<?php
// Small helpers over WordPress's own API for site.php and newer.php. The
// site's items get fixed ids (import_id) so the README's inventory stays true
// when the fixture is regenerated.
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/post.php';
require_once ABSPATH . 'wp-admin/includes/nav-menu.php';

function fail($what, $err = null) {
	$msg = $what;
	if (is_wp_error($err)) {
		$msg .= ': ' . $err->get_error_message();
	}
	fwrite(STDERR, $msg . "\n");
	exit(1);
}

// Acts as the site's administrator: editors and administrators may post any
// HTML (unfiltered_html), so kses leaves block comments and figures alone.
function act_as_admin() {
	$admin = get_user_by('login', 'admin');
	wp_set_current_user($admin->ID);
	kses_remove_filters();
}

function user($login, $display, $email, $first, $last, $role) {
	$id = wp_insert_user([
		'user_login'   => $login,
		'user_pass'    => 'fixture-password',
		'user_email'   => $email,
		'display_name' => $display,
		'nickname'     => $display,
		'first_name'   => $first,
		'last_name'    => $last,
		'role'         => $role,
	]);
	if (is_wp_error($id)) {
		fail("user $login", $id);
	}
	return $id;
}

function term($taxonomy, $name, $slug = null, $parent = 0, $description = '') {
	$args = ['parent' => $parent, 'description' => $description];
	if ($slug !== null) {
		$args['slug'] = $slug;
	}
	$t = wp_insert_term($name, $taxonomy, $args);
	if (is_wp_error($t)) {
		fail("term $name", $t);
	}
	return $t['term_id'];
}

function post($id, array $fields) {
	$fields['import_id'] = $id;
	$got = wp_insert_post(wp_slash($fields), true);
	if (is_wp_error($got)) {
		fail("post $id", $got);
	}
	if ($got !== $id) {
		fail("post wanted id $id, got $got");
	}
	return $got;
}

// Uploads one of the generated images as an attachment of $parent by
// $author, dated $date (local time, which also picks the uploads/YYYY/MM
// folder), with its caption (post_excerpt), description (post_content) and
// alt text. $id 0 takes the next free id.
function photo($id, $author, $file, $parent, $date, $title, $caption, $description, $alt) {
	$src = getenv('FIXTURE_IMAGES') . '/' . $file;
	$tmp = wp_tempnam($file);
	copy($src, $tmp);
	$got = media_handle_sideload(
		['name' => $file, 'tmp_name' => $tmp],
		$parent,
		$title,
		[
			'import_id'    => $id,
			'post_author'  => $author,
			'post_date'    => $date,
			'post_excerpt' => $caption,
			'post_content' => $description,
		]
	);
	if (is_wp_error($got)) {
		fail("photo $file", $got);
	}
	if ($id !== 0 && $got !== $id) {
		fail("photo wanted id $id, got $got");
	}
	if ($alt !== '') {
		update_post_meta($got, '_wp_attachment_image_alt', wp_slash($alt));
	}
	return $got;
}

// The URL of an attachment in the given registered size, as the editors insert it.
function src($id, $size = 'full') {
	$s = wp_get_attachment_image_src($id, $size);
	if (!$s) {
		fail("no $size image for $id");
	}
	return $s[0];
}

function dims($id, $size = 'full') {
	$s = wp_get_attachment_image_src($id, $size);
	return [$s[1], $s[2]];
}

function comment(array $c) {
	static $visitor = 10;
	$defaults = [
		'comment_author_email' => '',
		'comment_author_url'   => '',
		'comment_author_IP'    => '203.0.113.' . $visitor++,
		'comment_agent'        => 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0 Safari/537.36',
		'comment_type'         => 'comment',
		'comment_parent'       => 0,
		'user_id'              => 0,
		'comment_approved'     => 1,
	];
	$c = array_merge($defaults, $c);
	$c['comment_date_gmt'] = get_gmt_from_date($c['comment_date']);
	$id = wp_insert_comment(wp_slash($c));
	if (!$id) {
		fail('comment on ' . $c['comment_post_ID']);
	}
	return $id;
}

// Block markup helpers, written as WordPress 6.1's block editor saves them.
function b_p($html) {
	return "<!-- wp:paragraph -->\n<p>$html</p>\n<!-- /wp:paragraph -->";
}
function b_h($text, $level = 2) {
	$attrs = $level === 2 ? '' : ' {"level":' . $level . '}';
	return "<!-- wp:heading$attrs -->\n<h$level>$text</h$level>\n<!-- /wp:heading -->";
}
function b_img($id, $size, $caption) {
	$alt = esc_attr(get_post_meta($id, '_wp_attachment_image_alt', true));
	$url = src($id, $size);
	$cap = $caption === '' ? '' : '<figcaption class="wp-element-caption">' . $caption . '</figcaption>';
	return "<!-- wp:image {\"id\":$id,\"sizeSlug\":\"$size\",\"linkDestination\":\"none\"} -->\n"
		. "<figure class=\"wp-block-image size-$size\"><img src=\"$url\" alt=\"$alt\" class=\"wp-image-$id\"/>$cap</figure>\n"
		. "<!-- /wp:image -->";
}
function b_list(array $items, $ordered = false) {
	$tag = $ordered ? 'ol' : 'ul';
	$attrs = $ordered ? ' {"ordered":true}' : '';
	$inner = [];
	foreach ($items as $item) {
		$inner[] = "<!-- wp:list-item -->\n<li>$item</li>\n<!-- /wp:list-item -->";
	}
	return "<!-- wp:list$attrs -->\n<$tag>" . implode("\n\n", $inner) . "</$tag>\n<!-- /wp:list -->";
}
function b_quote(array $paragraphs, $cite) {
	$inner = array_map('b_p', $paragraphs);
	return "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\">" . implode("\n\n", $inner)
		. "<cite>$cite</cite></blockquote>\n<!-- /wp:quote -->";
}
function blocks(...$blocks) {
	return implode("\n\n", $blocks);
}
