<?php
// Writes the whole site as WXR to stdout with WordPress's own exporter,
// the code behind Tools → Export → "All content".
require __DIR__ . '/bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

// export_wp() sends download headers; they mean nothing on the command line.
ob_start();
export_wp(['content' => 'all']);
$xml = ob_get_clean();
fwrite(STDOUT, $xml);
