-- Search and rankings.

-- The full-text index of articles: a tsvector of the search package's
-- tokens (Hangul as single characters and bigrams, other words lower-cased),
-- built in Go with positions, the headline's weighted A and the rest of the
-- text's B, so ts_rank favours headline matches and no locale or text
-- search configuration of the server is involved. Every article is indexed
-- whatever its state; searches join articles to keep only published ones.
CREATE TABLE article_search (
	article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	doc        tsvector NOT NULL
);
CREATE INDEX article_search_doc ON article_search USING gin (doc);

-- Page views per article and hour, for 많이 본 뉴스. Nothing about the
-- reader is kept.
CREATE TABLE page_views (
	article_id bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	hour       timestamptz NOT NULL,
	views      bigint NOT NULL,
	PRIMARY KEY (article_id, hour)
);
CREATE INDEX page_views_hour ON page_views (hour, article_id);

-- 댓글 많은 뉴스 counts the comments of the last days.
CREATE INDEX comments_created ON comments (created_at, article_id) WHERE state = 'visible';
