-- Search that does not grow with the archive.
--
-- The index holds only the articles readers may find (published, not taken
-- down), with what a search filters on, so that a search reads nothing
-- else: the section, the publishing time, a tsvector of the headline (for
-- the headline-first order) and one of the headline and the rest of the
-- text. Each Hangul run is indexed as its bigrams followed by its last
-- character (see the search package). The index of the text is RUM where
-- the server has the extension (Debian: postgresql-15-rum): it keeps
-- positions, so a quoted phrase is answered in the index; elsewhere GIN,
-- which answers a word's bigrams and a one-syllable prefix without reading
-- rows but must read each candidate's tsvector to check a phrase. The time
-- indexes give the newest stretch of the archive to intersect with either.
--
-- Servers rebuild the index in the background after this migration
-- (serve --reindex-missing, the default), or jikji reindex does it at once.
DROP TABLE article_search;

CREATE TABLE article_search (
	article_id   bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	section_id   bigint NOT NULL,
	published_at timestamptz NOT NULL,
	head         tsvector NOT NULL,
	doc          tsvector NOT NULL
);
CREATE INDEX article_search_head ON article_search USING gin (head);
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
		BEGIN
			CREATE EXTENSION IF NOT EXISTS rum;
			CREATE INDEX article_search_doc ON article_search USING rum (doc rum_tsvector_ops);
		EXCEPTION WHEN insufficient_privilege THEN
			-- Installed, but this role may not create extensions.
			CREATE INDEX article_search_doc ON article_search USING gin (doc);
		END;
	ELSE
		CREATE INDEX article_search_doc ON article_search USING gin (doc);
	END IF;
END
$$;
CREATE INDEX article_search_time ON article_search (published_at DESC, article_id DESC);
CREATE INDEX article_search_section_time ON article_search (section_id, published_at DESC, article_id DESC);
