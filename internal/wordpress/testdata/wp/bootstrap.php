<?php
// Loads Debian's WordPress (/usr/share/wordpress) against a throw-away database
// and content folder, the way wp-config.php would, without touching /etc/wordpress.
// Used by make-fixtures.sh; every value comes from the environment it sets.

foreach (['FIXTURE_DB', 'FIXTURE_CONTENT', 'FIXTURE_URL'] as $name) {
	if (getenv($name) === false || getenv($name) === '') {
		fwrite(STDERR, "$name is not set; run make-fixtures.sh\n");
		exit(2);
	}
}

define('DB_NAME', getenv('FIXTURE_DB'));
define('DB_USER', getenv('FIXTURE_DB_USER') ?: 'root');
define('DB_PASSWORD', getenv('FIXTURE_DB_PASSWORD') ?: '');
define('DB_HOST', getenv('FIXTURE_DB_HOST') ?: '127.0.0.1:3306');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';

define('ABSPATH', (getenv('FIXTURE_WP') ?: '/usr/share/wordpress') . '/');
define('WP_CONTENT_DIR', getenv('FIXTURE_CONTENT'));
define('WP_LANG_DIR', ABSPATH . 'wp-content/languages');
define('WP_HOME', getenv('FIXTURE_URL'));
define('WP_SITEURL', getenv('FIXTURE_URL'));

// Nothing may leave this machine: no cron spawning, no update checks, no pings.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);

// Stable salts: nothing secret lives in this site.
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $salt) {
	define($salt, 'fixture-' . $salt);
}

$host = parse_url(WP_HOME, PHP_URL_HOST);
$_SERVER['HTTP_HOST']   = $host;
$_SERVER['SERVER_NAME'] = $host;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['HTTPS']       = 'on';

if (getenv('FIXTURE_INSTALLING')) {
	define('WP_INSTALLING', true);
}

// The fixture site sends no mail (WordPress announces a new install by mail);
// a pluggable function defined first replaces WordPress's own.
function wp_mail() {
	return true;
}

require_once ABSPATH . 'wp-settings.php';
