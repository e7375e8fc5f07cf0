#!/bin/sh
# Regenerates the WordPress export fixtures in this folder with a real WordPress:
# Debian's `wordpress` package (6.1), PHP and a MariaDB server.
#
#   apt-get install wordpress wordpress-l10n php-cli php-mysql php-gd php-xml php-mbstring imagemagick
#   internal/wordpress/testdata/make-fixtures.sh
#
# It creates (and drops first) the database $FIXTURE_DB on $FIXTURE_DB_HOST as
# $FIXTURE_DB_USER, builds the site in a temporary content folder, and writes
# export.xml, export-newer.xml, uploads/, rendered/ and old-links.tsv next to
# this script.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
export FIXTURE_DB="${FIXTURE_DB:-jikji_wp_fixture}"
export FIXTURE_DB_HOST="${FIXTURE_DB_HOST:-127.0.0.1:3306}"
export FIXTURE_DB_USER="${FIXTURE_DB_USER:-root}"
export FIXTURE_DB_PASSWORD="${FIXTURE_DB_PASSWORD:-}"
export FIXTURE_URL="${FIXTURE_URL:-https://news.example.com}"
export FIXTURE_WP="${FIXTURE_WP:-/usr/share/wordpress}"
# ImageMagick's own convert, not a stand-in earlier on PATH.
convert="${CONVERT:-/usr/bin/convert}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FIXTURE_CONTENT="$work/wp-content"
export FIXTURE_IMAGES="$work/images"
mkdir -p "$FIXTURE_CONTENT/uploads" "$FIXTURE_IMAGES"

db_host=${FIXTURE_DB_HOST%:*}
db_port=${FIXTURE_DB_HOST##*:}
mysql -h "$db_host" -P "$db_port" -u "$FIXTURE_DB_USER" ${FIXTURE_DB_PASSWORD:+-p"$FIXTURE_DB_PASSWORD"} -e \
	"DROP DATABASE IF EXISTS \`$FIXTURE_DB\`; CREATE DATABASE \`$FIXTURE_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

"$here/wp/make-images.sh" "$convert" "$FIXTURE_IMAGES"

php "$here/wp/install.php"
php "$here/wp/site.php"
php "$here/wp/export.php" > "$here/export.xml"
rm -rf "$here/rendered"
php "$here/wp/render.php" "$here/rendered"
php "$here/wp/old-links.php" > "$here/old-links.tsv"
php "$here/wp/newer.php"
php "$here/wp/export.php" > "$here/export-newer.xml"
# The stories export-newer.xml changed or added.
php "$here/wp/render.php" "$here/rendered/newer" 10 46

# Only the files the site references; one is left out on purpose (see README.md).
rm -rf "$here/uploads"
php "$here/wp/copy-uploads.php" "$here/uploads"

echo "wrote export.xml, export-newer.xml, uploads/, rendered/ and old-links.tsv in $here"
