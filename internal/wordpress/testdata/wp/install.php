<?php
// Installs a Korean-language WordPress site in the empty fixture database.
putenv('FIXTURE_INSTALLING=1');
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

if (is_blog_installed()) {
	fwrite(STDERR, "database already holds a WordPress site\n");
	exit(1);
}
// The web installer loads the chosen language before installing, so the
// default category, first post and sample page are created in Korean.
load_default_textdomain('ko_KR');
$result = wp_install('한빛일보', 'admin', 'desk@example.com', true, '', 'fixture-password', 'ko_KR');
echo "installed: user {$result['user_id']}\n";
