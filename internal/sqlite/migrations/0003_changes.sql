-- What each write touched, so that every process serving the site (and a
-- server while a command-line tool writes) can drop stale cached pages.
CREATE TABLE change_log (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	article_id INTEGER NOT NULL DEFAULT 0,
	lists      INTEGER NOT NULL DEFAULT 0,
	everything INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);
