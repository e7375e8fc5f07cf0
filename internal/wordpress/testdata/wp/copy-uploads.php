<?php
// Copies the uploaded files every attachment refers to (the original and the
// sizes WordPress made of it) into DEST, keeping the uploads/YYYY/MM layout.
// snow-gangwon.jpg is left out on purpose: the fixture's lost photo.
require __DIR__ . '/bootstrap.php';

$dest = $argv[1] ?? '';
if ($dest === '') {
	fwrite(STDERR, "usage: copy-uploads.php DEST\n");
	exit(2);
}
$uploads = wp_get_upload_dir()['basedir'];
$missing = ['snow-gangwon.jpg'];

foreach (get_posts(['post_type' => 'attachment', 'post_status' => 'any', 'numberposts' => -1]) as $a) {
	$file = get_post_meta($a->ID, '_wp_attached_file', true);
	if (in_array(basename($file), $missing, true)) {
		continue;
	}
	$files = [$file];
	$meta = wp_get_attachment_metadata($a->ID);
	foreach ($meta['sizes'] ?? [] as $size) {
		$files[] = dirname($file) . '/' . $size['file'];
	}
	foreach (array_unique($files) as $f) {
		$to = "$dest/$f";
		wp_mkdir_p(dirname($to));
		if (!copy("$uploads/$f", $to)) {
			fwrite(STDERR, "cannot copy $f\n");
			exit(1);
		}
	}
}
