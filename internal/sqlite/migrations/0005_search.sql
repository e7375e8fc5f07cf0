-- Search and rankings.

-- The full-text index of articles: the search package's tokens (Hangul as
-- single characters and bigrams, other words lower-cased) of the headline
-- and of the rest of the text, separated by spaces. The rowid is the
-- article id. Contentless: the text lives in articles; snippets are cut in
-- Go. Every article is indexed whatever its state; searches join articles
-- to keep only published ones, so a state change alone cannot leak a draft.
CREATE VIRTUAL TABLE article_search USING fts5(
	headline, body,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

-- Page views per article and hour (Unix microseconds of the hour's start),
-- for 많이 본 뉴스. Nothing about the reader is kept.
CREATE TABLE page_views (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	hour       INTEGER NOT NULL,
	views      INTEGER NOT NULL,
	PRIMARY KEY (article_id, hour)
) WITHOUT ROWID;
CREATE INDEX page_views_hour ON page_views (hour, article_id);

-- 댓글 많은 뉴스 counts the comments of the last days.
CREATE INDEX comments_created ON comments (created_at, article_id) WHERE state = 'visible';
